//! Reads Zoom's answers: a JSON document on success (`null` when a write's answer is
//! empty), a [`ZoomError`] on a 4xx (so that codes such as 124 and 4711 reach the
//! connector), everything else left to roster-http.

use std::marker::PhantomData;

use async_trait::async_trait;
use roster_http::{BodyError, ReadBody, Response, expect_json};
use serde::de::DeserializeOwned;

use crate::vendor_error::ZoomError;

/// The largest error body read; Zoom's are a line.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub(crate) struct ZoomReader<'a, T> {
    /// Values scrubbed from kept error messages: the client secret and the access token.
    pub scrub: Vec<&'a str>,
    pub _doc: PhantomData<fn() -> T>,
}

impl<'a, T> ZoomReader<'a, T> {
    pub(crate) fn new(scrub: Vec<&'a str>) -> Self {
        Self { scrub, _doc: PhantomData }
    }
}

#[async_trait]
impl<T: DeserializeOwned + Send> ReadBody<Result<T, ZoomError>> for ZoomReader<'_, T> {
    async fn read(&mut self, resp: Response) -> Result<Result<T, ZoomError>, BodyError> {
        let status = resp.status();
        if status.is_client_error() {
            let bytes = resp.bytes().await.map_err(|e| BodyError::from_reqwest(&e))?;
            let body = if bytes.len() > MAX_ERROR_BODY { &[][..] } else { &bytes[..] };
            return Ok(Err(ZoomError::parse(status.as_u16(), body, &self.scrub)));
        }
        let json = expect_json(&resp);
        let bytes = resp.bytes().await.map_err(|e| BodyError::from_reqwest(&e))?;
        if bytes.is_empty() && status.is_success() {
            // A write's 204 No Content.
            return serde_json::from_value(serde_json::Value::Null)
                .map(Ok)
                .map_err(|e| BodyError::Invalid(format!("the body is empty: {e}")));
        }
        json?;
        serde_json::from_slice(&bytes)
            .map(Ok)
            .map_err(|e| BodyError::Invalid(format!("the body is not the expected json: {e}")))
    }

    fn reads_client_errors(&self) -> bool {
        true
    }
}

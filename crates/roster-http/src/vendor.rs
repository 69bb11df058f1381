//! A reader for vendors whose 4xx bodies carry codes the connector must read (an expired
//! token, a missing permission, an expired cursor): the document on success, the vendor's
//! error on a 4xx.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use crate::client::{BodyError, ReadBody, expect_json};

/// The largest 4xx body handed to [`ClientError::from_answer`]; a longer one is handed over
/// empty.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A vendor's reading of a 4xx answer: its status and body. Whatever it keeps of the body
/// must have every value of `scrub` (the secrets and tokens sent) cut out.
pub trait ClientError: Send {
    fn from_answer(status: u16, body: &[u8], scrub: &[&str]) -> Self;
}

/// Reads a successful answer as the JSON document `T` (`Ok(Ok(doc))`) and hands 4xx
/// answers other than 429 to `E` (`Ok(Err(error))`); everything else is left to
/// [`crate::Http`] (retries, 429s, 5xx).
pub struct VendorReader<'a, T, E> {
    scrub: Vec<&'a str>,
    _doc: PhantomData<fn() -> (T, E)>,
}

impl<'a, T, E> VendorReader<'a, T, E> {
    /// A reader that scrubs `scrub` from the vendor's error bodies.
    pub fn new(scrub: Vec<&'a str>) -> Self {
        Self { scrub, _doc: PhantomData }
    }
}

#[async_trait::async_trait]
impl<T: DeserializeOwned + Send, E: ClientError> ReadBody<Result<T, E>> for VendorReader<'_, T, E> {
    async fn read(&mut self, resp: reqwest::Response) -> Result<Result<T, E>, BodyError> {
        let status = resp.status();
        let is_json = expect_json(&resp);
        let bytes = resp.bytes().await.map_err(|e| BodyError::from_reqwest(&e))?;
        if status.is_client_error() {
            let body = if bytes.len() > MAX_ERROR_BODY { &[][..] } else { &bytes[..] };
            return Ok(Err(E::from_answer(status.as_u16(), body, &self.scrub)));
        }
        is_json?;
        serde_json::from_slice(&bytes)
            .map(Ok)
            .map_err(|e| BodyError::Invalid(format!("the body is not the expected json: {e}")))
    }

    fn reads_client_errors(&self) -> bool {
        true
    }
}

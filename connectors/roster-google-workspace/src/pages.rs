//! Google's list paging: `maxResults`, then `pageToken=<nextPageToken>` until a page has
//! none (or an empty one). Pages may be empty and still carry a token.

use std::collections::HashSet;

use roster_core::ConnectorError;
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Api, Service};
use crate::google_error::GoogleError;

/// A page stops the listing after this many pages, whatever the tokens say.
const MAX_PAGES: usize = 1_000_000;

#[derive(Deserialize)]
struct RawPage {
    /// `users.list` calls its items `users`; every other list, `items`.
    #[serde(default)]
    users: Vec<Value>,
    #[serde(default)]
    items: Vec<Value>,
    #[serde(default, rename = "nextPageToken")]
    next_page_token: Option<String>,
}

/// The pages of one list request.
pub(crate) struct Pages<'a> {
    api: &'a Api,
    service: Service,
    path: String,
    query: Vec<(&'static str, String)>,
    next: Option<String>,
    seen: HashSet<String>,
    pages: usize,
}

impl<'a> Pages<'a> {
    pub(crate) fn new(
        api: &'a Api,
        service: Service,
        path: String,
        query: Vec<(&'static str, String)>,
    ) -> Self {
        Pages { api, service, path, query, next: None, seen: HashSet::new(), pages: 0 }
    }

    /// `GET path`, for messages.
    pub(crate) fn request(&self) -> String {
        format!("GET {}", self.path)
    }

    /// The next page's items, `None` after the last; `Ok(Err(_))` is Google's refusal.
    pub(crate) async fn next(&mut self) -> Result<Result<Option<Vec<Value>>, GoogleError>, ConnectorError> {
        if self.pages > 0 && self.next.is_none() {
            return Ok(Ok(None));
        }
        let mut query = self.query.clone();
        query.extend(self.next.take().map(|t| ("pageToken", t)));
        let page: RawPage = match self.api.get(self.service, &self.path, &query).await? {
            Ok(page) => page,
            Err(refusal) => return Ok(Err(refusal)),
        };
        self.pages += 1;
        self.next = page.next_page_token.filter(|t| !t.trim().is_empty());
        if let Some(t) = &self.next
            && (!self.seen.insert(t.clone()) || self.pages >= MAX_PAGES)
        {
            return Err(ConnectorError::invalid_response(format!(
                "{}: google handed out a page token it had handed out before, after {} pages",
                self.request(),
                self.pages
            )));
        }
        let mut items = page.users;
        items.extend(page.items);
        Ok(Ok(Some(items)))
    }
}

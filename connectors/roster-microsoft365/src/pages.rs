//! Graph collections: a page of `value` with an `@odata.nextLink` (a full URL, followed as
//! given) or, at the end of a delta round, an `@odata.deltaLink` [DOC graph/paging].

use std::collections::HashSet;

use roster_core::ConnectorError;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::api::{Api, Failure};

#[derive(Debug, Deserialize)]
pub(crate) struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink", default)]
    pub delta_link: Option<String>,
}

/// The pages of one collection, from a first request through its next links. A link that
/// comes back a second time ends the walk as an invalid response.
pub(crate) struct Pages<'a> {
    api: &'a Api,
    next: Option<(String, Vec<(&'static str, String)>)>,
    seen: HashSet<String>,
}

impl<'a> Pages<'a> {
    pub(crate) fn new(api: &'a Api, path: &str, query: Vec<(&'static str, String)>) -> Self {
        Self { api, next: Some((path.to_owned(), query)), seen: HashSet::new() }
    }

    pub(crate) async fn next<T: DeserializeOwned + Send>(&mut self) -> Result<Option<Page<T>>, Failure> {
        let Some((path, query)) = self.next.take() else {
            return Ok(None);
        };
        let page: Page<T> = self.api.get(&path, &query).await?;
        if let Some(link) = page.next_link.as_deref().filter(|l| !l.trim().is_empty()) {
            if !self.seen.insert(link.to_owned()) {
                let e = ConnectorError::invalid_response(format!(
                    "GET {path}: graph handed out the same next link twice"
                ));
                return Err(Failure::Other(e));
            }
            self.next = Some((link.to_owned(), Vec::new()));
        }
        Ok(Some(page))
    }
}

/// Every item of a small collection (SKUs, roles, role members).
pub(crate) async fn all<T: DeserializeOwned + Send>(
    api: &Api,
    path: &str,
    query: Vec<(&'static str, String)>,
) -> Result<Vec<T>, Failure> {
    let mut pages = Pages::new(api, path, query);
    let mut items = Vec::new();
    while let Some(page) = pages.next::<T>().await? {
        items.extend(page.value);
    }
    Ok(items)
}

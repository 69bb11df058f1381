//! One client for REST and GraphQL on the configured origin: GitHub's rate-limit signals,
//! a reader that hands 4xx refusals back as [`GhError`] and GraphQL rate limits to the
//! retry loop, and REST paging through `link: rel="next"`.

use roster_core::{ConnectorError, Secret};
use roster_http::{Auth, Body, BodyError, Http, HttpConfig, Method, ReadBody, Response, expect_json};
use serde_json::{Value, json};

use crate::credentials::Endpoints;
use crate::errors::GhError;
use crate::settings::GithubSettings;
use crate::throttle;

/// A successful answer: its JSON, and its next page's URL.
#[derive(Debug)]
pub(crate) struct Answer {
    pub body: Value,
    pub next: Option<String>,
}

/// An answer, or GitHub's refusal.
pub(crate) type Reply = Result<Answer, GhError>;

/// A list stops after this many pages, whatever the links say.
const MAX_PAGES: usize = 100_000;

pub(crate) struct Api {
    http: Http,
    token: Secret,
    rest: String,
    graphql: String,
    pub org: String,
    pub page_size: u32,
}

impl Api {
    pub(crate) fn new(
        e: Endpoints,
        org: String,
        token: Secret,
        s: &GithubSettings,
    ) -> Result<Self, ConnectorError> {
        let mut c = HttpConfig::new(e.origin);
        s.http.apply(&mut c);
        c.user_agent = concat!("roster-github/", env!("CARGO_PKG_VERSION"));
        c.throttle_signal = Some(throttle::signal);
        c.rate_limit_hint = Some(throttle::hint);
        c.budget_headers = Some(throttle::budget);
        let http = Http::new(c)?;
        http.set_bearer(&token)?;
        Ok(Api { http, token, rest: e.rest, graphql: e.graphql, org, page_size: s.page_size() })
    }

    pub(crate) fn request_stats(&self) -> roster_core::RequestStats {
        self.http.stats().snapshot()
    }

    /// The REST path of the organization (`tail` = `""`, `/invitations`, ...).
    pub(crate) fn org_path(&self, tail: &str) -> String {
        format!("{}/orgs/{}{tail}", self.rest, self.org)
    }

    /// `GET path_or_url?query`.
    pub(crate) async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Reply, ConnectorError> {
        let mut reader = Reader { graphql: false, token: self.token.expose() };
        self.http.send(Method::GET, path, query, &mut reader).await.map_err(|e| e.into_connector_error())
    }

    /// A GraphQL query with its variables.
    pub(crate) async fn graphql(&self, query: &str, variables: Value) -> Result<Reply, ConnectorError> {
        let body = json!({ "query": query, "variables": variables });
        let mut reader = Reader { graphql: true, token: self.token.expose() };
        self.http
            .send_body(Method::POST, &self.graphql, &[], Auth::Session, Body::Json(&body), &mut reader)
            .await
            .map_err(|e| e.into_connector_error())
    }
}

/// The pages of a REST list: the first from its path, the rest from `link` headers.
pub(crate) struct Pages {
    path: String,
    per_page: u32,
    next: Option<String>,
    pages: usize,
    done: bool,
}

impl Pages {
    pub(crate) fn new(path: String, per_page: u32) -> Self {
        Pages { path, per_page, next: None, pages: 0, done: false }
    }

    /// The next page, `None` after the last; a refusal ends the list.
    pub(crate) async fn next(&mut self, api: &Api) -> Result<Option<Reply>, ConnectorError> {
        if self.done {
            return Ok(None);
        }
        let reply = match self.next.take() {
            Some(url) => api.get(&url, &[]).await?,
            None => api.get(&self.path, &[("per_page", self.per_page.to_string())]).await?,
        };
        self.pages += 1;
        match &reply {
            Ok(Answer { next: Some(url), .. }) if self.pages < MAX_PAGES => self.next = Some(url.clone()),
            Ok(Answer { next: Some(_), .. }) => {
                return Err(ConnectorError::invalid_response(format!(
                    "GET {}: github kept linking to a next page after {} pages",
                    self.path, self.pages
                )));
            }
            _ => self.done = true,
        }
        Ok(Some(reply))
    }
}

/// The `rel="next"` URL of a `link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == r#"rel="next""#)
            .then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
    })
}

/// Reads an answer: JSON and its next link on success, a [`GhError`] on a 4xx, and for
/// GraphQL a throttle on a rate-limit error and a retry on an error without a type (a
/// timeout: "Something went wrong while executing your query").
struct Reader<'a> {
    graphql: bool,
    token: &'a str,
}

#[async_trait::async_trait]
impl ReadBody<Reply> for Reader<'_> {
    async fn read(&mut self, resp: Response) -> Result<Reply, BodyError> {
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes_of = |r: Response| async move { r.bytes().await.map_err(|e| BodyError::from_reqwest(&e)) };
        if status.is_client_error() {
            let bytes = bytes_of(resp).await?;
            return Ok(Err(GhError::parse(
                status.as_u16(),
                &headers,
                &bytes[..bytes.len().min(64 * 1024)],
                self.token,
            )));
        }
        expect_json(&resp)?;
        let bytes = bytes_of(resp).await?;
        let body: Value = serde_json::from_slice(&bytes)
            .map_err(|e| BodyError::Invalid(format!("the body is not the expected json: {e}")))?;
        if self.graphql {
            if throttle::graphql_limited(&body) {
                return Err(BodyError::Throttled(throttle::graphql_wait(
                    &headers,
                    &body,
                    std::time::SystemTime::now(),
                )));
            }
            let untyped = body["errors"].as_array().and_then(|e| e.iter().find(|e| e.get("type").is_none()));
            if let Some(e) = untyped {
                let message: String =
                    e["message"].as_str().unwrap_or("an error without a type").chars().take(200).collect();
                return Err(BodyError::Invalid(format!("graphql: {message}")));
            }
        }
        let next = headers.get("link").and_then(|v| v.to_str().ok()).and_then(next_link);
        Ok(Ok(Answer { body, next }))
    }

    fn reads_client_errors(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_links() {
        let link = r#"<https://api.github.com/organizations/9919/outside_collaborators?per_page=100&page=2>; rel="next", <https://api.github.com/organizations/9919/outside_collaborators?per_page=100&page=5>; rel="last""#;
        assert_eq!(
            super::next_link(link).as_deref(),
            Some("https://api.github.com/organizations/9919/outside_collaborators?per_page=100&page=2")
        );
        assert_eq!(super::next_link(r#"<https://x/?page=1>; rel="prev""#), None);
    }
}

//! An authenticated request's tenant: the organization its token reaches, and the token.
//! GitHub's answers to the kit live here: its error envelope, both tiers of rate limits
//! (REST 403/429, GraphQL errors in a 200), `x-ratelimit-*` headers and named faults.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{Method, StatusCode};
use axum::response::Response;
use roster_sim_kit::{Budget, Core, Limited, Spent, Tenant, Window, respond};
use serde_json::{Value, json};

use crate::org::Org;
use crate::spec::TokenSpec;

/// Named faults only GitHub has ([`roster_sim_kit::Fault::Vendor`]).
pub mod faults {
    use roster_sim_kit::Fault;

    /// A secondary rate limit with `retry-after: 1` (403 or 429 per the settings).
    pub const SECONDARY_LIMIT: Fault = Fault::Vendor("secondary_rate_limit");
    /// A secondary rate limit without `retry-after`: GitHub's rule is to wait a minute.
    pub const SECONDARY_LIMIT_BARE: Fault = Fault::Vendor("secondary_rate_limit_bare");
    /// 403 with `X-GitHub-SSO`: the token is not authorized for the organization's SAML SSO.
    pub const SSO_REQUIRED: Fault = Fault::Vendor("sso_required");
    /// GraphQL 200 with a `FORBIDDEN` error: "Resource protected by organization SAML enforcement."
    pub const GRAPHQL_FORBIDDEN: Fault = Fault::Vendor("graphql_forbidden");
    /// GraphQL 200 with an error without a type: "Something went wrong while executing your query."
    pub const GRAPHQL_TIMEOUT: Fault = Fault::Vendor("graphql_timeout");
}

/// What an authenticated request carries into its handler.
#[derive(Clone, Debug)]
pub struct Authed {
    pub org: Org,
    pub token: TokenSpec,
    pub origin: Arc<str>,
}

/// `Content-Type` of GitHub's JSON.
pub const JSON: &str = "application/json; charset=utf-8";

/// GitHub's error: `{"message", "documentation_url", "status"}`.
pub fn gh_error(status: StatusCode, message: &str, docs: &str) -> Response {
    let body = json!({"message": message, "documentation_url": docs, "status": status.as_u16().to_string()});
    respond::json(status, JSON, &body)
}

/// A GraphQL answer (always 200).
pub(crate) fn graphql_answer(body: &Value) -> Response {
    respond::json(StatusCode::OK, JSON, body)
}

fn epoch_ceil(at: SystemTime) -> u64 {
    let d = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

const SECONDARY: &str = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID D84A:2DE4CB:565BC8C:5079198:68CB676D.";
const REST_LIMITS_DOCS: &str = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";

impl Authed {
    fn graphql(path: &str) -> bool {
        path == "/api/graphql"
    }

    /// `x-ratelimit-*` for a budget: limit, remaining, used, reset (epoch seconds), resource.
    fn rate_headers(response: &mut Response, path: &str, limit: u32, remaining: u32, reset: SystemTime) {
        let resource = if Self::graphql(path) { "graphql" } else { "core" };
        for (name, value) in [
            ("x-ratelimit-limit", limit.to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
            ("x-ratelimit-used", (limit - remaining.min(limit)).to_string()),
            ("x-ratelimit-reset", epoch_ceil(reset).to_string()),
            ("x-ratelimit-resource", resource.to_owned()),
        ] {
            respond::set_header(response, name, &value);
        }
    }

    /// A secondary limit: 403 or 429, the remaining budget untouched, maybe `retry-after`.
    fn secondary(&self, retry_after: Option<Duration>) -> Response {
        let status = respond::status(self.org.settings().rate_limit_status);
        let mut r = gh_error(status, SECONDARY, REST_LIMITS_DOCS);
        if let Some(wait) = retry_after {
            respond::set_header(&mut r, "retry-after", &wait.as_secs().max(1).to_string());
        }
        r
    }

    /// A primary limit: REST 403 or 429, GraphQL a 200 with a `type` error; both with
    /// `x-ratelimit-remaining: 0` and the reset.
    fn primary(&self, path: &str, limit: u32, reset: SystemTime) -> Response {
        let settings = self.org.settings();
        let mut r = if Self::graphql(path) {
            graphql_answer(&match settings.graphql_rate_limit_type {
                "RATE_LIMIT" => {
                    json!({"errors": [{"type": "RATE_LIMIT", "code": "graphql_rate_limit", "message": "API rate limit already exceeded for user ID 10000000."}]})
                }
                other => {
                    json!({"data": null, "errors": [{"type": other, "message": "API rate limit exceeded for user ID 10000000."}]})
                }
            })
        } else {
            let status = respond::status(settings.rate_limit_status);
            gh_error(status, "API rate limit exceeded for user ID 10000000.", REST_LIMITS_DOCS)
        };
        Self::rate_headers(&mut r, path, limit, 0, reset);
        r
    }
}

impl Tenant for Authed {
    fn core(&self) -> &Core {
        &self.org.inner.core
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        gh_error(status, message, "https://docs.github.com/rest")
    }

    fn unauthorized(&self) -> Response {
        self.error(StatusCode::UNAUTHORIZED, "Bad credentials")
    }

    fn rate_limited(&self, limited: &Limited) -> Response {
        let settings = self.org.settings();
        match (limited.key.as_ref(), settings.secondary) {
            ("secondary", Some(s)) => self.secondary(s.retry_after.then_some(limited.wait)),
            _ => {
                let graphql = Self::graphql(&limited.path);
                let limit = settings.primary.map_or(5000, |p| if graphql { p.graphql } else { p.rest });
                self.primary(&limited.path, limit, limited.reset())
            }
        }
    }

    /// The primary budget of the resource (`core` or `graphql`), then the secondary one.
    fn budgets(&self, _method: &Method, path: &str) -> Vec<Budget> {
        let settings = self.org.settings();
        let mut budgets = Vec::new();
        if let Some(p) = settings.primary {
            let (key, limit) = if Self::graphql(path) { ("graphql", p.graphql) } else { ("core", p.rest) };
            budgets.push(Budget::new(key, limit, Window::Fixed(p.window)));
        }
        if let Some(s) = settings.secondary {
            budgets.push(Budget::new("secondary", s.requests, Window::Sliding(s.window)));
        }
        budgets
    }

    /// `x-ratelimit-*` on every answer while primary limits are on.
    fn finish(&self, path: &str, response: &mut Response, spent: &[Spent]) {
        if let Some(s) = spent.iter().find(|s| s.key == "core" || s.key == "graphql") {
            Self::rate_headers(response, path, s.limit, s.remaining, s.reset);
        }
    }

    fn vendor_fault(&self, name: &'static str) -> Response {
        let graphql_error = |kind: Option<&str>, message: &str| {
            let mut e = json!({"path": ["organization"], "locations": [{"line": 1, "column": 60}], "message": message});
            if let Some(k) = kind {
                e["type"] = json!(k);
            }
            graphql_answer(&json!({"data": {"organization": null}, "errors": [e]}))
        };
        match name {
            "secondary_rate_limit" => self.secondary(Some(Duration::from_secs(1))),
            "secondary_rate_limit_bare" => self.secondary(None),
            "sso_required" => {
                let mut r = self.error(
                    StatusCode::FORBIDDEN,
                    "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.",
                );
                let url = format!(
                    "required; url=https://github.com/orgs/{}/sso?authorization_request=AZSIM",
                    self.org.login()
                );
                respond::set_header(&mut r, "x-github-sso", &url);
                r
            }
            "graphql_forbidden" => {
                graphql_error(Some("FORBIDDEN"), "Resource protected by organization SAML enforcement.")
            }
            "graphql_timeout" => graphql_error(
                None,
                "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `D84A:2DE4CB` when reporting this issue.",
            ),
            _ => self.error(StatusCode::INTERNAL_SERVER_ERROR, name),
        }
    }

    fn truncated_json(&self) -> &'static str {
        r#"{"data":{"organization":{"membersWithRole":{"pageInfo":{"hasNextPage":tr"#
    }
}

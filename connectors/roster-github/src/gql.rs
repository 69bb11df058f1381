//! The GraphQL queries, cursor paging inside the body, and GraphQL errors (a 200 with an
//! `errors` array) classified.

use roster_core::ConnectorError;
use serde_json::{Value, json};

use crate::api::Api;
use crate::errors::{self, MEMBERS_READ, READ_ORG};

/// Members with their role on the edge, and the GraphQL budget.
pub(crate) const MEMBERS: &str = "query($login:String!,$first:Int!,$cursor:String){organization(login:$login){membersWithRole(first:$first,after:$cursor){pageInfo{hasNextPage endCursor} edges{role hasTwoFactorEnabled node{databaseId login name email}}}} rateLimit{remaining resetAt}}";
/// The organization's SAML identities (`null` provider: no SAML at the organization).
pub(crate) const SAML: &str = "query($login:String!,$first:Int!,$cursor:String){organization(login:$login){samlIdentityProvider{externalIdentities(first:$first,after:$cursor){pageInfo{hasNextPage endCursor} edges{node{samlIdentity{nameId} user{login}}}}}}}";

/// A GraphQL error: its `type` and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GqlError {
    pub kind: String,
    pub message: String,
}

impl GqlError {
    fn first(body: &Value) -> Option<GqlError> {
        let e = body["errors"].as_array()?.first()?;
        let text = |k: &str| e[k].as_str().unwrap_or_default().chars().take(200).collect::<String>();
        Some(GqlError { kind: text("type"), message: text("message") })
    }

    /// What the error means for `what` (`membersWithRole`) of `org`.
    pub(crate) fn into_error(self, what: &str, org: &str) -> ConnectorError {
        let message = format!("graphql {what}: github answered {} ({})", self.kind, self.message);
        match self.kind.as_str() {
            "NOT_FOUND" => errors::not_visible(message, org),
            "FORBIDDEN" if self.message.contains("SAML") => errors::sso(message, org),
            "FORBIDDEN" => ConnectorError::missing_permission(message, vec![MEMBERS_READ.into()])
                .with_remediation(errors::owner_fix(org)),
            "INSUFFICIENT_SCOPES" => ConnectorError::missing_permission(message, vec![READ_ORG.into()])
                .with_remediation("add the read:org scope to the classic token (GitHub: Settings → Developer settings → Personal access tokens)"),
            _ => ConnectorError::invalid_response(message),
        }
    }
}

/// One page of a connection.
#[derive(Debug)]
pub(crate) enum Page {
    Edges(Vec<Value>),
    /// The connection's parent is `null` (no organization, no SAML provider).
    Absent,
    Error(GqlError),
}

/// Pages through one connection of a query, cursor by cursor.
pub(crate) struct Connection {
    query: &'static str,
    /// Where the connection is in `data`, such as `/data/organization/membersWithRole`.
    pointer: &'static str,
    first: u32,
    after: Option<String>,
    done: bool,
}

impl Connection {
    pub(crate) fn new(query: &'static str, pointer: &'static str, first: u32) -> Self {
        Connection { query, pointer, first, after: None, done: false }
    }

    /// The next page, `None` after the last.
    pub(crate) async fn next(&mut self, api: &Api) -> Result<Option<Page>, ConnectorError> {
        if self.done {
            return Ok(None);
        }
        let vars = json!({"login": api.org, "first": self.first, "cursor": self.after});
        let mut body = match api.graphql(self.query, vars).await? {
            Ok(answer) => answer.body,
            Err(refusal) => return Err(refusal.into_error("POST graphql", &api.org)),
        };
        self.done = true;
        if let Some(e) = GqlError::first(&body) {
            return Ok(Some(Page::Error(e)));
        }
        let Some(conn) = body.pointer_mut(self.pointer).filter(|c| !c.is_null()) else {
            return Ok(Some(Page::Absent));
        };
        let end = conn.pointer("/pageInfo/endCursor").and_then(Value::as_str).map(str::to_owned);
        if conn.pointer("/pageInfo/hasNextPage").and_then(Value::as_bool) == Some(true) {
            if end.is_none() || end == self.after {
                return Err(ConnectorError::invalid_response(format!(
                    "graphql {}: github said there is a next page but gave no new cursor",
                    self.pointer.rsplit('/').next().unwrap_or_default()
                )));
            }
            self.after = end;
            self.done = false;
        }
        Ok(Some(Page::Edges(match conn["edges"].take() {
            Value::Array(edges) => edges,
            _ => Vec::new(),
        })))
    }
}

//! `POST /api/graphql`, without a GraphQL library: it recognises the documented queries by
//! their shape (`organization(login:){membersWithRole(first:,after:)}`,
//! `organization{samlIdentityProvider{externalIdentities(first:,after:)}}`, `rateLimit`),
//! honours `first` and `after` (literals or `$variables`), and answers anything else, and
//! every refusal, with GitHub's error shape in a 200.

use axum::Extension;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::authed::{Authed, gh_error, graphql_answer};

/// A GraphQL error: `{type, path, locations, message}`.
fn error(kind: &str, path: &[&str], message: &str) -> Value {
    json!({"type": kind, "path": path, "locations": [{"line": 1, "column": 1}], "message": message})
}

/// The value of argument `name` of `field(...)` in `query`: a literal, or a `$variable`.
fn arg(query: &str, field: &str, name: &str, vars: &Value) -> Value {
    let Some(start) = query.find(&format!("{field}(")) else {
        return Value::Null;
    };
    let args = &query[start + field.len() + 1..];
    let args = &args[..args.find(')').unwrap_or(args.len())];
    for (key, value) in args.split(',').filter_map(|a| a.split_once(':')) {
        if key.trim() == name {
            let value = value.trim();
            return match value.strip_prefix('$') {
                Some(var) => vars[var].clone(),
                None => serde_json::from_str(value).unwrap_or(Value::Null),
            };
        }
    }
    Value::Null
}

fn cursor(offset: usize) -> String {
    STANDARD.encode(format!("cursor:v2:{offset}"))
}

fn offset(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(cursor).ok()?).ok()?;
    text.strip_prefix("cursor:v2:")?.parse().ok()
}

/// One page of `field`'s connection over `items`, or the error of bad paging arguments.
fn connection(
    query: &str,
    field: &str,
    path: &[&str],
    vars: &Value,
    items: &[Value],
) -> Result<Value, Value> {
    let first = match arg(query, field, "first", vars) {
        Value::Null => {
            let m = format!(
                "You must provide a `first` or `last` value to properly paginate the `{field}` connection."
            );
            return Err(error("MISSING_PAGINATION_BOUNDARIES", path, &m));
        }
        v => v.as_u64().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            let m = format!(
                "Requesting {v} records on the `{field}` connection exceeds the `first` limit of 100 records."
            );
            error("EXCESSIVE_PAGINATION", path, &m)
        })? as usize,
    };
    let start = match arg(query, field, "after", vars) {
        Value::Null => 0,
        Value::String(c) => offset(&c).ok_or_else(|| {
            error("INVALID_CURSOR_ARGUMENTS", path, &format!("`{c}` does not appear to be a valid cursor."))
        })?,
        other => {
            return Err(error(
                "INVALID_CURSOR_ARGUMENTS",
                path,
                &format!("`{other}` does not appear to be a valid cursor."),
            ));
        }
    };
    let end = (start + first).min(items.len());
    let edges = items.get(start.min(end)..end).unwrap_or_default();
    Ok(
        json!({"totalCount": items.len(), "pageInfo": {"hasNextPage": end < items.len(), "endCursor": (end > start).then(|| cursor(end))}, "edges": edges}),
    )
}

fn has_read_org(authed: &Authed) -> bool {
    authed.token.scopes.iter().any(|s| s == "read:org" || s == "admin:org")
}

fn insufficient_scopes(authed: &Authed, field: &str) -> Value {
    let m = format!(
        "Your token has not been granted the required scopes to execute this query. The '{field}' field requires one of the following scopes: ['read:org'], but your token has only been granted the: {:?} scopes. Please modify your token's scopes at: https://github.com/settings/tokens.",
        authed.token.scopes
    );
    error("INSUFFICIENT_SCOPES", &[], &m)
}

/// `organization(login:)` with one of the two connections.
fn organization(authed: &Authed, query: &str, vars: &Value) -> Result<Value, Value> {
    let login = arg(query, "organization", "login", vars);
    let login = login.as_str().unwrap_or_default();
    let st = authed.org.lock();
    if !login.eq_ignore_ascii_case(&st.spec.login) {
        let m = format!("Could not resolve to an Organization with the login of '{login}'.");
        return Err(error("NOT_FOUND", &["organization"], &m));
    }
    if query.contains("membersWithRole") {
        if !has_read_org(authed) {
            return Err(insufficient_scopes(authed, "membersWithRole"));
        }
        let path = ["organization", "membersWithRole"];
        return Ok(
            json!({"membersWithRole": connection(query, "membersWithRole", &path, vars, &st.data.members)?}),
        );
    }
    if query.contains("externalIdentities") {
        // Visible to owners' tokens with read:org; null without SAML at the organization.
        if !st.spec.saml || !authed.token.owner {
            return Ok(json!({"samlIdentityProvider": null}));
        }
        if !has_read_org(authed) {
            return Err(insufficient_scopes(authed, "samlIdentityProvider"));
        }
        let path = ["organization", "samlIdentityProvider", "externalIdentities"];
        let conn = connection(query, "externalIdentities", &path, vars, &st.data.identities)?;
        return Ok(json!({"samlIdentityProvider": {"externalIdentities": conn}}));
    }
    Err(json!({"path": ["query", "organization"], "locations": [{"line": 1, "column": 1}],
        "message": "Field selection on `Organization` is not supported by this simulator",
        "extensions": {"code": "undefinedField", "typeName": "Organization"}}))
}

/// The GraphQL budget as `rateLimit` reports it (the headers are authoritative).
fn rate_limit(authed: &Authed) -> Value {
    let limit = authed.org.settings().primary.map_or(5000, |p| p.graphql);
    let used = (authed.org.stats().path("/api/graphql") as u32).min(limit);
    let reset = chrono::Utc::now() + chrono::Duration::hours(1);
    json!({"limit": limit, "cost": 1, "remaining": limit - used, "used": used, "resetAt": reset.format("%Y-%m-%dT%H:%M:%SZ").to_string()})
}

pub(crate) async fn graphql(Extension(authed): Extension<Authed>, body: Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return gh_error(StatusCode::BAD_REQUEST, "Problems parsing JSON", "https://docs.github.com/graphql");
    };
    let query = request["query"].as_str().unwrap_or_default();
    let vars = &request["variables"];
    let mut data = Map::new();
    let mut errors = Vec::new();
    if query.contains("organization(") {
        match organization(&authed, query, vars) {
            Ok(org) => data.insert("organization".into(), org),
            Err(e) => {
                errors.push(e);
                data.insert("organization".into(), Value::Null)
            }
        };
    }
    if query.contains("rateLimit") {
        data.insert("rateLimit".into(), rate_limit(&authed));
    }
    if data.is_empty() {
        let m = "Parse error on \"query\": this simulator answers organization and rateLimit queries only";
        return graphql_answer(&json!({"errors": [{"message": m, "locations": [{"line": 1, "column": 1}]}]}));
    }
    let mut answer = json!({"data": data});
    if !errors.is_empty() {
        answer["errors"] = Value::Array(errors);
    }
    graphql_answer(&answer)
}

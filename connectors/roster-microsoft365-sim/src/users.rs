//! `GET /v1.0/users`: `$select`, `$top` (1 to 999; capped or refused above the sign-in
//! activity limit), the premium and permission refusals of `signInActivity`, and opaque
//! `$skiptoken`s in full-URL `@odata.nextLink`s.

use axum::Extension;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::authed::{Authed, READ_USERS};
use crate::odata::{self, OData, bad_request, project, selects};
use crate::responses::json_response;
use crate::spec::SignInTop;

pub(crate) async fn list(Extension(a): Extension<Authed>, RawQuery(query): RawQuery) -> Response {
    if let Some(r) = a.require(&READ_USERS) {
        return r;
    }
    let q = OData::parse(query);
    let (offset, select) = match q.get("$skiptoken") {
        Some(t) => match odata::read_skiptoken(t) {
            Some(cursor) => cursor,
            None => {
                let message = "The specified page token value has expired or is invalid.";
                return bad_request("Request_BadRequest", message);
            }
        },
        None => match q.user_select() {
            Ok(select) => (0, select),
            Err(r) => return *r,
        },
    };
    let mut top = 100;
    if let Some(t) = q.get("$top") {
        match t.parse::<usize>() {
            Ok(n) if (1..=999).contains(&n) => top = n,
            _ => {
                let message =
                    format!("Invalid page size specified: '{t}'. Must be between 1 and 999 inclusive.");
                return bad_request("Request_UnsupportedQuery", &message);
            }
        }
    }
    let select = select.as_deref();
    if selects(select, "signInActivity") {
        if let Some(r) = a.sign_in_refusal() {
            return r;
        }
        match a.tenant.lock().settings.signin_top {
            SignInTop::Cap(n) => top = top.min(n),
            SignInTop::Refuse(n) if top > n => {
                return bad_request(
                    "BadRequest",
                    &format!("Cannot query data for more than {n} users at a time."),
                );
            }
            SignInTop::Refuse(_) => {}
        }
    }
    let origin = a.tenant.inner.origin.clone();
    let st = a.tenant.lock();
    let source = st.lagged.as_ref().unwrap_or(&st.users);
    let end = (offset + top).min(source.len());
    let value: Vec<Value> =
        source.get(offset..end).unwrap_or_default().iter().map(|u| project(u, select)).collect();
    let mut page = json!({"@odata.context": odata::context(&origin, select), "value": value});
    if end < source.len() {
        let token = odata::skiptoken(end, select);
        let mut pairs = vec![("$top", top.to_string()), ("$skiptoken", token)];
        if let Some(s) = select {
            pairs.insert(0, ("$select", s.join(",")));
        }
        page["@odata.nextLink"] = json!(odata::link(&origin, "/v1.0/users", &pairs));
    }
    json_response(StatusCode::OK, &page)
}

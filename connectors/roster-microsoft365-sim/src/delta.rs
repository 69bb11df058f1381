//! `GET /v1.0/users/delta`: rounds of pages linked by `@odata.nextLink` and ended by an
//! `@odata.deltaLink`; `$deltatoken=latest`; `@removed` entries; `signInActivity`, `$top`,
//! `$orderby` and `$expand` refused; expired delta tokens answered as the tenant's setting
//! says.

use std::sync::Arc;

use axum::Extension;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::respond;
use serde_json::{Value, json};

use crate::authed::{Authed, READ_USERS};
use crate::odata::{self, OData, bad_request, project, selects};
use crate::responses::{graph_error, json_response};
use crate::spec::DeltaExpiry;
use crate::tenant::{Cursor, DeltaToken, EntraTenant, TenantState};

const PATH: &str = "/v1.0/users/delta";

pub(crate) async fn delta(Extension(a): Extension<Authed>, RawQuery(query): RawQuery) -> Response {
    if let Some(r) = a.require(&READ_USERS) {
        return r;
    }
    let q = OData::parse(query);
    if let Some(option) = ["$top", "$orderby", "$expand"].into_iter().find(|o| q.get(o).is_some()) {
        return bad_request(
            "BadRequest",
            &format!("Invalid request for delta query: {option} is not supported."),
        );
    }
    let origin = a.tenant.inner.origin.clone();
    if let Some(token) = q.get("$skiptoken") {
        let cursor = a.tenant.lock().cursors.get(token).cloned();
        return match cursor {
            Some(Cursor { entries, offset, generation, select }) => {
                page(&mut a.tenant.lock(), &origin, entries, offset, generation, select)
            }
            _ => {
                bad_request("Request_BadRequest", "The specified page token value has expired or is invalid.")
            }
        };
    }
    let select = match q.user_select() {
        Ok(s) => s,
        Err(r) => return *r,
    };
    if selects(select.as_deref(), "signInActivity") {
        let message = "Invalid request for delta query: for this entity set, $expand/$select is not supported for the following properties: signInActivity";
        return bad_request("BadRequest", message);
    }
    let mut st = a.tenant.lock();
    let generation = st.generation;
    let since = match q.get("$deltatoken") {
        None | Some("") => None,
        Some(t) if t.eq_ignore_ascii_case("latest") => {
            return page(&mut st, &origin, Arc::new(Vec::new()), 0, generation, select);
        }
        Some(t) => match st.delta_tokens.get(t) {
            Some(d) if !d.expired => Some(d.clone()),
            _ => {
                drop(st);
                return expired(&a.tenant);
            }
        },
    };
    let (entries, select) = match since {
        None => (st.users.iter().map(|u| project(u, select.as_deref())).collect(), select),
        Some(d) => (changes(&st, d.generation, d.select.as_deref()), d.select),
    };
    page(&mut st, &origin, Arc::new(entries), 0, generation, select)
}

/// Users changed after `since` (all selected properties) and users removed after it, in
/// the order of their changes.
fn changes(st: &TenantState, since: u64, select: Option<&[String]>) -> Vec<Value> {
    let mut all: Vec<(u64, Value)> = st
        .users
        .iter()
        .filter_map(|u| {
            let g = *st.changed.get(u["id"].as_str().unwrap_or_default())?;
            (g > since).then(|| (g, project(u, select)))
        })
        .collect();
    all.extend(
        st.removed
            .iter()
            .filter(|(_, g, _)| *g > since)
            .map(|(id, g, why)| (*g, json!({"id": id, "@removed": {"reason": why}}))),
    );
    all.sort_by_key(|(g, _)| *g);
    all.into_iter().map(|(_, v)| v).collect()
}

/// One page of a round: a next link while entries remain, else the delta link.
fn page(
    st: &mut TenantState,
    origin: &str,
    entries: Arc<Vec<Value>>,
    offset: usize,
    generation: u64,
    select: Option<Vec<String>>,
) -> Response {
    let end = (offset + st.settings.delta_page_size.max(1)).min(entries.len());
    let value = entries.get(offset..end).unwrap_or_default().to_vec();
    let mut body = json!({"@odata.context": odata::context(origin, select.as_deref()), "value": value});
    let token = odata::token();
    if end < entries.len() {
        body["@odata.nextLink"] = json!(odata::link(origin, PATH, &[("$skiptoken", token.clone())]));
        st.cursors.insert(token, Cursor { entries, offset: end, generation, select });
    } else {
        st.cursors.retain(|_, c| !Arc::ptr_eq(&c.entries, &entries));
        body["@odata.deltaLink"] = json!(odata::link(origin, PATH, &[("$deltatoken", token.clone())]));
        st.delta_tokens.insert(token, DeltaToken { generation, select, expired: false });
    }
    json_response(StatusCode::OK, &body)
}

/// The answer to an expired (or unknown) delta token.
pub(crate) fn expired(tenant: &EntraTenant) -> Response {
    let (status, code, message) = match tenant.lock().settings.delta_expiry {
        DeltaExpiry::SyncStateNotFound => (
            StatusCode::GONE,
            "syncStateNotFound",
            "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
        ),
        DeltaExpiry::ResyncRequired => (
            StatusCode::GONE,
            "resyncRequired",
            "The delta token is no longer valid, and the app must reset the sync state.",
        ),
        DeltaExpiry::BadRequest => {
            (StatusCode::BAD_REQUEST, "syncStateNotFound", "The sync state generation is not found.")
        }
    };
    let mut r = graph_error(status, code, message);
    if status == StatusCode::GONE {
        let location = format!("{}{PATH}?$deltatoken=", tenant.inner.origin);
        respond::set_header(&mut r, "location", &location);
    }
    r
}

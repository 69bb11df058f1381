//! The `/v2` endpoints. The gate has authenticated the request and put [`Authed`] into
//! its extensions.

use std::time::Instant;

use axum::Extension;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::authed::Authed;
use crate::paging::{self, ListQuery};
use crate::responses::{json_response, zoom_error};
use crate::scopes::{self, Requirement};

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// 400 code 4711 naming the granular scopes the endpoint accepts, as Zoom words it.
pub(crate) fn missing_scope(authed: &Authed, needs: Requirement) -> Option<Response> {
    if needs.satisfied_by(&authed.scopes) {
        return None;
    }
    let message = format!("Invalid access token, does not contain scopes:[{}].", needs.granular.join(", "));
    Some(zoom_error(StatusCode::BAD_REQUEST, 4711, &message))
}

/// `GET /v2/users?status=&page_size=&next_page_token=&role_id=`.
pub(crate) async fn list_users(Extension(authed): Extension<Authed>, query: Pairs) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::LIST_USERS) {
        return r;
    }
    let Ok(Query(pairs)) = query else {
        return zoom_error(StatusCode::BAD_REQUEST, 300, "Invalid query string.");
    };
    let q = match ListQuery::parse(&pairs) {
        Ok(q) => q,
        Err(message) => return zoom_error(StatusCode::BAD_REQUEST, 300, &message),
    };
    let mut guard = authed.account.lock();
    let st = &mut *guard;
    match paging::page(&st.users, &q, &st.settings.paging, &mut st.pages, Instant::now()) {
        Ok(page) => json_response(StatusCode::OK, &page),
        Err(message) => zoom_error(StatusCode::BAD_REQUEST, 300, message),
    }
}

/// `GET /v2/roles`: not paginated; `total_members` counted from the users.
pub(crate) async fn list_roles(Extension(authed): Extension<Authed>) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::LIST_ROLES) {
        return r;
    }
    let st = authed.account.lock();
    let roles: Vec<Value> = st
        .roles
        .iter()
        .map(|role| {
            let members = st.users.iter().filter(|u| u["role_id"] == role["id"]).count();
            let mut role = role.clone();
            if let Some(obj) = role.as_object_mut() {
                obj.insert("total_members".into(), json!(members));
            }
            role
        })
        .collect();
    json_response(StatusCode::OK, &json!({ "total_records": roles.len(), "roles": roles }))
}

/// `GET /v2/accounts/{accountId}/plans/usage` (`me` or the account's own id).
pub(crate) async fn plan_usage(
    Extension(authed): Extension<Authed>,
    Path(account_id): Path<String>,
) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::PLAN_USAGE) {
        return r;
    }
    if account_id != "me" && account_id != authed.account.inner.account_id {
        return zoom_error(StatusCode::BAD_REQUEST, 200, "No permission.");
    }
    let st = authed.account.lock();
    let plan = &st.settings.plan;
    if !plan.paid {
        return zoom_error(StatusCode::BAD_REQUEST, 200, "Only available for paid account.");
    }
    let licensed =
        |status: &str| st.users.iter().filter(|u| u["type"] == 2 && u["status"] == status).count() as u64;
    let usage = licensed("active") + licensed("inactive");
    let pending = licensed("pending");
    let hosts = if plan.hosts > 0 { plan.hosts } else { ((usage + pending) * 11).div_ceil(10) };
    let base = if plan.base_as_array {
        json!([{ "type": plan.base_type, "hosts": hosts, "active_hosts": usage, "pending": pending }])
    } else {
        json!({ "type": plan.base_type, "hosts": hosts, "usage": usage, "pending": pending })
    };
    json_response(
        StatusCode::OK,
        &json!({
            "plan_base": base,
            "plan_recording": {
                "free_storage": "5 GB", "free_storage_usage": "1.23 GB",
                "plan_storage": "", "plan_storage_usage": "", "plan_storage_exceed": "", "type": ""
            },
        }),
    )
}

/// Any other path.
pub(crate) async fn not_found() -> Response {
    zoom_error(StatusCode::NOT_FOUND, 2300, "This API endpoint is not recognized.")
}

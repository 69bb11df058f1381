//! One user, by id or email (Zoom's `userId` is either): `GET /v2/users/{userId}`, and the
//! writes `PUT .../status`, `PATCH` (the license `type`) and `DELETE` (disassociate or
//! delete). Every write shows at once in the listings, roles and plan usage, which are
//! computed from the users.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::respond;
use serde_json::Value;

use crate::authed::Authed;
use crate::handlers::missing_scope;
use crate::responses::{invite_not_exist, json_response, user_not_found, zoom_error};
use crate::scopes;
use crate::zoom_account::matches_key;

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

fn bad(code: u32, message: &str) -> Response {
    zoom_error(StatusCode::BAD_REQUEST, code, message)
}

/// A JSON body, or a form body read as one (Zoom's reference shows forms).
fn body_of(bytes: &[u8]) -> Option<Value> {
    if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
        return v.is_object().then_some(v);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let pairs = respond::params(text);
    (!pairs.is_empty()).then(|| pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

/// `GET /v2/users/{userId}`: the user with its `role_name`.
pub(crate) async fn get_user(Extension(authed): Extension<Authed>, Path(key): Path<String>) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::READ_USER) {
        return r;
    }
    let st = authed.account.lock();
    let Some(user) = st.users.iter().find(|u| matches_key(u, &key)) else {
        return user_not_found(&key);
    };
    if user["status"] == "pending" && st.settings.writes.pending_unreadable {
        return invite_not_exist();
    }
    let mut user = user.clone();
    let role_name = st.roles.iter().find(|r| r["id"] == user["role_id"]).map(|r| r["name"].clone());
    if let (Some(obj), Some(name)) = (user.as_object_mut(), role_name) {
        obj.insert("role_name".into(), name);
    }
    json_response(StatusCode::OK, &user)
}

/// `PUT /v2/users/{userId}/status` `{"action": "deactivate" | "activate"}`: 204.
pub(crate) async fn update_status(
    Extension(authed): Extension<Authed>,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::UPDATE_STATUS) {
        return r;
    }
    let target = match body_of(&body).as_ref().and_then(|b| b["action"].as_str()) {
        Some("deactivate") => "inactive",
        Some("activate") => "active",
        _ => return bad(300, "Invalid field: action."),
    };
    let mut st = authed.account.lock();
    let writes = st.settings.writes.clone();
    let Some(user) = st.users.iter_mut().find(|u| matches_key(u, &key)) else {
        return user_not_found(&key);
    };
    if user["status"] == "pending" {
        return invite_not_exist();
    }
    if user["role_id"] != "2" {
        return bad(200, "Zoom Room and Admin users' status can not be activated or deactivated.");
    }
    if user["status"] == target && writes.repeat_status_refused {
        return bad(300, &format!("The user is already {target}."));
    }
    user["status"] = Value::from(target);
    if target == "inactive" && writes.deactivate_drops_license && user["type"] == 2 {
        user["type"] = Value::from(1);
    }
    respond::empty(StatusCode::NO_CONTENT)
}

/// `PATCH /v2/users/{userId}` `{"type": 1 | 2 | 4}`: 204; Licensed needs a free seat.
pub(crate) async fn update_user(
    Extension(authed): Extension<Authed>,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::UPDATE_USER) {
        return r;
    }
    let Some(body) = body_of(&body) else {
        return bad(300, "Request Body should be a valid JSON object.");
    };
    let mut guard = authed.account.lock();
    let st = &mut *guard;
    let Some(index) = st.users.iter().position(|u| matches_key(u, &key)) else {
        return user_not_found(&key);
    };
    if st.users[index]["status"] == "pending" {
        return invite_not_exist();
    }
    let Some(kind) = body.get("type") else {
        return respond::empty(StatusCode::NO_CONTENT);
    };
    if !matches!(kind.as_u64(), Some(1 | 2 | 4)) {
        return bad(300, "Invalid field: type.");
    }
    let hosts = st.settings.plan.hosts;
    let paid = st.users.iter().filter(|u| u["type"] == 2 && u["status"] != "pending").count() as u64;
    if kind == 2 && st.users[index]["type"] != 2 && hosts > 0 && paid >= hosts {
        return bad(200, &format!("You can add max {hosts} paid users."));
    }
    st.users[index]["type"] = kind.clone();
    respond::empty(StatusCode::NO_CONTENT)
}

/// `DELETE /v2/users/{userId}?action=disassociate|delete`: 204. A pending user is removed
/// by email with `disassociate`.
pub(crate) async fn delete_user(
    Extension(authed): Extension<Authed>,
    Path(key): Path<String>,
    query: Pairs,
) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::DELETE_USER) {
        return r;
    }
    let pairs = query.map(|Query(p)| p).unwrap_or_default();
    let param = |k: &str| pairs.iter().find(|(name, _)| name == k).map(|(_, v)| v.as_str());
    let action = param("action").unwrap_or("disassociate");
    if action != "disassociate" && action != "delete" {
        return bad(300, "Invalid field: action.");
    }
    let mut st = authed.account.lock();
    let managed = st.settings.writes.managed_domains.clone();
    let Some(index) = st.users.iter().position(|u| matches_key(u, &key)) else {
        return user_not_found(&key);
    };
    let user = &st.users[index];
    let email = user["email"].as_str().unwrap_or_default().to_ascii_lowercase();
    let transfers = ["transfer_meeting", "transfer_webinar", "transfer_recording", "transfer_whiteboard"];
    let transfer_to = param("transfer_email");
    if transfers.iter().any(|t| param(t) == Some("true")) && transfer_to.is_none() {
        return bad(300, "transfer_email is required when a transfer option is set.");
    }
    if transfer_to.is_some_and(|t| t.eq_ignore_ascii_case(&email)) {
        return bad(
            300,
            "The transfer-to email address cannot be the same as the unlinked or deleted user's email address.",
        );
    }
    if user["role_id"] == "0" {
        return bad(200, "Cannot delete the account owner.");
    }
    if user["status"] == "pending" && action == "delete" {
        return invite_not_exist();
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if action == "disassociate" && managed.iter().any(|m| m.eq_ignore_ascii_case(domain)) {
        return bad(1107, "Can not disassociate the user with managed domain.");
    }
    st.users.remove(index);
    respond::empty(StatusCode::NO_CONTENT)
}

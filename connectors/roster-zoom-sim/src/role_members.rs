//! A role's members: `POST /v2/roles/{roleId}/members` assigns (a user holds one role, so
//! it replaces theirs) and `DELETE /v2/roles/{roleId}/members/{memberId}` withdraws (the
//! user falls back to Member). `total_members` in `GET /v2/roles` follows at once.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use roster_sim_kit::respond;
use serde_json::{Value, json};

use crate::authed::Authed;
use crate::handlers::missing_scope;
use crate::responses::{json_response, user_not_found, zoom_error};
use crate::scopes;
use crate::timefmt::zoom_time;
use crate::zoom_account::{ZoomAccountState, matches_key};

/// At most this many members per request [DOC-MIRROR api-5366100].
const MAX_MEMBERS: usize = 30;
const MEMBER_ROLE: &str = "2";

fn bad(code: u32, message: &str) -> Response {
    zoom_error(StatusCode::BAD_REQUEST, code, message)
}

/// 1034 for a role the account does not have; 300 for Owner and Member, whose members
/// are not added or removed this way.
fn role_refusal(st: &ZoomAccountState, role_id: &str) -> Option<Response> {
    if !st.roles.iter().any(|r| r["id"] == role_id) {
        return Some(bad(1034, "Provided role_id does not exist."));
    }
    (role_id == "0" || role_id == MEMBER_ROLE)
        .then(|| bad(300, "Can't delete or add members for Normal/Owner roles."))
}

/// `{"members": [{"id"} | {"email"}]}` (`id` wins): 201 `{"ids", "add_at"}`. Unknown,
/// pending and owner users are skipped without an error \[INFERRED\].
pub(crate) async fn assign(
    Extension(authed): Extension<Authed>,
    Path(role_id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::ASSIGN_ROLE) {
        return r;
    }
    let mut st = authed.account.lock();
    if let Some(r) = role_refusal(&st, &role_id) {
        return r;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let members = body["members"].as_array().cloned().unwrap_or_default();
    if members.is_empty() || members.len() > MAX_MEMBERS {
        return bad(300, &format!("members must list between 1 and {MAX_MEMBERS} users."));
    }
    let mut ids = Vec::new();
    for member in &members {
        let Some(key) = member["id"].as_str().or_else(|| member["email"].as_str()) else { continue };
        let found = st.users.iter_mut().find(|u| matches_key(u, key) && u["status"] != "pending");
        if let Some(user) = found.filter(|u| u["role_id"] != "0") {
            user["role_id"] = Value::from(role_id.as_str());
            ids.extend(user["id"].as_str().map(str::to_owned));
        }
    }
    let answer = json!({ "ids": ids.join(","), "add_at": zoom_time(Utc::now().timestamp()) });
    json_response(StatusCode::CREATED, &answer)
}

/// 204; the user is a Member again. A user not in the role is 404 code 1001 (400 code 300
/// with `not_in_role_is_400`).
pub(crate) async fn unassign(
    Extension(authed): Extension<Authed>,
    Path((role_id, member_id)): Path<(String, String)>,
) -> Response {
    if let Some(r) = missing_scope(&authed, scopes::UNASSIGN_ROLE) {
        return r;
    }
    let mut st = authed.account.lock();
    if let Some(r) = role_refusal(&st, &role_id) {
        return r;
    }
    let as_400 = st.settings.writes.not_in_role_is_400;
    match st.users.iter_mut().find(|u| u["id"] == member_id.as_str() && u["role_id"] == role_id.as_str()) {
        Some(user) => {
            user["role_id"] = Value::from(MEMBER_ROLE);
            respond::empty(StatusCode::NO_CONTENT)
        }
        None if as_400 => bad(300, "The user is not a member of this role."),
        None => user_not_found(&member_id),
    }
}

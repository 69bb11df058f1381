//! The collaborator writes: `PUT /api/members/:id` (roles per environment) and
//! `DELETE /api/members/:id` (a hard delete), each behind its client-role privilege.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::respond;
use serde_json::{Value, json};

use crate::env_roles;
use crate::handlers::{bad_request, member_id, not_found_for, refusal};
use crate::responses::json_response;
use crate::workspace::Workspace;

/// The legacy system role of the workspace owner, who cannot be removed \[INFERRED\].
const OWNER_ROLE: &str = "Team Owner";

/// `PUT /api/members/:id` `{"env_roles": [...]}`: `200 {"data": <collaborator>}`, or
/// `{"result":"ok"}` with `put_answers_result_ok`.
pub(crate) async fn update_member(
    Extension(ws): Extension<Workspace>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let settings = ws.settings();
    if let Some(r) = refusal(&settings, settings.client_role.update_collaborator_roles, true) {
        return r;
    }
    let Some(id) = member_id(path).filter(|id| ws.member_json(*id).is_some()) else {
        return not_found_for(&ws);
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("Invalid JSON in the request body");
    };
    let model = ws.inner.role_model;
    let roles = match env_roles::parse(&body, model, &settings.writes) {
        Ok(roles) => roles,
        Err(text) => return bad_request(&text),
    };
    if !ws.update_member(id, |m| env_roles::apply(m, &roles, model, &settings.writes)) {
        return not_found_for(&ws);
    }
    ws.count("roles_updated");
    let answer = match ws.member_json(id) {
        Some(_) if settings.writes.put_answers_result_ok => json!({"result": "ok"}),
        Some(member) => json!({ "data": member }),
        None => return not_found_for(&ws),
    };
    json_response(StatusCode::OK, &answer)
}

/// `DELETE /api/members/:id`: `204`, or `200 {}` with `delete_answers_200`; the owner is
/// refused with 400.
pub(crate) async fn delete_member(
    Extension(ws): Extension<Workspace>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let settings = ws.settings();
    let offered = settings.client_role.delete_collaborators && !settings.writes.delete_endpoint_unavailable;
    if let Some(r) = refusal(&settings, offered, true) {
        return r;
    }
    let Some((id, member)) = member_id(path).and_then(|id| ws.member_json(id).map(|m| (id, m))) else {
        return not_found_for(&ws);
    };
    if is_owner(&member) {
        return bad_request("The workspace owner cannot be removed");
    }
    ws.remove_member(id);
    ws.count("members_deleted");
    if settings.writes.delete_answers_200 {
        json_response(StatusCode::OK, &json!({}))
    } else {
        respond::empty(StatusCode::NO_CONTENT)
    }
}

fn is_owner(member: &Value) -> bool {
    let named = |v: &Value| v.as_str() == Some(OWNER_ROLE);
    named(&member["role_name"])
        || member["roles"].as_array().is_some_and(|l| l.iter().any(|r| named(&r["role_name"])))
}

//! The endpoints. The gate has already authenticated the request and put its [`Workspace`]
//! into the request extensions.

use axum::Extension;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::activity::{self, ActivityQuery};
use crate::privileges::privileges_json;
use roster_sim_kit::respond::status;

use crate::responses::{JSON_CONTENT_TYPE, json_response, message};
use crate::spec::WorkspaceSettings;
use crate::timefmt::rails;
use crate::workspace::Workspace;

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

const DAY: i64 = 86_400;
/// Workspace-level timestamps use Pacific daylight time, like the documented example.
const WORKSPACE_OFFSET_MIN: i32 = -420;

/// Refusal for a missing privilege or a non-dev client, if any.
pub(crate) fn refusal(settings: &WorkspaceSettings, granted: bool, needs_dev: bool) -> Option<Response> {
    let dev = settings.environment.eq_ignore_ascii_case("dev");
    if granted && (dev || !needs_dev) {
        return None;
    }
    let code = status(settings.missing_privilege_status);
    let text = if code == StatusCode::UNAUTHORIZED {
        settings.unauthorized_message.clone()
    } else if !granted {
        "Forbidden: the API client role does not grant this privilege".to_owned()
    } else {
        "Forbidden: API clients require access to the DEV environment".to_owned()
    };
    Some(message(code, &text))
}

pub(crate) fn bad_request(text: &str) -> Response {
    message(StatusCode::BAD_REQUEST, text)
}

pub(crate) fn not_found_for(ws: &Workspace) -> Response {
    message(StatusCode::NOT_FOUND, &ws.settings().not_found_message)
}

/// Parses a member id from the path; `None` for anything that is not one.
pub(crate) fn member_id(path: Result<Path<String>, PathRejection>) -> Option<u64> {
    let Path(raw) = path.ok()?;
    raw.parse().ok()
}

/// `GET /api/users/me`.
pub(crate) async fn users_me(Extension(ws): Extension<Workspace>) -> Response {
    let settings = ws.settings();
    if let Some(r) = refusal(&settings, settings.client_role.workspace_details, true) {
        return r;
    }
    let inner = &ws.inner;
    let anchor = inner.anchor_secs;
    let at = |secs: i64, ms: u32| rails(secs, ms, WORKSPACE_OFFSET_MIN);
    let recipes = 20 + (inner.id * 7) % 80;
    let billing_start = anchor - 10 * DAY - 4 * 3600;
    json_response(
        StatusCode::OK,
        &json!({
            "id": inner.id,
            "name": inner.name,
            "created_at": at(anchor - (1000 + (inner.id % 300) as i64) * DAY, 886),
            "plan_id": inner.plan_id,
            "current_billing_period_start": at(billing_start, 372),
            "current_billing_period_end": at(billing_start + 30 * DAY, 372),
            "expert": false,
            "avatar_url": "https://workato-assets.s3.amazonaws.com/profiles/avatars/000/089/005/large/logo.png?1562399288",
            "recipes_count": recipes,
            "interested_applications": [],
            "company_name": null,
            "location": null,
            "last_seen": at(anchor - 3 * 3600, 329),
            "contact_phone": null,
            "contact_email": null,
            "about_me": null,
            "email": inner.email,
            "phone": "xxxxxxxxxx",
            "active_recipes_count": recipes / 3,
            "root_folder_id": ws.root_folder_id(),
        }),
    )
}

/// `GET /api/members[?email=]`: the whole list, streamed.
pub(crate) async fn list_members(Extension(ws): Extension<Workspace>, query: Pairs) -> Response {
    let settings = ws.settings();
    if let Some(r) = refusal(&settings, settings.client_role.collaborators, true) {
        return r;
    }
    let Ok(Query(pairs)) = query else {
        return bad_request("invalid query string");
    };
    let email = pairs.into_iter().find(|(k, _)| k == "email").map(|(_, v)| v);
    let (store, ctx) = ws.member_snapshot();
    let body = Body::from_stream(crate::body::members_stream(store, ctx, email));
    (StatusCode::OK, [(header::CONTENT_TYPE, JSON_CONTENT_TYPE)], body).into_response()
}

/// `GET /api/members/:id`: bare, or `{"data":{..}}` with `wrap_single_member`.
pub(crate) async fn get_member(
    Extension(ws): Extension<Workspace>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let settings = ws.settings();
    let role = &settings.client_role;
    if let Some(r) = refusal(&settings, role.collaborators && role.get_collaborator, true) {
        return r;
    }
    let Some(member) = member_id(path).and_then(|id| ws.member_json(id)) else {
        return not_found_for(&ws);
    };
    let body = if settings.wrap_single_member { json!({ "data": member }) } else { member };
    json_response(StatusCode::OK, &body)
}

/// `GET /api/members/:id/privileges`.
pub(crate) async fn member_privileges(
    Extension(ws): Extension<Workspace>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let settings = ws.settings();
    if let Some(r) = refusal(&settings, settings.client_role.collaborators, true) {
        return r;
    }
    let Some(member) = member_id(path).and_then(|id| ws.member_json(id)) else {
        return not_found_for(&ws);
    };
    json_response(StatusCode::OK, &privileges_json(&member, ws.root_folder_id()))
}

/// `GET /api/activity_logs`.
pub(crate) async fn activity_logs(Extension(ws): Extension<Workspace>, query: Pairs) -> Response {
    if !ws.settings().audit_log_addon {
        return message(StatusCode::FORBIDDEN, "Activity audit log is not enabled for this workspace");
    }
    let Ok(Query(pairs)) = query else {
        return bad_request("invalid query string");
    };
    let q = match ActivityQuery::parse(&pairs) {
        Ok(q) => q,
        Err(e) => return bad_request(&e),
    };
    // Building the index of a large generated log takes a while: keep it off the reactor.
    let page = tokio::task::spawn_blocking(move || {
        let (ctx, index, extras) = ws.activity_snapshot();
        activity::run(index.as_deref(), &extras, &q, &ctx)
    })
    .await;
    match page {
        Ok(page) => json_response(StatusCode::OK, &page),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error"),
    }
}

/// Any other path.
pub(crate) async fn not_found(ws: Option<Extension<Workspace>>) -> Response {
    match ws {
        Some(Extension(ws)) => not_found_for(&ws),
        None => message(StatusCode::NOT_FOUND, "Not found"),
    }
}

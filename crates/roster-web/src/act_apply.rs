//! Apply, and the result page: the engine carries the action out as `roster act --apply`
//! does (the account file's allow, read before write, verify, audit, then a sync of the
//! account), and the page shows the outcome, the vendor's error with the permissions it
//! needs and what to do, and the sync. Refused while listening beyond loopback.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use maud::html;
use roster_core::ActionKind;
use roster_engine::actions::{Request, act, new_plan_id};

use super::act_view::{self, ACTOR, field, problem, remote_refused, set_pairs};
use super::html::{Nav, layout};
use super::session::Session;
use super::state::AppState;

pub async fn handle(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path((id, action)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = &session.csrf;
    if state.allow_remote {
        return remote_refused(Nav::Accounts, csrf);
    }
    let account = match act_view::account(&state, &id) {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::NOT_FOUND, &id, Nav::Accounts, csrf, &e),
    };
    let Some(kind) = ActionKind::parse(&action) else {
        return problem(StatusCode::NOT_FOUND, &id, Nav::Accounts, csrf, &format!("no action `{action}`"));
    };
    let options = match act_view::sync_options(&state) {
        Ok(o) => o,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &id, Nav::Accounts, csrf, &e),
    };
    let user = field(&fields, "user").unwrap_or_default();
    let pairs = set_pairs(&fields);
    let plan_id = new_plan_id();
    let req = Request {
        account: &account,
        action: kind,
        user,
        args: &pairs,
        apply: true,
        actor: ACTOR,
        plan_id: &plan_id,
        sync_after: Some(&options),
    };
    let report = match act(&state.store, &req).await {
        Ok(r) => r,
        Err(e) => return act_view::act_error(&id, Nav::Accounts, csrf, &e),
    };
    let who = report.email.as_deref().unwrap_or(&report.user_id);
    let action = kind.as_str();
    let body = html! {
        (act_view::heading(&id, action, who))
        div.act-result data-outcome=(report.outcome.map_or("", |o| o.as_str())) { (act_view::report(&report)) }
        p.plan-id.muted { "plan " (report.plan_id) }
        p { a href={ "/accounts/" (id) } { "Back to " (id) } " · " a href="/audit" { "Audit trail" } }
    };
    layout(action, Nav::Accounts, csrf, body, &[]).into_response()
}

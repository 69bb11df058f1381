//! The confirmation page of one action on one user: the engine's dry run (the user read
//! from the vendor just now, before → after, the writes; nothing is sent), the
//! arguments as a form, and an Apply button that posts exactly what was planned.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roster_core::{ActionKind, ActionSpec};
use roster_engine::actions::{ActError, Request, act, new_plan_id};

use super::act_view::{self, ACTOR, REMOTE, argument_fields, field, hidden_args, problem, set_pairs};
use super::html::{Nav, csrf_field, esc, layout};
use super::session::Session;
use super::state::AppState;

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path((id, action)): Path<(String, String)>,
    Query(fields): Query<Vec<(String, String)>>,
) -> Response {
    let csrf = &session.csrf;
    let account = match act_view::account(&state, &id) {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::NOT_FOUND, &id, Nav::Accounts, csrf, &e),
    };
    let Some(spec) =
        ActionKind::parse(&action).and_then(|kind| account.connector.actions.iter().find(|s| s.kind == kind))
    else {
        let message = format!("the {} connector has no action `{action}`", account.connector.id);
        return problem(StatusCode::NOT_FOUND, &id, Nav::Accounts, csrf, &message);
    };
    let user = field(&fields, "user").unwrap_or_default();
    let pairs = set_pairs(&fields);
    let plan_id = new_plan_id();
    let req = Request {
        account: &account,
        action: spec.kind,
        user,
        args: &pairs,
        apply: false,
        actor: ACTOR,
        plan_id: &plan_id,
        sync_after: None,
    };
    let mut who = user.to_owned();
    let (status, outcome) = match act(&state.store, &req).await {
        Ok(report) => {
            who = report.email.clone().unwrap_or(report.user_id.clone());
            let ready = report.error.is_none() && report.plan.as_ref().is_some_and(|p| !p.is_noop());
            let apply = if ready && account.allowed_actions.contains(&spec.kind) {
                apply_form(&id, spec, user, &pairs, csrf, state.allow_remote)
            } else {
                String::new()
            };
            (StatusCode::OK, format!("{}{apply}", act_view::report(&report)))
        }
        Err(e @ ActError::Usage(_)) => {
            (StatusCode::BAD_REQUEST, format!(r#"<p class="error">{}</p>"#, esc(&e.to_string())))
        }
        Err(e) => return act_view::act_error(&id, Nav::Accounts, csrf, &e),
    };
    let allowed = if account.allowed_actions.contains(&spec.kind) {
        String::new()
    } else {
        format!(
            r#"<p class="warning not-allowed">the account file does not allow {}: add it to <code>[actions] allow</code> in {} to apply it</p>"#,
            spec.kind,
            esc(&account.file.display().to_string())
        )
    };
    let body = format!(
        r#"<p class="crumbs"><a href="/accounts">Accounts</a> › <a href="/accounts/{id}">{id}</a> › {action}</p>
<h1>{action} <span class="muted">{user}</span></h1>
<p class="about">{summary} · needs: {permission}{undo}</p>
{allowed}{arguments}
<h2>Plan (dry run: nothing was sent)</h2>
{outcome}"#,
        id = esc(&id),
        action = spec.kind,
        user = esc(&who),
        summary = esc(spec.summary),
        permission = esc(spec.permission),
        undo = if spec.reversible {
            ""
        } else {
            r#" · <strong class="irreversible">cannot be undone</strong>"#
        },
        arguments = arguments_form(spec, user, &pairs),
    );
    (status, layout(spec.kind.as_str(), Nav::Accounts, csrf, &body, &[])).into_response()
}

/// The arguments, to plan again with other values (a GET: it only reads).
fn arguments_form(spec: &ActionSpec, user: &str, pairs: &[String]) -> String {
    let fields = argument_fields(spec, pairs);
    if fields.is_empty() {
        return String::new();
    }
    format!(
        r#"<form class="arguments" method="get"><input type="hidden" name="user" value="{}">{fields}<button type="submit">Show the plan</button></form>"#,
        esc(user)
    )
}

/// Apply: posts the user and the planned arguments, with the session's CSRF token.
fn apply_form(id: &str, spec: &ActionSpec, user: &str, pairs: &[String], csrf: &str, remote: bool) -> String {
    let note =
        if remote { format!(r#"<p class="warning remote">{}</p>"#, esc(REMOTE)) } else { String::new() };
    format!(
        r#"{note}<form class="apply" method="post" action="/accounts/{id}/act/{action}">{csrf}<input type="hidden" name="user" value="{user}">{args}<button type="submit" class="danger">Apply</button></form>"#,
        id = esc(id),
        action = spec.kind,
        csrf = csrf_field(csrf),
        user = esc(user),
        args = hidden_args(pairs),
    )
}

//! The confirmation page of one action on one user: the engine's dry run (the user read
//! from the vendor just now, before → after, the writes; nothing is sent), the
//! arguments as a form, and an Apply button that posts exactly what was planned.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use roster_core::{ActionKind, ActionSpec};
use roster_engine::actions::{ActError, Request, act, new_plan_id};

use super::act_view::{self, ACTOR, REMOTE, argument_fields, field, hidden_args, problem, set_pairs};
use super::html::{Nav, csrf_field, layout};
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
            let apply = ready && account.allowed_actions.contains(&spec.kind);
            let shown = html! {
                (act_view::report(&report))
                @if apply { (apply_form(&id, spec, user, &pairs, csrf, state.allow_remote)) }
            };
            (StatusCode::OK, shown)
        }
        Err(e @ ActError::Usage(_)) => (StatusCode::BAD_REQUEST, html! { p.error { (e.to_string()) } }),
        Err(e) => return act_view::act_error(&id, Nav::Accounts, csrf, &e),
    };
    let action = spec.kind.as_str();
    let body = html! {
        (act_view::heading(&id, action, &who))
        p.about {
            (spec.summary) " · needs: " (spec.permission)
            @if !spec.reversible { " · " strong.irreversible { "cannot be undone" } }
        }
        @if !account.allowed_actions.contains(&spec.kind) {
            p.warning.not-allowed {
                "the account file does not allow " (action) ": add it to " code { "[actions] allow" }
                " in " (account.file.display().to_string()) " to apply it"
            }
        }
        (arguments_form(spec, user, &pairs))
        h2 { "Plan (dry run: nothing was sent)" }
        (outcome)
    };
    (status, layout(action, Nav::Accounts, csrf, body, &[])).into_response()
}

/// The arguments, to plan again with other values (a GET: it only reads).
fn arguments_form(spec: &ActionSpec, user: &str, pairs: &[String]) -> Markup {
    let fields = argument_fields(spec, pairs);
    if fields.0.is_empty() {
        return html! {};
    }
    html! {
        form.arguments method="get" {
            input type="hidden" name="user" value=(user);
            (fields)
            button type="submit" { "Show the plan" }
        }
    }
}

/// Apply: posts the user and the planned arguments, with the session's CSRF token.
fn apply_form(id: &str, spec: &ActionSpec, user: &str, pairs: &[String], csrf: &str, remote: bool) -> Markup {
    html! {
        @if remote { p.warning.remote { (REMOTE) } }
        form.apply method="post" action={ "/accounts/" (id) "/act/" (spec.kind.as_str()) } {
            (csrf_field(csrf))
            input type="hidden" name="user" value=(user);
            (hidden_args(pairs))
            button.danger type="submit" { "Apply" }
        }
    }
}

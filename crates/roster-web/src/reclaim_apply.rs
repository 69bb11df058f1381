//! Apply a reclaim plan, and its reports: each user is acted on as `roster reclaim
//! --apply` does (same allow rule, same audit, one plan id, a sync per account written
//! to). Only users both shown in the confirmed plan and still inactive now are acted on;
//! a plan over its cap is refused, and audited so. Refused beyond loopback.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use roster_engine::actions::{ActReport, Candidate, apply_all, new_plan_id, refuse_all};

use super::act_view::{self, ACTOR, problem, remote_refused};
use super::html::{Nav, layout, plural};
use super::reclaim::{item, planned};
use super::session::Session;
use super::state::AppState;

pub async fn handle(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = &session.csrf;
    if state.allow_remote {
        return remote_refused(Nav::Reclaim, csrf);
    }
    let fail = |status, message: &str| problem(status, "Reclaim", Nav::Reclaim, csrf, message);
    let (f, now) = match planned(&state, &fields).await {
        Ok(p) => p,
        Err(e) => return fail(StatusCode::BAD_REQUEST, &e),
    };
    let confirmed: Vec<&str> = fields.iter().filter(|(k, _)| k == "item").map(|(_, v)| v.as_str()).collect();
    let plan: Vec<Candidate> = now.into_iter().filter(|c| confirmed.contains(&item(c).as_str())).collect();
    let plan_id = new_plan_id();
    if plan.len() > f.max {
        let message = format!(
            "the plan has {} users, more than max {}; check it, then raise max to go ahead",
            plan.len(),
            f.max
        );
        return match refuse_all(&state.store, &plan, f.action, &f.set, ACTOR, &plan_id, &message).await {
            Ok(()) => fail(StatusCode::BAD_REQUEST, &message),
            Err(e) => fail(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
    }
    let (accounts, options) = match (f.accounts(&state), act_view::sync_options(&state)) {
        (Ok(a), Ok(o)) => (a, o),
        (Err(e), _) | (_, Err(e)) => return fail(StatusCode::BAD_REQUEST, &e),
    };
    let done =
        match apply_all(&state.store, &accounts, &plan, f.action, &f.set, ACTOR, &plan_id, &options).await {
            Ok(d) => d,
            Err(e) => return act_view::act_error("Reclaim", Nav::Reclaim, csrf, &e),
        };
    let n = done.reports.len();
    let body = html! {
        h1 { "Reclaim: " (f.action.as_str()) }
        p.matched { span #applied { (n) } " user" (plural(n)) " · plan " (plan_id) }
        (table(&done.reports))
        h2 { "Synced afterwards" }
        ul.syncs {
            @for s in &done.syncs {
                li { (s.account) ": " span.sync-outcome { (s.outcome.as_str()) } " (" (s.users) " users)" }
            }
        }
        p { a href="/audit" { "Audit trail" } }
    };
    layout("Reclaim", Nav::Reclaim, csrf, body, &[]).into_response()
}

fn table(reports: &[ActReport]) -> Markup {
    html! {
        table.reports {
            thead { tr { th { "Account" } th { "User" } th { "Email" } th { "Outcome" } th { "Detail" } } }
            tbody {
                @for r in reports {
                    @let outcome = r.outcome.map_or("", |o| o.as_str());
                    tr {
                        td { (r.account) }
                        td.user { (r.user_id) }
                        td.email { (r.email.as_deref().unwrap_or("")) }
                        td { span class={ "outcome " (outcome) } { (outcome) } }
                        td.detail {
                            (r.detail)
                            @if let Some(e) = &r.error {
                                div.fix {
                                    (e.kind) ": " (e.message)
                                    @if !e.permissions.is_empty() { "; needs: " (e.permissions.join(", ")) }
                                    "; " (e.remediation)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

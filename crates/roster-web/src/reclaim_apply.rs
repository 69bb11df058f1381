//! Apply a reclaim plan, and its reports: each user is acted on as `roster reclaim
//! --apply` does (same allow rule, same audit, one plan id, a sync per account written
//! to). Only users both shown in the confirmed plan and still inactive now are acted on;
//! a plan over its cap is refused, and audited so. Refused beyond loopback.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use roster_engine::actions::{ActReport, Candidate, apply_all, new_plan_id, refuse_all};

use super::act_view::{self, ACTOR, problem, remote_refused};
use super::html::{Nav, esc, layout};
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
    let syncs: String = done
        .syncs
        .iter()
        .map(|s| {
            format!(
                r#"<li>{}: <span class="sync-outcome">{}</span> ({} users)</li>"#,
                esc(&s.account),
                s.outcome,
                s.users
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Reclaim: {action}</h1>
<p class="matched"><span id="applied">{n}</span> user{s} · plan {plan_id}</p>
{table}
<h2>Synced afterwards</h2><ul class="syncs">{syncs}</ul>
<p><a href="/audit">Audit trail</a></p>"#,
        action = f.action,
        n = done.reports.len(),
        s = if done.reports.len() == 1 { "" } else { "s" },
        plan_id = esc(&plan_id),
        table = table(&done.reports),
    );
    layout("Reclaim", Nav::Reclaim, csrf, &body, &[]).into_response()
}

fn table(reports: &[ActReport]) -> String {
    let mut out = String::from(
        r#"<table class="reports"><thead><tr><th>Account</th><th>User</th><th>Email</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>"#,
    );
    for r in reports {
        let error = r
            .error
            .as_ref()
            .map(|e| {
                let needs = if e.permissions.is_empty() {
                    String::new()
                } else {
                    format!("; needs: {}", e.permissions.join(", "))
                };
                format!(
                    r#"<div class="fix">{}: {}{}; {}</div>"#,
                    esc(&e.kind),
                    esc(&e.message),
                    esc(&needs),
                    esc(&e.remediation)
                )
            })
            .unwrap_or_default();
        let outcome = r.outcome.map_or("", |o| o.as_str());
        out.push_str(&format!(
            r#"<tr><td>{}</td><td class="user">{}</td><td class="email">{}</td><td><span class="outcome {outcome}">{outcome}</span></td><td class="detail">{}{error}</td></tr>"#,
            esc(&r.account),
            esc(&r.user_id),
            esc(r.email.as_deref().unwrap_or("")),
            esc(&r.detail),
        ));
    }
    out.push_str("</tbody></table>");
    out
}

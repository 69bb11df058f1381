//! The Audit page: every action applied or refused, newest first, as `roster audit`
//! lists them (at, account, action, user, email, outcome, actor, plan, detail).

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use roster_store::AuditEntry;

use maud::{Markup, html};

use super::html::{Nav, layout};
use super::session::Session;
use super::state::AppState;

pub async fn page(State(state): State<Arc<AppState>>, Extension(session): Extension<Session>) -> Markup {
    let body = match state.store.audit_entries(&[]).await {
        Ok(entries) if entries.is_empty() => html! {
            h1 { "Audit trail" }
            p.empty { "No action has been applied or refused yet." }
        },
        Ok(mut entries) => {
            entries.reverse();
            html! { h1 { "Audit trail" } (table(&entries)) }
        }
        Err(e) => html! { h1 { "Audit trail" } p.error { "the store could not be read: " (e.to_string()) } },
    };
    layout("Audit trail", Nav::Audit, &session.csrf, body, &[])
}

/// The entries in the order given.
pub fn table(entries: &[AuditEntry]) -> Markup {
    html! {
        table.audit {
            thead { tr {
                th { "At" } th { "Account" } th { "Action" } th { "User" } th { "Email" }
                th { "Outcome" } th { "Actor" } th { "Plan" } th { "Detail" }
            } }
            tbody {
                @for e in entries {
                    @let at = roster_core::timestamp(&e.at);
                    tr {
                        td { time datetime=(at) title=(at) { (e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string()) } }
                        td { (e.account) }
                        td.action { (e.action) }
                        td.user { (e.user_id) }
                        td.email { (e.email.as_deref().unwrap_or("")) }
                        td { span class={ "outcome " (e.outcome.as_str()) } { (e.outcome.as_str()) } }
                        td { (e.actor) }
                        td.plan-id { (e.plan_id) }
                        td.detail { (e.detail) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use roster_store::AuditOutcome;
    use serde_json::Value;

    use super::*;

    #[test]
    fn every_field_is_escaped() {
        let evil = |s: &str| format!(r#"<script>{s}</script>" onmouseover="x"#);
        let e = AuditEntry {
            at: chrono::Utc::now(),
            account: evil("a"),
            connector: "workato".into(),
            action: evil("b"),
            user_id: evil("c"),
            email: Some(evil("d")),
            args: Value::Null,
            before: Value::Null,
            after: Value::Null,
            outcome: AuditOutcome::Refused,
            detail: evil("e"),
            actor: evil("f"),
            plan_id: evil("g"),
        };
        let html = table(&[e]).into_string();
        assert!(!html.contains("<script>") && !html.contains("\" onmouseover="), "{html}");
        assert_eq!(html.matches("&lt;script&gt;").count(), 7, "{html}");
        assert!(html.contains(r#"<span class="outcome refused">refused</span>"#));
    }
}

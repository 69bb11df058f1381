//! The Audit page: every action applied or refused, newest first, as `roster audit`
//! lists them (at, account, action, user, email, outcome, actor, plan, detail).

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use roster_store::AuditEntry;

use super::html::{Nav, esc, layout};
use super::session::Session;
use super::state::AppState;

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
) -> Html<String> {
    let body = match state.store.audit_entries(&[]).await {
        Ok(entries) if entries.is_empty() => {
            r#"<h1>Audit trail</h1><p class="empty">No action has been applied or refused yet.</p>"#
                .to_owned()
        }
        Ok(mut entries) => {
            entries.reverse();
            format!("<h1>Audit trail</h1>\n{}", table(&entries))
        }
        Err(e) => format!(
            r#"<h1>Audit trail</h1><p class="error">the store could not be read: {}</p>"#,
            esc(&e.to_string())
        ),
    };
    layout("Audit trail", Nav::Audit, &session.csrf, &body, &[])
}

/// The entries in the order given.
pub fn table(entries: &[AuditEntry]) -> String {
    let mut out = String::from(
        r#"<table class="audit"><thead><tr><th>At</th><th>Account</th><th>Action</th><th>User</th><th>Email</th><th>Outcome</th><th>Actor</th><th>Plan</th><th>Detail</th></tr></thead><tbody>"#,
    );
    for e in entries {
        out.push_str(&format!(
            r#"<tr><td><time datetime="{at}" title="{at}">{when}</time></td><td>{account}</td><td class="action">{action}</td><td class="user">{user}</td><td class="email">{email}</td><td><span class="outcome {outcome}">{outcome}</span></td><td>{actor}</td><td class="plan-id">{plan}</td><td class="detail">{detail}</td></tr>"#,
            at = roster_core::timestamp(&e.at),
            when = e.at.format("%Y-%m-%d %H:%M:%S UTC"),
            account = esc(&e.account),
            action = esc(&e.action),
            user = esc(&e.user_id),
            email = esc(e.email.as_deref().unwrap_or("")),
            outcome = e.outcome,
            actor = esc(&e.actor),
            plan = esc(&e.plan_id),
            detail = esc(&e.detail),
        ));
    }
    out.push_str("</tbody></table>");
    out
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
        let html = table(&[e]);
        assert!(!html.contains("<script>") && !html.contains("\" onmouseover="), "{html}");
        assert_eq!(html.matches("&lt;script&gt;").count(), 7, "{html}");
        assert!(html.contains(r#"<span class="outcome refused">refused</span>"#));
    }
}

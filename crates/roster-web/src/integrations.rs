//! The Integrations page (a tile per registered connector) and each
//! connector's Connect page, whose form is the connector's JSON Schema
//! rendered by react-jsonschema-form.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use roster_store::Outcome;

use super::accounts::{AccountListing, rows};
use super::html::{Nav, json_island, layout, plural};
use super::session::{CSP_FORM, Session};
use super::state::AppState;

pub async fn page(State(state): State<Arc<AppState>>, Extension(session): Extension<Session>) -> Markup {
    let rows = rows(&state).await.unwrap_or_default();
    let body = html! {
        h1 { "Integrations" }
        div.tiles {
            @for d in state.registry.iter() {
                @let mine: Vec<_> = rows.iter().filter(|r| r.connector == d.id && r.configured).collect();
                @let synced = mine.iter().filter(|r| synced_ok(r)).count();
                section.tile data-connector=(d.id) {
                    h2 { (d.display_name) }
                    p { (d.description) }
                    @match (mine.len(), synced) {
                        (0, _) => p.muted { "Not connected" },
                        (n, 0) => p.muted { (n) " account" (plural(n)) " connected, not synced yet" },
                        (n, s) => p { span.mark.ok { "✓" } " " (s) " of " (n) " account" (plural(n)) " synced" },
                    }
                    a.button href={ "/integrations/" (d.id) } { "Connect" }
                }
            }
        }
    };
    layout("Integrations", Nav::Integrations, &session.csrf, body, &[])
}

/// Whether the account's last sync went through.
fn synced_ok(r: &AccountListing) -> bool {
    r.summary.as_ref().and_then(|s| s.last_run.as_ref()).is_some_and(|run| run.outcome == Outcome::Ok)
}

pub async fn connect_page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(connector): Path<String>,
) -> Response {
    let Some(d) = state.registry.get(&connector) else {
        return (StatusCode::NOT_FOUND, html! { "no connector `" (connector) "`" }).into_response();
    };
    let form = roster_engine::form::of(d);
    let body = html! {
        p.crumbs { a href="/integrations" { "Integrations" } " › " (d.display_name) }
        h1 { "Connect " (d.display_name) }
        div.connect data-connector=(d.id) {
            div.field.account-name {
                label.control-label for="account-id" { "Account name" span.required { "*" } }
                div.field-description {
                    "A short name for this account: letters, digits, - and _. It names the file "
                    code { "accounts/<name>.toml" } "."
                }
                input #account-id.form-control name="account-id" required pattern="[A-Za-z0-9][A-Za-z0-9_-]{0,99}"
                    autocomplete="off" placeholder="acme-prod";
                div.error-detail #account-id-error role="alert" {}
            }
            div #connect-form {}
            div #result role="status" aria-live="polite" {}
        }
        (json_island("form-spec", &form))
    };
    let title = format!("Connect {}", d.display_name);
    let page = layout(&title, Nav::Integrations, &session.csrf, body, &["roster-form.js"]);
    let mut res = page.into_response();
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP_FORM));
    res
}

//! The Integrations page (a tile per registered connector) and each
//! connector's Connect page, whose form is the connector's JSON Schema
//! rendered by react-jsonschema-form.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use roster_store::Outcome;

use super::accounts::rows;
use super::html::{Nav, esc, json_island, layout};
use super::session::{CSP_FORM, Session};
use super::state::AppState;

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
) -> Html<String> {
    let rows = rows(&state).await.unwrap_or_default();
    let mut body = String::from(r#"<h1>Integrations</h1><div class="tiles">"#);
    for d in state.registry.iter() {
        let mine: Vec<_> = rows.iter().filter(|r| r.connector == d.id).collect();
        let synced = mine
            .iter()
            .filter(|r| {
                r.summary
                    .as_ref()
                    .and_then(|s| s.last_run.as_ref())
                    .is_some_and(|run| run.outcome == Outcome::Ok)
            })
            .count();
        let state_line = match (mine.len(), synced) {
            (0, _) => r#"<p class="muted">Not connected</p>"#.to_owned(),
            (n, 0) => format!(r#"<p class="muted">{n} account{} connected, not synced yet</p>"#, plural(n)),
            (n, s) => {
                format!(r#"<p><span class="mark ok">✓</span> {s} of {n} account{} synced</p>"#, plural(n))
            }
        };
        body.push_str(&format!(
            r#"<section class="tile" data-connector="{id}"><h2>{name}</h2><p>{description}</p>{state_line}<a class="button" href="/integrations/{id}">Connect</a></section>"#,
            id = esc(d.id),
            name = esc(d.display_name),
            description = esc(d.description),
        ));
    }
    body.push_str("</div>");
    layout("Integrations", Nav::Integrations, &session.csrf, &body, &[])
}

pub async fn connect_page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(connector): Path<String>,
) -> Response {
    let Some(d) = state.registry.get(&connector) else {
        return (StatusCode::NOT_FOUND, Html(format!("no connector `{}`", esc(&connector)))).into_response();
    };
    let form = roster_engine::form::of(d);
    let body = format!(
        r#"<p class="crumbs"><a href="/integrations">Integrations</a> › {name}</p>
<h1>Connect {name}</h1>
<div class="connect" data-connector="{id}">
<div class="field account-name">
<label class="control-label" for="account-id">Account name<span class="required">*</span></label>
<div class="field-description">A short name for this account: letters, digits, - and _. It names the file <code>accounts/&lt;name&gt;.toml</code>.</div>
<input id="account-id" class="form-control" name="account-id" required pattern="[A-Za-z0-9][A-Za-z0-9_-]{{0,99}}" autocomplete="off" placeholder="acme-prod">
<div class="error-detail" id="account-id-error" role="alert"></div>
</div>
<div id="connect-form"></div>
<div id="result" role="status" aria-live="polite"></div>
</div>
{island}"#,
        name = esc(d.display_name),
        id = esc(d.id),
        island = json_island("form-spec", &form),
    );
    let mut res = layout(
        &format!("Connect {}", d.display_name),
        Nav::Integrations,
        &session.csrf,
        &body,
        &["roster-form.js"],
    )
    .into_response();
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP_FORM));
    res
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

//! The Edit page of an account: its connector's form filled in with the
//! account file's plain fields. Secrets stay blank (a blank one keeps the
//! current value); their values are never sent to the page. The account's
//! name is fixed: renaming is connecting a new account and deleting this one.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::account_file::AccountFile;
use super::act_view::problem;
use super::current_secrets::current;
use super::edit_form;
use super::html::{Nav, json_island, layout};
use super::session::{CSP_FORM, Session};
use super::state::AppState;

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    let csrf = &session.csrf;
    let file = match AccountFile::open(&state, &id) {
        Ok(f) => f,
        Err((status, message)) => return problem(status, &id, Nav::Accounts, csrf, &message),
    };
    let d = file.connector;
    let schema = (d.credentials_schema)();
    let names = edit_form::secret_names(&schema);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let now = match current(&state, &id, &file, &names) {
        Ok(c) => c,
        Err(message) => return problem(axum::http::StatusCode::CONFLICT, &id, Nav::Accounts, csrf, &message),
    };
    let form = edit_form::of(d, &id, file.text.credentials(), &now.sources);
    let body = html! {
        p.crumbs { a href="/accounts" { "Accounts" } " › " a href={ "/accounts/" (id) } { (id) } " › Edit" }
        h1 { "Edit " (id) " " span.muted { (d.display_name) } }
        div.connect data-connector=(d.id) data-account=(id) {
            div.field.account-name {
                span.control-label { "Account name" }
                div #account-name { code { (id) } }
                div.field-description {
                    "Fixed: it names " code { (file.path.display()) } " and the account's history. To rename, connect it again under the new name and delete this one."
                }
            }
            div #connect-form {}
            div #result role="status" aria-live="polite" {}
        }
        (json_island("form-spec", &form))
    };
    let title = format!("Edit {id}");
    let page = layout(&title, Nav::Accounts, csrf, body, &["roster-form.js"]);
    let mut res = page.into_response();
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP_FORM));
    res
}

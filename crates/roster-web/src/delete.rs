//! Deleting an account: a confirmation page that names the files it removes
//! and says the history stays, and the POST (the CSRF token, and the account's
//! name typed again) that removes the account file, then its secrets file,
//! and goes back to Accounts. The store keeps the account's syncs and users
//! until `roster prune --account ID` removes them. Refused under `--allow-remote`.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use roster_engine::config::{secrets_file, valid_id};

use super::act_view::{field, problem};
use super::html::{Nav, csrf_field, layout};
use super::session::Session;
use super::state::AppState;

const REMOTE: &str = "roster serve was started with --allow-remote and has no login, so it deletes no account: anyone who can reach it could. Delete on loopback (without --allow-remote), or remove the files.";

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    match files(&state, &id) {
        Ok((account, secrets)) => confirmation(&id, &account, secrets.as_ref(), &session.csrf, None),
        Err(message) => problem(StatusCode::NOT_FOUND, &id, Nav::Accounts, &session.csrf, &message),
    }
}

pub async fn handle(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = &session.csrf;
    if state.allow_remote {
        return problem(StatusCode::FORBIDDEN, "Delete refused", Nav::Accounts, csrf, REMOTE);
    }
    let (account, secrets) = match files(&state, &id) {
        Ok(f) => f,
        Err(message) => return problem(StatusCode::NOT_FOUND, &id, Nav::Accounts, csrf, &message),
    };
    if field(&fields, "confirm").map(str::trim) != Some(id.as_str()) {
        let why = format!("type the account's name, {id}, to confirm; nothing was deleted");
        let mut res = confirmation(&id, &account, secrets.as_ref(), csrf, Some(&why));
        *res.status_mut() = StatusCode::BAD_REQUEST;
        return res;
    }
    if let Err(e) = std::fs::remove_file(&account) {
        let message = format!("could not remove {}: {e}; nothing was deleted", account.display());
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &id, Nav::Accounts, csrf, &message);
    }
    if let Some(secrets) = &secrets
        && let Err(e) = std::fs::remove_file(secrets)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        let message = format!(
            "removed {}, but could not remove {}: {e}; remove it by hand, it still holds the account's secrets",
            account.display(),
            secrets.display()
        );
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &id, Nav::Accounts, csrf, &message);
    }
    tracing::info!(account = %id, "account deleted from roster serve; its history stays in the store");
    Redirect::to(&format!("/accounts?deleted={id}")).into_response()
}

/// The account file, and the secrets file when there is one; or why there is nothing to delete.
fn files(state: &AppState, id: &str) -> Result<(PathBuf, Option<PathBuf>), String> {
    let account = state.config.join("accounts").join(format!("{id}.toml"));
    if !valid_id(id) || !account.is_file() {
        return Err(format!("account `{id}` has no file to delete"));
    }
    let secrets = secrets_file(&state.config, id);
    Ok((account, secrets.is_file().then_some(secrets)))
}

fn confirmation(
    id: &str,
    account: &std::path::Path,
    secrets: Option<&PathBuf>,
    csrf: &str,
    error: Option<&str>,
) -> Response {
    let body = html! {
        p.crumbs { a href="/accounts" { "Accounts" } " › " a href={ "/accounts/" (id) } { (id) } " › Delete" }
        h1 { "Delete " (id) "?" }
        p { "This removes:" }
        ul.removes {
            li { code.account-file { (account.display()) } ", the account file" }
            @match secrets {
                Some(s) => li { code.secrets-file { (s.display()) } ", its secrets" },
                None => li.muted { "no secrets file (none was found)" },
            }
        }
        (kept(id))
        (form(id, csrf, error))
    };
    layout(&format!("Delete {id}"), Nav::Accounts, csrf, body, &[]).into_response()
}

fn kept(id: &str) -> Markup {
    html! {
        p.kept {
            "Its history (syncs, users, events) stays in the store, and Accounts lists it as deleted, until "
            code { "roster prune --account " (id) } " removes it. The audit trail always stays. "
            "Environment variables that set its secrets are not touched; unset them yourself."
        }
    }
}

fn form(id: &str, csrf: &str, error: Option<&str>) -> Markup {
    html! {
        form.delete method="post" action={ "/accounts/" (id) "/delete" } {
            (csrf_field(csrf))
            div.field {
                label for="confirm" { "Type " code { (id) } " to confirm" }
                input #confirm.form-control name="confirm" required autocomplete="off" spellcheck="false";
                @if let Some(e) = error { div.error-detail #confirm-error role="alert" { (e) } }
            }
            div.form-actions {
                button.danger type="submit" { "Delete account" }
                " "
                a href={ "/accounts/" (id) } { "Cancel" }
            }
        }
    }
}

//! `roster serve`: a small local web UI over the config directory and the
//! store. Integrations (connect an account from its connector's form),
//! Accounts (last sync, Sync now, user counts), Account (users, filters,
//! CSV, the actions the account allows on each user, and the history: charts
//! drawn as server-side SVG, recent syncs, a sync's events), its Edit and
//! Delete, an action's confirmation (the dry run) and result, Reclaim, and
//! the Audit trail.
//!
//! It binds to loopback unless told otherwise, answers only requests whose
//! `Host` is a loopback name (no DNS rebinding), needs the session's CSRF
//! token on every mutating request, and never sends a stored secret to the
//! page: secrets go from the form to `secrets/<id>.toml` (mode 0600) and are
//! read back only by the config loader and, to check an edit that keeps them,
//! by `current_secrets`. With `--allow-remote` (no login) it applies no action
//! and edits or deletes no account: dry runs and the audit stay visible.

mod account;
mod account_file;
mod accounts;
mod act;
mod act_apply;
mod act_view;
mod assets;
mod audit;
mod chart;
mod chart_axis;
mod check;
mod current_secrets;
mod delete;
mod edit;
mod edit_form;
mod edit_save;
mod filter;
mod history;
mod history_charts;
mod history_events;
mod history_runs;
mod html;
mod integrations;
mod manage;
mod reclaim;
mod reclaim_apply;
mod redact;
mod save;
mod session;
mod state;
mod sync_now;
mod toml_out;
mod users_view;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};
use roster_core::Registry;
use serde_json::Value;

use roster_engine::config::load_runner_settings;
use roster_engine::exit;
use state::AppState;

/// What `roster serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub config: PathBuf,
    pub store: Option<String>,
    pub allow_remote: bool,
    /// Per-account values merged over files and environment, as
    /// `load_accounts` takes them (`roster demo --serve` passes its secrets).
    pub overrides: BTreeMap<String, Value>,
}

pub async fn run(registry: Registry, options: ServeOptions) -> Result<u8> {
    if !options.listen.ip().is_loopback() && !options.allow_remote {
        bail!(
            "{} is not a loopback address; roster serve has no login, so it listens on 127.0.0.1 or ::1 unless --allow-remote is given",
            options.listen.ip()
        );
    }
    let settings = match load_runner_settings(&options.config) {
        Ok(s) => s,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return Ok(exit::CANNOT_RUN);
        }
    };
    let location = settings.store_location(&options.config, options.store.as_deref());
    let store = match roster_store::Store::open(&location).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(exit::CANNOT_RUN);
        }
    };
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| format!("could not listen on {}", options.listen))?;
    let addr = listener.local_addr()?;
    let state = Arc::new(AppState::new(registry, options.config.clone(), store, &options));
    println!("roster serve: listening on http://{addr}/");
    println!("config {}, store {location}; stop with Ctrl-C", options.config.display());
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown()).await?;
    Ok(exit::OK)
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/integrations") }))
        .route("/integrations", get(integrations::page))
        .route("/integrations/{connector}", get(integrations::connect_page))
        .route("/api/integrations/{connector}/check", post(check::handle))
        .route("/api/integrations/{connector}/accounts", post(save::handle))
        .route("/accounts", get(accounts::page))
        .route("/accounts/{id}", get(account::page))
        .route("/accounts/{id}/users.csv", get(account::csv))
        .route("/accounts/{id}/edit", get(edit::page))
        .route("/api/accounts/{id}/edit", post(edit_save::save))
        .route("/api/accounts/{id}/check", post(edit_save::check))
        .route("/accounts/{id}/delete", get(delete::page).post(delete::handle))
        .route("/api/accounts/{id}/sync", post(sync_now::handle))
        .route("/accounts/{id}/act/{action}", get(act::page).post(act_apply::handle))
        .route("/reclaim", get(reclaim::page).post(reclaim::plan))
        .route("/reclaim/apply", post(reclaim_apply::handle))
        .route("/audit", get(audit::page))
        .route("/assets/{name}", get(assets::serve))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::guard))
        .with_state(state)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut int), Ok(mut term)) =
            (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
        {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

//! Sync now: syncs one account into the server's store, exactly as `roster
//! sync --account ID` would, and answers with the result.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::watch;

use super::state::AppState;
use roster_engine::config::{load_accounts, load_runner_settings};
use roster_engine::sync::{Progress, SyncOptions, sync_all};

pub async fn handle(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let settings = match load_runner_settings(&state.config) {
        Ok(s) => s,
        Err(problems) => {
            let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            return fail(StatusCode::INTERNAL_SERVER_ERROR, &message);
        }
    };
    let mut loaded = load_accounts(&state.config, &state.registry, &state.overrides);
    loaded.accounts.retain(|a| a.id == id);
    let broken: Vec<_> = loaded
        .failed
        .remove(&id)
        .map(|broken| vec![(id.clone(), broken.connector_label(None), broken.problems)])
        .unwrap_or_default();
    if loaded.accounts.is_empty() && broken.is_empty() {
        return fail(StatusCode::NOT_FOUND, &format!("no account `{id}` in the config directory"));
    }
    {
        let mut syncing = state.syncing.lock().unwrap_or_else(|e| e.into_inner());
        if !syncing.insert(id.clone()) {
            return fail(StatusCode::CONFLICT, &format!("a sync of {id} is already running"));
        }
    }
    let options = SyncOptions { concurrency: 1, ..SyncOptions::from_settings(&settings, false) };
    // The sync runs in its own task: a closed browser tab does not abandon it.
    let task_state = state.clone();
    let task = tokio::spawn(async move {
        let (_tx, rx) = watch::channel(None);
        let store = task_state.store.clone();
        let results = sync_all(loaded.accounts, broken, store, options, Progress::quiet(), rx).await;
        task_state.syncing.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        results
    });
    match task.await.ok().and_then(|r| r.into_iter().next()) {
        Some(result) => Json(json!({"ok": result.outcome.is_success(), "result": result})).into_response(),
        None => fail(StatusCode::INTERNAL_SERVER_ERROR, "the sync returned no result"),
    }
}

fn fail(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"ok": false, "message": message}))).into_response()
}

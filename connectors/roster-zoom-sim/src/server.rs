//! The router and the accept loop.

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::sim::SimState;
use crate::{handlers, oauth};

fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/oauth/token", post(oauth::token))
        .route("/v2/users", get(handlers::list_users))
        .route("/v2/roles", get(handlers::list_roles))
        .route("/v2/accounts/{account_id}/plans/usage", get(handlers::plan_usage))
        .fallback(handlers::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), crate::gate::gate))
        .with_state(state)
}

/// Serves until shutdown.
pub(crate) async fn serve(listener: TcpListener, state: Arc<SimState>, mut stop: watch::Receiver<bool>) {
    let app = router(state);
    let shutdown = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        tracing::warn!(error = %e, "the zoom simulator stopped serving");
    }
}

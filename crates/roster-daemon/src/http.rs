//! The daemon's small HTTP server: `/healthz` and `/metrics`.

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use roster_engine::schedule::{Health, Status};

async fn healthz(State(status): State<Arc<Status>>) -> impl IntoResponse {
    match status.health() {
        Health::Ok => (StatusCode::OK, "ok\n"),
        Health::Stopping => (StatusCode::SERVICE_UNAVAILABLE, "stopping\n"),
        Health::Stuck => (StatusCode::SERVICE_UNAVAILABLE, "the scheduler is stuck\n"),
    }
}

async fn metrics(State(status): State<Arc<Status>>) -> impl IntoResponse {
    let body = status.metrics.render(SystemTime::now());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    status: Arc<Status>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app =
        Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics)).with_state(status);
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

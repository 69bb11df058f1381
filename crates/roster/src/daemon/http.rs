//! The daemon's small HTTP server: `/healthz` and `/metrics`.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use super::metrics::Metrics;

/// What the server reads: the metrics, and whether the scheduler is alive.
#[derive(Debug)]
pub struct Shared {
    pub metrics: Metrics,
    stopping: AtomicBool,
    /// Unix seconds of the scheduler's latest turn.
    heartbeat: AtomicU64,
    /// The scheduler is unhealthy when it has not turned for this long.
    max_silence: Duration,
}

impl Shared {
    pub fn new(max_silence: Duration) -> Self {
        let shared = Self {
            metrics: Metrics::default(),
            stopping: AtomicBool::new(false),
            heartbeat: AtomicU64::new(0),
            max_silence,
        };
        shared.beat();
        shared
    }

    /// The scheduler is alive.
    pub fn beat(&self) {
        self.heartbeat.store(unix_secs(SystemTime::now()), Ordering::Relaxed);
    }

    /// The daemon is shutting down: `/healthz` says so.
    pub fn stopping(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    fn health(&self) -> (StatusCode, &'static str) {
        if self.stopping.load(Ordering::Relaxed) {
            return (StatusCode::SERVICE_UNAVAILABLE, "stopping\n");
        }
        let silent = unix_secs(SystemTime::now()).saturating_sub(self.heartbeat.load(Ordering::Relaxed));
        if silent > self.max_silence.as_secs() {
            return (StatusCode::SERVICE_UNAVAILABLE, "the scheduler is stuck\n");
        }
        (StatusCode::OK, "ok\n")
    }
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

async fn healthz(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    shared.health()
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let body = shared.metrics.render(SystemTime::now());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app =
        Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics)).with_state(shared);
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

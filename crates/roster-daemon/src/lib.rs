//! `roster run`: the daemon. Syncs every account whenever it falls due,
//! backs off after failures, follows config changes, serves `/healthz` and
//! `/metrics`, and stops cleanly on SIGTERM or SIGINT.
//!
//! A front-end over the engine's scheduler ([`roster_engine::schedule`]): each
//! sync is the same as one of `roster sync`'s, with the same concurrency
//! limit, timeouts, retries, guardrail and store semantics.

mod http;
mod signals;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use roster_core::Registry;
use roster_store::Store;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};

use roster_engine::config::load_runner_settings;
use roster_engine::exit;
use roster_engine::schedule::{Scheduler, Status};
use roster_engine::sync::Stop;

/// What `roster run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub dir: PathBuf,
    pub store: Option<String>,
    pub listen: SocketAddr,
}

/// Runs until a signal stops it; returns the exit code.
pub async fn run(registry: &Registry, opts: RunOptions) -> Result<u8> {
    let settings = match load_runner_settings(&opts.dir) {
        Ok(s) => s,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return Ok(exit::CANNOT_RUN);
        }
    };
    let (shutdown_tx, mut shutdown_rx) = watch::channel(None);
    let (abandon_tx, abandon_rx) = watch::channel(None);
    let abandon_tx = Arc::new(abandon_tx);
    // Before anything slow, so that an early SIGTERM stops the daemon cleanly.
    let signals = tokio::spawn(signals::watch_signals(shutdown_tx, abandon_tx.clone()));

    let location = settings.store_location(&opts.dir, opts.store.as_deref());
    let store = match Store::open(&location).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(exit::CANNOT_RUN);
        }
    };
    let listener = match TcpListener::bind(opts.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}; pick another address with --listen", opts.listen);
            return Ok(exit::CANNOT_RUN);
        }
    };
    let listen = listener.local_addr().unwrap_or(opts.listen);
    if !listen.ip().is_loopback() {
        tracing::warn!(%listen, "/healthz and /metrics are reachable beyond this machine");
    }
    // The loop turns at least once per poll period; three missed turns is stuck.
    let max_silence = Duration::from_secs(settings.config_poll_secs.saturating_mul(3).max(60));
    let status = Arc::new(Status::new(max_silence));
    let (server_stop, server_stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(http::serve(listener, status.clone(), async move {
        let _ = server_stopped.await;
    }));
    tracing::info!(%listen, "roster run started: serving /healthz and /metrics");

    let grace = Duration::from_secs(settings.shutdown_grace_secs);
    let mut scheduler =
        Scheduler::new(registry, &opts.dir, store, settings, status.clone(), abandon_rx).await;
    scheduler.run(&mut shutdown_rx).await;
    let stop = shutdown_rx.borrow().unwrap_or(Stop::Terminate);
    status.stopping();
    scheduler.drain(grace, &abandon_tx, stop).await;
    // Closes the store: its writer finishes what is queued first.
    drop(scheduler);
    let _ = server_stop.send(());
    match server.await {
        Ok(Err(e)) => tracing::warn!(error = %e, "the metrics server stopped with an error"),
        Err(e) => tracing::warn!(error = %e, "the metrics server crashed"),
        Ok(Ok(())) => {}
    }
    signals.abort();
    tracing::info!("roster run stopped cleanly");
    Ok(exit::OK)
}

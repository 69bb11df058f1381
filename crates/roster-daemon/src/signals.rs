//! SIGTERM and SIGINT for the daemon: the first asks it to stop scheduling
//! and let in-flight syncs finish; a second abandons them at once.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

use roster_engine::sync::Stop;

/// Installs the handlers now (so that no early signal is missed or kills
/// the process) and returns the future that waits for them.
pub fn watch_signals(
    shutdown: watch::Sender<Option<Stop>>,
    abandon: Arc<watch::Sender<Option<Stop>>>,
) -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let streams = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()));
        async move {
            let (Ok(mut int), Ok(mut term)) = streams else {
                tracing::error!("cannot listen for SIGINT and SIGTERM");
                return std::future::pending().await;
            };
            let first = next(&mut int, &mut term).await;
            tracing::info!(
                "stopping: no new syncs start; in-flight syncs may finish within the grace period"
            );
            let _ = shutdown.send(Some(first));
            let second = next(&mut int, &mut term).await;
            tracing::warn!("stopping now: in-flight syncs are abandoned and recorded as interrupted");
            let _ = abandon.send(Some(second));
        }
    }
    #[cfg(not(unix))]
    {
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = shutdown.send(Some(Stop::Interrupt));
            }
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = abandon.send(Some(Stop::Interrupt));
            }
        }
    }
}

#[cfg(unix)]
async fn next(int: &mut tokio::signal::unix::Signal, term: &mut tokio::signal::unix::Signal) -> Stop {
    tokio::select! {
        _ = int.recv() => Stop::Interrupt,
        _ = term.recv() => Stop::Terminate,
    }
}

//! How syncs report as they go: every finished sync is logged; a front-end may also
//! watch them (the CLI draws a spinner per account on a terminal).

use std::sync::Arc;

use super::AccountResult;

/// Watches syncs as they run. Implemented by front-ends.
pub trait Watcher: Send + Sync {
    /// A sync of `account` starts; the ticker hears its user count as it grows.
    fn started(&self, account: &str) -> Option<Arc<dyn Ticker>>;
}

/// One sync being watched.
pub trait Ticker: Send + Sync {
    /// Users read so far (called every few hundred users).
    fn users(&self, n: u64);
    /// The sync ended.
    fn finished(&self);
}

/// The watcher of a run of syncs, if any.
#[derive(Clone, Default)]
pub struct Progress {
    watcher: Option<Arc<dyn Watcher>>,
}

impl Progress {
    /// Only the log line of each finished sync.
    pub fn quiet() -> Self {
        Self::default()
    }

    pub fn watched(watcher: Arc<dyn Watcher>) -> Self {
        Self { watcher: Some(watcher) }
    }

    pub(crate) fn start(&self, account: &str) -> Option<Arc<dyn Ticker>> {
        self.watcher.as_ref()?.started(account)
    }

    pub(crate) fn done(&self, ticker: Option<Arc<dyn Ticker>>, result: AccountResult) -> AccountResult {
        if let Some(t) = ticker {
            t.finished();
        }
        tracing::info!(
            account = %result.account,
            outcome = %result.outcome,
            users = result.users,
            duration_ms = result.duration_ms,
            error_kind = result.error_kind.as_deref().unwrap_or(""),
            "sync finished"
        );
        result
    }
}

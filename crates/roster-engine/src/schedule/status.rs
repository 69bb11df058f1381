//! What the scheduler reports while it runs: its counters, whether it is turning, and
//! whether it is stopping.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::metrics::Metrics;

/// The scheduler's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    /// Shutting down.
    Stopping,
    /// The scheduler has not turned for longer than it may.
    Stuck,
}

/// Shared by the scheduler (which writes it) and a front-end (which shows it).
#[derive(Debug)]
pub struct Status {
    pub metrics: Metrics,
    stopping: AtomicBool,
    /// Unix seconds of the scheduler's latest turn.
    heartbeat: AtomicU64,
    /// The scheduler is stuck when it has not turned for this long.
    max_silence: Duration,
}

impl Status {
    pub fn new(max_silence: Duration) -> Self {
        let status = Self {
            metrics: Metrics::default(),
            stopping: AtomicBool::new(false),
            heartbeat: AtomicU64::new(0),
            max_silence,
        };
        status.beat();
        status
    }

    /// The scheduler is alive.
    pub fn beat(&self) {
        self.heartbeat.store(unix_secs(SystemTime::now()), Ordering::Relaxed);
    }

    /// Shutting down.
    pub fn stopping(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    pub fn health(&self) -> Health {
        if self.stopping.load(Ordering::Relaxed) {
            return Health::Stopping;
        }
        let silent = unix_secs(SystemTime::now()).saturating_sub(self.heartbeat.load(Ordering::Relaxed));
        if silent > self.max_silence.as_secs() { Health::Stuck } else { Health::Ok }
    }
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

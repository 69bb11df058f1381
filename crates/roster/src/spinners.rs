//! A spinner per syncing account while stderr is a terminal.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use roster_engine::sync::{Progress, Ticker, Watcher};

pub struct Spinners {
    multi: MultiProgress,
}

impl Spinners {
    /// Spinners when stderr is a terminal; only log lines otherwise.
    pub fn progress() -> Progress {
        if std::io::stderr().is_terminal() {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            Progress::watched(Arc::new(Spinners { multi }))
        } else {
            Progress::quiet()
        }
    }
}

struct Spinner(ProgressBar);

impl Watcher for Spinners {
    fn started(&self, account: &str) -> Option<Arc<dyn Ticker>> {
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_style(ProgressStyle::with_template("{spinner} {prefix:.bold} {msg} ({elapsed})").ok()?);
        bar.set_prefix(account.to_owned());
        bar.set_message("syncing");
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(Arc::new(Spinner(bar)))
    }
}

impl Ticker for Spinner {
    fn users(&self, n: u64) {
        self.0.set_message(format!("{n} users"));
    }

    fn finished(&self) {
        self.0.finish_and_clear();
    }
}

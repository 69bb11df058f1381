//! Live progress: spinners on a terminal, plain log lines otherwise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::AccountResult;

#[derive(Clone)]
pub struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    /// Spinners when stderr is a terminal and logs are text; nothing otherwise.
    pub fn new(text_logs: bool) -> Self {
        let multi = (text_logs && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Self { multi }
    }

    pub fn start(&self, account: &str) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(ProgressStyle::with_template("{spinner} {prefix:.bold} {msg} ({elapsed})").ok()?);
        bar.set_prefix(account.to_owned());
        bar.set_message("syncing");
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(bar)
    }

    pub fn done(&self, bar: Option<ProgressBar>, result: AccountResult) -> AccountResult {
        if let Some(bar) = bar {
            bar.finish_and_clear();
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

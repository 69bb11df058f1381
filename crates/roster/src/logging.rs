//! Structured logs through tracing, on stderr: text for people, JSON for machines.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::cli::LogFormat;

/// `RUST_LOG` wins when set; otherwise `-v` raises the level from `warn`.
pub fn init(format: LogFormat, verbose: u8) {
    let default = match verbose {
        0 => "warn,roster=info,roster_engine=info,roster_daemon=info,roster_web=info",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.with_target(false).with_ansi(std::io::stderr().is_terminal()).try_init(),
    };
}

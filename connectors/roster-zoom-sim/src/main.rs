//! `roster-zoom-sim`: the Zoom simulator as a standalone server.
//!
//! Prints the base URL, then one line per Zoom account: `account_id client_id client_secret`.

use std::process::ExitCode;
use std::time::Duration;

use roster_sim_kit::cli::{self, Binary, Flags};
use roster_zoom_sim::{Authed, Simulator, Zoom, ZoomAccountSpec};

impl Flags for ZoomFlags {
    type Vendor = Zoom;
    const BINARY: Binary = Binary::new("roster-zoom-sim", 8090, "accounts", ("users", "200"));

    fn add(&self, sim: &Simulator, i: u64, users: usize, seed: u64) -> (Authed, String) {
        let account = sim.add_zoom_account(self.spec(i, users, seed));
        let line = format!("{} {} {}", account.account_id(), account.client_id(), account.client_secret());
        (Authed { account, scopes: Vec::new() }, line)
    }
}

impl ZoomFlags {
    fn spec(&self, i: u64, users: usize, seed: u64) -> ZoomAccountSpec {
        let mut spec = ZoomAccountSpec::generated(i + 1, users, seed);
        spec.settings.token_lifetime = Duration::from_secs(self.token_lifetime_secs);
        if self.no_rate_limit {
            spec.settings.rate_limit = None;
        }
        spec
    }
}

/// Zoom's own flags.
#[derive(clap::Args, Debug)]
struct ZoomFlags {
    /// Lifetime of minted access tokens, in seconds.
    #[arg(long = "token-lifetime-secs", value_name = "SECS", default_value_t = 3600)]
    token_lifetime_secs: u64,
    /// Turn Zoom's per-second rate limits off.
    #[arg(long = "no-rate-limit")]
    no_rate_limit: bool,
}

fn main() -> ExitCode {
    cli::main::<ZoomFlags>()
}

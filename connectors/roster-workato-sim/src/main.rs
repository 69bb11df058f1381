//! `roster-workato-sim`: runs the simulator standalone.
//!
//! Prints the base URL, then one token per workspace, one per line, and serves until killed.

use std::process::ExitCode;

use roster_sim_kit::cli::{self, Binary, Flags};
use roster_workato_sim::{RateLimit, Simulator, Workato, Workspace, WorkspaceSpec};

/// Workato's own flags.
#[derive(clap::Args, Debug)]
struct WorkatoFlags {
    /// Requests per minute per token (0 turns the rate limit off).
    #[arg(long = "rate-limit", value_name = "N", default_value_t = 60)]
    rate_limit: u32,
    /// Enable the activity audit log add-on.
    #[arg(long = "audit-log")]
    audit_log: bool,
    /// Answer `GET /api/members/:id` as `{"data":{...}}`.
    #[arg(long = "wrap-single-member")]
    wrap_single_member: bool,
}

impl Flags for WorkatoFlags {
    type Vendor = Workato;
    const BINARY: Binary = Binary::new("roster-workato-sim", 8787, "workspaces", ("members", "1000"));

    fn add(&self, sim: &Simulator, i: u64, members: usize, seed: u64) -> (Workspace, String) {
        let mut spec = WorkspaceSpec::generated(i + 1, members, seed);
        spec.settings.audit_log_addon = self.audit_log;
        spec.settings.wrap_single_member = self.wrap_single_member;
        spec.settings.rate_limit =
            (self.rate_limit > 0).then(|| RateLimit { per_minute: self.rate_limit, ..RateLimit::default() });
        let ws = sim.add_workspace(spec);
        let token = ws.token();
        (ws, token)
    }
}

fn main() -> ExitCode {
    cli::main::<WorkatoFlags>()
}

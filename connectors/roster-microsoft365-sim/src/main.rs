//! `roster-microsoft365-sim`: the Microsoft Graph simulator as a standalone server.
//!
//! Prints the base URL, then one line per tenant: `tenant_id client_id client_secret`.

use std::process::ExitCode;

use roster_microsoft365_sim::{Authed, Microsoft, Simulator, TenantSpec};
use roster_sim_kit::cli::{self, Binary, Flags};

/// Microsoft's own flags.
#[derive(clap::Args, Debug)]
struct GraphFlags {
    /// Tenants without Entra ID P1/P2 (sign-in activity is refused).
    #[arg(long = "non-premium")]
    non_premium: bool,
    /// Turn the per-tenant request bucket off.
    #[arg(long = "no-rate-limit")]
    no_rate_limit: bool,
}

impl Flags for GraphFlags {
    type Vendor = Microsoft;
    const BINARY: Binary = Binary::new("roster-microsoft365-sim", 8091, "tenants", ("users", "200"));

    fn add(&self, sim: &Simulator, i: u64, users: usize, seed: u64) -> (Authed, String) {
        let mut spec = TenantSpec::generated(i + 1, users, seed);
        spec.settings.premium = !self.non_premium;
        if self.no_rate_limit {
            spec.settings.requests_per_10s = None;
        }
        let tenant = sim.add_tenant(spec);
        let line = format!("{} {} {}", tenant.tenant_id(), tenant.client_id(), tenant.client_secret());
        (Authed { tenant, permissions: Vec::new() }, line)
    }
}

fn main() -> ExitCode {
    cli::main::<GraphFlags>()
}

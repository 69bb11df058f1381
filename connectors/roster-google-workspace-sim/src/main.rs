//! `roster-google-workspace-sim`: the Google Workspace simulator as a standalone server.
//!
//! Prints the base URL, then one line per customer: `domain admin_email key-file-json`
//! (the key file on one line; its private key is one of the embedded test keys).

use std::process::ExitCode;

use roster_google_workspace_sim::{Authed, CustomerSpec, Google, Simulator};
use roster_sim_kit::cli::{self, Binary, Flags};

/// No flags of its own.
#[derive(clap::Args, Debug)]
struct GoogleFlags {}

impl Flags for GoogleFlags {
    type Vendor = Google;
    const BINARY: Binary = Binary::new("roster-google-workspace-sim", 8091, "customers", ("users", "200"));

    fn add(&self, sim: &Simulator, i: u64, users: usize, seed: u64) -> (Authed, String) {
        let customer = sim.add_customer(CustomerSpec::generated(i + 1, users, seed));
        let key: serde_json::Value =
            serde_json::from_str(&customer.key_file(&sim.base_url())).unwrap_or_default();
        let line = format!("{} {} {key}", customer.domain(), customer.admin_email());
        (Authed { customer, subject: None, scopes: Vec::new() }, line)
    }
}

fn main() -> ExitCode {
    cli::main::<GoogleFlags>()
}

//! The Zoom half of `roster demo`: the Zoom simulator in-process with a couple of
//! accounts, reached through `cloud = "custom"` and `base_url` as a proxy would be.
//!
//! The account files hold the account and client ids (Zoom shows both openly); each
//! client secret is handed to the config loader in memory, never written to disk.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use roster_zoom_sim::{AccountSpec, Simulator};
use serde_json::{Value, json};

pub(super) struct DemoZoomAccount {
    pub account: &'static str,
    users: usize,
    /// Licensed seats bought; 0 lets the simulator pick 10% above those in use.
    seats: u64,
    /// A free account: plan usage is refused, so license totals stay empty.
    free: bool,
}

pub(super) const ACCOUNTS: [DemoZoomAccount; 2] = [
    DemoZoomAccount { account: "hooli-zoom", users: 800, seats: 700, free: false },
    DemoZoomAccount { account: "pied-piper-zoom", users: 25, seats: 0, free: true },
];

/// Starts the simulator, adds the accounts, writes their files and puts their secrets
/// into `overrides`.
pub(super) async fn start(config: &Path, overrides: &mut BTreeMap<String, Value>) -> Result<Simulator> {
    let sim = Simulator::start().await.context("could not start the zoom simulator on loopback")?;
    println!("zoom simulator listening on {}", sim.base_url());
    for (i, a) in ACCOUNTS.iter().enumerate() {
        let mut spec = AccountSpec::generated(i as u64 + 1, a.users, 7 + i as u64);
        spec.settings.plan.hosts = a.seats;
        spec.settings.plan.paid = !a.free;
        let account = sim.add_account(spec);
        write_account(config, a.account, &sim.base_url(), &account.account_id(), &account.client_id())?;
        overrides
            .insert(a.account.to_owned(), json!({"credentials": {"client_secret": account.client_secret()}}));
        println!(
            "  {:<16} {:>5} users of every status{}",
            a.account,
            a.users,
            if a.free { ", a free account (no license totals)" } else { "" }
        );
    }
    Ok(sim)
}

fn write_account(config: &Path, id: &str, base_url: &str, account_id: &str, client_id: &str) -> Result<()> {
    let text = format!(
        "# written by `roster demo`: a Zoom account served by the in-process simulator.\n\
         # The client secret was handed over in memory; set {}CREDENTIALS__CLIENT_SECRET to use this file yourself.\n\
         connector = \"zoom\"\n\n[credentials]\naccount_id = \"{account_id}\"\nclient_id = \"{client_id}\"\n\
         cloud = \"custom\"\nbase_url = \"{base_url}\"\n",
        crate::config::env_prefix(id),
    );
    let path = config.join("accounts").join(format!("{id}.toml"));
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))
}

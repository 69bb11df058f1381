//! Zoom's part of `roster demo`: two Zoom accounts (one paid, one free), reached through
//! `cloud = "custom"` and `base_url` as a proxy would be. Account and client ids are in the
//! files (Zoom shows both openly); each client secret stays in memory.

use roster_sim_kit::demo::{self, DemoAccount, DemoDescriptor, Starting};
use serde_json::json;

use crate::sim::Simulator;
use crate::spec::ZoomAccountSpec;

struct DemoZoomAccount {
    account: &'static str,
    users: usize,
    /// Licensed seats bought; 0 lets the simulator pick 10% above those in use.
    seats: u64,
    /// A free account: plan usage is refused, so license totals stay empty.
    free: bool,
}

const ACCOUNTS: [DemoZoomAccount; 2] = [
    DemoZoomAccount { account: "hooli-zoom", users: 800, seats: 700, free: false },
    DemoZoomAccount { account: "pied-piper-zoom", users: 25, seats: 0, free: true },
];

fn account(sim: &Simulator, base_url: &str, i: usize, a: &DemoZoomAccount) -> DemoAccount {
    let mut spec = ZoomAccountSpec::generated(i as u64 + 1, a.users, 7 + i as u64);
    spec.settings.plan.hosts = a.seats;
    spec.settings.plan.paid = !a.free;
    let zoom = sim.add_zoom_account(spec);
    let free = if a.free { ", a free account (no license totals)" } else { "" };
    DemoAccount {
        id: a.account.to_owned(),
        what: "a Zoom account".into(),
        credentials: vec![
            ("account_id", json!(zoom.account_id())),
            ("client_id", json!(zoom.client_id())),
            ("cloud", json!("custom")),
            ("base_url", json!(base_url)),
        ],
        secrets: vec![("client_secret", zoom.client_secret())],
        settings: Vec::new(),
        summary: format!("{:>5} users of every status{free}", a.users),
    }
}

fn start() -> Starting {
    demo::start_with("zoom", &ACCOUNTS, account, |_| Vec::new())
}

roster_sim_kit::register_demo!(DemoDescriptor { connector: "zoom", start });

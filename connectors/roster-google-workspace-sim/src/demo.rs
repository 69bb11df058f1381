//! Google Workspace's part of `roster demo`: two customers reached through `base_url`,
//! their key files' `token_uri` on the simulator. The admin, domain and base URL are in
//! the account files; each key file stays in memory.

use roster_sim_kit::demo::{self, DemoAccount, DemoDescriptor, Starting};
use serde_json::json;

use crate::scopes::{LICENSING, USER_READONLY};
use crate::sim::Simulator;
use crate::spec::CustomerSpec;

struct DemoCustomer {
    account: &'static str,
    users: usize,
    /// Roles are not delegated: the sync says so in a note.
    no_roles: bool,
}

const CUSTOMERS: [DemoCustomer; 2] = [
    DemoCustomer { account: "hooli-workspace", users: 400, no_roles: false },
    DemoCustomer { account: "pied-piper-workspace", users: 30, no_roles: true },
];

fn account(sim: &Simulator, base_url: &str, i: usize, c: &DemoCustomer) -> DemoAccount {
    let customer = sim.add_customer(CustomerSpec::generated(i as u64 + 1, c.users, 5 + i as u64));
    if c.no_roles {
        customer.delegate(&[USER_READONLY, LICENSING]);
    }
    let roles = if c.no_roles { ", admin roles not delegated" } else { "" };
    DemoAccount {
        id: c.account.to_owned(),
        what: "a Google Workspace customer".into(),
        credentials: vec![
            ("admin_email", json!(customer.admin_email())),
            ("domain", json!(customer.domain())),
            ("base_url", json!(base_url)),
        ],
        secrets: vec![("service_account_key", customer.key_file(base_url))],
        settings: Vec::new(),
        summary: format!("{:>5} users, suspended and archived ones, licences in 3 products{roles}", c.users),
    }
}

fn start() -> Starting {
    demo::start_with("google workspace", &CUSTOMERS, account, |_| Vec::new())
}

roster_sim_kit::register_demo!(DemoDescriptor { connector: "google_workspace", start });

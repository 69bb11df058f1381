//! Microsoft 365's part of `roster demo`: a premium tenant and one without Entra ID P1/P2
//! (its users sync without a last sign-in, with a note saying why), reached through
//! `cloud = "custom"` and `base_url`. Tenant and client ids are in the files; each client
//! secret stays in memory.

use roster_sim_kit::demo::{self, DemoAccount, DemoDescriptor, Starting};
use serde_json::json;

use crate::sim::Simulator;
use crate::spec::TenantSpec;
use crate::tenant::EntraTenant;

struct DemoTenant {
    account: &'static str,
    name: &'static str,
    users: usize,
    premium: bool,
}

const TENANTS: [DemoTenant; 2] = [
    DemoTenant { account: "contoso-m365", name: "Contoso", users: 400, premium: true },
    DemoTenant { account: "fabrikam-m365", name: "Fabrikam", users: 40, premium: false },
];

/// The `i`th demo tenant, named after its row.
fn tenant(sim: &Simulator, i: usize, t: &DemoTenant) -> EntraTenant {
    let mut spec = TenantSpec {
        display_name: t.name.to_owned(),
        domain: format!("{}.onmicrosoft.com", t.name.to_lowercase()),
        ..TenantSpec::generated(i as u64 + 1, t.users, 11 + i as u64)
    };
    spec.settings.premium = t.premium;
    sim.add_tenant(spec)
}

fn account(sim: &Simulator, base_url: &str, i: usize, t: &DemoTenant) -> DemoAccount {
    let tenant = tenant(sim, i, t);
    let premium = if t.premium { "Entra ID P2" } else { "no Entra ID P1/P2 (no sign-in activity)" };
    DemoAccount {
        id: t.account.to_owned(),
        what: "a Microsoft 365 tenant".into(),
        credentials: vec![
            ("tenant_id", json!(tenant.domain())),
            ("client_id", json!(tenant.client_id())),
            ("cloud", json!("custom")),
            ("base_url", json!(base_url)),
        ],
        secrets: vec![("client_secret", tenant.client_secret())],
        settings: Vec::new(),
        summary: format!("{:>5} users, members and guests, {premium}", t.users),
    }
}

fn start() -> Starting {
    demo::start_with("microsoft365", &TENANTS, account, |_| Vec::new())
}

roster_sim_kit::register_demo!(DemoDescriptor { connector: "microsoft365", start });

//! Workato's part of `roster demo`: four workspaces of different sizes and role models,
//! reached through `data_center = "custom"` and `base_url`, as a Virtual Private Workato
//! customer's would be; a spare workspace for trying Connect.

use roster_sim_kit::demo::{self, DemoAccount, DemoDescriptor, Starting};
use serde_json::json;

use crate::sim::Simulator;
use crate::spec::{RoleModel, WorkspaceSpec};

struct DemoWorkspace {
    account: &'static str,
    members: usize,
    role_model: RoleModel,
    exact_last_login: bool,
}

const WORKSPACES: [DemoWorkspace; 4] = [
    DemoWorkspace {
        account: "acme-us",
        members: 250,
        role_model: RoleModel::Legacy,
        exact_last_login: false,
    },
    DemoWorkspace {
        account: "globex-eu",
        members: 1_200,
        role_model: RoleModel::RbacV2,
        exact_last_login: false,
    },
    DemoWorkspace { account: "initech", members: 40, role_model: RoleModel::Legacy, exact_last_login: true },
    DemoWorkspace {
        account: "umbrella",
        members: 5_000,
        role_model: RoleModel::RbacV2,
        exact_last_login: false,
    },
];

fn account(sim: &Simulator, base_url: &str, i: usize, w: &DemoWorkspace) -> DemoAccount {
    let mut spec = WorkspaceSpec::generated(i as u64 + 1, w.members, 42 + i as u64);
    spec.role_model = w.role_model;
    spec.name = format!("{} (simulated)", w.account);
    spec.settings.audit_log_addon = w.exact_last_login;
    let workspace = sim.add_workspace(spec);
    let login = if w.exact_last_login { ", exact last login from the audit log" } else { "" };
    DemoAccount {
        id: w.account.to_owned(),
        what: "a Workato workspace".into(),
        credentials: vec![("data_center", json!("custom")), ("base_url", json!(base_url))],
        secrets: vec![("api_token", workspace.token())],
        settings: vec![("exact_last_login", json!(w.exact_last_login))],
        summary: format!("{:>5} collaborators, {:?} roles{login}", w.members, w.role_model),
    }
}

/// A spare workspace to try Connect with in `roster demo --serve`.
fn hint(sim: &Simulator) -> Vec<String> {
    let mut spare = WorkspaceSpec::generated(99, 150, 4242);
    spare.name = "spare workspace (simulated)".into();
    let spare = sim.add_workspace(spare);
    vec![
        "to try Connect: Integrations → Workato → Connect, data center \"Virtual Private Workato (custom URL)\","
            .to_owned(),
        format!("  base URL {} and the spare workspace's simulator token {}", sim.base_url(), spare.token()),
    ]
}

fn start() -> Starting {
    demo::start_with("workato", &WORKSPACES, account, hint)
}

roster_sim_kit::register_demo!(DemoDescriptor { connector: "workato", start });

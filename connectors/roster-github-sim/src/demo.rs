//! GitHub's part of `roster demo`: an enterprise organization with SAML and Copilot
//! Business, and a team organization with neither. The token stays in memory.

use roster_sim_kit::demo::{self, DemoAccount, DemoDescriptor, Starting};
use serde_json::json;

use crate::sim::Simulator;
use crate::spec::OrgSpec;

struct DemoOrg {
    login: &'static str,
    name: &'static str,
    plan: &'static str,
    members: usize,
    saml: bool,
    copilot: Option<&'static str>,
}

const ORGS: [DemoOrg; 2] = [
    DemoOrg {
        login: "hooli",
        name: "Hooli",
        plan: "enterprise",
        members: 300,
        saml: true,
        copilot: Some("business"),
    },
    DemoOrg {
        login: "pied-piper",
        name: "Pied Piper",
        plan: "team",
        members: 25,
        saml: false,
        copilot: None,
    },
];

fn account(sim: &Simulator, _base_url: &str, i: usize, o: &DemoOrg) -> DemoAccount {
    let mut spec = OrgSpec::generated(i as u64 + 1, o.members, 30 + i as u64);
    (spec.login, spec.name, spec.plan) = (o.login.into(), Some(o.name.into()), o.plan.into());
    (spec.saml, spec.copilot) = (o.saml, o.copilot);
    let org = sim.add_org(spec);
    let extras = match (o.saml, o.copilot) {
        (true, Some(_)) => "SAML, Copilot Business",
        _ => "no SAML, no Copilot",
    };
    DemoAccount {
        id: format!("{}-github", o.login),
        what: "a GitHub organization".into(),
        credentials: vec![("organization", json!(o.login)), ("api_url", json!(sim.api_url()))],
        secrets: vec![("token", org.token(true))],
        settings: Vec::new(),
        summary: format!(
            "{:>5} members, collaborators and invitations, {} plan, {extras}",
            org.user_count(),
            o.plan
        ),
    }
}

fn start() -> Starting {
    demo::start_with("github", &ORGS, account, |_| Vec::new())
}

roster_sim_kit::register_demo!(DemoDescriptor { connector: "github", start });

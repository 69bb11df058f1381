//! A mixed configuration: Workato workspaces, Zoom accounts, a Microsoft 365 tenant and a
//! GitHub organization, each served by its own in-process simulator, synced together by
//! one `roster sync`.
//!
//! Secrets reach the child only through `ROSTER_ACCOUNT_<ID>__CREDENTIALS__<KEY>`;
//! account files never hold them.

use std::collections::BTreeMap;

use roster_zoom_sim::{Simulator, ZoomAccount, ZoomAccountSpec};
use serde_json::Value;

use crate::support::{Harness, Run, assert_matches_sim, roster, run_binary, token_var};

/// Quick retries and a client rate that never waits in these small accounts.
const ZOOM_SETTINGS: &str = "requests_per_second = 100\nmax_attempts = 3\nretry_base_delay_ms = 10\n";

/// The variable that carries a Zoom account's client secret.
fn secret_var(id: &str) -> String {
    token_var(id).replace("__API_TOKEN", "__CLIENT_SECRET")
}

/// Two Workato workspaces, two Zoom accounts, a Microsoft 365 tenant and a GitHub
/// organization, with their secrets for the child.
struct Mixed {
    h: Harness,
    zoom: Simulator,
    accounts: BTreeMap<&'static str, ZoomAccount>,
    m365: roster_microsoft365_sim::Simulator,
    tenant: roster_microsoft365_sim::EntraTenant,
    github: roster_github_sim::Simulator,
    org: roster_github_sim::Org,
    google: roster_google_workspace_sim::Simulator,
    customer: roster_google_workspace_sim::Customer,
    env: Vec<(String, String)>,
}

impl Mixed {
    async fn new() -> Mixed {
        let mut h = Harness::new().await;
        let mut env = Vec::new();
        for (id, members, seed) in [("acme-workato", 30, 71), ("globex-workato", 45, 72)] {
            let ws = h.add_account(id, members, seed);
            env.push((token_var(id), ws.token()));
        }
        let zoom = Simulator::start().await.expect("start the zoom simulator");
        let mut accounts = BTreeMap::new();
        for (n, (id, users)) in [("hooli-zoom", 80usize), ("initech-zoom", 35)].into_iter().enumerate() {
            let mut spec = ZoomAccountSpec::generated(n as u64 + 1, users, 90 + n as u64);
            spec.settings.rate_limit = None;
            let account = zoom.add_zoom_account(spec);
            let text = format!(
                "connector = \"zoom\"\n\n[credentials]\naccount_id = \"{}\"\nclient_id = \"{}\"\ncloud = \"custom\"\nbase_url = \"{}\"\n\n[settings]\n{ZOOM_SETTINGS}",
                account.account_id(),
                account.client_id(),
                zoom.base_url()
            );
            h.write_account(id, &text);
            env.push((secret_var(id), account.client_secret()));
            accounts.insert(id, account);
        }
        let m365 = roster_microsoft365_sim::Simulator::start().await.expect("start the graph simulator");
        let tenant = m365.add_tenant(roster_microsoft365_sim::TenantSpec::generated(1, 60, 93));
        let text = format!(
            "connector = \"microsoft365\"\n\n[credentials]\ntenant_id = \"{}\"\nclient_id = \"{}\"\ncloud = \"custom\"\nbase_url = \"{}\"\n\n[settings]\nmax_attempts = 3\nretry_base_delay_ms = 10\n",
            tenant.tenant_id(),
            tenant.client_id(),
            m365.base_url()
        );
        h.write_account("contoso-m365", &text);
        env.push((secret_var("contoso-m365"), tenant.client_secret()));
        let github = roster_github_sim::Simulator::start().await.expect("start the github simulator");
        let org = github.add_org(roster_github_sim::OrgSpec::generated(1, 40, 94));
        let text = format!(
            "connector = \"github\"\n\n[credentials]\norganization = \"{}\"\napi_url = \"{}\"\n\n[settings]\nmax_attempts = 3\nretry_base_delay_ms = 10\n",
            org.login(),
            github.api_url()
        );
        h.write_account("octo-github", &text);
        env.push((token_var("octo-github").replace("__API_TOKEN", "__TOKEN"), org.token(true)));
        let google =
            roster_google_workspace_sim::Simulator::start().await.expect("start the google simulator");
        let customer = google.add_customer(roster_google_workspace_sim::CustomerSpec::generated(1, 50, 95));
        let text = format!(
            "connector = \"google_workspace\"\n\n[credentials]\nadmin_email = \"{}\"\ndomain = \"{}\"\nbase_url = \"{}\"\n\n[settings]\nmax_attempts = 3\nretry_base_delay_ms = 10\n",
            customer.admin_email(),
            customer.domain(),
            google.base_url()
        );
        h.write_account("acme-google", &text);
        let key_var = token_var("acme-google").replace("__API_TOKEN", "__SERVICE_ACCOUNT_KEY");
        env.push((key_var, customer.key_file(&google.base_url())));
        Mixed { h, zoom, accounts, m365, tenant, github, org, google, customer, env }
    }

    /// `roster <command> --config DIR --store DIR/roster.db ARGS` with every secret.
    async fn run(&self, command: &str, args: &[&str]) -> Run {
        let mut all = vec![
            command.to_owned(),
            "--config".to_owned(),
            self.h.config().display().to_string(),
            "--store".to_owned(),
            self.h.store().display().to_string(),
        ];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        run_binary(all, self.env.clone()).await
    }

    fn secrets(&self) -> Vec<String> {
        self.env.iter().map(|(_, v)| v.clone()).collect()
    }
}

/// The store's users of `account`, by id.
fn of(users: &[Value], account: &str) -> BTreeMap<String, Value> {
    users
        .iter()
        .filter(|u| u["account"] == account)
        .map(|u| (u["id"].as_str().expect("id").to_owned(), u.clone()))
        .collect()
}

/// The key the Zoom connector gives a simulator user.
fn zoom_key(u: &Value) -> String {
    match u["id"].as_str() {
        Some(id) => id.to_owned(),
        None => format!("pending:{}", u["email"].as_str().unwrap_or_default().to_lowercase()),
    }
}

#[track_caller]
fn assert_zoom_matches(users: &[Value], id: &str, account: &ZoomAccount) {
    let stored = of(users, id);
    let present: BTreeMap<&String, &Value> =
        stored.iter().filter(|(_, u)| u["status"] != "removed").collect();
    let expected = account.users_json();
    assert_eq!(present.len(), expected.len(), "{id}: stored {} users", present.len());
    for u in &expected {
        let key = zoom_key(u);
        let got = present.get(&key).unwrap_or_else(|| panic!("{id}: {key} is not stored"));
        assert_eq!(got["connector"], "zoom");
        let status = match u["status"].as_str() {
            Some("active") => "active",
            Some("inactive") => "suspended",
            _ => "invited",
        };
        assert_eq!(got["status"], status, "{id}: {u}");
        assert_eq!(got["email"], u["email"], "{id}");
        let license = got["license_types"][0].as_str().unwrap_or_default();
        assert!(!license.is_empty(), "{id}: {got}");
        assert_eq!(got["roles"][0]["scope"], "account", "{id}: {got}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_of_every_connector_sync_together() {
    let m = Mixed::new().await;
    let run = m.run("sync", &[]).await;
    run.expect_code(0);
    for id in ["acme-workato", "globex-workato", "hooli-zoom", "initech-zoom", "contoso-m365", "octo-github"]
    {
        assert_eq!(run.outcome(id), "ok", "{}", run.stdout);
    }
    let users = m.h.users().await;
    assert_matches_sim("acme-workato", &users, m.h.workspace("acme-workato"));
    assert_matches_sim("globex-workato", &users, m.h.workspace("globex-workato"));
    for (id, account) in &m.accounts {
        assert_zoom_matches(&users, id, account);
    }
    let output = run.all_output();
    for secret in m.secrets() {
        assert!(!output.contains(&secret), "a secret reached the output");
    }
    // Nothing but the configured origins was asked: the zoom simulator saw only zoom
    // credentials, and only through its token endpoint and /v2.
    for r in m.zoom.requests() {
        assert!(r.path == "/oauth/token" || r.path.starts_with("/v2/"), "{}", r.path);
    }
    // Microsoft 365 and GitHub: every user of the tenant and the organization is stored.
    let tenant_users = of(&users, "contoso-m365");
    assert_eq!(tenant_users.len(), m.tenant.users_json().len(), "every tenant user is stored");
    assert!(tenant_users.values().all(|u| u["connector"] == "microsoft365"));
    let org_users = of(&users, "octo-github");
    assert_eq!(org_users.len(), m.org.user_count(), "every organization user is stored");
    assert!(org_users.values().all(|u| u["connector"] == "github"));
    assert!(
        m.m365
            .requests()
            .iter()
            .all(|r| r.path.starts_with("/v1.0/") || r.path.ends_with("/oauth2/v2.0/token"))
    );
    assert!(m.github.requests().iter().all(|r| r.path.starts_with("/api/")));
    let customer_users = of(&users, "acme-google");
    assert_eq!(customer_users.len(), m.customer.users_json().len(), "every customer user is stored");
    assert!(customer_users.values().all(|u| u["connector"] == "google_workspace"));
    assert!(!m.google.requests().is_empty());

    // The report covers both connectors.
    let report = m.run("report", &["--format", "json"]).await;
    report.expect_code(0);
    assert!(
        report.stdout.contains("hooli-zoom") && report.stdout.contains("acme-workato"),
        "{}",
        report.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_mixed_sync_records_zoom_changes_and_keeps_workato() {
    let m = Mixed::new().await;
    m.run("sync", &[]).await.expect_code(0);

    let hooli = &m.accounts["hooli-zoom"];
    let active = hooli.users_with_status("active");
    let gone = zoom_key(&active[1]);
    let deactivated = zoom_key(&active[2]);
    assert!(hooli.remove_user(&gone));
    assert!(hooli.update_user(&deactivated, |u| u["status"] = "inactive".into()));

    let run = m.run("sync", &[]).await;
    run.expect_code(0);
    let users = m.h.users().await;
    let stored = of(&users, "hooli-zoom");
    assert_eq!(stored[&gone]["status"], "removed");
    assert_eq!(stored[&deactivated]["status"], "suspended");
    assert_zoom_matches(&users, "hooli-zoom", hooli);
    assert_zoom_matches(&users, "initech-zoom", &m.accounts["initech-zoom"]);
    assert_matches_sim("acme-workato", &users, m.h.workspace("acme-workato"));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_of_a_zoom_account_names_it_and_a_wrong_secret_fails() {
    let mut m = Mixed::new().await;
    let config = m.h.config().display().to_string();
    let run = run_binary(
        vec!["check".into(), "hooli-zoom".into(), "--config".into(), config.clone(), "--json".into()],
        m.env.clone(),
    )
    .await;
    run.expect_code(0);
    let v: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["info"]["account"]["tenant_id"], m.accounts["hooli-zoom"].account_id());

    let var = secret_var("hooli-zoom");
    for (k, v) in m.env.iter_mut() {
        if *k == var {
            *v = "not-the-client-secret".into();
        }
    }
    let run =
        run_binary(vec!["check".into(), "hooli-zoom".into(), "--config".into(), config], m.env.clone()).await;
    run.expect_code(1);
    assert!(run.stderr.contains("invalid_credentials"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn connectors_lists_every_connector() {
    let run = roster(&["connectors", "--json"]).await;
    run.expect_code(0);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).expect("json");
    let ids: Vec<&str> = list.iter().filter_map(|c| c["id"].as_str()).collect();
    assert!(
        ids.starts_with(&["github"]) && ids.contains(&"microsoft365") && ids.ends_with(&["workato", "zoom"]),
        "{ids:?}"
    );
    let zoom = list.iter().find(|c| c["id"] == "zoom").expect("zoom");
    let secret = zoom["credential_fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["name"] == "client_secret"))
        .expect("client_secret field");
    assert_eq!(secret["secret"], true);
}

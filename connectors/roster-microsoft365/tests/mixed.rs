//! A mixed configuration synced by the engine, as `roster sync` runs it: a Workato
//! workspace, a Zoom account and two Microsoft 365 tenants (one without Entra ID P1/P2),
//! each on its own simulator, secrets passed in memory. A second run reads the delta link
//! the store kept for each tenant, and a user deleted in between is removed.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use roster_engine::config::load_accounts;
use roster_engine::sync::{AccountResult, Progress, SyncOptions, sync_all};
use roster_microsoft365_sim::TenantSpec;
use roster_store::{Outcome, ShrinkPolicy, Store};
use serde_json::{Value, json};
use {roster_microsoft365 as _, roster_workato as _, roster_zoom as _};

async fn run(dir: &Path, overrides: &BTreeMap<String, Value>) -> Vec<AccountResult> {
    let registry = roster_core::Registry::load().expect("one registration per connector");
    let loaded = load_accounts(dir, &registry, overrides);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let store = Store::open(&dir.join("roster.db").display().to_string()).await.expect("store");
    let options = SyncOptions {
        concurrency: 4,
        timeout: Duration::from_secs(60),
        policy: ShrinkPolicy::default(),
        lease_for: Duration::from_secs(60),
    };
    let (_stop, stopped) = tokio::sync::watch::channel(None);
    sync_all(loaded.accounts, Vec::new(), store, options, Progress::quiet(), stopped).await
}

#[tokio::test(flavor = "multi_thread")]
async fn workato_zoom_and_microsoft_365_accounts_sync_together() {
    let dir = tempfile::tempdir().expect("temp dir");
    let accounts = dir.path().join("accounts");
    std::fs::create_dir_all(&accounts).expect("accounts dir");
    let write =
        |id: &str, text: String| std::fs::write(accounts.join(format!("{id}.toml")), text).expect("write");
    let fast = "max_attempts = 3\nretry_base_delay_ms = 10\n";
    let mut overrides = BTreeMap::new();

    let workato = roster_workato_sim::Simulator::start().await.expect("workato");
    let ws = workato.add_workspace(roster_workato_sim::WorkspaceSpec::generated(1, 30, 3));
    write(
        "acme-workato",
        format!(
            "connector = \"workato\"\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{}\"\n[settings]\n{fast}",
            workato.base_url()
        ),
    );
    overrides.insert("acme-workato".to_owned(), json!({"credentials": {"api_token": ws.token()}}));

    let zoom = roster_zoom_sim::Simulator::start().await.expect("zoom");
    let mut spec = roster_zoom_sim::ZoomAccountSpec::generated(1, 25, 4);
    spec.settings.rate_limit = None;
    let account = zoom.add_zoom_account(spec);
    write(
        "hooli-zoom",
        format!(
            "connector = \"zoom\"\n[credentials]\naccount_id = \"{}\"\nclient_id = \"{}\"\ncloud = \"custom\"\nbase_url = \"{}\"\n[settings]\nrequests_per_second = 100\n{fast}",
            account.account_id(),
            account.client_id(),
            zoom.base_url()
        ),
    );
    overrides
        .insert("hooli-zoom".to_owned(), json!({"credentials": {"client_secret": account.client_secret()}}));

    let graph = roster_microsoft365_sim::Simulator::start().await.expect("graph");
    let mut tenants = Vec::new();
    for (n, (id, premium)) in [("contoso-m365", true), ("fabrikam-m365", false)].into_iter().enumerate() {
        let mut spec = TenantSpec::generated(n as u64 + 1, 40, 6 + n as u64);
        spec.settings.premium = premium;
        let t = graph.add_tenant(spec);
        write(
            id,
            format!(
                "connector = \"microsoft365\"\n[credentials]\ntenant_id = \"{}\"\nclient_id = \"{}\"\ncloud = \"custom\"\nbase_url = \"{}\"\n[settings]\nrequests_per_second = 100\n{fast}",
                t.domain(),
                t.client_id(),
                graph.base_url()
            ),
        );
        overrides.insert(id.to_owned(), json!({"credentials": {"client_secret": t.client_secret()}}));
        tenants.push(t);
    }

    let first = run(dir.path(), &overrides).await;
    let summary: Vec<(&str, &str, Outcome, u64)> =
        first.iter().map(|r| (r.account.as_str(), r.connector.as_str(), r.outcome, r.users)).collect();
    assert_eq!(
        summary,
        [
            ("acme-workato", "workato", Outcome::Ok, 30),
            ("contoso-m365", "microsoft365", Outcome::Ok, 40),
            ("fabrikam-m365", "microsoft365", Outcome::Ok, 40),
            ("hooli-zoom", "zoom", Outcome::Ok, 25),
        ],
        "{first:#?}"
    );
    assert!(first[2].notes.iter().any(|n| n.contains("P1 or P2")), "{:?}", first[2].notes);

    let gone = tenants[0].users_json()[5]["id"].as_str().unwrap_or_default().to_owned();
    assert!(tenants[0].remove_user(&gone, false));
    graph.clear_requests();
    let second = run(dir.path(), &overrides).await;
    assert_eq!(
        (second[1].outcome, second[1].users, second[1].removed),
        (Outcome::Ok, 39, 1),
        "{:#?}",
        second[1]
    );
    let links = graph
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1.0/users/delta")
        .filter(|r| r.query.as_deref().is_some_and(|q| !q.contains("latest")));
    assert_eq!(links.count(), 2, "each tenant read its changes from the kept delta link");
}

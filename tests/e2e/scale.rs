//! Many accounts at once.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{Expected, Harness, expected_members};

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_accounts_sync_concurrently_and_match_the_simulator() {
    const ACCOUNTS: usize = 200;
    const MEMBERS: usize = 50;
    let mut h = Harness::new().await;
    h.write_runner("concurrency = 64\n");
    let ids: Vec<String> = (0..ACCOUNTS).map(|i| format!("tenant-{i:03}")).collect();
    for (i, id) in ids.iter().enumerate() {
        h.add_account(id, MEMBERS, 1_000 + i as u64);
    }

    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert!(
        run.stdout.contains(&format!(
            "{ACCOUNTS} accounts: {ACCOUNTS} ok, 0 degraded, 0 failed, 0 interrupted; {} users",
            ACCOUNTS * MEMBERS
        )),
        "{}",
        run.stdout
    );

    let users = h.users().await;
    assert_eq!(users.len(), ACCOUNTS * MEMBERS);
    let mut stored: BTreeMap<String, BTreeMap<String, Expected>> = BTreeMap::new();
    for u in &users {
        assert_eq!(u["status"], "active");
        let e = Expected::from_stored(u);
        let account = u["account"].as_str().expect("account").to_owned();
        assert!(stored.entry(account).or_default().insert(e.id.clone(), e).is_none(), "duplicate user {u}");
    }
    assert_eq!(stored.len(), ACCOUNTS);
    for id in &ids {
        let want = expected_members(h.workspace(id));
        assert_eq!(stored.get(id), Some(&want), "{id} differs from the simulator");
    }

    let report = h.roster_in("report", &["--format", "json"]).await;
    report.expect_code(0);
    let reports: Vec<Value> = serde_json::from_str(&report.stdout).expect("json");
    assert_eq!(reports.len(), ACCOUNTS);
    assert!(
        reports.iter().all(|r| r["last_sync"]["outcome"] == "ok" && r["users"]["active"] == MEMBERS as u64)
    );
}

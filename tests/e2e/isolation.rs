//! Faults stay with their account: in a run of many accounts, the faulty
//! ones end ok (after retries) or failed with their snapshot untouched, and
//! every other account syncs exactly.

use std::collections::BTreeMap;
use std::time::Duration;

use roster_workato_sim::{FIRST_MEMBER_ID, Fault};
use serde_json::Value;

use crate::support::{Harness, assert_matches_sim, parse_jsonl};

/// `roster users --format jsonl` lines, raw, grouped by account.
fn lines_by_account(jsonl: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("jsonl line");
        out.entry(v["account"].as_str().expect("account").to_owned()).or_default().push(line.to_owned());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_accounts_with_ten_percent_faulty_the_other_ninety_percent_sync_exactly() {
    const ACCOUNTS: usize = 200;
    const FAULTY: usize = 20;
    const MEMBERS: usize = 30;
    let mut h = Harness::new().await;
    h.write_runner("concurrency = 64\n");
    let ids: Vec<String> = (0..ACCOUNTS).map(|i| format!("tenant-{i:03}")).collect();
    for (i, id) in ids.iter().enumerate() {
        h.add_account(id, MEMBERS, 2_000 + i as u64);
    }
    h.sync(&[]).await.expect_code(0);
    let before = lines_by_account(&h.users_jsonl_text().await);

    // Every workspace changes (one member gone, one new, one renamed), so a
    // faulty account that kept its old snapshot is told apart from one that
    // synced; every tenth account suffers random transient faults on half
    // of its requests (5xx, 429, resets, delays, bad bodies).
    for (i, id) in ids.iter().enumerate() {
        let ws = h.workspace(id);
        assert!(ws.remove_member(FIRST_MEMBER_ID));
        ws.set_member_count(MEMBERS + 1);
        assert!(ws.update_member(FIRST_MEMBER_ID + 3, |m| m["name"] = Value::from("Renamed")));
        if i % (ACCOUNTS / FAULTY) == 0 {
            ws.set_random_faults(0.5, 7_000 + i as u64);
        }
    }
    let faulty: Vec<&String> = ids.iter().step_by(ACCOUNTS / FAULTY).collect();
    assert_eq!(faulty.len(), FAULTY);

    let run = h.sync(&[]).await;
    let users = parse_jsonl(&h.users_jsonl_text().await);
    let after = lines_by_account(&h.users_jsonl_text().await);
    let mut failed = 0;
    for id in &ids {
        let ws = h.workspace(id);
        let outcome = run.outcome(id);
        if !faulty.contains(&id) {
            assert_eq!(outcome, "ok", "{id} has no faults:\n{}", run.stdout);
            assert_eq!(ws.stats().faults, 0, "{id}");
            assert_matches_sim(id, &users, ws);
            continue;
        }
        match outcome.as_str() {
            "ok" => assert_matches_sim(id, &users, ws),
            "failed" => {
                failed += 1;
                let kind = run.summary_row(id).last().cloned().unwrap_or_default();
                assert!(
                    ["transient", "rate_limited", "invalid_response"].contains(&kind.as_str()),
                    "{id}: unexpected kind {kind}"
                );
                assert_eq!(after.get(id.as_str()), before.get(id.as_str()), "{id}: its snapshot changed");
            }
            other => panic!("{id}: {other} is neither the complete data nor a classified failure"),
        }
    }
    // The faults are seeded: some faulty accounts recover, some fail.
    assert!(failed > 0 && failed < FAULTY, "{failed} of {FAULTY} faulty accounts failed");
    let served: u64 = faulty.iter().map(|id| h.workspace(id).stats().faults).sum();
    assert!(served >= FAULTY as u64, "only {served} faults were served");
    run.expect_code(if failed == 0 { 0 } else { 1 });
    assert!(
        run.stdout
            .contains(&format!("{ACCOUNTS} accounts: {} ok, 0 degraded, {failed} failed", ACCOUNTS - failed)),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_slow_account_is_cut_off_by_its_timeout_and_does_not_hold_up_the_rest() {
    // Four slots for 41 accounts. The slow account sorts first, takes a slot
    // at once and never gets an answer (a 10-minute delay on its members
    // list, far beyond its 2-second timeout); the other 40 queue through the
    // three slots left and then the one it frees.
    let mut h = Harness::new().await;
    h.write_runner("concurrency = 4\n");
    let slow = h.add_account("aaa-slow", 20, 90);
    slow.push_fault(Fault::Delay(Duration::from_secs(600)), 1, Some("/api/members"));
    let settings = "requests_per_minute = 6000\nmax_attempts = 3\nretry_base_delay_ms = 10\nrequest_timeout_secs = 900\n";
    h.write_account("aaa-slow", &format!("timeout_secs = 2\n{}", h.account_toml(settings)));
    let ids: Vec<String> = (0..40).map(|i| format!("tenant-{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        h.add_account(id, 25, 3_000 + i as u64);
    }

    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("aaa-slow"), "failed");
    assert_eq!(run.summary_row("aaa-slow").last().map(String::as_str), Some("transient"));
    assert!(run.stdout.contains("aaa-slow (failed): the sync did not finish within 2s"), "{}", run.stdout);
    assert!(run.stdout.contains("fix: raise timeout_secs"), "{}", run.stdout);
    assert_eq!(slow.stats().by_path.get("/api/members"), Some(&1), "the slow request was not retried");
    let users = h.users().await;
    for id in &ids {
        assert_eq!(run.outcome(id), "ok", "{id}");
        assert_matches_sim(id, &users, h.workspace(id));
    }
    assert!(!users.iter().any(|u| u["account"] == "aaa-slow"));
    assert!(run.stdout.contains("41 accounts: 40 ok, 0 degraded, 1 failed"), "{}", run.stdout);
}

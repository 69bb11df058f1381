//! Actions through the real binary against the Workato simulator: dry runs send no
//! write, nothing is applied unless the account file allows it, a repeat does nothing,
//! writes are verified, vendor refusals name the permission, bulk plans are capped, and
//! everything applied or refused is audited.

use roster_workato_sim::{FIRST_MEMBER_ID, Fault};
use serde_json::Value;

use crate::support::{FAST_SETTINGS, Harness, Run};

const ALLOW_REMOVE: &str = "\n[actions]\nallow = [\"remove_user\", \"set_roles\"]\n";

/// An account `acme` of 12 members, synced, whose file allows `allow`.
async fn synced(allow: &str) -> Harness {
    let mut h = Harness::new().await;
    h.add_account("acme", 12, 31);
    let text = format!("{}{allow}", h.account_toml(FAST_SETTINGS));
    h.write_account("acme", &text);
    h.sync(&[]).await.expect_code(0);
    h
}

fn writes(h: &Harness) -> usize {
    h.sim.requests().iter().filter(|r| r.method != "GET").count()
}

async fn act(h: &Harness, args: &[&str]) -> Run {
    let mut all = vec!["act", "acme"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    h.roster_in(all[0], &all[1..]).await
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

async fn audit(h: &Harness) -> Vec<Value> {
    let run = h.roster_in("audit", &["--format", "json"]).await;
    run.expect_code(0);
    serde_json::from_str(&run.stdout).expect("audit json")
}

fn member(n: u64) -> String {
    (FIRST_MEMBER_ID + n).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_plans_and_sends_no_write() {
    let h = synced(ALLOW_REMOVE).await;
    let id = member(3);
    let run = act(&h, &["remove_user", "--user", &id]).await;
    run.expect_code(0);
    let report = json(&run);
    assert_eq!(report["plan"]["after"], Value::Null, "{report}");
    assert_eq!(report["plan"]["before"]["status"], "active");
    assert!(report["outcome"].is_null(), "a dry run has no outcome: {report}");
    assert_eq!(writes(&h), 0, "a dry run sent a write");
    assert!(audit(&h).await.is_empty(), "a dry run is not audited");
    // By email, case-insensitively, as `roster users` shows it.
    let email = h
        .workspace("acme")
        .member_json(FIRST_MEMBER_ID + 3)
        .and_then(|m| m["email"].as_str().map(str::to_uppercase));
    let run = act(&h, &["remove_user", "--user", &email.expect("an email")]).await;
    run.expect_code(0);
    assert_eq!(json(&run)["user_id"], id);
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_is_refused_without_allow_and_sends_no_request() {
    let h = synced("").await;
    h.sim.clear_requests();
    let run = act(&h, &["remove_user", "--user", &member(2), "--apply", "--actor", "ops"]).await;
    run.expect_code(2);
    assert!(json(&run)["detail"].as_str().is_some_and(|d| d.contains("[actions] allow")), "{}", run.stdout);
    assert!(h.sim.requests().is_empty(), "a refused action sent a request");
    let rows = audit(&h).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["outcome"].as_str(), rows[0]["actor"].as_str()), (Some("refused"), Some("ops")));
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_writes_verifies_syncs_and_a_repeat_is_already() {
    let h = synced(ALLOW_REMOVE).await;
    let id = member(4);
    let run = act(&h, &["remove_user", "--user", &id, "--apply"]).await;
    run.expect_code(0);
    let report = json(&run);
    assert_eq!(report["outcome"], "applied", "{report}");
    assert_eq!(report["sync"]["outcome"], "ok", "the account was synced after the write");
    assert!(h.workspace("acme").member_json(FIRST_MEMBER_ID + 4).is_none(), "the member is gone");
    assert_eq!(h.users_of("acme").await[&id]["status"], "removed", "roster users shows the result");
    let before = writes(&h);
    let again = act(&h, &["remove_user", "--user", &id, "--apply"]).await;
    again.expect_code(0);
    assert_eq!(json(&again)["outcome"], "already");
    assert_eq!(writes(&h), before, "a repeat sent a write");
    let outcomes: Vec<String> =
        audit(&h).await.iter().map(|r| r["outcome"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(outcomes, ["applied", "already"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn set_roles_changes_one_environment_and_verifies_it() {
    let h = synced(ALLOW_REMOVE).await;
    let id = member(5);
    let run = act(&h, &["set_roles", "--user", &id, "--set", "dev=Analyst", "--apply"]).await;
    run.expect_code(0);
    let report = json(&run);
    assert!(matches!(report["outcome"].as_str(), Some("applied" | "already")), "{report}");
    let roles = &h.users_of("acme").await[&id]["roles"];
    assert!(
        roles.as_array().is_some_and(|r| r.iter().any(|x| x["scope"] == "dev" && x["name"] == "Analyst")),
        "{roles}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_the_vendor_does_not_keep_is_unverified() {
    let h = synced(ALLOW_REMOVE).await;
    // The DELETE answers success but changes nothing.
    h.workspace("acme").push_fault(Fault::Status(204), 1, Some("DELETE /api/members"));
    let run = act(&h, &["remove_user", "--user", &member(6), "--apply"]).await;
    run.expect_code(1);
    assert_eq!(json(&run)["outcome"], "unverified", "{}", run.stdout);
    assert_eq!(audit(&h).await[0]["outcome"], "unverified");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_privilege_fails_and_names_it() {
    let h = synced(ALLOW_REMOVE).await;
    h.workspace("acme").update_settings(|s| s.client_role.delete_collaborators = false);
    let run = act(&h, &["remove_user", "--user", &member(7), "--apply"]).await;
    run.expect_code(1);
    let report = json(&run);
    assert_eq!(report["outcome"], "failed", "{report}");
    assert!(report["error"]["permissions"].as_array().is_some_and(|p| !p.is_empty()), "{report}");
    assert_eq!(audit(&h).await[0]["outcome"], "failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_users_actions_and_arguments_exit_2() {
    let h = synced(ALLOW_REMOVE).await;
    act(&h, &["remove_user", "--user", "nobody@nowhere.example"]).await.expect_code(2);
    act(&h, &["suspend_user", "--user", &member(1)]).await.expect_code(2);
    act(&h, &["delete_everything", "--user", &member(1)]).await.expect_code(2);
    act(&h, &["set_roles", "--user", &member(1), "--set", "staging=Admin"]).await.expect_code(2);
    assert_eq!(writes(&h), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn reclaim_caps_its_plan_and_audits_the_refusal() {
    let mut h = Harness::new().await;
    h.add_account("acme", 40, 32);
    let text = format!("{}{ALLOW_REMOVE}", h.account_toml(FAST_SETTINGS));
    h.write_account("acme", &text);
    h.sync(&[]).await.expect_code(0);
    // Every generated member's last activity is within 120 days; 30 days leaves many.
    let dry =
        h.roster_in("reclaim", &["--inactive-days", "30", "--action", "remove_user", "--max", "1000"]).await;
    dry.expect_code(0);
    let planned = dry.stdout.lines().filter(|l| l.starts_with("acme ")).count();
    assert!(planned > 1, "{}", dry.stdout);
    assert_eq!(writes(&h), 0, "a reclaim dry run sent a write");
    let capped = h
        .roster_in("reclaim", &["--inactive-days", "30", "--action", "remove_user", "--max", "1", "--apply"])
        .await;
    capped.expect_code(2);
    assert!(capped.stderr.contains("raise --max"), "{}", capped.stderr);
    assert_eq!(writes(&h), 0, "a capped plan sent a write");
    let rows = audit(&h).await;
    assert_eq!(rows.len(), planned);
    assert!(rows.iter().all(|r| r["outcome"] == "refused"));
}

#[tokio::test(flavor = "multi_thread")]
async fn actions_lists_what_each_account_allows() {
    let h = synced(ALLOW_REMOVE).await;
    let config = h.config().display().to_string();
    let run = h.roster(&["actions", "--config", &config, "--json"]).await;
    run.expect_code(0);
    let listed = json(&run);
    let workato =
        listed["connectors"].as_array().and_then(|c| c.iter().find(|c| c["id"] == "workato")).cloned();
    let workato = workato.expect("the workato connector has actions");
    assert!(workato["actions"].as_array().is_some_and(|a| a.iter().all(|x| x["permission"].is_string())));
    assert_eq!(listed["accounts"][0]["id"], "acme");
    let bad = format!("{}\n[actions]\nallow = [\"suspend_user\"]\n", h.account_toml(FAST_SETTINGS));
    h.write_account("acme", &bad);
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("actions.allow"), "{}", run.stderr);
}

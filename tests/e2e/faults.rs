//! Every fault the simulator can inject, through the real binary. Each row of
//! the table ends in exactly one of two ways, never in between:
//!
//! * **complete**: the sync retried within its budget and the store holds
//!   exactly the simulator's members (`roster users` compared member by member);
//! * **classified failure**: the account is `failed` with the expected error
//!   kind, a message naming the request, a `fix:` line, and `roster users
//!   --format jsonl` byte-identical to before the sync.
//!
//! Before the faulty sync the simulator's data is changed (members removed,
//! added and renamed), so any partial write of the faulty sync would show.

use std::time::Duration;

use roster_workato_sim::{FIRST_MEMBER_ID, Fault, RetryAfter, Workspace};
use serde_json::{Value, json};

use crate::support::{Expected, FAST_SETTINGS, Harness, Run, assert_matches_sim, expected_members};

const MEMBERS: Option<&str> = Some("/api/members");
/// Generated collaborators of the faulty account.
const N: usize = 300;
/// Quick retries with a one-second request timeout, for the slow-response rows.
const ONE_SECOND_TIMEOUT: &str =
    "requests_per_minute = 6000\nmax_attempts = 3\nretry_base_delay_ms = 10\nrequest_timeout_secs = 1\n";

/// What a row must end with.
enum Expect {
    /// The complete, correct data after retries.
    Complete,
    /// `failed` with this error kind, a fix line containing `fix`, and the
    /// previous snapshot untouched.
    Fails { kind: &'static str, fix: &'static str },
}

/// One row: a fault served `times` times on requests under `path`.
struct Case {
    fault: Fault,
    times: usize,
    path: Option<&'static str>,
    settings: &'static str,
    expect: Expect,
}

impl Case {
    fn once(fault: Fault) -> Case {
        Case { fault, times: 1, path: MEMBERS, settings: FAST_SETTINGS, expect: Expect::Complete }
    }

    fn always(fault: Fault, kind: &'static str, fix: &'static str) -> Case {
        Case {
            fault,
            times: 10_000,
            path: MEMBERS,
            settings: FAST_SETTINGS,
            expect: Expect::Fails { kind, fix },
        }
    }

    fn with_settings(mut self, settings: &'static str) -> Case {
        self.settings = settings;
        self
    }
}

/// Changes the simulator's data after a good sync: five members gone, ten
/// new ones, one renamed.
fn change_the_data(ws: &Workspace) {
    for id in FIRST_MEMBER_ID..FIRST_MEMBER_ID + 5 {
        assert!(ws.remove_member(id));
    }
    ws.set_member_count(N + 10);
    assert!(ws.update_member(FIRST_MEMBER_ID + 20, |m| {
        m["name"] = Value::from("Renamed Before The Faulty Sync");
    }));
}

/// The message and fix lines of `account` in a sync summary.
#[track_caller]
fn message_and_fix(run: &Run, account: &str) -> (String, String) {
    let lines: Vec<&str> = run.stdout.lines().collect();
    let prefix = format!("{account} (");
    let at = lines
        .iter()
        .position(|l| l.starts_with(&prefix) && l.contains("): "))
        .unwrap_or_else(|| panic!("no message for {account}:\n{}", run.stdout));
    let fix = lines.get(at + 1).copied().unwrap_or_default().trim();
    assert!(fix.starts_with("fix: "), "no fix line for {account}:\n{}", run.stdout);
    (lines[at].to_owned(), fix["fix: ".len()..].to_owned())
}

/// Runs one row of the table.
async fn case(case: Case) {
    let mut h = Harness::new().await;
    let ws = h.add_account_with("acme", N, 81, case.settings);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_jsonl_text().await;

    change_the_data(&ws);
    ws.push_fault(case.fault.clone(), case.times, case.path);
    let run = h.sync(&[]).await;
    let fault = &case.fault;
    assert!(ws.stats().faults >= 1, "{fault:?}: the fault was never served");
    match case.expect {
        Expect::Complete => {
            run.expect_code(0);
            assert_eq!(run.outcome("acme"), "ok", "{fault:?}");
            assert_matches_sim("acme", &h.users().await, &ws);
        }
        Expect::Fails { kind, fix } => {
            run.expect_code(1);
            assert_eq!(run.outcome("acme"), "failed", "{fault:?}");
            assert_eq!(run.summary_row("acme").last().map(String::as_str), Some(kind), "{fault:?}");
            let (message, remediation) = message_and_fix(&run, "acme");
            assert!(message.contains("/api/"), "{fault:?}: the message names no request: {message}");
            assert!(remediation.contains(fix), "{fault:?}: unhelpful fix: {remediation}");
            assert_eq!(h.users_jsonl_text().await, before, "{fault:?}: the snapshot changed");
            // The failure is in the history, and the next sync recovers.
            ws.clear_faults();
            h.sync(&[]).await.expect_code(0);
            assert_matches_sim("acme", &h.users().await, &ws);
        }
    }
}

// ---- 429 ----

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_with_retry_after_seconds_retries_to_the_complete_data() {
    case(Case::once(Fault::RateLimited(RetryAfter::Seconds))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_with_retry_after_as_an_http_date_retries_to_the_complete_data() {
    case(Case::once(Fault::RateLimited(RetryAfter::HttpDate))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_without_retry_after_retries_to_the_complete_data() {
    case(Case::once(Fault::RateLimited(RetryAfter::Omit))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_on_every_attempt_fails_as_rate_limited_and_keeps_the_snapshot() {
    case(Case::always(Fault::RateLimited(RetryAfter::Seconds), "rate_limited", "sync again later")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_without_retry_after_on_every_attempt_fails_as_rate_limited() {
    case(Case::always(Fault::RateLimited(RetryAfter::Omit), "rate_limited", "sync again later")).await;
}

// ---- 5xx ----

#[tokio::test(flavor = "multi_thread")]
async fn server_error_500_retries_to_the_complete_data() {
    case(Case::once(Fault::Status(500))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn server_error_502_retries_to_the_complete_data() {
    case(Case::once(Fault::Status(502))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn server_error_503_retries_to_the_complete_data() {
    case(Case::once(Fault::Status(503))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn server_error_504_retries_to_the_complete_data() {
    case(Case::once(Fault::Status(504))).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_500_502_503_504_on_every_attempt_fail_as_transient_and_keep_the_snapshot() {
    for code in [500, 502, 503, 504] {
        case(Case::always(Fault::Status(code), "transient", "status page")).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_502_page_on_every_attempt_fails_as_transient() {
    case(Case::always(Fault::HtmlError(502), "transient", "status page")).await;
}

// ---- the connection ----

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_connection_retries_to_the_complete_data() {
    case(Case::once(Fault::ResetConnection)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_reset_on_every_attempt_fails_as_transient_and_keeps_the_snapshot() {
    case(Case::always(Fault::ResetConnection, "transient", "sync again later")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_response_slower_than_the_timeout_retries_to_the_complete_data() {
    case(Case::once(Fault::Delay(Duration::from_secs(3))).with_settings(ONE_SECOND_TIMEOUT)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn responses_always_slower_than_the_timeout_fail_as_transient_and_keep_the_snapshot() {
    case(
        Case::always(Fault::Delay(Duration::from_secs(3)), "transient", "sync again later")
            .with_settings(ONE_SECOND_TIMEOUT),
    )
    .await;
}

// ---- bad bodies ----

#[tokio::test(flavor = "multi_thread")]
async fn a_truncated_body_retries_to_the_complete_data() {
    case(Case::once(Fault::TruncatedJson)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_drops_midway_retries_to_the_complete_data() {
    case(Case::once(Fault::AbortedBody)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_page_with_status_200_retries_to_the_complete_data() {
    case(Case::once(Fault::HtmlOk)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_content_type_retries_to_the_complete_data() {
    case(Case::once(Fault::WrongContentType)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_bodies_on_every_attempt_fail_as_invalid_response_and_keep_the_snapshot() {
    for fault in [Fault::TruncatedJson, Fault::AbortedBody, Fault::HtmlOk, Fault::WrongContentType] {
        case(Case::always(fault, "invalid_response", "sync again later")).await;
    }
}

// ---- refusals ----

#[tokio::test(flavor = "multi_thread")]
async fn a_token_revoked_mid_run_fails_as_invalid_credentials_and_keeps_the_snapshot() {
    // `/api/users/me` answers once; from then on the token is refused
    // everywhere (the members list and the connector's re-check), as when
    // the token is revoked between the two requests.
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", N, 82);
    h.sync(&[]).await.expect_code(0);
    let before = h.users_jsonl_text().await;
    change_the_data(&ws);
    ws.push_fault(Fault::Delay(Duration::ZERO), 1, Some("/api/users/me"));
    ws.push_fault(Fault::Unauthorized, 10_000, Some("/api/"));
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "failed");
    assert_eq!(run.summary_row("acme").last().map(String::as_str), Some("invalid_credentials"));
    let (message, remediation) = message_and_fix(&run, "acme");
    assert!(message.contains("stopped accepting the token during the sync"), "{message}");
    assert!(remediation.contains("token"), "{remediation}");
    assert_eq!(h.users_jsonl_text().await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn forbidden_403_on_the_members_list_fails_as_missing_permission_naming_it() {
    case(Case::always(Fault::Forbidden, "missing_permission", "Get collaborators")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthorized_401_on_the_members_list_alone_fails_as_missing_permission_naming_it() {
    // Workato answers 401 for a missing privilege too; workspace details
    // still answer, so the connector names the collaborators permission.
    case(Case::always(Fault::Unauthorized, "missing_permission", "Get collaborators")).await;
}

// ---- odd but valid json, and one bad record ----

/// Members the API may send: fields missing, nulls everywhere, unknown fields.
fn odd_members() -> Vec<Value> {
    vec![
        json!({"id": 900_001}),
        json!({"id": 900_002, "email": "only-email@example.com"}),
        json!({
            "id": 900_003, "email": null, "name": null, "roles": null, "role_name": null,
            "last_activity_log": null, "external_id": null, "time_zone": null,
            "grant_type": null, "created_at": null
        }),
        json!({
            "id": "900004", "email": "nulls-inside@example.com", "name": "Nulls Inside",
            "roles": [{"environment_type": null, "role_name": "Admin"}, {"environment_type": "prod", "role_name": null}],
            "last_activity_log": {"id": null, "event_type": null, "created_at": null}
        }),
        json!({
            "id": 900_005, "email": "extra@example.com", "name": "Extra Fields",
            "roles": [{"environment_type": "test", "role_name": "Operator", "role_type": "environment", "folder_ids": [1]}],
            "avatar_url": "https://example.com/a.png", "sso_enabled": true,
            "nested": {"deep": [{"x": null}, [], "]}\"["]}
        }),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn members_with_missing_optional_fields_nulls_and_extra_fields_are_stored_completely() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 50, 83);
    h.sync(&[]).await.expect_code(0);
    let mut members = ws.members_json();
    members.extend(odd_members());
    ws.set_members(members);

    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert_eq!(run.outcome("acme"), "ok");
    let users = h.users().await;
    assert_matches_sim("acme", &users, &ws);
    let extra = users.iter().find(|u| u["id"] == "900005").expect("the member with extra fields");
    assert_eq!(extra["roles"], json!([{"scope": "test", "name": "Operator"}]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_with_a_wrong_type_is_reported_and_the_account_is_not_dropped() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 60, 84);
    h.sync(&[]).await.expect_code(0);
    let bad_id = FIRST_MEMBER_ID + 7;
    let before = h.users_of("acme").await;
    let bad_before = Expected::from_stored(&before[&bad_id.to_string()]);

    // One member's email becomes a number; another is renamed, and a new
    // member arrives: the good records must still be synced.
    let mut members = ws.members_json();
    for m in &mut members {
        if m["id"] == bad_id {
            m["email"] = json!(42);
        }
        if m["id"] == FIRST_MEMBER_ID + 8 {
            m["name"] = json!("Renamed Next To The Bad Record");
        }
    }
    members.extend(odd_members());
    ws.set_members(members.clone());

    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert_eq!(run.outcome("acme"), "degraded", "{}", run.stdout);
    let (message, remediation) = message_and_fix(&run, "acme");
    assert!(message.contains("skipped 1 unreadable record"), "{message}");
    assert!(!remediation.is_empty());
    let note = format!("acme: note: skipped collaborator {bad_id}: ");
    let note_line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(&note))
        .unwrap_or_else(|| panic!("the bad record is not reported:\n{}", run.stdout));
    assert!(
        note_line.contains("invalid type for `email`: a number, expected a string or null"),
        "{note_line}"
    );
    assert!(!note_line.contains("42"), "the note echoes the record's value: {note_line}");

    // Every good record is stored as the simulator has it; the bad one keeps
    // its last good version, and nobody was marked removed.
    let users = h.users_of("acme").await;
    assert!(users.values().all(|u| u["status"] == "active"), "degraded marks nobody removed");
    let want = expected_members(&ws);
    assert_eq!(users.len(), want.len());
    for (id, u) in &users {
        let got = Expected::from_stored(u);
        if *id == bad_id.to_string() {
            assert_eq!(got, bad_before);
        } else {
            assert_eq!(&got, &want[id], "{id}");
        }
    }
}

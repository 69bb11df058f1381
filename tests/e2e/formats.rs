//! `roster users` and `roster report` in every format.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{Harness, Stdout, USER_FIELDS, expected_members, parse_jsonl};

/// Two accounts, synced; returns the harness.
async fn synced() -> Harness {
    let mut h = Harness::new().await;
    h.add_account("acme", 30, 21);
    h.add_account("globex", 18, 22);
    h.sync(&[]).await.expect_code(0);
    h
}

/// RFC 3339 UTC, with fractional seconds only when they are not zero.
fn is_timestamp(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        let whole = "2024-05-01T17:22:33".len();
        let fraction = &s[whole.min(s.len())..s.len().saturating_sub(1)];
        s.ends_with('Z')
            && s.as_bytes().get(10) == Some(&b'T')
            && chrono::DateTime::parse_from_rfc3339(s).is_ok()
            && (fraction.is_empty()
                || (fraction.starts_with('.')
                    && [4, 7, 10].contains(&fraction.len())
                    && fraction[1..].bytes().any(|b| b != b'0')))
    })
}

/// Every output prints a last visit with the milliseconds the vendor gave.
#[tokio::test(flavor = "multi_thread")]
async fn timestamps_keep_the_vendors_precision_in_every_output() {
    let h = synced().await;
    let members = h.workspace("acme").members_json();
    let (id, expected) = members
        .iter()
        .find_map(|m| {
            let at = m["last_activity_log"]["created_at"].as_str()?;
            let utc = chrono::DateTime::parse_from_rfc3339(at).ok()?.to_utc();
            (utc.timestamp_subsec_millis() != 0).then(|| (m["id"].to_string(), roster_core::timestamp(&utc)))
        })
        .expect("a member whose last activity has milliseconds");
    assert!(expected.contains('.'), "{expected}");
    let jsonl = h.users_of("acme").await;
    assert_eq!(jsonl[&id]["last_visit_at"], expected.as_str(), "jsonl");
    let json = h.roster_in("users", &["--format", "json", "--account", "acme"]).await;
    let json: Vec<Value> = serde_json::from_str(&json.stdout).expect("json");
    assert!(json.iter().any(|u| u["id"] == id.as_str() && u["last_visit_at"] == expected.as_str()), "json");
    let csv = h.roster_in("users", &["--format", "csv", "--account", "acme"]).await;
    assert!(parse_csv(&csv.stdout).iter().any(|r| r[2] == id && r[6] == expected), "csv");
    let table = h.roster_in("users", &["--account", "acme"]).await;
    assert!(table.stdout.lines().any(|l| l.contains(&format!(" {id} ")) && l.contains(&expected)), "table");
    let report = h.roster_in("report", &["--format", "json", "--account", "acme"]).await;
    let report: Value = serde_json::from_str(&report.stdout).expect("report json");
    let finished = report[0]["last_sync"]["finished_at"].as_str().unwrap_or_default().to_owned();
    assert!(is_timestamp(&Value::from(finished.clone())), "report: {finished}");
}

#[tokio::test(flavor = "multi_thread")]
async fn users_jsonl_lines_have_exactly_the_documented_fields() {
    let h = synced().await;
    let text = h.users_jsonl_text().await;
    let users = parse_jsonl(&text);
    assert_eq!(users.len(), 48);
    assert_eq!(text.lines().count(), 48, "one user per line");
    for u in &users {
        let keys: Vec<&str> = u.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys, USER_FIELDS, "{u}");
        assert!(u["account"] == "acme" || u["account"] == "globex");
        assert_eq!(u["connector"], "workato");
        assert!(u["id"].is_string());
        assert!(u["email"].is_string() || u["email"].is_null());
        assert!(u["name"].is_string() || u["name"].is_null());
        assert_eq!(u["status"], "active");
        assert!(u["last_visit_at"].is_null() || is_timestamp(&u["last_visit_at"]), "{u}");
        for r in u["roles"].as_array().expect("roles") {
            let keys: Vec<&str> = r.as_object().expect("role").keys().map(String::as_str).collect();
            assert_eq!(keys, ["scope", "name"]);
        }
        assert_eq!(u["license_types"], serde_json::json!(["Workato"]));
        assert!(u["attributes"].is_object());
        assert!(is_timestamp(&u["first_seen_at"]), "{u}");
        assert!(u["removed_at"].is_null());
    }
    // Ordered by account, then user id.
    let order: Vec<(String, String)> =
        users.iter().map(|u| (u["account"].to_string(), u["id"].to_string())).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[tokio::test(flavor = "multi_thread")]
async fn users_json_is_an_array_of_the_jsonl_objects() {
    let h = synced().await;
    let jsonl = h.users().await;
    let run = h.roster_in("users", &["--format", "json"]).await;
    run.expect_code(0);
    let array: Value = serde_json::from_str(&run.stdout).expect("valid json");
    assert_eq!(array, Value::Array(jsonl));

    let only = h.roster_in("users", &["--format", "json", "--account", "globex"]).await;
    only.expect_code(0);
    let only: Vec<Value> = serde_json::from_str(&only.stdout).expect("valid json");
    assert_eq!(only.len(), 18);
    assert!(only.iter().all(|u| u["account"] == "globex"));
}

#[tokio::test(flavor = "multi_thread")]
async fn users_json_of_an_empty_store_is_an_empty_array() {
    let h = Harness::new().await;
    let run = h.roster_in("users", &["--format", "json"]).await;
    run.expect_code(0);
    let v: Value = serde_json::from_str(&run.stdout).expect("valid json");
    assert_eq!(v, Value::Array(Vec::new()));
}

/// RFC 4180 records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && row.is_empty(), "csv ends with a newline");
    rows
}

#[tokio::test(flavor = "multi_thread")]
async fn users_csv_has_a_header_and_one_row_per_user() {
    let h = synced().await;
    let users = h.users().await;
    let run = h.roster_in("users", &["--format", "csv"]).await;
    run.expect_code(0);
    let rows = parse_csv(&run.stdout);
    assert_eq!(
        rows[0],
        [
            "account",
            "connector",
            "id",
            "email",
            "name",
            "status",
            "last_visit_at",
            "roles",
            "license_types",
            "first_seen_at",
            "removed_at"
        ]
    );
    assert_eq!(rows.len(), users.len() + 1);
    for (row, u) in rows[1..].iter().zip(&users) {
        assert_eq!(row.len(), 11, "{row:?}");
        assert_eq!(row[0], u["account"].as_str().unwrap_or_default());
        assert_eq!(row[1], "workato");
        assert_eq!(row[2], u["id"].as_str().unwrap_or_default());
        let email = u["email"].as_str().unwrap_or_default();
        let name = u["name"].as_str().unwrap_or_default();
        // Formula-looking cells get a leading quote; nothing else changes.
        assert!(row[3] == email || row[3] == format!("'{email}"), "{row:?}");
        assert!(row[4] == name || row[4] == format!("'{name}"), "{row:?}");
        assert_eq!(row[5], "active");
        assert_eq!(row[6], u["last_visit_at"].as_str().unwrap_or_default());
        let roles: Vec<String> = u["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "{}:{}",
                    r["scope"].as_str().unwrap_or_default(),
                    r["name"].as_str().unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(row[7], roles.join("; "));
        assert_eq!(row[8], "Workato");
        assert_eq!(row[9], u["first_seen_at"].as_str().unwrap_or_default());
        assert_eq!(row[10], "");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn users_table_has_a_header_and_one_line_per_user() {
    let h = synced().await;
    let users = h.users().await;
    let run = h.roster_in("users", &[]).await;
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["ACCOUNT", "CONNECTOR", "ID", "EMAIL", "NAME", "STATUS", "LAST", "VISIT", "ROLES", "LICENSES"]
    );
    assert_eq!(lines.len(), users.len() + 1);
    for (line, u) in lines[1..].iter().zip(&users) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[0], u["account"].as_str().unwrap_or_default());
        assert_eq!(cells[1], "workato");
        assert_eq!(cells[2], u["id"].as_str().unwrap_or_default());
        assert!(line.contains(u["email"].as_str().unwrap_or_default()));
        assert!(line.contains(" active "));
        assert!(line.trim_end().ends_with("Workato"), "{line}");
    }
}

/// scope -> role -> members holding it, from the simulator.
fn roles_per_scope(h: &Harness, account: &str) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for m in expected_members(h.workspace(account)).values() {
        for (scope, name) in &m.roles {
            *out.entry(scope.clone()).or_default().entry(name.clone()).or_default() += 1;
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn report_json_counts_statuses_roles_and_the_workato_license() {
    let h = synced().await;
    let run = h.roster_in("report", &["--format", "json"]).await;
    run.expect_code(0);
    let reports: Vec<Value> = serde_json::from_str(&run.stdout).expect("report json");
    assert_eq!(reports.len(), 2);
    for (r, (account, n)) in reports.iter().zip([("acme", 30u64), ("globex", 18)]) {
        assert_eq!(r["account"], account);
        assert_eq!(r["connector"], "workato");
        assert_eq!(r["users"], serde_json::json!({"active": n, "invited": 0, "suspended": 0, "removed": 0}));
        let roles: BTreeMap<String, BTreeMap<String, u64>> =
            serde_json::from_value(r["roles"].clone()).expect("roles map");
        assert_eq!(roles, roles_per_scope(&h, account), "{account}");
        assert_eq!(r["licenses"], serde_json::json!([{"name": "Workato", "assigned": n, "total": null}]));
        assert_eq!(r["last_sync"]["outcome"], "ok");
        assert!(r["last_sync"]["error_kind"].is_null());
        assert_eq!(r["removed_since_previous_sync"], 0);
        assert_eq!(r["record"]["tenant_id"], h.workspace(account).id().to_string());
        assert!(r["last_good_at"].is_string());
    }

    let one = h.roster_in("report", &["--format", "json", "--account", "globex"]).await;
    one.expect_code(0);
    let one: Vec<Value> = serde_json::from_str(&one.stdout).expect("report json");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["account"], "globex");
}

#[tokio::test(flavor = "multi_thread")]
async fn report_table_shows_each_account_its_license_and_roles() {
    let h = synced().await;
    let run = h.roster_in("report", &[]).await;
    run.expect_code(0);
    let out = &run.stdout;
    let header = out.lines().next().unwrap_or_default();
    for col in ["ACCOUNT", "ACTIVE", "REMOVED", "LAST SYNC"] {
        assert!(header.contains(col), "{header}");
    }
    for (account, n) in [("acme", 30), ("globex", 18)] {
        let row: Vec<&str> = out
            .lines()
            .find(|l| l.starts_with(account))
            .unwrap_or_else(|| panic!("no row for {account}:\n{out}"))
            .split_whitespace()
            .collect();
        assert_eq!(row[1], "workato");
        assert_eq!(row[2], n.to_string(), "active users of {account}");
        assert!(row.contains(&"ok"), "{row:?}");
        assert!(out.contains(&format!("license Workato: {n} assigned")), "{out}");
        for scope in roles_per_scope(&h, account).keys() {
            assert!(out.contains(&format!("roles in {scope}: ")), "{out}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn report_of_an_unknown_account_is_refused() {
    let h = synced().await;
    let run = h.roster_in("report", &["--account", "nope", "--format", "json"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn users_and_report_to_a_closed_pipe_exit_quietly() {
    let h = synced().await;
    for format in ["jsonl", "json", "csv", "table"] {
        let run = h.roster_to(Stdout::Closed, "users", &["--format", format]).await;
        assert!(!run.stderr.contains("panicked"), "{format}: {}", run.stderr);
        run.expect_code(0);
    }
    for format in ["json", "table"] {
        let run = h.roster_to(Stdout::Closed, "report", &["--format", format]).await;
        assert!(!run.stderr.contains("panicked"), "{format}: {}", run.stderr);
        run.expect_code(0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn users_and_report_that_cannot_be_written_fail_instead_of_exiting_0() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let h = synced().await;
    let full = || Stdout::File(std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full"));
    for format in ["jsonl", "json", "csv", "table"] {
        let run = h.roster_to(full(), "users", &["--format", format]).await;
        assert!(!run.stderr.contains("panicked"), "{format}: {}", run.stderr);
        run.expect_code(2);
        assert!(run.stderr.contains("error: could not write the output"), "{format}: {}", run.stderr);
    }
    for format in ["json", "table"] {
        let run = h.roster_to(full(), "report", &["--format", format]).await;
        assert!(!run.stderr.contains("panicked"), "{format}: {}", run.stderr);
        run.expect_code(2);
    }
}

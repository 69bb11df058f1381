//! The Account page's users, over HTTP against the real binary: paging,
//! search, sorting by every column, the status, role, license and
//! inactivity filters combined, and the CSV following the filter. The
//! expected answers are computed here from `roster users --format jsonl`
//! of the same store.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};
use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::Value;

#[path = "browser/serve_setup.rs"]
#[allow(dead_code, reason = "this test uses part of the setup")]
mod serve_setup;

#[path = "serve_client/mod.rs"]
mod serve_client;

use serve_client::Serve;
use serve_setup::workato_account;

/// One stored user, as `roster users --format jsonl` prints it.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    email: String,
    name: String,
    status: String,
    last_visit: Option<DateTime<Utc>>,
    roles: Vec<String>,
    licenses: Vec<String>,
}

fn rows(jsonl: &str) -> Vec<Row> {
    jsonl
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("jsonl");
            let text = |k: &str| v[k].as_str().unwrap_or("").to_owned();
            Row {
                id: text("id"),
                email: text("email"),
                name: text("name"),
                status: text("status"),
                last_visit: v["last_visit_at"].as_str().map(|t| t.parse().expect("time")),
                roles: v["roles"]
                    .as_array()
                    .expect("roles")
                    .iter()
                    .map(|r| r["name"].as_str().unwrap().to_owned())
                    .collect(),
                licenses: v["license_types"]
                    .as_array()
                    .expect("licenses")
                    .iter()
                    .map(|l| l.as_str().unwrap().to_owned())
                    .collect(),
            }
        })
        .collect()
}

/// The ids in a page's table, in order.
fn ids(html: &str) -> Vec<String> {
    html.split("<tr data-user=\"").skip(1).map(|r| r.split('"').next().unwrap().to_owned()).collect()
}

fn span(html: &str, id: &str) -> u64 {
    let start = format!("<span id=\"{id}\">");
    html.split(&start)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no #{id} in {html}"))
}

/// Every page of `query` at 100 a page, joined.
async fn all_pages(s: &Serve, query: &str) -> Vec<String> {
    let first = s.get(&format!("/accounts/acme?{query}&per=100")).await;
    let pages = span(&first, "page-count");
    let mut out = ids(&first);
    for p in 2..=pages {
        out.extend(ids(&s.get(&format!("/accounts/acme?{query}&per=100&page={p}")).await));
    }
    out
}

fn by_email(a: &Row, b: &Row) -> Ordering {
    a.email.to_ascii_lowercase().cmp(&b.email.to_ascii_lowercase()).then_with(|| a.id.cmp(&b.id))
}

fn id_list(rows: &[&Row]) -> Vec<String> {
    rows.iter().map(|r| r.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_users_page_pages_searches_sorts_filters_and_downloads_what_it_shows() {
    let sim = Simulator::start().await.expect("simulator");
    let ws = sim.add_workspace(WorkspaceSpec::generated(1, 430, 11));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &ws.token(), false);
    let store = dir.path().join("roster.db");
    let roster = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
            .args(args)
            .arg("--config")
            .arg(&config)
            .arg("--store")
            .arg(&store)
            .output()
            .expect("run roster");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    };
    roster(&["sync"]);
    let all = rows(&roster(&["users", "--format", "jsonl"]));
    let present: Vec<&Row> = all.iter().filter(|r| r.status != "removed").collect();
    assert!(present.len() > 400, "{}", present.len());
    let s = Serve::start(&config, &store).await;

    // Paging: 50 a page by email; every page together is every user, once, in order.
    let first = s.get("/accounts/acme").await;
    assert_eq!(ids(&first).len(), 50);
    assert_eq!(span(&first, "matched"), present.len() as u64);
    assert_eq!(span(&first, "page-count"), (present.len() as u64).div_ceil(50));
    let mut expected = present.clone();
    expected.sort_by(|a, b| by_email(a, b));
    assert_eq!(all_pages(&s, "show=present").await, id_list(&expected));
    let last = span(&first, "page-count");
    let beyond = s.get("/accounts/acme?page=9999").await;
    assert_eq!(span(&beyond, "page-number"), last, "past the end shows the last page");
    assert_eq!(ids(&beyond), id_list(&expected[(last as usize - 1) * 50..]));

    // Sorting by each column, both ways. Text sorts by code point with ASCII
    // letters folded (as SQLite's NOCASE does, and the Postgres store too).
    let mut by_name = present.clone();
    by_name.sort_by(|a, b| {
        a.name.to_ascii_lowercase().cmp(&b.name.to_ascii_lowercase()).then_with(|| a.id.cmp(&b.id))
    });
    by_name.reverse();
    let page = s.get("/accounts/acme?sort=name&dir=desc&per=200").await;
    assert_eq!(ids(&page), id_list(&by_name[..200]));
    let page = s.get("/accounts/acme?sort=last_visit&dir=desc&per=200").await;
    let visits: Vec<Option<DateTime<Utc>>> =
        ids(&page).iter().map(|id| present.iter().find(|r| &r.id == id).unwrap().last_visit).collect();
    assert!(
        visits.windows(2).all(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => a >= b,
            (None, Some(_)) => false,
            _ => true,
        }),
        "last visits descending, never-visited last"
    );
    for column in ["email", "name", "status", "last_visit", "roles", "licenses"] {
        for dir in ["asc", "desc"] {
            let page = s.get(&format!("/accounts/acme?sort={column}&dir={dir}")).await;
            assert_eq!(ids(&page).len(), 50, "{column} {dir}");
            assert!(page.contains(&format!("data-sort=\"{column}\"")), "{column}");
        }
    }

    // Search: a part of an email or a name, ASCII letters in any case.
    let target = present[present.len() / 2];
    let part = target.name.split_whitespace().last().unwrap_or(&target.name).to_ascii_uppercase();
    let mut found: Vec<&Row> = present
        .iter()
        .copied()
        .filter(|r| {
            let part = part.to_ascii_lowercase();
            r.email.to_ascii_lowercase().contains(&part) || r.name.to_ascii_lowercase().contains(&part)
        })
        .collect();
    found.sort_by(|a, b| by_email(a, b));
    let q = format!("q={}", part.replace(' ', "%20"));
    assert_eq!(all_pages(&s, &q).await, id_list(&found));
    assert!(found.iter().any(|r| r.id == target.id));

    // Filters: status, role and license, combined with inactivity.
    let role = present.iter().flat_map(|r| r.roles.iter()).next().expect("a role").clone();
    let license = present.iter().flat_map(|r| r.licenses.iter()).next().cloned();
    let cutoff = Utc::now() - Duration::days(30);
    let mut inactive_with_role: Vec<&Row> = present
        .iter()
        .copied()
        .filter(|r| {
            r.status == "active" && r.roles.contains(&role) && r.last_visit.is_none_or(|t| t < cutoff)
        })
        .collect();
    inactive_with_role.sort_by(|a, b| by_email(a, b));
    let query = format!("show=inactive&days=30&status=active&role={}", role.replace(' ', "%20"));
    assert_eq!(all_pages(&s, &query).await, id_list(&inactive_with_role));
    if let Some(license) = license {
        let with: Vec<&Row> = present.iter().copied().filter(|r| r.licenses.contains(&license)).collect();
        let page = s.get(&format!("/accounts/acme?license={}", license.replace(' ', "%20"))).await;
        assert_eq!(span(&page, "matched"), with.len() as u64);
    }
    let removed = s.get("/accounts/acme?show=removed").await;
    assert_eq!(span(&removed, "matched"), 0);

    // The CSV follows the filter and its order, every row, not just a page.
    let csv = s.get(&format!("/accounts/acme/users.csv?{query}")).await;
    let csv_ids: Vec<String> = csv.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_owned()).collect();
    assert_eq!(csv_ids, id_list(&inactive_with_role));
    let csv = s.get("/accounts/acme/users.csv?sort=name&dir=desc").await;
    let csv_ids: Vec<String> = csv.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_owned()).collect();
    assert_eq!(csv_ids, id_list(&by_name));
}

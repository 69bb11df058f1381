//! The Account page's history over HTTP: the real `roster` binary syncs a Workato
//! simulator three times (a member removed and one renamed between the first two, a
//! revoked token for the third), beside a second account, then `roster serve` shows
//! the recent syncs with outcome, counts and the failure's error, the chart with one
//! marker per committed sync, and the events of a chosen sync; another account's
//! sync, an unknown one and a malformed `?run=` each get a note.

use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::json;

#[path = "browser/serve_setup.rs"]
#[allow(dead_code, reason = "this test needs only the Workato account")]
mod serve_setup;

#[path = "serve_client/mod.rs"]
mod serve_client;

use serve_client::Serve;
use serve_setup::{roster_sync, synced, workato_account};

/// The rows of the page's list of syncs, newest first: (sync id, outcome).
fn listed(page: &str) -> Vec<(i64, String)> {
    let table = page.split(r#"<table class="syncs">"#).nth(1).expect("a list of syncs");
    let table = table.split("</table>").next().expect("end of the list");
    table
        .split(" data-run=\"")
        .skip(1)
        .map(|r| {
            let id = r[..r.find('"').expect("id end")].parse().expect("sync id");
            let outcome =
                r.split("data-outcome=\"").nth(1).and_then(|o| o.split('"').next()).expect("outcome");
            (id, outcome.to_owned())
        })
        .collect()
}

/// The part of `page` from the element with `id` on.
fn from<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id}\n{page}"));
    &page[at..]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_account_page_shows_syncs_their_chart_and_a_chosen_syncs_events() {
    let sim = Simulator::start().await.expect("simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, 12, 21));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &workspace.token(), false);
    let acme = std::fs::read_to_string(config.join("accounts/acme.toml")).expect("account file");
    std::fs::write(config.join("accounts/beta.toml"), acme).expect("second account file");
    let store = dir.path().join("roster.db");
    synced(&config, &store);

    let members = workspace.members_json();
    let gone = &members[0];
    let renamed = &members[1];
    assert!(workspace.remove_member(gone["id"].as_u64().expect("id")));
    assert!(
        workspace.update_member(renamed["id"].as_u64().expect("id"), |m| m["name"] = json!("Renamed Person"))
    );
    synced(&config, &store);
    workspace.revoke_token();
    assert!(!roster_sync(&config, &store).status.success(), "a sync with a revoked token fails");

    let s = Serve::start(&config, &store).await;
    let page = s.get("/accounts/acme").await;
    let runs = listed(&page);
    let outcomes: Vec<&str> = runs.iter().map(|(_, o)| o.as_str()).collect();
    assert_eq!(outcomes, ["failed", "ok", "ok"], "{page}");
    let (failed, second, first) = (runs[0].0, runs[1].0, runs[2].0);
    assert!(failed > second && second > first);
    let why = from(&page, "history").split(r#"<tr class="why">"#).nth(1).expect("the failure's row");
    assert!(why.contains(r#"<span class="kind">invalid_credentials</span>"#), "{why}");
    assert_eq!(page.matches(r#"<a class="events" href="?"#).count(), 2, "a link per committed sync\n{page}");
    // The link keeps the users view the page shows.
    assert!(
        page.contains(&format!(
            r#"href="?show=present&amp;days=90&amp;sort=email&amp;dir=asc&amp;run={second}#events""#
        )),
        "{page}"
    );
    let second_row = page.split(&format!(r#"data-run="{second}" data-outcome="ok">"#)).nth(1).expect("row");
    let cells: Vec<&str> = second_row
        .split("</tr>")
        .next()
        .expect("row end")
        .split(r#"<td class="num">"#)
        .skip(2)
        .map(|c| c.split('<').next().expect("cell"))
        .collect();
    assert_eq!(cells, ["11", "0", "1", "1", "0", "0"], "seen, added, changed, removed, restored, skipped");

    // The chart: one marker per committed sync, the second with one member removed.
    let chart = from(&page, "chart-users");
    let chart = &chart[..chart.find("</figure>").expect("chart end")];
    assert_eq!(chart.matches("<svg").count(), 1, "{chart}");
    assert_eq!(chart.matches(r#"<g class="sync""#).count(), 2, "{chart}");
    assert!(chart.contains(&format!(r#"<g class="sync" data-run="{first}">"#)), "{chart}");
    assert!(chart.contains(&format!("sync {second} · removed: 1</title>")), "{chart}");
    assert!(chart.contains(&format!("sync {first} · removed: 0</title>")), "{chart}");
    for status in ["active", "invited", "suspended", "removed"] {
        assert!(
            chart.contains(&format!(r#"<span class="swatch s-{status}"></span>{status}</li>"#)),
            "{chart}"
        );
    }
    assert!(!page.contains(r#"id="events""#), "no sync is chosen yet");

    // The events of the second sync: the removed member and the renamed one.
    let events = s.get(&format!("/accounts/acme?run={second}")).await;
    let events = from(&events, "events");
    assert!(events.contains("2 users touched"), "{events}");
    let email = |m: &serde_json::Value| m["email"].as_str().expect("email").to_owned();
    let removed_row = events.split(r#"<tr data-kind="removed">"#).nth(1).expect("a removed row");
    assert!(removed_row.split("</tr>").next().is_some_and(|r| r.contains(&email(gone))), "{events}");
    let changed_row = events.split(r#"<tr data-kind="changed">"#).nth(1).expect("a changed row");
    let changed_row = changed_row.split("</tr>").next().expect("row");
    assert!(changed_row.contains(&email(renamed)) && changed_row.contains("Renamed Person"), "{events}");
    let everyone = s.get(&format!("/accounts/acme?run={first}")).await;
    assert_eq!(from(&everyone, "events").matches(r#"<tr data-kind="added">"#).count(), 12);

    // Notes: a failed sync, another account's, an unknown one, and a malformed choice.
    let page = s.get(&format!("/accounts/acme?run={failed}")).await;
    assert!(from(&page, "events").contains("failed: it committed nothing"), "{page}");
    let beta = listed(&s.get("/accounts/beta").await);
    assert_eq!(beta.len(), 3);
    for id in [beta[1].0, 999_999] {
        let page = s.get(&format!("/accounts/acme?run={id}")).await;
        assert!(from(&page, "events").contains("is not one of this account's latest syncs"), "{page}");
    }
    let page = s.get("/accounts/acme?run=abc").await;
    assert!(from(&page, "events").contains("is not a sync number"), "{page}");
    sim.shutdown();
}

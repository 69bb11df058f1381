//! `/api/activity_logs`: add-on gating, shape, cursor paging and filters.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use reqwest::StatusCode;
use roster_workato_sim::WorkspaceSpec;
use serde_json::{Value, json};

use crate::common::{get_json, sim_with};

async fn all_pages(sim: &roster_workato_sim::Simulator, token: &str, extra: &str) -> (Vec<Value>, u64) {
    let mut out = Vec::new();
    let mut after: Option<u64> = None;
    let mut total = None;
    loop {
        let cursor = after.map(|a| format!("&page[after]={a}")).unwrap_or_default();
        let (status, body) =
            get_json(sim, Some(token), &format!("/api/activity_logs?page[size]=100{cursor}{extra}")).await;
        assert_eq!(status, StatusCode::OK);
        let page = body["data"].as_array().unwrap().clone();
        let t = body["total"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(t), t, "total is stable across pages");
        assert!(page.len() <= 100);
        let Some(last) = page.last() else { break };
        after = last["id"].as_u64();
        out.extend(page);
    }
    (out, total.unwrap_or(0))
}

fn ts(v: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(v["timestamp"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn refused_without_the_add_on() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    let (status, body) = get_json(&sim, Some(&ws.token()), "/api/activity_logs").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"].is_string());
}

#[tokio::test]
async fn paging_covers_the_whole_log_consistently() {
    let (sim, ws) = sim_with(1, 150, |s| s.settings.audit_log_addon = true).await;
    let token = ws.token();
    let (entries, total) = all_pages(&sim, &token, "").await;
    assert_eq!(entries.len() as u64, total);
    assert!(entries.len() > 150 * 2);
    let ids: Vec<u64> = entries.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids ascend");
    assert!(entries.windows(2).all(|w| ts(&w[0]) <= ts(&w[1])), "time ascends with ids");

    let mut last_login: BTreeMap<u64, DateTime<FixedOffset>> = BTreeMap::new();
    let mut last_event: HashMap<u64, &Value> = HashMap::new();
    for e in &entries {
        assert!(e["event_type"].is_string());
        assert_eq!(
            e["workspace"],
            json!({"id": 1, "name": ws.name(), "email": "api-1@workato.com", "environment": "dev"})
        );
        assert!(e["user"]["id"].is_u64() && e["user"]["email"].is_string() && e["user"]["name"].is_string());
        assert!(e["details"]["request"]["user_agent"].is_string());
        assert!(e["details"]["request"]["ip_address"].is_string());
        assert!(e["details"]["activity"].is_string());
        assert!(e["resource"]["type"].is_string() && e["resource"]["id"].is_u64());
        let user = e["user"]["id"].as_u64().unwrap();
        if e["event_type"] == "user_login" {
            assert_eq!(e["resource"]["type"], "User");
            assert_eq!(e["resource"]["id"], user);
            last_login.insert(user, ts(e));
        }
        last_event.insert(user, e);
    }
    assert_eq!(last_login, ws.last_logins());

    // Each member's last_activity_log is its latest event in the log.
    for m in ws.members_json() {
        let id = m["id"].as_u64().unwrap();
        match (m["last_activity_log"].as_object(), last_event.get(&id)) {
            (None, None) => {}
            (Some(log), Some(e)) => {
                assert_eq!(log["id"], e["id"]);
                assert_eq!(log["event_type"], e["event_type"]);
                assert_eq!(log["created_at"], e["timestamp"]);
            }
            (log, e) => panic!("member {id}: {log:?} vs {e:?}"),
        }
    }
}

#[tokio::test]
async fn filters_and_page_size() {
    let (sim, ws) = sim_with(1, 100, |s| s.settings.audit_log_addon = true).await;
    let token = ws.token();
    let (everything, _) = all_pages(&sim, &token, "").await;

    let middle = &everything[everything.len() / 2];
    let from = middle["timestamp"].as_str().unwrap().replace('+', "%2B");
    let (recent, total) = all_pages(&sim, &token, &format!("&from={from}")).await;
    assert_eq!(recent.len() as u64, total);
    assert_eq!(recent.first(), Some(middle));
    assert!(recent.iter().all(|e| ts(e) >= ts(middle)));
    let expected = everything.iter().filter(|e| ts(e) >= ts(middle)).count();
    assert_eq!(recent.len(), expected);

    let (logins, total) = all_pages(&sim, &token, "&include_event_types[]=user_login").await;
    assert_eq!(logins.len() as u64, total);
    assert!(logins.iter().all(|e| e["event_type"] == "user_login"));
    assert_eq!(logins.len(), everything.iter().filter(|e| e["event_type"] == "user_login").count());

    let (recipes, _) = all_pages(&sim, &token, "&include_resource_types%5B%5D=Recipe").await;
    assert!(!recipes.is_empty() && recipes.iter().all(|e| e["resource"]["type"] == "Recipe"));

    let (status, body) = get_json(&sim, Some(&token), "/api/activity_logs?page[size]=5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"].as_array().unwrap().len(), 5);
    assert_eq!(body["total"].as_u64().unwrap() as usize, everything.len());
    let (_, body) = get_json(&sim, Some(&token), "/api/activity_logs?page[size]=1000").await;
    assert_eq!(body["data"].as_array().unwrap().len(), 100);
    let (_, body) = get_json(&sim, Some(&token), "/api/activity_logs").await;
    assert_eq!(body["data"].as_array().unwrap().len(), 100);

    for bad in ["page[after]=abc", "page[size]=x", "from=yesterday"] {
        let (status, body) = get_json(&sim, Some(&token), &format!("/api/activity_logs?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(body["message"].is_string());
    }
}

#[tokio::test]
async fn added_logins_for_explicit_members() {
    let sim = roster_workato_sim::Simulator::start().await.unwrap();
    let mut spec = WorkspaceSpec::generated(3, 0, 1);
    spec.settings.audit_log_addon = true;
    spec.members = roster_workato_sim::Members::Explicit(vec![
        json!({"id": 1, "name": "Ada", "email": "ada@x.io", "last_activity_log": null}),
    ]);
    let ws = sim.add_workspace(spec);
    let (_, body) = get_json(&sim, Some(&ws.token()), "/api/activity_logs").await;
    assert_eq!(body, json!({"data": [], "total": 0}));

    let at = DateTime::parse_from_rfc3339("2025-03-04T05:06:07.089-05:00").unwrap();
    let id = ws.add_login(1, at).unwrap();
    assert!(ws.add_login(2, at).is_none());
    let (_, body) = get_json(&sim, Some(&ws.token()), "/api/activity_logs").await;
    assert_eq!(body["total"], 1);
    let e = &body["data"][0];
    assert_eq!(e["id"], id);
    assert_eq!(e["event_type"], "user_login");
    assert_eq!(e["timestamp"], "2025-03-04T05:06:07.089-05:00");
    assert_eq!(e["user"], json!({"id": 1, "name": "Ada", "email": "ada@x.io"}));
    assert_eq!(ws.member_json(1).unwrap()["last_activity_log"]["id"], id);
    assert_eq!(ws.last_logins().get(&1), Some(&at));

    let ids = ws.add_activity(vec![json!({"event_type": "recipe_started", "timestamp": "2025-03-05T00:00:00Z", "resource": {"type": "Recipe"}})]);
    assert_eq!(ids, vec![id + 1]);
    let (_, body) = get_json(&sim, Some(&ws.token()), "/api/activity_logs?from=2025-03-05T00:00:00Z").await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["data"][0]["id"], id + 1);
    let (_, body) = get_json(&sim, Some(&ws.token()), &format!("/api/activity_logs?page[after]={id}")).await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
}

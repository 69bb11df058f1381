//! Shapes of each endpoint.

use reqwest::StatusCode;
use roster_workato_sim::{JSON_CONTENT_TYPE, Members, WorkspaceSpec};
use serde_json::{Value, json};

use crate::common::{client, content_type, get, get_json, sim_with};

fn is_rails_time(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 29 && chrono::DateTime::parse_from_rfc3339(s).is_ok() && s.as_bytes()[19] == b'.'
    })
}

#[tokio::test]
async fn users_me_has_the_documented_shape() {
    let (sim, ws) = sim_with(7, 3, |_| {}).await;
    let resp = get(&sim, Some(&ws.token()), "/api/users/me").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(content_type(&resp), JSON_CONTENT_TYPE);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["id"], 7);
    assert_eq!(me["plan_id"], "oem_plan");
    for key in ["created_at", "current_billing_period_start", "current_billing_period_end", "last_seen"] {
        assert!(is_rails_time(&me[key]), "{key}: {}", me[key]);
    }
    for key in ["recipes_count", "active_recipes_count", "root_folder_id"] {
        assert!(me[key].is_u64(), "{key}");
    }
    for key in ["company_name", "location", "contact_phone", "contact_email", "about_me"] {
        assert!(me[key].is_null(), "{key}");
    }
    assert_eq!(me["expert"], false);
    assert_eq!(me["interested_applications"], json!([]));
    assert!(me["email"].is_string() && me["name"].is_string() && me["avatar_url"].is_string());
}

#[tokio::test]
async fn members_list_is_one_envelope_with_realistic_variety() {
    let (sim, ws) = sim_with(1, 1000, |_| {}).await;
    let (status, body) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(status, StatusCode::OK);
    let data = body["data"].as_array().unwrap();
    assert_eq!(body["total"], 1000);
    assert_eq!(data.len(), 1000);
    assert_eq!(data, &ws.members_json());

    let mut flat = 0;
    let mut null_log = 0;
    let mut without_role_type = 0;
    let mut multi_env = 0;
    let mut non_ascii = 0;
    for m in data {
        assert!(m["id"].is_u64());
        assert_eq!(m["grant_type"], "team");
        assert!(m["email"].as_str().unwrap().contains('@'));
        assert!(m["time_zone"].is_string());
        assert!(is_rails_time(&m["created_at"]), "{}", m["created_at"]);
        assert!(m["external_id"].is_null() || m["external_id"].as_str().unwrap().starts_with("E-"));
        non_ascii += usize::from(!m["name"].as_str().unwrap().is_ascii());
        match m["last_activity_log"].as_object() {
            None => null_log += 1,
            Some(log) => {
                assert!(log["id"].is_u64());
                assert!(log["event_type"].is_string());
                assert!(is_rails_time(&log["created_at"]));
            }
        }
        match m.get("roles").and_then(Value::as_array) {
            None => {
                flat += 1;
                assert!(m["role_name"].is_string());
            }
            Some(roles) => {
                assert_eq!(roles[0]["environment_type"], "dev");
                multi_env += usize::from(roles.len() > 1);
                for r in roles {
                    assert!(
                        ["Admin", "Analyst", "Operator", "Recipe reviewer"]
                            .contains(&r["role_name"].as_str().unwrap())
                    );
                    match r.get("role_type") {
                        None => without_role_type += 1,
                        Some(t) => assert_eq!(t, "privilege_group"),
                    }
                }
            }
        }
    }
    assert!((5..80).contains(&flat), "flat members: {flat}");
    assert!((80..260).contains(&null_log), "null last_activity_log: {null_log}");
    assert!(without_role_type > 0 && multi_env > 0 && non_ascii > 0);
}

#[tokio::test]
async fn even_workspaces_use_rbac_v2_roles() {
    let (sim, ws) = sim_with(2, 50, |_| {}).await;
    let (_, body) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    let roles: Vec<&Value> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.get("roles").and_then(Value::as_array))
        .flatten()
        .collect();
    assert!(!roles.is_empty());
    for r in roles {
        assert_eq!(r["role_type"], "environment");
        assert!(
            ["Environment admin", "Environment manager", "Member", "Recipe reviewer"]
                .contains(&r["role_name"].as_str().unwrap())
        );
    }
}

#[tokio::test]
async fn single_member_bare_wrapped_and_not_found() {
    let (sim, ws) = sim_with(1, 10, |_| {}).await;
    let token = ws.token();
    let (status, bare) = get_json(&sim, Some(&token), "/api/members/1003").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(Some(bare.clone()), ws.member_json(1003));

    ws.update_settings(|s| s.wrap_single_member = true);
    let (_, wrapped) = get_json(&sim, Some(&token), "/api/members/1003").await;
    assert_eq!(wrapped, json!({ "data": bare }));

    for path in ["/api/members/999", "/api/members/1010", "/api/members/abc", "/api/members/-1"] {
        let (status, body) = get_json(&sim, Some(&token), path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body, json!({"message": "Not found"}));
    }
    let (status, body) = get_json(&sim, Some(&token), "/api/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["message"].is_string());
}

#[tokio::test]
async fn privileges_list_each_environment_role() {
    let (sim, ws) = sim_with(1, 40, |_| {}).await;
    let token = ws.token();
    for member in ws.members_json().iter().take(15) {
        let id = member["id"].as_u64().unwrap();
        let (status, body) = get_json(&sim, Some(&token), &format!("/api/members/{id}/privileges")).await;
        assert_eq!(status, StatusCode::OK);
        let data = body["data"].as_array().unwrap();
        let expected = member.get("roles").and_then(Value::as_array).map_or(1, Vec::len);
        assert_eq!(data.len(), expected);
        assert_eq!(body["total"], expected);
        for p in data {
            assert!(["dev", "test", "prod"].contains(&p["environment_type"].as_str().unwrap()));
            assert!(p["name"].is_string());
            assert!(p["privileges"]["Recipes"].as_array().unwrap().contains(&json!("read")));
            assert!(p["folder_ids"].as_array().is_some_and(|f| !f.is_empty()));
        }
    }
    let (status, _) = get_json(&sim, Some(&token), "/api/members/5/privileges").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn email_filter_is_a_case_insensitive_substring() {
    let (sim, ws) = sim_with(1, 300, |_| {}).await;
    let token = ws.token();
    let target = ws.members_json()[150]["email"].as_str().unwrap().to_owned();
    let needle = target.split('@').next().unwrap().to_uppercase();
    let (_, body) = get_json(&sim, Some(&token), &format!("/api/members?email={needle}")).await;
    let data = body["data"].as_array().unwrap();
    assert_eq!(body["total"].as_u64().unwrap() as usize, data.len());
    assert!(data.iter().any(|m| m["email"] == target.as_str()));
    for m in data {
        assert!(m["email"].as_str().unwrap().to_uppercase().contains(&needle));
    }

    let (_, body) = get_json(&sim, Some(&token), "/api/members?email=EXAMPLE.COM").await;
    let n = body["data"].as_array().unwrap().len();
    assert!(n > 0 && n < 300);
    let (_, none) = get_json(&sim, Some(&token), "/api/members?email=nobody-here").await;
    assert_eq!(none, json!({"data": [], "total": 0}));
}

#[tokio::test]
async fn membership_changes_show_up() {
    let (sim, ws) = sim_with(1, 20, |_| {}).await;
    let token = ws.token();
    assert!(ws.remove_member(1005));
    assert!(!ws.remove_member(1005));
    let (status, _) = get_json(&sim, Some(&token), "/api/members/1005").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body) = get_json(&sim, Some(&token), "/api/members").await;
    assert_eq!(body["total"], 19);
    assert_eq!(ws.member_count(), 19);

    ws.set_member_count(30);
    let (_, body) = get_json(&sim, Some(&token), "/api/members").await;
    assert_eq!(body["total"], 29);
    ws.set_member_count(10);
    assert_eq!(ws.members_json().len(), 9);

    let explicit = vec![
        json!({"id": 1, "grant_type": "team", "role_name": "Admin", "name": "Ada", "email": "ada@x.io", "time_zone": "UTC"}),
        json!({"id": 2, "grant_type": "team", "roles": [], "last_activity_log": null, "name": "Bo", "email": "bo@x.io", "time_zone": "UTC", "created_at": "2024-01-01T00:00:00.000+00:00"}),
    ];
    ws.set_members(explicit.clone());
    let (_, body) = get_json(&sim, Some(&token), "/api/members").await;
    assert_eq!(body, json!({"data": explicit, "total": 2}));
    assert!(ws.update_member(2, |m| m["name"] = json!("Bob")));
    let (_, bob) = get_json(&sim, Some(&token), "/api/members/2").await;
    assert_eq!(bob["name"], "Bob");
    ws.set_member_count(3);
    assert_eq!(ws.members_json()[2]["id"], 3);
}

#[tokio::test]
async fn explicit_workspaces_and_several_tokens() {
    let sim = roster_workato_sim::Simulator::start().await.unwrap();
    let mut spec = WorkspaceSpec::generated(5, 0, 1);
    spec.members = Members::Explicit(vec![json!({"id": 9, "name": "Nine", "email": "n@x.io"})]);
    let a = sim.add_workspace(spec);
    let b = sim.add_workspace(WorkspaceSpec::generated(6, 3, 1));
    assert_ne!(a.token(), b.token());
    assert!(a.token().starts_with("wrkaus-sim-5-"));
    assert_eq!(sim.workspaces().len(), 2);
    assert_eq!(sim.workspace(&b.token()).unwrap().id(), 6);
    let (_, body) = get_json(&sim, Some(&a.token()), "/api/members").await;
    assert_eq!(body["total"], 1);
    let (_, body) = get_json(&sim, Some(&b.token()), "/api/members").await;
    assert_eq!(body["total"], 3);
    let log = sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].path, "/api/members");
    assert_eq!(log[0].authorization.as_deref(), Some(format!("Bearer {}", a.token()).as_str()));
    let stats = b.stats();
    assert_eq!(stats.requests, 1);
    assert_eq!(stats.by_path.get("/api/members"), Some(&1));
    sim.shutdown();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let refused = client().get(format!("{}/api/members", sim.base_url())).bearer_auth(a.token()).send().await;
    assert!(refused.is_err());
}

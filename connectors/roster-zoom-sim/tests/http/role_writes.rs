//! A role's members: assigning replaces the user's role, withdrawing makes them a Member,
//! and `GET /v2/roles` counts follow; Zoom's refusals and the scopes.

use reqwest::{Method, StatusCode};
use roster_zoom_sim::Fault;
use serde_json::{Value, json};

use crate::common::{get_json, people, send, token};

async fn members_of(sim: &roster_zoom_sim::Simulator, t: &str, role: &str) -> u64 {
    let (_, body) = get_json(sim, t, "/v2/roles").await;
    body["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["id"] == role)
        .and_then(|r| r["total_members"].as_u64())
        .unwrap_or(99)
}

#[tokio::test]
async fn assigning_a_role_replaces_the_users_role() {
    let (sim, _account, t) = people(|_| {}).await;
    assert_eq!((members_of(&sim, &t, "1").await, members_of(&sim, &t, "2").await), (1, 4));
    let body = json!({"members": [{"id": "mem"}, {"email": "BAS@acme.io"}, {"id": "nope"}, {"id": "own"}, {"email": "new@acme.io"}]});
    let (status, answer) = send(&sim, &t, Method::POST, "/v2/roles/1/members", Some(body)).await;
    assert_eq!((status, answer["ids"].as_str()), (StatusCode::CREATED, Some("mem,bas")), "{answer}");
    assert!(answer["add_at"].as_str().is_some_and(|a| a.len() == 20 && a.ends_with('Z')), "{answer}");
    assert_eq!(get_json(&sim, &t, "/v2/users/mem").await.1["role_name"], "Admin");
    assert_eq!((members_of(&sim, &t, "1").await, members_of(&sim, &t, "2").await), (3, 2));
    assert_eq!(get_json(&sim, &t, "/v2/users?role_id=1").await.1["total_records"], 3);
}

#[tokio::test]
async fn assigning_refuses_unknown_owner_and_member_roles_and_big_batches() {
    let (sim, account, t) = people(|_| {}).await;
    let post = |role: &str, body: Value| {
        send(&sim, &t, Method::POST, format!("/v2/roles/{role}/members"), Some(body))
    };
    let one = json!({"members": [{"id": "mem"}]});
    assert_eq!(
        post("nope", one.clone()).await,
        (StatusCode::BAD_REQUEST, json!({"code": 1034, "message": "Provided role_id does not exist."}))
    );
    let normal = json!({"code": 300, "message": "Can't delete or add members for Normal/Owner roles."});
    assert_eq!(post("0", one.clone()).await, (StatusCode::BAD_REQUEST, normal.clone()));
    assert_eq!(post("2", one.clone()).await, (StatusCode::BAD_REQUEST, normal));
    let many: Vec<Value> = (0..31).map(|i| json!({"id": format!("u{i}")})).collect();
    assert_eq!(post("1", json!({ "members": many })).await.1["code"], 300);
    assert_eq!(post("1", json!({"members": []})).await.1["code"], 300);
    account.set_scopes(&["role:read:list_roles:admin"]);
    let narrow = token(&sim, &account).await;
    let refused = send(&sim, &narrow, Method::POST, "/v2/roles/1/members", Some(one)).await;
    assert_eq!(
        refused.1["message"],
        "Invalid access token, does not contain scopes:[role:write:member:admin]."
    );
}

#[tokio::test]
async fn withdrawing_a_role_makes_the_user_a_member() {
    let (sim, account, t) = people(|_| {}).await;
    let delete = |path: &'static str| send(&sim, &t, Method::DELETE, path, None);
    assert_eq!(delete("/v2/roles/1/members/adm").await, (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(get_json(&sim, &t, "/v2/users/adm").await.1["role_name"], "Member");
    assert_eq!(members_of(&sim, &t, "1").await, 0);
    assert_eq!(
        delete("/v2/roles/1/members/adm").await,
        (StatusCode::NOT_FOUND, json!({"code": 1001, "message": "User does not exist: adm."}))
    );
    account.update_settings(|s| s.writes.not_in_role_is_400 = true);
    assert_eq!(delete("/v2/roles/1/members/adm").await.1["code"], 300);
    assert_eq!(delete("/v2/roles/nope/members/adm").await.1["code"], 1034);
    assert_eq!(delete("/v2/roles/2/members/mem").await.1["code"], 300);
    account.set_scopes(&["role:write:member:admin"]);
    let narrow = token(&sim, &account).await;
    let refused = send(&sim, &narrow, Method::DELETE, "/v2/roles/1/members/adm", None).await;
    assert_eq!(
        refused.1["message"],
        "Invalid access token, does not contain scopes:[role:delete:member:admin]."
    );
}

#[tokio::test]
async fn faults_reach_writes_by_method_and_path() {
    let (sim, account, t) = people(|_| {}).await;
    account.push_fault(Fault::Status(503), 1, Some("PUT /v2/users"));
    let body = Some(json!({"action": "deactivate"}));
    assert_eq!(get_json(&sim, &t, "/v2/users/mem").await.0, StatusCode::OK, "a GET is not the route");
    assert_eq!(
        send(&sim, &t, Method::PUT, "/v2/users/mem/status", body.clone()).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(send(&sim, &t, Method::PUT, "/v2/users/mem/status", body).await.0, StatusCode::NO_CONTENT);
    assert_eq!((account.stats().faults, account.stats().path("/v2/users/mem/status")), (1, 2));
}

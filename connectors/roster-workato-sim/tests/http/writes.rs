//! The collaborator writes: `DELETE` and `PUT /api/members/:id`, their privileges, their
//! refusals, their switches, and what later reads show.

use reqwest::Method;
use reqwest::StatusCode;
use roster_workato_sim::{Fault, RateLimit, Simulator, Workspace};
use serde_json::{Value, json};

use crate::common::{get_json, send, sim_with};

const UNAUTHORIZED: &str = "Unauthorized";

/// A workspace (odd id: legacy roles; even: RBAC v2) whose collaborator 1001 holds these roles.
async fn with_roles(id: u64, roles: Value) -> (Simulator, Workspace) {
    let (sim, ws) = sim_with(id, 3, |_| {}).await;
    assert!(ws.update_member(1001, |m| m["roles"] = roles));
    (sim, ws)
}

async fn put_roles(sim: &Simulator, ws: &Workspace, env_roles: Value) -> (StatusCode, Value) {
    send(sim, ws, Method::PUT, "/api/members/1001", Some(json!({ "env_roles": env_roles }))).await
}

#[tokio::test]
async fn delete_removes_the_collaborator_from_every_read() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    let t = ws.token();
    assert_eq!(
        send(&sim, &ws, Method::DELETE, "/api/members/1002", None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let (_, list) = get_json(&sim, Some(&t), "/api/members").await;
    assert_eq!(list["total"], 4);
    assert!(list["data"].as_array().is_some_and(|d| d.iter().all(|m| m["id"] != 1002)));
    assert_eq!(
        get_json(&sim, Some(&t), "/api/members/1002").await,
        (StatusCode::NOT_FOUND, json!({"message": "Not found"}))
    );
    assert_eq!(send(&sim, &ws, Method::DELETE, "/api/members/1002", None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(send(&sim, &ws, Method::DELETE, "/api/members/abc", None).await.0, StatusCode::NOT_FOUND);
    let stats = ws.stats();
    assert_eq!((stats.path("/api/members/:id"), stats.counter("members_deleted")), (3, 1));
}

#[tokio::test]
async fn delete_may_answer_200_and_refuses_the_owner() {
    let (sim, ws) = with_roles(1, json!([{"environment_type": "dev", "role_name": "Team Owner"}])).await;
    ws.update_settings(|s| s.writes.delete_answers_200 = true);
    let (status, body) = send(&sim, &ws, Method::DELETE, "/api/members/1001", None).await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({"message": "The workspace owner cannot be removed"}))
    );
    assert_eq!(send(&sim, &ws, Method::DELETE, "/api/members/1000", None).await, (StatusCode::OK, json!({})));
}

#[tokio::test]
async fn each_write_needs_its_privilege_refused_like_reads() {
    let (sim, ws) = sim_with(1, 3, |_| {}).await;
    let body = json!({"env_roles": [{"environment_type": "dev", "name": "Analyst"}]});
    let put = || send(&sim, &ws, Method::PUT, "/api/members/1000", Some(body.clone()));
    let delete = || send(&sim, &ws, Method::DELETE, "/api/members/1000", None);
    ws.update_settings(|s| s.client_role.update_collaborator_roles = false);
    assert_eq!(put().await, (StatusCode::UNAUTHORIZED, json!({"message": UNAUTHORIZED})));
    ws.update_settings(|s| s.missing_privilege_status = 403);
    assert_eq!(put().await.0, StatusCode::FORBIDDEN);
    ws.update_settings(|s| {
        s.missing_privilege_status = 401;
        s.client_role.delete_collaborators = false;
    });
    assert_eq!(delete().await.0, StatusCode::UNAUTHORIZED);
    // Early access: a workspace without the endpoint refuses whatever the role says.
    ws.update_settings(|s| {
        s.client_role.delete_collaborators = true;
        s.writes.delete_endpoint_unavailable = true;
    });
    assert_eq!(delete().await.0, StatusCode::UNAUTHORIZED);
    ws.update_settings(|s| {
        s.writes.delete_endpoint_unavailable = false;
        s.client_role.get_collaborator = false;
    });
    assert_eq!(get_json(&sim, Some(&ws.token()), "/api/members/1000").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get_json(&sim, Some(&ws.token()), "/api/members").await.0, StatusCode::OK);
    ws.update_settings(|s| s.environment = "prod".into());
    assert_eq!(delete().await.0, StatusCode::UNAUTHORIZED, "collaborators are managed from DEV only");
    assert_eq!(ws.member_count(), 3, "nothing was deleted");
}

#[tokio::test]
async fn put_changes_only_the_named_environments() {
    let (sim, ws) = with_roles(
        1,
        json!([{"environment_type": "dev", "role_name": "Admin"}, {"environment_type": "prod", "role_name": "Operator"}]),
    )
    .await;
    let (status, body) = put_roles(
        &sim,
        &ws,
        json!([{"environment_type": "prod", "name": "NoAccess"}, {"environment_type": "test", "name": "Analyst"}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected = json!([
        {"environment_type": "dev", "role_name": "Admin"},
        {"environment_type": "test", "role_name": "Analyst", "role_type": "privilege_group"}
    ]);
    assert_eq!(body["data"]["roles"], expected);
    let (_, one) = get_json(&sim, Some(&ws.token()), "/api/members/1001").await;
    assert_eq!(one["roles"], expected);
    let (_, list) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(list["data"][1]["roles"], expected);
    assert_eq!(
        put_roles(&sim, &ws, json!([{"environment_type": "test", "name": "Analyst"}])).await.0,
        StatusCode::OK
    );
    assert_eq!(ws.stats().counter("roles_updated"), 2);
}

#[tokio::test]
async fn no_access_may_stay_as_an_entry_and_the_answer_may_be_result_ok() {
    let (sim, ws) = with_roles(1, json!([{"environment_type": "prod", "role_name": "Operator"}])).await;
    ws.update_settings(|s| {
        s.writes.no_access_keeps_entry = true;
        s.writes.put_answers_result_ok = true;
    });
    let answer = put_roles(&sim, &ws, json!([{"environment_type": "prod", "name": "NoAccess"}])).await;
    assert_eq!(answer, (StatusCode::OK, json!({"result": "ok"})));
    let (_, one) = get_json(&sim, Some(&ws.token()), "/api/members/1001").await;
    assert_eq!(one["roles"], json!([{"environment_type": "prod", "role_name": "NoAccess"}]));
}

#[tokio::test]
async fn rbac_v2_workspaces_take_environment_roles_only() {
    let (sim, ws) = with_roles(
        2,
        json!([{"environment_type": "dev", "role_name": "Member", "role_type": "environment"}]),
    )
    .await;
    let refused = |body: Value| async { send(&sim, &ws, Method::PUT, "/api/members/1001", Some(body)).await };
    for (body, says) in [
        (
            json!({"env_roles": [{"environment_type": "dev", "name": "Environment admin"}]}),
            "role_type privilege_group is not supported: use role_type environment",
        ),
        (
            json!({"env_roles": [{"environment_type": "dev", "name": "Admin", "role_type": "environment"}]}),
            "Role Admin not found",
        ),
        (
            json!({"env_roles": [{"environment_type": "staging", "name": "Member", "role_type": "environment"}]}),
            "Environment staging not found",
        ),
        (
            json!({"role_name": "Member"}),
            "role_name is no longer supported: use env_roles with role_type environment",
        ),
        (json!({"env_roles": []}), "env_roles is required"),
    ] {
        assert_eq!(
            refused(body.clone()).await,
            (StatusCode::BAD_REQUEST, json!({"message": says})),
            "{body}"
        );
    }
    let good =
        json!([{"environment_type": "prod", "name": "Environment manager", "role_type": "environment"}]);
    assert_eq!(put_roles(&sim, &ws, good).await.0, StatusCode::OK);
    assert_eq!(
        put_roles(&sim, &ws, json!([{"environment_type": "dev", "name": "NoAccess"}])).await.0,
        StatusCode::OK
    );
    ws.update_settings(|s| s.writes.no_access_on_dev_refused = true);
    assert_eq!(
        put_roles(&sim, &ws, json!([{"environment_type": "dev", "name": "NoAccess"}])).await.0,
        StatusCode::BAD_REQUEST
    );
    let (_, one) = get_json(&sim, Some(&ws.token()), "/api/members/1001").await;
    assert_eq!(
        one["roles"],
        json!([{"environment_type": "prod", "role_name": "Environment manager", "role_type": "environment"}])
    );
}

#[tokio::test]
async fn put_on_an_unknown_collaborator_is_404_and_bad_json_is_400() {
    let (sim, ws) = sim_with(1, 2, |_| {}).await;
    let body = json!({"env_roles": [{"environment_type": "dev", "name": "Analyst"}]});
    assert_eq!(send(&sim, &ws, Method::PUT, "/api/members/4242", Some(body)).await.0, StatusCode::NOT_FOUND);
    let resp = roster_sim_kit::probe::client()
        .put(format!("{}/api/members/1000", sim.base_url()))
        .bearer_auth(ws.token())
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn faults_and_the_rate_limit_reach_writes() {
    let (sim, ws) =
        sim_with(1, 3, |s| s.settings.rate_limit = Some(RateLimit { per_minute: 2, ..RateLimit::default() }))
            .await;
    ws.push_fault(Fault::Status(503), 1, Some("DELETE /api/members"));
    assert_eq!(
        get_json(&sim, Some(&ws.token()), "/api/members/1000").await.0,
        StatusCode::OK,
        "a GET is not the route"
    );
    assert_eq!(
        send(&sim, &ws, Method::DELETE, "/api/members/1000", None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        send(&sim, &ws, Method::DELETE, "/api/members/1000", None).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    ws.reset_rate_limit();
    assert_eq!(send(&sim, &ws, Method::DELETE, "/api/members/1000", None).await.0, StatusCode::NO_CONTENT);
    assert_eq!((ws.stats().faults, ws.stats().rate_limited), (1, 1));
}

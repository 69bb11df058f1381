//! Authentication, client-role privileges and the DEV-environment rule.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{client, get_json, sim_with};

#[tokio::test]
async fn bad_or_missing_tokens_get_401() {
    let (sim, ws) = sim_with(1, 5, |_| {}).await;
    let unauthorized = json!({"message": "Unauthorized"});
    for token in [None, Some("wrkaus-unknown"), Some("")] {
        let (status, body) = get_json(&sim, token, "/api/users/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(body, unauthorized);
    }
    let resp = client()
        .get(format!("{}/api/members", sim.base_url()))
        .header("Authorization", format!("Basic {}", ws.token()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = client()
        .get(format!("{}/api/members", sim.base_url()))
        .header("x-user-token", ws.token())
        .header("x-user-email", "a@b.c")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    ws.revoke_token();
    let (status, body) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, unauthorized);
    ws.restore_token();
    let (status, _) = get_json(&sim, Some(&ws.token()), "/api/members").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn missing_privileges_get_401_or_403() {
    let (sim, ws) = sim_with(1, 5, |s| s.settings.client_role.collaborators = false).await;
    let token = ws.token();
    for path in ["/api/members", "/api/members/1000", "/api/members/1000/privileges"] {
        let (status, body) = get_json(&sim, Some(&token), path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(body["message"].is_string());
    }
    let (status, _) = get_json(&sim, Some(&token), "/api/users/me").await;
    assert_eq!(status, StatusCode::OK);

    ws.update_settings(|s| s.missing_privilege_status = 403);
    let (status, body) = get_json(&sim, Some(&token), "/api/members").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"].as_str().unwrap().to_lowercase().contains("privilege"));

    ws.update_settings(|s| {
        s.client_role.collaborators = true;
        s.client_role.workspace_details = false;
        s.missing_privilege_status = 401;
    });
    let (status, _) = get_json(&sim, Some(&token), "/api/users/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = get_json(&sim, Some(&token), "/api/members").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn non_dev_clients_are_refused_on_details_and_collaborators() {
    let (sim, ws) = sim_with(1, 5, |s| {
        s.settings.environment = "prod".into();
        s.settings.audit_log_addon = true;
    })
    .await;
    let token = ws.token();
    for path in ["/api/users/me", "/api/members", "/api/members/1000", "/api/members/1000/privileges"] {
        let (status, _) = get_json(&sim, Some(&token), path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    ws.update_settings(|s| s.missing_privilege_status = 403);
    let (status, body) = get_json(&sim, Some(&token), "/api/members").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"].as_str().unwrap().contains("DEV"));
    // Activity logs are per environment: a prod client may read them.
    let (status, body) = get_json(&sim, Some(&token), "/api/activity_logs").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["workspace"]["environment"], "prod");
}

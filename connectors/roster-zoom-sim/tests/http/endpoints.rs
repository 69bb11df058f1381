//! Roles, plan usage and scopes.

use reqwest::StatusCode;
use roster_zoom_sim::Plan;
use serde_json::{Value, json};

use crate::common::{get_json, sim_with, token};

#[tokio::test]
async fn roles_list_system_and_custom_roles_with_member_counts() {
    let (sim, account) = sim_with(300, |s| s.settings.rate_limit = None).await;
    let t = token(&sim, &account).await;
    let (code, body) = get_json(&sim, &t, "/v2/roles").await;
    assert_eq!(code, StatusCode::OK);
    let roles = body["roles"].as_array().cloned().unwrap_or_default();
    assert_eq!(body["total_records"], json!(roles.len()));
    let names: Vec<&str> = roles.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(&names[..3], ["Owner", "Admin", "Member"]);
    let counted: u64 = roles.iter().filter_map(|r| r["total_members"].as_u64()).sum();
    assert_eq!(counted, 300, "every generated user holds a listed role");
    let users = account.users_json();
    for role in &roles {
        assert!(users.iter().any(|u| u["role_id"] == role["id"]), "nobody holds {role}");
    }
}

#[tokio::test]
async fn plan_usage_counts_licensed_users() {
    let (sim, account) = sim_with(200, |s| s.settings.plan.hosts = 500).await;
    let t = token(&sim, &account).await;
    let (code, body) = get_json(&sim, &t, "/v2/accounts/me/plans/usage").await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let licensed = account.users_json().iter().filter(|u| u["type"] == 2 && u["status"] != "pending").count();
    assert_eq!(
        body["plan_base"],
        json!({"type": "monthly", "hosts": 500, "usage": licensed, "pending": body["plan_base"]["pending"]})
    );
    let (code, _) = get_json(&sim, &t, &format!("/v2/accounts/{}/plans/usage", account.account_id())).await;
    assert_eq!(code, StatusCode::OK);

    account.update_settings(|s| s.plan = Plan { base_as_array: true, ..Plan::default() });
    let (_, body) = get_json(&sim, &t, "/v2/accounts/me/plans/usage").await;
    assert!(body["plan_base"][0]["active_hosts"].is_u64(), "{body}");

    account.update_settings(|s| s.plan.paid = false);
    let (code, body) = get_json(&sim, &t, "/v2/accounts/me/plans/usage").await;
    assert_eq!(
        (code, body),
        (StatusCode::BAD_REQUEST, json!({"code": 200, "message": "Only available for paid account."}))
    );
}

#[tokio::test]
async fn a_missing_scope_is_code_4711_naming_the_scopes() {
    let (sim, account) = sim_with(5, |s| s.settings.scopes = vec!["user:read:list_users:admin".into()]).await;
    let t = token(&sim, &account).await;
    assert_eq!(get_json(&sim, &t, "/v2/users").await.0, StatusCode::OK);
    let (code, body) = get_json(&sim, &t, "/v2/roles").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], 4711);
    assert_eq!(
        body["message"],
        "Invalid access token, does not contain scopes:[role:read:list_roles:admin, role:read:list_roles]."
    );
    // Classic scopes are accepted too; a token keeps the scopes it was minted with.
    account.set_scopes(&["user:read:admin", "role:read:admin", "account:read:admin"]);
    assert_eq!(get_json(&sim, &t, "/v2/roles").await.0, StatusCode::BAD_REQUEST);
    let fresh = token(&sim, &account).await;
    for path in ["/v2/users", "/v2/roles", "/v2/accounts/me/plans/usage"] {
        assert_eq!(get_json(&sim, &fresh, path).await.0, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn unknown_paths_are_not_recognized() {
    let (sim, account) = sim_with(1, |_| {}).await;
    let t = token(&sim, &account).await;
    let (code, body): (StatusCode, Value) = get_json(&sim, &t, "/v2/meetings").await;
    assert_eq!((code, body["code"].clone()), (StatusCode::NOT_FOUND, json!(2300)));
}

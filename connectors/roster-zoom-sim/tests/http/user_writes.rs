//! One user: `GET /v2/users/{userId}` and the writes (status, license type, removal), with
//! their scopes, Zoom's refusals, the switches, and what later reads show.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{get_json, people, send, token};

fn zoom(code: u32, message: &str) -> Value {
    json!({"code": code, "message": message})
}

fn missing(scope: &str) -> (StatusCode, Value) {
    (
        StatusCode::BAD_REQUEST,
        zoom(4711, &format!("Invalid access token, does not contain scopes:[{scope}].")),
    )
}

fn ids(users: &Value) -> Vec<String> {
    users["users"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn one_user_by_id_or_email_with_its_role_name() {
    let (sim, account, t) = people(|_| {}).await;
    let (status, adm) = get_json(&sim, &t, "/v2/users/adm").await;
    assert_eq!(
        (status, adm["role_name"].as_str(), adm["status"].as_str()),
        (StatusCode::OK, Some("Admin"), Some("active"))
    );
    assert_eq!(get_json(&sim, &t, "/v2/users/ADM@acme.io").await.1, adm);
    let (_, pending) = get_json(&sim, &t, "/v2/users/new@acme.io").await;
    assert_eq!((pending["status"].as_str(), pending.get("id")), (Some("pending"), None));
    assert_eq!(
        get_json(&sim, &t, "/v2/users/nope").await,
        (StatusCode::NOT_FOUND, zoom(1001, "User does not exist: nope."))
    );
    account.update_settings(|s| s.writes.pending_unreadable = true);
    assert_eq!(
        get_json(&sim, &t, "/v2/users/new@acme.io").await,
        (StatusCode::BAD_REQUEST, zoom(1120, "Invite not exist."))
    );
    account.set_scopes(&["user:read:list_users:admin"]);
    let narrow = token(&sim, &account).await;
    assert_eq!(get_json(&sim, &narrow, "/v2/users/adm").await, missing("user:read:user:admin"));
}

#[tokio::test]
async fn deactivating_and_activating_move_the_user_between_listings() {
    let (sim, account, t) = people(|_| {}).await;
    let status = |who: &'static str, action: &'static str| {
        send(
            &sim,
            &t,
            Method::PUT,
            Box::leak(format!("/v2/users/{who}/status").into_boxed_str()),
            Some(json!({"action": action})),
        )
    };
    assert_eq!(status("mem", "deactivate").await, (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(get_json(&sim, &t, "/v2/users/mem").await.1["status"], "inactive");
    assert!(ids(&get_json(&sim, &t, "/v2/users?status=inactive").await.1).contains(&"mem".to_owned()));
    assert!(!ids(&get_json(&sim, &t, "/v2/users").await.1).contains(&"mem".to_owned()));
    assert_eq!(status("mem", "deactivate").await.0, StatusCode::NO_CONTENT, "a repeat is accepted");
    account.update_settings(|s| s.writes.repeat_status_refused = true);
    assert_eq!(
        status("mem", "deactivate").await,
        (StatusCode::BAD_REQUEST, zoom(300, "The user is already inactive."))
    );
    assert_eq!(status("mem", "activate").await.0, StatusCode::NO_CONTENT);
    assert_eq!(get_json(&sim, &t, "/v2/users/mem").await.1["type"], 2, "the license stays by default");

    let admins = zoom(200, "Zoom Room and Admin users' status can not be activated or deactivated.");
    assert_eq!(status("adm", "deactivate").await, (StatusCode::BAD_REQUEST, admins.clone()));
    assert_eq!(status("own", "deactivate").await, (StatusCode::BAD_REQUEST, admins));
    assert_eq!(status("mem", "pause").await, (StatusCode::BAD_REQUEST, zoom(300, "Invalid field: action.")));
    assert_eq!(
        status("new@acme.io", "deactivate").await,
        (StatusCode::BAD_REQUEST, zoom(1120, "Invite not exist."))
    );
    assert_eq!(status("nope", "deactivate").await.0, StatusCode::NOT_FOUND);

    account.update_settings(|s| s.writes.deactivate_drops_license = true);
    assert_eq!(status("mem", "deactivate").await.0, StatusCode::NO_CONTENT);
    assert_eq!(get_json(&sim, &t, "/v2/users/mem").await.1["type"], 1);

    account.set_scopes(&["user:read:user:admin"]);
    let narrow = token(&sim, &account).await;
    let put =
        send(&sim, &narrow, Method::PUT, "/v2/users/bas/status", Some(json!({"action": "deactivate"}))).await;
    assert_eq!(put, missing("user:update:status:admin"));
    account.set_scopes(&["user:write:admin"]);
    let classic = token(&sim, &account).await;
    let put =
        send(&sim, &classic, Method::PUT, "/v2/users/bas/status", Some(json!({"action": "deactivate"})))
            .await;
    assert_eq!(put.0, StatusCode::NO_CONTENT, "the classic scope is accepted");
}

#[tokio::test]
async fn the_license_type_changes_within_the_seats_bought() {
    let (sim, account, t) = people(|s| s.settings.plan.hosts = 4).await;
    let patch = |who: &str, kind: Value| {
        send(&sim, &t, Method::PATCH, format!("/v2/users/{who}"), Some(json!({"type": kind})))
    };
    assert_eq!(
        patch("bas", json!(2)).await,
        (StatusCode::BAD_REQUEST, zoom(200, "You can add max 4 paid users."))
    );
    assert_eq!(patch("mem", json!(1)).await, (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(patch("bas", json!(2)).await.0, StatusCode::NO_CONTENT, "a seat was freed");
    assert_eq!(get_json(&sim, &t, "/v2/users/bas").await.1["type"], 2);
    let (_, usage) = get_json(&sim, &t, "/v2/accounts/me/plans/usage").await;
    assert_eq!(usage["plan_base"]["usage"], 4);
    assert_eq!(patch("bas", json!(99)).await, (StatusCode::BAD_REQUEST, zoom(300, "Invalid field: type.")));
    assert_eq!(patch("new@acme.io", json!(2)).await.1["code"], 1120);
    assert_eq!(patch("nope", json!(1)).await.0, StatusCode::NOT_FOUND);
    account.set_scopes(&["user:read:user:admin"]);
    let narrow = token(&sim, &account).await;
    let refused = send(&sim, &narrow, Method::PATCH, "/v2/users/bas", Some(json!({"type": 1}))).await;
    assert_eq!(refused, missing("user:update:user:admin"));
}

#[tokio::test]
async fn removing_disassociates_or_deletes_and_says_why_not() {
    let (sim, account, t) = people(|s| s.settings.writes.managed_domains = vec!["Corp.example".into()]).await;
    let delete = |path: &'static str| send(&sim, &t, Method::DELETE, path, None);
    assert_eq!(delete("/v2/users/mem").await, (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(get_json(&sim, &t, "/v2/users/mem").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        delete("/v2/users/mem").await,
        (StatusCode::NOT_FOUND, zoom(1001, "User does not exist: mem."))
    );
    assert_eq!(delete("/v2/users/new@acme.io?action=delete").await.1["code"], 1120);
    assert_eq!(
        delete("/v2/users/new@acme.io").await.0,
        StatusCode::NO_CONTENT,
        "an invitation goes with disassociate"
    );
    assert_eq!(
        delete("/v2/users/own?action=delete").await,
        (StatusCode::BAD_REQUEST, zoom(200, "Cannot delete the account owner."))
    );
    assert_eq!(delete("/v2/users/bas?action=erase").await.1["code"], 300);
    assert_eq!(delete("/v2/users/bas?transfer_meeting=true").await.1["code"], 300);
    assert_eq!(delete("/v2/users/bas?transfer_email=BAS@acme.io").await.1["code"], 300);

    account.add_user(
        json!({"id": "cor", "email": "cor@corp.example", "type": 1, "role_id": "2", "status": "active"}),
    );
    let managed = delete("/v2/users/cor").await;
    assert_eq!(
        managed,
        (StatusCode::BAD_REQUEST, zoom(1107, "Can not disassociate the user with managed domain."))
    );
    assert_eq!(delete("/v2/users/cor?action=delete").await.0, StatusCode::NO_CONTENT);
    let left: Vec<String> =
        account.users_json().iter().filter_map(|u| u["id"].as_str().map(str::to_owned)).collect();
    assert_eq!(left, ["own", "adm", "bas", "ina"]);

    account.set_scopes(&["user:read:user:admin"]);
    let narrow = token(&sim, &account).await;
    assert_eq!(
        send(&sim, &narrow, Method::DELETE, "/v2/users/bas", None).await,
        missing("user:delete:user:admin")
    );
    assert_eq!(account.stats().path("/v2/users/bas"), 4, "writes count per path");
}

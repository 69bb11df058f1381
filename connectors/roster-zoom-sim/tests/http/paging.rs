//! `GET /v2/users` paging over HTTP.

use reqwest::StatusCode;
use roster_zoom_sim::{LastPageToken, Simulator};
use serde_json::{Value, json};

use crate::common::{get_json, sim_with, token};

/// Every page of one status: (page sizes, users, last body).
async fn walk(sim: &Simulator, t: &str, status: &str, size: usize) -> (Vec<usize>, Vec<Value>, Value) {
    let (mut sizes, mut users) = (Vec::new(), Vec::new());
    let mut next = String::new();
    loop {
        let mut path = format!("/v2/users?status={status}&page_size={size}");
        if !next.is_empty() {
            path.push_str(&format!("&next_page_token={next}"));
        }
        let (code, body) = get_json(sim, t, &path).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        let page = body["users"].as_array().cloned().unwrap_or_default();
        sizes.push(page.len());
        users.extend(page);
        next = body.get("next_page_token").and_then(Value::as_str).unwrap_or_default().to_owned();
        if next.is_empty() || sizes.len() > 1000 {
            return (sizes, users, body);
        }
    }
}

#[tokio::test]
async fn every_status_is_listed_page_by_page_with_an_empty_last_token() {
    let (sim, account) = sim_with(250, |s| s.settings.rate_limit = None).await;
    let t = token(&sim, &account).await;
    let mut total = 0;
    for status in ["active", "inactive", "pending"] {
        let (sizes, users, last) = walk(&sim, &t, status, 40).await;
        assert_eq!(last["next_page_token"], "", "{status}");
        assert_eq!(users, account.users_with_status(status), "{status}");
        assert!(sizes.iter().all(|s| *s <= 40));
        total += users.len();
        if status == "pending" {
            assert!(users.iter().all(|u| u.get("id").is_none()));
        }
    }
    assert_eq!(total, 250);
}

#[tokio::test]
async fn page_size_is_capped_and_defaults_to_30() {
    let (sim, account) = sim_with(400, |s| s.settings.rate_limit = None).await;
    let t = token(&sim, &account).await;
    let (_, body) = get_json(&sim, &t, "/v2/users?page_size=2000").await;
    assert_eq!(body["page_size"], 300);
    let (_, body) = get_json(&sim, &t, "/v2/users").await;
    assert_eq!(body["page_size"], 30);
    assert_eq!(body["users"].as_array().map(Vec::len), Some(30));
    assert_eq!(body["total_records"], json!(account.users_with_status("active").len()));
}

#[tokio::test]
async fn edge_cases_empty_pages_trailing_page_and_absent_token() {
    let (sim, account) = sim_with(0, |s| s.settings.rate_limit = None).await;
    account.set_users((0..6).map(|i| json!({"id": format!("u{i}"), "email": format!("u{i}@example.com"), "type": 1, "status": "active", "role_id": "2"})).collect());
    let t = token(&sim, &account).await;
    assert_eq!(walk(&sim, &t, "active", 3).await.0, [3, 3]);
    account.update_settings(|s| s.paging.trailing_empty_page = true);
    assert_eq!(walk(&sim, &t, "active", 3).await.0, [3, 3, 0]);
    account.update_settings(|s| {
        s.paging.trailing_empty_page = false;
        s.paging.empty_pages = true;
    });
    assert_eq!(walk(&sim, &t, "active", 3).await.0, [3, 0, 3]);
    account.update_settings(|s| {
        s.paging.empty_pages = false;
        s.paging.last_page_token = LastPageToken::Absent;
    });
    let (sizes, _, last) = walk(&sim, &t, "active", 4).await;
    assert_eq!(sizes, [4, 2]);
    assert!(last.get("next_page_token").is_none(), "{last}");
    assert_eq!(walk(&sim, &t, "pending", 4).await.0, [0]);
}

#[tokio::test]
async fn a_token_from_another_query_or_an_unknown_one_is_code_300() {
    let (sim, account) = sim_with(100, |s| s.settings.rate_limit = None).await;
    let t = token(&sim, &account).await;
    let (_, first) = get_json(&sim, &t, "/v2/users?status=active&page_size=10").await;
    let next = first["next_page_token"].as_str().unwrap_or_default().to_owned();
    assert!(!next.is_empty());
    let (code, body) = get_json(&sim, &t, &format!("/v2/users?status=inactive&next_page_token={next}")).await;
    assert_eq!(
        (code, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"code": 300, "message": "The next page token is invalid or expired."})
        )
    );
    let (code, _) = get_json(&sim, &t, "/v2/users?next_page_token=bogus").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_owner_is_found_by_role_id_zero() {
    let (sim, account) = sim_with(50, |s| s.settings.rate_limit = None).await;
    let t = token(&sim, &account).await;
    let (_, body) = get_json(&sim, &t, "/v2/users?status=active&role_id=0&page_size=1").await;
    assert_eq!(body["total_records"], 1);
    assert_eq!(body["users"][0], account.users_json()[0]);
}

use roster_microsoft365_sim::{DeltaExpiry, Fault, RetryAfter, SignInTop};
use roster_sim_kit::probe;

use crate::{get, start, token};

const SIGN_IN: &str = "/v1.0/users?$select=id,signInActivity";

#[tokio::test]
async fn users_page_by_full_url_next_links_within_the_documented_sizes() {
    let (sim, t) = start(520, |_| {}).await;
    let (status, page) = get(&sim, &t, "/v1.0/users").await;
    let next = page["@odata.nextLink"].as_str().unwrap_or_default();
    assert_eq!((status, page["value"].as_array().map(Vec::len)), (200, Some(100)));
    assert!(
        next.starts_with(&format!("{}/v1.0/users?", sim.base_url())) && next.contains("skiptoken"),
        "{next}"
    );
    assert!(page["value"][0].get("accountEnabled").is_none(), "only the default properties without $select");
    let (_, big) = get(&sim, &t, &format!("{SIGN_IN}&$top=999")).await;
    assert_eq!(big["value"].as_array().map(Vec::len), Some(500), "signInActivity caps pages at 500");
    for (query, status, code) in [
        ("/v1.0/users?$top=1000", 400, "Request_UnsupportedQuery"),
        ("/v1.0/users?$top=0", 400, "Request_UnsupportedQuery"),
        ("/v1.0/users?$select=aboutMe", 501, "NotImplemented"),
        ("/v1.0/users?$select=id,favouriteColour", 400, "Request_BadRequest"),
    ] {
        let (got, body) = get(&sim, &t, query).await;
        assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "{query}: {body}");
    }
    t.update_settings(|s| s.signin_top = SignInTop::Refuse(120));
    let (status, body) = get(&sim, &t, &format!("{SIGN_IN}&$top=121")).await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (400, Some("Cannot query data for more than 120 users at a time."))
    );
}

#[tokio::test]
async fn sign_in_activity_is_refused_for_the_licence_or_the_permission() {
    let (sim, t) = start(3, |s| s.settings.premium = false).await;
    let (status, body) = get(&sim, &t, SIGN_IN).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("Authentication_RequestFromNonPremiumTenantOrB2CTenant"))
    );
    assert!(body["error"]["innerError"]["request-id"].is_string());
    t.update_settings(|s| s.premium = true);
    t.set_permissions(&["User.Read.All"]);
    let (status, body) = get(&sim, &t, SIGN_IN).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("Authentication_MSGraphPermissionMissing"))
    );
    t.set_permissions(&["AuditLog.Read.All"]);
    assert_eq!(get(&sim, &t, "/v1.0/users").await.1["error"]["code"], "Authorization_RequestDenied");
    t.set_permissions(&[]);
    assert_eq!(get(&sim, &t, "/v1.0/users").await.1["error"]["code"], "AccessDenied");
    let resp = probe::get(&sim.base_url(), Some("garbage"), "/v1.0/users").await;
    assert_eq!(resp.status(), 401);
    assert!(probe::header(&resp, "www-authenticate").is_some_and(|h| h.starts_with("Bearer")));
}

#[tokio::test]
async fn delta_rounds_removals_and_expiry() {
    let (sim, t) = start(5, |s| s.settings.delta_expiry = DeltaExpiry::SyncStateNotFound).await;
    let (_, latest) = get(&sim, &t, "/v1.0/users/delta?$select=id,displayName&$deltatoken=latest").await;
    assert_eq!(latest["value"], serde_json::json!([]));
    let link = latest["@odata.deltaLink"].as_str().unwrap_or_default().to_owned();
    assert!(link.starts_with(&format!("{}/v1.0/users/delta?", sim.base_url())), "{link}");
    let (_, initial) = get(&sim, &t, "/v1.0/users/delta").await;
    assert_eq!(initial["value"].as_array().map(Vec::len), Some(5));
    let gone = t.users_json()[0]["id"].as_str().unwrap_or_default().to_owned();
    t.remove_user(&gone, true);
    let path = link.trim_start_matches(&sim.base_url());
    let (_, changes) = get(&sim, &t, path).await;
    assert_eq!(changes["value"], serde_json::json!([{"id": gone, "@removed": {"reason": "deleted"}}]));
    for refused in ["/v1.0/users/delta?$select=id,signInActivity", "/v1.0/users/delta?$top=5"] {
        assert_eq!(get(&sim, &t, refused).await.0, 400, "{refused}");
    }
    t.expire_delta_tokens();
    let resp = probe::get(&sim.base_url(), Some(&token(&sim, &t).await), path).await;
    assert_eq!(resp.status(), 410);
    assert!(probe::header(&resp, "location").is_some_and(|l| l.ends_with("/v1.0/users/delta?$deltatoken=")));
    assert_eq!(probe::json_of(resp).await.1["error"]["code"], "syncStateNotFound");
}

#[tokio::test]
async fn throttled_answers_carry_retry_after_whole_or_fractional() {
    let (sim, t) = start(3, |s| s.settings.fractional_retry_after = true).await;
    let bearer = token(&sim, &t).await;
    t.push_fault(Fault::RateLimited(RetryAfter::Seconds), 1, Some("/v1.0/users"));
    let resp = probe::get(&sim.base_url(), Some(&bearer), "/v1.0/users").await;
    assert_eq!(
        (resp.status().as_u16(), probe::header(&resp, "retry-after").as_deref()),
        (429, Some("1.128"))
    );
    assert_eq!(probe::json_of(resp).await.1["error"]["code"], "TooManyRequests");
    t.update_settings(|s| (s.fractional_retry_after, s.requests_per_10s) = (false, Some(1)));
    assert_eq!(probe::get(&sim.base_url(), Some(&bearer), "/v1.0/organization").await.status(), 200);
    let resp = probe::get(&sim.base_url(), Some(&bearer), "/v1.0/organization").await;
    assert_eq!(
        (resp.status().as_u16(), probe::header(&resp, "retry-after").is_some_and(|v| !v.contains('.'))),
        (429, true)
    );
}

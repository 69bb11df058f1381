//! REST: the organization and its plan, owner-only lists with `link` paging, Copilot
//! absent, and refusals.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{get, get_json, header, sim_with};

#[tokio::test]
async fn the_plan_is_shown_to_owners_only_unless_switched() {
    let (sim, org) = sim_with(10, |_| {}).await;
    let (status, body) = get_json(&sim, &org.token(true), "/orgs/OCTO-ORG-1").await;
    let (filled, seats) = org.seats();
    assert_eq!(status, StatusCode::OK);
    assert_eq!((body["id"].clone(), body["plan"]["name"].clone()), (json!(9001), json!("enterprise")));
    assert_eq!(
        (body["plan"]["filled_seats"].clone(), body["plan"]["seats"].clone()),
        (json!(filled), json!(seats))
    );
    let (_, body) = get_json(&sim, &org.token(false), "/orgs/octo-org-1").await;
    assert!(body.get("plan").is_none(), "{body}");
    org.update_settings(|s| s.plan_visible_to_members = true);
    assert!(get_json(&sim, &org.token(false), "/orgs/octo-org-1").await.1.get("plan").is_some());
    assert_eq!(get_json(&sim, &org.token(true), "/orgs/other").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lists_page_with_links_to_organizations_by_id() {
    let (sim, org) = sim_with(700, |_| {}).await;
    let token = org.token(true);
    let resp = get(&sim, &token, "/orgs/octo-org-1/outside_collaborators").await;
    let link = header(&resp, "link").expect("a link header");
    let base = format!("{}/api/v3/organizations/9001/outside_collaborators", sim.base_url());
    assert_eq!(
        link,
        format!(r#"<{base}?per_page=30&page=2>; rel="next", <{base}?per_page=30&page=3>; rel="last""#)
    );
    let (_, last) = get_json(&sim, &token, &format!("{base}?per_page=30&page=3")).await;
    assert_eq!(last.as_array().map(Vec::len), Some(70 - 60));
    let resp = get(&sim, &token, "/orgs/octo-org-1/outside_collaborators?per_page=500").await;
    assert_eq!(header(&resp, "link"), None, "per_page is capped at 100 and 70 fit");
    let (_, seats) = get_json(&sim, &token, "/orgs/octo-org-1/copilot/billing/seats").await;
    assert_eq!(
        (seats["seats"].as_array().map(Vec::len), seats["total_seats"].clone()),
        (Some(50), json!(org.data().seats.len()))
    );
    org.update_settings(|s| s.link_by_id = false);
    let resp = get(&sim, &token, "/orgs/octo-org-1/invitations?per_page=10").await;
    assert!(
        header(&resp, "link")
            .is_some_and(|l| l.contains("/api/v3/orgs/octo-org-1/invitations?per_page=10&page=2"))
    );
    let (_, invitations) = roster_sim_kit::probe::json_of(resp).await;
    assert!(invitations[0]["login"].is_null() && invitations[0]["email"].is_string(), "by email only");
}

#[tokio::test]
async fn non_owners_copilot_absent_and_unauthenticated_requests_are_refused() {
    let (sim, org) = sim_with(5, |s| s.copilot = None).await;
    let member = org.token(false);
    let (status, body) = get_json(&sim, &member, "/orgs/octo-org-1/invitations").await;
    assert_eq!(
        (status, body["message"].clone()),
        (StatusCode::FORBIDDEN, json!("Must have admin rights to Repository."))
    );
    org.update_settings(|s| s.non_owner_status = 404);
    assert_eq!(
        get_json(&sim, &member, "/orgs/octo-org-1/outside_collaborators").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = get_json(&sim, &org.token(true), "/orgs/octo-org-1/copilot/billing/seats").await;
    assert_eq!(
        (status, body["message"].clone()),
        (StatusCode::NOT_FOUND, json!("Copilot Business is not enabled for this organization."))
    );
    org.update_settings(|s| s.copilot_absent_status = 422);
    assert_eq!(
        get_json(&sim, &org.token(true), "/orgs/octo-org-1/copilot/billing/seats").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, body) = get_json(&sim, "ghp_unknown", "/orgs/octo-org-1").await;
    assert_eq!((status, body["message"].clone()), (StatusCode::UNAUTHORIZED, json!("Bad credentials")));
    let bare = roster_sim_kit::probe::get(&sim.api_url(), Some(&org.token(true)), "/orgs/octo-org-1").await;
    assert_eq!(
        (bare.status(), roster_sim_kit::probe::content_type(&bare)),
        (StatusCode::FORBIDDEN, "text/html".to_owned())
    );
}

//! Both tiers of rate limits: `x-ratelimit-*` on every answer, primary refusals (REST 403
//! or 429, GraphQL `RATE_LIMITED`/`RATE_LIMIT` in a 200), secondary ones, and faults.

use std::time::Duration;

use reqwest::StatusCode;
use roster_github_sim::{Fault, PrimaryLimits, RetryAfter, SecondaryLimit, faults};
use serde_json::json;

use crate::common::{MEMBERS, get, get_json, graphql, header, sim_with};

#[tokio::test]
async fn primary_budgets_count_down_and_refuse_in_each_apis_way() {
    let limits = PrimaryLimits { rest: 2, graphql: 1, window: Duration::from_secs(3600) };
    let (sim, org) = sim_with(5, |s| s.settings.primary = Some(limits)).await;
    let token = org.token(true);
    let first = get(&sim, &token, "/orgs/octo-org-1").await;
    let headers = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-resource"]
        .map(|h| header(&first, h));
    assert_eq!(headers, [Some("2".into()), Some("1".into()), Some("1".into()), Some("core".into())]);
    assert!(header(&first, "x-ratelimit-reset").and_then(|r| r.parse::<u64>().ok()).is_some());
    get(&sim, &token, "/orgs/octo-org-1").await;
    for status in [403, 429] {
        org.update_settings(|s| s.rate_limit_status = status);
        let resp = get(&sim, &token, "/orgs/octo-org-1").await;
        assert_eq!(
            (resp.status().as_u16(), header(&resp, "x-ratelimit-remaining")),
            (status, Some("0".into()))
        );
        let (_, body) = roster_sim_kit::probe::json_of(resp).await;
        assert!(body["message"].as_str().is_some_and(|m| m.starts_with("API rate limit exceeded")));
    }
    let vars = json!({"login": "octo-org-1", "first": 1});
    assert_eq!(
        header(&graphql(&sim, &token, MEMBERS, vars.clone()).await, "x-ratelimit-resource"),
        Some("graphql".into())
    );
    for (kind, data) in [("RATE_LIMITED", Some(json!(null))), ("RATE_LIMIT", None)] {
        org.update_settings(|s| s.graphql_rate_limit_type = kind);
        let resp = graphql(&sim, &token, MEMBERS, vars.clone()).await;
        assert_eq!(
            (resp.status(), header(&resp, "x-ratelimit-remaining")),
            (StatusCode::OK, Some("0".into()))
        );
        let (_, body) = roster_sim_kit::probe::json_of(resp).await;
        assert_eq!((body["errors"][0]["type"].as_str(), body.get("data").cloned()), (Some(kind), data));
    }
    assert_eq!(org.stats().rate_limited, 4);
}

#[tokio::test]
async fn secondary_limits_with_and_without_retry_after() {
    let secondary = SecondaryLimit { requests: 1, window: Duration::from_secs(60), retry_after: true };
    let (sim, org) = sim_with(5, |s| s.settings.secondary = Some(secondary.clone())).await;
    let token = org.token(true);
    assert_eq!(get(&sim, &token, "/orgs/octo-org-1").await.status(), StatusCode::OK);
    let resp = get(&sim, &token, "/orgs/octo-org-1").await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(
        header(&resp, "retry-after")
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|s| (1..=60).contains(&s))
    );
    assert_ne!(
        header(&resp, "x-ratelimit-remaining").as_deref(),
        Some("0"),
        "a secondary limit leaves the budget"
    );
    org.update_settings(|s| s.secondary = Some(SecondaryLimit { retry_after: false, ..secondary }));
    let (status, body) = get_json(&sim, &token, "/orgs/octo-org-1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["message"].as_str().is_some_and(|m| m.starts_with("You have exceeded a secondary rate limit"))
    );
}

#[tokio::test]
async fn faults_answer_as_github_does_and_ghes_sends_no_rate_headers() {
    let (sim, org) = sim_with(5, |s| s.settings.primary = None).await;
    let token = org.token(true);
    assert_eq!(header(&get(&sim, &token, "/orgs/octo-org-1").await, "x-ratelimit-limit"), None);
    let cases = [
        (faults::SECONDARY_LIMIT, 403, Some("1")),
        (faults::SECONDARY_LIMIT_BARE, 403, None),
        (faults::SSO_REQUIRED, 403, None),
        (Fault::RateLimited(RetryAfter::Seconds), 403, None),
    ];
    for (fault, status, retry_after) in cases {
        org.push_fault(fault.clone(), 1, Some("/api/v3"));
        let resp = get(&sim, &token, "/orgs/octo-org-1").await;
        assert_eq!(
            (resp.status().as_u16(), header(&resp, "retry-after").as_deref()),
            (status, retry_after),
            "{fault:?}"
        );
        if fault == faults::SSO_REQUIRED {
            assert!(
                header(&resp, "x-github-sso")
                    .is_some_and(|v| v.starts_with("required; url=https://github.com/orgs/octo-org-1/sso"))
            );
        }
    }
    for (fault, kind) in
        [(faults::GRAPHQL_FORBIDDEN, json!("FORBIDDEN")), (faults::GRAPHQL_TIMEOUT, json!(null))]
    {
        org.push_fault(fault, 1, Some("/api/graphql"));
        let (status, body) =
            roster_sim_kit::probe::json_of(graphql(&sim, &token, MEMBERS, json!({})).await).await;
        assert_eq!(
            (status, body["errors"][0].get("type").cloned().unwrap_or(json!(null))),
            (StatusCode::OK, kind)
        );
    }
}

//! Injected faults.

use std::time::Duration;

use reqwest::StatusCode;
use roster_zoom_sim::{Fault, RetryAfter, faults};
use serde_json::Value;

use crate::common::{get, header, sim_with, token};

#[tokio::test]
async fn each_fault_answers_as_described_then_the_endpoint_recovers() {
    let (sim, account) = sim_with(5, |s| s.settings.rate_limit = None).await;
    let t = token(&sim, &account).await;
    let cases: Vec<(Fault, u16)> = vec![
        (Fault::Status(500), 500),
        (Fault::Status(503), 503),
        (Fault::HtmlError(502), 502),
        (Fault::RateLimited(RetryAfter::Omit), 429),
        (Fault::RateLimited(RetryAfter::Seconds), 429),
        (Fault::RateLimited(RetryAfter::IsoDate), 429),
        (faults::DAILY_LIMIT, 429),
        (Fault::TruncatedJson, 200),
        (faults::EXPIRED_TOKEN, 401),
        (faults::INVALID_TOKEN, 401),
        (faults::INVALID_PAGE_TOKEN, 400),
        (Fault::Delay(Duration::from_millis(10)), 200),
    ];
    for (fault, status) in cases {
        account.push_fault(fault.clone(), 1, Some("/v2/users"));
        let resp = get(&sim, &t, "/v2/users").await;
        assert_eq!(resp.status().as_u16(), status, "{fault:?}");
        let retry_after = header(&resp, "retry-after");
        match fault {
            Fault::RateLimited(RetryAfter::Seconds) => {
                assert_eq!(retry_after.as_deref(), Some("1"))
            }
            Fault::RateLimited(RetryAfter::IsoDate) => {
                assert!(retry_after.is_some_and(|v| v.ends_with('Z')), "{fault:?}");
            }
            Fault::RateLimited(RetryAfter::Omit) => assert_eq!(retry_after, None),
            Fault::TruncatedJson => {
                let text = resp.text().await.expect("body");
                assert!(serde_json::from_str::<Value>(&text).is_err());
            }
            _ => {}
        }
        assert_eq!(get(&sim, &t, "/v2/users").await.status(), StatusCode::OK, "after {fault:?}");
    }
    assert_eq!(account.stats().faults, 12);
}

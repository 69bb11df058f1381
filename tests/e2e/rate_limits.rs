//! Rate limits: a sync that needs more requests than the vendor's quota is
//! paced so that it never gets a 429, and runs close to the quota.
//!
//! This is the one test in the suite that looks at time: it reads the
//! simulator's request log (when each request arrived) to check the
//! sliding-window limit and the average rate. It takes over a minute.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use roster_workato_sim::{FIRST_MEMBER_ID, RATE_LIMIT_WINDOW, RateLimit, RetryAfter};
use serde_json::json;

use crate::support::Harness;

/// Workato's documented limit, and the simulator's default: 60 requests per
/// minute per token, in a sliding window.
const QUOTA: usize = 60;
const MEMBERS: usize = 100;
/// Login events added per member: 7,000 in all, 70 pages of 100 on top of
/// the generated log's `User` events.
const LOGINS_PER_MEMBER: usize = 70;

#[tokio::test(flavor = "multi_thread")]
async fn an_audit_log_sync_needing_more_than_sixty_requests_never_gets_a_429_and_stays_close_to_the_limit() {
    let mut h = Harness::new().await;
    // The connector's defaults (60 requests per minute), with exact last login.
    let ws = h.add_account_with("acme", MEMBERS, 95, "exact_last_login = true\nrequests_per_minute = 60\n");
    ws.update_settings(|s| {
        s.audit_log_addon = true;
        s.rate_limit = Some(RateLimit { per_minute: QUOTA as u32, retry_after: RetryAfter::Seconds });
    });
    let now = Utc::now().timestamp();
    let mut events = Vec::with_capacity(MEMBERS * LOGINS_PER_MEMBER);
    for k in 0..LOGINS_PER_MEMBER {
        for m in 0..MEMBERS {
            let id = FIRST_MEMBER_ID + m as u64;
            // Whole seconds within the last day, all different.
            let at = DateTime::from_timestamp(now - 86_400 + (k * MEMBERS + m) as i64, 0).expect("time");
            events.push(json!({
                "event_type": "user_login",
                "timestamp": at.to_rfc3339(),
                "user": {"id": id},
                "resource": {"id": id, "type": "User"},
            }));
        }
    }
    ws.add_activity(events);
    h.sim.clear_requests();

    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert_eq!(run.outcome("acme"), "ok");

    let stats = ws.stats();
    assert_eq!(stats.rate_limited, 0, "the simulator answered 429: {stats:?}");
    let pages = stats.by_path.get("/api/activity_logs").copied().unwrap_or_default();
    assert!(pages >= 70, "only {pages} audit-log pages were read");
    let requests = h.sim.requests();
    assert_eq!(requests.len() as u64, stats.requests);
    assert!(requests.len() > QUOTA + 10, "the sync needed only {} requests", requests.len());

    // No 60-second window (the simulator's, half-open) holds more than the quota.
    let times: Vec<_> = requests.iter().map(|r| r.at).collect();
    for (i, at) in times.iter().enumerate() {
        let in_window = times[..=i].iter().filter(|t| at.duration_since(**t) < RATE_LIMIT_WINDOW).count();
        assert!(in_window <= QUOTA, "{in_window} requests in the 60 s before request {i}");
    }
    // And the sync used the quota: at least 50 requests a minute on average.
    let span = times[times.len() - 1].duration_since(times[0]);
    let per_minute = (times.len() - 1) as f64 / span.as_secs_f64() * 60.0;
    assert!(per_minute >= 50.0, "{per_minute:.1} requests per minute over {span:?}");
    assert!(span > Duration::from_secs(60), "{span:?}");

    // Every member's last visit is their latest login, to the millisecond.
    let logins: BTreeMap<String, DateTime<Utc>> =
        ws.last_logins().into_iter().map(|(id, at)| (id.to_string(), at.with_timezone(&Utc))).collect();
    let users = h.users_of("acme").await;
    assert_eq!(users.len(), MEMBERS);
    for (id, u) in &users {
        let stored: DateTime<Utc> =
            u["last_visit_at"].as_str().expect("a last visit").parse().expect("a time");
        assert_eq!(Some(&stored), logins.get(id), "member {id}");
    }
}

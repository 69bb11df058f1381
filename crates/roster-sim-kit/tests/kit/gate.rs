//! The gate: the log, authentication, counters, latency, budgets and open endpoints.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use roster_sim_kit::probe::{client, get, get_json, header};

use crate::toy::start;

#[tokio::test]
async fn the_log_records_every_request_with_its_credentials() {
    let (sim, _shop) = start(1).await;
    get(&sim.base_url(), Some("tok"), "/me?x=1").await;
    get(&sim.base_url(), Some("nope"), "/items").await;
    get(&sim.base_url(), None, "/items").await;
    let log = sim.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str(), log[0].query.as_deref()),
        ("GET", "/me", Some("x=1"))
    );
    assert_eq!(log[0].bearer(), Some("tok"));
    assert_eq!(log[1].bearer(), Some("nope"));
    assert!(log[2].authorization.is_none());
    sim.set_request_log_limit(1);
    get(&sim.base_url(), Some("tok"), "/me").await;
    get(&sim.base_url(), Some("tok"), "/items").await;
    assert_eq!(sim.requests().len(), 1);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn unknown_and_refused_credentials() {
    let (sim, shop) = start(1).await;
    let (status, body) = get_json(&sim.base_url(), Some("nope"), "/me").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("who?")));
    assert_eq!(shop.stats().requests, 0, "an unknown token is nobody's request");
    shop.set(|s| s.revoked = true);
    let (status, _) = get_json(&sim.base_url(), Some("tok"), "/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let stats = shop.stats();
    assert_eq!((stats.requests, stats.path("/me")), (1, 1), "a refused token counts for its tenant");
}

#[tokio::test]
async fn counters_by_path_and_vendor_counters() {
    let (sim, shop) = start(1).await;
    get(&sim.base_url(), Some("tok"), "/items").await;
    get(&sim.base_url(), Some("tok"), "/items/12").await;
    shop.count("tokens_issued");
    let stats = shop.stats();
    assert_eq!(stats.requests, 2);
    assert_eq!((stats.path("/items"), stats.path("/items/:id")), (1, 1));
    assert_eq!((stats.counter("tokens_issued"), stats.counter("never")), (1, 0));
}

#[tokio::test]
async fn open_endpoints_skip_the_gate_but_take_their_faults() {
    let (sim, shop) = start(1).await;
    shop.push_fault(roster_sim_kit::Fault::Status(500), 1, Some("POST /token"));
    let post = || client().post(format!("{}/token", sim.base_url())).send();
    let first: serde_json::Value = post().await.unwrap().json().await.unwrap();
    assert!(first["fault"].as_str().is_some_and(|f| f.contains("500")), "{first}");
    let second: serde_json::Value = post().await.unwrap().json().await.unwrap();
    assert_eq!(second["token"], "t");
    let stats = shop.stats();
    assert_eq!((stats.requests, stats.path("/token"), stats.faults), (0, 2, 1));
}

#[tokio::test]
async fn latency_applies_to_every_response() {
    let (sim, shop) = start(1).await;
    shop.set(|s| s.latency = Duration::from_millis(150));
    let started = Instant::now();
    let (status, _) = get_json(&sim.base_url(), Some("tok"), "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn budgets_refuse_and_report_what_is_left() {
    let (sim, shop) = start(1).await;
    shop.set(|s| s.per_second = Some(2));
    let first = get(&sim.base_url(), Some("tok"), "/me").await;
    assert_eq!(header(&first, "x-remaining").as_deref(), Some("1"));
    get(&sim.base_url(), Some("tok"), "/me").await;
    let refused = get(&sim.base_url(), Some("tok"), "/me").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&refused, "retry-after").as_deref(), Some("1"));
    assert_eq!(shop.stats().rate_limited, 1);
    shop.reset_rate_limit();
    assert_eq!(get(&sim.base_url(), Some("tok"), "/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_server_stops_when_the_last_handle_goes() {
    let (sim, _shop) = start(1).await;
    let base = sim.base_url();
    let clone = sim.clone();
    drop(sim);
    assert_eq!(get(&base, Some("tok"), "/me").await.status(), StatusCode::OK);
    drop(clone);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(client().get(format!("{base}/me")).send().await.is_err());
}

#[tokio::test]
async fn the_probe_sends_writes_with_a_json_body_and_reads_empty_answers() {
    use roster_sim_kit::probe::send_json;
    use serde_json::{Value, json};
    let (sim, _shop) = start(1).await;
    let base = sim.base_url();
    let (status, body) =
        send_json(&base, None, reqwest::Method::POST, "/token", Some(&json!({"grant": "x"}))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"token": "t"})));
    let (status, body) = send_json(&base, Some("tok"), reqwest::Method::DELETE, "/me", None).await;
    assert_eq!((status, body), (StatusCode::METHOD_NOT_ALLOWED, Value::Null));
    let log = sim.requests();
    assert_eq!((log[0].method.as_str(), log[1].method.as_str()), ("POST", "DELETE"));
}

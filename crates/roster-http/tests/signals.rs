//! Request bodies, origin checks, and vendor rate-limit signals beyond a 429 (a 403 that
//! is a rate limit, budget headers, a throttled body), against a small axum server.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::{HeaderMap as AxumHeaders, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use roster_core::Secret;
use roster_http::{
    Auth, Body, BodyError, HeaderMap, Http, HttpConfig, HttpError, Method, ReadBody, Response, RetryPolicy,
    parse_origin,
};

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn config(base: &str) -> HttpConfig {
    let mut config = HttpConfig::new(parse_origin(base).expect("origin"));
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_retry_after: Duration::from_secs(5),
        ..RetryPolicy::default()
    };
    config
}

struct Text;

#[async_trait::async_trait]
impl ReadBody<String> for Text {
    async fn read(&mut self, resp: Response) -> Result<String, BodyError> {
        resp.text().await.map_err(|e| BodyError::from_reqwest(&e))
    }
}

#[tokio::test]
async fn forms_and_json_bodies_are_sent_with_their_content_types() {
    let app = Router::new().route(
        "/echo",
        post(|headers: AxumHeaders, body: String| async move {
            let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            format!("{ct}|{body}")
        }),
    );
    let base = serve(app).await;
    let http = Http::new(config(&base)).expect("client");
    let secret = Secret::new("s3cr3t&=");
    let fields = [("grant_type", "client_credentials"), ("client_secret", secret.expose())];
    let form = Body::Form { fields: &fields, secrets: &[&secret] };
    let got = http.send_body(Method::POST, "/echo", &[], Auth::None, form, &mut Text).await.expect("form");
    assert_eq!(
        got,
        "application/x-www-form-urlencoded|grant_type=client_credentials&client_secret=s3cr3t%26%3D"
    );
    let json = serde_json::json!({"query": "{ viewer { login } }"});
    let got = http
        .send_body(Method::POST, "/echo", &[], Auth::None, Body::Json(&json), &mut Text)
        .await
        .expect("json");
    assert_eq!(got, r#"application/json|{"query":"{ viewer { login } }"}"#);
}

#[tokio::test]
async fn absolute_urls_must_stay_on_the_origin() {
    let base = serve(Router::new().route("/page", get(|| async { "page 2" }))).await;
    let http = Http::new(config(&base)).expect("client");
    let same = http.send(Method::GET, &format!("{base}/page?skiptoken=x"), &[], &mut Text).await;
    assert_eq!(same.expect("same origin"), "page 2");
    let other = http.send(Method::GET, "https://evil.example.com/page", &[], &mut Text).await.unwrap_err();
    assert!(other.to_string().contains("another origin"), "{other}");
    assert_eq!(http.stats().snapshot().requests, 1, "nothing was sent to the other origin");
}

/// GitHub-style: a 403 whose headers say the budget is spent is a rate limit.
fn github_like(
    status: StatusCode,
    headers: &HeaderMap,
    _body: &[u8],
    _now: SystemTime,
) -> Option<Option<Duration>> {
    let spent = headers.get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()) == Some("0");
    (status == StatusCode::FORBIDDEN && spent).then_some(Some(Duration::from_millis(10)))
}

#[tokio::test]
async fn a_403_that_is_a_rate_limit_is_waited_out_and_others_are_not() {
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let app = Router::new()
        .route(
            "/limited",
            get(move || {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        (StatusCode::FORBIDDEN, [("x-ratelimit-remaining", "0")], "API rate limit exceeded")
                            .into_response()
                    } else {
                        (StatusCode::OK, "ok").into_response()
                    }
                }
            }),
        )
        .route(
            "/forbidden",
            get(|| async {
                (
                    StatusCode::FORBIDDEN,
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"message":"Must have admin rights"}"#,
                )
            }),
        );
    let base = serve(app).await;
    let mut c = config(&base);
    c.throttle_signal = Some(github_like);
    let http = Http::new(c).expect("client");
    assert_eq!(http.send(Method::GET, "/limited", &[], &mut Text).await.expect("retried"), "ok");
    assert_eq!(http.stats().snapshot().rate_limited, 1);
    match http.send(Method::GET, "/forbidden", &[], &mut Text).await {
        Err(HttpError::Status { status: 403, message, .. }) => {
            assert_eq!(
                message.as_deref(),
                Some("Must have admin rights"),
                "the body survives the signal's read"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// Pause until the `x-ratelimit-reset` epoch when nothing remains.
fn budget(headers: &HeaderMap, _now: SystemTime) -> Option<SystemTime> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("x-ratelimit-remaining")? != "0" {
        return None;
    }
    Some(UNIX_EPOCH + Duration::from_secs(text("x-ratelimit-reset")?.parse().ok()?))
}

#[tokio::test]
async fn a_spent_budget_holds_the_next_request_and_fails_it_when_the_reset_is_far() {
    let reset = (SystemTime::now() + Duration::from_secs(3600))
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let app = Router::new().route(
        "/x",
        get(move || async move {
            (
                [("x-ratelimit-remaining", "0".to_owned()), ("x-ratelimit-reset", reset.to_string())],
                "last one",
            )
        }),
    );
    let base = serve(app).await;
    let mut c = config(&base);
    c.budget_headers = Some(budget);
    let http = Http::new(c).expect("client");
    assert_eq!(
        http.send(Method::GET, "/x", &[], &mut Text).await.expect("the first is answered"),
        "last one"
    );
    match http.send(Method::GET, "/x", &[], &mut Text).await {
        Err(HttpError::RateLimited { retry_after: Some(wait), .. }) => {
            assert!(wait > Duration::from_secs(3000), "{wait:?}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(http.stats().snapshot().requests, 1, "the held request was never sent");
}

/// Reads `RATE_LIMITED` in a 200 as a throttle, like a GraphQL error.
struct Graphql;

#[async_trait::async_trait]
impl ReadBody<String> for Graphql {
    async fn read(&mut self, resp: Response) -> Result<String, BodyError> {
        let text = resp.text().await.map_err(|e| BodyError::from_reqwest(&e))?;
        if text.contains("RATE_LIMITED") {
            Err(BodyError::Throttled(Some(Duration::from_millis(5))))
        } else {
            Ok(text)
        }
    }
}

#[tokio::test]
async fn a_throttled_body_is_sent_again() {
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let app = Router::new().route(
        "/graphql",
        post(move || {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            async move { if n == 0 { r#"{"errors":[{"type":"RATE_LIMITED"}]}"# } else { r#"{"data":{}}"# } }
        }),
    );
    let base = serve(app).await;
    let http = Http::new(config(&base)).expect("client");
    let q = serde_json::json!({"query": "{}"});
    let got = http.send_body(Method::POST, "/graphql", &[], Auth::None, Body::Json(&q), &mut Graphql).await;
    assert_eq!(got.expect("retried"), r#"{"data":{}}"#);
    let stats = http.stats().snapshot();
    assert_eq!((stats.requests, stats.rate_limited, stats.retries), (2, 1, 1));
}

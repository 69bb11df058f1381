//! Per-request authorization, client errors handed to the reader, vendor
//! rate-limit hints and scrubbing, against a small axum server on loopback.

use std::time::{Duration, SystemTime};

use axum::Router;
use axum::http::{HeaderMap as AxumHeaders, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use roster_core::Secret;
use roster_http::{
    Auth, BodyError, ClientError, HeaderMap, Http, HttpConfig, HttpError, Method, ReadBody, Response,
    RetryPolicy, VendorReader, parse_origin,
};

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn http(base: &str, hint: Option<roster_http::RateLimitHint>) -> Http {
    let mut config = HttpConfig::new(parse_origin(base).expect("origin"));
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(1),
        max_retry_after: Duration::from_secs(5),
        ..RetryPolicy::default()
    };
    config.rate_limit_hint = hint;
    Http::new(config).expect("client")
}

/// Reads the status and the body text of any answer it is handed.
struct Raw {
    client_errors: bool,
}

#[async_trait::async_trait]
impl ReadBody<(u16, String)> for Raw {
    async fn read(&mut self, resp: Response) -> Result<(u16, String), BodyError> {
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| BodyError::from_reqwest(&e))?;
        Ok((status, text))
    }

    fn reads_client_errors(&self) -> bool {
        self.client_errors
    }
}

async fn echo_auth(headers: AxumHeaders) -> impl IntoResponse {
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("none").to_owned();
    (StatusCode::OK, auth)
}

#[tokio::test]
async fn each_request_can_carry_its_own_authorization() {
    let base = serve(Router::new().route("/echo", post(echo_auth).get(echo_auth))).await;
    let http = http(&base, None);
    http.set_bearer(&Secret::new("session-token")).expect("bearer");
    let secret = Secret::new("s3cret");
    let mut raw = Raw { client_errors: false };

    let basic = Auth::Basic { username: "client", password: &secret };
    let (_, got) = http.send_with(Method::POST, "/echo", &[], basic, &mut raw).await.expect("basic");
    // base64("client:s3cret")
    assert_eq!(got, "Basic Y2xpZW50OnMzY3JldA==");

    let (_, got) = http.send(Method::GET, "/echo", &[], &mut raw).await.expect("session");
    assert_eq!(got, "Bearer session-token");

    http.set_bearer(&Secret::new("refreshed")).expect("bearer");
    let (_, got) = http.send(Method::GET, "/echo", &[], &mut raw).await.expect("session");
    assert_eq!(got, "Bearer refreshed");

    let (_, got) = http.send_with(Method::GET, "/echo", &[], Auth::None, &mut raw).await.expect("none");
    assert_eq!(got, "none");
}

async fn oauth_error() -> impl IntoResponse {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"reason":"Invalid client_id or client_secret s3cret","error":"invalid_client"}"#,
    )
}

#[tokio::test]
async fn client_errors_go_to_a_reader_that_asks_for_them() {
    let base = serve(Router::new().route("/token", post(oauth_error))).await;
    let http = http(&base, None);
    let secret = Secret::new("s3cret");
    let basic = Auth::Basic { username: "client", password: &secret };

    let mut wants = Raw { client_errors: true };
    let (status, body) =
        http.send_with(Method::POST, "/token", &[], basic, &mut wants).await.expect("handed over");
    assert_eq!(status, 400);
    assert!(body.contains("invalid_client"), "{body}");

    // Without asking, the status ends the request, with the OAuth `reason`
    // as the message and the Basic password scrubbed from it.
    let mut plain = Raw { client_errors: false };
    let err = http.send_with(Method::POST, "/token", &[], basic, &mut plain).await.expect_err("status");
    match &err {
        HttpError::Status { status: 400, message: Some(m), .. } => {
            assert!(m.starts_with("Invalid client_id or client_secret"), "{m}");
            assert!(!m.contains("s3cret"), "{m}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

async fn daily_limit() -> impl IntoResponse {
    (StatusCode::TOO_MANY_REQUESTS, [("x-ratelimit-type", "Daily-limit")], "")
}

fn hint(headers: &HeaderMap, _now: SystemTime) -> Option<Duration> {
    let daily = headers.get("x-ratelimit-type").and_then(|v| v.to_str().ok()) == Some("Daily-limit");
    daily.then_some(Duration::from_secs(3600))
}

#[tokio::test]
async fn a_vendor_hint_sets_the_wait_when_retry_after_is_absent() {
    let base = serve(Router::new().route("/users", get(daily_limit))).await;
    let err = http(&base, Some(hint))
        .send(Method::GET, "/users", &[], &mut Raw { client_errors: false })
        .await
        .expect_err("a day's wait is past the budget");
    match err {
        HttpError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(3600)))
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// A vendor error that keeps the status and the scrubbed body text.
#[derive(Debug, PartialEq)]
struct Kept(u16, String);

impl ClientError for Kept {
    fn from_answer(status: u16, body: &[u8], scrub: &[&str]) -> Self {
        let text =
            scrub.iter().fold(String::from_utf8_lossy(body).into_owned(), |t, s| t.replace(s, "[redacted]"));
        Kept(status, text)
    }
}

#[tokio::test]
async fn a_vendor_reader_reads_documents_and_hands_client_errors_to_the_vendor_error() {
    let doc = || async { ([(header::CONTENT_TYPE, "application/json")], r#"{"n":1}"#) };
    let base = serve(Router::new().route("/token", post(oauth_error)).route("/doc", get(doc))).await;
    let http = http(&base, None);
    let mut reader = VendorReader::<serde_json::Value, Kept>::new(vec!["s3cret"]);
    let got = http.send(Method::GET, "/doc", &[], &mut reader).await.expect("a document");
    assert_eq!(got, Ok(serde_json::json!({"n": 1})));
    let got = http.send(Method::POST, "/token", &[], &mut reader).await.expect("handed over");
    let Err(Kept(status, text)) = got else { panic!("expected the vendor error: {got:?}") };
    assert_eq!(status, 400);
    assert!(
        text.contains("invalid_client") && text.contains("[redacted]") && !text.contains("s3cret"),
        "{text}"
    );
}

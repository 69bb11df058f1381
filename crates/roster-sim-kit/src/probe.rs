//! A small HTTP client for simulators' own tests (feature `probe`).

use reqwest::StatusCode;
use serde_json::Value;

/// A client that never reuses connections (so a fault on one request cannot leak into
/// the next) and never follows redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the probe client builds")
}

/// GET `base + path` with an optional bearer token.
pub async fn get(base: &str, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut req = client().get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("the request reaches the simulator")
}

/// Sends `method` to `base + path` with an optional bearer token and an optional JSON body:
/// the writes (`PUT`, `PATCH`, `POST`, `DELETE`) a simulator serves.
pub async fn send(
    base: &str,
    token: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = client().request(method, format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.expect("the request reaches the simulator")
}

/// [`send`], then the status and the JSON body (`Value::Null` when the body is empty, as
/// a `204 No Content` is); panics with the body when it is neither.
pub async fn send_json(
    base: &str,
    token: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let resp = send(base, token, method, path, body).await;
    let status = resp.status();
    let bytes = resp.bytes().await.expect("the body reads");
    if bytes.is_empty() {
        return (status, Value::Null);
    }
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("json body for {path}: {e}: {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

/// The status and JSON body of a response; panics with the body when it is not JSON.
pub async fn json_of(resp: reqwest::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let url = resp.url().path().to_owned();
    let bytes = resp.bytes().await.expect("the body reads");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("json body for {url}: {e}: {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

/// GET and parse JSON.
pub async fn get_json(base: &str, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    json_of(get(base, token, path).await).await
}

/// A response header as text.
pub fn header(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The content type of a response ("" when absent).
pub fn content_type(resp: &reqwest::Response) -> String {
    header(resp, "content-type").unwrap_or_default()
}

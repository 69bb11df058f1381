//! Sessions and request guards: a loopback `Host` (no DNS rebinding), a
//! session cookie, the session's CSRF token on every mutating request (the
//! `x-csrf-token` header of the page script, or the `csrf` field of an HTML form), and
//! headers that keep pages out of caches and frames.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;

use super::state::AppState;

const COOKIE: &str = "roster_session";
const MAX_SESSIONS: usize = 1000;
/// The largest HTML form body read: axum's own default body limit (a reclaim plan's
/// Apply form names each of its users).
const FORM_LIMIT: usize = 2 * 1024 * 1024;
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of the Connect page: AJV (react-jsonschema-form's validator)
/// compiles each schema into a function, which needs `'unsafe-eval'`. Only
/// that page gets it.
pub const CSP_FORM: &str = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; \
                            img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The session of a request, for pages that embed its CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub csrf: String,
}

pub async fn guard(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    if !state.allow_remote && !loopback_host(req.headers()) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "roster serve answers only requests to 127.0.0.1, localhost or [::1]",
        );
    }
    let known = cookie(req.headers()).and_then(|id| {
        let sessions = state.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.get(&id).map(|csrf| (id, csrf.clone()))
    });
    let mutating = !matches!(*req.method(), Method::GET | Method::HEAD);
    if mutating {
        let (with_token, sent) = form_token(req).await;
        req = with_token;
        let sent =
            req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned).or(sent);
        let ok = matches!((&known, sent), (Some((_, csrf)), Some(sent)) if same(csrf, &sent))
            && same_origin(req.headers());
        if !ok {
            return refuse(
                StatusCode::FORBIDDEN,
                "missing or wrong csrf token; reload the page and try again",
            );
        }
    }
    let (new_cookie, csrf) = match known {
        Some((_, csrf)) => (None, csrf),
        None => {
            let (id, csrf) = (random_hex(), random_hex());
            let mut sessions = state.sessions.lock().unwrap_or_else(|e| e.into_inner());
            if sessions.len() >= MAX_SESSIONS {
                sessions.clear();
            }
            sessions.insert(id.clone(), csrf.clone());
            (Some(id), csrf)
        }
    };
    req.extensions_mut().insert(Session { csrf });
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Some(id) = new_cookie
        && let Ok(v) = HeaderValue::from_str(&format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict"))
    {
        h.append(header::SET_COOKIE, v);
    }
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null`
    // with an HTML form's POST, which `same_origin` must refuse; other sites still get nothing.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}

fn refuse(status: StatusCode, message: &'static str) -> Response {
    (status, axum::Json(serde_json::json!({"ok": false, "message": message}))).into_response()
}

/// The `csrf` field of an HTML form's body (`application/x-www-form-urlencoded`, at
/// most [`FORM_LIMIT`] bytes), and the request with its body put back. The token is
/// hex, so it needs no decoding.
async fn form_token(req: Request) -> (Request, Option<String>) {
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return (req, None);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.unwrap_or_default();
    let token = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| text.split('&').find_map(|pair| pair.strip_prefix("csrf=")))
        .map(str::to_owned);
    (Request::from_parts(parts, axum::body::Body::from(bytes)), token)
}

/// Whether `Host` names this machine: 127.0.0.1, localhost or [::1], any port.
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name == "localhost" || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A browser's `Origin`, when it sends one, must be this server.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        for ok in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "127.0.0.1", "localhost"] {
            assert!(loopback_host(&headers(&[("host", ok)])), "{ok}");
        }
        for bad in ["evil.example.com", "evil.example.com:8080", "10.0.0.1:8080", "[2001:db8::1]:80"] {
            assert!(!loopback_host(&headers(&[("host", bad)])), "{bad}");
        }
        assert!(!loopback_host(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn an_html_form_carries_its_token_and_keeps_its_body() {
        let form = |ct: &str, body: &'static str| {
            axum::http::Request::builder()
                .method("POST")
                .header(header::CONTENT_TYPE, ct)
                .body(axum::body::Body::from(body))
                .expect("request")
        };
        let (req, token) =
            form_token(form("application/x-www-form-urlencoded", "user=1&csrf=ab12&set.dev=x")).await;
        assert_eq!(token.as_deref(), Some("ab12"));
        let body = axum::body::to_bytes(req.into_body(), FORM_LIMIT).await.expect("body");
        assert_eq!(&body[..], b"user=1&csrf=ab12&set.dev=x");
        let (_, token) = form_token(form("application/json", r#"{"csrf":"ab12"}"#)).await;
        assert_eq!(token, None, "only an HTML form's field counts; JSON posts use the header");
    }

    #[test]
    fn origins_must_match_the_host_and_cookies_are_found() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example.com")])));
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080")])));
        let h = headers(&[("cookie", "a=b; roster_session=abc; c=d")]);
        assert_eq!(cookie(&h).as_deref(), Some("abc"));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}

//! Response builders and header parsers every simulator uses.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::Value;

/// A status code, falling back to 500 for numbers that are not one.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A JSON response with the vendor's `Content-Type`.
pub fn json(code: StatusCode, content_type: &'static str, value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    (code, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// A body of any content type.
pub fn typed(code: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    (code, [(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

/// An empty response (`204 No Content`, say).
pub fn empty(code: StatusCode) -> Response {
    code.into_response()
}

/// An HTML error page as a load balancer serves it; `brand` goes into the title.
pub fn html_page(code: StatusCode, brand: &str) -> String {
    let reason = code.canonical_reason().unwrap_or("Error");
    let n = code.as_u16();
    let title = if brand.is_empty() { format!("{n} {reason}") } else { format!("{n} {reason} | {brand}") };
    format!(
        "<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n<center><h1>{n} {reason}</h1></center>\n<p>We're sorry, but something went wrong. Please try again later.</p>\n</body>\n</html>\n"
    )
}

/// Sets a header, ignoring values that cannot be one.
pub fn set_header(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(HeaderName::from_static(name), v);
    }
}

/// The token of an `Authorization: Bearer <token>` (or `token <token>`) header value.
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    let known = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token");
    (known && !token.is_empty()).then_some(token)
}

/// The bearer token of a request's headers.
pub fn bearer_of(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok().and_then(bearer)
}

/// `(user, password)` of an `Authorization: Basic ...` header.
pub fn basic_of(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Query or form parameters, in order.
pub fn params(text: &str) -> Vec<(String, String)> {
    url_decode_pairs(text)
}

/// The first value of `key` among `params`.
pub fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn url_decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_and_params() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("token abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
        assert_eq!(bearer("Bearer "), None);
        let p = params("a=1&b=x%20y+z&c&d=%zz&e=%41");
        assert_eq!(param(&p, "a"), Some("1"));
        assert_eq!(param(&p, "b"), Some("x y z"));
        assert_eq!(param(&p, "c"), Some(""));
        assert_eq!(param(&p, "d"), Some("%zz"));
        assert_eq!(param(&p, "e"), Some("A"));
    }
}

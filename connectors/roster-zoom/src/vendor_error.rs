//! Zoom's error bodies: `{"code": 124, "message": "..."}` from the API, and
//! `{"reason": "...", "error": "invalid_client"}` from the OAuth token endpoint.

use serde_json::Value;

/// A 4xx answer from Zoom, as read from its body. Messages are cut to 200
/// characters and scrubbed of the credentials before they are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZoomError {
    pub status: u16,
    /// Zoom's own number (`124`, `4711`, `300`, ...), when the body had one.
    pub code: Option<i64>,
    /// `message`, or the OAuth `reason`.
    pub message: Option<String>,
    /// The OAuth `error` (`invalid_client`, `invalid_request`, ...).
    pub oauth_error: Option<String>,
}

/// Zoom's code for an expired or invalid access token.
pub(crate) const CODE_TOKEN: i64 = 124;
/// A granular scope is missing.
pub(crate) const CODE_MISSING_SCOPES: i64 = 4711;
/// An invalid token or a missing classic scope.
pub(crate) const CODE_INVALID_OR_SCOPE: i64 = 4700;
/// Bad request; "The next page token is invalid or expired." on `GET /users`.
pub(crate) const CODE_BAD_REQUEST: i64 = 300;
/// Permission or plan problems ("No permission.", "Only available for paid account.").
pub(crate) const CODE_NO_PERMISSION: i64 = 200;

impl ZoomError {
    /// Reads a body; anything unreadable keeps only the status.
    pub(crate) fn parse(status: u16, body: &[u8], scrub: &[&str]) -> Self {
        let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let code = match v.get("code") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let message = text("message").or_else(|| text("reason")).map(|m| {
            let mut m: String = m.chars().take(200).collect();
            for secret in scrub.iter().filter(|s| !s.is_empty()) {
                m = m.replace(secret, "[redacted]");
            }
            m
        });
        let oauth_error =
            text("error").filter(|e| e.len() <= 64 && e.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        ZoomError { status, code, message, oauth_error }
    }

    /// Code 124 (expired or invalid token), whatever the status, or a bare 401.
    pub(crate) fn is_token_refused(&self) -> bool {
        self.code == Some(CODE_TOKEN) || (self.status == 401 && self.code.is_none())
    }

    /// Whether the token lacks a scope (4711, or 4700 naming a scope).
    pub(crate) fn is_missing_scope(&self) -> bool {
        match self.code {
            Some(CODE_MISSING_SCOPES) => true,
            Some(CODE_INVALID_OR_SCOPE) => self.message.as_deref().is_some_and(|m| m.contains("scope")),
            _ => false,
        }
    }

    /// The scopes a 4711/4700 message names: `scopes:[a, b]` or `contain a scope`.
    pub(crate) fn named_scopes(&self) -> Vec<String> {
        let Some(m) = self.message.as_deref() else {
            return Vec::new();
        };
        if let Some(start) = m.find('[')
            && let Some(len) = m[start + 1..].find(']')
        {
            return m[start + 1..start + 1 + len]
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        m.split_once("contain ")
            .and_then(|(_, rest)| rest.split_once(" scope"))
            .map(|(scope, _)| vec![scope.trim().to_owned()])
            .filter(|v| v.iter().all(|s| !s.is_empty() && !s.contains(' ')))
            .unwrap_or_default()
    }

    /// 400 code 300 about the page token.
    pub(crate) fn is_invalid_page_token(&self) -> bool {
        self.code == Some(CODE_BAD_REQUEST)
            && self.message.as_deref().is_some_and(|m| m.to_ascii_lowercase().contains("next page token"))
    }

    /// A refusal that a best-effort read (plan usage, roles) turns into a note:
    /// a missing scope, code 200, or 403.
    pub(crate) fn is_refusal(&self) -> bool {
        self.is_missing_scope() || self.code == Some(CODE_NO_PERMISSION) || self.status == 403
    }

    /// `"<status> (code <n>: <message>)"`, for error messages.
    pub(crate) fn describe(&self) -> String {
        let mut s = format!("zoom answered {}", self.status);
        match (self.code, &self.message, &self.oauth_error) {
            (Some(c), Some(m), _) => s.push_str(&format!(" (code {c}: {m})")),
            (Some(c), None, _) => s.push_str(&format!(" (code {c})")),
            (None, Some(m), Some(e)) => s.push_str(&format!(" ({e}: {m})")),
            (None, Some(m), None) => s.push_str(&format!(" ({m})")),
            (None, None, Some(e)) => s.push_str(&format!(" ({e})")),
            (None, None, None) => {}
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_and_oauth_bodies() {
        let e = ZoomError::parse(401, br#"{"code":124,"message":"Access token is expired."}"#, &[]);
        assert!(e.is_token_refused() && !e.is_missing_scope());
        let e = ZoomError::parse(
            400,
            br#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
            &[],
        );
        assert_eq!(e.oauth_error.as_deref(), Some("invalid_client"));
        assert_eq!(e.describe(), "zoom answered 400 (invalid_client: Invalid client_id or client_secret)");
        let e = ZoomError::parse(502, b"<html>bad gateway</html>", &[]);
        assert_eq!((e.code, e.message), (None, None));
    }

    #[test]
    fn missing_scopes_are_named() {
        let e = ZoomError::parse(
            400,
            br#"{"code":4711,"message":"Invalid access token, does not contain scopes:[role:read:list_roles:admin, role:read:list_roles]."}"#,
            &[],
        );
        assert!(e.is_missing_scope() && e.is_refusal());
        assert_eq!(e.named_scopes(), ["role:read:list_roles:admin", "role:read:list_roles"]);
        let e = ZoomError::parse(
            400,
            br#"{"code":4700,"message":"Invalid access token, does not contain role:read:admin scope."}"#,
            &[],
        );
        assert_eq!(e.named_scopes(), ["role:read:admin"]);
        let e = ZoomError::parse(400, br#"{"code":4700,"message":"Token cannot be empty."}"#, &[]);
        assert!(!e.is_missing_scope());
    }

    #[test]
    fn messages_are_scrubbed_and_cut() {
        let body = format!(r#"{{"code":300,"message":"bad s3cret {}"}}"#, "x".repeat(500));
        let e = ZoomError::parse(400, body.as_bytes(), &["s3cret"]);
        let m = e.message.unwrap_or_default();
        assert!(!m.contains("s3cret") && m.chars().count() <= 212, "{m}");
        let e = ZoomError::parse(
            400,
            br#"{"code":"300","message":"The next page token is invalid or expired."}"#,
            &[],
        );
        assert!(e.is_invalid_page_token());
    }
}

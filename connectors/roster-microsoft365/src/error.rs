//! Microsoft's 4xx bodies: Graph's `{"error":{"code","message"}}` and the token endpoint's
//! `{"error","error_description","error_codes"}`. Classification goes by status and code
//! (`error`, `error_codes`), never by message text, as Microsoft asks.

use roster_http::ClientError;
use serde_json::Value;

/// A 4xx answer, as read from its body. The message is its first line (the token
/// endpoint's trace block dropped), cut to 200 characters and scrubbed of what was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MsError {
    pub status: u16,
    /// Graph's `error.code`, or the token endpoint's `error`.
    pub code: Option<String>,
    pub message: Option<String>,
    /// The token endpoint's AADSTS numbers.
    pub aadsts: Vec<i64>,
}

impl ClientError for MsError {
    fn from_answer(status: u16, body: &[u8], scrub: &[&str]) -> Self {
        let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let (code, message) = match v.get("error") {
            Some(e @ Value::Object(_)) => (text(e, "code"), text(e, "message")),
            Some(Value::String(e)) => (Some(e.clone()), text(&v, "error_description")),
            _ => (None, None),
        };
        let message = message.map(|m| {
            let first = m.split(['\r', '\n']).next().unwrap_or_default();
            let cut: String = first.chars().take(200).collect();
            scrub.iter().filter(|s| !s.is_empty()).fold(cut, |m, s| m.replace(s, "[redacted]"))
        });
        let aadsts = v
            .get("error_codes")
            .and_then(Value::as_array)
            .map(|c| c.iter().filter_map(Value::as_i64).collect());
        MsError { status, code, message, aadsts: aadsts.unwrap_or_default() }
    }
}

impl MsError {
    pub(crate) fn code_is(&self, code: &str) -> bool {
        self.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(code))
    }

    pub(crate) fn has_aadsts(&self, n: i64) -> bool {
        self.aadsts.contains(&n)
    }

    /// An expired delta token: 410, or a code that says so [DOC graph/delta-query-overview, graph/errors].
    pub(crate) fn is_delta_expired(&self) -> bool {
        self.status == 410 || self.code_is("syncStateNotFound") || self.code_is("resyncRequired")
    }

    /// `signInActivity` refused because the tenant has no Entra ID P1/P2.
    pub(crate) fn is_non_premium(&self) -> bool {
        self.code_is("Authentication_RequestFromNonPremiumTenantOrB2CTenant")
    }

    /// `signInActivity` refused because the app lacks AuditLog.Read.All.
    pub(crate) fn is_missing_audit_log(&self) -> bool {
        self.code_is("Authentication_MSGraphPermissionMissing")
    }

    /// The page limit of "Cannot query data for more than N users at a time.".
    pub(crate) fn page_limit(&self) -> Option<u32> {
        let m = self.message.as_deref()?;
        let rest = m.split_once("more than ")?.1;
        rest.split_once(" users")?.0.trim().parse().ok().filter(|n| *n > 0)
    }

    /// `"microsoft answered 403 (Authorization_RequestDenied: Insufficient privileges ...)"`.
    pub(crate) fn describe(&self) -> String {
        let detail = match (&self.code, &self.message) {
            (Some(c), Some(m)) => format!(" ({c}: {m})"),
            (Some(x), None) | (None, Some(x)) => format!(" ({x})"),
            (None, None) => String::new(),
        };
        format!("microsoft answered {}{detail}", self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_envelopes_are_read_and_scrubbed() {
        let token = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret s3cret provided.\r\nTrace ID: 6bad\r\nCorrelation ID: 63b8","error_codes":[7000215]}"#;
        let e = MsError::from_answer(401, token, &["s3cret"]);
        assert!(e.code_is("invalid_client") && e.has_aadsts(7000215));
        assert_eq!(e.message.as_deref(), Some("AADSTS7000215: Invalid client secret [redacted] provided."));
        let graph = br#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{}}}"#;
        assert!(MsError::from_answer(403, graph, &[]).is_non_premium());
        let e = MsError::from_answer(502, b"<html>", &[]);
        assert_eq!(e.describe(), "microsoft answered 502");
    }

    #[test]
    fn delta_expiry_and_page_limits() {
        assert!(MsError::from_answer(410, b"", &[]).is_delta_expired());
        assert!(
            MsError::from_answer(400, br#"{"error":{"code":"SyncStateNotFound"}}"#, &[]).is_delta_expired()
        );
        let e = MsError::from_answer(400, br#"{"error":{"code":"BadRequest","message":"Cannot query data for more than 120 users at a time."}}"#, &[]);
        assert_eq!(e.page_limit(), Some(120));
    }
}

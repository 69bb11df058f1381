//! What a request ends with when it cannot succeed.

use std::time::Duration;

use roster_core::ConnectorError;

/// A request's final failure, after the retry budget was spent on whatever
/// was retryable. Messages name the method and path, never headers.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// A status the connector must interpret (401, 403, 404, other 4xx), or a
    /// 5xx that outlasted the retries. `message` is the vendor's own message
    /// from a JSON body, when there was one.
    #[error("{request}: the server answered {status}{}", message.as_deref().map(|m| format!(" ({m})")).unwrap_or_default())]
    Status { request: String, status: u16, message: Option<String> },
    /// 429 past the retry budget, or with a `Retry-After` longer than we wait.
    #[error("{request}: rate limited by the server{}", retry_after.map(|d| format!("; it asked to wait {}s", d.as_secs())).unwrap_or_default())]
    RateLimited { request: String, retry_after: Option<Duration> },
    /// Connection refused or reset, DNS failure, or a timeout.
    #[error("{request}: {detail}")]
    Network { request: String, detail: String },
    /// The body was not what was expected: truncated, HTML, wrong content type.
    #[error("{request}: invalid response: {detail}")]
    Body { request: String, detail: String },
    /// The server redirected. Roster never follows redirects, so a token
    /// cannot be carried to another origin.
    #[error("{request}: the server redirected ({status}) instead of answering; check the base url")]
    Redirect { request: String, status: u16 },
    /// The reader of the body gave up for a reason of its own.
    #[error(transparent)]
    Reader(ConnectorError),
}

impl HttpError {
    /// The generic classification. Connectors usually special-case 401/403
    /// first, since those need vendor-specific remediations.
    pub fn into_connector_error(self) -> ConnectorError {
        let message = self.to_string();
        match self {
            HttpError::Status { status: 401, .. } => ConnectorError::invalid_credentials(message),
            HttpError::Status { status: 403, .. } => ConnectorError::missing_permission(message, Vec::new()),
            HttpError::Status { status, .. } if status >= 500 => ConnectorError::transient(message),
            HttpError::Status { .. } => ConnectorError::invalid_response(message),
            HttpError::RateLimited { retry_after, .. } => ConnectorError::rate_limited(message, retry_after),
            HttpError::Network { .. } => ConnectorError::transient(message),
            HttpError::Body { .. } => ConnectorError::invalid_response(message),
            HttpError::Redirect { .. } => ConnectorError::config(message)
                .with_remediation("set the base url to the origin that serves the api itself"),
            HttpError::Reader(e) => e,
        }
    }

    /// The HTTP status, when the failure was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Status { status, .. } => Some(*status),
            HttpError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }
}

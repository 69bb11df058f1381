//! The account's `[credentials]` and `[settings]` tables. Their JSON Schemas
//! are the setup form.

use roster_core::{FieldError, Secret};
use roster_http::{RateLimit, RetryPolicy, parse_origin};
use schemars::{JsonSchema, Schema};
use serde::Deserialize;
use url::Url;

use crate::data_center::DataCenter;

/// # Workato account
///
/// Connects one Workato workspace through an API client. In Workato, open
/// Workspace admin → API clients, create a client role with the "Workspace
/// details" and "Workspace collaborators" permission groups, give the API
/// client DEV environment access and all projects, and copy its token.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = base_url_only_with_custom)]
#[schemars(extend("examples" = [
    {"data_center": "eu", "api_token": "wrkaeu-example-token"},
    {"data_center": "custom", "base_url": "https://workato.example.com", "api_token": "wrka-example-token"}
]))]
pub struct WorkatoCredentials {
    /// # Data center
    ///
    /// Where the workspace lives. Look at the address you sign in at: for
    /// example app.eu.workato.com is EU.
    pub data_center: DataCenter,

    /// # Base URL
    ///
    /// The origin of your Virtual Private Workato instance, such as
    /// https://workato.example.com.
    #[serde(default)]
    #[schemars(url, example = &"https://workato.example.com")]
    pub base_url: Option<String>,

    /// # API token
    ///
    /// The token of a Workato API client (Workspace admin → API clients). It
    /// is shown once, when the client is created or its token regenerated.
    pub api_token: Secret,
}

/// `base_url` is shown and required with `custom`, and refused otherwise.
fn base_url_only_with_custom(schema: &mut Schema) {
    roster_core::schema::only_when(schema, "base_url", "data_center", "custom");
}

/// # Workato sync settings
///
/// Optional. The defaults suit most workspaces.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WorkatoSettings {
    /// # Exact last login
    ///
    /// Read the activity audit log (a paid Workato add-on) for login events,
    /// and use each person's latest login as their last visit instead of their
    /// last audited activity. Costs extra requests; read incrementally.
    pub exact_last_login: bool,

    /// # Audit log window (days)
    ///
    /// How far back the first audit-log read goes. Later syncs read only
    /// events that are new since the previous sync.
    #[schemars(range(min = 1, max = 366))]
    pub audit_log_window_days: u32,

    /// # Requests per minute
    ///
    /// The client-side request rate for this workspace. Workato allows 60
    /// per minute per endpoint group.
    #[schemars(range(min = 1, max = 10000))]
    pub requests_per_minute: u32,

    /// # Request timeout (seconds)
    ///
    /// How long one request may take, body included. Workato itself stops at 40 seconds.
    #[schemars(range(min = 1, max = 3600))]
    pub request_timeout_secs: u64,

    /// # Attempts per request
    ///
    /// How many times a request is tried on 429, 5xx, network errors and bad bodies.
    #[schemars(range(min = 1, max = 20))]
    pub max_attempts: u32,

    /// # First retry delay (milliseconds)
    ///
    /// The backoff before the first retry when no Retry-After is given; it
    /// doubles with each attempt.
    #[schemars(range(min = 0, max = 60000))]
    pub retry_base_delay_ms: u64,
}

impl Default for WorkatoSettings {
    fn default() -> Self {
        Self {
            exact_last_login: false,
            audit_log_window_days: 90,
            requests_per_minute: 60,
            request_timeout_secs: 60,
            max_attempts: 5,
            retry_base_delay_ms: 500,
        }
    }
}

impl WorkatoSettings {
    pub(crate) fn rate_limit(&self) -> RateLimit {
        RateLimit::per_minute(self.requests_per_minute)
    }

    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            base_delay: std::time::Duration::from_millis(self.retry_base_delay_ms),
            ..RetryPolicy::default()
        }
    }
}

/// The API origin the credentials point to, checking `base_url` against
/// `data_center`.
pub(crate) fn resolve_origin(credentials: &WorkatoCredentials) -> Result<Url, FieldError> {
    match (credentials.data_center, credentials.base_url.as_deref().map(str::trim)) {
        (DataCenter::Custom, None | Some("")) => Err(FieldError::new(
            "credentials.base_url",
            "required when data_center is \"custom\": the origin of your Virtual Private Workato instance, such as https://workato.example.com",
        )),
        (DataCenter::Custom, Some(url)) => {
            parse_origin(url).map_err(|e| FieldError::new("credentials.base_url", e.to_string()))
        }
        (dc, Some(url)) if !url.is_empty() => Err(FieldError::new(
            "credentials.base_url",
            format!(
                "only allowed when data_center is \"custom\"; remove it, or set data_center = \"custom\" (it is \"{}\")",
                dc.id()
            ),
        )),
        (dc, _) => dc
            .api_origin()
            .and_then(|o| Url::parse(o).ok())
            .ok_or_else(|| FieldError::new("credentials.data_center", "has no known api origin")),
    }
}

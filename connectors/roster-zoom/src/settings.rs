//! The account's optional `[settings]` table.

use std::time::Duration;

use roster_http::{RateLimit, RetryPolicy};
use schemars::JsonSchema;
use serde::Deserialize;

/// # Zoom sync settings
///
/// Optional. The defaults suit most accounts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ZoomSettings {
    /// # Requests per second
    ///
    /// The client-side request rate for this account. Zoom's limits are per account and
    /// shared by every app on it: "Medium" endpoints such as List users allow 20 per
    /// second on Pro and 60 on Business plans (2 on Free).
    #[schemars(range(min = 1, max = 100))]
    pub requests_per_second: u32,

    /// # Page size
    ///
    /// Users per page of List users. Zoom documents up to 300 for paged listings.
    #[schemars(range(min = 1, max = 300))]
    pub page_size: u32,

    /// # Request timeout (seconds)
    ///
    /// How long one request may take, body included.
    #[schemars(range(min = 1, max = 3600))]
    pub request_timeout_secs: u64,

    /// # Attempts per request
    ///
    /// How many times a request is tried on 429, 5xx, network errors and bad bodies.
    #[schemars(range(min = 1, max = 20))]
    pub max_attempts: u32,

    /// # First retry delay (milliseconds)
    ///
    /// The backoff before the first retry when Zoom's headers name no wait; it doubles
    /// with each attempt.
    #[schemars(range(min = 0, max = 60000))]
    pub retry_base_delay_ms: u64,

    /// # Token refresh margin (seconds)
    ///
    /// A cached access token is replaced this long before it expires (at most half its
    /// lifetime). Zoom's tokens live an hour.
    #[schemars(range(min = 0, max = 3000))]
    pub token_refresh_margin_secs: u64,
}

impl Default for ZoomSettings {
    fn default() -> Self {
        Self {
            requests_per_second: 10,
            page_size: 300,
            request_timeout_secs: 60,
            max_attempts: 5,
            retry_base_delay_ms: 500,
            token_refresh_margin_secs: 300,
        }
    }
}

impl ZoomSettings {
    pub(crate) fn rate_limit(&self) -> RateLimit {
        RateLimit::per_minute(self.requests_per_second.max(1).saturating_mul(60))
    }

    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            base_delay: Duration::from_millis(self.retry_base_delay_ms),
            ..RetryPolicy::default()
        }
    }

    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.page_size.clamp(1, 300)
    }
}

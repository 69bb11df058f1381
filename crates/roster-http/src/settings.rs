//! The HTTP part of every connector's `[settings]`: one struct, flattened into each
//! connector's settings (`#[serde(flatten)] pub http: HttpSettings`), so its keys, titles
//! and defaults are the same everywhere.

use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::client::HttpConfig;
use crate::retry::RetryPolicy;

/// # HTTP
///
/// How hard requests to the vendor are tried.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(default)]
pub struct HttpSettings {
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
    /// The backoff before the first retry when the vendor names no wait; it doubles with
    /// each attempt.
    #[schemars(range(min = 0, max = 60000))]
    pub retry_base_delay_ms: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self { request_timeout_secs: 60, max_attempts: 5, retry_base_delay_ms: 500 }
    }
}

impl HttpSettings {
    /// The whole-request timeout (at least a second).
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }

    /// The retry budget (at least one attempt).
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            base_delay: Duration::from_millis(self.retry_base_delay_ms),
            ..RetryPolicy::default()
        }
    }

    /// Sets `config`'s timeout and retry budget from these settings.
    pub fn apply(&self, config: &mut HttpConfig) {
        config.timeout = self.timeout();
        config.retry = self.retry_policy();
    }
}

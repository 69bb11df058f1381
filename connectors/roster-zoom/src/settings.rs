//! The account's optional `[settings]` table.

use roster_http::{HttpSettings, RateLimit};
use schemars::JsonSchema;
use serde::Deserialize;

/// # Zoom sync settings
///
/// Optional. The defaults suit most accounts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(default)]
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

    /// # Token refresh margin (seconds)
    ///
    /// A cached access token is replaced this long before it expires (at most half its
    /// lifetime). Zoom's tokens live an hour.
    #[schemars(range(min = 0, max = 3000))]
    pub token_refresh_margin_secs: u64,

    #[serde(flatten)]
    pub http: HttpSettings,
}

impl Default for ZoomSettings {
    fn default() -> Self {
        Self {
            requests_per_second: 10,
            page_size: 300,
            token_refresh_margin_secs: 300,
            http: HttpSettings::default(),
        }
    }
}

impl ZoomSettings {
    pub(crate) fn rate_limit(&self) -> RateLimit {
        RateLimit::per_minute(self.requests_per_second.max(1).saturating_mul(60))
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.page_size.clamp(1, 300)
    }
}

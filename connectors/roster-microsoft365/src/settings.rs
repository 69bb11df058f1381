//! The account's optional `[settings]` table.

use roster_http::{HttpSettings, RateLimit};
use schemars::JsonSchema;
use serde::Deserialize;

/// # Microsoft 365 sync settings
///
/// Optional. The defaults suit most tenants.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Microsoft365Settings {
    /// # Requests per second
    ///
    /// The client-side request rate for this tenant. Graph's identity limits are a budget of
    /// resource units per app and tenant every 10 seconds (3,500 to 8,000 by tenant size).
    #[schemars(range(min = 1, max = 200))]
    pub requests_per_second: u32,

    /// # Page size
    ///
    /// Users per page of List users (`$top`). Graph allows up to 999, and at most 500 when
    /// sign-in activity is read; larger values are cut to that.
    #[schemars(range(min = 1, max = 999))]
    pub page_size: u32,

    /// # Token refresh margin (seconds)
    ///
    /// A cached access token is replaced this long before it expires (at most half its
    /// lifetime). Microsoft's app tokens live about an hour.
    #[schemars(range(min = 0, max = 3000))]
    pub token_refresh_margin_secs: u64,

    #[serde(flatten)]
    pub http: HttpSettings,
}

impl Default for Microsoft365Settings {
    fn default() -> Self {
        Self {
            requests_per_second: 20,
            page_size: 999,
            token_refresh_margin_secs: 300,
            http: HttpSettings::default(),
        }
    }
}

impl Microsoft365Settings {
    pub(crate) fn rate_limit(&self) -> RateLimit {
        RateLimit::per_minute(self.requests_per_second.max(1).saturating_mul(60))
    }
}

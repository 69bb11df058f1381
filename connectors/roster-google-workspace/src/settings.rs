//! The account's optional `[settings]` table.

use roster_http::{HttpSettings, RateLimit};
use schemars::JsonSchema;
use serde::Deserialize;

/// The products whose licences a sync reads by default (Google's product ids).
pub const DEFAULT_LICENSE_PRODUCTS: [&str; 8] =
    ["Google-Apps", "101031", "Google-Vault", "101001", "101005", "101034", "101033", "101047"];

/// # Google Workspace sync settings
///
/// Optional. The defaults suit most customers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GoogleWorkspaceSettings {
    /// # Licence products
    ///
    /// The product IDs whose licence assignments are read, one request each: Google-Apps
    /// (Google Workspace), 101031 (Education), Google-Vault, 101001 and 101005 (Cloud
    /// Identity Free and Premium), 101034 (Archived User), 101033 (Google Voice), 101047
    /// (Gemini). A product the customer does not have is skipped.
    pub license_products: Vec<String>,

    /// # Requests per second
    ///
    /// The client-side request rate for this customer. The Directory API allows 2,400
    /// queries per minute per user per project.
    #[schemars(range(min = 1, max = 100))]
    pub requests_per_second: u32,

    #[serde(flatten)]
    pub http: HttpSettings,
}

impl Default for GoogleWorkspaceSettings {
    fn default() -> Self {
        Self {
            license_products: DEFAULT_LICENSE_PRODUCTS.map(str::to_owned).to_vec(),
            requests_per_second: 20,
            http: HttpSettings::default(),
        }
    }
}

impl GoogleWorkspaceSettings {
    pub(crate) fn rate_limit(&self) -> RateLimit {
        RateLimit::per_minute(self.requests_per_second.clamp(1, 100) * 60)
    }
}

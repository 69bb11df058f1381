//! The account's optional `[settings]` table.

use roster_http::HttpSettings;
use schemars::JsonSchema;
use serde::Deserialize;

/// # GitHub sync settings
///
/// Optional. The defaults suit most organizations.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(default)]
pub struct GithubSettings {
    /// # Page size
    ///
    /// Records per page of every list, REST and GraphQL alike. GitHub allows up to 100.
    #[schemars(range(min = 1, max = 100))]
    pub page_size: u32,

    #[serde(flatten)]
    pub http: HttpSettings,
}

impl Default for GithubSettings {
    fn default() -> Self {
        Self { page_size: 100, http: HttpSettings::default() }
    }
}

impl GithubSettings {
    pub(crate) fn page_size(&self) -> u32 {
        self.page_size.clamp(1, 100)
    }
}

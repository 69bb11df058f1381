//! The workspace's optional `[settings]` table.

use roster_http::{HttpSettings, RateLimit};
use schemars::JsonSchema;
use serde::Deserialize;

/// # Workato sync settings
///
/// Optional. The defaults suit most workspaces.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(default)]
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

    #[serde(flatten)]
    pub http: HttpSettings,
}

impl Default for WorkatoSettings {
    fn default() -> Self {
        Self {
            exact_last_login: false,
            audit_log_window_days: 90,
            requests_per_minute: 60,
            http: HttpSettings::default(),
        }
    }
}

impl WorkatoSettings {
    pub(crate) fn rate_limit(&self) -> RateLimit {
        RateLimit::per_minute(self.requests_per_minute)
    }
}

//! Microsoft clouds: where each one's token service and Graph live [DOC
//! https://learn.microsoft.com/graph/deployments].

use schemars::JsonSchema;
use serde::Deserialize;

/// The Microsoft cloud the tenant lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// # Global (login.microsoftonline.com, graph.microsoft.com)
    ///
    /// Microsoft 365 worldwide, GCC (moderate) included.
    Global,
    /// # US Government GCC High (login.microsoftonline.us, graph.microsoft.us)
    ///
    /// US Government L4; apps are registered in portal.azure.us.
    UsGov,
    /// # US Government DoD (login.microsoftonline.us, dod-graph.microsoft.us)
    ///
    /// US Government L5 (DOD).
    UsGovDod,
    /// # China, operated by 21Vianet (login.chinacloudapi.cn, microsoftgraph.chinacloudapi.cn)
    ///
    /// Microsoft 365 in China; apps are registered in the China portal.
    China,
    /// # Custom URL
    ///
    /// A proxy or test server that serves both the token endpoint and Graph on one origin;
    /// enter it as the base URL.
    Custom,
}

impl Cloud {
    /// The config value, as written in account files.
    pub const fn id(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "us_gov",
            Cloud::UsGovDod => "us_gov_dod",
            Cloud::China => "china",
            Cloud::Custom => "custom",
        }
    }

    /// `(token service, Graph)` origins; `None` for `custom`.
    pub const fn origins(self) -> Option<(&'static str, &'static str)> {
        match self {
            Cloud::Global => Some(("https://login.microsoftonline.com", "https://graph.microsoft.com")),
            Cloud::UsGov => Some(("https://login.microsoftonline.us", "https://graph.microsoft.us")),
            Cloud::UsGovDod => Some(("https://login.microsoftonline.us", "https://dod-graph.microsoft.us")),
            Cloud::China => {
                Some(("https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"))
            }
            Cloud::Custom => None,
        }
    }
}

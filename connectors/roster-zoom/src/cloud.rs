//! Zoom clouds: where each one's OAuth server and API live.

use schemars::JsonSchema;
use serde::Deserialize;

/// The Zoom cloud the account lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// # Zoom (zoom.us)
    ///
    /// Commercial Zoom: you sign in at zoom.us and built the app on marketplace.zoom.us.
    Zoom,
    /// # Zoom for Government (zoomgov.com)
    ///
    /// You sign in at zoomgov.com and built the app on the Zoom for Government marketplace.
    Zoomgov,
    /// # Custom URL
    ///
    /// A proxy or test server that serves both the OAuth token endpoint and the API; enter
    /// its address as the base URL.
    Custom,
}

impl Cloud {
    /// The config value, as written in account files.
    pub const fn id(self) -> &'static str {
        match self {
            Cloud::Zoom => "zoom",
            Cloud::Zoomgov => "zoomgov",
            Cloud::Custom => "custom",
        }
    }

    /// The origin of `POST /oauth/token`; `None` for `custom`.
    pub const fn oauth_origin(self) -> Option<&'static str> {
        match self {
            Cloud::Zoom => Some("https://zoom.us"),
            Cloud::Zoomgov => Some("https://zoomgov.com"),
            Cloud::Custom => None,
        }
    }

    /// The origin of the `/v2` API; `None` for `custom`.
    pub const fn api_origin(self) -> Option<&'static str> {
        match self {
            Cloud::Zoom => Some("https://api.zoom.us"),
            Cloud::Zoomgov => Some("https://api.zoomgov.com"),
            Cloud::Custom => None,
        }
    }

    /// The label people see in the form.
    pub const fn label(self) -> &'static str {
        match self {
            Cloud::Zoom => "Zoom (zoom.us)",
            Cloud::Zoomgov => "Zoom for Government (zoomgov.com)",
            Cloud::Custom => "Custom URL",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_clouds_have_https_origins_and_custom_has_none() {
        for cloud in [Cloud::Zoom, Cloud::Zoomgov] {
            for origin in [cloud.oauth_origin(), cloud.api_origin()] {
                assert!(origin.is_some_and(|o| o.starts_with("https://")), "{cloud:?}");
            }
        }
        assert_eq!((Cloud::Custom.oauth_origin(), Cloud::Custom.api_origin()), (None, None));
    }
}

//! The account's `[credentials]` and `[settings]` tables. Their JSON Schemas
//! are the setup form.

use roster_core::{FieldError, Secret};
use roster_http::parse_origin;
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

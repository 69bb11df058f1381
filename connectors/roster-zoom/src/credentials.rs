//! The account's `[credentials]` table. Its JSON Schema is the setup form.

use roster_core::{FieldError, Secret};
use roster_http::parse_origin;
use schemars::{JsonSchema, Schema};
use serde::Deserialize;
use url::Url;

use crate::cloud::Cloud;

/// # Zoom account
///
/// Connects one Zoom account through a Server-to-Server OAuth app. In the Zoom App
/// Marketplace, open Develop → Build App → Server-to-Server OAuth, add the scopes
/// user:read:list_users:admin, role:read:list_roles:admin and billing:read:plan_usage:admin,
/// activate the app, and copy its account ID, client ID and client secret.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = base_url_only_with_custom)]
#[schemars(extend("examples" = [
    {"account_id": "AbCdEfGhIjKlMnOpQrStUv", "client_id": "zYxWvUtSrQpOnMlKjIhG", "client_secret": "example-client-secret", "cloud": "zoom"},
    {"account_id": "AbCdEfGhIjKlMnOpQrStUv", "client_id": "zYxWvUtSrQpOnMlKjIhG", "client_secret": "example-client-secret", "cloud": "custom", "base_url": "https://zoom-proxy.example.com"}
]))]
pub struct ZoomCredentials {
    /// # Account ID
    ///
    /// The "Account ID" on the Server-to-Server OAuth app's App Credentials page.
    #[schemars(length(min = 1))]
    pub account_id: String,

    /// # Client ID
    ///
    /// The "Client ID" on the same page.
    #[schemars(length(min = 1))]
    pub client_id: String,

    /// # Client secret
    ///
    /// The "Client secret" on the same page. Regenerating it in the Marketplace
    /// invalidates the old one.
    pub client_secret: Secret,

    /// # Cloud
    ///
    /// Where the account lives: zoom.us, or Zoom for Government (zoomgov.com). An app's
    /// credentials only work in the cloud it was created in.
    pub cloud: Cloud,

    /// # Base URL
    ///
    /// Only with the custom cloud: the one origin that serves both /oauth/token and the
    /// /v2 API, such as https://zoom-proxy.example.com. Leave it empty otherwise.
    #[serde(default)]
    #[schemars(url, example = &"https://zoom-proxy.example.com")]
    pub base_url: Option<String>,
}

/// `base_url` is shown and required with `custom`, and refused otherwise.
fn base_url_only_with_custom(schema: &mut Schema) {
    roster_core::schema::only_when(schema, "base_url", "cloud", "custom");
}

/// Where the token endpoint and the API live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origins {
    pub oauth: Url,
    pub api: Url,
}

/// Checks the credentials that depend on each other, and resolves the origins.
pub(crate) fn validate(c: &ZoomCredentials) -> Result<Origins, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (key, value, what) in [
        ("credentials.account_id", &c.account_id, "the account ID"),
        ("credentials.client_id", &c.client_id, "the client ID"),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(
                key,
                format!("must not be empty: copy {what} from the app's App Credentials page in the Zoom App Marketplace"),
            ));
        }
    }
    let origins = match (c.cloud, c.base_url.as_deref().map(str::trim)) {
        (Cloud::Custom, None | Some("")) => Err(FieldError::new(
            "credentials.base_url",
            "required when cloud is \"custom\": the origin that serves /oauth/token and /v2, such as https://zoom-proxy.example.com",
        )),
        (Cloud::Custom, Some(url)) => parse_origin(url)
            .map(|u| Origins { oauth: u.clone(), api: u })
            .map_err(|e| FieldError::new("credentials.base_url", e.to_string())),
        (cloud, Some(url)) if !url.is_empty() => Err(FieldError::new(
            "credentials.base_url",
            format!(
                "only allowed when cloud is \"custom\"; remove it, or set cloud = \"custom\" (it is \"{}\")",
                cloud.id()
            ),
        )),
        (cloud, _) => match (
            cloud.oauth_origin().and_then(|o| Url::parse(o).ok()),
            cloud.api_origin().and_then(|o| Url::parse(o).ok()),
        ) {
            (Some(oauth), Some(api)) => Ok(Origins { oauth, api }),
            _ => Err(FieldError::new("credentials.cloud", "has no known origin")),
        },
    };
    match origins {
        Ok(o) if errors.is_empty() => Ok(o),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(cloud: Cloud, base_url: Option<&str>) -> ZoomCredentials {
        ZoomCredentials {
            account_id: "acct".into(),
            client_id: "client".into(),
            client_secret: Secret::new("secret"),
            cloud,
            base_url: base_url.map(str::to_owned),
        }
    }

    #[test]
    fn clouds_resolve_to_their_origins() {
        let o = validate(&creds(Cloud::Zoom, None)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((o.oauth.as_str(), o.api.as_str()), ("https://zoom.us/", "https://api.zoom.us/"));
        let o = validate(&creds(Cloud::Zoomgov, None)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((o.oauth.as_str(), o.api.as_str()), ("https://zoomgov.com/", "https://api.zoomgov.com/"));
        let o = validate(&creds(Cloud::Custom, Some("http://127.0.0.1:9000")))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(o.oauth, o.api);
    }

    #[test]
    fn base_url_only_with_custom_and_only_https_or_loopback() {
        let keys = |c: ZoomCredentials| {
            validate(&c).err().unwrap_or_default().into_iter().map(|e| e.key).collect::<Vec<_>>()
        };
        assert_eq!(keys(creds(Cloud::Custom, None)), ["credentials.base_url"]);
        assert_eq!(keys(creds(Cloud::Zoom, Some("https://x.example.com"))), ["credentials.base_url"]);
        assert_eq!(keys(creds(Cloud::Custom, Some("http://zoom.example.com"))), ["credentials.base_url"]);
        let mut blank = creds(Cloud::Zoom, None);
        blank.account_id = " ".into();
        blank.client_id = String::new();
        assert_eq!(keys(blank), ["credentials.account_id", "credentials.client_id"]);
    }
}

//! Server-to-Server OAuth: `POST /oauth/token?grant_type=account_credentials&account_id=...`
//! with HTTP Basic `client_id:client_secret`, and what its refusals mean.

use std::time::{Duration, Instant};

use roster_core::{ConnectorError, Secret};
use roster_http::{AccessToken, Auth, Http, Method};
use serde::Deserialize;

use crate::cloud::Cloud;
use crate::reader::ZoomReader;
use crate::vendor_error::ZoomError;

pub(crate) const TOKEN_PATH: &str = "/oauth/token";

/// The app's credentials, as configured.
#[derive(Debug)]
pub(crate) struct App {
    pub account_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub cloud: Cloud,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

/// Zoom's documented lifetime, used when a response leaves `expires_in` out.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Asks for a new token.
pub(crate) async fn mint(oauth: &Http, app: &App) -> Result<AccessToken, ConnectorError> {
    let asked_at = Instant::now();
    let query = [("grant_type", "account_credentials".to_owned()), ("account_id", app.account_id.clone())];
    let auth = Auth::Basic { username: &app.client_id, password: &app.client_secret };
    let mut reader = ZoomReader::<TokenResponse>::new(vec![app.client_secret.expose()]);
    match oauth.send_with(Method::POST, TOKEN_PATH, &query, auth, &mut reader).await {
        Ok(Ok(r)) => {
            if r.access_token.trim().is_empty() {
                return Err(ConnectorError::invalid_response(format!(
                    "POST {TOKEN_PATH}: zoom answered without an access token"
                )));
            }
            let lifetime = r.expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
            let scopes = r.scope.as_deref().map(crate::scopes::parse);
            Ok(AccessToken::new(Secret::new(r.access_token), asked_at, lifetime, scopes))
        }
        Ok(Err(e)) => Err(refused(&e, app.cloud)),
        Err(e) => Err(e.into_connector_error()),
    }
}

const APP_PAGE: &str =
    "in the Zoom App Marketplace, open Manage → this Server-to-Server OAuth app → App Credentials";

/// The error for a token request Zoom refused.
pub(crate) fn refused(e: &ZoomError, cloud: Cloud) -> ConnectorError {
    let what = e.describe();
    let cloud_hint = match cloud {
        Cloud::Zoom => "; an app made for Zoom for Government only works with cloud = \"zoomgov\"",
        Cloud::Zoomgov => "; an app made on zoom.us only works with cloud = \"zoom\"",
        Cloud::Custom => "",
    };
    match e.oauth_error.as_deref() {
        Some("invalid_client") => ConnectorError::invalid_credentials(format!(
            "zoom refused the client id or client secret on POST {TOKEN_PATH} ({what})"
        ))
        .with_remediation(format!(
            "{APP_PAGE} and copy the client id and client secret again (regenerating the secret invalidates the old one){cloud_hint}"
        )),
        Some("invalid_request") => ConnectorError::invalid_credentials(format!(
            "zoom refused the token request on POST {TOKEN_PATH} ({what}); the account id is wrong or the app is not activated"
        ))
        .with_remediation(format!(
            "{APP_PAGE}, copy the account id again, and check on the Activation page that the app is activated"
        )),
        Some("unsupported_grant_type") => ConnectorError::invalid_credentials(format!(
            "zoom refused the account_credentials grant on POST {TOKEN_PATH} ({what}); these are not a Server-to-Server OAuth app's credentials"
        ))
        .with_remediation(
            "create a Server-to-Server OAuth app (Zoom App Marketplace → Develop → Build App → Server-to-Server OAuth) \
             and use its account id, client id and client secret; user-level OAuth apps cannot be used",
        ),
        _ if e.status == 404 => ConnectorError::config(format!(
            "POST {TOKEN_PATH}: {what}; the base url does not serve zoom's oauth token endpoint"
        ))
        .with_remediation("with cloud = \"custom\", set base_url to the origin that serves both /oauth/token and /v2"),
        _ if e.status == 429 => ConnectorError::rate_limited(format!("POST {TOKEN_PATH}: {what}"), None),
        _ => ConnectorError::invalid_credentials(format!("zoom refused the token request on POST {TOKEN_PATH} ({what})"))
            .with_remediation(format!("{APP_PAGE}, copy the account id, client id and client secret again, and check that the app is activated")),
    }
}

#[cfg(test)]
mod tests {
    use roster_core::ErrorKind;

    use super::*;

    fn error(body: &str) -> ZoomError {
        ZoomError::parse(400, body.as_bytes(), &[])
    }

    #[test]
    fn oauth_refusals_are_invalid_credentials_with_a_way_out() {
        let e = refused(
            &error(r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#),
            Cloud::Zoom,
        );
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
        assert!(e.remediation().contains("cloud = \"zoomgov\""), "{}", e.remediation());
        let e = refused(&error(r#"{"reason":"Bad Request","error":"invalid_request"}"#), Cloud::Custom);
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
        assert!(e.message().contains("account id"), "{e}");
        let e = refused(
            &error(r#"{"reason":"unsupported grant type","error":"unsupported_grant_type"}"#),
            Cloud::Zoom,
        );
        assert!(e.remediation().contains("Server-to-Server OAuth"), "{}", e.remediation());
        let e = refused(&ZoomError::parse(404, b"", &[]), Cloud::Custom);
        assert_eq!(e.kind(), ErrorKind::Config);
    }
}

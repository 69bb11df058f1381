//! Requests to Zoom's `/v2` API with a cached access token: minted on first use, replaced
//! before it expires, and re-minted once when Zoom refuses it (code 124).

use std::time::Duration;

use roster_core::ConnectorError;
use roster_http::{AccessToken, Auth, Body, Http, HttpConfig, Method, TokenCache};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::credentials::Origins;
use crate::rate_hint;
use crate::reader::ZoomReader;
use crate::scopes::{self, Need};
use crate::settings::ZoomSettings;
use crate::token::{self, App};
use crate::vendor_error::ZoomError;

/// Why an API read failed: a Zoom 4xx the caller may handle, or a classified error.
#[derive(Debug)]
pub(crate) enum Failure {
    Zoom(ZoomError),
    Other(ConnectorError),
}

impl From<ConnectorError> for Failure {
    fn from(e: ConnectorError) -> Self {
        Failure::Other(e)
    }
}

impl Failure {
    /// The classified error for a failed `request`, which needs `need`.
    pub(crate) fn into_error(self, request: &str, need: &Need) -> ConnectorError {
        let z = match self {
            Failure::Other(e) => return e,
            Failure::Zoom(z) => z,
        };
        let what = z.describe();
        if z.is_missing_scope() {
            let mut named = z.named_scopes();
            if !named.iter().any(|s| s == need.scope) {
                named.insert(0, need.scope.to_owned());
            }
            let add = vec![need.scope.to_owned()];
            return ConnectorError::missing_permission(
                format!("{request}: {what}; the app lacks the scope {} ({})", need.scope, need.without),
                named,
            )
            .with_remediation(scopes::add_scopes(&add));
        }
        match z.status {
            403 => ConnectorError::missing_permission(format!("{request}: {what}"), Vec::new()).with_remediation(
                "ask the account owner to check that the account may use the Zoom REST API (Zoom support can lift a denial), then sync again",
            ),
            404 => ConnectorError::config(format!("{request}: {what}; the base url does not serve zoom's /v2 api"))
                .with_remediation("with cloud = \"custom\", set base_url to the origin that serves both /oauth/token and /v2"),
            _ => ConnectorError::invalid_response(format!("{request}: {what}")),
        }
    }
}

pub(crate) struct Api {
    oauth: Http,
    api: Http,
    app: App,
    token: TokenCache,
}

impl Api {
    pub(crate) fn new(origins: Origins, app: App, s: &ZoomSettings) -> Result<Self, ConnectorError> {
        let config = |origin| {
            let mut c = HttpConfig::new(origin);
            s.http.apply(&mut c);
            c.rate_limit = Some(s.rate_limit());
            c.rate_limit_hint = Some(rate_hint::hint);
            c
        };
        Ok(Self {
            oauth: Http::new(config(origins.oauth))?,
            api: Http::new(config(origins.api))?,
            app,
            token: TokenCache::new(Duration::from_secs(s.token_refresh_margin_secs)),
        })
    }

    /// Both clients' counters, summed.
    pub(crate) fn request_stats(&self) -> roster_core::RequestStats {
        self.oauth.stats().snapshot() + self.api.stats().snapshot()
    }

    pub(crate) fn account_id(&self) -> &str {
        &self.app.account_id
    }

    /// A token that is good for a while yet: the cached one, or a new one when it is
    /// near its end or `force` says so.
    pub(crate) async fn token(&self, force: bool) -> Result<AccessToken, ConnectorError> {
        self.token
            .get(force, || async {
                let fresh = token::mint(&self.oauth, &self.app).await?;
                self.api.set_bearer(&fresh.value)?;
                Ok(fresh)
            })
            .await
    }

    /// `GET path?query` as JSON. A code-124 refusal re-mints the token once and tries
    /// again; a second refusal is an invalid-credentials error.
    pub(crate) async fn get<T: DeserializeOwned + Send>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, Failure> {
        self.send(Method::GET, path, query, None).await
    }

    /// Any request, with [`Api::get`]'s token handling; an empty answer (a write's 204)
    /// reads as JSON `null`.
    pub(crate) async fn send<T: DeserializeOwned + Send>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<T, Failure> {
        let request = format!("{method} {path}");
        let mut refreshed = false;
        loop {
            let token = self.token(refreshed).await?;
            let mut reader =
                ZoomReader::<T>::new(vec![self.app.client_secret.expose(), token.value.expose()]);
            let body = body.map_or(Body::None, Body::Json);
            match self.api.send_body(method.clone(), path, query, Auth::Session, body, &mut reader).await {
                Ok(Ok(doc)) => return Ok(doc),
                Ok(Err(z)) if z.is_token_refused() && !refreshed => {
                    tracing::debug!(request = %request, "zoom refused the access token; minting a new one");
                    refreshed = true;
                }
                Ok(Err(z)) if z.is_token_refused() => {
                    return Err(Failure::Other(stopped_accepting(&request, &z)));
                }
                Ok(Err(z)) => return Err(Failure::Zoom(z)),
                Err(e) => return Err(Failure::Other(e.into_connector_error())),
            }
        }
    }
}

/// Zoom refused a token it had just minted.
fn stopped_accepting(request: &str, z: &ZoomError) -> ConnectorError {
    ConnectorError::invalid_credentials(format!(
        "{request}: zoom refused a freshly minted access token ({}); the app was probably deactivated or its credentials changed",
        z.describe()
    ))
    .with_remediation(
        "in the Zoom App Marketplace, check that this Server-to-Server OAuth app is still activated and that its client secret \
         was not regenerated; then update the account's credentials and sync again",
    )
}

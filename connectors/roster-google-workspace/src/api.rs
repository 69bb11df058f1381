//! Requests to the Directory and Licensing APIs with a cached token for the admin. A
//! token asks for every scope; when domain-wide delegation refuses that, each scope is
//! asked for alone, so that the token carries the delegated ones and the sync knows
//! which are missing. A 401 mints once more and tries again.

use std::sync::Mutex;
use std::time::Duration;

use roster_core::{ConnectorError, RequestStats};
use roster_http::{AccessToken, Http, HttpConfig, Method, TokenCache, VendorReader, parse_origin};
use serde::de::DeserializeOwned;

use crate::credentials::Origins;
use crate::google_error::{GoogleError, throttle};
use crate::key::ServiceAccountKey;
use crate::scopes::{self, ALL, USERS};
use crate::settings::GoogleWorkspaceSettings;
use crate::token;

/// Which API a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Directory,
    Licensing,
}

pub(crate) struct Api {
    token: Http,
    directory: Http,
    /// `None` when the Licensing API shares the directory's origin.
    licensing: Option<Http>,
    pub key: ServiceAccountKey,
    pub admin_email: String,
    cache: TokenCache,
    /// The scopes the current token lacks because they are not delegated.
    missing: Mutex<Vec<&'static str>>,
}

impl Api {
    pub(crate) fn new(
        key: ServiceAccountKey,
        admin_email: String,
        origins: Origins,
        s: &GoogleWorkspaceSettings,
    ) -> Result<Self, ConnectorError> {
        let client = |origin, throttled: bool| {
            let mut c = HttpConfig::new(origin);
            s.http.apply(&mut c);
            c.rate_limit = Some(s.rate_limit());
            c.throttle_signal = throttled.then_some(throttle as roster_http::ThrottleSignal);
            Http::new(c)
        };
        let token_origin = parse_origin(&key.token_url.origin().ascii_serialization()).map_err(|e| {
            ConnectorError::config(format!("credentials.service_account_key: token_uri: {e}"))
        })?;
        Ok(Api {
            token: client(token_origin, false)?,
            directory: client(origins.directory, true)?,
            licensing: origins.licensing.map(|o| client(o, true)).transpose()?,
            key,
            admin_email,
            cache: TokenCache::new(Duration::from_secs(300)),
            missing: Mutex::new(Vec::new()),
        })
    }

    /// Every client's counters, summed.
    pub(crate) fn request_stats(&self) -> RequestStats {
        let licensing = self.licensing.as_ref().map(|h| h.stats().snapshot()).unwrap_or_default();
        self.token.stats().snapshot() + self.directory.stats().snapshot() + licensing
    }

    fn http(&self, service: Service) -> &Http {
        match (service, &self.licensing) {
            (Service::Licensing, Some(h)) => h,
            _ => &self.directory,
        }
    }

    /// The scopes the current token lacks (known once a token was minted).
    pub(crate) fn missing_scopes(&self) -> Vec<&'static str> {
        self.missing.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// A token good for a while yet: the cached one, or a new one when it is near its
    /// end or `force` says so.
    pub(crate) async fn token(&self, force: bool) -> Result<AccessToken, ConnectorError> {
        self.cache.get(force, || self.mint()).await
    }

    async fn ask(&self, scopes: &[&str]) -> Result<Result<AccessToken, GoogleError>, ConnectorError> {
        token::request(&self.token, &self.key, &self.admin_email, scopes).await
    }

    async fn mint(&self) -> Result<AccessToken, ConnectorError> {
        let refused = match self.ask(&ALL).await? {
            Ok(t) => return self.install(t, Vec::new()),
            Err(e) => e,
        };
        if !token::scope_refused(&refused) {
            return Err(token::refused(&refused, &self.key, &self.admin_email));
        }
        let (mut delegated, mut missing) = (Vec::new(), Vec::new());
        for scope in ALL {
            match self.ask(&[scope]).await? {
                Ok(_) => delegated.push(scope),
                Err(e) if token::scope_refused(&e) => missing.push(scope),
                Err(e) => return Err(token::refused(&e, &self.key, &self.admin_email)),
            }
        }
        if !delegated.contains(&USERS) {
            let client = self.key.client_id.as_deref();
            let message = if delegated.is_empty() {
                format!(
                    "domain-wide delegation refused every scope ({}): the service account's client is not delegated",
                    refused.describe()
                )
            } else {
                format!(
                    "domain-wide delegation refused the scopes {} ({})",
                    missing.join(", "),
                    refused.describe()
                )
            };
            let permissions = missing.iter().map(|s| (*s).to_owned()).collect();
            return Err(ConnectorError::missing_permission(message, permissions)
                .with_remediation(scopes::delegate(client, &missing)));
        }
        match self.ask(&delegated).await? {
            Ok(t) => self.install(t, missing),
            Err(e) => Err(token::refused(&e, &self.key, &self.admin_email)),
        }
    }

    fn install(&self, token: AccessToken, missing: Vec<&'static str>) -> Result<AccessToken, ConnectorError> {
        self.directory.set_bearer(&token.value)?;
        if let Some(h) = &self.licensing {
            h.set_bearer(&token.value)?;
        }
        if let Ok(mut m) = self.missing.lock() {
            *m = missing;
        }
        Ok(token)
    }

    /// `GET path?query` as JSON; `Ok(Err(_))` is Google's 4xx for the caller to read.
    pub(crate) async fn get<T: DeserializeOwned + Send>(
        &self,
        service: Service,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Result<T, GoogleError>, ConnectorError> {
        for force in [false, true] {
            let token = self.token(force).await?;
            let mut reader = VendorReader::<T, GoogleError>::new(vec![token.value.expose()]);
            let answer = self.http(service).send(Method::GET, path, query, &mut reader).await;
            match answer.map_err(|e| e.into_connector_error())? {
                Err(e) if e.status == 401 && !force => {
                    tracing::debug!(request = %format!("GET {path}"), "google refused the token; minting a new one");
                }
                Err(e) if e.status == 401 => {
                    return Err(ConnectorError::invalid_credentials(format!(
                        "GET {path}: google refused a freshly minted token ({})",
                        e.describe()
                    ))
                    .with_remediation(
                        "check that the service account and its key still exist, then sync again",
                    ));
                }
                other => return Ok(other),
            }
        }
        Err(ConnectorError::internal("the token retry loop ended without an answer"))
    }
}

//! Graph requests with a cached access token: minted on first use, replaced before it
//! expires, and minted again once when Graph refuses it (401).

use std::time::Duration;

use roster_core::ConnectorError;
use roster_http::{AccessToken, Http, HttpConfig, Method, TokenCache, VendorReader};
use serde::de::DeserializeOwned;

use crate::credentials::Resolved;
use crate::error::MsError;
use crate::permissions;
use crate::settings::Microsoft365Settings;
use crate::token::{self, App};

/// Why a Graph read failed: a 4xx the caller may handle, or a classified error.
#[derive(Debug)]
pub(crate) enum Failure {
    Graph(MsError),
    Other(ConnectorError),
}

impl From<ConnectorError> for Failure {
    fn from(e: ConnectorError) -> Self {
        Failure::Other(e)
    }
}

impl Failure {
    /// The classified error for a failed `request`, which needs `permission`.
    pub(crate) fn into_error(self, request: &str, permission: &str) -> ConnectorError {
        let g = match self {
            Failure::Other(e) => return e,
            Failure::Graph(g) => g,
        };
        let what = format!("{request}: {}", g.describe());
        match g.status {
            403 => ConnectorError::missing_permission(format!("{what}; the app lacks {permission}"), vec![permission.to_owned()])
                .with_remediation(permissions::grant(&[permission])),
            404 => ConnectorError::config(format!("{what}; the base url does not serve graph's /v1.0"))
                .with_remediation("with cloud = \"custom\", set base_url to the origin that serves both the token endpoint and /v1.0"),
            _ => ConnectorError::invalid_response(what),
        }
    }
}

pub(crate) struct Api {
    login: Http,
    graph: Http,
    app: App,
    token: TokenCache,
}

impl Api {
    pub(crate) fn new(origins: Resolved, app: App, s: &Microsoft365Settings) -> Result<Self, ConnectorError> {
        let config = |origin| {
            let mut c = HttpConfig::new(origin);
            s.http.apply(&mut c);
            c.rate_limit = Some(s.rate_limit());
            c
        };
        Ok(Self {
            login: Http::new(config(origins.login))?,
            graph: Http::new(config(origins.graph))?,
            app,
            token: TokenCache::new(Duration::from_secs(s.token_refresh_margin_secs)),
        })
    }

    /// Both clients' counters, summed.
    pub(crate) fn request_stats(&self) -> roster_core::RequestStats {
        self.login.stats().snapshot() + self.graph.stats().snapshot()
    }

    pub(crate) fn tenant(&self) -> &str {
        &self.app.tenant
    }

    /// Graph's origin, which every next and delta link must be on.
    pub(crate) fn graph_origin(&self) -> &url::Url {
        self.graph.origin()
    }

    /// The cached token, or a new one when it is near its end or `force` says so.
    pub(crate) async fn token(&self, force: bool) -> Result<AccessToken, ConnectorError> {
        self.token.get(force, || self.mint()).await
    }

    async fn mint(&self) -> Result<AccessToken, ConnectorError> {
        let fresh = token::mint(&self.login, &self.app).await?;
        self.graph.set_bearer(&fresh.value)?;
        Ok(fresh)
    }

    /// `GET path?query` (or a full next/delta link on Graph's origin) as JSON. A 401 mints
    /// a new token once and tries again; a second 401 is an invalid-credentials error.
    pub(crate) async fn get<T: DeserializeOwned + Send>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, Failure> {
        let mut refusal = None;
        for force in [false, true] {
            let token = self.token(force).await?;
            let scrub = vec![self.app.client_secret.expose(), token.value.expose()];
            let answer =
                self.graph.send(Method::GET, path, query, &mut VendorReader::<T, MsError>::new(scrub)).await;
            match answer.map_err(|e| Failure::Other(e.into_connector_error()))? {
                Ok(doc) => return Ok(doc),
                Err(g) if g.status == 401 => refusal = Some(g.describe()),
                Err(g) => return Err(Failure::Graph(g)),
            }
            tracing::debug!("graph refused the access token");
        }
        let what = refusal.unwrap_or_default();
        let e = ConnectorError::invalid_credentials(format!(
            "graph refused a freshly minted access token ({what})"
        ))
        .with_remediation(
            "check that cloud is the tenant's cloud and that the app registration still exists",
        );
        Err(Failure::Other(e))
    }
}

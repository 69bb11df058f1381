//! The connection pool: deadpool-postgres, at most `max` clients, idle ones
//! reused, closed ones (a restarted server, a dropped connection) thrown
//! away on checkout and replaced by a fresh connection. Every connection is
//! made by [`Connector`], which speaks TLS as the URL's `sslmode` asks.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, RecyclingMethod, Runtime};
use futures_util::future::BoxFuture;
use tokio::task::JoinHandle;
use tokio_postgres::{Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::tls::SslMode;
use crate::error::StoreError;

/// How long connecting may take before the checkout fails.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects as the store URL says, TLS included.
#[derive(Clone)]
pub(crate) struct Connector {
    config: Config,
    tls: MakeRustlsConnect,
    mode: SslMode,
}

impl Connector {
    pub(crate) fn new(mut config: Config, tls: MakeRustlsConnect, mode: SslMode) -> Self {
        config.ssl_mode(mode.negotiation());
        Self { config, tls, mode }
    }

    /// A new connection, its driver running on the current runtime. Under
    /// `prefer`, a TLS handshake that fails is tried again without TLS, as
    /// libpq does.
    async fn open(&self, config: &Config) -> Result<(Client, JoinHandle<()>), tokio_postgres::Error> {
        match spawn_driver(config.connect(self.tls.clone()).await) {
            Err(e) if self.mode == SslMode::Prefer && is_handshake_failure(&e) => {
                tracing::warn!(error = %e, "sslmode=prefer: the TLS handshake failed; connecting without TLS");
                let mut plain = config.clone();
                plain.ssl_mode(tokio_postgres::config::SslMode::Disable);
                spawn_driver(plain.connect(NoTls).await)
            }
            other => other,
        }
    }
}

impl Connector {
    /// A connection of its own, outside any pool; `shown` names the store in errors.
    pub(crate) async fn client(&self, shown: &str) -> Result<Client, StoreError> {
        match tokio::time::timeout(CONNECT_TIMEOUT, self.open(&self.config)).await {
            Ok(Ok((client, _driver))) => Ok(client),
            Ok(Err(e)) => Err(unreachable(shown, &why(&e))),
            Err(_) => Err(unreachable(shown, "the connection timed out")),
        }
    }
}

fn unreachable(shown: &str, detail: &str) -> StoreError {
    StoreError::Unreachable { url: shown.to_owned(), detail: crate::error::lowercase_first(detail) }
}

impl deadpool_postgres::Connect for Connector {
    fn connect(
        &self,
        config: &Config,
    ) -> BoxFuture<'_, Result<(Client, JoinHandle<()>), tokio_postgres::Error>> {
        let config = config.clone();
        Box::pin(async move { self.open(&config).await })
    }
}

fn spawn_driver<S, T>(
    connected: Result<(Client, tokio_postgres::Connection<S, T>), tokio_postgres::Error>,
) -> Result<(Client, JoinHandle<()>), tokio_postgres::Error>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (client, connection) = connected?;
    let driver = tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "a postgres connection closed");
        }
    });
    Ok((client, driver))
}

/// Why connecting failed: the server's message, or the error with its
/// causes (a TLS handshake failure says which certificate check failed).
fn why(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_owned();
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    text.replace(
        "invalid peer certificate: UnknownIssuer",
        "invalid peer certificate: its issuer is not a CA of sslrootcert (without it, of the built-in public roots)",
    )
}

/// Whether connecting failed in the TLS handshake (tokio-postgres says so
/// only in its message).
fn is_handshake_failure(e: &tokio_postgres::Error) -> bool {
    e.to_string().starts_with("error performing TLS handshake")
}

pub(crate) struct Pool {
    connector: Connector,
    /// The location with its password removed, for messages.
    shown: String,
    inner: deadpool_postgres::Pool,
}

impl Pool {
    pub(crate) fn new(connector: Connector, shown: String, max: usize) -> Result<Self, StoreError> {
        let manager = Manager::from_connect(
            connector.config.clone(),
            connector.clone(),
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let inner = deadpool_postgres::Pool::builder(manager)
            .max_size(max.max(1))
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| unreachable(&shown, &e.to_string()))?;
        Ok(Self { connector, shown, inner })
    }

    /// How the pool connects.
    pub(crate) fn connector(&self) -> &Connector {
        &self.connector
    }

    /// Where the pool connects, without the password.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// A connection of its own, outside the pool (the runner lock's).
    pub(crate) async fn connect(&self) -> Result<Client, StoreError> {
        self.connector.client(&self.shown).await
    }

    fn unreachable(&self, detail: &str) -> StoreError {
        unreachable(&self.shown, detail)
    }

    /// A client: an idle one that is still open, else a new connection.
    pub(crate) async fn get(&self) -> Result<Object, StoreError> {
        self.inner.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => self.unreachable(&why(&e)),
            deadpool_postgres::PoolError::Timeout(_) => self.unreachable("the connection timed out"),
            deadpool_postgres::PoolError::Closed => StoreError::Closed,
            other => self.unreachable(&other.to_string()),
        })
    }
}

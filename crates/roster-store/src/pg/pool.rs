//! A tiny connection pool: at most `max` clients, idle ones reused, closed
//! ones (a restarted server, a dropped connection) thrown away and replaced
//! by a fresh connection on the next checkout.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::{Client, Config, NoTls};

use crate::error::StoreError;

/// How long connecting may take before the checkout fails.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct Pool {
    config: Config,
    /// The location with its password removed, for messages.
    shown: String,
    idle: Mutex<Vec<Client>>,
    permits: Arc<Semaphore>,
}

/// A checked-out client; it goes back to the pool when dropped, unless closed.
pub(crate) struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client.as_ref().expect("a checked-out client")
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("a checked-out client")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take()
            && !client.is_closed()
            && let Ok(mut idle) = self.pool.idle.lock()
        {
            idle.push(client);
        }
    }
}

impl Pool {
    pub(crate) fn new(config: Config, shown: String, max: usize) -> Self {
        Self { config, shown, idle: Mutex::new(Vec::new()), permits: Arc::new(Semaphore::new(max.max(1))) }
    }

    /// A pool to the same database, of its own size.
    pub(crate) fn sibling(&self, max: usize) -> Pool {
        Pool::new(self.config.clone(), self.shown.clone(), max)
    }

    /// Where the pool connects, without the password.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// A new connection, its driver running on the current runtime.
    pub(crate) async fn connect(&self) -> Result<Client, StoreError> {
        let connecting = tokio::time::timeout(CONNECT_TIMEOUT, self.config.connect(NoTls));
        let (client, connection) = match connecting.await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(self.unreachable(&e.to_string())),
            Err(_) => return Err(self.unreachable("the connection timed out")),
        };
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "a postgres connection closed");
            }
        });
        Ok(client)
    }

    fn unreachable(&self, detail: &str) -> StoreError {
        StoreError::Open { path: self.shown.clone(), detail: crate::error::lowercase_first(detail) }
    }

    /// A client: an idle one that is still open, else a new connection.
    pub(crate) async fn get(&self) -> Result<Conn<'_>, StoreError> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| StoreError::Closed)?;
        loop {
            let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
            match idle {
                Some(c) if c.is_closed() => continue,
                Some(c) => return Ok(Conn { pool: self, client: Some(c), _permit: permit }),
                None => break,
            }
        }
        let client = self.connect().await?;
        Ok(Conn { pool: self, client: Some(client), _permit: permit })
    }
}

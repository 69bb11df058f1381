//! The simulator handle: a vendor's state served on loopback, with the kit's request log.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::middleware;
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::log::{RequestLog, RequestRecord};
use crate::tenant::Tenant;

/// What a vendor's simulator provides: its state, its routes, and who a request is.
pub trait Vendor: Send + Sync + Sized + 'static {
    /// What an authenticated request carries into its handler (as a request extension).
    type Tenant: Tenant;

    /// The vendor's state for a server whose origin is `origin` (`http://127.0.0.1:PORT`).
    fn new(origin: &str) -> Self;

    /// The vendor's routes (the kit adds its gate in front of them). Handlers of
    /// authenticated routes take `Extension<Self::Tenant>`.
    fn routes(self: &Arc<Self>) -> Router;

    /// Who a request is, before any handler runs.
    fn authenticate(&self, request: &Request) -> Pass<Self::Tenant>;
}

/// What [`Vendor::authenticate`] decided.
pub enum Pass<T> {
    /// No credential needed (a token endpoint): straight to the handler.
    Open,
    /// A tenant's credential: counted, delayed, limited and faulted for that tenant.
    Tenant(T),
    /// Refused with this response; counted against the tenant when it is known.
    Refused { tenant: Option<T>, response: Response },
}

pub(crate) struct Shared<V> {
    pub vendor: Arc<V>,
    pub log: Arc<RequestLog>,
}

struct Inner<V> {
    shared: Arc<Shared<V>>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

impl<V> Drop for Inner<V> {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

/// A running simulator. Clones share one server, which stops on [`Sim::shutdown`] or
/// when the last clone is dropped. It dereferences to the vendor's state, whose methods
/// add and find tenants.
pub struct Sim<V> {
    inner: Arc<Inner<V>>,
}

impl<V> Clone for Sim<V> {
    fn clone(&self) -> Self {
        Sim { inner: self.inner.clone() }
    }
}

impl<V> std::fmt::Debug for Sim<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim").field("addr", &self.inner.addr).finish_non_exhaustive()
    }
}

impl<V> Deref for Sim<V> {
    type Target = V;

    fn deref(&self) -> &V {
        &self.inner.shared.vendor
    }
}

impl<V: Vendor> Sim<V> {
    /// Starts on `127.0.0.1` with a free port, serving on the caller's tokio runtime
    /// (do not block its threads while talking to the simulator).
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts on `addr`.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let vendor = Arc::new(V::new(&format!("http://{addr}")));
        let shared = Arc::new(Shared { vendor, log: Arc::new(RequestLog::default()) });
        let app = shared
            .vendor
            .routes()
            .layer(middleware::from_fn_with_state(shared.clone(), crate::gate::gate::<V>));
        let (shutdown, stop) = watch::channel(false);
        tokio::spawn(crate::server::serve(listener, app, stop));
        Ok(Sim { inner: Arc::new(Inner { shared, addr, shutdown }) })
    }
}

impl<V> Sim<V> {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// Every request received so far (up to the log limit, oldest first).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.inner.shared.log.all()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.inner.shared.log.clear();
    }

    /// Keeps at most `limit` requests in the log (0 keeps none).
    pub fn set_request_log_limit(&self, limit: usize) {
        self.inner.shared.log.set_limit(limit);
    }

    /// Stops accepting and drops every open connection.
    pub fn shutdown(&self) {
        self.inner.shutdown.send_replace(true);
    }
}

//! The simulator handle and the state its server shares.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::spec::WorkspaceSpec;
use crate::workspace::{Registry, Workspace};

/// One request as received.
#[derive(Clone, Debug)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub at: Instant,
}

/// Requests kept by default in the log (the oldest are dropped beyond it).
pub const DEFAULT_REQUEST_LOG_LIMIT: usize = 1_000_000;

pub(crate) struct SimState {
    registry: RwLock<Registry>,
    requests: Mutex<VecDeque<RequestRecord>>,
    request_log_limit: AtomicUsize,
}

impl SimState {
    pub(crate) fn record(&self, record: RequestRecord) {
        let limit = self.request_log_limit.load(Ordering::Relaxed);
        let mut log = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        while limit > 0 && log.len() >= limit {
            log.pop_front();
        }
        if limit > 0 {
            log.push_back(record);
        }
    }

    pub(crate) fn lookup(&self, token: &str) -> Option<Workspace> {
        let registry = self.registry.read().unwrap_or_else(|e| e.into_inner());
        registry.by_token.get(token).cloned()
    }
}

struct Handle {
    state: Arc<SimState>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

/// A running Workato Developer API simulator. Clones share one server, which stops on
/// [`Simulator::shutdown`] or when the last clone is dropped.
#[derive(Clone)]
pub struct Simulator {
    handle: Arc<Handle>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator").field("addr", &self.handle.addr).finish_non_exhaustive()
    }
}

impl Simulator {
    /// Starts a simulator on `127.0.0.1` with a free port.
    pub async fn start() -> std::io::Result<Simulator> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a simulator on `addr`.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SimState {
            registry: RwLock::new(Registry::default()),
            requests: Mutex::new(VecDeque::new()),
            request_log_limit: AtomicUsize::new(DEFAULT_REQUEST_LOG_LIMIT),
        });
        let (shutdown, stop) = watch::channel(false);
        tokio::spawn(crate::server::serve(listener, state.clone(), stop));
        Ok(Simulator { handle: Arc::new(Handle { state, addr, shutdown }) })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash); the API lives under `/api`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.handle.addr)
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.handle.addr
    }

    /// Adds a workspace (replacing one with the same token) and returns its handle.
    pub fn add_workspace(&self, spec: WorkspaceSpec) -> Workspace {
        let ws = Workspace::new(spec);
        let token = ws.token();
        let mut registry = self.handle.state.registry.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = registry.by_token.insert(token.clone(), ws.clone()) {
            registry.order.retain(|w| w.token() != old.token());
        }
        registry.order.push(ws.clone());
        ws
    }

    /// The workspace with this token.
    pub fn workspace(&self, token: &str) -> Option<Workspace> {
        self.handle.state.lookup(token)
    }

    /// Every workspace, in the order added.
    pub fn workspaces(&self) -> Vec<Workspace> {
        let registry = self.handle.state.registry.read().unwrap_or_else(|e| e.into_inner());
        registry.order.clone()
    }

    /// Every request received so far (up to the log limit, oldest first).
    pub fn requests(&self) -> Vec<RequestRecord> {
        let log = self.handle.state.requests.lock().unwrap_or_else(|e| e.into_inner());
        log.iter().cloned().collect()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        let mut log = self.handle.state.requests.lock().unwrap_or_else(|e| e.into_inner());
        log.clear();
    }

    /// Keeps at most `limit` requests in the log (0 keeps none).
    pub fn set_request_log_limit(&self, limit: usize) {
        self.handle.state.request_log_limit.store(limit, Ordering::Relaxed);
    }

    /// Stops accepting and drops every open connection.
    pub fn shutdown(&self) {
        self.handle.shutdown.send_replace(true);
    }
}

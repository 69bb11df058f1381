//! The simulator handle and the state its server shares.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::account::Account;
use crate::spec::AccountSpec;

/// One request as received.
#[derive(Clone, Debug)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The `Authorization` header as sent (Basic on the token endpoint, Bearer elsewhere).
    pub authorization: Option<String>,
    pub at: Instant,
}

/// Requests kept by default in the log (the oldest are dropped beyond it).
pub const DEFAULT_REQUEST_LOG_LIMIT: usize = 1_000_000;

#[derive(Default)]
struct Registry {
    by_account_id: HashMap<String, Account>,
    by_client_id: HashMap<String, Account>,
    order: Vec<Account>,
}

pub(crate) struct SimState {
    registry: RwLock<Registry>,
    tokens: Mutex<HashMap<String, Account>>,
    requests: Mutex<VecDeque<RequestRecord>>,
    request_log_limit: AtomicUsize,
    pub(crate) base_url: String,
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

    pub(crate) fn by_client_id(&self, client_id: &str) -> Option<Account> {
        self.registry.read().unwrap_or_else(|e| e.into_inner()).by_client_id.get(client_id).cloned()
    }

    pub(crate) fn by_token(&self, token: &str) -> Option<Account> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).get(token).cloned()
    }

    pub(crate) fn remember_token(&self, token: &str, account: &Account) {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).insert(token.to_owned(), account.clone());
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

/// A running Zoom API simulator. Clones share one server, which stops on
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
            tokens: Mutex::new(HashMap::new()),
            requests: Mutex::new(VecDeque::new()),
            request_log_limit: AtomicUsize::new(DEFAULT_REQUEST_LOG_LIMIT),
            base_url: format!("http://{addr}"),
        });
        let (shutdown, stop) = watch::channel(false);
        tokio::spawn(crate::server::serve(listener, state.clone(), stop));
        Ok(Simulator { handle: Arc::new(Handle { state, addr, shutdown }) })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash): the one origin serving both
    /// `/oauth/token` and `/v2`.
    pub fn base_url(&self) -> String {
        self.handle.state.base_url.clone()
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.handle.addr
    }

    /// Adds an account (replacing one with the same account id or client id).
    pub fn add_account(&self, spec: AccountSpec) -> Account {
        let account = Account::new(spec);
        let mut registry = self.handle.state.registry.write().unwrap_or_else(|e| e.into_inner());
        let (id, client) = (account.account_id(), account.client_id());
        registry.order.retain(|a| a.account_id() != id && a.client_id() != client);
        registry.by_account_id.retain(|_, a| a.client_id() != client);
        registry.by_client_id.retain(|_, a| a.account_id() != id);
        registry.by_account_id.insert(id, account.clone());
        registry.by_client_id.insert(client, account.clone());
        registry.order.push(account.clone());
        account
    }

    /// The account with this account id.
    pub fn account(&self, account_id: &str) -> Option<Account> {
        self.handle
            .state
            .registry
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .by_account_id
            .get(account_id)
            .cloned()
    }

    /// Every account, in the order added.
    pub fn accounts(&self) -> Vec<Account> {
        self.handle.state.registry.read().unwrap_or_else(|e| e.into_inner()).order.clone()
    }

    /// Every request received so far (up to the log limit, oldest first).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.handle.state.requests.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.handle.state.requests.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Keeps at most `limit` requests in the log (0 keeps none).
    pub fn set_request_log_limit(&self, limit: usize) {
        self.handle.state.request_log_limit.store(limit, Ordering::Relaxed);
    }

    /// Stops accepting and closes connections.
    pub fn shutdown(&self) {
        self.handle.shutdown.send_replace(true);
    }
}

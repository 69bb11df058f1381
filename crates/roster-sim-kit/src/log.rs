//! The request log: every request a simulator received, oldest first, up to a limit.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::header;

/// One request as received.
#[derive(Clone, Debug)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The `Authorization` header as sent (Basic, Bearer, or none).
    pub authorization: Option<String>,
    pub at: Instant,
}

impl RequestRecord {
    pub(crate) fn of(req: &Request) -> Self {
        RequestRecord {
            method: req.method().to_string(),
            path: req.uri().path().to_owned(),
            query: req.uri().query().map(str::to_owned),
            authorization: req
                .headers()
                .get(header::AUTHORIZATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            at: Instant::now(),
        }
    }

    /// The bearer token this request carried, if any.
    pub fn bearer(&self) -> Option<&str> {
        self.authorization.as_deref().and_then(crate::respond::bearer)
    }
}

/// Requests kept by default in the log (the oldest are dropped beyond it).
pub const DEFAULT_REQUEST_LOG_LIMIT: usize = 1_000_000;

/// A bounded log of requests.
#[derive(Debug)]
pub struct RequestLog {
    records: Mutex<VecDeque<RequestRecord>>,
    limit: AtomicUsize,
}

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog {
            records: Mutex::new(VecDeque::new()),
            limit: AtomicUsize::new(DEFAULT_REQUEST_LOG_LIMIT),
        }
    }
}

impl RequestLog {
    pub(crate) fn record(&self, record: RequestRecord) {
        let limit = self.limit.load(Ordering::Relaxed);
        let mut log = self.records.lock().unwrap_or_else(|e| e.into_inner());
        while limit > 0 && log.len() >= limit {
            log.pop_front();
        }
        if limit > 0 {
            log.push_back(record);
        }
    }

    /// Every request so far, oldest first.
    pub fn all(&self) -> Vec<RequestRecord> {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Keeps at most `limit` requests (0 keeps none).
    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::Relaxed);
    }
}

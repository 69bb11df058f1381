//! The request loop: pacing, retries, classification.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Response, redirect};
use roster_core::{ConnectorError, Secret};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{Auth, Body};
use crate::error::HttpError;
use crate::rate::{Pacer, RateLimit};
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::throttle::{BudgetHeaders, Pause, ThrottleSignal};

/// Reads a vendor's own rate-limit headers on a 429 that has no usable
/// `Retry-After`, and says how long to wait (for example "until the next
/// second" for a per-second limit, "until midnight UTC" for a daily one).
pub type RateLimitHint = fn(&HeaderMap, SystemTime) -> Option<Duration>;

/// How a connector's HTTP client behaves.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The only origin requests go to (see [`crate::parse_origin`]).
    pub origin: Url,
    /// Whole-request timeout, body included.
    pub timeout: Duration,
    pub rate_limit: Option<RateLimit>,
    pub retry: RetryPolicy,
    pub user_agent: &'static str,
    /// Consulted on a 429 without a usable `Retry-After`; `None` backs off
    /// exponentially.
    pub rate_limit_hint: Option<RateLimitHint>,
    /// Consulted on every other non-success answer: a vendor that signals rate limits
    /// another way (a 403 with a reason) says so here.
    pub throttle_signal: Option<ThrottleSignal>,
    /// Consulted on every answer: a vendor whose headers tell the budget left says
    /// when to pause before it runs out.
    pub budget_headers: Option<BudgetHeaders>,
}

impl HttpConfig {
    pub fn new(origin: Url) -> Self {
        Self {
            origin,
            timeout: Duration::from_secs(60),
            rate_limit: None,
            retry: RetryPolicy::default(),
            user_agent: concat!("roster/", env!("CARGO_PKG_VERSION")),
            rate_limit_hint: None,
            throttle_signal: None,
            budget_headers: None,
        }
    }
}

/// Counters of what the client did, for sync reports and metrics.
#[derive(Debug, Default)]
pub struct HttpStats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limited: AtomicU64,
}

impl HttpStats {
    /// The counters as they are now.
    pub fn snapshot(&self) -> roster_core::RequestStats {
        roster_core::RequestStats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
        }
    }
}

/// A failure while reading a successful response's body.
#[derive(Debug)]
pub enum BodyError {
    /// The body was bad (truncated, not JSON, dropped connection). The whole
    /// request is retried within the budget, then reported as invalid.
    Invalid(String),
    /// Stop now: retrying cannot help (for example the sink failed).
    Fatal(ConnectorError),
    /// The body says the request was rate limited (a GraphQL `RATE_LIMITED` error in a
    /// 200): wait this long (or back off when `None`) and send it again.
    Throttled(Option<Duration>),
}

impl BodyError {
    /// A transport error while streaming the body.
    pub fn from_reqwest(e: &reqwest::Error) -> Self {
        BodyError::Invalid(describe_reqwest_error(e, "the connection dropped while reading the body"))
    }
}

/// Checks that a response says it is JSON.
pub fn expect_json(resp: &Response) -> Result<(), BodyError> {
    let ct = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json") {
        Ok(())
    } else if essence.is_empty() {
        Err(BodyError::Invalid("the response has no content type; expected application/json".into()))
    } else {
        Err(BodyError::Invalid(format!("expected application/json, got {essence}")))
    }
}

/// Reads a successful response. Implemented by connectors for streaming
/// bodies; a reader may be called again when the request is retried.
#[async_trait::async_trait]
pub trait ReadBody<T>: Send {
    async fn read(&mut self, resp: Response) -> Result<T, BodyError>;

    /// Whether 4xx answers other than 429 are handed to [`ReadBody::read`]
    /// instead of ending as [`HttpError::Status`]: for vendors whose error
    /// bodies carry codes the connector must read (an expired token, a
    /// missing scope). The reader then scrubs what it keeps of them.
    fn reads_client_errors(&self) -> bool {
        false
    }

    /// Whether the body may be large (a whole member list in one response).
    /// Such a request goes on a connection of its own that is closed after
    /// it: while a large body streams, hyper grows the connection's read
    /// buffer to its maximum (about 400 KiB), and a pooled connection would
    /// keep that buffer and fill it with the next response's body while
    /// that response waits for its turn to be read.
    fn large_body(&self) -> bool {
        false
    }
}

struct JsonBody;

#[async_trait::async_trait]
impl<T: DeserializeOwned + Send> ReadBody<T> for JsonBody {
    async fn read(&mut self, resp: Response) -> Result<T, BodyError> {
        expect_json(&resp)?;
        let bytes = resp.bytes().await.map_err(|e| BodyError::from_reqwest(&e))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| BodyError::Invalid(format!("the body is not the expected json: {e}")))
    }
}

/// A connector's HTTP client for one account.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    config: Arc<HttpConfig>,
    auth: Arc<RwLock<Option<(HeaderValue, Secret)>>>,
    pacer: Option<Pacer>,
    pause: Arc<Pause>,
    stats: Arc<HttpStats>,
}

impl Http {
    pub fn new(config: HttpConfig) -> Result<Self, ConnectorError> {
        Ok(Self {
            client: shared_client(Pooling::Pooled)?,
            pacer: config.rate_limit.and_then(Pacer::new),
            config: Arc::new(config),
            auth: Arc::new(RwLock::new(None)),
            pause: Arc::new(Pause::default()),
            stats: Arc::new(HttpStats::default()),
        })
    }

    /// Sends `Authorization: Bearer <token>` with every request from now on.
    pub fn set_bearer(&self, token: &Secret) -> Result<(), ConnectorError> {
        let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose())).map_err(|_| {
            ConnectorError::config("the token contains characters that cannot be sent in a header")
        })?;
        value.set_sensitive(true);
        if let Ok(mut guard) = self.auth.write() {
            *guard = Some((value, token.clone()));
        }
        Ok(())
    }

    pub fn origin(&self) -> &Url {
        &self.config.origin
    }

    pub fn stats(&self) -> &HttpStats {
        &self.stats
    }

    /// GETs a small JSON document and deserializes it.
    pub async fn get_json<T: DeserializeOwned + Send>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, HttpError> {
        self.send(Method::GET, path, query, &mut JsonBody).await
    }

    /// Sends a request to `path` on the configured origin and hands a
    /// successful response to `read`. Retries 429, 5xx, network errors and
    /// invalid bodies within the budget; everything else is returned as is.
    pub async fn send<T>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        reader: &mut (dyn ReadBody<T> + '_),
    ) -> Result<T, HttpError> {
        self.send_with(method, path, query, Auth::Session, reader).await
    }

    /// [`Http::send`] with this request's own `Authorization` and no body.
    pub async fn send_with<T>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        auth: Auth<'_>,
        reader: &mut (dyn ReadBody<T> + '_),
    ) -> Result<T, HttpError> {
        self.send_body(method, path, query, auth, Body::None, reader).await
    }

    /// Sends a request with a body. `path` may also be an absolute URL (a vendor's
    /// next-page link) as long as it is on the configured origin; any other origin is
    /// refused before anything is sent, so a secret never leaves for a host the
    /// configuration did not name.
    pub async fn send_body<T>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        auth: Auth<'_>,
        body: Body<'_>,
        reader: &mut (dyn ReadBody<T> + '_),
    ) -> Result<T, HttpError> {
        let mut url = self.config.origin.join(path).map_err(|_| HttpError::Body {
            request: format!("{method} {path}"),
            detail: "the request path is not valid".into(),
        })?;
        let request = format!("{method} {}", url.path());
        if url.origin() != self.config.origin.origin() {
            return Err(HttpError::Body {
                request,
                detail:
                    "the vendor pointed to another origin; roster only sends requests to the configured one"
                        .into(),
            });
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let policy = self.config.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let last = attempt >= policy.max_attempts.max(1);
            if let Some(p) = &self.pacer {
                p.ready().await;
            }
            if let Some(hold) = self.pause.remaining(SystemTime::now()) {
                if hold > policy.max_retry_after {
                    return Err(HttpError::RateLimited { request, retry_after: Some(hold) });
                }
                tracing::info!(request = %request, wait_ms = hold.as_millis() as u64, "the vendor's budget is nearly spent; pausing");
                tokio::time::sleep(hold).await;
            }
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            // Built on first use: connectors without large bodies never need it.
            let client = if reader.large_body() {
                shared_client(Pooling::Unpooled)
                    .map_err(|e| HttpError::Network { request: request.clone(), detail: e.to_string() })?
            } else {
                self.client.clone()
            };
            let mut builder = client
                .request(method.clone(), url.clone())
                .timeout(self.config.timeout)
                .header(reqwest::header::USER_AGENT, self.config.user_agent);
            match body {
                Body::None => {}
                Body::Form { fields, .. } => {
                    let encoded =
                        url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
                    builder = builder.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(encoded);
                }
                Body::Json(value) => {
                    builder = builder.header(CONTENT_TYPE, "application/json").body(value.to_string());
                }
            }
            match auth {
                Auth::Session => {
                    if let Some((value, _)) = self.auth.read().ok().and_then(|g| g.clone()) {
                        builder = builder.header(AUTHORIZATION, value);
                    }
                }
                // reqwest marks the Basic header sensitive.
                Auth::Basic { username, password } => {
                    builder = builder.basic_auth(username, Some(password.expose()));
                }
                Auth::None => {}
            }
            tracing::debug!(request = %request, attempt, "sending request");
            let wait = match builder.send().await {
                Err(e) => {
                    let detail = describe_reqwest_error(&e, "the connection failed");
                    tracing::debug!(request = %request, attempt, %detail, "request failed");
                    if last {
                        return Err(HttpError::Network { request, detail });
                    }
                    policy.backoff(attempt)
                }
                Ok(resp) => {
                    let status = resp.status();
                    if let Some(until) =
                        self.config.budget_headers.and_then(|b| b(resp.headers(), SystemTime::now()))
                    {
                        self.pause.hold_until(until);
                    }
                    let resp = match self.throttled(resp).await {
                        Throttled::No(resp) => resp,
                        Throttled::Yes(wait) => {
                            self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                            let wait_or_backoff = wait.unwrap_or_else(|| policy.backoff(attempt));
                            if last || wait_or_backoff > policy.max_retry_after {
                                return Err(HttpError::RateLimited { request, retry_after: wait });
                            }
                            tracing::info!(request = %request, wait_ms = wait_or_backoff.as_millis() as u64, "rate limited; waiting");
                            self.stats.retries.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(wait_or_backoff + Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    // Non-429 4xx go to a reader that asks for them (it reads vendor codes).
                    let to_reader = status.is_client_error() && reader.reads_client_errors();
                    tracing::debug!(request = %request, attempt, status = status.as_u16(), "response");
                    if status.is_redirection() {
                        return Err(HttpError::Redirect { request, status: status.as_u16() });
                    }
                    if status.as_u16() == 429 {
                        self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                        let now = SystemTime::now();
                        let retry_after = resp
                            .headers()
                            .get(RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| parse_retry_after(v, now))
                            .or_else(|| {
                                self.config.rate_limit_hint.and_then(|hint| hint(resp.headers(), now))
                            });
                        let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt));
                        if last || wait > policy.max_retry_after {
                            return Err(HttpError::RateLimited { request, retry_after });
                        }
                        tracing::info!(request = %request, wait_ms = wait.as_millis() as u64, "rate limited; waiting");
                        // A little extra on top of Retry-After, since the
                        // server's window and our clock are not aligned.
                        wait + Duration::from_millis(50)
                    } else if status.is_server_error() {
                        let message = self.vendor_message(resp, &secrets(auth, body)).await;
                        if last {
                            return Err(HttpError::Status { request, status: status.as_u16(), message });
                        }
                        policy.backoff(attempt)
                    } else if !(status.is_success() || to_reader) {
                        let message = self.vendor_message(resp, &secrets(auth, body)).await;
                        return Err(HttpError::Status { request, status: status.as_u16(), message });
                    } else {
                        // Bodies stream a few at a time, process-wide: while the
                        // store is the bottleneck, more concurrent bodies only
                        // hold more buffered bytes. A waiting response keeps
                        // its bytes in the kernel's socket buffer, apart from
                        // what hyper read with its head (a few KiB on a
                        // connection that never streamed a large body).
                        let _body = body_permits().acquire().await.ok();
                        match reader.read(resp).await {
                            Ok(v) => return Ok(v),
                            Err(BodyError::Fatal(e)) => return Err(HttpError::Reader(e)),
                            Err(BodyError::Throttled(wait)) => {
                                self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                                let wait_or_backoff = wait.unwrap_or_else(|| policy.backoff(attempt));
                                if last || wait_or_backoff > policy.max_retry_after {
                                    return Err(HttpError::RateLimited { request, retry_after: wait });
                                }
                                tracing::info!(request = %request, wait_ms = wait_or_backoff.as_millis() as u64, "rate limited; waiting");
                                wait_or_backoff + Duration::from_millis(50)
                            }
                            Err(BodyError::Invalid(detail)) => {
                                tracing::debug!(request = %request, attempt, %detail, "invalid body");
                                if last {
                                    return Err(HttpError::Body { request, detail });
                                }
                                policy.backoff(attempt)
                            }
                        }
                    }
                }
            };
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(wait).await;
        }
    }

    /// Whether a non-success answer is a rate limit in the vendor's own words. The body
    /// it reads is put back for whoever reads the answer next.
    async fn throttled(&self, resp: Response) -> Throttled {
        let status = resp.status();
        let Some(signal) = self.config.throttle_signal else {
            return Throttled::No(resp);
        };
        if status.is_success() || status.as_u16() == 429 || status.is_redirection() {
            return Throttled::No(resp);
        }
        let headers = resp.headers().clone();
        let mut rebuilt = http::Response::builder().status(status);
        for (name, value) in &headers {
            rebuilt = rebuilt.header(name, value);
        }
        let bytes = resp.bytes().await.unwrap_or_default();
        let head = &bytes[..bytes.len().min(64 * 1024)];
        if let Some(wait) = signal(status, &headers, head, SystemTime::now()) {
            return Throttled::Yes(wait);
        }
        match rebuilt.body(bytes) {
            Ok(r) => Throttled::No(Response::from(r)),
            Err(_) => Throttled::Yes(None),
        }
    }

    /// The vendor's error message from a JSON body (`message`,
    /// `errors[0].title`, or an OAuth error's `reason`), shortened and
    /// scrubbed of the token and of `extra` (a Basic password).
    async fn vendor_message(&self, resp: Response, extra: &[&Secret]) -> Option<String> {
        let is_json = expect_json(&resp).is_ok();
        let bytes = resp.bytes().await.ok()?;
        if !is_json || bytes.len() > 64 * 1024 {
            return None;
        }
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let msg = v
            .get("message")
            .and_then(|m| m.as_str())
            .or_else(|| v.pointer("/errors/0/title").and_then(|m| m.as_str()))
            .or_else(|| v.get("reason").and_then(|m| m.as_str()))?;
        let mut msg: String = msg.chars().take(200).collect();
        for secret in extra.iter().filter(|s| !s.expose().is_empty()) {
            msg = msg.replace(secret.expose(), "[redacted]");
        }
        if let Some((_, token)) = self.auth.read().ok().and_then(|g| g.clone())
            && !token.expose().is_empty()
        {
            msg = msg.replace(token.expose(), "[redacted]");
        }
        Some(msg)
    }
}

enum Throttled {
    No(Response),
    Yes(Option<Duration>),
}

/// The secrets a request sends besides the session token.
fn secrets<'a>(auth: Auth<'a>, body: Body<'a>) -> Vec<&'a Secret> {
    let mut all: Vec<&Secret> = auth.extra_secret().into_iter().collect();
    if let Body::Form { secrets, .. } = body {
        all.extend(secrets.iter().copied());
    }
    all
}

/// How many response bodies are read at once in this process.
const BODY_STREAMS: usize = 8;

fn body_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(BODY_STREAMS))
}

/// One connection pool and TLS configuration for every account in the
/// process (and one client without a pool, for large bodies): building a
/// client per account would load the TLS roots a thousand times.
/// Per-account behaviour (timeout, user agent, auth) is set per request.
/// Redirects are never followed.
fn shared_client(pooling: Pooling) -> Result<reqwest::Client, ConnectorError> {
    static POOLED: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    static UNPOOLED: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let cell = match pooling {
        Pooling::Pooled => &POOLED,
        Pooling::Unpooled => &UNPOOLED,
    };
    if let Some(c) = cell.get() {
        return Ok(c.clone());
    }
    let mut builder = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(30));
    if pooling == Pooling::Unpooled {
        builder = builder.pool_max_idle_per_host(0);
    }
    let built = builder
        .build()
        .map_err(|e| ConnectorError::internal(format!("could not build the http client: {e}")))?;
    Ok(cell.get_or_init(|| built).clone())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Pooled,
    Unpooled,
}

/// Describes a transport error without its URL.
fn describe_reqwest_error(e: &reqwest::Error, fallback: &str) -> String {
    use std::error::Error as _;
    if e.is_timeout() {
        return "the request timed out".into();
    }
    let mut innermost: Option<String> = None;
    let mut source = e.source();
    while let Some(s) = source {
        innermost = Some(s.to_string());
        source = s.source();
    }
    let what = if e.is_connect() { "could not connect" } else { fallback };
    match innermost {
        Some(cause) => format!("{what}: {}", cause.chars().take(200).collect::<String>()),
        None => what.to_owned(),
    }
}

//! A toy vendor: `GET /items` (a long list, streamed in chunks), `GET /me`, and an open
//! `POST /token`. Tenants are found by bearer token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use bytes::Bytes;
use roster_sim_kit::{Budget, Core, Limited, Pass, RetryAfter, Sim, Spent, Tenant, Vendor, respond};
use serde_json::json;

pub const JSON: &str = "application/json";

#[derive(Default)]
pub struct Toy {
    tenants: Mutex<HashMap<String, Shop>>,
}

pub type ToySim = Sim<Toy>;

#[derive(Clone)]
pub struct Shop(Arc<ShopInner>);

pub struct ShopInner {
    pub token: String,
    pub items: usize,
    core: Core,
    pub settings: Mutex<ShopSettings>,
}

#[derive(Clone, Default)]
pub struct ShopSettings {
    pub latency: Duration,
    pub per_second: Option<u32>,
    pub revoked: bool,
}

impl std::ops::Deref for Shop {
    type Target = Core;
    fn deref(&self) -> &Core {
        &self.0.core
    }
}

impl Shop {
    pub fn token(&self) -> String {
        self.0.token.clone()
    }
    pub fn set(&self, f: impl FnOnce(&mut ShopSettings)) {
        f(&mut self.0.settings.lock().unwrap());
    }
    fn settings(&self) -> ShopSettings {
        self.0.settings.lock().unwrap().clone()
    }
}

impl Toy {
    pub fn add(&self, token: &str, items: usize) -> Shop {
        let shop = Shop(Arc::new(ShopInner {
            token: token.into(),
            items,
            core: Core::default(),
            settings: Mutex::default(),
        }));
        self.tenants.lock().unwrap().insert(token.into(), shop.clone());
        shop
    }
}

impl Tenant for Shop {
    fn core(&self) -> &Core {
        &self.0.core
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        respond::json(status, JSON, &json!({"error": message}))
    }

    fn rate_limited(&self, limited: &Limited) -> Response {
        let mut r = self.error(StatusCode::TOO_MANY_REQUESTS, "slow down");
        if let Some(v) = limited.style.unwrap_or(RetryAfter::Seconds).value(limited.wait) {
            respond::set_header(&mut r, "retry-after", &v);
        }
        r
    }

    fn latency(&self) -> Duration {
        self.settings().latency
    }

    fn budgets(&self, _method: &Method, _path: &str) -> Vec<Budget> {
        self.settings()
            .per_second
            .map(|n| vec![Budget::new("all", n, roster_sim_kit::Window::Sliding(Duration::from_secs(1)))])
            .unwrap_or_default()
    }

    fn finish(&self, _path: &str, response: &mut Response, spent: &[Spent]) {
        if let Some(s) = spent.first() {
            respond::set_header(response, "x-remaining", &s.remaining.to_string());
        }
    }

    fn vendor_fault(&self, name: &'static str) -> Response {
        self.error(StatusCode::IM_A_TEAPOT, name)
    }

    fn json_content_type(&self) -> &'static str {
        JSON
    }
}

impl Vendor for Toy {
    type Tenant = Shop;

    fn new(_origin: &str) -> Self {
        Toy::default()
    }

    fn routes(self: &Arc<Self>) -> Router {
        let toy = self.clone();
        Router::new()
            .route("/items", get(items))
            .route(
                "/me",
                get(|Extension(s): Extension<Shop>| async move {
                    respond::json(StatusCode::OK, JSON, &json!({"token_len": s.token().len()}))
                }),
            )
            .route(
                "/token",
                post(move || {
                    let toy = toy.clone();
                    async move {
                        let shop = toy.tenants.lock().unwrap().values().next().cloned();
                        if let Some(fault) =
                            shop.as_ref().and_then(|s| s.open_request(&Method::POST, "/token"))
                        {
                            return respond::json(
                                StatusCode::OK,
                                JSON,
                                &json!({"fault": format!("{fault:?}")}),
                            );
                        }
                        respond::json(StatusCode::OK, JSON, &json!({"token": "t"}))
                    }
                }),
            )
    }

    fn authenticate(&self, request: &Request) -> Pass<Shop> {
        if request.uri().path() == "/token" {
            return Pass::Open;
        }
        let shop =
            respond::bearer_of(request.headers()).and_then(|t| self.tenants.lock().unwrap().get(t).cloned());
        match shop {
            Some(s) if s.settings().revoked => Pass::Refused { response: s.unauthorized(), tenant: Some(s) },
            Some(s) => Pass::Tenant(s),
            None => Pass::Refused {
                tenant: None,
                response: respond::json(StatusCode::UNAUTHORIZED, JSON, &json!({"error": "who?"})),
            },
        }
    }
}

/// `{"items":[...],"total":N}` in chunks of 100 items.
async fn items(Extension(shop): Extension<Shop>) -> Response {
    let n = shop.0.items;
    let mut chunks: Vec<std::io::Result<Bytes>> = vec![Ok(Bytes::from_static(b"{\"items\":["))];
    for start in (0..n).step_by(100) {
        let part: Vec<String> = (start..(start + 100).min(n)).map(|i| format!("{{\"id\":{i}}}")).collect();
        let sep = if start == 0 { "" } else { "," };
        chunks.push(Ok(Bytes::from(format!("{sep}{}", part.join(",")))));
    }
    chunks.push(Ok(Bytes::from(format!("],\"total\":{n}}}"))));
    respond::typed(StatusCode::OK, JSON, Body::from_stream(futures_util::stream::iter(chunks)))
}

pub async fn start(items: usize) -> (ToySim, Shop) {
    let sim = ToySim::start().await.expect("the toy starts");
    let shop = sim.add("tok", items);
    (sim, shop)
}

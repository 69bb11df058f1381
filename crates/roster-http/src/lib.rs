//! The HTTP toolkit connectors share: origin checks, a client that never
//! follows redirects or disables TLS verification, client-side rate limits,
//! retries that honour `Retry-After`, request bodies (forms, JSON), a cached OAuth
//! access token, the HTTP settings every connector flattens into its own, and
//! pagination as a `Stream`.
//!
//! Connectors map [`HttpError`] to [`roster_core::ConnectorError`] with their
//! own remediations; [`HttpError::into_connector_error`] is the generic mapping.

mod auth;
mod client;
mod error;
mod origin;
mod page;
mod rate;
mod retry;
mod settings;
mod throttle;
mod token;
mod vendor;

pub use auth::{Auth, Body};
pub use client::{BodyError, Http, HttpConfig, HttpStats, RateLimitHint, ReadBody, expect_json};
pub use error::HttpError;
pub use origin::{OriginError, parse_origin};
pub use page::paginate;
pub use rate::RateLimit;
pub use reqwest::Method;
pub use reqwest::header::HeaderMap;
pub use reqwest::{Response, StatusCode};
pub use retry::RetryPolicy;
pub use settings::HttpSettings;
pub use throttle::{BudgetHeaders, ThrottleSignal};
pub use token::{AccessToken, TokenCache};
pub use vendor::{ClientError, VendorReader};

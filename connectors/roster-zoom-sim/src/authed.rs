//! An authenticated API request's tenant: the Zoom account and its token's scopes. This is
//! where Zoom's answers to the kit live: its error envelope, 429s, rate-limit headers and
//! faults.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use roster_sim_kit::{Budget, Core, Limited, RetryAfter, Spent, Tenant, Window};

use crate::rate_limit::Category;
use crate::responses::{self, JSON_CONTENT_TYPE, RateHeaders, RateLimitStyle, zoom_error};
use crate::zoom_account::ZoomAccount;

/// Named faults only Zoom has ([`roster_sim_kit::Fault::Vendor`]).
pub mod faults {
    use roster_sim_kit::Fault;

    /// 401 code 124 "Access token is expired." (whatever the token's age).
    pub const EXPIRED_TOKEN: Fault = Fault::Vendor("expired_token");
    /// 401 code 124 "Invalid access token.".
    pub const INVALID_TOKEN: Fault = Fault::Vendor("invalid_token");
    /// 400 code 300 "The next page token is invalid or expired.".
    pub const INVALID_PAGE_TOKEN: Fault = Fault::Vendor("invalid_page_token");
    /// The daily limit: 429 with `X-RateLimit-Type: Daily-limit` and `Retry-After` at 00:00 UTC.
    pub const DAILY_LIMIT: Fault = Fault::Vendor("daily_limit");
}

/// What an authenticated API request carries into its handler.
#[derive(Clone, Debug)]
pub struct Authed {
    pub account: ZoomAccount,
    pub scopes: Vec<String>,
}

impl Authed {
    fn headers(&self, path: &str) -> RateHeaders {
        let category = Category::of(path);
        let limit = self.account.lock().settings.rate_limit.as_ref().map_or(0, |l| category.per_second(l));
        RateHeaders { category: category.header(), limit, remaining: 0 }
    }

    fn invalid_token_status(&self) -> StatusCode {
        roster_sim_kit::respond::status(self.account.lock().settings.invalid_token_status)
    }
}

const TRUNCATED: &str = r#"{"page_count":1,"page_number":1,"page_size":300,"total_records":2,"next_page_token":"","users":[{"id":"KDcuGIm1QgePTO8WbOqwIQ","first_name":"Jill","last_na"#;

impl Tenant for Authed {
    fn core(&self) -> &Core {
        &self.account.inner.core
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        zoom_error(status, u32::from(status.as_u16()), message)
    }

    fn unauthorized(&self) -> Response {
        zoom_error(self.invalid_token_status(), 124, "Invalid access token.")
    }

    fn rate_limited(&self, limited: &Limited) -> Response {
        let qps_retry_after =
            self.account.lock().settings.rate_limit.as_ref().is_some_and(|l| l.qps_retry_after);
        let style = match (limited.window, limited.style) {
            (Some(Window::UtcDay), _) => RateLimitStyle::DailyLimit,
            (_, Some(RetryAfter::Omit)) => RateLimitStyle::Qps,
            (_, Some(RetryAfter::IsoDate | RetryAfter::HttpDate)) => RateLimitStyle::RetryAfterDate,
            (_, Some(RetryAfter::Seconds)) => RateLimitStyle::RetryAfterSeconds,
            (_, None) if qps_retry_after => RateLimitStyle::RetryAfterSeconds,
            (_, None) => RateLimitStyle::Qps,
        };
        responses::rate_limited(style, &self.headers(&limited.path), limited.wait)
    }

    fn latency(&self) -> Duration {
        self.account.lock().settings.latency
    }

    /// The daily count (when the plan has one), then the label's per-second window.
    fn budgets(&self, _method: &Method, path: &str) -> Vec<Budget> {
        let Some(limits) = self.account.lock().settings.rate_limit.clone() else {
            return Vec::new();
        };
        let category = Category::of(path);
        let mut budgets = Vec::with_capacity(2);
        if let Some(daily) = limits.daily {
            budgets.push(Budget::new("daily", daily, Window::UtcDay));
        }
        budgets.push(Budget::new(
            category.header(),
            category.per_second(&limits),
            Window::Sliding(Duration::from_secs(1)),
        ));
        budgets
    }

    /// `X-RateLimit-Category`, `-Limit` and `-Remaining` on every API response.
    fn finish(&self, path: &str, response: &mut Response, spent: &[Spent]) {
        let mut headers = self.headers(path);
        if let Some(s) = spent.iter().find(|s| s.key == headers.category) {
            headers.remaining = s.remaining;
        }
        headers.apply(response);
    }

    fn vendor_fault(&self, name: &'static str) -> Response {
        match name {
            "expired_token" => zoom_error(self.invalid_token_status(), 124, "Access token is expired."),
            "invalid_page_token" => {
                zoom_error(StatusCode::BAD_REQUEST, 300, "The next page token is invalid or expired.")
            }
            "daily_limit" => {
                responses::rate_limited(RateLimitStyle::DailyLimit, &self.headers(""), Duration::ZERO)
            }
            _ => self.unauthorized(),
        }
    }

    fn html_page(&self, status: StatusCode) -> String {
        roster_sim_kit::respond::html_page(status, "")
    }

    fn json_content_type(&self) -> &'static str {
        JSON_CONTENT_TYPE
    }

    fn truncated_json(&self) -> &'static str {
        TRUNCATED
    }
}

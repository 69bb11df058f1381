//! An authenticated API request's tenant: the customer, the token's subject and scopes.
//! Google's answers to the kit (error envelope, rate limits, budgets, faults) live here.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use roster_sim_kit::{Budget, Core, Limited, RetryAfter, Tenant, Window};

use crate::customer::{Customer, is};
use crate::responses::{self, JSON_CONTENT_TYPE, google_error};

/// Named faults only Google has ([`roster_sim_kit::Fault::Vendor`]).
pub mod faults {
    use roster_sim_kit::Fault;

    /// 403 `accessNotConfigured`: the Admin SDK API is disabled in the key's project.
    pub const API_DISABLED: Fault = Fault::Vendor("api_disabled");
}

/// What an authenticated request carries into its handler.
#[derive(Clone, Debug)]
pub struct Authed {
    pub customer: Customer,
    /// The impersonated user (`sub`); `None` when the service account acts as itself.
    pub subject: Option<String>,
    pub scopes: Vec<String>,
}

impl Authed {
    /// The refusal of a request whose token holds none of the `accepted` scopes or whose
    /// subject is not a super admin (the Directory's or, with `licensing`, the License
    /// Manager's); `None` lets it go on.
    pub(crate) fn refusal(&self, accepted: &[&str], licensing: bool) -> Option<Response> {
        if !accepted.iter().any(|a| self.scopes.iter().any(|s| s == a)) {
            return Some(responses::insufficient_scope(accepted[0]));
        }
        let Some(subject) = &self.subject else {
            return Some(google_error(StatusCode::BAD_REQUEST, "global", "invalid", "Invalid Input"));
        };
        let st = self.customer.lock();
        let admin = st.users.iter().any(|u| is(u, subject) && u["isAdmin"] == true && u["suspended"] != true);
        match (admin, licensing) {
            (true, _) => None,
            (false, false) => Some(not_authorized()),
            (false, true) => Some(unauthorized_operation()),
        }
    }
}

pub(crate) fn not_authorized() -> Response {
    google_error(StatusCode::FORBIDDEN, "global", "forbidden", "Not Authorized to access this resource/api")
}

pub(crate) fn unauthorized_operation() -> Response {
    google_error(StatusCode::FORBIDDEN, "global", "forbidden", "Unauthorized operation for the given domain.")
}

fn reason(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "badRequest",
        401 => "authError",
        403 => "forbidden",
        404 => "notFound",
        503 => "backendError",
        _ => "internalError",
    }
}

impl Tenant for Authed {
    fn core(&self) -> &Core {
        &self.customer.inner.core
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        google_error(status, "global", reason(status), message)
    }

    fn unauthorized(&self) -> Response {
        responses::unauthenticated(false)
    }

    /// A fault names its own `Retry-After` style; a spent budget sends one only with the
    /// `retry_after` setting.
    fn rate_limited(&self, limited: &Limited) -> Response {
        let settings = self.customer.lock().settings.clone();
        let style = limited.style.or(settings.retry_after.then_some(RetryAfter::Seconds));
        responses::rate_limited(settings.rate_limit_answer, style.and_then(|s| s.value(limited.wait)))
    }

    fn budgets(&self, _method: &Method, _path: &str) -> Vec<Budget> {
        let limit = self.customer.lock().settings.rate_limit;
        limit.map(|l| Budget::new("queries", l.queries, Window::Sliding(l.window))).into_iter().collect()
    }

    fn vendor_fault(&self, name: &'static str) -> Response {
        match name {
            "api_disabled" => google_error(
                StatusCode::FORBIDDEN,
                "usageLimits",
                "accessNotConfigured",
                "Admin SDK API has not been used in project 1 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/admin.googleapis.com/overview?project=1 then retry.",
            ),
            _ => self.error(StatusCode::INTERNAL_SERVER_ERROR, name),
        }
    }

    fn json_content_type(&self) -> &'static str {
        JSON_CONTENT_TYPE
    }

    fn truncated_json(&self) -> &'static str {
        r#"{"kind":"admin#directory#users","etag":"\"x\"","users":[{"kind":"admin#directory#user","id":"10466"#
    }
}

//! An authenticated Graph request's tenant: the tenant and its token's permissions. This is
//! where Graph's answers to the kit live: its error envelope, 429s, headers and faults.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use roster_sim_kit::{Budget, Core, Limited, RetryAfter, Spent, Tenant, Window, respond};

use crate::responses::{self, JSON_CONTENT_TYPE, graph_error, invalid_token};
use crate::tenant::EntraTenant;

/// Named faults only Graph has ([`roster_sim_kit::Fault::Vendor`]).
pub mod faults {
    use roster_sim_kit::Fault;

    /// 401 InvalidAuthenticationToken "Access token has expired or is not yet valid.".
    pub const EXPIRED_TOKEN: Fault = Fault::Vendor("expired_token");
    /// 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant, as reported intermittently
    /// from premium tenants.
    pub const NON_PREMIUM: Fault = Fault::Vendor("non_premium");
    /// The tenant's expired-delta-token answer (see `DeltaExpiry`).
    pub const DELTA_EXPIRED: Fault = Fault::Vendor("delta_expired");
}

/// Permissions that let an app read users [DOC user-list].
pub const READ_USERS: [&str; 4] =
    ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
/// Permissions that let an app read the organization and its SKUs [DOC subscribedsku-list].
pub const READ_ORGANIZATION: [&str; 4] =
    ["Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
/// Permissions that let an app read directory roles and members [DOC directoryrole-list-members].
pub const READ_ROLES: [&str; 4] = [
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// What an authenticated Graph request carries into its handler.
#[derive(Clone, Debug)]
pub struct Authed {
    pub tenant: EntraTenant,
    /// The token's `roles`, fixed when it was minted.
    pub permissions: Vec<String>,
}

impl Authed {
    pub(crate) fn has(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }

    /// `None` when the token holds one of `any`, else Graph's 403.
    pub(crate) fn require(&self, any: &[&str]) -> Option<Response> {
        if any.iter().any(|p| self.has(p)) {
            return None;
        }
        Some(if self.permissions.is_empty() {
            graph_error(
                StatusCode::FORBIDDEN,
                "AccessDenied",
                "Either scp or roles claim need to be present in the token.",
            )
        } else {
            responses::insufficient_privileges()
        })
    }

    /// Why `signInActivity` is refused, if it is: the tenant's licence or the app's permission.
    pub(crate) fn sign_in_refusal(&self) -> Option<Response> {
        let (premium, premium_first) = {
            let st = self.tenant.lock();
            (st.settings.premium, st.settings.premium_checked_first)
        };
        let audit = self.has("AuditLog.Read.All");
        match (premium, audit) {
            (true, true) => None,
            (false, true) => Some(non_premium()),
            (true, false) => Some(missing_audit_log()),
            (false, false) => Some(if premium_first { non_premium() } else { missing_audit_log() }),
        }
    }

    pub(crate) fn delta_expired(&self) -> Response {
        crate::delta::expired(&self.tenant)
    }
}

fn non_premium() -> Response {
    graph_error(
        StatusCode::FORBIDDEN,
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        "Neither tenant is B2C or tenant doesn't have premium license",
    )
}

fn missing_audit_log() -> Response {
    graph_error(
        StatusCode::FORBIDDEN,
        "Authentication_MSGraphPermissionMissing",
        "Calling principal does not have required MSGraph permissions AuditLog.Read.All",
    )
}

const TRUNCATED: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"1aecaf40-dc3a-461f-88a8-d06994e12898","displayName":"Adele Va"#;

impl Tenant for Authed {
    fn core(&self) -> &Core {
        &self.tenant.inner.core
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        let code = match status.as_u16() {
            401 => "InvalidAuthenticationToken",
            403 => "Authorization_RequestDenied",
            404 => "Request_ResourceNotFound",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            s if s >= 500 => "InternalServerError",
            _ => "BadRequest",
        };
        graph_error(status, code, message)
    }

    fn unauthorized(&self) -> Response {
        invalid_token("Access token validation failure. Invalid audience.")
    }

    /// 429 TooManyRequests, with `Retry-After` in whole or fractional seconds, and the
    /// `x-ms-throttle-*` headers [DOC throttling, throttling-limits].
    fn rate_limited(&self, limited: &Limited) -> Response {
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
        let body = serde_json::json!({"error": {"code": "TooManyRequests", "message": "Please retry again later.",
            "innerError": {"code": "429", "date": date, "message": "Please retry after", "request-id": responses::guid(), "status": "429"}}});
        let mut r = responses::json_response(StatusCode::TOO_MANY_REQUESTS, &body);
        let fractional = self.tenant.lock().settings.fractional_retry_after;
        let retry_after = match limited.style.unwrap_or_default() {
            RetryAfter::Seconds if fractional => Some(format!("{:.3}", limited.wait.as_secs_f64() + 0.128)),
            style => style.value(limited.wait),
        };
        if let Some(v) = retry_after {
            respond::set_header(&mut r, "retry-after", &v);
        }
        let scope = format!("Tenant_Application/ReadOnly/{}", self.tenant.inner.tenant_id);
        respond::set_header(&mut r, "x-ms-throttle-scope", &scope);
        respond::set_header(&mut r, "x-ms-throttle-information", "ResourceUnitLimitExceeded");
        r
    }

    /// The resource-unit bucket of this app and tenant, one unit per request.
    fn budgets(&self, _method: &Method, _path: &str) -> Vec<Budget> {
        let limit = self.tenant.lock().settings.requests_per_10s;
        limit
            .map(|l| vec![Budget::new("ResourceUnit", l, Window::Sliding(Duration::from_secs(10)))])
            .unwrap_or_default()
    }

    fn finish(&self, _path: &str, response: &mut Response, _spent: &[Spent]) {
        respond::set_header(response, "request-id", &responses::guid());
        respond::set_header(response, "x-ms-resource-unit", "1");
    }

    fn vendor_fault(&self, name: &'static str) -> Response {
        match name {
            "expired_token" => invalid_token("Access token has expired or is not yet valid."),
            "non_premium" => non_premium(),
            "delta_expired" => self.delta_expired(),
            _ => self.unauthorized(),
        }
    }

    fn json_content_type(&self) -> &'static str {
        JSON_CONTENT_TYPE
    }

    fn truncated_json(&self) -> &'static str {
        TRUNCATED
    }
}

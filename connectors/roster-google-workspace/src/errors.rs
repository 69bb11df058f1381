//! What the Directory's and the License Manager's refusals mean, and what to do.

use roster_core::ConnectorError;

use crate::api::Api;
use crate::google_error::GoogleError;
use crate::scopes;

/// The error for Google's refusal `e` of `request`, which needs `scope`.
pub(crate) fn refused(request: &str, e: &GoogleError, api: &Api, scope: &str) -> ConnectorError {
    let what = format!("{request}: {}", e.describe());
    if e.reason_is("insufficientPermissions") {
        return ConnectorError::missing_permission(
            format!("{what}; the token lacks the scope {scope}"),
            vec![scope.to_owned()],
        )
        .with_remediation(scopes::delegate(api.key.client_id.as_deref(), &[scope]));
    }
    if e.reason_is("accessNotConfigured") || e.says("has not been used") {
        return ConnectorError::config(format!(
            "{what}; the api is disabled in the service account's project"
        ))
        .with_remediation(
            "in the Google Cloud console, open the service account's project → APIs & Services → Library, \
                 and enable the Admin SDK API and the Enterprise License Manager API",
        );
    }
    match e.status {
        403 => ConnectorError::missing_permission(
            format!("{what}; admin_email {} may not read this", api.admin_email),
            vec!["super admin".to_owned()],
        )
        .with_remediation(
            "set admin_email to a super admin, or make it one (Admin console → Directory → Users → the user → \
             Admin roles and privileges)",
        ),
        400 => ConnectorError::config(format!("{what}; the customer is not the admin's"))
            .with_remediation("set customer_id to my_customer, or to the ID in Admin console → Account → Account settings"),
        404 => ConnectorError::config(format!("{what}; the base url does not serve google's admin apis"))
            .with_remediation("set base_url to an origin that serves /admin/directory/v1 and /apps/licensing/v1, or remove it"),
        _ => ConnectorError::invalid_response(what),
    }
}

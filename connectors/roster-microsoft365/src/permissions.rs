//! The application permissions a sync needs, and the remediations that name them.

pub(crate) const USER_READ_ALL: &str = "User.Read.All";
pub(crate) const DIRECTORY_READ_ALL: &str = "Directory.Read.All";
pub(crate) const AUDIT_LOG_READ_ALL: &str = "AuditLog.Read.All";

/// What to do about a tenant without Entra ID P1/P2.
pub(crate) const GET_PREMIUM: &str = "sign-in activity needs a Microsoft Entra ID P1 or P2 licence in the tenant \
     (Microsoft 365 E3/E5, Business Premium or Entra ID P1/P2 include one)";

/// How to add `permissions` to the app registration.
pub(crate) fn grant(permissions: &[&str]) -> String {
    format!(
        "in the Microsoft Entra admin center, open App registrations → this app → API permissions → Add a permission → \
         Microsoft Graph → Application permissions, add {}, then choose Grant admin consent and sync again",
        permissions.join(", ")
    )
}

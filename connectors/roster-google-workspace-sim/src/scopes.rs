//! The OAuth scopes of the endpoints served, from Google's discovery documents.

pub const USER_READONLY: &str = "https://www.googleapis.com/auth/admin.directory.user.readonly";
pub const ROLES_READONLY: &str = "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly";
pub const LICENSING: &str = "https://www.googleapis.com/auth/apps.licensing";

/// The three scopes a Roster sync asks for, delegated to new customers' service accounts.
pub const ALL_SCOPES: [&str; 3] = [USER_READONLY, ROLES_READONLY, LICENSING];

/// Scopes the token endpoint knows (any other is `invalid_scope`).
pub(crate) const KNOWN: [&str; 5] = [
    USER_READONLY,
    "https://www.googleapis.com/auth/admin.directory.user",
    ROLES_READONLY,
    "https://www.googleapis.com/auth/admin.directory.rolemanagement",
    LICENSING,
];

/// `users.list` accepts either user scope.
pub(crate) const USERS: [&str; 2] = [USER_READONLY, KNOWN[1]];
/// `roles.list` and `roleAssignments.list`.
pub(crate) const ROLES: [&str; 2] = [ROLES_READONLY, KNOWN[3]];
/// `licenseAssignments.listForProduct` (no read-only variant).
pub(crate) const LICENSES: [&str; 1] = [LICENSING];

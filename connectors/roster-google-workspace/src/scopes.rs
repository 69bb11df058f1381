//! The three OAuth scopes a sync asks for, and where an admin delegates them.

pub(crate) const USERS: &str = "https://www.googleapis.com/auth/admin.directory.user.readonly";
pub(crate) const ROLES: &str = "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly";
pub(crate) const LICENSING: &str = "https://www.googleapis.com/auth/apps.licensing";

/// Every scope, in the order `check` reports them.
pub(crate) const ALL: [&str; 3] = [USERS, ROLES, LICENSING];

/// What one scope lets the sync read, and what it does without it.
pub(crate) fn capability(scope: &str) -> (&'static str, &'static str) {
    match scope {
        USERS => ("list users (GET /admin/directory/v1/users)", "nothing can be synced"),
        ROLES => (
            "read admin roles (GET /admin/directory/v1/customer/{customer}/roles and /roleassignments)",
            "users are synced without their admin roles",
        ),
        _ => (
            "read licence assignments (GET /apps/licensing/v1/product/{productId}/users)",
            "users are synced without licences and no licence totals are reported",
        ),
    }
}

/// How to delegate `scopes` to the service account `client_id`.
pub(crate) fn delegate(client_id: Option<&str>, scopes: &[&str]) -> String {
    let client = client_id.map_or("the key file's client_id".to_owned(), |c| format!("the client ID {c}"));
    format!(
        "in the Admin console, open Security → Access and data control → API controls → Domain-wide delegation, \
         and add (or edit) {client} with the OAuth scopes {}; changes take effect within minutes, sometimes up to 24 hours",
        scopes.join(",")
    )
}

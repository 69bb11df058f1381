//! Workato's permission names and the remediations that name them.

/// Client-role permission for `GET /api/users/me`.
pub(crate) const WORKSPACE_DETAILS: &str = "Workspace details → Get details";
/// Client-role permission for `GET /api/members`.
pub(crate) const GET_COLLABORATORS: &str = "Workspace collaborators → Get collaborators";
/// The add-on and permission for `GET /api/activity_logs`.
pub(crate) const ACTIVITY_AUDIT_LOG: &str = "Activity audit log (add-on) → Get activity logs";

pub(crate) fn enable(permission: &str) -> String {
    format!(
        "in Workato, open Workspace admin → API clients → Client roles, edit this API client's role and enable \"{permission}\"; \
         the API client also needs DEV environment access and all projects"
    )
}

pub(crate) const REFUSED_TOKEN: &str = "check that the token was copied whole and that its API client still exists \
     (deleting the client or regenerating its token revokes it); if the token is right, its client role must enable \
     the \"Workspace details\" and \"Workspace collaborators\" permission groups and the API client needs DEV environment access";

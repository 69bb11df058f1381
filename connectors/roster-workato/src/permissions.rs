//! Workato's permission names and the remediations that name them.

/// Client-role permission for `GET /api/users/me`.
pub(crate) const WORKSPACE_DETAILS: &str = "Workspace details → Get details";
/// Client-role permission for `GET /api/members`.
pub(crate) const GET_COLLABORATORS: &str = "Workspace collaborators → Get collaborators";
/// Client-role permission for `GET /api/members/:id` (actions read and verify with it).
pub(crate) const GET_COLLABORATOR: &str = "Workspace collaborators → Get collaborator";
/// Client-role permission for `PUT /api/members/:id` (`set_roles`).
pub(crate) const UPDATE_ROLES: &str = "Workspace collaborators → Update collaborator's roles";
/// Client-role permission for `DELETE /api/members/:id` (`remove_user`), in early access.
pub(crate) const DELETE_COLLABORATORS: &str = "Workspace collaborators → Delete collaborators";
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

/// What to do about a write privilege the client role lacks.
pub(crate) fn enable_write(permission: &str, request: &str) -> String {
    let early = if permission == DELETE_COLLABORATORS {
        "; deleting collaborators through the api is in early access, so some workspaces do not offer this privilege yet \
         (ask Workato support, or remove the collaborator in Workato's own admin pages)"
    } else {
        ""
    };
    format!(
        "in Workato, open Workspace admin → API clients → Client roles, edit this API client's role and, under \
         Admin → Workspace collaborators → Collaborators, enable \"{permission}\" (for {request}); the API client also \
         needs DEV environment access{early}"
    )
}

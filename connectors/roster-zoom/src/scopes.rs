//! The scopes a sync and each action need, how a token's `scope` string is compared with
//! them, and the remediations that name them.

use roster_core::{AccessCheck, ActionKind, ActionSpec};

/// One thing the sync reads, and the scopes Zoom accepts for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Need {
    /// What it is, for `check`'s report.
    pub capability: &'static str,
    /// The granular scope to add to the app: the name people must type.
    pub scope: &'static str,
    /// Every scope Zoom accepts for the endpoint (granular and classic).
    pub accepted: &'static [&'static str],
    /// Whether a sync is impossible without it.
    pub required: bool,
    /// What the sync does without it.
    pub without: &'static str,
}

pub(crate) const LIST_USERS: Need = Need {
    capability: "list users (GET /v2/users)",
    scope: "user:read:list_users:admin",
    accepted: &["user:read:list_users:admin", "user:read:admin", "user:write:admin"],
    required: true,
    without: "nothing can be synced",
};

pub(crate) const LIST_ROLES: Need = Need {
    capability: "read role names (GET /v2/roles)",
    scope: "role:read:list_roles:admin",
    accepted: &["role:read:list_roles:admin", "role:read:list_roles", "role:read:admin", "role:write:admin"],
    required: false,
    without: "roles are shown by id, except Owner, Admin and Member",
};

pub(crate) const PLAN_USAGE: Need = Need {
    capability: "read license totals (GET /v2/accounts/me/plans/usage)",
    scope: "billing:read:plan_usage:admin",
    accepted: &[
        "billing:read:plan_usage:admin",
        "billing:read:plan_usage:master",
        "account:read:admin",
        "billing:master",
        "account:master",
    ],
    required: false,
    without: "license totals are left empty",
};

/// Everything the sync reads, in the order `check` reports it.
pub(crate) const NEEDS: [Need; 3] = [LIST_USERS, LIST_ROLES, PLAN_USAGE];

/// An action's scope: granular first, then the classic ones older apps have.
const fn action(capability: &'static str, scope: &'static str, accepted: &'static [&'static str]) -> Need {
    Need { capability, scope, accepted, required: false, without: "roster cannot carry out this action" }
}

pub(crate) const READ_USER: Need = action(
    "read one user (GET /v2/users/{userId})",
    "user:read:user:admin",
    &["user:read:user:admin", "user:read:admin", "user:write:admin"],
);
pub(crate) const UPDATE_STATUS: Need = action(
    "deactivate or activate a user (PUT /v2/users/{userId}/status)",
    "user:update:status:admin",
    &["user:update:status:admin", "user:write:admin", "user:write"],
);
pub(crate) const DELETE_USER: Need = action(
    "remove a user (DELETE /v2/users/{userId})",
    "user:delete:user:admin",
    &["user:delete:user:admin", "user:write:admin"],
);
pub(crate) const UPDATE_USER: Need = action(
    "change a user's license type (PATCH /v2/users/{userId})",
    "user:update:user:admin",
    &["user:update:user:admin", "user:write:admin"],
);
pub(crate) const ASSIGN_ROLE: Need = action(
    "assign a role (POST /v2/roles/{roleId}/members)",
    "role:write:member:admin",
    &["role:write:member:admin", "role:write:admin"],
);
pub(crate) const UNASSIGN_ROLE: Need = action(
    "withdraw a role, back to Member (DELETE /v2/roles/{roleId}/members/{memberId})",
    "role:delete:member:admin",
    &["role:delete:member:admin", "role:write:admin"],
);

/// The scopes an action cannot do without: its write, what finds its argument, and the
/// read that checks the user before and after.
pub(crate) fn action_needs(kind: ActionKind) -> &'static [Need] {
    match kind {
        ActionKind::SuspendUser | ActionKind::RestoreUser => &[UPDATE_STATUS, READ_USER],
        ActionKind::RemoveUser => &[DELETE_USER, READ_USER],
        ActionKind::SetLicense => &[UPDATE_USER, READ_USER],
        ActionKind::SetRoles => &[ASSIGN_ROLE, LIST_ROLES, READ_USER],
    }
}

/// What `check` says about each action, from the token's scopes (`None`: the token named
/// none, which is taken as granting everything).
pub(crate) fn action_checks(actions: &[ActionSpec], granted: Option<&[String]>) -> Vec<AccessCheck> {
    let lacks = |need: &Need| granted.is_some_and(|g| !need.granted_by(g));
    actions
        .iter()
        .map(|spec| {
            let missing: Vec<String> =
                action_needs(spec.kind).iter().filter(|n| lacks(n)).map(|n| n.scope.to_owned()).collect();
            let detail = if !missing.is_empty() {
                Some(format!("the app lacks {}; {}", missing.join(", "), add_scopes(&missing)))
            } else if spec.kind == ActionKind::SetRoles && lacks(&UNASSIGN_ROLE) {
                Some(format!(
                    "setting Member also needs {}; {}",
                    UNASSIGN_ROLE.scope,
                    add_scopes(&[UNASSIGN_ROLE.scope.to_owned()])
                ))
            } else {
                None
            };
            AccessCheck {
                capability: format!("{} ({})", spec.kind, action_needs(spec.kind)[0].capability),
                granted: missing.is_empty(),
                detail,
            }
        })
        .collect()
}

/// The scopes of a token response: one space-separated string (commas tolerated).
pub(crate) fn parse(scope: &str) -> Vec<String> {
    scope.split([' ', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl Need {
    /// Whether `granted` has any scope Zoom accepts for this.
    pub(crate) fn granted_by(&self, granted: &[String]) -> bool {
        self.accepted.iter().any(|a| granted.iter().any(|g| g == a))
    }
}

/// What to do about missing `scopes` (their exact names).
pub(crate) fn add_scopes(scopes: &[String]) -> String {
    let list = scopes.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ");
    format!(
        "in the Zoom App Marketplace, open Manage → this Server-to-Server OAuth app → Scopes, add {list}, \
         save, and make sure the app is activated; the next token carries the new scopes"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_and_granular_scopes_both_count() {
        let granted = parse("user:read:admin role:read:list_roles:admin");
        assert!(LIST_USERS.granted_by(&granted));
        assert!(LIST_ROLES.granted_by(&granted));
        assert!(!PLAN_USAGE.granted_by(&granted));
        assert_eq!(parse(" a, b  c "), ["a", "b", "c"]);
        let text = add_scopes(&["billing:read:plan_usage:admin".to_owned()]);
        assert!(text.contains("\"billing:read:plan_usage:admin\""), "{text}");
    }
}

//! The scopes a sync needs, how a token's `scope` string is compared with them, and the
//! remediations that name them.

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

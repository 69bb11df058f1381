//! Which scopes each endpoint accepts, from each operation's `x-granular-scopes` and
//! `x-macro-scopes` in Zoom's OpenAPI documents (see the connector's API.md).

/// The scopes one endpoint accepts: any one of them is enough.
#[derive(Clone, Copy, Debug)]
pub struct Requirement {
    /// Granular scopes (apps created since 2024); named in 4711 errors.
    pub granular: &'static [&'static str],
    /// Classic ("macro") scopes of older apps.
    pub classic: &'static [&'static str],
}

impl Requirement {
    /// Whether a token with `granted` may call the endpoint.
    pub fn satisfied_by(&self, granted: &[String]) -> bool {
        self.granular.iter().chain(self.classic).any(|s| granted.iter().any(|g| g == s))
    }
}

/// `GET /users`.
pub const LIST_USERS: Requirement = Requirement {
    granular: &["user:read:list_users:admin"],
    classic: &["user:read:admin", "user:write:admin"],
};

/// `GET /roles`.
pub const LIST_ROLES: Requirement = Requirement {
    granular: &["role:read:list_roles:admin", "role:read:list_roles"],
    classic: &["role:read:admin", "role:write:admin"],
};

/// `GET /accounts/{accountId}/plans/usage`.
pub const PLAN_USAGE: Requirement = Requirement {
    granular: &["billing:read:plan_usage:admin", "billing:read:plan_usage:master"],
    classic: &["account:read:admin", "billing:master", "account:master"],
};

/// `GET /users/{userId}`.
pub const READ_USER: Requirement =
    Requirement { granular: &["user:read:user:admin"], classic: &["user:read:admin", "user:write:admin"] };

/// `PUT /users/{userId}/status`.
pub const UPDATE_STATUS: Requirement =
    Requirement { granular: &["user:update:status:admin"], classic: &["user:write:admin", "user:write"] };

/// `DELETE /users/{userId}`.
pub const DELETE_USER: Requirement =
    Requirement { granular: &["user:delete:user:admin"], classic: &["user:write:admin"] };

/// `PATCH /users/{userId}`.
pub const UPDATE_USER: Requirement =
    Requirement { granular: &["user:update:user:admin"], classic: &["user:write:admin"] };

/// `POST /roles/{roleId}/members`.
pub const ASSIGN_ROLE: Requirement =
    Requirement { granular: &["role:write:member:admin"], classic: &["role:write:admin"] };

/// `DELETE /roles/{roleId}/members/{memberId}`.
pub const UNASSIGN_ROLE: Requirement =
    Requirement { granular: &["role:delete:member:admin"], classic: &["role:write:admin"] };

/// What a new account's app is granted by default: the three granular admin scopes a
/// users sync needs.
pub const GRANULAR_SCOPES: [&str; 3] =
    ["user:read:list_users:admin", "role:read:list_roles:admin", "billing:read:plan_usage:admin"];

/// Also granted by default: reading one user and the writes of Roster's actions.
pub const ACTION_SCOPES: [&str; 6] = [
    "user:read:user:admin",
    "user:update:status:admin",
    "user:delete:user:admin",
    "user:update:user:admin",
    "role:write:member:admin",
    "role:delete:member:admin",
];

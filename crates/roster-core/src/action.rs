//! Actions: what a connector can change at its vendor (take access away, change roles or
//! licences), declared like its credentials, and carried out by the engine in three steps:
//! read the user, plan (before → after, or nothing to do), and only when applying, write
//! then read again to verify.
//!
//! A connector declares `ACTIONS`, implements [`crate::Planner`] and returns itself from
//! [`crate::Connector::planner`]. Planning sends
//! no write; the engine decides whether to apply (allow-lists, dry runs, caps, audit).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{RoleAssignment, User, UserStatus};

/// The actions Roster knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Take every access away: the user is no longer in the app.
    RemoveUser,
    /// Keep the user but block their access.
    SuspendUser,
    /// Give a suspended user their access back.
    RestoreUser,
    /// Set the user's role in each named scope.
    SetRoles,
    /// Set the user's licence.
    SetLicense,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] = [
        ActionKind::RemoveUser,
        ActionKind::SuspendUser,
        ActionKind::RestoreUser,
        ActionKind::SetRoles,
        ActionKind::SetLicense,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::RemoveUser => "remove_user",
            ActionKind::SuspendUser => "suspend_user",
            ActionKind::RestoreUser => "restore_user",
            ActionKind::SetRoles => "set_roles",
            ActionKind::SetLicense => "set_license",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl std::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One action a connector supports: a `const` of `&'static str`s and a schema fn, like
/// the connector's descriptor.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    pub kind: ActionKind,
    /// What it does at this vendor, in a sentence ("DELETE /api/members/:id: removes ...").
    pub summary: &'static str,
    /// The JSON Schema of its arguments (`--set KEY=VALUE`): a form, like credentials.
    /// Values are strings.
    pub arguments: fn() -> Value,
    /// The vendor permission it needs, named as the vendor names it.
    pub permission: &'static str,
    /// Whether another action can undo it (a suspension can be restored; a removal cannot).
    pub reversible: bool,
}

impl ActionSpec {
    /// An action without arguments.
    pub fn no_arguments() -> Value {
        serde_json::json!({"type": "object", "properties": {}, "additionalProperties": false})
    }
}

/// The part of a user an action changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub status: UserStatus,
    /// Sorted by scope, then name.
    pub roles: Vec<RoleAssignment>,
    /// Sorted.
    pub license_types: Vec<String>,
}

impl Access {
    /// A user's access, with its lists sorted so that two reads compare equal.
    pub fn of(user: &User) -> Self {
        let mut roles = user.roles.clone();
        roles.sort();
        let mut license_types = user.license_types.clone();
        license_types.sort();
        Access { status: user.status, roles, license_types }
    }

    /// One line: `active; roles dev:Analyst, prod:Admin; licenses Workato`.
    pub fn describe(access: Option<&Access>) -> String {
        let Some(a) = access else {
            return "no access (not in the app)".to_owned();
        };
        let roles: Vec<String> = a.roles.iter().map(|r| format!("{}:{}", r.scope, r.name)).collect();
        let roles = if roles.is_empty() { "none".to_owned() } else { roles.join(", ") };
        let licenses =
            if a.license_types.is_empty() { "none".to_owned() } else { a.license_types.join(", ") };
        format!("{}; roles {roles}; licenses {licenses}", a.status.as_str())
    }
}

/// What an action would do to one user: their access before and after (`None`: not in
/// the app), and the requests it would send, for people to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub before: Option<Access>,
    pub after: Option<Access>,
    /// `DELETE /api/members/1005`, one per write, in order.
    pub writes: Vec<String>,
}

impl ActionPlan {
    /// The user is already in the target state: nothing to send.
    pub fn already(user: &User) -> Self {
        let access = Access::of(user);
        ActionPlan { before: Some(access.clone()), after: Some(access), writes: Vec::new() }
    }

    pub fn is_noop(&self) -> bool {
        self.writes.is_empty() || self.before == self.after
    }
}

/// An action's arguments: `--set KEY=VALUE` pairs, as a JSON object of strings.
pub type ActionArgs = Map<String, Value>;

/// The argument `key` as text.
pub fn arg<'a>(args: &'a ActionArgs, key: &str) -> Option<&'a str> {
    args.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_access_compares_sorted() {
        for a in ActionKind::ALL {
            assert_eq!(ActionKind::parse(a.as_str()), Some(a));
        }
        assert_eq!(ActionKind::parse("delete_everything"), None);
        let mut u = User::new("1", UserStatus::Active);
        u.roles = vec![RoleAssignment::new("prod", "Admin"), RoleAssignment::new("dev", "Analyst")];
        let mut v = u.clone();
        v.roles.reverse();
        assert_eq!(Access::of(&u), Access::of(&v));
        assert_eq!(
            Access::describe(Some(&Access::of(&u))),
            "active; roles dev:Analyst, prod:Admin; licenses none"
        );
        assert!(ActionPlan::already(&u).is_noop());
    }
}

/// A plan and the vendor requests it stands for (`W`: the connector's own request type,
/// which says how to print itself with [`Write::line`]).
#[derive(Debug)]
pub struct Planned<W> {
    pub plan: ActionPlan,
    pub writes: Vec<W>,
}

/// One vendor request of a plan.
pub trait Write {
    /// What people read in the plan: `DELETE /api/members/1005`.
    fn line(&self) -> String;
}

impl<W: Write> Planned<W> {
    /// `before` changes to `after` through `writes`.
    pub fn new(before: &User, after: Option<Access>, writes: Vec<W>) -> Self {
        let lines = writes.iter().map(Write::line).collect();
        Planned { plan: ActionPlan { before: Some(Access::of(before)), after, writes: lines }, writes }
    }

    /// Nothing to do: the user is in the target state already.
    pub fn already(user: &User) -> Self {
        Planned { plan: ActionPlan::already(user), writes: Vec::new() }
    }

    /// Sends exactly the writes `shown` (the plan the engine showed and verifies), planned
    /// again now: refused, with nothing sent, when the user changed in between.
    pub async fn send_as_shown<F, Fut>(
        self,
        shown: &ActionPlan,
        mut send: F,
    ) -> Result<(), crate::ConnectorError>
    where
        F: FnMut(W) -> Fut,
        Fut: std::future::Future<Output = Result<(), crate::ConnectorError>>,
    {
        if self.plan.writes != shown.writes {
            let (now, was) = (self.plan.writes.join("; "), shown.writes.join("; "));
            return Err(crate::ConnectorError::invalid_argument(format!(
                "the user changed since the plan was made: it would now send [{now}] instead of [{was}]"
            ))
            .with_remediation("run the action again without --apply to see the new plan"));
        }
        for write in self.writes {
            send(write).await?;
        }
        Ok(())
    }
}

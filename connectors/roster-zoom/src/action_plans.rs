//! The plans of Zoom's actions, and the requests they stand for. Planning is pure;
//! `user_api::send` sends what it plans.

use roster_core::action::arg;
use roster_core::{Access, ActionArgs, ActionKind, ConnectorError, RoleAssignment, User, UserStatus};
use roster_http::Method;
use serde_json::{Value, json};

use crate::license;
use crate::scopes::{ASSIGN_ROLE, DELETE_USER, Need, UNASSIGN_ROLE, UPDATE_STATUS, UPDATE_USER};

/// A role of the account, from `GET /v2/roles`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Role {
    pub id: String,
    pub name: String,
}

const OWNER_ROLE: &str = "0";
const MEMBER_ROLE: &str = "2";

/// One request an action sends.
#[derive(Debug, Clone)]
pub struct Write {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Value>,
    /// The scope it needs.
    pub(crate) need: &'static Need,
    /// What people read in the plan: `PUT /v2/users/abc/status action=deactivate`.
    pub(crate) line: String,
}

impl roster_core::Write for Write {
    fn line(&self) -> String {
        self.line.clone()
    }
}

/// A plan and the requests it stands for.
pub(crate) type Planned = roster_core::Planned<Write>;

/// How Zoom is asked about a user: a pending one (`pending:<email>` in Roster) by email.
pub(crate) fn user_key(id: &str) -> (&str, bool) {
    match id.strip_prefix("pending:") {
        Some(email) => (email, true),
        None => (id, false),
    }
}

/// `/v2/users/<key>`, the key encoded as one path segment.
pub(crate) fn user_path(key: &str) -> String {
    let segment: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    format!("/v2/users/{}", segment.replace('+', "%20").replace("%40", "@"))
}

fn role_id(user: &User) -> Option<&str> {
    user.attributes.get("role_id").and_then(Value::as_str)
}

fn refuse(message: String) -> ConnectorError {
    ConnectorError::invalid_argument(message)
}

fn no_arguments(action: ActionKind, args: &ActionArgs, known: &[&str]) -> Result<(), ConnectorError> {
    match args.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) if known.is_empty() => {
            Err(refuse(format!("{action} takes no arguments, but `{key}` was given")))
        }
        Some(key) => {
            Err(refuse(format!("{action}: unknown argument `{key}`; it takes {}", known.join(", "))))
        }
        None => Ok(()),
    }
}

/// Refuses pending users (nothing to change but the invitation) and the account owner.
fn changeable(action: ActionKind, user: &User) -> Result<(), ConnectorError> {
    if user.status == UserStatus::Invited {
        return Err(refuse(format!(
            "{} has only been invited, so {action} has nothing to change; remove_user withdraws the invitation",
            user.email.as_deref().unwrap_or(&user.id)
        )));
    }
    if role_id(user) == Some(OWNER_ROLE) {
        return Err(refuse(format!("user {} is the account owner, whom {action} cannot change", user.id)));
    }
    Ok(())
}

/// `suspend_user` and `restore_user`.
pub(crate) fn plan_status(
    action: ActionKind,
    user: &User,
    args: &ActionArgs,
) -> Result<Planned, ConnectorError> {
    no_arguments(action, args, &[])?;
    changeable(action, user)?;
    let (target, verb) = if action == ActionKind::SuspendUser {
        (UserStatus::Suspended, "deactivate")
    } else {
        (UserStatus::Active, "activate")
    };
    if user.status == target {
        return Ok(Planned::already(user));
    }
    let mut after = Access::of(user);
    after.status = target;
    let path = format!("{}/status", user_path(&user.id));
    let line = format!("PUT {path} action={verb}");
    let write = Write {
        method: Method::PUT,
        path,
        query: Vec::new(),
        body: Some(json!({"action": verb})),
        need: &UPDATE_STATUS,
        line,
    };
    Ok(Planned::new(user, Some(after), vec![write]))
}

/// `remove_user`: disassociate (the default, and the only way for an invitation) or delete.
pub(crate) fn plan_remove(user: &User, args: &ActionArgs) -> Result<Planned, ConnectorError> {
    no_arguments(ActionKind::RemoveUser, args, &["mode"])?;
    let mode = match arg(args, "mode").map(str::trim) {
        None | Some("disassociate") => "disassociate",
        Some("delete") => "delete",
        Some(other) => {
            return Err(refuse(format!("remove_user: mode must be disassociate or delete, not `{other}`")));
        }
    };
    let (key, pending) = user_key(&user.id);
    if pending && mode == "delete" {
        return Err(refuse(format!(
            "{key} has only been invited: zoom withdraws an invitation with mode=disassociate"
        )));
    }
    if role_id(user) == Some(OWNER_ROLE) {
        return Err(refuse(format!("user {} is the account owner, who cannot be removed", user.id)));
    }
    let path = user_path(key);
    let line = format!("DELETE {path}?action={mode}");
    let write = Write {
        method: Method::DELETE,
        path,
        query: vec![("action", mode.to_owned())],
        body: None,
        need: &DELETE_USER,
        line,
    };
    Ok(Planned::new(user, None, vec![write]))
}

/// `set_license`: Basic (type 1) or Licensed (type 2).
pub(crate) fn plan_license(user: &User, args: &ActionArgs) -> Result<Planned, ConnectorError> {
    no_arguments(ActionKind::SetLicense, args, &["license"])?;
    let wanted = arg(args, "license").map(str::trim).unwrap_or_default();
    let Some(kind) = [1, 2].into_iter().find(|t| license::name(*t).eq_ignore_ascii_case(wanted)) else {
        return Err(refuse(format!("set_license: license must be Basic or Licensed, not `{wanted}`")));
    };
    changeable(ActionKind::SetLicense, user)?;
    let name = license::name(kind);
    if user.license_types == [name.clone()] {
        return Ok(Planned::already(user));
    }
    let mut after = Access::of(user);
    after.license_types = vec![name.clone()];
    let path = user_path(&user.id);
    let line = format!("PATCH {path} type={kind} ({name})");
    let write = Write {
        method: Method::PATCH,
        path,
        query: Vec::new(),
        body: Some(json!({"type": kind})),
        need: &UPDATE_USER,
        line,
    };
    Ok(Planned::new(user, Some(after), vec![write]))
}

/// `set_roles account=NAME`: the role is found by name (any case) among `roles`.
pub(crate) fn plan_role(user: &User, args: &ActionArgs, roles: &[Role]) -> Result<Planned, ConnectorError> {
    no_arguments(ActionKind::SetRoles, args, &["account"])?;
    let wanted = arg(args, "account").map(str::trim).unwrap_or_default();
    let Some(role) = roles.iter().find(|r| r.name.eq_ignore_ascii_case(wanted)) else {
        let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
        return Err(refuse(format!(
            "zoom has no account role named `{wanted}`; its roles are {}",
            names.join(", ")
        )));
    };
    if role.id == OWNER_ROLE {
        return Err(refuse(
            "zoom does not let anyone be added to the Owner role; ownership is transferred in zoom itself"
                .into(),
        ));
    }
    changeable(ActionKind::SetRoles, user)?;
    let current = role_id(user);
    if current == Some(role.id.as_str()) {
        return Ok(Planned::already(user));
    }
    let mut after = Access::of(user);
    after.roles = vec![RoleAssignment::new(RoleAssignment::ACCOUNT, role.name.clone())];
    let write = if role.id == MEMBER_ROLE {
        let Some(current) = current else {
            return Err(refuse(format!("user {} has no role to withdraw", user.id)));
        };
        let path = format!("/v2/roles/{current}/members/{}", user.id);
        let line = format!("DELETE {path} (back to {})", role.name);
        Write { method: Method::DELETE, path, query: Vec::new(), body: None, need: &UNASSIGN_ROLE, line }
    } else {
        let path = format!("/v2/roles/{}/members", role.id);
        let line = format!("POST {path} id={} ({})", user.id, role.name);
        let body = Some(json!({"members": [{"id": user.id}]}));
        Write { method: Method::POST, path, query: Vec::new(), body, need: &ASSIGN_ROLE, line }
    };
    Ok(Planned::new(user, Some(after), vec![write]))
}

#[cfg(test)]
mod tests {
    use roster_core::ErrorKind;
    use serde_json::Map;

    use super::*;

    fn user(status: UserStatus, role: (&str, &str), license: &str) -> User {
        let mut u = User::new("u1", status);
        u.roles = vec![RoleAssignment::new(RoleAssignment::ACCOUNT, role.1)];
        u.license_types = vec![license.to_owned()];
        u.attributes.insert("role_id".into(), json!(role.0));
        u
    }

    fn args(pairs: &[(&str, &str)]) -> ActionArgs {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect::<Map<_, _>>()
    }

    fn roles() -> Vec<Role> {
        [("0", "Owner"), ("1", "Admin"), ("2", "Member"), ("Rq", "Billing Admin")]
            .map(|(id, name)| Role { id: id.into(), name: name.into() })
            .to_vec()
    }

    #[test]
    fn status_plans_and_refusals() {
        let member = user(UserStatus::Active, ("2", "Member"), "Licensed");
        let p = plan_status(ActionKind::SuspendUser, &member, &args(&[])).unwrap();
        assert_eq!(p.plan.writes, ["PUT /v2/users/u1/status action=deactivate"]);
        assert_eq!(p.plan.after.map(|a| a.status), Some(UserStatus::Suspended));
        assert!(plan_status(ActionKind::RestoreUser, &member, &args(&[])).unwrap().plan.is_noop());
        let owner = user(UserStatus::Active, ("0", "Owner"), "Licensed");
        assert_eq!(
            plan_status(ActionKind::SuspendUser, &owner, &args(&[])).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let mut invited = member.clone();
        invited.id = "pending:a@b.io".into();
        invited.status = UserStatus::Invited;
        assert!(plan_status(ActionKind::SuspendUser, &invited, &args(&[])).is_err());
        assert!(plan_status(ActionKind::SuspendUser, &member, &args(&[("x", "1")])).is_err());
    }

    #[test]
    fn remove_license_and_role_plans() {
        let member = user(UserStatus::Active, ("2", "Member"), "Basic");
        assert_eq!(
            plan_remove(&member, &args(&[])).unwrap().plan.writes,
            ["DELETE /v2/users/u1?action=disassociate"]
        );
        assert_eq!(
            plan_remove(&member, &args(&[("mode", "delete")])).unwrap().writes[0].query,
            [("action", "delete".to_owned())]
        );
        assert!(plan_remove(&member, &args(&[("mode", "erase")])).is_err());
        let mut invited = member.clone();
        invited.id = "pending:New@x.io".into();
        assert_eq!(plan_remove(&invited, &args(&[])).unwrap().writes[0].path, "/v2/users/New@x.io");
        assert!(plan_remove(&invited, &args(&[("mode", "delete")])).is_err());

        let p = plan_license(&member, &args(&[("license", "licensed")])).unwrap();
        assert_eq!(p.plan.writes, ["PATCH /v2/users/u1 type=2 (Licensed)"]);
        assert!(plan_license(&member, &args(&[("license", "Basic")])).unwrap().plan.is_noop());
        assert!(
            plan_license(&member, &args(&[("license", "Pro")]))
                .unwrap_err()
                .message()
                .contains("Basic or Licensed")
        );

        let p = plan_role(&member, &args(&[("account", "billing admin")]), &roles()).unwrap();
        assert_eq!(p.plan.writes, ["POST /v2/roles/Rq/members id=u1 (Billing Admin)"]);
        let admin = user(UserStatus::Active, ("1", "Admin"), "Basic");
        let p = plan_role(&admin, &args(&[("account", "Member")]), &roles()).unwrap();
        assert_eq!(p.plan.writes, ["DELETE /v2/roles/1/members/u1 (back to Member)"]);
        assert!(plan_role(&admin, &args(&[("account", "Admin")]), &roles()).unwrap().plan.is_noop());
        let e = plan_role(&admin, &args(&[("account", "Wizard")]), &roles()).unwrap_err();
        assert!(e.message().contains("Owner, Admin, Member, Billing Admin"), "{e}");
        assert!(plan_role(&admin, &args(&[("account", "Owner")]), &roles()).is_err());
    }
}

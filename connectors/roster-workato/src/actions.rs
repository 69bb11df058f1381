//! The actions Workato supports, and their plans: remove a collaborator
//! (`DELETE /api/members/:id`), and set their role per environment
//! (`PUT /api/members/:id` with `env_roles`). Planning is pure: the requests it stands
//! for are sent by `collaborator::send`.

use roster_core::{Access, ActionArgs, ActionKind, ActionSpec, ConnectorError, RoleAssignment, User};
use roster_http::Method;
use serde_json::{Value, json};

use crate::members::{NO_ACCESS, is_no_access};
use crate::permissions::{DELETE_COLLABORATORS, UPDATE_ROLES};

/// Workato's actions.
pub(crate) const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        kind: ActionKind::RemoveUser,
        summary: "DELETE /api/members/:id: removes the collaborator from the workspace (a hard delete; Workato has no suspension)",
        arguments: ActionSpec::no_arguments,
        permission: "Workspace collaborators → Delete collaborators (early access), and Get collaborator to read and verify",
        reversible: false,
    },
    ActionSpec {
        kind: ActionKind::SetRoles,
        summary: "PUT /api/members/:id with env_roles: sets the collaborator's role in each environment named; NoAccess takes that environment away",
        arguments: set_roles_arguments,
        permission: "Workspace collaborators → Update collaborator's roles, and Get collaborator to read and verify",
        reversible: true,
    },
];

/// The environments `set_roles` names, in the order they are written.
pub(crate) const ENVIRONMENTS: [&str; 3] = ["dev", "test", "prod"];

/// The legacy system role of the workspace owner, who cannot be removed [INFERRED].
const OWNER_ROLE: &str = "Team Owner";

fn set_roles_arguments() -> Value {
    let env = |title: &str, which: &str| {
        json!({
            "type": "string",
            "minLength": 1,
            "title": title,
            "description": format!(
                "The collaborator's role in the {which} environment, as Workato names it (Analyst, Environment admin, Member, a custom role); NoAccess takes the environment away"
            ),
        })
    };
    json!({
        "type": "object",
        "properties": {
            "dev": env("Development role", "DEV"),
            "test": env("Test role", "TEST"),
            "prod": env("Production role", "PROD"),
        },
        "minProperties": 1,
        "additionalProperties": false,
    })
}

/// How the workspace writes roles: legacy privilege groups (`role_type` left out, so it
/// defaults to `privilege_group`), or RBAC v2 environment roles (`role_type: environment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleModel {
    Legacy,
    Environment,
}

/// One request an action sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
    /// The client-role privilege it needs.
    pub privilege: &'static str,
    /// What people read in the plan: `PUT /api/members/1005 env_roles dev=Analyst`.
    pub line: String,
}

impl roster_core::Write for Write {
    fn line(&self) -> String {
        self.line.clone()
    }
}

/// A plan and the requests it stands for.
pub(crate) type Planned = roster_core::Planned<Write>;

/// The path of one collaborator, its id encoded as one path segment.
pub(crate) fn member_path(id: &str) -> String {
    let segment: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("/api/members/{}", segment.replace('+', "%20"))
}

/// `remove_user`: one DELETE; the workspace owner is refused.
pub(crate) fn plan_remove(user: &User, args: &ActionArgs) -> Result<Planned, ConnectorError> {
    if let Some(key) = args.keys().next() {
        return Err(ConnectorError::invalid_argument(format!(
            "remove_user takes no arguments, but `{key}` was given"
        )));
    }
    if user.roles.iter().any(|r| r.name.eq_ignore_ascii_case(OWNER_ROLE)) {
        return Err(ConnectorError::invalid_argument(format!(
            "collaborator {} is the workspace owner ({OWNER_ROLE}), who cannot be removed",
            user.id
        ))
        .with_remediation("transfer the workspace's ownership in Workato first"));
    }
    let path = member_path(&user.id);
    let line = format!("DELETE {path}");
    let write = Write { method: Method::DELETE, path, body: None, privilege: DELETE_COLLABORATORS, line };
    Ok(Planned::new(user, None, vec![write]))
}

/// The roles `set_roles` asks for, per environment in [`ENVIRONMENTS`] order; `NoAccess`
/// in any case is written `NoAccess`.
pub(crate) fn requested_roles(args: &ActionArgs) -> Result<Vec<(&'static str, String)>, ConnectorError> {
    if let Some(key) = args.keys().find(|k| !ENVIRONMENTS.contains(&k.as_str())) {
        return Err(ConnectorError::invalid_argument(format!(
            "set_roles: unknown environment `{key}`; workato's environments are dev, test and prod"
        )));
    }
    let mut roles = Vec::new();
    for env in ENVIRONMENTS {
        let Some(value) = args.get(env) else { continue };
        let role = value.as_str().map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| {
            ConnectorError::invalid_argument(format!(
                "set_roles: `{env}` must name a role (or NoAccess), got {value}"
            ))
        })?;
        roles.push((env, if is_no_access(role) { NO_ACCESS.to_owned() } else { role.to_owned() }));
    }
    if roles.is_empty() {
        return Err(ConnectorError::invalid_argument(
            "set_roles needs at least one of dev, test or prod (for example --set prod=NoAccess)",
        ));
    }
    Ok(roles)
}

/// The user's access once `requested` is applied; a role already held (in any case)
/// keeps Workato's spelling.
pub(crate) fn roles_after(user: &User, requested: &[(&'static str, String)]) -> Access {
    let mut after = Access::of(user);
    for (env, role) in requested {
        let held = after.roles.iter().find(|r| r.scope == *env && r.name.eq_ignore_ascii_case(role)).cloned();
        after.roles.retain(|r| r.scope != *env);
        match held {
            Some(same) => after.roles.push(same),
            None if role == NO_ACCESS => {}
            None => after.roles.push(RoleAssignment::new(*env, role.clone())),
        }
    }
    after.roles.sort();
    after
}

/// `set_roles`: one PUT naming every environment asked for, or nothing when the
/// collaborator already holds those roles. `model` is asked for only when a write is due.
pub(crate) async fn plan_set_roles<F, Fut>(
    user: &User,
    args: &ActionArgs,
    model: F,
) -> Result<Planned, ConnectorError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<RoleModel, ConnectorError>>,
{
    let requested = requested_roles(args)?;
    let after = roles_after(user, &requested);
    if after == Access::of(user) {
        return Ok(Planned::already(user));
    }
    let model = model().await?;
    let env_roles: Vec<Value> = requested
        .iter()
        .map(|(env, role)| match model {
            RoleModel::Environment if role != NO_ACCESS => {
                json!({"environment_type": env, "name": role, "role_type": "environment"})
            }
            _ => json!({"environment_type": env, "name": role}),
        })
        .collect();
    let path = member_path(&user.id);
    let named: Vec<String> = requested.iter().map(|(env, role)| format!("{env}={role}")).collect();
    let suffix = if model == RoleModel::Environment { " (role_type environment)" } else { "" };
    let line = format!("PUT {path} env_roles {}{suffix}", named.join(", "));
    let body = Some(json!({ "env_roles": env_roles }));
    let write = Write { method: Method::PUT, path, body, privilege: UPDATE_ROLES, line };
    Ok(Planned::new(user, Some(after), vec![write]))
}

#[cfg(test)]
mod tests {
    use roster_core::UserStatus;
    use serde_json::Map;

    use super::*;

    fn user(roles: &[(&str, &str)]) -> User {
        let mut u = User::new("1005", UserStatus::Active);
        u.roles = roles.iter().map(|(s, n)| RoleAssignment::new(*s, *n)).collect();
        u.license_types = vec!["Workato".into()];
        u
    }

    fn args(pairs: &[(&str, &str)]) -> ActionArgs {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect::<Map<_, _>>()
    }

    #[test]
    fn requested_roles_are_checked_and_ordered() {
        let r = requested_roles(&args(&[("prod", "noaccess"), ("dev", " Analyst ")])).unwrap();
        assert_eq!(r, vec![("dev", "Analyst".to_owned()), ("prod", "NoAccess".to_owned())]);
        for bad in [args(&[]), args(&[("staging", "Admin")]), args(&[("dev", " ")])] {
            let e = requested_roles(&bad).unwrap_err();
            assert_eq!(e.kind(), roster_core::ErrorKind::InvalidArgument, "{e}");
        }
    }

    #[test]
    fn after_replaces_only_the_named_environments() {
        let u = user(&[("dev", "Admin"), ("prod", "Operator"), ("test", "Analyst")]);
        let after = roles_after(&u, &[("dev", "analyst".into()), ("prod", "NoAccess".into())]);
        let names: Vec<String> = after.roles.iter().map(|r| format!("{}:{}", r.scope, r.name)).collect();
        assert_eq!(names, ["dev:analyst", "test:Analyst"]);
        let same = roles_after(&u, &[("test", "ANALYST".into())]);
        assert_eq!(same, Access::of(&u), "a role held in another case is no change");
    }

    #[test]
    fn paths_encode_the_id_as_one_segment() {
        assert_eq!(member_path("1005"), "/api/members/1005");
        assert_eq!(member_path("a b/c"), "/api/members/a%20b%2Fc");
    }

    #[test]
    fn the_owner_is_not_removed() {
        let e = plan_remove(&user(&[("dev", "Team Owner")]), &args(&[])).unwrap_err();
        assert!(e.message().contains("owner"), "{e}");
        let p = plan_remove(&user(&[("dev", "Admin")]), &args(&[])).unwrap();
        assert_eq!(p.plan.writes, ["DELETE /api/members/1005"]);
        assert_eq!(p.plan.after, None);
    }
}

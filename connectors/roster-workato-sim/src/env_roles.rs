//! `PUT /api/members/:id`'s `env_roles`: checked against the workspace's role model, then
//! applied to the collaborator. Only the environments named change.

use serde_json::{Map, Value, json};

use crate::pools::{ENV_ROLES, LEGACY_ROLES};
use crate::spec::{RoleModel, WriteSettings};

/// Workato's name for "no access to this environment".
pub(crate) const NO_ACCESS: &str = "NoAccess";
const ENVIRONMENTS: [&str; 3] = ["dev", "test", "prod"];

/// One environment's new role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvRole {
    pub env: String,
    pub name: String,
}

/// The roles a PUT body asks for; `Err` is the message of a 400. Legacy workspaces take
/// privilege groups (`role_type` absent or `privilege_group`); RBAC v2 ones take
/// environment roles with `role_type: environment` and refuse `role_name`.
pub(crate) fn parse(body: &Value, model: RoleModel, writes: &WriteSettings) -> Result<Vec<EnvRole>, String> {
    let rbac = model == RoleModel::RbacV2;
    if rbac && body.get("role_name").is_some() {
        return Err("role_name is no longer supported: use env_roles with role_type environment".into());
    }
    let list = body.get("env_roles").and_then(Value::as_array).filter(|l| !l.is_empty());
    let list = list.ok_or("env_roles is required")?;
    let mut out: Vec<EnvRole> = Vec::with_capacity(list.len());
    for entry in list {
        let text = |k: &str| entry.get(k).and_then(Value::as_str);
        let env = text("environment_type").unwrap_or_default();
        if !ENVIRONMENTS.contains(&env) {
            return Err(format!("Environment {env} not found"));
        }
        let name = text("name").filter(|n| !n.is_empty()).ok_or("env_roles name is required")?;
        if out.iter().any(|r| r.env == env) {
            return Err("Only one role per environment is allowed".into());
        }
        if name == NO_ACCESS {
            if env == "dev" && writes.no_access_on_dev_refused {
                return Err("NoAccess cannot be set for the DEV environment".into());
            }
        } else {
            match (rbac, text("role_type")) {
                (true, Some("environment")) | (false, None | Some("privilege_group")) => {}
                (true, other) => {
                    return Err(format!(
                        "role_type {} is not supported: use role_type environment",
                        other.unwrap_or("privilege_group")
                    ));
                }
                (false, Some(other)) => {
                    return Err(format!("Role type {other} is not available in this workspace"));
                }
            }
            let known: &[(&str, u64)] = if rbac { &ENV_ROLES } else { &LEGACY_ROLES };
            if !known.iter().any(|(n, _)| *n == name) {
                return Err(format!("Role {name} not found"));
            }
        }
        out.push(EnvRole { env: env.to_owned(), name: name.to_owned() });
    }
    Ok(out)
}

/// Applies `roles` to a collaborator. A flat `role_name` becomes the DEV entry first.
pub(crate) fn apply(member: &mut Value, roles: &[EnvRole], model: RoleModel, writes: &WriteSettings) {
    let Some(obj) = member.as_object_mut() else { return };
    let mut list = match obj.remove("roles") {
        Some(Value::Array(list)) => list,
        _ => obj
            .remove("role_name")
            .and_then(|n| n.as_str().map(|n| vec![json!({"environment_type": "dev", "role_name": n})]))
            .unwrap_or_default(),
    };
    let role_type = if model == RoleModel::RbacV2 { "environment" } else { "privilege_group" };
    for role in roles {
        list.retain(|r| r["environment_type"] != role.env.as_str());
        if role.name != NO_ACCESS || writes.no_access_keeps_entry {
            let mut entry = Map::new();
            entry.insert("environment_type".into(), json!(role.env));
            entry.insert("role_name".into(), json!(role.name));
            if role.name != NO_ACCESS {
                entry.insert("role_type".into(), json!(role_type));
            }
            list.push(Value::Object(entry));
        }
    }
    let order = |r: &Value| ENVIRONMENTS.iter().position(|e| r["environment_type"] == *e);
    list.sort_by_key(order);
    obj.insert("roles".into(), Value::Array(list));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(entries: Value) -> Value {
        json!({ "env_roles": entries })
    }

    #[test]
    fn legacy_and_rbac_v2_bodies() {
        let w = WriteSettings::default();
        let legacy = body(json!([{"environment_type": "prod", "name": "Analyst"}]));
        assert!(parse(&legacy, RoleModel::Legacy, &w).is_ok());
        assert_eq!(
            parse(&legacy, RoleModel::RbacV2, &w).unwrap_err(),
            "role_type privilege_group is not supported: use role_type environment"
        );
        let env = body(json!([{"environment_type": "dev", "name": "Member", "role_type": "environment"}]));
        assert!(parse(&env, RoleModel::RbacV2, &w).is_ok());
        assert_eq!(
            parse(&env, RoleModel::Legacy, &w).unwrap_err(),
            "Role type environment is not available in this workspace"
        );
        let no = body(json!([{"environment_type": "dev", "name": "NoAccess"}]));
        assert!(parse(&no, RoleModel::RbacV2, &w).is_ok());
        let refuse = WriteSettings { no_access_on_dev_refused: true, ..w.clone() };
        assert!(parse(&no, RoleModel::RbacV2, &refuse).is_err());
        for (bad, says) in [
            (json!({}), "env_roles is required"),
            (body(json!([])), "env_roles is required"),
            (body(json!([{"environment_type": "stage", "name": "Admin"}])), "Environment stage not found"),
            (body(json!([{"environment_type": "dev", "name": "Wizard"}])), "Role Wizard not found"),
            (
                body(
                    json!([{"environment_type": "dev", "name": "Admin"}, {"environment_type": "dev", "name": "Operator"}]),
                ),
                "Only one role per environment is allowed",
            ),
            (json!({"role_name": "Admin", "env_roles": []}), "env_roles is required"),
        ] {
            assert_eq!(parse(&bad, RoleModel::Legacy, &w).unwrap_err(), says, "{bad}");
        }
        assert!(
            parse(&json!({"role_name": "Admin"}), RoleModel::RbacV2, &w).unwrap_err().contains("role_name")
        );
    }

    #[test]
    fn only_named_environments_change() {
        let mut m = json!({"id": 1, "role_name": "Admin"});
        let roles = [EnvRole { env: "prod".into(), name: "Operator".into() }];
        apply(&mut m, &roles, RoleModel::Legacy, &WriteSettings::default());
        assert_eq!(
            m["roles"],
            json!([
                {"environment_type": "dev", "role_name": "Admin"},
                {"environment_type": "prod", "role_name": "Operator", "role_type": "privilege_group"}
            ])
        );
        let gone = [EnvRole { env: "dev".into(), name: NO_ACCESS.into() }];
        let mut kept = m.clone();
        apply(&mut m, &gone, RoleModel::Legacy, &WriteSettings::default());
        assert_eq!(m["roles"].as_array().map(Vec::len), Some(1));
        apply(
            &mut kept,
            &gone,
            RoleModel::Legacy,
            &WriteSettings { no_access_keeps_entry: true, ..Default::default() },
        );
        assert_eq!(kept["roles"][0], json!({"environment_type": "dev", "role_name": "NoAccess"}));
    }
}

//! `GET /api/members/:id/privileges`: each of a member's roles with that role's privileges.

use serde_json::{Map, Value, json};

const ALL: &[&str] = &["read", "create", "update", "delete"];
const RECIPE_ALL: &[&str] = &["read", "create", "update", "delete", "run", "read_run_history"];

/// Privilege groups of a role name (system roles of both models; custom roles get a read-only set).
fn privileges_of(role: &str) -> Vec<(&'static str, &'static [&'static str])> {
    match role {
        "Admin" | "Team Owner" | "Environment admin" => vec![
            ("Recipes", RECIPE_ALL),
            ("Folders", ALL),
            ("Projects", ALL),
            ("Connections", ALL),
            ("Lookup tables", &["read", "create", "update", "delete", "update_records", "update_schema"]),
            ("Collaborators", ALL),
            ("Activity audit", &["read"]),
            ("Developer API", &["all"]),
        ],
        "Analyst" | "Environment manager" => vec![
            ("Recipes", &["read", "create", "update", "run", "read_run_history"]),
            ("Folders", &["read", "create", "update"]),
            ("Connections", &["read", "create", "update"]),
            ("Lookup tables", &["read", "update_records"]),
        ],
        "Operator" => vec![
            ("Recipes", &["read", "run", "read_run_history"]),
            ("Folders", &["read"]),
            ("Connections", &["read"]),
        ],
        _ => vec![("Recipes", &["read", "read_run_history"]), ("Folders", &["read"])],
    }
}

/// The `(environment_type, role_name)` pairs of a member, in either shape.
fn member_roles(member: &Value) -> Vec<(String, String)> {
    if let Some(roles) = member.get("roles").and_then(Value::as_array) {
        return roles
            .iter()
            .filter_map(|r| {
                let env = r.get("environment_type")?.as_str()?;
                let name = r.get("role_name")?.as_str()?;
                Some((env.to_owned(), name.to_owned()))
            })
            .collect();
    }
    member
        .get("role_name")
        .and_then(Value::as_str)
        .map(|name| vec![("dev".to_owned(), name.to_owned())])
        .unwrap_or_default()
}

/// The privileges response for a member.
pub(crate) fn privileges_json(member: &Value, root_folder_id: u64) -> Value {
    let data: Vec<Value> = member_roles(member)
        .into_iter()
        .map(|(env, name)| {
            let mut groups = Map::new();
            for (group, actions) in privileges_of(&name) {
                groups.insert(group.to_owned(), json!(actions));
            }
            let folder_ids = if matches!(name.as_str(), "Admin" | "Environment admin") {
                json!([root_folder_id])
            } else {
                json!([root_folder_id + 1, root_folder_id + 2])
            };
            json!({
                "environment_type": env,
                "name": name,
                "privileges": groups,
                "folder_ids": folder_ids,
            })
        })
        .collect();
    let total = data.len();
    json!({ "data": data, "total": total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes() {
        let nested = json!({"roles":[{"environment_type":"dev","role_name":"Admin"},{"environment_type":"prod","role_name":"Operator"}]});
        let p = privileges_json(&nested, 10);
        assert_eq!(p["total"], 2);
        assert_eq!(p["data"][1]["privileges"]["Recipes"], json!(["read", "run", "read_run_history"]));
        let flat = json!({"role_name":"Analyst"});
        assert_eq!(privileges_json(&flat, 10)["data"][0]["environment_type"], "dev");
        assert_eq!(privileges_json(&json!({}), 10)["total"], 0);
    }
}

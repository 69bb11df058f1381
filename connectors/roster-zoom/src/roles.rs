//! Role names: `GET /v2/roles` (not paginated) joined to each user's `role_id`.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use crate::api::{Api, Failure};

pub(crate) const ROLES_PATH: &str = "/v2/roles";

#[derive(Deserialize)]
struct RolesBody {
    #[serde(default)]
    roles: Vec<Value>,
}

/// Role id → name. Roles without a readable id or name are left out.
pub(crate) async fn read(api: &Api) -> Result<HashMap<String, String>, Failure> {
    Ok(list(api).await?.into_iter().collect())
}

/// `(id, name)` of every role, in Zoom's order.
pub(crate) async fn list(api: &Api) -> Result<Vec<(String, String)>, Failure> {
    let body: RolesBody = api.get(ROLES_PATH, &[]).await?;
    Ok(parse(&body.roles))
}

fn parse(roles: &[Value]) -> Vec<(String, String)> {
    roles
        .iter()
        .filter_map(|r| {
            let id = match r.get("id")? {
                Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            let name = r.get("name")?.as_str()?.trim();
            (!name.is_empty()).then(|| (id, name.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ids_may_be_strings_or_numbers_and_bad_roles_are_skipped() {
        let m: HashMap<String, String> = parse(&[
            json!({"id": "0", "name": "Owner"}),
            json!({"id": 2, "name": "Member"}),
            json!({"id": "Rq", "name": " "}),
            json!({"name": "No id"}),
        ])
        .into_iter()
        .collect();
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("2").map(String::as_str), Some("Member"));
    }
}

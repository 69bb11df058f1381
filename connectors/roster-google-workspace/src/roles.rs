//! Admin roles: `roles.list` names them, `roleAssignments.list` says who holds which,
//! across the customer (`customer`) or one organizational unit (`org_unit:<id>`).
//! Assignments to groups are skipped (counted for a note).

use std::collections::HashMap;

use roster_core::{ConnectorError, RoleAssignment};
use serde_json::Value;

use crate::api::{Api, Service};
use crate::google_error::GoogleError;
use crate::pages::Pages;

/// Role assignments by the `assignedTo` user id.
#[derive(Debug, Default)]
pub(crate) struct Roles {
    pub by_user: HashMap<String, Vec<RoleAssignment>>,
    pub group_assignments: u64,
}

impl Roles {
    pub(crate) fn of(&self, user_id: &str) -> Vec<RoleAssignment> {
        self.by_user.get(user_id).cloned().unwrap_or_default()
    }
}

/// An id that Google writes as an int64 string (or, leniently, a number).
fn id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every item of a list, or Google's refusal.
async fn all(mut pages: Pages<'_>) -> Result<Result<Vec<Value>, (String, GoogleError)>, ConnectorError> {
    let mut items = Vec::new();
    loop {
        match pages.next().await? {
            Ok(Some(page)) => items.extend(page),
            Ok(None) => return Ok(Ok(items)),
            Err(e) => return Ok(Err((pages.request(), e))),
        }
    }
}

/// Reads the roles and their assignments; `Ok(Err((request, refusal)))` when refused.
pub(crate) async fn read(
    api: &Api,
    customer: &str,
) -> Result<Result<Roles, (String, GoogleError)>, ConnectorError> {
    let path = |what: &str| format!("/admin/directory/v1/customer/{customer}/{what}");
    let list = |what, size: &str| {
        Pages::new(api, Service::Directory, path(what), vec![("maxResults", size.to_owned())])
    };
    let roles = match all(list("roles", "100")).await? {
        Ok(items) => items,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let names: HashMap<String, String> = roles
        .iter()
        .filter_map(|r| Some((id(r.get("roleId")?)?, r.get("roleName")?.as_str()?.trim().to_owned())))
        .collect();
    let assignments = match all(list("roleassignments", "200")).await? {
        Ok(items) => items,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut out = Roles::default();
    for a in &assignments {
        let kind = a.get("assigneeType").and_then(Value::as_str).unwrap_or("USER");
        if kind.eq_ignore_ascii_case("group") {
            out.group_assignments += 1;
            continue;
        }
        let (Some(user), Some(role)) = (a.get("assignedTo").and_then(id), a.get("roleId").and_then(id))
        else {
            continue;
        };
        let scope =
            match (a.get("scopeType").and_then(Value::as_str), a.get("orgUnitId").and_then(Value::as_str)) {
                (Some(s), Some(ou)) if s.eq_ignore_ascii_case("org_unit") => format!("org_unit:{ou}"),
                _ => "customer".to_owned(),
            };
        let name = names.get(&role).cloned().unwrap_or_else(|| format!("role {role}"));
        out.by_user.entry(user).or_default().push(RoleAssignment::new(scope, name));
    }
    Ok(Ok(out))
}

//! One collaborator: `GET /api/members/:id` (read and verify), and the writes of actions,
//! with Workato's refusals told apart (a missing privilege, a revoked token, a collaborator
//! who is gone, a role Workato does not know).

use async_trait::async_trait;
use roster_core::{AccessCheck, ActionSpec, ConnectorError, User};
use roster_http::{Auth, Body, BodyError, HttpError, Method, ReadBody, Response};
use serde_json::Value;

use crate::actions::{ACTIONS, RoleModel, Write, member_path};
use crate::api::{Api, USERS_ME};
use crate::members::parse_member;
use crate::permissions::{self, DELETE_COLLABORATORS, GET_COLLABORATOR};

/// Reads one collaborator, mapped as a sync maps it, with the workspace's role model as
/// its roles show it; `None` when Workato has no such collaborator (404).
pub(crate) async fn read(api: &Api, id: &str) -> Result<Option<(User, RoleModel)>, ConnectorError> {
    let path = member_path(id);
    match api.http.get_json::<Value>(&path, &[]).await {
        Ok(body) => parse(body, &path).map(Some),
        Err(HttpError::Status { status: 404, .. }) => Ok(None),
        Err(e @ HttpError::Status { status: 401 | 403, .. }) => {
            Err(refused(api, e, GET_COLLABORATOR, &format!("GET {path}")).await)
        }
        Err(e) => Err(e.into_connector_error()),
    }
}

/// The member in a `GET /api/members/:id` body, bare or in `{"data": {...}}`.
fn parse(body: Value, path: &str) -> Result<(User, RoleModel), ConnectorError> {
    let member = match body {
        Value::Object(mut obj)
            if !obj.contains_key("id") && obj.get("data").is_some_and(Value::is_object) =>
        {
            obj.remove("data").unwrap_or_default()
        }
        other => other,
    };
    let environment =
        member["roles"].as_array().is_some_and(|roles| roles.iter().any(|r| r["role_type"] == "environment"));
    let raw = serde_json::to_vec(&member).unwrap_or_default();
    let member = parse_member(&raw).map_err(|(_, reason)| {
        ConnectorError::invalid_response(format!("GET {path}: the collaborator could not be read: {reason}"))
    })?;
    let model = if environment { RoleModel::Environment } else { RoleModel::Legacy };
    Ok((member.into_user(), model))
}

/// Sends one write. A DELETE of a collaborator who is already gone (404) is done.
pub(crate) async fn send(api: &Api, write: &Write) -> Result<(), ConnectorError> {
    let body = write.body.as_ref().map_or(Body::None, Body::Json);
    let result =
        api.http.send_body(write.method.clone(), &write.path, &[], Auth::Session, body, &mut Discard).await;
    let request = format!("{} {}", write.method, write.path);
    match result {
        Ok(()) => Ok(()),
        Err(HttpError::Status { status: 404, .. }) if write.method == Method::DELETE => {
            tracing::info!(request = %request, "the collaborator was already gone");
            Ok(())
        }
        Err(e @ HttpError::Status { status: 404, .. }) => Err(ConnectorError::invalid_argument(format!(
            "{e}; the collaborator is no longer in the workspace"
        ))
        .with_remediation("sync the account to see who is in the workspace now")),
        Err(e @ HttpError::Status { status: 401 | 403, .. }) => Err(refused(api, e, write.privilege, &request).await),
        Err(e @ HttpError::Status { status: 400 | 409 | 422, .. }) => {
            Err(ConnectorError::invalid_argument(format!("{e}; workato refused the change")).with_remediation(
                if write.method == Method::DELETE {
                    "workato keeps the workspace owner and may keep its last admin: transfer the role first"
                } else {
                    "name roles the workspace has: after the RBAC v2 migration the environment roles (Environment admin, \
                     Environment manager, Member or a custom one), before it Admin, Analyst, Operator or a custom role; \
                     NoAccess takes an environment away (DEV may refuse it: remove the collaborator instead)"
                },
            ))
        }
        Err(e) => Err(e.into_connector_error()),
    }
}

/// A 401/403 on a collaborator request. Workato answers a missing privilege like a bad
/// token, so the workspace endpoint is asked: refused too, the token is; else the client
/// role lacks `privilege`.
async fn refused(api: &Api, e: HttpError, privilege: &'static str, request: &str) -> ConnectorError {
    match api.http.get_json::<Value>(USERS_ME, &[]).await {
        Err(HttpError::Status { status: 401 | 403, .. }) => api.refused(&e),
        _ => ConnectorError::missing_permission(
            format!("{e}; the token works, but its client role lacks \"{privilege}\""),
            vec![privilege.to_owned()],
        )
        .with_remediation(permissions::enable_write(privilege, request)),
    }
}

/// What `check` can say about each action. Workato has no endpoint that tells an API
/// client its own privileges without writing, so only "Get collaborator" is probed (a
/// GET of an id nobody has); the write privileges stay unknown until tried.
pub(crate) async fn action_checks(api: &Api) -> Vec<AccessCheck> {
    let probe = api.http.get_json::<Value>(&member_path("0"), &[]).await;
    let read = match probe {
        Ok(_) | Err(HttpError::Status { status: 400 | 404, .. }) => Ok(()),
        Err(HttpError::Status { status: 401 | 403, .. }) => Err(format!(
            "the client role lacks \"{GET_COLLABORATOR}\", which reads and verifies a collaborator; {}",
            permissions::enable_write(GET_COLLABORATOR, "GET /api/members/:id")
        )),
        Err(e) => Err(format!("unknown: GET /api/members/:id could not be probed ({e})")),
    };
    ACTIONS.iter().map(|spec| action_check(spec, &read)).collect()
}

fn action_check(spec: &ActionSpec, read: &Result<(), String>) -> AccessCheck {
    let (method, privilege) = match spec.kind {
        roster_core::ActionKind::RemoveUser => ("DELETE", DELETE_COLLABORATORS),
        _ => ("PUT", permissions::UPDATE_ROLES),
    };
    let detail = match read {
        Ok(()) => format!(
            "unknown until tried: workato has no way to read an api client's privileges without writing; \
             the client role needs \"{privilege}\""
        ),
        Err(why) => why.clone(),
    };
    AccessCheck {
        capability: format!("{} ({method} /api/members/:id)", spec.kind),
        granted: false,
        detail: Some(detail),
    }
}

/// A write's answer: any 2xx is success, whatever its body (Workato documents none for
/// DELETE and "a data object" for PUT).
struct Discard;

#[async_trait]
impl ReadBody<()> for Discard {
    async fn read(&mut self, _resp: Response) -> Result<(), BodyError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bare_and_wrapped_members_read_alike() {
        let bare = json!({"id": 7, "roles": [{"environment_type": "dev", "role_name": "Member", "role_type": "environment"}]});
        let (u, model) = parse(bare.clone(), "/api/members/7").unwrap();
        assert_eq!((u.id.as_str(), model), ("7", RoleModel::Environment));
        let (w, _) = parse(json!({ "data": bare }), "/api/members/7").unwrap();
        assert_eq!(u, w);
        let (_, model) = parse(json!({"id": 8, "role_name": "Admin"}), "/api/members/8").unwrap();
        assert_eq!(model, RoleModel::Legacy);
        assert!(parse(json!({"data": null}), "/api/members/9").is_err());
    }
}

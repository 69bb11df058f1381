//! One user at Zoom: `GET /v2/users/{userId}` (read and verify), the account's roles by
//! name, and the writes of actions with Zoom's refusals told apart (a missing scope, a
//! user who is gone, a change Zoom does not allow).

use std::collections::HashMap;

use roster_core::{ConnectorError, User};
use roster_http::Method;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::action_plans::{Role, Write, user_key, user_path};
use crate::api::{Api, Failure};
use crate::roles::ROLES_PATH;
use crate::scopes::{LIST_ROLES, READ_USER};
use crate::users::{ListStatus, ZoomUser};
use crate::vendor_error::{CODE_BAD_REQUEST, CODE_NO_PERMISSION, ZoomError};

/// "Invite not exist": a pending user's invitation is gone.
const CODE_INVITE_GONE: i64 = 1120;
/// "User not exist or not belong to this account" (older code).
const CODE_NOT_IN_ACCOUNT: i64 = 1010;
/// "Provided role_id does not exist."
const CODE_NO_ROLE: i64 = 1034;
/// "Can not disassociate the user with managed domain".
const CODE_MANAGED_DOMAIN: i64 = 1107;

/// Whether Zoom says there is no such user (or invitation).
fn is_gone(z: &ZoomError) -> bool {
    z.status == 404 || matches!(z.code, Some(CODE_INVITE_GONE | CODE_NOT_IN_ACCOUNT))
}

/// Reads one user, mapped as a sync maps it; a pending user (`pending:<email>`) is read by
/// email and is gone once it is no longer pending. `None` when Zoom has no such user.
pub(crate) async fn read(api: &Api, id: &str) -> Result<Option<User>, ConnectorError> {
    let (key, pending) = user_key(id);
    let path = user_path(key);
    let raw: Value = match api.get(&path, &[]).await {
        Ok(raw) => raw,
        Err(Failure::Zoom(z)) if is_gone(&z) => return Ok(None),
        Err(f) => return Err(f.into_error(&format!("GET {path}"), &READ_USER)),
    };
    let invalid = |what: &str| ConnectorError::invalid_response(format!("GET {path}: {what}"));
    let user =
        ZoomUser::deserialize(&raw).map_err(|e| invalid(&format!("the user could not be read: {e}")))?;
    let status = user.status.as_ref().and_then(Value::as_str).and_then(ListStatus::parse);
    let status = status.ok_or_else(|| invalid("the user has no status zoom documents"))?;
    if pending != (status == ListStatus::Pending) {
        // An invitation that was accepted is a new user; the pending entry is gone.
        return Ok(None);
    }
    let names: HashMap<String, String> =
        match (&user.role_id, user.role_name.as_ref().and_then(Value::as_str)) {
            (Some(id), Some(name)) => HashMap::from([(id.clone(), name.to_owned())]),
            _ => HashMap::new(),
        };
    let mapped = user.into_user(status, &names).ok_or_else(|| invalid("the user has no id"))?;
    Ok(Some(mapped.user))
}

/// The account's roles, in Zoom's order, for finding one by name.
pub(crate) async fn roles(api: &Api) -> Result<Vec<Role>, ConnectorError> {
    let list =
        crate::roles::list(api).await.map_err(|f| f.into_error(&format!("GET {ROLES_PATH}"), &LIST_ROLES))?;
    Ok(list.into_iter().map(|(id, name)| Role { id, name }).collect())
}

/// Sends one write. Removing a user who is already gone is done.
pub(crate) async fn send(api: &Api, write: &Write) -> Result<(), ConnectorError> {
    let result =
        api.send::<IgnoredAny>(write.method.clone(), &write.path, &write.query, write.body.as_ref()).await;
    let request = write.line.clone();
    let z = match result {
        Ok(_) => return Ok(()),
        Err(Failure::Zoom(z)) => z,
        Err(other) => return Err(other.into_error(&request, write.need)),
    };
    let user_write = write.path.starts_with("/v2/users/");
    if is_gone(&z) && user_write && write.method == Method::DELETE {
        tracing::info!(request = %request, "the user was already gone");
        return Ok(());
    }
    if z.is_missing_scope() || z.status == 403 {
        return Err(Failure::Zoom(z).into_error(&request, write.need));
    }
    let what = z.describe();
    let remediation = match z.code {
        _ if is_gone(&z) => "sync the account to see who is there now, then plan again",
        Some(CODE_NO_PERMISSION) if write.path.ends_with("/status") => {
            "zoom does not deactivate admins: make the user a Member first (set_roles --set account=Member), then suspend"
        }
        Some(CODE_NO_PERMISSION) if write.method == Method::PATCH => {
            "no Licensed seat is free: free one (set_license --set license=Basic on someone else) or buy more seats"
        }
        Some(CODE_MANAGED_DOMAIN) => {
            "the user belongs to a domain the account manages, so zoom can only delete them: --set mode=delete"
        }
        Some(CODE_NO_ROLE) => "the role no longer exists: plan again",
        Some(CODE_NO_PERMISSION | CODE_BAD_REQUEST) => "zoom does not allow this change for this user",
        _ if z.status == 400 => "zoom does not allow this change for this user",
        _ => return Err(ConnectorError::invalid_response(format!("{request}: {what}"))),
    };
    Err(ConnectorError::invalid_argument(format!("{request}: {what}")).with_remediation(remediation))
}

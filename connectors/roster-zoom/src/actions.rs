//! Zoom's actions, declared: deactivate and activate (`PUT .../status`), remove
//! (`DELETE /v2/users/{userId}`), the license type (`PATCH`), and the account role
//! (`POST /v2/roles/{roleId}/members`, or back to Member with `DELETE .../members/{id}`),
//! each with its argument form and scope. `action_plans` plans them.

use roster_core::{ActionKind, ActionSpec};
use serde_json::{Value, json};

/// Zoom's actions.
pub(crate) const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        kind: ActionKind::SuspendUser,
        summary: "PUT /v2/users/{userId}/status {\"action\":\"deactivate\"}: the user can no longer sign in (admins must be made Members first)",
        arguments: ActionSpec::no_arguments,
        permission: "user:update:status:admin",
        reversible: true,
    },
    ActionSpec {
        kind: ActionKind::RestoreUser,
        summary: "PUT /v2/users/{userId}/status {\"action\":\"activate\"}: a deactivated user can sign in again",
        arguments: ActionSpec::no_arguments,
        permission: "user:update:status:admin",
        reversible: true,
    },
    ActionSpec {
        kind: ActionKind::RemoveUser,
        summary: "DELETE /v2/users/{userId}?action=disassociate: unlinks the user, who keeps a free Zoom account of their own (mode=delete deletes it and its data)",
        arguments: remove_arguments,
        permission: "user:delete:user:admin",
        reversible: false,
    },
    ActionSpec {
        kind: ActionKind::SetLicense,
        summary: "PATCH /v2/users/{userId} {\"type\":1|2}: makes the user Basic or Licensed",
        arguments: license_arguments,
        permission: "user:update:user:admin",
        reversible: true,
    },
    ActionSpec {
        kind: ActionKind::SetRoles,
        summary: "POST /v2/roles/{roleId}/members: gives the user that account role (back to Member: DELETE /v2/roles/{roleId}/members/{userId})",
        arguments: role_arguments,
        permission: "role:write:member:admin (and role:delete:member:admin to set Member)",
        reversible: true,
    },
];

fn remove_arguments() -> Value {
    json!({
        "type": "object",
        "properties": {"mode": {
            "type": "string", "enum": ["disassociate", "delete"], "default": "disassociate",
            "title": "Mode",
            "description": "disassociate unlinks the user, who keeps a free Zoom account (the only way for a pending invitation); delete removes the user and their data for good",
        }},
        "additionalProperties": false,
    })
}

fn license_arguments() -> Value {
    json!({
        "type": "object",
        "properties": {"license": {
            "type": "string", "enum": ["Basic", "Licensed"], "title": "License",
            "description": "Basic (type 1, free) or Licensed (type 2, a paid seat)",
        }},
        "required": ["license"],
        "additionalProperties": false,
    })
}

fn role_arguments() -> Value {
    json!({
        "type": "object",
        "properties": {"account": {
            "type": "string", "minLength": 1, "title": "Account role",
            "description": "The role's name as GET /v2/roles lists it (Admin, Member, or a custom role); not Owner",
        }},
        "required": ["account"],
        "additionalProperties": false,
    })
}

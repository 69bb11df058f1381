//! Members (GraphQL edges), outside collaborators and pending invitations (REST) mapped
//! to [`User`]s.

use std::collections::HashMap;

use roster_core::{RoleAssignment, User, UserStatus};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::copilot::Copilot;

/// The scope of every role: the organization.
pub const ORG: &str = "org";

/// What every user's mapping reads besides the user itself.
pub(crate) struct Context<'a> {
    /// SAML `nameId` by lower-cased login.
    pub saml: &'a HashMap<String, String>,
    pub copilot: Option<&'a Copilot>,
    /// `GitHub <plan>`, when the plan is visible.
    pub plan: Option<String>,
}

#[derive(Deserialize)]
struct Edge {
    #[serde(default)]
    role: Option<String>,
    #[serde(default, rename = "hasTwoFactorEnabled")]
    two_factor: Option<bool>,
    node: Person,
}

/// A GraphQL `User` node or a REST "simple user".
#[derive(Deserialize)]
struct Person {
    #[serde(default, rename = "databaseId", alias = "id")]
    id: Option<u64>,
    login: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Invitation {
    id: Option<u64>,
    login: Option<String>,
    email: Option<String>,
    role: Option<String>,
    created_at: Option<String>,
    invitation_source: Option<String>,
    inviter: Option<Value>,
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn parse<T: serde::de::DeserializeOwned>(raw: &Value) -> Result<T, String> {
    T::deserialize(raw).map_err(|e| roster_core::error::redact_serde_message(&e.to_string()))
}

impl Context<'_> {
    /// A member: `databaseId`, its role on the edge (`ADMIN` → admin, else member).
    pub(crate) fn member(&self, raw: &Value) -> Result<User, String> {
        let edge: Edge = parse(raw)?;
        let role = if edge.role.as_deref() == Some("ADMIN") { "admin" } else { "member" };
        let mut user = self.person(edge.node, role)?;
        if let Some(on) = edge.two_factor {
            user.attributes.insert("two_factor_enabled".into(), json!(on));
        }
        Ok(user)
    }

    /// email = SAML `nameId` (when it is an address), else the public email; name = name,
    /// else login; `GitHub <plan>` and the Copilot seat's licence; last visit = Copilot
    /// activity.
    fn person(&self, p: Person, role: &str) -> Result<User, String> {
        let id = p.id.ok_or("the user has no databaseId")?;
        let mut user = User::new(id.to_string(), UserStatus::Active);
        let name_id = self.saml.get(&p.login.to_lowercase()).filter(|n| n.contains('@')).cloned();
        user.email = name_id.or_else(|| text(p.email));
        user.name = text(p.name).or_else(|| Some(p.login.clone()));
        user.roles.push(RoleAssignment::new(ORG, role));
        user.license_types.extend(self.plan.clone());
        user.attributes.insert("login".into(), json!(p.login));
        if let Some((copilot, seat)) = self.copilot.and_then(|c| c.seat(&p.login).map(|s| (c, s))) {
            user.license_types.push(copilot.licence(seat).to_owned());
            user.last_visit_at = seat.last_activity_at;
            for (key, value) in [
                ("copilot_last_activity_editor", &seat.editor),
                ("copilot_pending_cancellation_date", &seat.pending_cancellation_date),
            ] {
                if let Some(v) = value {
                    user.attributes.insert(key.into(), json!(v));
                }
            }
        }
        Ok(user)
    }
}

/// An outside collaborator: REST `id`.
pub(crate) fn collaborator(cx: &Context, raw: &Value) -> Result<User, String> {
    cx.person(parse(raw)?, "outside_collaborator")
}

/// A pending invitation: id `invitation:<id>`, its email, name = login else email,
/// role admin for `admin` invitations and member for every other.
pub(crate) fn invitation(_: &Context, raw: &Value) -> Result<User, String> {
    let i: Invitation = parse(raw)?;
    let id = i.id.ok_or("the invitation has no id")?;
    let mut user = User::new(format!("invitation:{id}"), UserStatus::Invited);
    let (login, email) = (text(i.login), text(i.email));
    user.name = login.clone().or_else(|| email.clone());
    user.email = email;
    let role = i.role.unwrap_or_default();
    user.roles.push(RoleAssignment::new(ORG, if role == "admin" { "admin" } else { "member" }));
    let mut attributes = Map::new();
    let inviter = i.inviter.as_ref().and_then(|v| v["login"].as_str()).map(str::to_owned);
    for (key, value) in [
        ("login", login),
        ("invitation_role", text(Some(role))),
        ("invitation_source", i.invitation_source),
        ("invited_at", i.created_at),
        ("inviter", inviter),
    ] {
        if let Some(v) = text(value) {
            attributes.insert(key.into(), json!(v));
        }
    }
    user.attributes = attributes;
    Ok(user)
}

/// Names a record that could not be mapped, for the report.
pub(crate) fn record_name(raw: &Value) -> String {
    let login = raw.pointer("/node/login").or_else(|| raw.get("login")).and_then(Value::as_str);
    match (login, raw.get("id")) {
        (Some(login), _) => format!("user {login}"),
        (None, Some(id)) => format!("invitation {id}"),
        _ => "a record without login or id".to_owned(),
    }
}

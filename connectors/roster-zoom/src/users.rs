//! A user as `GET /v2/users` lists it, and its mapping to [`User`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use roster_core::{RoleAssignment, User, UserStatus};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::license;

/// The statuses `GET /users` filters by, each listed separately.
pub(crate) const STATUSES: [ListStatus; 3] = [ListStatus::Active, ListStatus::Inactive, ListStatus::Pending];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListStatus {
    Active,
    Inactive,
    Pending,
}

impl ListStatus {
    /// A user's own `status` field, as `GET /v2/users/{userId}` gives it.
    pub(crate) fn parse(status: &str) -> Option<Self> {
        STATUSES.into_iter().find(|s| s.query() == status)
    }

    pub(crate) const fn query(self) -> &'static str {
        match self {
            ListStatus::Active => "active",
            ListStatus::Inactive => "inactive",
            ListStatus::Pending => "pending",
        }
    }

    /// active → active, inactive (deactivated) → suspended, pending (invited) → invited.
    pub(crate) const fn status(self) -> UserStatus {
        match self {
            ListStatus::Active => UserStatus::Active,
            ListStatus::Inactive => UserStatus::Suspended,
            ListStatus::Pending => UserStatus::Invited,
        }
    }
}

/// A listed user. Every field may be missing or null; unknown fields are ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct ZoomUser {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default, rename = "type")]
    pub user_type: Option<i64>,
    #[serde(default)]
    pub role_id: Option<String>,
    /// Given by `GET /v2/users/{userId}`, not by the list (kept loose: the sync ignores it).
    #[serde(default)]
    pub role_name: Option<Value>,
    /// The user's status; a listing's is the one asked for (kept loose: the sync ignores it).
    #[serde(default)]
    pub status: Option<Value>,
    #[serde(default)]
    pub last_login_time: Option<String>,
    #[serde(default)]
    pub last_client_version: Option<String>,
    #[serde(default)]
    pub user_created_at: Option<String>,
    #[serde(default)]
    pub dept: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub verified: Option<i64>,
}

/// Role ids Zoom gives its system roles, for when role names cannot be read: `"0"` is
/// the owner in real captures; `"1"` and `"2"` are conventional \[INFERRED\].
pub(crate) fn builtin_role(id: &str) -> Option<&'static str> {
    match id {
        "0" => Some("Owner"),
        "1" => Some("Admin"),
        "2" => Some("Member"),
        _ => None,
    }
}

/// The result of mapping one user.
#[derive(Debug)]
pub(crate) struct Mapped {
    pub user: User,
    /// A `last_login_time` was there but could not be read.
    pub unreadable_time: bool,
    pub license: Option<String>,
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Parses a Zoom timestamp (`2019-06-01T07:58:03Z`) to UTC.
pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc))
}

impl ZoomUser {
    /// Maps a user listed under `status`. Pending users have no id in Zoom; they are keyed
    /// `pending:<lower-cased email>`. `None` when there is nothing to key the user by.
    pub(crate) fn into_user(self, status: ListStatus, roles: &HashMap<String, String>) -> Option<Mapped> {
        let email = text(self.email);
        let id = match (text(self.id), &email) {
            (Some(id), _) => id,
            (None, Some(email)) if status == ListStatus::Pending => {
                format!("pending:{}", email.to_lowercase())
            }
            _ => return None,
        };
        let mut user = User::new(id, status.status());
        user.email = email;
        user.name = text(self.display_name).or_else(|| {
            let full = format!(
                "{} {}",
                self.first_name.as_deref().unwrap_or("").trim(),
                self.last_name.as_deref().unwrap_or("").trim()
            );
            text(Some(full))
        });
        let raw_time = text(self.last_login_time);
        user.last_visit_at = raw_time.as_deref().and_then(parse_time);
        let unreadable_time = raw_time.is_some() && user.last_visit_at.is_none();

        let mut attributes = Map::new();
        if let Some(role_id) = text(self.role_id) {
            let name = roles
                .get(&role_id)
                .cloned()
                .or_else(|| builtin_role(&role_id).map(str::to_owned))
                .unwrap_or_else(|| format!("role {role_id}"));
            user.roles.push(RoleAssignment::new(RoleAssignment::ACCOUNT, name));
            attributes.insert("role_id".into(), Value::String(role_id));
        }
        let license = self.user_type.map(license::name);
        if let Some(l) = &license {
            user.license_types.push(l.clone());
        }
        if let Some(t) = self.user_type {
            attributes.insert("user_type".into(), Value::from(t));
        }
        for (key, value) in [
            ("dept", self.dept),
            ("timezone", self.timezone),
            ("language", self.language),
            ("user_created_at", self.user_created_at),
            ("last_client_version", self.last_client_version),
        ] {
            if let Some(v) = text(value) {
                attributes.insert(key.into(), Value::String(v));
            }
        }
        if let Some(v) = self.verified {
            attributes.insert("verified".into(), Value::Bool(v == 1));
        }
        user.attributes = attributes;
        Some(Mapped { user, unreadable_time, license })
    }
}

/// Best-effort name of a record that failed to parse, for the report.
pub(crate) fn record_name(raw: &Value) -> String {
    let field = |k: &str| raw.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match (field("id"), field("email")) {
        (Some(id), _) => format!("user {id}"),
        (None, Some(email)) => format!("user {email}"),
        _ => "a user without id or email".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value, status: ListStatus) -> Mapped {
        let roles = HashMap::from([("Rq1".to_owned(), "Billing Admin".to_owned())]);
        serde_json::from_value::<ZoomUser>(v).expect("parses").into_user(status, &roles).expect("maps")
    }

    #[test]
    fn an_active_user_maps_every_field() {
        let m = map(
            json!({"id": "KDcuGIm1QgePTO8WbOqwIQ", "first_name": "Jill", "last_name": "Chill", "display_name": "Jill Chill",
                   "email": " jchill@example.com ", "type": 2, "role_id": "Rq1", "status": "active", "verified": 1,
                   "last_login_time": "2022-03-25T05:40:55Z", "dept": "", "timezone": "Asia/Shanghai", "pmi": 6589310093u64}),
            ListStatus::Active,
        );
        let u = m.user;
        assert_eq!(u.id, "KDcuGIm1QgePTO8WbOqwIQ");
        assert_eq!((u.email.as_deref(), u.name.as_deref()), (Some("jchill@example.com"), Some("Jill Chill")));
        assert_eq!(u.status, UserStatus::Active);
        assert_eq!(u.last_visit_at.map(|t| t.to_rfc3339()), Some("2022-03-25T05:40:55+00:00".to_owned()));
        assert_eq!(u.roles, vec![RoleAssignment::new("account", "Billing Admin")]);
        assert_eq!(u.license_types, vec!["Licensed"]);
        assert_eq!(u.attributes.get("timezone"), Some(&json!("Asia/Shanghai")));
        assert!(!u.attributes.contains_key("dept") && !u.attributes.contains_key("pmi"));
        assert_eq!(m.license.as_deref(), Some("Licensed"));
    }

    #[test]
    fn statuses_pending_keys_and_empty_logins() {
        let m = map(
            json!({"email": "New.Person@Example.com", "type": 1, "first_name": "Zoë", "last_name": ""}),
            ListStatus::Pending,
        );
        assert_eq!(m.user.id, "pending:new.person@example.com");
        assert_eq!((m.user.status, m.user.name.as_deref()), (UserStatus::Invited, Some("Zoë")));
        let m =
            map(json!({"id": "x", "type": 99, "role_id": "0", "last_login_time": ""}), ListStatus::Inactive);
        assert_eq!(m.user.status, UserStatus::Suspended);
        assert_eq!((m.user.last_visit_at, m.unreadable_time), (None, false));
        assert_eq!(m.user.roles, vec![RoleAssignment::new("account", "Owner")]);
        assert_eq!(m.user.license_types, vec!["None"]);
        let m = map(json!({"id": "y", "last_login_time": null, "role_id": "Zz9"}), ListStatus::Active);
        assert_eq!(m.user.roles, vec![RoleAssignment::new("account", "role Zz9")]);
        let m = map(json!({"id": "z", "last_login_time": "yesterday"}), ListStatus::Active);
        assert!(m.unreadable_time);
    }

    #[test]
    fn unkeyable_and_mistyped_users_are_refused() {
        let u: ZoomUser = serde_json::from_value(json!({"email": "a@b.c"})).expect("parses");
        assert!(u.into_user(ListStatus::Active, &HashMap::new()).is_none());
        assert!(serde_json::from_value::<ZoomUser>(json!({"id": "1", "type": "two"})).is_err());
        assert_eq!(record_name(&json!({"email": "a@b.c", "type": "two"})), "user a@b.c");
    }
}

//! A user as `users.list` returns it, and its mapping to [`User`].

use chrono::{DateTime, Utc};
use roster_core::{RoleAssignment, User, UserStatus};
use serde::Deserialize;
use serde_json::{Map, Value};

/// User fields kept as attributes, as Google names them.
const ATTRIBUTES: [&str; 10] = [
    "isAdmin",
    "isDelegatedAdmin",
    "orgUnitPath",
    "isEnrolledIn2Sv",
    "isEnforcedIn2Sv",
    "creationTime",
    "customerId",
    "suspensionReason",
    "archived",
    "agreedToTerms",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleUser {
    id: String,
    #[serde(default)]
    primary_email: Option<String>,
    #[serde(default)]
    name: Option<Name>,
    #[serde(default)]
    suspended: Option<bool>,
    #[serde(default)]
    archived: Option<bool>,
    #[serde(default)]
    last_login_time: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Name {
    #[serde(default)]
    full_name: Option<String>,
}

/// A mapped user, and whether its `lastLoginTime` could not be read.
#[derive(Debug)]
pub(crate) struct Mapped {
    pub user: User,
    pub unreadable_time: bool,
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `lastLoginTime`, or `None` for the epoch Google gives users who never signed in.
fn last_login(raw: &str) -> Result<Option<DateTime<Utc>>, ()> {
    let t = DateTime::parse_from_rfc3339(raw.trim()).map_err(|_| ())?.with_timezone(&Utc);
    Ok((t.timestamp_millis() > 0).then_some(t))
}

/// Maps a listed user, with its roles (by user id) and licences (by lower-cased email).
/// `Err` says why the record cannot be read.
pub(crate) fn map(
    raw: &Value,
    roles: impl Fn(&str) -> Vec<RoleAssignment>,
    licenses: impl Fn(&str) -> Vec<String>,
) -> Result<Mapped, String> {
    let g: GoogleUser =
        GoogleUser::deserialize(raw).map_err(|e| roster_core::error::redact_serde_message(&e.to_string()))?;
    let id = text(Some(g.id)).ok_or("the user has an empty id")?;
    let inactive = g.suspended == Some(true) || g.archived == Some(true);
    let mut user = User::new(id, if inactive { UserStatus::Suspended } else { UserStatus::Active });
    user.email = text(g.primary_email);
    user.name = text(g.name.and_then(|n| n.full_name));
    let time = text(g.last_login_time).map(|t| last_login(&t));
    user.last_visit_at = time.and_then(Result::ok).flatten();
    user.roles = roles(&user.id);
    user.license_types = user.email.as_deref().map(|e| licenses(&e.to_lowercase())).unwrap_or_default();
    let mut attributes = Map::new();
    for key in ATTRIBUTES {
        if let Some(v) = raw.get(key).filter(|v| !v.is_null()) {
            attributes.insert(key.to_owned(), v.clone());
        }
    }
    user.attributes = attributes;
    Ok(Mapped { user, unreadable_time: time.is_some_and(|t| t.is_err()) })
}

/// Best-effort name of a record that failed to map, for the report.
pub(crate) fn record_name(raw: &Value) -> String {
    let field = |k: &str| raw.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    field("id")
        .or_else(|| field("primaryEmail"))
        .map_or("a user without id or email".to_owned(), |k| format!("user {k}"))
}

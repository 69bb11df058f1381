//! A user as `GET /v1.0/users` (or a delta round) gives it, and its mapping to [`User`].

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use roster_core::{RoleAssignment, User, UserStatus};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The `$select` of the listing, without and with sign-in activity.
pub(crate) const SELECT: &str =
    "id,displayName,mail,userPrincipalName,accountEnabled,userType,externalUserState,assignedLicenses";
pub(crate) const SELECT_SIGN_IN: &str = "id,displayName,mail,userPrincipalName,accountEnabled,userType,externalUserState,assignedLicenses,signInActivity";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GraphUser {
    pub id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    mail: Option<String>,
    #[serde(default)]
    user_principal_name: Option<String>,
    #[serde(default)]
    account_enabled: Option<bool>,
    #[serde(default)]
    user_type: Option<String>,
    #[serde(default)]
    external_user_state: Option<String>,
    #[serde(default)]
    assigned_licenses: Option<Vec<AssignedLicense>>,
    #[serde(default)]
    sign_in_activity: Option<SignInActivity>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignedLicense {
    #[serde(default)]
    sku_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignInActivity {
    #[serde(default)]
    last_sign_in_date_time: Option<String>,
    #[serde(default)]
    last_non_interactive_sign_in_date_time: Option<String>,
    #[serde(default)]
    last_successful_sign_in_date_time: Option<String>,
}

/// What the mapping needs from the rest of the directory.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    /// skuId → skuPartNumber.
    pub skus: HashMap<String, String>,
    /// user id → names of the directory roles it is a direct member of.
    pub roles: HashMap<String, Vec<String>>,
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A sign-in time; `null`, `""` and `0001-01-01T00:00:00Z` mean never. `Err` for text that
/// is not a time.
fn sign_in_time(v: &Option<String>) -> Result<Option<DateTime<Utc>>, ()> {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let t = DateTime::parse_from_rfc3339(s).map_err(|_| ())?.with_timezone(&Utc);
    Ok((t.year() > 1).then_some(t))
}

impl GraphUser {
    /// Maps the user; the flag says a sign-in time could not be read.
    pub(crate) fn into_user(self, dir: &Directory) -> (User, bool) {
        let status =
            match (self.account_enabled, self.user_type.as_deref(), self.external_user_state.as_deref()) {
                (Some(false), _, _) => UserStatus::Suspended,
                (_, Some(t), Some(s))
                    if t.eq_ignore_ascii_case("guest") && s.eq_ignore_ascii_case("PendingAcceptance") =>
                {
                    UserStatus::Invited
                }
                _ => UserStatus::Active,
            };
        let mut user = User::new(self.id, status);
        let upn = text(self.user_principal_name);
        user.email = text(self.mail).or_else(|| upn.clone());
        user.name = text(self.display_name);
        let mut unreadable = false;
        let mut attributes = Map::new();
        if let Some(a) = self.sign_in_activity {
            let mut read = |v: &Option<String>| {
                sign_in_time(v).unwrap_or_else(|()| {
                    unreadable = true;
                    None
                })
            };
            let (interactive, other) =
                (read(&a.last_sign_in_date_time), read(&a.last_non_interactive_sign_in_date_time));
            user.last_visit_at = interactive.max(other);
            if let Some(t) = read(&a.last_successful_sign_in_date_time) {
                attributes.insert("lastSuccessfulSignInDateTime".into(), Value::String(t.to_rfc3339()));
            }
        }
        if let Some(roles) = dir.roles.get(&user.id) {
            user.roles = roles.iter().map(|r| RoleAssignment::new("directory", r.clone())).collect();
        }
        let skus = self.assigned_licenses.unwrap_or_default().into_iter().filter_map(|l| text(l.sku_id));
        user.license_types = skus.map(|id| dir.skus.get(&id).cloned().unwrap_or(id)).collect();
        for (key, value) in [
            ("userPrincipalName", upn),
            ("userType", self.user_type),
            ("externalUserState", self.external_user_state),
        ] {
            if let Some(v) = text(value) {
                attributes.insert(key.into(), Value::String(v));
            }
        }
        user.attributes = attributes;
        (user, unreadable)
    }
}

/// Best-effort name of a record that failed to parse, for the report.
pub(crate) fn record_name(raw: &Value) -> String {
    let field = |k: &str| raw.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match field("id").or_else(|| field("userPrincipalName")) {
        Some(key) => format!("user {key}"),
        None => "a user without id".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> (User, bool) {
        let dir = Directory {
            skus: HashMap::from([("c7df".to_owned(), "ENTERPRISEPREMIUM".to_owned())]),
            roles: HashMap::from([("u1".to_owned(), vec!["Global Administrator".to_owned()])]),
        };
        serde_json::from_value::<GraphUser>(v).expect("parses").into_user(&dir)
    }

    #[test]
    fn a_member_maps_every_field() {
        let (u, bad) = map(
            json!({"id": "u1", "displayName": "Adele Vance", "mail": null, "userPrincipalName": "AdeleV@contoso.com",
            "accountEnabled": true, "userType": "Member", "externalUserState": null,
            "assignedLicenses": [{"disabledPlans": [], "skuId": "c7df"}, {"skuId": "0000"}],
            "signInActivity": {"lastSignInDateTime": "2021-06-17T16:41:33Z", "lastNonInteractiveSignInDateTime": "2021-07-29T17:53:42.1234567Z",
                               "lastSuccessfulSignInDateTime": ""}}),
        );
        assert!(!bad);
        assert_eq!(
            (u.email.as_deref(), u.name.as_deref(), u.status),
            (Some("AdeleV@contoso.com"), Some("Adele Vance"), UserStatus::Active)
        );
        assert_eq!(
            u.last_visit_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2021-07-29T17:53:42.123456700+00:00")
        );
        assert_eq!(u.roles, [RoleAssignment::new("directory", "Global Administrator")]);
        assert_eq!(u.license_types, ["ENTERPRISEPREMIUM", "0000"]);
        assert_eq!(u.attributes["userPrincipalName"], "AdeleV@contoso.com");
    }

    #[test]
    fn statuses_and_every_never() {
        let status = |enabled: bool, kind: &str, state: Value| {
            map(json!({"id": "x", "accountEnabled": enabled, "userType": kind, "externalUserState": state}))
                .0
                .status
        };
        assert_eq!(status(false, "Guest", json!("PendingAcceptance")), UserStatus::Suspended);
        assert_eq!(status(true, "Guest", json!("PendingAcceptance")), UserStatus::Invited);
        assert_eq!(status(true, "Guest", json!("Accepted")), UserStatus::Active);
        for never in [json!(null), json!(""), json!("0001-01-01T00:00:00Z")] {
            let (u, bad) = map(
                json!({"id": "x", "signInActivity": {"lastSignInDateTime": never, "lastNonInteractiveSignInDateTime": never}}),
            );
            assert_eq!((u.last_visit_at, bad), (None, false));
        }
        let (u, bad) = map(json!({"id": "x", "signInActivity": {"lastSignInDateTime": "yesterday"}}));
        assert_eq!((u.last_visit_at, bad), (None, true));
        assert!(serde_json::from_value::<GraphUser>(json!({"displayName": "no id"})).is_err());
    }
}

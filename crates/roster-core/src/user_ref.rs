//! A [`User`] borrowed from what a connector has just read.
//!
//! A connector that maps many users (a 200,000-member list) hands the sink
//! a [`UserRef`] built on its stack from the parsed record, so that a user
//! costs no allocation on its way to the store. The owned [`User`] stays the
//! model: [`UserRef::to_user`] makes it, and a sink that wants owned users
//! gets them through [`Sink::user_ref`](crate::Sink::user_ref)'s default.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::{RoleAssignment, User, UserStatus};

/// The fields of a [`User`], borrowed. Lists may come in any order and
/// with repeats; a repeated attribute key means its last value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserRef<'a> {
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub status: UserStatus,
    pub last_visit_at: Option<DateTime<Utc>>,
    pub roles: &'a [RoleRef<'a>],
    pub license_types: &'a [&'a str],
    pub attributes: &'a [(&'a str, AttributeRef<'a>)],
}

/// A [`RoleAssignment`], borrowed; ordered as it is (scope, then name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleRef<'a> {
    pub scope: &'a str,
    pub name: &'a str,
}

/// The value of an attribute: text, or any JSON value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttributeRef<'a> {
    Str(&'a str),
    Json(&'a Value),
}

impl<'a> From<&'a Value> for AttributeRef<'a> {
    fn from(v: &'a Value) -> Self {
        match v {
            Value::String(s) => AttributeRef::Str(s),
            other => AttributeRef::Json(other),
        }
    }
}

impl AttributeRef<'_> {
    pub fn to_value(self) -> Value {
        match self {
            AttributeRef::Str(s) => Value::String(s.to_owned()),
            AttributeRef::Json(v) => v.clone(),
        }
    }
}

impl<'a> From<&'a RoleAssignment> for RoleRef<'a> {
    fn from(r: &'a RoleAssignment) -> Self {
        RoleRef { scope: &r.scope, name: &r.name }
    }
}

impl UserRef<'_> {
    /// The owned user, with the lists as given.
    pub fn to_user(&self) -> User {
        let mut attributes = Map::with_capacity(self.attributes.len());
        for (k, v) in self.attributes {
            attributes.insert((*k).to_owned(), v.to_value());
        }
        User {
            id: self.id.to_owned(),
            email: self.email.map(str::to_owned),
            name: self.name.map(str::to_owned),
            status: self.status,
            last_visit_at: self.last_visit_at,
            roles: self.roles.iter().map(|r| RoleAssignment::new(r.scope, r.name)).collect(),
            license_types: self.license_types.iter().map(|l| (*l).to_owned()).collect(),
            attributes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn to_user_keeps_every_field_and_the_last_of_a_repeated_key() {
        let ext = json!({"b": 1, "a": [2]});
        let roles = [RoleRef { scope: "dev", name: "Admin" }, RoleRef { scope: "prod", name: "Viewer" }];
        let attributes = [
            ("grant_type", AttributeRef::Str("team")),
            ("external", AttributeRef::from(&ext)),
            ("grant_type", AttributeRef::Str("guest")),
        ];
        let at = DateTime::from_timestamp(1_700_000_000, 0);
        let view = UserRef {
            id: "7",
            email: Some("a@x.io"),
            name: None,
            status: UserStatus::Invited,
            last_visit_at: at,
            roles: &roles,
            license_types: &["Workato"],
            attributes: &attributes,
        };
        let user = view.to_user();
        assert_eq!(user.id, "7");
        assert_eq!(user.email.as_deref(), Some("a@x.io"));
        assert_eq!(user.name, None);
        assert_eq!(user.status, UserStatus::Invited);
        assert_eq!(user.last_visit_at, at);
        assert_eq!(user.roles, [RoleAssignment::new("dev", "Admin"), RoleAssignment::new("prod", "Viewer")]);
        assert_eq!(user.license_types, ["Workato"]);
        assert_eq!(user.attributes.len(), 2);
        assert_eq!(user.attributes["grant_type"], json!("guest"));
        assert_eq!(user.attributes["external"], ext);
    }

    #[test]
    fn roles_order_as_role_assignments_do() {
        let owned = [
            RoleAssignment::new("prod", "A"),
            RoleAssignment::new("dev", "B"),
            RoleAssignment::new("dev", "A"),
        ];
        let mut a: Vec<RoleRef> = owned.iter().map(RoleRef::from).collect();
        let mut b = owned.to_vec();
        a.sort();
        b.sort();
        assert!(a.iter().zip(&b).all(|(x, y)| x.scope == y.scope && x.name == y.name));
    }
}

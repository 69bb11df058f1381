//! A stored user as its row holds it, for reading out fast.
//!
//! The store keeps roles, license types and attributes as JSON text that is
//! byte for byte what serde_json writes for them (see `codec`), so an export
//! can copy that text instead of decoding it into values and encoding them
//! again: the bytes are the same, at a fraction of the cost.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use roster_core::RoleAssignment;
use roster_core::json_text::plain_len;
use serde::Deserialize;

use crate::codec::{decode_map, decode_roles, decode_strings, from_micros, from_micros_opt};
use crate::error::{Result, StoreError};
use crate::types::StoredUser;

/// One current user of an account, borrowed from the row it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserRow<'a> {
    pub account: &'a str,
    pub connector: &'a str,
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub status: &'a str,
    /// Microseconds since the Unix epoch, as every timestamp here.
    pub last_visit_at: Option<i64>,
    /// `[{"scope":…,"name":…},…]`, as serde_json writes `RoleAssignment`s.
    pub roles: &'a str,
    /// A JSON list of strings.
    pub license_types: &'a str,
    /// A JSON object, keys sorted.
    pub attributes: &'a str,
    pub first_seen_at: i64,
    pub removed_at: Option<i64>,
}

/// A role borrowed from the JSON text when it has no escapes.
#[derive(Deserialize)]
struct RoleText<'a> {
    #[serde(borrow)]
    scope: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
}

impl UserRow<'_> {
    /// Appends the user as one JSON object: the same bytes as
    /// `serde_json::to_writer(&user)` for the [`StoredUser`] it decodes to.
    pub fn write_json(&self, out: &mut Vec<u8>) -> Result<()> {
        out.extend_from_slice(b"{\"account\":");
        json_str(out, self.account);
        out.extend_from_slice(b",\"connector\":");
        json_str(out, self.connector);
        out.extend_from_slice(b",\"id\":");
        json_str(out, self.id);
        out.extend_from_slice(b",\"email\":");
        opt_json_str(out, self.email);
        out.extend_from_slice(b",\"name\":");
        opt_json_str(out, self.name);
        out.extend_from_slice(b",\"status\":");
        json_str(out, self.status);
        out.extend_from_slice(b",\"last_visit_at\":");
        opt_timestamp(out, self.last_visit_at)?;
        out.extend_from_slice(b",\"roles\":");
        out.extend_from_slice(self.roles.as_bytes());
        out.extend_from_slice(b",\"license_types\":");
        out.extend_from_slice(self.license_types.as_bytes());
        out.extend_from_slice(b",\"attributes\":");
        out.extend_from_slice(self.attributes.as_bytes());
        out.extend_from_slice(b",\"first_seen_at\":");
        opt_timestamp(out, Some(self.first_seen_at))?;
        out.extend_from_slice(b",\"removed_at\":");
        opt_timestamp(out, self.removed_at)?;
        out.push(b'}');
        Ok(())
    }

    /// Calls `f` with the scope and name of each role, in stored order.
    pub fn for_each_role(&self, mut f: impl FnMut(&str, &str)) -> Result<()> {
        let roles: Vec<RoleText<'_>> = serde_json::from_str(self.roles)?;
        roles.iter().for_each(|r| f(&r.scope, &r.name));
        Ok(())
    }

    /// Calls `f` with each license type, in stored order.
    pub fn for_each_license_type(&self, mut f: impl FnMut(&str)) -> Result<()> {
        let types: Vec<Cow<'_, str>> = serde_json::from_str(self.license_types)?;
        types.iter().for_each(|t| f(t));
        Ok(())
    }

    /// The last visit, first seen and removed times, decoded.
    pub fn times(&self) -> Result<[Option<DateTime<Utc>>; 3]> {
        Ok([
            from_micros_opt(self.last_visit_at)?,
            Some(from_micros(self.first_seen_at)?),
            from_micros_opt(self.removed_at)?,
        ])
    }

    /// The roles, decoded.
    pub fn roles(&self) -> Result<Vec<RoleAssignment>> {
        decode_roles(self.roles)
    }

    /// The whole user, decoded.
    pub fn to_user(&self) -> Result<StoredUser> {
        Ok(StoredUser {
            account: self.account.to_owned(),
            connector: self.connector.to_owned(),
            id: self.id.to_owned(),
            email: self.email.map(str::to_owned),
            name: self.name.map(str::to_owned),
            status: self.status.to_owned(),
            last_visit_at: from_micros_opt(self.last_visit_at)?,
            roles: decode_roles(self.roles)?,
            license_types: decode_strings(self.license_types)?,
            attributes: decode_map(Some(self.attributes))?,
            first_seen_at: from_micros(self.first_seen_at)?,
            removed_at: from_micros_opt(self.removed_at)?,
        })
    }
}

/// A stored user's columns, owned: what a backend that cannot lend its rows
/// (Postgres) hands out as a [`UserRow`].
pub(crate) struct OwnedUserRow {
    user: StoredUser,
    roles: String,
    license_types: String,
    attributes: String,
}

impl OwnedUserRow {
    pub(crate) fn encode(user: StoredUser) -> Result<Self> {
        let encode = |e: serde_json::Error| StoreError::Invalid(format!("a user could not be encoded: {e}"));
        Ok(OwnedUserRow {
            roles: serde_json::to_string(&user.roles).map_err(encode)?,
            license_types: serde_json::to_string(&user.license_types).map_err(encode)?,
            attributes: serde_json::to_string(&user.attributes).map_err(encode)?,
            user,
        })
    }

    pub(crate) fn row(&self) -> UserRow<'_> {
        let u = &self.user;
        UserRow {
            account: &u.account,
            connector: &u.connector,
            id: &u.id,
            email: u.email.as_deref(),
            name: u.name.as_deref(),
            status: &u.status,
            last_visit_at: u.last_visit_at.map(|t| t.timestamp_micros()),
            roles: &self.roles,
            license_types: &self.license_types,
            attributes: &self.attributes,
            first_seen_at: u.first_seen_at.timestamp_micros(),
            removed_at: u.removed_at.map(|t| t.timestamp_micros()),
        }
    }
}

/// `s` as a JSON string, exactly as serde_json writes it.
fn json_str(out: &mut Vec<u8>, s: &str) {
    if plain_len(s.as_bytes()) == s.len() {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing a str into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn opt_json_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A timestamp as `roster_core::timestamp` prints it, quoted, or `null`.
fn opt_timestamp(out: &mut Vec<u8>, micros: Option<i64>) -> Result<()> {
    match micros {
        Some(m) => {
            out.push(b'"');
            out.extend_from_slice(roster_core::timestamp(&from_micros(m)?).as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(roles: &'a str, license_types: &'a str, attributes: &'a str) -> UserRow<'a> {
        UserRow {
            account: "acme",
            connector: "workato",
            id: "u\"1",
            email: Some("a@example.com"),
            name: Some("Zoë \\ \n <b>"),
            status: "active",
            last_visit_at: Some(1_764_000_000_123_000),
            roles,
            license_types,
            attributes,
            first_seen_at: 1_764_000_000_000_000,
            removed_at: None,
        }
    }

    #[test]
    fn write_json_is_byte_for_byte_serde_json_of_the_decoded_user() {
        let r = row(
            r#"[{"scope":"dev","name":"Admin \"x\""},{"scope":"prod","name":"Operator"}]"#,
            r#"["Workato","é\u0001"]"#,
            r#"{"a":1,"b":[1.5,"x",{"k":null}],"c":"\u001f","d":true}"#,
        );
        let mut ours = Vec::new();
        r.write_json(&mut ours).unwrap();
        let theirs = serde_json::to_vec(&r.to_user().unwrap()).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
    }

    #[test]
    fn roles_and_license_types_are_read_with_their_escapes() {
        let r = row(r#"[{"scope":"d\"v","name":"A"}]"#, r#"["x\ny","z"]"#, "{}");
        let mut roles = Vec::new();
        r.for_each_role(|s, n| roles.push(format!("{s}:{n}"))).unwrap();
        assert_eq!(roles, ["d\"v:A"]);
        let mut types = Vec::new();
        r.for_each_license_type(|t| types.push(t.to_owned())).unwrap();
        assert_eq!(types, ["x\ny", "z"]);
        assert!(row("[", "[]", "{}").for_each_role(|_, _| {}).is_err());
    }

    #[test]
    fn an_owned_row_lends_the_same_columns() {
        let r = row(r#"[{"scope":"dev","name":"Admin"}]"#, r#"["Workato"]"#, r#"{"a":{"b":2}}"#);
        let owned = OwnedUserRow::encode(r.to_user().unwrap()).unwrap();
        assert_eq!(owned.row(), r);
    }
}

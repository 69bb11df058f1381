//! The collaborator shape from `GET /api/members`, and its mapping to [`User`].

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use roster_core::{AttributeRef, RoleRef, User, UserRef, UserStatus};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use smallvec::SmallVec;

/// The one license type Workato has: a seat in the workspace.
pub const LICENSE_TYPE: &str = "Workato";

/// A collaborator as Workato lists it. Every field but `id` may be missing or
/// null; unknown fields are ignored. Text borrows from the body where it has
/// no escapes: a member is mapped to a [`User`] at once, and the User owns.
#[derive(Debug, PartialEq, Deserialize)]
pub(crate) struct Member<'a> {
    #[serde(borrow)]
    pub id: MemberId<'a>,
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub email: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub name: Option<Cow<'a, str>>,
    /// One entry per environment (current API).
    #[serde(default, borrow)]
    pub roles: Option<Vec<MemberRole<'a>>>,
    /// The older flat shape: one role, which is the DEV role.
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub role_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub last_activity_log: Option<ActivityRef<'a>>,
    #[serde(default)]
    pub external_id: Option<Value>,
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub time_zone: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub grant_type: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub created_at: Option<Cow<'a, str>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub(crate) struct MemberRole<'a> {
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub environment_type: Option<Cow<'a, str>>,
    #[serde(default, borrow, alias = "name", deserialize_with = "borrowed_text")]
    pub role_name: Option<Cow<'a, str>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub(crate) struct ActivityRef<'a> {
    #[serde(default, borrow, deserialize_with = "borrowed_text")]
    pub created_at: Option<Cow<'a, str>>,
}

/// Optional text for the derive (the reference `member_parser` is tested
/// against): borrowed when it has no escapes, as the parser reads it.
/// serde's own `Option<Cow<str>>` always allocates (`borrow` reaches only a
/// bare `Cow`).
pub(crate) fn borrowed_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct TextVisitor;
    impl<'de> Visitor<'de> for TextVisitor {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_owned())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v)))
        }
    }
    d.deserialize_option(TextVisitor)
}

/// A member's id as the body has it: an integer (the API's type), or text,
/// which must not be blank. Written out only when the user is sent, into a
/// buffer on the stack.
#[derive(Debug, PartialEq)]
pub(crate) enum MemberId<'a> {
    Unsigned(u64),
    Signed(i64),
    Text(Cow<'a, str>),
}

impl MemberId<'_> {
    pub(crate) fn as_str<'b>(&'b self, buf: &'b mut itoa::Buffer) -> &'b str {
        match self {
            MemberId::Unsigned(n) => buf.format(*n),
            MemberId::Signed(n) => buf.format(*n),
            MemberId::Text(t) => t,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for MemberId<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl<'de> Visitor<'de> for IdVisitor {
            type Value = MemberId<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or string id")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(MemberId::Unsigned(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(MemberId::Signed(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                non_blank(v)?;
                Ok(MemberId::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                non_blank(v)?;
                Ok(MemberId::Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_any(IdVisitor)
    }
}

fn non_blank<E: de::Error>(id: &str) -> Result<(), E> {
    if id.trim().is_empty() { Err(E::custom("the id is empty")) } else { Ok(()) }
}

/// Ids are integers in the API; strings are accepted too.
pub(crate) fn deserialize_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct IdVisitor;
    impl Visitor<'_> for IdVisitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer or string id")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            non_blank(v)?;
            Ok(v.to_owned())
        }
    }
    d.deserialize_any(IdVisitor)
}

/// Parses a Workato timestamp (RFC 3339 with an offset, Rails style) to UTC.
pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc))
}

/// A member's roles, borrowed: Workato has one per environment.
pub(crate) type RoleRefs<'m> = SmallVec<[RoleRef<'m>; 4]>;
/// A member's attributes, borrowed, in key order.
pub(crate) type AttributeRefs<'m> = SmallVec<[(&'m str, AttributeRef<'m>); 6]>;

/// When a member last did anything audited, as far as the list says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Activity {
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The member had a last-activity timestamp that could not be read.
    pub unreadable_time: bool,
}

/// A role's scope as the model keeps it: trimmed, lowercase, `dev` when
/// missing. Borrowed unless it had to change case or came with escapes.
fn normalize_scope(raw: Option<Cow<'_, str>>) -> Cow<'_, str> {
    match raw {
        Some(Cow::Borrowed(s)) => {
            let t = s.trim();
            if t.is_empty() {
                Cow::Borrowed("dev")
            } else if t.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(t.to_ascii_lowercase())
            } else {
                Cow::Borrowed(t)
            }
        }
        Some(Cow::Owned(s)) if !s.trim().is_empty() => Cow::Owned(s.trim().to_ascii_lowercase()),
        _ => Cow::Borrowed("dev"),
    }
}

/// Text that counts only when it is not blank, trimmed.
fn trimmed<'m>(v: &'m Option<Cow<'_, str>>) -> Option<&'m str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl<'a> Member<'a> {
    /// Puts role scopes in the model's form, in place, so that the user
    /// can borrow them.
    pub(crate) fn normalize(&mut self) {
        for role in self.roles.iter_mut().flatten() {
            role.environment_type = Some(normalize_scope(role.environment_type.take()));
        }
    }

    pub(crate) fn activity(&self) -> Activity {
        let raw = self.last_activity_log.as_ref().and_then(|l| l.created_at.as_deref());
        let last_activity_at = raw.and_then(parse_time);
        Activity { last_activity_at, unreadable_time: raw.is_some() && last_activity_at.is_none() }
    }

    /// Roles with a name, one per scope and name, sorted as the store keeps
    /// them. The older flat `role_name` is the DEV role. Call
    /// [`Member::normalize`] first.
    pub(crate) fn role_refs(&self) -> RoleRefs<'_> {
        let mut roles: RoleRefs<'_> = self
            .roles
            .iter()
            .flatten()
            .filter(|r| trimmed(&r.role_name).is_some_and(|n| !is_no_access(n)))
            .map(|r| RoleRef {
                scope: r.environment_type.as_deref().unwrap_or("dev"),
                name: r.role_name.as_deref().unwrap_or_default(),
            })
            .collect();
        if roles.is_empty()
            && let Some(name) = self.role_name.as_deref().filter(|n| !n.trim().is_empty() && !is_no_access(n))
        {
            roles.push(RoleRef { scope: "dev", name });
        }
        roles.sort_unstable();
        roles.dedup();
        roles
    }

    /// The vendor attributes, in key order (the order the store keeps).
    pub(crate) fn attribute_refs(&self) -> AttributeRefs<'_> {
        let fields = [
            ("created_at", self.created_at.as_deref().map(AttributeRef::Str)),
            ("external_id", self.external_id.as_ref().filter(|v| !v.is_null()).map(AttributeRef::Json)),
            ("grant_type", self.grant_type.as_deref().map(AttributeRef::Str)),
            ("time_zone", self.time_zone.as_deref().map(AttributeRef::Str)),
        ];
        fields.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
    }

    /// The member as a borrowed user, with the lists the caller built from
    /// it (they live on the caller's stack, so no user costs an allocation).
    pub(crate) fn user<'m>(
        &'m self,
        id: &'m str,
        activity: &Activity,
        roles: &'m [RoleRef<'m>],
        attributes: &'m [(&'m str, AttributeRef<'m>)],
    ) -> UserRef<'m> {
        UserRef {
            id,
            email: trimmed(&self.email),
            name: trimmed(&self.name),
            status: UserStatus::Active,
            last_visit_at: activity.last_activity_at,
            roles,
            license_types: &[LICENSE_TYPE],
            attributes,
        }
    }

    /// The member as a sync maps it: the one mapping the sync's stream and
    /// `read_user` share. Normalizes the member first.
    pub(crate) fn mapped(&mut self) -> Mapped<'_> {
        self.normalize();
        let member: &Member<'_> = self;
        Mapped {
            activity: member.activity(),
            roles: member.role_refs(),
            attributes: member.attribute_refs(),
            member,
        }
    }

    /// The member as an owned [`User`], as a sync maps it.
    pub(crate) fn into_user(mut self) -> User {
        let mut id = itoa::Buffer::new();
        self.mapped().user(&mut id).to_user()
    }
}

/// A member mapped as a sync maps it, borrowed from the member: its activity, roles and
/// attributes (a caller may add attributes before it asks for the user).
pub(crate) struct Mapped<'m> {
    member: &'m Member<'m>,
    pub activity: Activity,
    pub roles: RoleRefs<'m>,
    pub attributes: AttributeRefs<'m>,
}

impl Mapped<'_> {
    /// The borrowed user; `id` is where an integer id is written out.
    pub(crate) fn user<'s>(&'s self, id: &'s mut itoa::Buffer) -> UserRef<'s> {
        self.member.user(self.member.id.as_str(id), &self.activity, &self.roles, &self.attributes)
    }
}

/// Workato's role name for "no access to this environment" [DOC put-members-id]: a
/// collaborator whose entry reads so has no role there.
pub const NO_ACCESS: &str = "NoAccess";

/// Whether a role name is [`NO_ACCESS`] (any case).
pub(crate) fn is_no_access(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(NO_ACCESS)
}

/// Parses one element of the `/api/members` list as a sync does: the member,
/// or the record's id and why it could not be read (without its values).
///
/// The record is checked as UTF-8 once, as a whole, then read by the parser
/// written for its shape (`member_parser`); the serde derive of [`Member`]
/// is the reference it is tested against.
pub(crate) fn parse_member(raw: &[u8]) -> Result<Member<'_>, (String, String)> {
    let text =
        std::str::from_utf8(raw).map_err(|_| (record_id(raw), "the record is not valid utf-8".to_owned()))?;
    crate::member_parser::parse(text).map_err(|reason| (record_id(raw), reason))
}

/// One element of the `/api/members` list, parsed and mapped to a [`User`]
/// exactly as a sync does, or the record's id and why it was skipped. Public
/// for the property tests, which feed it arbitrary bytes.
#[doc(hidden)]
pub fn parse_member_json(raw: &[u8]) -> Result<User, (String, String)> {
    parse_member(raw).map(Member::into_user)
}

/// Whether the parser written for members (`member_parser`) and the serde
/// derive of [`Member`] read `raw` alike: both refuse it, or both read the
/// same member. Serde alone reads a struct from a JSON array of its fields;
/// there only the derive may succeed. Public for the property tests.
#[doc(hidden)]
pub fn member_parsers_agree(raw: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return Ok(());
    };
    let fast = crate::member_parser::parse(text);
    let reference = serde_json::from_str::<Member>(text);
    match (fast, reference) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Ok(a), Ok(b)) => Err(format!("different members: {a:?} and {b:?}")),
        (Err(_), Err(_)) => Ok(()),
        (Ok(a), Err(e)) => Err(format!("only the member parser read it: {a:?}; serde: {e}")),
        (Err(_), Ok(_)) if struct_as_array(text) => Ok(()),
        (Err(e), Ok(b)) => Err(format!("only serde read it: {b:?}; the member parser: {e}")),
    }
}

/// Whether a struct of the member is written as a JSON array.
fn struct_as_array(text: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    v.is_array()
        || v["last_activity_log"].is_array()
        || v["roles"].as_array().is_some_and(|roles| roles.iter().any(Value::is_array))
}

/// Best-effort id of a record that failed to parse, for the report.
pub(crate) fn record_id(raw: &[u8]) -> String {
    serde_json::from_slice::<Value>(raw)
        .ok()
        .and_then(|v| v.get("id").map(|id| id.to_string()))
        .unwrap_or_else(|| "(unknown id)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::RoleAssignment;
    use serde_json::json;

    /// A member as a sync maps it.
    struct Mapped {
        user: User,
        activity: Activity,
    }

    fn map(v: Value) -> Mapped {
        let raw = serde_json::to_vec(&v).unwrap();
        let member = serde_json::from_slice::<Member>(&raw).unwrap();
        let activity = member.activity();
        Mapped { user: member.into_user(), activity }
    }

    fn parses(v: Value) -> bool {
        let raw = serde_json::to_vec(&v).unwrap();
        serde_json::from_slice::<Member>(&raw).is_ok()
    }

    #[test]
    fn ids_are_integers_or_text_that_is_not_blank() {
        assert_eq!(map(json!({"id": 18446744073709551615u64})).user.id, "18446744073709551615");
        assert_eq!(map(json!({"id": -12})).user.id, "-12");
        assert_eq!(map(json!({"id": "u-7"})).user.id, "u-7");
        assert_eq!(map(json!({"id": "tab\tid"})).user.id, "tab\tid");
        assert!(!parses(json!({"id": "  "})));
        assert!(!parses(json!({"id": 1.5})));
        assert!(!parses(json!({"id": null})));
        assert!(!parses(json!({"email": "a@x.io"})));
    }

    #[test]
    fn text_without_escapes_is_borrowed_from_the_body() {
        let raw = br#"{"id": 1, "email": "a@x.io", "name": "A\u00e9", "time_zone": null,
                       "roles": [{"environment_type": "dev", "role_name": "Admin"}]}"#;
        let m = parse_member(raw).unwrap();
        assert!(matches!(m.email, Some(Cow::Borrowed("a@x.io"))));
        assert!(matches!(m.name.as_deref(), Some("A\u{e9}")));
        assert!(matches!(m.name, Some(Cow::Owned(_))), "an escape needs its own copy");
        assert!(m.time_zone.is_none());
        let role = &m.roles.as_ref().unwrap()[0];
        assert!(matches!(role.role_name, Some(Cow::Borrowed("Admin"))));
        assert!(parse_member(br#"{"id": 1, "email": 5}"#).is_err(), "a number is not an email");
        assert!(parse_member(b"{\"id\": 1, \"name\": \"\xff\"}").is_err());
    }

    #[test]
    fn full_member_maps_every_field() {
        let m = map(json!({
            "id": 1001, "grant_type": "team",
            "roles": [
                {"environment_type": "dev", "role_name": "Admin", "role_type": "privilege_group"},
                {"environment_type": "PROD", "role_name": "Operator"}
            ],
            "last_activity_log": {"id": 9, "event_type": "user_login", "created_at": "2024-05-01T10:22:33.123-07:00"},
            "external_id": null, "name": "Alice Admin", "email": " Alice@Example.com ",
            "time_zone": "Pacific Time (US & Canada)", "created_at": "2023-01-02T15:04:05.000-08:00",
            "sso": true
        }));
        let u = m.user;
        assert_eq!(u.id, "1001");
        assert_eq!(u.email.as_deref(), Some("Alice@Example.com"));
        assert_eq!(u.status, UserStatus::Active);
        assert_eq!(u.last_visit_at.unwrap().to_rfc3339(), "2024-05-01T17:22:33.123+00:00");
        assert_eq!(
            u.roles,
            vec![RoleAssignment::new("dev", "Admin"), RoleAssignment::new("prod", "Operator")]
        );
        assert_eq!(u.license_types, vec!["Workato"]);
        assert_eq!(u.attributes.get("time_zone"), Some(&json!("Pacific Time (US & Canada)")));
        assert!(!u.attributes.contains_key("external_id"));
        assert!(!m.activity.unreadable_time);
    }

    #[test]
    fn flat_shape_gets_a_dev_role_and_nulls_are_none() {
        let u = map(json!({"id": "7", "role_name": "Analyst", "last_activity_log": null, "email": null, "name": null}))
            .user;
        assert_eq!(u.roles, vec![RoleAssignment::new("dev", "Analyst")]);
        assert_eq!(u.last_visit_at, None);
        assert_eq!(u.email, None);
    }

    #[test]
    fn no_access_entries_are_no_role() {
        let u = map(json!({"id": 3, "roles": [
            {"environment_type": "dev", "role_name": "Analyst"},
            {"environment_type": "prod", "role_name": "NoAccess"}
        ]}))
        .user;
        assert_eq!(u.roles, vec![RoleAssignment::new("dev", "Analyst")]);
        let u = map(json!({"id": 4, "roles": [{"environment_type": "dev", "name": "noaccess"}]})).user;
        assert!(u.roles.is_empty(), "{:?}", u.roles);
    }

    #[test]
    fn wrong_types_fail_the_record() {
        assert!(!parses(json!({"id": 1, "email": 42})));
        assert!(!parses(json!({"email": "a@b.c"})));
        assert_eq!(record_id(br#"{"id": 5, "email": 42}"#), "5");
    }

    #[test]
    fn unreadable_time_is_flagged_not_fatal() {
        let m = map(json!({"id": 1, "last_activity_log": {"created_at": "yesterday"}}));
        assert!(m.activity.unreadable_time);
        assert_eq!(m.user.last_visit_at, None);
    }
}

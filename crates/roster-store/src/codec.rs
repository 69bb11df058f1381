//! How values become columns: timestamps as microseconds, lists and maps as
//! canonical JSON text, and a stable content hash of each user.

use chrono::{DateTime, Utc};
use std::borrow::Cow;

use roster_core::json_text::plain_len;
use roster_core::{AttributeRef, RoleAssignment, RoleRef, TenantRecord, User, UserRef};
use serde_json::{Map, Value};
use smallvec::SmallVec;

use crate::error::{Result, StoreError};

/// A batch of users encoded for staging, computed by the caller so that the
/// single writer does SQL only. All text lives in one buffer, so handing a
/// batch to the writer thread costs two allocations, not several per user.
#[derive(Debug, Default)]
pub(crate) struct StagedBatch {
    enc: Encoder,
    rows: Vec<StagedRow>,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug)]
struct StagedRow {
    id: Span,
    email: Option<Span>,
    name: Option<Span>,
    status: &'static str,
    last_visit_at: Option<i64>,
    roles: Span,
    license_types: Span,
    attributes: Span,
    hash: i64,
}

/// One staged user, borrowed from its batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StagedUser<'a> {
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub status: &'static str,
    pub last_visit_at: Option<i64>,
    pub roles: &'a str,
    pub license_types: &'a str,
    pub attributes: &'a str,
    /// Hash of every field except `last_visit_at`, which changes too often
    /// to count as a change of the user.
    pub hash: i64,
}

/// The text of a batch, with the spans of what was written to it.
#[derive(Debug, Default)]
struct Encoder {
    buf: String,
}

impl Encoder {
    fn text(&mut self, s: &str) -> Span {
        let start = self.buf.len();
        self.buf.push_str(s);
        Span { start, end: self.buf.len() }
    }

    /// Roles as `[{"scope":…,"name":…},…]`, byte for byte what serde_json
    /// writes for `RoleAssignment`s (stored hashes depend on it).
    fn roles(&mut self, roles: &[RoleRef<'_>]) -> Span {
        let start = self.buf.len();
        self.buf.push('[');
        for (i, r) in roles.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            self.buf.push_str("{\"scope\":");
            json_str(&mut self.buf, r.scope);
            self.buf.push_str(",\"name\":");
            json_str(&mut self.buf, r.name);
            self.buf.push('}');
        }
        self.buf.push(']');
        Span { start, end: self.buf.len() }
    }

    /// A list of strings, as serde_json writes it.
    fn strings(&mut self, items: &[&str]) -> Span {
        let start = self.buf.len();
        self.buf.push('[');
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            json_str(&mut self.buf, s);
        }
        self.buf.push(']');
        Span { start, end: self.buf.len() }
    }

    /// Attributes as the JSON object serde_json writes for a map with these
    /// entries in this order; nested objects get their keys sorted.
    fn attributes(&mut self, entries: &[(&str, AttributeRef<'_>)]) -> Result<Span> {
        let start = self.buf.len();
        self.buf.push('{');
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            json_str(&mut self.buf, k);
            self.buf.push(':');
            let encoded = match *v {
                AttributeRef::Str(s) => {
                    json_str(&mut self.buf, s);
                    continue;
                }
                AttributeRef::Json(v @ (Value::Object(_) | Value::Array(_))) => {
                    let mut v = v.clone();
                    v.sort_all_objects();
                    serde_json::to_string(&v)
                }
                AttributeRef::Json(v) => serde_json::to_string(v),
            };
            let encoded = encoded
                .map_err(|e| StoreError::Invalid(format!("a user could not be encoded as json: {e}")))?;
            self.buf.push_str(&encoded);
        }
        self.buf.push('}');
        Ok(Span { start, end: self.buf.len() })
    }

    fn get(&self, span: Span) -> &[u8] {
        self.buf.as_bytes().get(span.start..span.end).unwrap_or_default()
    }
}

impl StagedBatch {
    /// An empty batch with room for `users` users and `text` bytes of text.
    pub fn with_capacity(users: usize, text: usize) -> Self {
        Self { enc: Encoder { buf: String::with_capacity(text) }, rows: Vec::with_capacity(users) }
    }

    /// Encodes `users` into a new batch.
    #[cfg(test)]
    pub fn encode(users: Vec<User>) -> Result<Self> {
        let mut batch = Self::with_capacity(users.len(), users.len() * 256);
        for user in users {
            batch.push(user)?;
        }
        Ok(batch)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether the batch has its buffers yet (a default batch has none).
    pub fn is_allocated(&self) -> bool {
        self.rows.capacity() > 0
    }

    /// Bytes of text the batch holds.
    pub fn text_len(&self) -> usize {
        self.enc.buf.len()
    }

    /// Encodes one user and drops it. Its lists are borrowed on the stack,
    /// so a usual user costs no allocation here beyond its own.
    pub fn push(&mut self, user: User) -> Result<()> {
        let roles: SmallVec<[RoleRef<'_>; 4]> = user.roles.iter().map(RoleRef::from).collect();
        let license_types: SmallVec<[&str; 4]> = user.license_types.iter().map(String::as_str).collect();
        let attributes: SmallVec<[(&str, AttributeRef<'_>); 8]> =
            user.attributes.iter().map(|(k, v)| (k.as_str(), AttributeRef::from(v))).collect();
        self.push_ref(&UserRef {
            id: &user.id,
            email: user.email.as_deref(),
            name: user.name.as_deref(),
            status: user.status,
            last_visit_at: user.last_visit_at,
            roles: &roles,
            license_types: &license_types,
            attributes: &attributes,
        })
    }

    /// Encodes one user: roles and license types sorted and deduplicated,
    /// attribute keys sorted (the last value of a repeated key kept), so
    /// that a vendor reordering them is no change. Lists that come sorted,
    /// as a careful connector sends them, are encoded without a copy.
    pub fn push_ref(&mut self, user: &UserRef<'_>) -> Result<()> {
        let roles = canonical(user.roles);
        let license_types = canonical(user.license_types);
        let attributes = canonical_entries(user.attributes);
        let enc = &mut self.enc;
        let row = StagedRow {
            id: enc.text(user.id),
            email: user.email.map(|e| enc.text(e)),
            name: user.name.map(|n| enc.text(n)),
            status: user.status.as_str(),
            last_visit_at: user.last_visit_at.map(|t| to_micros(&t)),
            roles: enc.roles(&roles),
            license_types: enc.strings(&license_types),
            attributes: enc.attributes(&attributes)?,
            hash: 0,
        };
        let mut h = Fnv::new();
        h.opt(row.email.map(|s| enc.get(s)));
        h.opt(row.name.map(|s| enc.get(s)));
        h.field(row.status.as_bytes());
        h.field(enc.get(row.roles));
        h.field(enc.get(row.license_types));
        h.field(enc.get(row.attributes));
        self.rows.push(StagedRow { hash: h.finish(), ..row });
        Ok(())
    }

    fn get(&self, span: Span) -> &str {
        self.enc.buf.get(span.start..span.end).unwrap_or_default()
    }

    pub fn users(&self) -> impl Iterator<Item = StagedUser<'_>> {
        self.rows.iter().map(|r| StagedUser {
            id: self.get(r.id),
            email: r.email.map(|s| self.get(s)),
            name: r.name.map(|s| self.get(s)),
            status: r.status,
            last_visit_at: r.last_visit_at,
            roles: self.get(r.roles),
            license_types: self.get(r.license_types),
            attributes: self.get(r.attributes),
            hash: r.hash,
        })
    }
}

/// Writes `s` as a JSON string exactly as serde_json does: most strings need
/// no escaping and are copied; the rest go through serde_json.
fn json_str(buf: &mut String, s: &str) {
    if plain_len(s.as_bytes()) == s.len() {
        buf.push('"');
        buf.push_str(s);
        buf.push('"');
    } else if let Ok(quoted) = serde_json::to_string(s) {
        // Writing a str as JSON cannot fail.
        buf.push_str(&quoted);
    }
}

/// `items` sorted and deduplicated: borrowed when they already are.
fn canonical<T: Ord + Clone>(items: &[T]) -> Cow<'_, [T]> {
    if items.is_sorted_by(|a, b| a < b) {
        return Cow::Borrowed(items);
    }
    let mut owned = items.to_vec();
    owned.sort();
    owned.dedup();
    Cow::Owned(owned)
}

/// Entries sorted by key, the last of a repeated key kept: borrowed when
/// their keys already are strictly in order.
fn canonical_entries<'e, 'a>(
    entries: &'e [(&'a str, AttributeRef<'a>)],
) -> Cow<'e, [(&'a str, AttributeRef<'a>)]> {
    if entries.is_sorted_by(|a, b| a.0 < b.0) {
        return Cow::Borrowed(entries);
    }
    let mut owned = entries.to_vec();
    // Stable, so that equal keys keep their order and the last one is kept.
    owned.sort_by(|a, b| a.0.cmp(b.0));
    let mut kept: Vec<(&str, AttributeRef<'_>)> = Vec::with_capacity(owned.len());
    for entry in owned {
        match kept.last_mut() {
            Some(last) if last.0 == entry.0 => *last = entry,
            _ => kept.push(entry),
        }
    }
    Cow::Owned(kept)
}

fn encode_json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| StoreError::Invalid(format!("a value could not be encoded as json: {e}")))
}

/// Sorts the keys of a map and of every map nested in it.
pub(crate) fn canonicalize(map: &mut Map<String, Value>) {
    for v in map.values_mut() {
        if v.is_object() || v.is_array() {
            v.sort_all_objects();
        }
    }
    if !map.keys().is_sorted() {
        map.sort_keys();
    }
}

/// Encodes a map with sorted keys.
pub(crate) fn encode_map(map: &Map<String, Value>) -> Result<String> {
    let mut map = map.clone();
    canonicalize(&mut map);
    encode_json(&map)
}

pub(crate) fn to_micros(t: &DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub(crate) fn from_micros(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {micros} is out of range")))
}

pub(crate) fn from_micros_opt(micros: Option<i64>) -> Result<Option<DateTime<Utc>>> {
    micros.map(from_micros).transpose()
}

pub(crate) fn now_micros() -> i64 {
    to_micros(&Utc::now())
}

pub(crate) fn decode_roles(text: &str) -> Result<Vec<RoleAssignment>> {
    Ok(serde_json::from_str(text)?)
}

pub(crate) fn decode_strings(text: &str) -> Result<Vec<String>> {
    Ok(serde_json::from_str(text)?)
}

pub(crate) fn decode_map(text: Option<&str>) -> Result<Map<String, Value>> {
    match text {
        Some(t) => Ok(serde_json::from_str(t)?),
        None => Ok(Map::new()),
    }
}

pub(crate) fn decode_record(
    tenant_id: Option<String>,
    name: Option<String>,
    plan: Option<String>,
    attributes: Option<String>,
) -> Result<Option<TenantRecord>> {
    let Some(tenant_id) = tenant_id else {
        return Ok(None);
    };
    Ok(Some(TenantRecord { tenant_id, name, plan, attributes: decode_map(attributes.as_deref())? }))
}

/// Saturating conversion of a count to a column value.
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Saturating conversion of a column value to a count.
pub(crate) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// 64-bit FNV-1a: stable across Rust versions and platforms, which stored
/// hashes need (std's hasher makes no such promise).
struct Fnv(u64);

impl Fnv {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Self(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// A present field: a tag and its length, so that fields cannot run
    /// into each other.
    fn field(&mut self, s: &[u8]) {
        self.bytes(&[1]);
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s);
    }

    fn opt(&mut self, s: Option<&[u8]>) {
        match s {
            Some(s) => self.field(s),
            None => self.bytes(&[0]),
        }
    }

    fn finish(&self) -> i64 {
        i64::from_ne_bytes(self.0.to_ne_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::UserStatus;
    use serde_json::json;

    fn user() -> User {
        let mut u = User::new("u1", UserStatus::Active);
        u.email = Some("a@example.com".into());
        u.roles = vec![RoleAssignment::new("dev", "admin"), RoleAssignment::new("account", "member")];
        u.license_types = vec!["pro".into(), "basic".into()];
        u.attributes.insert("z".into(), json!({"b": 1, "a": 2}));
        u.attributes.insert("a".into(), json!(true));
        u
    }

    fn encode(u: User) -> (String, i64) {
        let batch = StagedBatch::encode(vec![u]).unwrap();
        let u = batch.users().next().unwrap();
        (format!("{u:?}"), u.hash)
    }

    #[test]
    fn order_of_lists_and_keys_is_no_change() {
        let a = encode(user());
        let mut u = user();
        u.roles.reverse();
        u.roles.push(RoleAssignment::new("dev", "admin"));
        u.license_types.reverse();
        let mut attrs = Map::new();
        attrs.insert("a".into(), json!(true));
        attrs.insert("z".into(), json!({"a": 2, "b": 1}));
        u.attributes = attrs;
        assert_eq!(a, encode(u));
        assert!(a.0.contains(r#"{\"a\":true,\"z\":{\"a\":2,\"b\":1}}"#), "{}", a.0);
    }

    #[test]
    fn last_visit_is_not_hashed_but_status_is() {
        let (_, a) = encode(user());
        let mut u = user();
        u.last_visit_at = Some(Utc::now());
        assert_eq!(a, encode(u).1);
        let mut u = user();
        u.status = UserStatus::Suspended;
        assert_ne!(a, encode(u).1);
        let mut u = user();
        u.email = None;
        u.name = Some("a@example.com".into());
        assert_ne!(a, encode(u).1);
    }

    #[test]
    fn hand_written_json_is_what_serde_json_writes() {
        let texts = [
            "",
            "plain",
            "Björn Müller",
            "q\"uote",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}\u{1f}\u{7f}",
            "emoji 🎉",
        ];
        let mut u = user();
        u.roles = texts.iter().map(|t| RoleAssignment::new(*t, format!("{t}!"))).collect();
        u.license_types = texts.iter().map(|t| (*t).to_owned()).collect();
        u.attributes = texts.iter().enumerate().map(|(i, t)| (format!("{t}{i}"), json!(t))).collect();
        u.attributes.insert("nested".into(), json!({"b": [1, "x\"y", null], "a": 2.5}));
        u.attributes.insert("flag".into(), json!(false));
        let batch = StagedBatch::encode(vec![u.clone()]).unwrap();
        let got = batch.users().next().unwrap();
        let mut roles = u.roles.clone();
        roles.sort();
        roles.dedup();
        let mut licenses = u.license_types.clone();
        licenses.sort();
        licenses.dedup();
        let mut attributes = u.attributes.clone();
        canonicalize(&mut attributes);
        assert_eq!(got.roles, serde_json::to_string(&roles).unwrap());
        assert_eq!(got.license_types, serde_json::to_string(&licenses).unwrap());
        assert_eq!(got.attributes, serde_json::to_string(&attributes).unwrap());
    }

    #[test]
    fn a_borrowed_user_encodes_as_its_owned_user_does() {
        let ext = json!({"z": 1, "a": {"d": 2, "c": 3}});
        let roles = [
            RoleRef { scope: "prod", name: "Viewer" },
            RoleRef { scope: "dev", name: "Admin" },
            RoleRef { scope: "prod", name: "Viewer" },
        ];
        let attributes = [
            ("time_zone", AttributeRef::Str("UTC")),
            ("external_id", AttributeRef::from(&ext)),
            ("grant_type", AttributeRef::Str("team")),
            ("time_zone", AttributeRef::Str("Kathmandu")),
        ];
        let view = UserRef {
            id: "1001",
            email: Some("a@x.io"),
            name: Some("Björn \"B\""),
            status: roster_core::UserStatus::Active,
            last_visit_at: DateTime::from_timestamp(1_700_000_000, 5_000),
            roles: &roles,
            license_types: &["Workato", "Admin seat", "Workato"],
            attributes: &attributes,
        };
        let mut borrowed = StagedBatch::with_capacity(1, 256);
        borrowed.push_ref(&view).unwrap();
        let owned = StagedBatch::encode(vec![view.to_user()]).unwrap();
        let (a, b) = (borrowed.users().next().unwrap(), owned.users().next().unwrap());
        assert_eq!(a, b);
        assert_eq!(
            a.attributes,
            r#"{"external_id":{"a":{"c":3,"d":2},"z":1},"grant_type":"team","time_zone":"Kathmandu"}"#
        );
        assert_eq!(a.roles, r#"[{"scope":"dev","name":"Admin"},{"scope":"prod","name":"Viewer"}]"#);
        assert_eq!(a.license_types, r#"["Admin seat","Workato"]"#);
    }

    #[test]
    fn hash_is_stable() {
        let mut h = Fnv::new();
        h.bytes(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }
}

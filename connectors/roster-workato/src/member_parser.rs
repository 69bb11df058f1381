//! A parser written for the one shape a sync reads most: a collaborator of
//! `/api/members`.
//!
//! It reads the same JSON the serde derive of [`Member`] reads and builds
//! the same value, text borrowed from the record where it has no escapes,
//! in about 7k instructions a member against the derive's 8.9k (BENCHMARKS.md):
//! it knows the fields, matches keys by their bytes, scans strings eight
//! bytes at a time, and skips unknown values without building them. The derive stays
//! the reference: a property test holds the two to the same answer on
//! generated and mutated records (`tests/parser_props.rs`). Two differences
//! are by design: serde also reads a struct from a JSON array of its fields
//! in order, and this parser refuses arrays (Workato sends objects); and an
//! unknown value may nest 128 deep here, as deep as serde_json lets a known
//! one, where serde_json does not limit what it skips.
//!
//! Errors name the field and what was expected, never a value.

use std::borrow::Cow;

use roster_core::json_text::plain_len;
use serde_json::Value;

use crate::members::{ActivityRef, Member, MemberId, MemberRole};

/// How deep an unknown value may nest, as serde_json's recursion limit.
const MAX_DEPTH: usize = 128;

type Result<T> = std::result::Result<T, String>;

/// Parses one record: an object, with nothing but whitespace after it.
pub(crate) fn parse(text: &str) -> Result<Member<'_>> {
    let mut p = Parser { text, bytes: text.as_bytes(), at: 0 };
    p.ws();
    let member = p.member()?;
    p.ws();
    if p.at != p.bytes.len() {
        return Err("trailing characters after the record".into());
    }
    Ok(member)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

/// Sets a field once; a key given twice is an error, as with serde.
fn once<T>(slot: &mut Option<T>, value: T, field: &str) -> Result<()> {
    if slot.is_some() {
        return Err(format!("duplicate field `{field}`"));
    }
    *slot = Some(value);
    Ok(())
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<()> {
        if self.eat(b) { Ok(()) } else { Err(format!("expected {what} at byte {}", self.at)) }
    }

    /// Calls `field` for each key of an object (the cursor on its `{`),
    /// with the cursor on the key's value. Keys are read as strings.
    fn object(&mut self, what: &str, field: impl FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        self.entries(what, Self::string, field)
    }

    /// The loop of an object, with `key` reading (or skipping) each key.
    fn entries(
        &mut self,
        what: &str,
        key: impl Fn(&mut Self) -> Result<Cow<'a, str>>,
        mut field: impl FnMut(&mut Self, &str) -> Result<()>,
    ) -> Result<()> {
        if !self.eat(b'{') {
            return Err(format!("{what} is not an object"));
        }
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(format!("expected a key in {what} at byte {}", self.at));
            }
            let key = key(self)?;
            self.expect(b':', "`:`")?;
            field(self, &key)?;
            if self.eat(b',') {
                continue;
            }
            return self.expect(b'}', "`,` or `}`");
        }
    }

    /// Calls `item` for each element of a list (the cursor on its `[`).
    fn list(&mut self, what: &str, mut item: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        if !self.eat(b'[') {
            return Err(format!("invalid type for {what}: {}, expected a list or null", self.found()));
        }
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            item(self)?;
            if self.eat(b',') {
                continue;
            }
            return self.expect(b']', "`,` or `]`");
        }
    }

    fn member(&mut self) -> Result<Member<'a>> {
        let (mut id, mut email, mut name, mut roles, mut role_name) = (None, None, None, None, None);
        let (mut activity, mut external_id, mut time_zone, mut grant_type, mut created_at) =
            (None, None, None, None, None);
        self.object("the record", |p, key| match key {
            "id" => {
                let v = p.id()?;
                once(&mut id, v, "id")
            }
            "email" => once(&mut email, p.text("email")?, "email"),
            "name" => once(&mut name, p.text("name")?, "name"),
            "roles" => {
                let v = p.roles()?;
                once(&mut roles, v, "roles")
            }
            "role_name" => once(&mut role_name, p.text("role_name")?, "role_name"),
            "last_activity_log" => {
                let v = p.activity()?;
                once(&mut activity, v, "last_activity_log")
            }
            "external_id" => {
                let v = p.any_value()?;
                once(&mut external_id, v, "external_id")
            }
            "time_zone" => once(&mut time_zone, p.text("time_zone")?, "time_zone"),
            "grant_type" => once(&mut grant_type, p.text("grant_type")?, "grant_type"),
            "created_at" => once(&mut created_at, p.text("created_at")?, "created_at"),
            _ => p.skip(0),
        })?;
        Ok(Member {
            id: id.ok_or("missing field `id`")?,
            email: email.flatten(),
            name: name.flatten(),
            roles: roles.flatten(),
            role_name: role_name.flatten(),
            last_activity_log: activity.flatten(),
            external_id: external_id.flatten(),
            time_zone: time_zone.flatten(),
            grant_type: grant_type.flatten(),
            created_at: created_at.flatten(),
        })
    }

    fn null(&mut self) -> Result<bool> {
        self.ws();
        if self.bytes[self.at..].starts_with(b"null") {
            self.at += 4;
            return Ok(true);
        }
        Ok(false)
    }

    /// A string or null.
    fn text(&mut self, field: &str) -> Result<Option<Cow<'a, str>>> {
        if self.null()? {
            return Ok(None);
        }
        if self.peek() != Some(b'"') {
            return Err(format!("invalid type for `{field}`: {}, expected a string or null", self.found()));
        }
        self.string().map(Some)
    }

    /// What kind of value starts at the cursor, for an error.
    fn found(&self) -> &'static str {
        match self.peek() {
            Some(b'{') => "an object",
            Some(b'[') => "a list",
            Some(b't' | b'f') => "a boolean",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(b'"') => "a string",
            _ => "not a value",
        }
    }

    fn id(&mut self) -> Result<MemberId<'a>> {
        self.ws();
        match self.peek() {
            Some(b'"') => {
                let id = self.string()?;
                if id.trim().is_empty() {
                    return Err("the id is empty".into());
                }
                Ok(MemberId::Text(id))
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                let integer = self.number()?;
                let digits = &self.text[start..self.at];
                // serde_json reads `-0` as the float -0.0, which is no id.
                let integer = integer && digits != "-0";
                let parsed = if integer { digits.parse::<u64>().map(MemberId::Unsigned).ok() } else { None };
                let parsed =
                    parsed.or_else(|| if integer { digits.parse().map(MemberId::Signed).ok() } else { None });
                parsed.ok_or_else(|| "invalid type for `id`: a number that is not a whole number in range, expected an integer or string id".into())
            }
            _ => Err(format!("invalid type for `id`: {}, expected an integer or string id", self.found())),
        }
    }

    fn roles(&mut self) -> Result<Option<Vec<MemberRole<'a>>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut roles = Vec::new();
        self.list("`roles`", |p| {
            let (mut environment_type, mut role_name) = (None, None);
            p.object("a role", |p, key| match key {
                "environment_type" => once(&mut environment_type, p.text(key)?, key),
                // `name` is the older spelling of the same field.
                "role_name" | "name" => once(&mut role_name, p.text(key)?, "role_name"),
                _ => p.skip(0),
            })?;
            roles.push(MemberRole {
                environment_type: environment_type.flatten(),
                role_name: role_name.flatten(),
            });
            Ok(())
        })?;
        Ok(Some(roles))
    }

    fn activity(&mut self) -> Result<Option<ActivityRef<'a>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut created_at = None;
        self.object("`last_activity_log`", |p, key| match key {
            "created_at" => once(&mut created_at, p.text(key)?, key),
            _ => p.skip(0),
        })?;
        Ok(Some(ActivityRef { created_at: created_at.flatten() }))
    }

    /// Any value, as serde_json's `Value` (null is none).
    fn any_value(&mut self) -> Result<Option<Value>> {
        if self.null()? {
            return Ok(None);
        }
        let start = self.at;
        self.skip(0)?;
        serde_json::from_str(&self.text[start..self.at])
            .map(Some)
            .map_err(|e| roster_core::error::redact_serde_message(&e.to_string()))
    }

    /// Steps over any value, checking it is valid JSON.
    fn skip(&mut self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err("a value nests too deep".into());
        }
        self.ws();
        match self.peek() {
            Some(b'"') => self.skip_string(),
            // Keys of a value no field keeps are skipped, not read, as
            // serde_json does (a lone surrogate in one is no error).
            Some(b'{') => self.entries("a value", Self::skipped_key, |p, _| p.skip(depth + 1)),
            Some(b'[') => self.list("a value", |p| p.skip(depth + 1)),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ => {
                for literal in [&b"null"[..], b"true", b"false"] {
                    if self.bytes[self.at..].starts_with(literal) {
                        self.at += literal.len();
                        return Ok(());
                    }
                }
                Err(format!("expected a value at byte {}", self.at))
            }
        }
    }

    /// Steps over a JSON number; true when it is an integer (no fraction
    /// and no exponent).
    fn number(&mut self) -> Result<bool> {
        let bad = |at: usize| format!("invalid number at byte {at}");
        let digits = |p: &mut Self| {
            let start = p.at;
            while let Some(b'0'..=b'9') = p.peek() {
                p.at += 1;
            }
            p.at - start
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let first = self.peek();
        let n = digits(self);
        if n == 0 || (first == Some(b'0') && n > 1) {
            return Err(bad(self.at));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if digits(self) == 0 {
                return Err(bad(self.at));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(bad(self.at));
            }
        }
        Ok(integer)
    }

    /// A string (the cursor on its `"`): borrowed unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.at += 1;
        let start = self.at;
        self.at += plain_len(&self.bytes[self.at..]);
        match self.peek() {
            None => return Err("a string does not end".into()),
            Some(b'"') => {
                let s = &self.text[start..self.at];
                self.at += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return Err("a control character in a string".into()),
        }
        let mut owned = String::with_capacity(self.at - start + 16);
        owned.push_str(&self.text[start..self.at]);
        loop {
            match self.peek() {
                None => return Err("a string does not end".into()),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut owned)?;
                }
                Some(0..=0x1f) => return Err("a control character in a string".into()),
                Some(_) => {
                    // Up to the next quote, backslash or control character:
                    // ASCII bytes, so whole characters.
                    let run = plain_len(&self.bytes[self.at..]);
                    owned.push_str(&self.text[self.at..self.at + run]);
                    self.at += run;
                }
            }
        }
    }

    /// Steps over a key no field reads.
    fn skipped_key(&mut self) -> Result<Cow<'a, str>> {
        self.skip_string().map(|()| Cow::Borrowed(""))
    }

    /// Steps over a string no field keeps: its escapes must be escapes,
    /// but, as serde_json does for a value it ignores, a `\\u` escape is not
    /// checked for a lone surrogate.
    fn skip_string(&mut self) -> Result<()> {
        self.at += 1;
        loop {
            self.at += plain_len(&self.bytes[self.at..]);
            let Some(b) = self.peek() else {
                return Err("a string does not end".into());
            };
            match b {
                b'"' => {
                    self.at += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.at += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.at += 1,
                        Some(b'u') => {
                            self.at += 1;
                            self.hex4()?;
                        }
                        None => return Err("a string does not end".into()),
                        Some(_) => return Err("an invalid escape in a string".into()),
                    }
                }
                _ => return Err("a control character in a string".into()),
            }
        }
    }

    /// One escape, the cursor after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(b) = self.peek() else {
            return Err("a string does not end".into());
        };
        self.at += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                match high {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.at..].starts_with(b"\\u") {
                            return Err("a lone surrogate in a string".into());
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err("a lone surrogate in a string".into());
                        }
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).ok_or("an invalid escape in a string")?
                    }
                    0xDC00..=0xDFFF => return Err("a lone surrogate in a string".into()),
                    _ => char::from_u32(high).ok_or("an invalid escape in a string")?,
                }
            }
            _ => return Err("an invalid escape in a string".into()),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or("a string does not end")?;
        let mut n = 0u32;
        for &d in digits {
            let v = (d as char).to_digit(16).ok_or("an invalid escape in a string")?;
            n = n * 16 + v;
        }
        self.at += 4;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::member_parsers_agree;

    fn agree(text: &str) {
        assert_eq!(member_parsers_agree(text.as_bytes()), Ok(()), "{text}");
    }

    #[test]
    fn edge_cases_read_as_serde_reads_them() {
        for text in [
            r#"{"id": 1}"#,
            r#" { "id" : 1 , "email" : null } "#,
            r#"{"id": -12, "name": "A\u00e9\ud83c\udf89 \"q\" \\ \/ \b\f\n\r\t"}"#,
            r#"{"em\u0061il": "a@x.io", "id": "u-1"}"#,
            r#"{"id": 1, "email": "a", "email": "b"}"#,
            r#"{"id": 1, "id": 2}"#,
            r#"{"id": 1, "extra": 1, "extra": 2}"#,
            r#"{"id": 1, "extra": "\ud800"}"#,
            r#"{"id": 1, "extra": {"\ud800": "\udc00", "k": {"\ud800": 1}}}"#,
            r#"{"id": 1, "roles": [{"\ud800": 1}]}"#,
            r#"{"id": 1, "\ud800": 1}"#,
            r#"{"id": 1, "name": "\ud800"}"#,
            r#"{"id": 1, "name": "\udc00"}"#,
            r#"{"id": 1, "name": "\ud800\u0041"}"#,
            r#"{"id": 1, "name": "\x"}"#,
            r#"{"id": 1, "name": "\u12"}"#,
            "{\"id\": 1, \"name\": \"tab\there\"}",
            r#"{"id": 18446744073709551615}"#,
            r#"{"id": 18446744073709551616}"#,
            r#"{"id": -9223372036854775808}"#,
            r#"{"id": -9223372036854775809}"#,
            r#"{"id": 1.0}"#,
            r#"{"id": -0}"#,
            r#"{"id": 0}"#,
            r#"{"id": 1, "name": "\u0000"}"#,
            r#"{"id": 1, "name": "\uD83C\uDF89"}"#,
            r#"{"id": 1e3}"#,
            r#"{"id": 01}"#,
            r#"{"id": -}"#,
            r#"{"id": "  "}"#,
            r#"{"id": true}"#,
            r#"{"id": null}"#,
            r#"{"email": "a@x.io"}"#,
            r#"{"id": 1} x"#,
            r#"{"id": 1,}"#,
            r#"{"id" 1}"#,
            r#"{"id": 1"#,
            r#"{"id": 1, "roles": null, "last_activity_log": null, "external_id": null}"#,
            r#"{"id": 1, "roles": [], "last_activity_log": {}}"#,
            r#"{"id": 1, "roles": [{"environment_type": "dev", "name": "A", "role_type": "x"}]}"#,
            r#"{"id": 1, "roles": [{"role_name": "A", "name": "B"}]}"#,
            r#"{"id": 1, "roles": [null]}"#,
            r#"{"id": 1, "roles": {"a": 1}}"#,
            r#"{"id": 1, "roles": "admin"}"#,
            r#"{"id": 1, "last_activity_log": {"id": 5, "created_at": "2024-05-01T10:22:33Z", "x": [1, {"y": null}]}}"#,
            r#"{"id": 1, "last_activity_log": "yesterday"}"#,
            r#"{"id": 1, "external_id": {"b": [1, 2.5e-3, "x"], "a": false}}"#,
            r#"{"id": 1, "external_id": "E-7"}"#,
            r#"{"id": 1, "unknown": [[[[{"a": [true, false, null, -0.5E+2]}]]]]}"#,
            r#"{"id": 1, "unknown": tru}"#,
            r#"{"id": 1, "unknown": 1.}"#,
            r#"[1, "a@x.io"]"#,
            "",
            "null",
        ] {
            agree(text);
        }
    }

    #[test]
    fn text_is_borrowed_unless_it_has_escapes() {
        let m = parse(r#"{"id": 7, "email": "a@x.io", "name": "B\u00e9a"}"#).unwrap();
        assert!(matches!(m.email, Some(Cow::Borrowed("a@x.io"))));
        assert!(matches!(m.name, Some(Cow::Owned(ref n)) if n == "B\u{e9}a"));
        assert_eq!(m.id, MemberId::Unsigned(7));
    }

    #[test]
    fn errors_name_the_field_never_the_value() {
        let e = parse(r#"{"id": 1, "email": 12345678}"#).unwrap_err();
        assert_eq!(e, "invalid type for `email`: a number, expected a string or null");
        let e = parse(r#"{"id": 1, "email": "secret-value", "email": "other"}"#).unwrap_err();
        assert_eq!(e, "duplicate field `email`");
        assert!(
            !parse(r#"{"id": 1, "external_id": {"k": "secret-value"}, "x": }"#)
                .unwrap_err()
                .contains("secret")
        );
    }

    #[test]
    fn deep_unknown_values_are_refused_without_overflowing_the_stack() {
        let deep = format!(r#"{{"id": 1, "x": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&deep).unwrap_err(), "a value nests too deep");
        let fine = format!(r#"{{"id": 1, "x": {}{}}}"#, "[".repeat(100), "]".repeat(100));
        assert!(parse(&fine).is_ok());
    }
}

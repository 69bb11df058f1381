//! Property tests of the `/api/members` response parser: the streaming
//! [`EnvelopeScanner`] and the member parser behind it never panic, whatever
//! the bytes and however the body is cut into chunks, and on a valid envelope
//! the scanner hands out exactly the elements serde_json finds.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use roster_workato::envelope::{EnvelopeError, EnvelopeScanner, EnvelopeSummary};
use roster_workato::{member_parsers_agree, parse_member_json};
use serde_json::{Map, Value, json};

/// Feeds `body` cut at `cuts` (positions, in any order, out of range ones
/// clamped); returns the elements handed out and how the body ended.
fn scan(body: &[u8], cuts: &[usize]) -> (Vec<Vec<u8>>, Result<EnvelopeSummary, EnvelopeError>) {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    points.push(0);
    points.push(body.len());
    points.sort_unstable();
    points.dedup();
    let mut scanner = EnvelopeScanner::new();
    let mut elements = Vec::new();
    for pair in points.windows(2) {
        if let Err(e) = scanner.feed(&body[pair[0]..pair[1]], |raw| elements.push(raw.to_vec())) {
            return (elements, Err(e));
        }
    }
    (elements, scanner.finish())
}

/// Any JSON value, nested a few levels, with strings full of JSON syntax.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[\\[\\]{}\",:\\\\ a-z0-9]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(any::<String>(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Members as Workato might send them: the known fields, each missing, null,
/// of its type or of another, plus unknown ones.
fn member() -> impl Strategy<Value = Value> {
    let time = prop_oneof![
        Just("2024-05-01T10:22:33.123-07:00".to_owned()),
        Just("2024-05-01T17:22:33Z".to_owned()),
        "[0-9T:.+Z-]{0,30}",
        any::<String>(),
    ];
    let text_or_any = prop_oneof![any::<String>().prop_map(Value::from), json_value()];
    let role = (
        proptest::option::of(prop_oneof![Just(json!("dev")), Just(json!("PROD")), json_value()]),
        proptest::option::of(text_or_any.clone()),
    )
        .prop_map(|(env, name)| {
            let mut m = Map::new();
            if let Some(env) = env {
                m.insert("environment_type".into(), env);
            }
            if let Some(name) = name {
                m.insert("role_name".into(), name);
            }
            Value::Object(m)
        });
    (
        proptest::option::of(prop_oneof![
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<String>().prop_map(Value::from),
            json_value(),
        ]),
        proptest::option::of(text_or_any.clone()),
        proptest::option::of(text_or_any.clone()),
        proptest::option::of(prop_oneof![vec(role, 0..4).prop_map(Value::Array), json_value()]),
        proptest::option::of(text_or_any.clone()),
        proptest::option::of(prop_oneof![
            time.clone().prop_map(|t| json!({"id": 1, "created_at": t})),
            json_value()
        ]),
        proptest::option::of(prop_oneof![time.prop_map(Value::from), json_value()]),
        btree_map("[a-z_]{1,12}", json_value(), 0..3),
    )
        .prop_map(|(id, email, name, roles, role_name, activity, created_at, extra)| {
            let mut m: Map<String, Value> = extra.into_iter().collect();
            for (key, value) in [
                ("id", id),
                ("email", email),
                ("name", name),
                ("roles", roles),
                ("role_name", role_name),
                ("last_activity_log", activity),
                ("created_at", created_at),
            ] {
                if let Some(v) = value {
                    m.insert(key.into(), v);
                }
            }
            Value::Object(m)
        })
}

/// A valid envelope: `data` (members and odd elements), maybe `total`, other
/// keys, in any order, compact or pretty.
fn envelope() -> impl Strategy<Value = Vec<u8>> {
    let element = prop_oneof![3 => member(), 1 => json_value()];
    (
        proptest::option::of(vec(element, 0..8)),
        proptest::option::of(json_value()),
        btree_map("[a-z_]{1,8}".prop_filter("not data", |k| k != "data" && k != "total"), json_value(), 0..3),
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(|(data, total, extra, order_seed, pretty)| {
            let mut entries: Vec<(String, Value)> = extra.into_iter().collect();
            let count = data.as_ref().map_or(0, Vec::len);
            entries.push(("data".into(), data.map_or(Value::Null, Value::Array)));
            match total {
                // The usual total, or any value at all.
                Some(Value::Bool(true)) => entries.push(("total".into(), Value::from(count))),
                Some(other) => entries.push(("total".into(), other)),
                None => {}
            }
            // A deterministic shuffle from the seed.
            let mut seed = order_seed;
            for i in (1..entries.len()).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                entries.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let object = Value::Object(entries.into_iter().collect());
            if pretty {
                serde_json::to_vec_pretty(&object).expect("serialize")
            } else {
                serde_json::to_vec(&object).expect("serialize")
            }
        })
}

/// A byte-level change to a body.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let structural = prop_oneof![
        Just(b'{'),
        Just(b'}'),
        Just(b'['),
        Just(b']'),
        Just(b'"'),
        Just(b'\\'),
        Just(b','),
        Just(b':'),
        any::<u8>()
    ];
    prop_oneof![
        (any::<usize>(), structural.clone()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), structural).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut body: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = body.len();
        match *m {
            Mutation::Flip(i, b) if n > 0 => body[i % n] = b,
            Mutation::Insert(i, b) => body.insert(i % (n + 1), b),
            Mutation::Delete(i) if n > 0 => {
                body.remove(i % n);
            }
            Mutation::Truncate(i) => body.truncate(i % (n + 1)),
            _ => {}
        }
    }
    body
}

/// Every element parses as a member or is refused, without a panic; a
/// member that parses has an id and the Workato license.
fn parse_all(elements: &[Vec<u8>]) {
    for raw in elements {
        if let Ok(user) = parse_member_json(raw) {
            assert!(!user.id.trim().is_empty(), "{user:?}");
            assert_eq!(user.license_types, ["Workato"]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_in_arbitrary_chunks_never_panic(
        body in vec(any::<u8>(), 0..512),
        cuts in vec(any::<usize>(), 0..8),
    ) {
        let (elements, result) = scan(&body, &cuts);
        // However the body is cut, the scanner sees the same thing.
        prop_assert_eq!(scan(&body, &[]), (elements.clone(), result));
        parse_all(&elements);
    }

    #[test]
    fn a_valid_envelope_yields_exactly_the_elements_serde_json_finds(
        body in envelope(),
        cuts in vec(any::<usize>(), 0..12),
    ) {
        let whole: Value = serde_json::from_slice(&body).expect("the generator makes valid json");
        let expected: Vec<Value> = whole["data"].as_array().cloned().unwrap_or_default();
        let (elements, result) = scan(&body, &cuts);
        let summary = result.map_err(|e| TestCaseError::fail(format!("{e} in {}", String::from_utf8_lossy(&body))))?;
        prop_assert_eq!(summary.elements, expected.len() as u64);
        prop_assert_eq!(summary.total, whole.get("total").and_then(Value::as_u64));
        let got: Vec<Value> = elements
            .iter()
            .map(|raw| serde_json::from_slice(raw).expect("each element is one json value"))
            .collect();
        prop_assert_eq!(got, expected);
        parse_all(&elements);
    }

    #[test]
    fn byte_by_byte_feeding_matches_one_chunk(body in envelope()) {
        let every: Vec<usize> = (0..body.len()).collect();
        prop_assert_eq!(scan(&body, &every), scan(&body, &[]));
    }

    #[test]
    fn mutated_envelopes_in_arbitrary_chunks_never_panic(
        body in envelope(),
        mutations in vec(mutation(), 1..4),
        cuts in vec(any::<usize>(), 0..8),
    ) {
        let body = mutate(body, &mutations);
        let (elements, result) = scan(&body, &cuts);
        prop_assert_eq!(scan(&body, &[]), (elements.clone(), result));
        parse_all(&elements);
    }

    #[test]
    fn any_member_shaped_json_parses_or_is_refused_without_a_panic(m in member()) {
        let raw = serde_json::to_vec(&m).expect("serialize");
        match parse_member_json(&raw) {
            Ok(user) => prop_assert!(!user.id.trim().is_empty()),
            // The reason never quotes a string value of the record.
            Err((_, reason)) => prop_assert!(!reason.contains("string \""), "{}", reason),
        }
    }

    #[test]
    fn arbitrary_bytes_as_a_member_never_panic(raw in vec(any::<u8>(), 0..256)) {
        let _ = parse_member_json(&raw);
        prop_assert_eq!(member_parsers_agree(&raw), Ok(()));
    }

    /// The parser written for members reads what the serde derive reads:
    /// generated members, compact or pretty, and the same with a few bytes
    /// flipped, inserted or cut.
    #[test]
    fn the_member_parser_reads_members_as_serde_does(
        m in member(),
        pretty in any::<bool>(),
        mutations in vec(mutation(), 0..3),
    ) {
        let raw = if pretty { serde_json::to_vec_pretty(&m) } else { serde_json::to_vec(&m) }.expect("serialize");
        prop_assert_eq!(member_parsers_agree(&raw), Ok(()), "{}", String::from_utf8_lossy(&raw));
        let mutated = mutate(raw, &mutations);
        prop_assert_eq!(member_parsers_agree(&mutated), Ok(()), "{}", String::from_utf8_lossy(&mutated));
    }
}

//! The streaming envelope scanner gives the same answer however the body is
//! split into chunks, including inside strings, escapes and multi-byte UTF-8.

use roster_workato::envelope::{EnvelopeError, EnvelopeScanner, EnvelopeSummary};

fn scan(chunks: &[&[u8]]) -> Result<(Vec<String>, EnvelopeSummary), EnvelopeError> {
    let mut s = EnvelopeScanner::new();
    let mut out = Vec::new();
    for c in chunks {
        s.feed(c, |e| out.push(String::from_utf8(e.to_vec()).unwrap()))?;
    }
    Ok((out, s.finish()?))
}

const AWKWARD: &str = r#"﻿ {"meta": {"x": [1, {"y": "]}\"["}]}, "total" : 4,
  "data": [ {"id": 1, "name": "Zoë \"Z\" O'Brien", "roles": [{"environment_type": "dev"}]},
            {"id": 2, "name": "王芳 \\", "email": "a]b}c@x.y"} ,{"id":3,"t":null}
            ,{"id": 4, "nested": {"a": [[], {}, "\\\""]}} ],
  "after": "tail }" }
"#;

fn expected() -> Vec<String> {
    vec![
        r#"{"id": 1, "name": "Zoë \"Z\" O'Brien", "roles": [{"environment_type": "dev"}]}"#.to_owned(),
        r#"{"id": 2, "name": "王芳 \\", "email": "a]b}c@x.y"}"#.to_owned(),
        r#"{"id":3,"t":null}"#.to_owned(),
        r#"{"id": 4, "nested": {"a": [[], {}, "\\\""]}}"#.to_owned(),
    ]
}

#[test]
fn whole_body() {
    let (els, sum) = scan(&[AWKWARD.as_bytes()]).unwrap();
    assert_eq!(els, expected());
    assert_eq!(sum, EnvelopeSummary { total: Some(4), elements: 4 });
}

#[test]
fn every_single_split_point() {
    let b = AWKWARD.as_bytes();
    for i in 0..=b.len() {
        let (els, sum) = scan(&[&b[..i], &b[i..]]).unwrap_or_else(|e| panic!("split at {i}: {e}"));
        assert_eq!(els, expected(), "split at {i}");
        assert_eq!(sum.total, Some(4));
    }
}

#[test]
fn every_pair_of_split_points() {
    let b = AWKWARD.as_bytes();
    for i in 0..=b.len() {
        for j in i..=b.len() {
            let (els, _) =
                scan(&[&b[..i], &b[i..j], &b[j..]]).unwrap_or_else(|e| panic!("split at {i},{j}: {e}"));
            assert_eq!(els, expected(), "split at {i},{j}");
        }
    }
}

#[test]
fn byte_by_byte() {
    let chunks: Vec<&[u8]> = AWKWARD.as_bytes().chunks(1).collect();
    let (els, _) = scan(&chunks).unwrap();
    assert_eq!(els, expected());
}

#[test]
fn every_truncation_is_an_error() {
    let b = AWKWARD.trim_end().as_bytes();
    for i in 0..b.len() {
        assert!(scan(&[&b[..i]]).is_err(), "truncated at {i} was accepted");
    }
}

#[test]
fn data_null_empty_and_missing() {
    assert_eq!(scan(&[br#"{"data": null, "total": 0}"#]).unwrap().1.elements, 0);
    assert_eq!(
        scan(&[br#"{"data": [], "total": null}"#]).unwrap().1,
        EnvelopeSummary { total: None, elements: 0 }
    );
    assert_eq!(scan(&[br#"{"total": 3}"#]).unwrap_err(), EnvelopeError::NoData);
}

#[test]
fn not_json_bodies_are_refused() {
    assert_eq!(scan(&[b"<html><body>error</body></html>"]).unwrap_err(), EnvelopeError::NotAnObject);
    assert_eq!(scan(&[b"[1,2]"]).unwrap_err(), EnvelopeError::NotAnObject);
    assert_eq!(scan(&[b""]).unwrap_err(), EnvelopeError::NotAnObject);
    assert_eq!(scan(&[br#"{"data": [1]} x"#]).unwrap_err(), EnvelopeError::TrailingData);
    assert!(matches!(scan(&[br#"{"data": [1,,2]}"#]).unwrap_err(), EnvelopeError::Malformed(_)));
    assert!(matches!(scan(&[br#"{"data" [1]}"#]).unwrap_err(), EnvelopeError::Malformed(_)));
}

#[test]
fn scalar_elements_are_handed_out_for_the_parser_to_refuse() {
    let (els, _) = scan(&[br#"{"data": [1, "two", {"id": 3}, null]}"#]).unwrap();
    assert_eq!(els, vec!["1", "\"two\"", r#"{"id": 3}"#, "null"]);
}

#[test]
fn a_total_that_is_not_a_number_is_skipped_whole_not_misread() {
    // Found by the property tests: a `total` holding a comma, a space or a
    // bracket made the scanner stop inside it and refuse a valid body.
    for body in [
        &br#"{"total": "1,2", "data": [{"id": 1}]}"#[..],
        br#"{"data": [{"id": 1}], "total": [ null ]}"#,
        br#"{"total": {"a": 1, "b": [2]}, "data": [{"id": 1}]}"#,
        br#"{"total": "7", "data": [{"id": 1}]}"#,
        br#"{"total": -1, "data": [{"id": 1}]}"#,
    ] {
        let (els, sum) = scan(&[body]).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)));
        assert_eq!(els, [r#"{"id": 1}"#]);
        assert_eq!(sum, EnvelopeSummary { total: None, elements: 1 });
    }
    let (_, sum) = scan(&[br#"{"total": 12345678901234567890123, "data": []}"#]).unwrap();
    assert_eq!(sum.total, None);
    let (_, sum) = scan(&[br#"{"total":1,"data":[{"id": 1}]}"#]).unwrap();
    assert_eq!(sum.total, Some(1));
}

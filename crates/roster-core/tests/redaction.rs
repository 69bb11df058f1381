//! serde's messages lose every value they quote, whatever the value holds:
//! quotes, backslashes, backticks, or serde's own words.

use proptest::prelude::*;
use roster_core::error::redact_serde_message;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Region {
    Us,
    Eu,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Creds {
    api_token: Option<String>,
}

/// Every message serde_json writes about `value` placed where it does not fit.
fn messages(value: &str) -> Vec<String> {
    let quoted = serde_json::to_string(value).expect("a string serializes");
    let mut out = Vec::new();
    let mut push = |e: serde_json::Error| out.push(redact_serde_message(&e.to_string()));
    if let Err(e) = serde_json::from_str::<u32>(&quoted) {
        push(e);
    }
    if let Err(e) = serde_json::from_str::<Region>(&quoted) {
        push(e);
    }
    if let Err(e) = serde_json::from_str::<Creds>(&format!("{{{quoted}: null}}")) {
        push(e);
    }
    if let Err(e) = serde_json::from_str::<Vec<Creds>>(&format!("[{quoted}]")) {
        push(e);
    }
    out
}

#[test]
fn values_with_quotes_and_backticks_are_removed_whole() {
    for value in [
        "zq\" ",
        "zq\\\"",
        "zq`, expected `us`",
        "zq`",
        "zq\"`\"`",
        "zq string \"x\"",
        "zq at line 1 column 2",
        "zq\u{1F600}\u{0}\n",
    ] {
        let all = messages(value);
        assert_eq!(all.len(), 4, "{value:?}");
        for m in all {
            assert!(!m.contains("zq"), "{value:?} leaked into {m:?}");
        }
    }
    // What was expected is still said.
    assert_eq!(messages("zq`, expected `us`")[1], "unknown variant, expected `us` or `eu`");
    assert_eq!(messages("zq\" ")[0], "invalid type: a string, expected u32");
}

proptest! {
    /// The `~` keeps the value from looking like a key's name, which an
    /// "unknown field" message keeps on purpose (`api_tokn`).
    #[test]
    fn no_value_survives_redaction(s in any::<String>()) {
        for m in messages(&format!("zq~{s}")) {
            prop_assert!(!m.contains("zq"), "{:?} leaked into {:?}", s, m);
        }
    }
}

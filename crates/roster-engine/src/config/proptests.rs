//! Property tests of the account loader: no bytes in an account file, and no
//! TOML-ish text built from the keys the loader knows, make it panic. Every
//! file ends as one loaded account or as problems that name that file.

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;

use super::load_accounts;

/// Writes `bytes` as `accounts/acct.toml` of a fresh config dir and loads it.
fn load(bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let accounts = dir.path().join("accounts");
    std::fs::create_dir(&accounts).expect("mkdir");
    let file = accounts.join("acct.toml");
    std::fs::write(&file, bytes).expect("write");
    let registry = roster_connectors::registry().expect("registry");
    let loaded = load_accounts(dir.path(), &registry, &BTreeMap::new());
    assert_eq!(loaded.accounts.len() + usize::from(!loaded.problems.is_empty()), 1, "{:?}", loaded.problems);
    for p in &loaded.problems {
        assert_eq!(p.file, file, "{p}");
        assert!(!p.message.trim().is_empty(), "{p:?}");
    }
}

/// A TOML value: well-formed of every type, or a fragment that is not.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"workato\"".to_owned()),
        Just("\"zoom\"".to_owned()),
        Just("\"custom\"".to_owned()),
        Just("\"us\"".to_owned()),
        Just("\"http://127.0.0.1:9\"".to_owned()),
        Just("\"https://workato.example.com\"".to_owned()),
        Just("\"\"".to_owned()),
        any::<String>().prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("[1, \"two\", [3]]".to_owned()),
        Just("{ a = 1, b = { c = \"d\" } }".to_owned()),
        Just("1979-05-27T07:32:00Z".to_owned()),
        "[^\n]{0,12}",
    ]
}

/// A line of an account file: a known or unknown key, a table header, or noise.
fn line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("connector"),
        Just("timeout_secs"),
        Just("credentials.api_token"),
        Just("credentials.data_center"),
        Just("credentials.base_url"),
        Just("credentials.account_id"),
        Just("credentials.client_id"),
        Just("credentials.client_secret"),
        Just("credentials.cloud"),
        Just("settings.max_attempts"),
        Just("settings.exact_last_login"),
        Just("settings.requests_per_minute"),
        Just("unknown_key"),
        Just("\"quoted key\""),
    ];
    prop_oneof![
        4 => (key, value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => prop_oneof![Just("[credentials]"), Just("[settings]"), Just("[[credentials]]"), Just("[bad")]
            .prop_map(str::to_owned),
        1 => "[^\n]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_an_account_file_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        load(&bytes);
    }

    #[test]
    fn arbitrary_text_as_an_account_file_never_panics(text in any::<String>()) {
        load(text.as_bytes());
    }

    #[test]
    fn toml_ish_account_files_never_panic(lines in vec(line(), 0..12)) {
        load(lines.join("\n").as_bytes());
    }

    #[test]
    fn a_valid_account_file_with_lines_changed_or_added_never_panics(
        drop in proptest::option::of(0..7usize),
        lines in vec(line(), 0..4),
        settings in vec(line(), 0..4),
    ) {
        let mut text: Vec<String> = [
            "connector = \"workato\"",
            "timeout_secs = 30",
            "[credentials]",
            "data_center = \"custom\"",
            "base_url = \"http://127.0.0.1:9\"",
            "api_token = \"wrkaus-prop-token\"",
            "[settings]",
        ]
        .map(str::to_owned)
        .to_vec();
        if let Some(i) = drop {
            text.remove(i);
        }
        text.splice(3..3, lines);
        text.extend(settings);
        load(text.join("\n").as_bytes());
    }
}

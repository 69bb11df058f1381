//! Config loading against real files and environment variables (figment's `Jail`).

// `Jail::expect_with` closures must return figment's (large) error type.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::path::Path;

use figment::Jail;

use super::{ConfigProblem, load_accounts, load_runner_settings};

const CANARY: &str = "wrkaus-CANARY-d2f9a1";

fn registry() -> roster_core::Registry {
    roster_connectors::registry().expect("registry")
}

fn problems_for(jail: &Jail, file: &str) -> Vec<ConfigProblem> {
    let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
    loaded.problems.into_iter().filter(|p| p.file.ends_with(file)).collect()
}

fn write(jail: &mut Jail, name: &str, body: &str) {
    std::fs::create_dir_all(jail.directory().join("accounts")).expect("mkdir");
    jail.create_file(Path::new("accounts").join(name), body).expect("write");
}

#[test]
fn token_from_the_environment_completes_a_file_without_secrets() {
    Jail::expect_with(|jail| {
        write(jail, "acme-prod.toml", "connector = \"workato\"\n[credentials]\ndata_center = \"eu\"\n");
        jail.set_env("ROSTER_ACCOUNT_ACME_PROD__CREDENTIALS__API_TOKEN", CANARY);
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert_eq!(loaded.accounts.len(), 1);
        assert_eq!(loaded.accounts[0].id, "acme-prod");
        assert!(!format!("{:?}", loaded.accounts[0]).contains(CANARY));
        Ok(())
    });
}

#[test]
fn missing_token_names_the_key() {
    Jail::expect_with(|jail| {
        write(jail, "a.toml", "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\n");
        let p = problems_for(jail, "a.toml");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key.as_deref(), Some("credentials.api_token"));
        assert!(p[0].to_string().contains("missing"), "{}", p[0]);
        Ok(())
    });
}

#[test]
fn each_bad_input_gets_one_clear_problem_without_the_secret() {
    Jail::expect_with(|jail| {
        let cases: &[(&str, &str, Option<&str>, &str)] = &[
            ("malformed.toml", "connector = \"workato\n", None, "not valid TOML at line 1"),
            (
                "unknown-connector.toml",
                "connector = \"nope\"\n",
                Some("connector"),
                "unknown connector; registered connectors: ",
            ),
            (
                "wrong-type.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = 12345\n",
                Some("credentials.api_token"),
                "invalid type",
            ),
            (
                "bad-dc.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"mars\"\napi_token = \"wrkaus-CANARY-d2f9a1\"\n",
                Some("credentials.data_center"),
                "unknown variant, expected one of `us`",
            ),
            (
                "unknown-key.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = \"wrkaus-CANARY-d2f9a1\"\napi_tokn = \"x\"\n",
                Some("credentials.api_tokn"),
                "unknown field",
            ),
            (
                "base-url-without-custom.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = \"wrkaus-CANARY-d2f9a1\"\nbase_url = \"https://w.example.com\"\n",
                Some("credentials.base_url"),
                "only allowed when data_center is \"custom\"",
            ),
            (
                "plain-http.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"custom\"\napi_token = \"wrkaus-CANARY-d2f9a1\"\nbase_url = \"http://w.example.com\"\n",
                Some("credentials.base_url"),
                "plain http:// is only allowed to loopback",
            ),
            ("top-level-typo.toml", "connectr = \"workato\"\n", Some("connectr"), "unknown key"),
            (
                "settings-typo.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = \"wrkaus-CANARY-d2f9a1\"\n[settings]\nmax_attemps = 3\n",
                Some("settings.max_attemps"),
                "unknown field, expected one of `exact_last_login`",
            ),
            (
                "shared-setting-bad-type.toml",
                "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = \"wrkaus-CANARY-d2f9a1\"\n[settings]\nrequests_per_minute = 30\nmax_attempts = \"many\"\n",
                Some("settings.max_attempts"),
                "invalid type",
            ),
        ];
        for (file, body, _, _) in cases {
            write(jail, file, body);
        }
        std::fs::write(jail.directory().join("accounts/not-utf8.toml"), b"connector = \"\xff\xfe\"\n")
            .unwrap();
        for (file, _, key, needle) in cases {
            let p = problems_for(jail, file);
            assert!(!p.is_empty(), "{file}: no problem reported");
            let text = p.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
            if let Some(key) = key {
                assert!(p.iter().any(|p| p.key.as_deref() == Some(*key)), "{file}: {text}");
            }
            assert!(text.contains(needle), "{file}: {text}");
            assert!(!text.contains(CANARY), "{file} leaked the secret: {text}");
            assert!(text.contains(file), "{file} not named: {text}");
        }
        let p = problems_for(jail, "not-utf8.toml");
        assert!(p[0].message.contains("utf-8"), "{p:?}");
        Ok(())
    });
}

#[test]
fn a_secret_in_a_wrong_typed_key_is_not_echoed() {
    Jail::expect_with(|jail| {
        write(
            jail,
            "a.toml",
            "connector = \"workato\"\ntimeout_secs = \"wrkaus-CANARY-d2f9a1\"\n[credentials]\ndata_center = \"us\"\napi_token = \"x\"\n",
        );
        let p = problems_for(jail, "a.toml");
        let text = format!("{p:?}");
        assert_eq!(p[0].key.as_deref(), Some("timeout_secs"), "{text}");
        assert!(!text.contains(CANARY), "{text}");
        Ok(())
    });
}

#[test]
fn two_files_for_the_same_account_are_refused() {
    Jail::expect_with(|jail| {
        let body = "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = \"t\"\n";
        write(jail, "acme-prod.toml", body);
        write(jail, "acme_prod.toml", body);
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert_eq!(loaded.accounts.len(), 1);
        assert_eq!(loaded.problems.len(), 1);
        assert!(
            loaded.problems[0].message.contains("declares the same account as"),
            "{}",
            loaded.problems[0]
        );
        Ok(())
    });
}

#[test]
fn empty_and_missing_accounts_dirs_are_problems() {
    Jail::expect_with(|jail| {
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert!(loaded.problems[0].message.contains("cannot be read"));
        std::fs::create_dir(jail.directory().join("accounts")).unwrap();
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert!(loaded.problems[0].message.contains("has no account files"));
        Ok(())
    });
}

#[cfg(unix)]
#[test]
fn an_inline_secret_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    Jail::expect_with(|jail| {
        write(
            jail,
            "a.toml",
            "connector = \"workato\"\n[credentials]\ndata_center = \"us\"\napi_token = \"t\"\n",
        );
        let path = jail.directory().join("accounts/a.toml");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert!(loaded.warnings.iter().any(|w| w.contains("chmod 600")), "{:?}", loaded.warnings);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        Ok(())
    });
}

#[test]
fn runner_settings_are_checked() {
    Jail::expect_with(|jail| {
        assert_eq!(load_runner_settings(jail.directory()).unwrap().concurrency, 96);
        jail.create_file("roster.toml", "concurrency = 0\nmax_shrink_fraction = 2.0\n")?;
        let p = load_runner_settings(jail.directory()).unwrap_err();
        assert_eq!(p.len(), 2, "{p:?}");
        jail.create_file("roster.toml", "concurency = 4\n")?;
        let p = load_runner_settings(jail.directory()).unwrap_err();
        assert_eq!(p[0].key.as_deref(), Some("concurency"));
        Ok(())
    });
}

#[test]
fn a_secrets_file_completes_the_account_and_holds_only_credentials() {
    Jail::expect_with(|jail| {
        write(jail, "acme.toml", "connector = \"workato\"\n[credentials]\ndata_center = \"eu\"\n");
        std::fs::create_dir_all(jail.directory().join("secrets")).expect("mkdir");
        let secrets = jail.directory().join("secrets").join("acme.toml");
        std::fs::write(&secrets, format!("[credentials]\napi_token = \"{CANARY}\"\n")).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.accounts.len(), 1);

        std::fs::write(&secrets, format!("connector = \"zoom\"\n[credentials]\napi_token = \"{CANARY}\"\n"))
            .expect("write");
        let problems = problems_for(jail, "secrets/acme.toml");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].to_string().contains("connector"), "{}", problems[0]);
        assert!(!problems[0].to_string().contains(CANARY));
        Ok(())
    });
}

#[cfg(unix)]
#[test]
fn a_secrets_file_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    Jail::expect_with(|jail| {
        write(jail, "acme.toml", "connector = \"workato\"\n[credentials]\ndata_center = \"eu\"\n");
        std::fs::create_dir_all(jail.directory().join("secrets")).expect("mkdir");
        let secrets = jail.directory().join("secrets").join("acme.toml");
        std::fs::write(&secrets, format!("[credentials]\napi_token = \"{CANARY}\"\n")).expect("write");
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let loaded = load_accounts(jail.directory(), &registry(), &BTreeMap::new());
        assert_eq!(loaded.accounts.len(), 1, "{:?}", loaded.problems);
        assert!(loaded.warnings.iter().any(|w| w.contains("chmod 600")), "{:?}", loaded.warnings);
        assert!(!loaded.warnings.iter().any(|w| w.contains(CANARY)));
        Ok(())
    });
}

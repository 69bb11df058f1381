//! `roster validate` and `roster sync` on a config dir with one good account
//! and one file for each kind of bad input.

use crate::support::{Harness, assert_matches_sim};

/// A fake token written into every file; it must never be printed.
const CANARY: &str = "wrkaus-SECRET-CANARY-123";

/// Bad account files: (file stem, the key the problem is reported on).
fn write_bad_files(h: &Harness) -> Vec<(&'static str, Option<&'static str>)> {
    let base = h.sim.base_url();
    let creds = |extra: &str| {
        format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base}\"\napi_token = \"{CANARY}\"\n{extra}"
        )
    };
    h.write_account(
        "malformed",
        &format!(
            "connector = \"workato\"\n[credentials]\napi_token = \"{CANARY}\ndata_center = \"custom\"\n"
        ),
    );
    h.write_account(
        "unknown-connector",
        &format!("connector = \"salesforce\"\n\n[credentials]\napi_token = \"{CANARY}\"\n"),
    );
    h.write_account(
        "missing-token",
        &format!(
            "# the token was {CANARY} but it is gone\nconnector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base}\"\n"
        ),
    );
    h.write_account("wrong-type", &creds(&format!("\n[settings]\nmax_attempts = \"{CANARY}\"\n")));
    h.write_account("wrong-type-top", &format!("timeout_secs = \"{CANARY}\"\n{}", creds("")));
    h.write_account(
        "unknown-dc",
        &format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"mars\"\napi_token = \"{CANARY}\"\n"
        ),
    );
    h.write_account("unknown-key", &creds("\n[settings]\nmax_retries = 3\n"));
    h.write_account(
        "base-url-without-custom",
        &format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"us\"\nbase_url = \"https://workato.example.com\"\napi_token = \"{CANARY}\"\n"
        ),
    );
    h.write_account(
        "plain-http",
        &format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"http://workato.example.com\"\napi_token = \"{CANARY}\"\n"
        ),
    );
    let mut not_utf8 = creds("").into_bytes();
    not_utf8.extend_from_slice(b"# caf\xe9 \xff\xfe\n");
    h.write_account_bytes("not-utf8.toml", &not_utf8);
    // Declares the same account as acme-prod.toml (same environment prefix).
    h.write_account("acme_prod", &creds(""));
    h.write_account(
        "empty-token",
        &format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base}\"\napi_token = \"\"\n"
        ),
    );
    // Files that cannot be read. The tests run as root, for whom `chmod 000`
    // does not stop a read, so the read is made to fail another way: a
    // directory named like an account file, and a symlink to nothing.
    let accounts = h.config().join("accounts");
    std::fs::create_dir(accounts.join("a-directory.toml")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(h.config().join("no-such-file"), accounts.join("dangling-link.toml"))
        .expect("symlink");
    vec![
        ("malformed", None),
        ("unknown-connector", Some("connector")),
        ("missing-token", Some("credentials.api_token")),
        ("wrong-type", Some("settings.max_attempts")),
        ("wrong-type-top", Some("timeout_secs")),
        ("unknown-dc", Some("credentials.data_center")),
        ("unknown-key", Some("settings.max_retries")),
        ("base-url-without-custom", Some("credentials.base_url")),
        ("plain-http", Some("credentials.base_url")),
        ("not-utf8", None),
        ("acme_prod", None),
        ("empty-token", Some("credentials.api_token")),
        ("a-directory", None),
        #[cfg(unix)]
        ("dangling-link", None),
    ]
}

async fn setup() -> (Harness, Vec<(&'static str, Option<&'static str>)>) {
    let mut h = Harness::new().await;
    h.add_account("acme-prod", 15, 61);
    // The good file holds the canary too; the environment's token wins.
    h.write_account(
        "acme-prod",
        &format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{}\"\napi_token = \"{CANARY}\"\n\n[settings]\n{}",
            h.sim.base_url(),
            crate::support::FAST_SETTINGS
        ),
    );
    let bad = write_bad_files(&h);
    (h, bad)
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_names_every_bad_file_and_key_and_never_prints_a_secret() {
    let (h, bad) = setup().await;
    let config = h.config().display().to_string();
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(2);
    assert!(!run.all_output().contains(CANARY), "{}", run.all_output());
    assert!(!run.all_output().contains("SECRET-CANARY"), "{}", run.all_output());
    assert!(run.stdout.lines().any(|l| l.starts_with("ok: acme-prod (workato")), "{}", run.stdout);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("ok: ")).count(), 1, "{}", run.stdout);
    for (stem, key) in &bad {
        let file = format!("{stem}.toml");
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with("error: ") && l.contains(&format!("/{file}: ")))
            .unwrap_or_else(|| panic!("{file} is not named:\n{}", run.stderr));
        if let Some(key) = key {
            assert!(
                run.stderr.lines().any(|l| l.contains(&format!("/{file}: key `{key}`: "))),
                "{file} has no problem on `{key}`:\n{}",
                run.stderr
            );
        }
        assert!(line.len() > file.len() + 10, "{line}");
        let lines = run.stderr.lines().filter(|l| l.contains(&format!("/{file}: "))).count();
        assert_eq!(lines, 1, "{file} should get one clear line:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("not valid TOML at line"), "{}", run.stderr);
    assert!(run.stderr.contains("not valid utf-8"), "{}", run.stderr);
    assert!(run.stderr.contains("declares the same account as"), "{}", run.stderr);
    assert!(run.stderr.contains("a-directory.toml: cannot be read: "), "{}", run.stderr);
    assert!(run.stderr.contains("/empty-token.toml: key `credentials.api_token`: "), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_of_an_empty_accounts_dir_names_the_dir_and_exits_2() {
    let h = Harness::new().await;
    let config = h.config().display().to_string();
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(2);
    let accounts = h.config().join("accounts").display().to_string();
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&format!("error: {accounts}: has no account files"))),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_fails_the_bad_accounts_alone_and_syncs_the_good_one() {
    let (h, bad) = setup().await;
    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert!(!run.all_output().contains(CANARY), "{}", run.all_output());
    assert_eq!(run.outcome("acme-prod"), "ok", "{}", run.stdout);
    for (stem, _) in &bad {
        assert_eq!(run.outcome(stem), "failed", "{stem}: {}", run.stdout);
        assert_eq!(run.summary_row(stem).last().map(String::as_str), Some("config"), "{stem}");
    }
    assert!(run.stdout.contains(&format!(
        "{} accounts: 1 ok, 0 degraded, {} failed",
        bad.len() + 1,
        bad.len()
    )));
    let users = h.users().await;
    assert_matches_sim("acme-prod", &users, h.workspace("acme-prod"));
    assert!(users.iter().all(|u| u["account"] == "acme-prod"));

    let report = h.roster_in("report", &["--format", "json"]).await;
    assert!(!report.all_output().contains(CANARY));
    let report: Vec<serde_json::Value> = serde_json::from_str(&report.stdout).expect("json");
    for (stem, _) in &bad {
        let r = report
            .iter()
            .find(|r| r["account"] == *stem)
            .unwrap_or_else(|| panic!("{stem} is not in the report"));
        assert_eq!(r["last_sync"]["outcome"], "failed");
        assert_eq!(r["last_sync"]["error_kind"], "config");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_accounts_environment_never_reaches_another_account() {
    // `acme`'s variables start with ROSTER_ACCOUNT_ACME__; those of `acme-`
    // and `acme--prod` start with that too.
    let mut h = Harness::new().await;
    let a = h.add_account("acme", 4, 71);
    let b = h.add_account("acme-", 6, 72);
    let c = h.add_account("acme--prod", 8, 73);
    let config = h.config().display().to_string();
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(0);

    let run = h.sync(&[]).await;
    run.expect_code(0);
    let users = h.users().await;
    assert_matches_sim("acme", &users, &a);
    assert_matches_sim("acme-", &users, &b);
    assert_matches_sim("acme--prod", &users, &c);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_value_from_the_environment_is_reported_without_the_value() {
    let mut h = Harness::new().await;
    h.add_account("acme", 3, 74);
    h.set_env("ROSTER_ACCOUNT_ACME__TIMEOUT_SECS", CANARY);
    let config = h.config().display().to_string();
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(2);
    assert!(!run.all_output().contains(CANARY), "{}", run.all_output());
    assert!(run.stderr.contains("acme.toml: key `timeout_secs`: "), "{}", run.stderr);
    assert!(run.stderr.contains("environment"), "{}", run.stderr);

    let run = h.sync(&[]).await;
    run.expect_code(1);
    assert!(!run.all_output().contains(CANARY), "{}", run.all_output());
    assert_eq!(run.outcome("acme"), "failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_in_a_file_others_can_read_is_warned_about_without_the_token() {
    let mut h = Harness::new().await;
    h.add_account("acme", 3, 75);
    let text = h
        .account_toml(crate::support::FAST_SETTINGS)
        .replace("[credentials]\n", &format!("[credentials]\napi_token = \"{CANARY}\"\n"));
    h.write_account("acme", &text);
    let file = h.config().join("accounts").join("acme.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    let config = h.config().display().to_string();
    let run = h.roster(&["validate", "--config", &config]).await;
    run.expect_code(0);
    assert!(!run.all_output().contains(CANARY), "{}", run.all_output());
    if cfg!(unix) {
        assert!(run.stderr.contains("acme.toml: key `credentials.api_token` is a secret"), "{}", run.stderr);
        assert!(run.stderr.contains("chmod 600"), "{}", run.stderr);
    }
    // The environment's token wins over the file's.
    let run = h.sync(&[]).await;
    run.expect_code(0);
    assert!(!run.all_output().contains(CANARY), "{}", run.all_output());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_named_in_roster_toml_is_relative_to_the_config_dir_from_flag_or_env() {
    let mut h = Harness::new().await;
    let ws = h.add_account("acme", 6, 76);
    h.write_runner("store = \"data/roster.db\"\nconcurrency = 1\naccount_timeout_secs = 120\n");
    let config = h.config().display().to_string();
    h.roster(&["sync", "--config", &config]).await.expect_code(0);
    assert!(h.config().join("data").join("roster.db").exists());
    assert!(!h.store().exists());
    let run = h.roster(&["users", "--config", &config, "--format", "jsonl"]).await;
    run.expect_code(0);
    assert_matches_sim("acme", &crate::support::parse_jsonl(&run.stdout), &ws);

    // Without --config, $ROSTER_CONFIG names the directory.
    h.set_env("ROSTER_CONFIG", &config);
    let run = h.roster(&["users", "--format", "jsonl"]).await;
    run.expect_code(0);
    assert_matches_sim("acme", &crate::support::parse_jsonl(&run.stdout), &ws);
}

//! No configured token ever leaves its file or variable: every command, on
//! its success paths and its error paths, at trace log level, is searched for
//! every token in every form it could be printed in (plain, base64 at any
//! alignment in both alphabets, base64 of the `Authorization` value, URL
//! encoded), and so is the store file with its WAL.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use roster_workato_sim::{FIRST_MEMBER_ID, Fault, RetryAfter};
use serde_json::json;

use crate::support::{FAST_SETTINGS, Harness, Run, run_binary};

/// A token the simulator does not know, with characters that URL encoding
/// and base64 change.
const UNKNOWN_TOKEN: &str = "wrkaus-c4n4ry+UNKNOWN/token=with~odd%chars";
/// A token written into an account file (whose other problems keep it from loading).
const INLINE_TOKEN: &str = "wrkaus-c4n4ry-INLINE-0123456789abcdef";
/// The prefix of every simulated Workato token.
const SIM_PREFIX: &str = "wrkaus-sim-";

/// Every form of `secret` that must not appear: plain, URL encoded (both hex
/// cases), and base64 of the secret and of `Bearer <secret>` in both
/// alphabets, with and without padding, at each of the three alignments it
/// can take inside a longer base64 text.
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_owned()];
    let encoded = url_encode(secret);
    out.push(encoded.clone());
    out.push(percent_lower(&encoded));
    out.push(secret.bytes().map(|b| format!("%{b:02X}")).collect());
    for plain in [secret.to_owned(), format!("Bearer {secret}")] {
        for engine in [STANDARD, URL_SAFE] {
            out.push(engine.encode(&plain));
        }
        for engine in [STANDARD_NO_PAD, URL_SAFE_NO_PAD] {
            out.push(engine.encode(&plain));
            // Inside a longer text the secret starts at byte offset 0, 1 or 2
            // of a 3-byte group: encode it after `pad` filler bytes and keep
            // the characters that depend on the secret alone.
            for pad in 0..3usize {
                let mut bytes = vec![0u8; pad];
                bytes.extend_from_slice(plain.as_bytes());
                let text = engine.encode(&bytes);
                let start = (pad * 8).div_ceil(6);
                let end = text.len().saturating_sub(2);
                out.push(text[start..end].to_owned());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Percent-encodes every byte but the unreserved ones (RFC 3986).
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// Fails when any form of any secret is in `haystack`.
#[track_caller]
fn assert_clean(what: &str, haystack: &[u8], secrets: &[String]) {
    let text = String::from_utf8_lossy(haystack);
    assert!(!text.contains(SIM_PREFIX), "{what} holds a simulator token:\n{}", excerpt(&text, SIM_PREFIX));
    for secret in secrets {
        for form in forms(secret) {
            assert!(
                !haystack.windows(form.len()).any(|w| w == form.as_bytes()),
                "{what} holds the token {secret:?} as {form:?}:\n{}",
                excerpt(&text, &form)
            );
        }
    }
}

fn excerpt(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text.floor_char_boundary(at.saturating_sub(300));
    let end = text.ceil_char_boundary((at + 300).min(text.len()));
    text[start..end].to_owned()
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Trace logging for every child: `-vvv` and `RUST_LOG=trace`.
const TRACE: &str = "-vvv";

#[tokio::test(flavor = "multi_thread")]
async fn no_token_appears_in_any_output_log_error_or_store_file_at_trace_level() {
    let mut h = Harness::new().await;
    h.set_env("RUST_LOG", "trace");
    let mut secrets: Vec<String> = vec![UNKNOWN_TOKEN.to_owned(), INLINE_TOKEN.to_owned()];

    // Success paths.
    secrets.push(h.add_account("good", 40, 11).token());
    let wrong = h.add_account("wrong-type", 20, 12);
    let mut members = wrong.members_json();
    members[3]["email"] = json!(42);
    wrong.set_members(members);
    let audit = h.add_account_with("audit", 30, 13, &format!("exact_last_login = true\n{FAST_SETTINGS}"));
    audit.update_settings(|s| s.audit_log_addon = true);
    audit.add_login(FIRST_MEMBER_ID, chrono::Utc::now().fixed_offset());
    secrets.extend([wrong.token(), audit.token()]);

    // Error paths: every fault, refusals, a vendor message that quotes the token.
    let faulty = [
        ("server-error", Fault::Status(503)),
        ("html-page", Fault::HtmlOk),
        ("truncated", Fault::TruncatedJson),
        ("wrong-content-type", Fault::WrongContentType),
        ("reset", Fault::ResetConnection),
        ("rate-limited", Fault::RateLimited(RetryAfter::HttpDate)),
        ("forbidden", Fault::Forbidden),
        ("unauthorized", Fault::Unauthorized),
        ("redirect", Fault::Redirect("http://127.0.0.1:9/elsewhere".into())),
    ];
    for (i, (id, fault)) in faulty.into_iter().enumerate() {
        let ws = h.add_account(id, 10, 20 + i as u64);
        ws.push_fault(fault, 10_000, Some("/api/members"));
        secrets.push(ws.token());
    }
    let slow = h.add_account_with(
        "slow",
        10,
        33,
        "requests_per_minute = 6000\nmax_attempts = 2\nretry_base_delay_ms = 10\nrequest_timeout_secs = 1\n",
    );
    slow.push_fault(Fault::Delay(std::time::Duration::from_secs(3)), 10_000, Some("/api/members"));
    let aborted = h.add_account("aborted", 10, 34);
    aborted.push_fault(Fault::AbortedBody, 10_000, Some("/api/members"));
    secrets.extend([slow.token(), aborted.token()]);
    let revoked = h.add_account("revoked", 10, 31);
    revoked.revoke_token();
    let token = revoked.token();
    revoked
        .update_settings(|s| s.unauthorized_message = format!("Unauthorized: the token {token} was revoked"));
    secrets.push(token);
    h.add_account("unknown-token", 10, 32);
    h.set_token("unknown-token", UNKNOWN_TOKEN);
    // Bad config: the inline token typed into a key of the wrong type, into
    // an enum, under an unknown key, into malformed TOML; each file fails at
    // a different stage of loading.
    let base = h.sim.base_url();
    let creds = |extra: &str| {
        format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base}\"\napi_token = \"{INLINE_TOKEN}\"\n{extra}"
        )
    };
    let bad_files = [
        ("bad-type", format!("timeout_secs = \"{INLINE_TOKEN}\"\n{}", creds(""))),
        ("bad-setting", creds(&format!("\n[settings]\nmax_attempts = \"{INLINE_TOKEN}\"\n"))),
        ("bad-key", creds(&format!("api_tokn = \"{INLINE_TOKEN}\"\n"))),
        (
            "bad-enum",
            format!(
                "connector = \"workato\"\n\n[credentials]\ndata_center = \"{INLINE_TOKEN}\"\napi_token = \"{INLINE_TOKEN}\"\n"
            ),
        ),
        (
            "bad-url",
            format!(
                "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"http://{INLINE_TOKEN}.example.com\"\napi_token = \"{INLINE_TOKEN}\"\n"
            ),
        ),
        (
            "bad-connector",
            format!("connector = \"{INLINE_TOKEN}\"\n[credentials]\napi_token = \"{INLINE_TOKEN}\"\n"),
        ),
        (
            "bad-toml",
            format!(
                "connector = \"workato\"\n[credentials]\napi_token = \"{INLINE_TOKEN}\ndata_center = \"us\"\n"
            ),
        ),
        ("bad-toml-2", format!("connector = \"workato\"\n[credentials]\napi_token = {INLINE_TOKEN}\n")),
    ];
    for (id, text) in &bad_files {
        h.write_account(id, text);
    }
    let config = h.config().display().to_string();
    let store = h.store().display().to_string();

    let mut runs: Vec<(String, Run)> = Vec::new();
    let mut run = async |args: &[&str]| {
        let mut all = vec![TRACE];
        all.extend_from_slice(args);
        let r = h.roster(&all).await;
        runs.push((args.join(" "), r.clone()));
        r
    };
    run(&["validate", "--config", &config]).await.expect_code(2);
    run(&["check", "good", "--config", &config]).await.expect_code(0);
    run(&["check", "audit", "--config", &config, "--json"]).await.expect_code(0);
    for failing in ["server-error", "forbidden", "unauthorized", "revoked", "unknown-token", "redirect"] {
        run(&["check", failing, "--config", &config]).await.expect_code(1);
    }
    run(&["check", "unknown-token", "--config", &config, "--json"]).await.expect_code(1);
    for (id, _) in &bad_files {
        run(&["check", id, "--config", &config]).await.expect_code(2);
    }
    let sync = run(&["sync", "--config", &config, "--store", &store]).await;
    sync.expect_code(1);
    assert_eq!(sync.outcome("good"), "ok");
    assert_eq!(sync.outcome("wrong-type"), "degraded");
    assert_eq!(sync.outcome("revoked"), "failed");
    for (id, _) in &bad_files {
        assert_eq!(sync.outcome(id), "failed");
    }
    run(&["--log-format", "json", "sync", "--config", &config, "--store", &store]).await.expect_code(1);
    for format in ["table", "json", "jsonl", "csv"] {
        run(&["users", "--config", &config, "--store", &store, "--format", format]).await.expect_code(0);
    }
    for format in ["table", "json"] {
        run(&["report", "--config", &config, "--store", &store, "--format", format]).await.expect_code(0);
    }
    // A bad config dir and a bad runner file.
    let missing = h.scratch("missing").display().to_string();
    run(&["sync", "--config", &missing, "--store", &store]).await.expect_code(2);
    // Validate again, with only good accounts left.
    for (id, _) in &bad_files {
        std::fs::remove_file(h.config().join("accounts").join(format!("{id}.toml"))).expect("remove");
    }
    run(&["validate", "--config", &config]).await.expect_code(0);

    for (command, r) in &runs {
        assert_clean(&format!("`roster {command}` stdout"), r.stdout.as_bytes(), &secrets);
        assert_clean(&format!("`roster {command}` stderr"), r.stderr.as_bytes(), &secrets);
    }
    // The logs were really at trace level, and the error paths were taken.
    let all: String = runs.iter().map(|(_, r)| r.all_output()).collect();
    assert!(all.contains("TRACE") || all.contains("\"level\":\"TRACE\""), "no trace-level log line");
    assert!(all.contains("sending request"), "no request was logged");
    for kind in [
        "invalid_credentials",
        "missing_permission",
        "transient",
        "rate_limited",
        "invalid_response",
        "config",
    ] {
        assert!(sync.stdout.contains(kind), "no {kind} failure in the sync:\n{}", sync.stdout);
    }

    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{store}{suffix}");
        if let Ok(bytes) = std::fs::read(&path) {
            assert_clean(&path, &bytes, &secrets);
        }
    }
    assert!(std::fs::metadata(&store).is_ok_and(|m| m.len() > 0));
}

/// Fails when `haystack` holds a Zoom simulator client secret (`zsim` and
/// 32 hex digits; account and client ids are `zsimAcct…`, `zsimClient…`).
#[track_caller]
fn assert_no_zoom_secret(what: &str, haystack: &[u8]) {
    let found = haystack.windows(36).any(|w| {
        w.starts_with(b"zsim") && w[4..].iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
    });
    assert!(!found, "{what} holds a zoom simulator client secret");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_never_prints_or_writes_a_simulator_token() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_arg = dir.path().display().to_string();
    let env = vec![("RUST_LOG".to_owned(), "trace".to_owned())];
    let run = run_binary(vec![TRACE.into(), "demo".into(), "--dir".into(), dir_arg], env).await;
    run.expect_code(0);
    assert!(run.stdout.contains("the demo store is"), "{}", run.stdout);
    assert_clean("`roster demo` stdout", run.stdout.as_bytes(), &[]);
    assert_clean("`roster demo` stderr", run.stderr.as_bytes(), &[]);
    assert_no_zoom_secret("`roster demo` output", run.all_output().as_bytes());
    let files = files_under(dir.path());
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "db")), "{files:?}");
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "toml")), "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).expect("read");
        assert_clean(&file.display().to_string(), &bytes, &[]);
        assert_no_zoom_secret(&file.display().to_string(), &bytes);
    }
}

//! Editing and deleting an account in `roster serve`, over HTTP against the
//! Workato simulator: the Edit form holds the plain fields and no secret; a
//! blank secret keeps the current one, a typed one replaces it (and a sync
//! uses it); a bad value is refused at its field and nothing is written; the
//! keys the form does not manage and the comments stay. Delete needs the CSRF
//! token and the name typed again, removes both files, keeps the history, and
//! `roster prune --account` then removes it. The browser walk is in
//! `tests/browser/edit_flow.rs`.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::{Value, json};

#[path = "browser/serve_setup.rs"]
#[allow(dead_code, reason = "only start_serve is used here, through the client")]
mod serve_setup;

#[path = "serve_client/mod.rs"]
mod serve_client;

use serve_client::Serve;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A temporary folder with an empty config directory in it.
fn fresh_config() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("accounts")).expect("accounts dir");
    (dir, config)
}

/// The JSON of the page's `form-spec` island.
fn form_spec(page: &str) -> Value {
    let start = page.find(r#"id="form-spec">"#).expect("a form-spec island") + r#"id="form-spec">"#.len();
    let end = start + page[start..].find("</script>").expect("the island's end");
    serde_json::from_str(&page[start..end]).expect("form-spec json")
}

/// Syncs `id` with Sync now, which must go through with `users` users.
async fn assert_synced(s: &Serve, id: &str, users: u64) {
    let (_, answer) = s.post(&format!("/api/accounts/{id}/sync"), json!({})).await;
    assert_eq!(answer["result"]["outcome"], "ok", "{answer}");
    assert_eq!(answer["result"]["users"], users, "{answer}");
}

/// Saves `acme` through the Connect API, then adds keys and a comment the form does not manage.
async fn connect_acme(s: &Serve, config: &Path, base_url: &str, token: &str) {
    let creds = json!({"data_center": "custom", "base_url": base_url, "api_token": token});
    let (status, answer) = s
        .post("/api/integrations/workato/accounts", json!({"account_id": "acme", "credentials": creds}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let file = config.join("accounts/acme.toml");
    let text = read(&file).replacen(
        "connector = \"workato\"\n",
        "connector = \"workato\"\n# a comment of mine\nsync_interval_secs = 3600\n",
        1,
    );
    std::fs::write(&file, format!("{text}\n[actions]\nallow = []\n")).expect("account file");
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_keeps_a_blank_secret_replaces_a_typed_one_and_refuses_bad_values() {
    let sim = Simulator::start().await.expect("simulator");
    let old = sim.add_workspace(WorkspaceSpec::generated(1, 30, 5));
    let (dir, config) = fresh_config();
    let s = Serve::start(&config, &dir.path().join("roster.db")).await;
    connect_acme(&s, &config, &sim.base_url(), &old.token()).await;
    let (account, secrets) = (config.join("accounts/acme.toml"), config.join("secrets/acme.toml"));
    let mut seen = Vec::new();

    // The account page links to Edit and Delete; the Edit form holds the plain fields only.
    let page = s.get("/accounts/acme").await;
    assert!(
        page.contains(r#"href="/accounts/acme/edit""#) && page.contains(r#"href="/accounts/acme/delete""#)
    );
    let page = s.get("/accounts/acme/edit").await;
    let form = form_spec(&page);
    assert_eq!(form["formData"], json!({"data_center": "custom", "base_url": sim.base_url()}));
    assert_eq!(form["schema"]["required"], json!(["data_center"]), "a blank token is allowed");
    let about = form["schema"]["properties"]["api_token"]["description"].as_str().expect("description");
    assert!(about.contains("Leave blank to keep the current value (in secrets/acme.toml)"), "{about}");
    seen.push(page);

    // A bad value: refused at its field, nothing written.
    let before = (read(&account), read(&secrets));
    let bad = json!({"credentials": {"data_center": "custom", "base_url": "not a url", "api_token": ""}});
    let (status, answer) = s.post("/api/accounts/acme/edit", bad).await;
    assert_eq!(
        (status, &answer["fields"][0]["field"]),
        (StatusCode::BAD_REQUEST, &json!("base_url")),
        "{answer}"
    );
    assert_eq!((read(&account), read(&secrets)), before, "a refused edit writes nothing");
    seen.push(answer.to_string());

    // A blank secret keeps the current one: the test and the save use it.
    let localhost = sim.base_url().replace("127.0.0.1", "localhost");
    let kept = json!({"credentials": {"data_center": "custom", "base_url": localhost, "api_token": ""}});
    let (_, answer) = s.post("/api/accounts/acme/check", kept.clone()).await;
    assert_eq!(answer["ok"], true, "{answer}");
    seen.push(answer.to_string());
    let (status, answer) = s.post("/api/accounts/acme/edit", kept).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!((&answer["kept"], &answer["secrets_file"]), (&json!(["api_token"]), &Value::Null), "{answer}");
    seen.push(answer.to_string());
    let text = read(&account);
    assert!(text.contains(&format!("base_url = \"{localhost}\"")), "{text}");
    assert!(text.contains("# a comment of mine\nsync_interval_secs = 3600\n"), "{text}");
    assert!(text.contains("[actions]\nallow = []"), "{text}");
    assert_eq!(read(&secrets), before.1, "the secrets file is not rewritten for a kept secret");
    assert_synced(&s, "acme", 30).await;

    // The token is rotated: the old one stops working, the typed one replaces it.
    old.revoke_token();
    let rotated = sim.add_workspace(WorkspaceSpec::generated(1, 30, 5)).token();
    let (_, answer) = s.post("/api/accounts/acme/sync", json!({})).await;
    assert_eq!(answer["result"]["outcome"], "failed", "{answer}");
    let typed =
        json!({"credentials": {"data_center": "custom", "base_url": localhost, "api_token": rotated}});
    let (status, answer) = s.post("/api/accounts/acme/edit", typed).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["secret_fields"], json!(["api_token"]), "{answer}");
    seen.push(answer.to_string());
    let secret_text = read(&secrets);
    assert!(secret_text.contains(&rotated) && !secret_text.contains(&old.token()), "{secret_text}");
    assert!(!read(&account).contains(&rotated), "the account file holds no secret");
    assert_synced(&s, "acme", 30).await;

    // No page or answer holds a secret.
    seen.push(s.get("/accounts/acme/edit").await);
    seen.push(s.get("/accounts/acme").await);
    for text in &seen {
        assert!(!text.contains(&old.token()) && !text.contains(&rotated), "a secret in {text}");
    }
    sim.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_from_the_environment_is_kept_and_one_in_the_account_file_moves_out() {
    let sim = Simulator::start().await.expect("simulator");
    let (envy, inline) = (
        sim.add_workspace(WorkspaceSpec::generated(3, 8, 1)),
        sim.add_workspace(WorkspaceSpec::generated(4, 9, 2)),
    );
    let (dir, config) = fresh_config();
    let plain = format!(
        "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{}\"\n",
        sim.base_url()
    );
    std::fs::write(config.join("accounts/envy.toml"), &plain).expect("account file");
    std::fs::write(
        config.join("accounts/inline.toml"),
        format!("{plain}api_token = \"{}\"\n", inline.token()),
    )
    .expect("account file");
    let var = "ROSTER_ACCOUNT_ENVY__CREDENTIALS__API_TOKEN";
    let s = Serve::start_with_env(&config, &dir.path().join("roster.db"), &[], &[(var, &envy.token())]).await;
    let localhost = sim.base_url().replace("127.0.0.1", "localhost");
    let creds = |token: &str| json!({"credentials": {"data_center": "custom", "base_url": localhost, "api_token": token}});

    // From the environment: the form says so; blank keeps using it; a typed one is refused.
    let form = form_spec(&s.get("/accounts/envy/edit").await);
    let about = form["schema"]["properties"]["api_token"]["description"].as_str().expect("description");
    assert!(about.contains(&format!("from the environment variable {var}")), "{about}");
    let (status, answer) = s.post("/api/accounts/envy/edit", creds("")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(!config.join("secrets/envy.toml").exists(), "no secrets file for a secret from the environment");
    assert_synced(&s, "envy", 8).await;
    let before = read(&config.join("accounts/envy.toml"));
    let (status, answer) = s.post("/api/accounts/envy/edit", creds("wrkaus-typed-0123456789")).await;
    assert_eq!(
        (status, &answer["fields"][0]["field"]),
        (StatusCode::BAD_REQUEST, &json!("api_token")),
        "{answer}"
    );
    assert!(answer["message"].as_str().is_some_and(|m| m.contains(var)), "{answer}");
    assert_eq!(read(&config.join("accounts/envy.toml")), before, "a refused edit writes nothing");

    // In the account file: kept there when blank, moved to the secrets file when replaced.
    let (status, answer) = s.post("/api/accounts/inline/edit", creds("")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(read(&config.join("accounts/inline.toml")).contains(&inline.token()));
    inline.revoke_token();
    let rotated = sim.add_workspace(WorkspaceSpec::generated(4, 9, 2)).token();
    let (status, answer) = s.post("/api/accounts/inline/edit", creds(&rotated)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let account = read(&config.join("accounts/inline.toml"));
    assert!(!account.contains(&inline.token()) && !account.contains(&rotated), "{account}");
    assert!(read(&config.join("secrets/inline.toml")).contains(&rotated));
    assert_synced(&s, "inline", 9).await;
    sim.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_needs_the_token_and_the_name_and_keeps_the_history_until_prune() {
    let sim = Simulator::start().await.expect("simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(2, 12, 3));
    let (dir, config) = fresh_config();
    let store = dir.path().join("roster.db");
    let s = Serve::start(&config, &store).await;
    connect_acme(&s, &config, &sim.base_url(), &workspace.token()).await;
    let (account, secrets) = (config.join("accounts/acme.toml"), config.join("secrets/acme.toml"));
    let (_, answer) = s.post("/api/accounts/acme/sync", json!({})).await;
    assert_eq!(answer["result"]["outcome"], "ok", "{answer}");

    // The confirmation names both files and says the history stays.
    let page = s.get("/accounts/acme/delete").await;
    for expected in [account.display().to_string(), secrets.display().to_string()] {
        assert!(page.contains(&expected), "{expected} in {page}");
    }
    assert!(page.contains("roster prune --account acme"), "{page}");

    // Without the CSRF token, or without the name, nothing is removed.
    let (status, _) = s.form("/accounts/acme/delete", &[("confirm", "acme")], false).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = s.form("/accounts/acme/delete", &[("confirm", "acm")], true).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("nothing was deleted"), "{body}");
    assert!(account.is_file() && secrets.is_file());

    // With both: the files go, back to Accounts, which keeps the history as deleted.
    let (status, list) = s.form("/accounts/acme/delete", &[("confirm", "acme")], true).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(!account.exists() && !secrets.exists(), "both files are removed");
    assert!(list.contains("Deleted <strong>acme</strong>"), "{list}");
    assert!(list.contains(r#"<span class="kind">deleted</span>"#), "{list}");
    assert!(!list.contains(r#"data-account="acme">Sync now"#), "{list}");
    let page = s.get("/accounts/acme").await;
    assert!(page.contains(r#"<span id="matched">12</span>"#), "the users stay in the store");
    assert!(!page.contains("/accounts/acme/edit"), "nothing to edit");
    let tiles = s.get("/integrations").await;
    let tile = tiles.split(r#"data-connector="workato""#).nth(1).and_then(|t| t.split("</section>").next());
    assert!(tile.is_some_and(|t| t.contains("Not connected")), "{tiles}");
    assert!(!page.contains(&workspace.token()) && !list.contains(&workspace.token()));
    drop(s);

    // `roster prune --account acme` then removes the history.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["prune", "--account", "acme", "--config"])
        .arg(&config)
        .arg("--store")
        .arg(&store)
        .output()
        .expect("roster prune");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("pruned acme") && said.contains("12 users"), "{said}");
    let s = Serve::start(&config, &store).await;
    assert!(!s.get("/accounts").await.contains("data-account=\"acme\""), "pruned accounts are not listed");
    sim.shutdown();
}

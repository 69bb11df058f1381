//! `roster serve` over HTTP, without a browser: the guards (loopback Host,
//! CSRF), Test connection with its field and redaction, Save's files and
//! refusals, Sync now, and the pages and CSV that follow; actions: the dry run
//! sending nothing, Apply with and without the CSRF field, the audit page, and
//! every Apply refused under `--allow-remote`. The browser walks of the same
//! flows are in `tests/browser/`.

use reqwest::StatusCode;
use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::json;

#[path = "browser/serve_setup.rs"]
mod serve_setup;

use serve_setup::workato_account;

#[path = "serve_client/mod.rs"]
mod serve_client;

use serve_client::Serve;

#[tokio::test(flavor = "multi_thread")]
async fn serve_guards_tests_saves_syncs_and_lists_without_showing_the_secret() {
    let sim = Simulator::start().await.expect("simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, 30, 5));
    let token = workspace.token();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("accounts")).expect("accounts dir");
    let s = Serve::start(&config, &dir.path().join("roster.db")).await;
    let creds = |t: &str| json!({"data_center": "custom", "base_url": sim.base_url(), "api_token": t});

    // Guards: the CSRF token and a loopback Host.
    let forged = s
        .http
        .post(format!("{}/api/integrations/workato/check", s.url))
        .header("cookie", &s.cookie)
        .json(&json!({"credentials": creds(&token)}))
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let rebound = s
        .http
        .get(format!("{}/accounts", s.url))
        .header("host", "evil.example.com")
        .send()
        .await
        .expect("get");
    assert_eq!(rebound.status(), StatusCode::MISDIRECTED_REQUEST);

    // Test connection: a wrong token is reported at the token field, never echoed.
    let canary = "wrka-CANARY-5e1f0c2d9a7b";
    let (status, answer) =
        s.post("/api/integrations/workato/check", json!({"credentials": creds(canary)})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["kind"], "invalid_credentials");
    assert_eq!(answer["fields"][0]["field"], "api_token");
    assert!(answer["remediation"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(!answer.to_string().contains(canary), "{answer}");
    let (_, answer) = s.post("/api/integrations/workato/check", json!({"credentials": {"data_center": "eu", "base_url": "https://x.example.com", "api_token": canary}})).await;
    assert_eq!(answer["fields"][0]["field"], "base_url", "{answer}");
    let (_, answer) = s.post("/api/integrations/workato/check", json!({"credentials": creds(&token)})).await;
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(answer["account"]["tenant_id"].is_string());

    // Save: bad names and taken names are refused; the secret goes to a private file.
    let (status, answer) = s
        .post(
            "/api/integrations/workato/accounts",
            json!({"account_id": "../x", "credentials": creds(&token)}),
        )
        .await;
    assert_eq!((status, &answer["fields"][0]["field"]), (StatusCode::BAD_REQUEST, &json!("account_id")));
    let (status, answer) = s
        .post(
            "/api/integrations/workato/accounts",
            json!({"account_id": "acme", "credentials": creds(&token)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["env"], json!(["ROSTER_ACCOUNT_ACME__CREDENTIALS__API_TOKEN"]));
    assert!(!answer.to_string().contains(&token));
    let (status, _) = s
        .post(
            "/api/integrations/workato/accounts",
            json!({"account_id": "ACME", "credentials": creds(&token)}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "acme and ACME share their environment variables");
    let account = std::fs::read_to_string(config.join("accounts/acme.toml")).expect("account file");
    assert!(!account.contains(&token) && account.contains("base_url"), "{account}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            std::fs::metadata(config.join("secrets/acme.toml")).expect("secrets file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Sync now, then the pages and the CSV.
    let (status, answer) = s.post("/api/accounts/acme/sync", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["result"]["outcome"], "ok", "{answer}");
    assert_eq!(answer["result"]["users"], 30);
    let (status, _) = s.post("/api/accounts/nobody/sync", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let accounts = s.get("/accounts").await;
    assert!(accounts.contains(r#"<span class="mark ok" title="ok">✓</span> synced"#), "{accounts}");
    let users = s.get("/accounts/acme").await;
    assert!(users.contains(r#"<span id="matched">30</span>"#));
    let removed = s.get("/accounts/acme?show=removed&days=90").await;
    assert!(removed.contains(r#"<span id="matched">0</span>"#));
    let csv = s.get("/accounts/acme/users.csv?show=all&days=90").await;
    assert_eq!(csv.lines().count(), 31);
    assert!(csv.starts_with("account,connector,id,email"));
    // A last visit with milliseconds keeps them on the page and in the CSV.
    let exact = workspace
        .members_json()
        .iter()
        .find_map(|m| {
            let at = m["last_activity_log"]["created_at"].as_str()?;
            let utc = chrono::DateTime::parse_from_rfc3339(at).ok()?.to_utc();
            (utc.timestamp_subsec_millis() != 0).then(|| roster_core::timestamp(&utc))
        })
        .expect("a member whose last activity has milliseconds");
    assert!(exact.contains('.') && users.contains(&format!(r#"data-at="{exact}""#)), "{exact}");
    assert!(csv.contains(&format!(",{exact},")), "{exact} in the csv");
    for page in
        [&accounts, &users, &csv, &s.get("/integrations").await, &s.get("/integrations/workato").await]
    {
        assert!(!page.contains(&token), "a page shows the token");
    }
    sim.shutdown();
}

/// Whether the Workato connector has `remove_user` yet.
fn workato_removes_users() -> bool {
    serve_setup::connector_has("workato", "remove_user")
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_refuses_every_apply_beyond_loopback_and_any_form_post_without_csrf() {
    let sim = Simulator::start().await.expect("simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, 12, 3));
    let allow = workato_removes_users();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &workspace.token(), allow);
    let s = Serve::start_with(&config, &dir.path().join("roster.db"), &["--allow-remote"]).await;
    // Vendor-supplied names that try to break out of the markup.
    let first = workspace.members_json()[0]["id"].as_u64().expect("member id");
    assert!(workspace.update_member(first, |m| {
        m["name"] = json!("<script>alert('name')</script>");
        m["email"] = json!("\"onmouseover=alert(1) x@example.com");
    }));
    let (status, answer) = s.post("/api/accounts/acme/sync", json!({})).await;
    assert_eq!((status, &answer["result"]["outcome"]), (StatusCode::OK, &json!("ok")), "{answer}");
    let user = first.to_string();
    let page = s.get("/accounts/acme").await;
    assert!(page.contains("&lt;script&gt;alert('name')") && page.contains("&quot;onmouseover="), "{page}");
    assert!(!page.contains("<script>alert") && !page.contains("\"onmouseover="), "{page}");

    // Without the session's token, a form post is refused before anything runs.
    for path in ["/accounts/acme/act/remove_user", "/reclaim", "/reclaim/apply"] {
        let (status, body) =
            s.form(path, &[("user", &user), ("days", "0"), ("action", "remove_user")], false).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(body.contains("csrf"), "{body}");
    }
    let wrong = s
        .http
        .post(format!("{}/accounts/acme/act/remove_user", s.url))
        .header("cookie", &s.cookie)
        .form(&[("user", user.as_str()), ("csrf", "0123")])
        .send()
        .await
        .expect("post");
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let foreign = s
        .http
        .post(format!("{}/reclaim", s.url))
        .header("cookie", &s.cookie)
        .header("origin", "http://evil.example.com")
        .form(&[("days", "0"), ("action", "remove_user"), ("csrf", s.csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN, "a form posted from another origin");

    // With it, under --allow-remote: refused with a page that says why; nothing is sent.
    for (path, fields) in [
        ("/accounts/acme/act/remove_user", vec![("user", user.as_str())]),
        ("/reclaim/apply", vec![("days", "0"), ("action", "remove_user"), ("item", "acme/1")]),
    ] {
        let (status, body) = s.form(path, &fields, true).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(body.contains("--allow-remote") && body.contains("no login"), "{body}");
    }
    assert_eq!(workspace.member_count(), 12, "no member was removed");

    // Dry runs and the audit stay visible.
    let audit = s.get("/audit").await;
    assert!(audit.contains("No action has been applied or refused yet"), "{audit}");
    assert!(s.get("/reclaim").await.contains(r#"<form class="reclaim""#));
    if allow {
        let confirm = s.get(&format!("/accounts/acme/act/remove_user?user={user}")).await;
        assert!(confirm.contains("Plan (dry run") && confirm.contains("no login"), "{confirm}");
        assert!(confirm.contains("&quot;onmouseover=") && !confirm.contains("\"onmouseover="), "{confirm}");
        let (status, plan) = s.form("/reclaim", &[("days", "0"), ("action", "remove_user")], true).await;
        assert_eq!(status, StatusCode::OK, "{plan}");
        assert!(plan.contains(r#"<span id="planned">"#), "{plan}");
        assert_eq!(workspace.member_count(), 12, "a dry run sends no write");
    }
    sim.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_plans_applies_and_audits_an_action_on_loopback() {
    if !workato_removes_users() {
        return;
    }
    let sim = Simulator::start().await.expect("simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, 12, 3));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &workspace.token(), true);
    let s = Serve::start(&config, &dir.path().join("roster.db")).await;
    let (status, answer) = s.post("/api/accounts/acme/sync", json!({})).await;
    assert_eq!((status, &answer["result"]["outcome"]), (StatusCode::OK, &json!("ok")), "{answer}");
    let member = workspace.members_json()[0].clone();
    let user = member["id"].to_string();

    // The account page offers the action; its confirmation is a dry run.
    let account = s.get("/accounts/acme").await;
    let link = format!("/accounts/acme/act/remove_user?user={user}");
    assert!(account.contains(&format!(r#"href="{link}""#)), "{account}");
    let confirm = s.get(&link).await;
    assert!(confirm.contains(r#"<dd class="after">no access (not in the app)</dd>"#), "{confirm}");
    assert!(confirm.contains(r#"<form class="apply" method="post""#), "{confirm}");
    assert_eq!(workspace.member_count(), 12, "a dry run sends no write");

    // Apply: removed, verified, audited as the web UI, and the account synced.
    let (status, result) = s.form("/accounts/acme/act/remove_user", &[("user", &user)], true).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert!(result.contains(r#"data-outcome="applied""#), "{result}");
    assert!(result.contains(r#"<span class="sync-outcome">ok</span> (11 users)"#), "{result}");
    assert_eq!(workspace.member_count(), 11);
    let audit = s.get("/audit").await;
    assert!(
        audit.contains(r#"<span class="outcome applied">applied</span>"#) && audit.contains("web UI"),
        "{audit}"
    );
    assert!(audit.contains(&format!(r#"<td class="user">{user}</td>"#)), "{audit}");

    // Reclaim: the plan over its cap offers no Apply; a forged Apply over it is refused
    // and audited; within it, only the confirmed user is removed.
    let (status, plan) =
        s.form("/reclaim", &[("days", "0"), ("action", "remove_user"), ("max", "1")], true).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert!(plan.contains("more than max 1") && !plan.contains(r#"<form class="apply""#), "{plan}");
    let second = workspace.members_json()[0]["id"].to_string();
    let third = workspace.members_json()[1]["id"].to_string();
    let items = [format!("acme/{second}"), format!("acme/{third}")];
    let over =
        [("days", "0"), ("action", "remove_user"), ("max", "1"), ("item", &items[0]), ("item", &items[1])];
    let (status, body) = s.form("/reclaim/apply", &over, true).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(workspace.member_count(), 11, "nothing was removed over the cap");
    assert_eq!(s.get("/audit").await.matches(r#"<span class="outcome refused">"#).count(), 2);
    let (status, body) = s.form("/reclaim/apply", &over[..4], true).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(r#"<span class="outcome applied">applied</span>"#), "{body}");
    assert!(body.contains(r#"<span class="sync-outcome">ok</span> (10 users)"#), "{body}");
    assert_eq!(workspace.member_count(), 10, "only the confirmed user was removed");
    assert!(workspace.member_json(third.parse().expect("id")).is_some());

    // An account whose file allows nothing: no action offered, the dry run shown without
    // Apply, and a forged Apply refused by the engine and audited.
    let other = std::fs::read_to_string(config.join("accounts/acme.toml")).expect("account file");
    let other = other.split("\n[actions]").next().expect("without [actions]").to_owned();
    std::fs::write(config.join("accounts/other.toml"), other).expect("other account");
    let (status, answer) = s.post("/api/accounts/other/sync", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(!s.get("/accounts/other").await.contains("act/remove_user"));
    let confirm = s.get(&format!("/accounts/other/act/remove_user?user={third}")).await;
    assert!(confirm.contains("does not allow remove_user") && !confirm.contains(r#"<form class="apply""#));
    let (status, body) = s.form("/accounts/other/act/remove_user", &[("user", &third)], true).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(r#"data-outcome="refused""#), "{body}");
    assert_eq!(workspace.member_count(), 10);
    assert_eq!(s.get("/audit").await.matches(r#"<span class="outcome refused">"#).count(), 3);
    sim.shutdown();
}

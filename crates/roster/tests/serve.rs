//! `roster serve` over HTTP, without a browser: the guards (loopback Host,
//! CSRF), Test connection with its field and redaction, Save's files and
//! refusals, Sync now, and the pages and CSV that follow. The browser walk
//! of the same flow is `tests/browser/serve_flow.rs`.

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

struct Serve {
    url: String,
    cookie: String,
    csrf: String,
    http: reqwest::Client,
    _child: tokio::process::Child,
}

impl Serve {
    async fn start(config: &std::path::Path, store: &std::path::Path) -> Serve {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_roster"))
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(config)
            .arg("--store")
            .arg(store)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start roster serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("roster serve said nothing")
            .expect("stdout")
            .expect("roster serve exited");
        let url =
            first.split_whitespace().find(|w| w.starts_with("http://")).expect("url").trim_end_matches('/');
        let http = reqwest::Client::new();
        let page = http.get(format!("{url}/integrations/workato")).send().await.expect("connect page");
        let cookie = page.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("pair")
            .to_owned();
        let html = page.text().await.expect("html");
        let csrf = html
            .split("name=\"csrf-token\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf");
        Serve { url: url.to_owned(), cookie, csrf: csrf.to_owned(), http, _child: child }
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .expect("post");
        let status = res.status();
        (status, res.json().await.expect("json answer"))
    }

    async fn get(&self, path: &str) -> String {
        let res = self
            .http
            .get(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        res.text().await.expect("body")
    }
}

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
    for page in
        [&accounts, &users, &csv, &s.get("/integrations").await, &s.get("/integrations/workato").await]
    {
        assert!(!page.contains(&token), "a page shows the token");
    }
    sim.shutdown();
}

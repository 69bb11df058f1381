//! A client of a running `roster serve`: its session cookie and CSRF token, and
//! GET, JSON and form requests with them. Shared by `tests/serve.rs` and
//! `tests/hostile_names.rs`, which include this file.

#![allow(dead_code, reason = "each test file uses part of the client")]

use reqwest::StatusCode;
use serde_json::Value;

use super::serve_setup::{start_serve, start_serve_with_env};

pub struct Serve {
    pub url: String,
    pub cookie: String,
    pub csrf: String,
    pub http: reqwest::Client,
    _child: tokio::process::Child,
    /// Kept open: roster serve's output goes to pipes it must be able to write to.
    _lines: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
}

impl Serve {
    pub async fn start(config: &std::path::Path, store: &std::path::Path) -> Serve {
        Self::start_with(config, store, &[]).await
    }

    pub async fn start_with(config: &std::path::Path, store: &std::path::Path, extra: &[&str]) -> Serve {
        Self::session(start_serve(config, store, extra).await).await
    }

    /// [`Serve::start_with`], with environment variables `env` set for `roster serve`.
    pub async fn start_with_env(
        config: &std::path::Path,
        store: &std::path::Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Serve {
        Self::session(start_serve_with_env(config, store, extra, env).await).await
    }

    /// A session (its cookie and CSRF token) with a started `roster serve`.
    async fn session(
        (child, lines, url): (
            tokio::process::Child,
            tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
            String,
        ),
    ) -> Serve {
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
        Serve { url, cookie, _lines: lines, csrf: csrf.to_owned(), http, _child: child }
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
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

    /// An HTML form post (`application/x-www-form-urlencoded`), as a browser sends it;
    /// the CSRF token goes in the `csrf` field when `with_csrf`.
    pub async fn form(&self, path: &str, fields: &[(&str, &str)], with_csrf: bool) -> (StatusCode, String) {
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        if with_csrf {
            fields.push(("csrf", &self.csrf));
        }
        let res = self
            .http
            .post(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .form(&fields)
            .send()
            .await
            .expect("post");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    pub async fn get(&self, path: &str) -> String {
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

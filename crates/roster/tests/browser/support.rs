//! Finding node, the web folder and Chromium, and running a node test file.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

/// How long one node test file may run.
const NODE_DEADLINE: Duration = Duration::from_secs(600);

/// What the browser tests need.
pub struct Web {
    pub dir: PathBuf,
    pub chromium: PathBuf,
}

/// The web folder and Chromium, or `None` (with a note) when something is
/// missing. Under `CI=true` a missing piece fails the test instead.
pub fn web() -> Option<Web> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let chromium = PathBuf::from(std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()));
    let missing = missing(&dir, &chromium);
    if missing.is_empty() {
        return Some(Web { dir, chromium });
    }
    let list = missing.join("\n  - ");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the browser tests cannot run under CI:\n  - {list}\n.ci/run installs all of this");
    }
    eprintln!("note: skipping a browser test; missing:\n  - {list}");
    None
}

fn missing(dir: &Path, chromium: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        out.push("node (Node.js 20 or newer) on PATH".to_owned());
    }
    for package in ["@rjsf/core", "@rjsf/validator-ajv8", "playwright-core", "ajv"] {
        if !dir.join("node_modules").join(package).is_dir() {
            out.push(format!("web/node_modules/{package}: run `npm ci` in web/"));
            break;
        }
    }
    let bundle = dir.join("dist/roster-form.js");
    match (modified(&bundle), modified(&dir.join("src/form.jsx"))) {
        (None, _) => out.push("web/dist/roster-form.js: run `npm run build` in web/".to_owned()),
        (Some(built), Some(source)) if built < source => {
            out.push(
                "web/dist/roster-form.js is older than web/src/form.jsx: run `npm run build` in web/"
                    .to_owned(),
            );
        }
        _ => {}
    }
    if !chromium.is_file() {
        out.push(format!(
            "{}: apt-get install -y chromium chromium-driver (or set CHROMIUM)",
            chromium.display()
        ));
    }
    out
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Runs `node --test <file>` in the web folder with `env`, and fails the test
/// with node's output unless every node test passed.
pub async fn node_test(web: &Web, file: &str, env: &[(&str, String)]) -> String {
    let mut cmd = tokio::process::Command::new("node");
    cmd.args(["--test", "--test-reporter=spec", file])
        .current_dir(&web.dir)
        .env("CHROMIUM", &web.chromium)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(NODE_DEADLINE, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("node --test {file} did not finish within {NODE_DEADLINE:?}"))
        .unwrap_or_else(|e| panic!("could not run node: {e}"));
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "node --test {file} failed:\n{text}");
    text
}

/// `roster sync` of every account of `config` into `store`; fails the test unless it succeeds.
pub fn roster_sync(config: &Path, store: &Path) {
    let synced = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["sync", "--config"])
        .arg(config)
        .arg("--store")
        .arg(store)
        .output()
        .expect("roster sync");
    assert!(synced.status.success(), "roster sync: {}", String::from_utf8_lossy(&synced.stderr));
}

/// Where the tests keep their screenshots: `target/tmp/screenshots`.
pub fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

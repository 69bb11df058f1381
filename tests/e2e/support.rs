//! Helpers: an in-process Workato simulator, a config directory whose
//! accounts point at it, and the `roster` binary run as a child process.
//!
//! Tokens reach the child only through `ROSTER_ACCOUNT_<ID>__CREDENTIALS__API_TOKEN`
//! on its environment; account files never hold them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use roster_workato_sim::{Simulator, Workspace, WorkspaceSpec};
use serde_json::Value;
use tempfile::TempDir;

/// How long one `roster` run may take before the test gives up on it.
const CHILD_DEADLINE: Duration = Duration::from_secs(300);

/// The `[settings]` every account gets unless a test writes its own: quick
/// retries so that fault tests finish fast, and a client rate that never
/// waits in these small workspaces.
pub const FAST_SETTINGS: &str =
    "requests_per_minute = 6000\nmax_attempts = 3\nretry_base_delay_ms = 10\nrequest_timeout_secs = 20\n";

/// What one run of the binary ended with.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The summary row of `account` in `sync`'s table, split into cells.
    #[track_caller]
    pub fn summary_row(&self, account: &str) -> Vec<String> {
        self.stdout
            .lines()
            .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .find(|cells| cells.first().map(String::as_str) == Some(account))
            .unwrap_or_else(|| panic!("no summary row for {account} in\n{}", self.stdout))
    }

    /// The outcome column of `account` in `sync`'s summary.
    #[track_caller]
    pub fn outcome(&self, account: &str) -> String {
        self.summary_row(account)[2].clone()
    }

    /// Both streams, for "never appears anywhere" assertions.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A simulator, a config dir and the tokens of its accounts.
pub struct Harness {
    pub sim: Simulator,
    dir: TempDir,
    tokens: BTreeMap<String, String>,
    workspaces: BTreeMap<String, Workspace>,
    extra_env: Vec<(String, String)>,
    next_workspace: u64,
}

impl Harness {
    /// Starts the simulator on the current tokio runtime and creates an empty
    /// config dir with an `accounts` folder.
    pub async fn new() -> Harness {
        let sim = Simulator::start().await.expect("start the simulator");
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("config").join("accounts")).expect("accounts dir");
        Harness {
            sim,
            dir,
            tokens: BTreeMap::new(),
            workspaces: BTreeMap::new(),
            extra_env: Vec::new(),
            next_workspace: 1,
        }
    }

    /// The config directory (`--config`).
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The store file (`--store`).
    pub fn store(&self) -> PathBuf {
        self.config().join("roster.db")
    }

    /// A scratch path beside the config dir.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Adds a simulated workspace with `members` generated collaborators and
    /// an account file `id.toml` pointing at it, with [`FAST_SETTINGS`].
    pub fn add_account(&mut self, id: &str, members: usize, seed: u64) -> Workspace {
        self.add_account_with(id, members, seed, FAST_SETTINGS)
    }

    /// Like [`Harness::add_account`] with this `[settings]` body.
    pub fn add_account_with(&mut self, id: &str, members: usize, seed: u64, settings: &str) -> Workspace {
        let ws_id = self.next_workspace;
        self.next_workspace += 1;
        let ws = self.sim.add_workspace(WorkspaceSpec::generated(ws_id, members, seed));
        self.write_account(id, &self.account_toml(settings));
        self.tokens.insert(id.to_owned(), ws.token());
        self.workspaces.insert(id.to_owned(), ws.clone());
        ws
    }

    /// The text of an account file pointing at the simulator, without a token.
    pub fn account_toml(&self, settings: &str) -> String {
        format!(
            "connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{}\"\n\n[settings]\n{settings}",
            self.sim.base_url()
        )
    }

    /// Writes `accounts/<id>.toml` verbatim.
    pub fn write_account(&self, id: &str, text: &str) {
        self.write_account_bytes(&format!("{id}.toml"), text.as_bytes());
    }

    /// Writes `accounts/<file>` with exactly these bytes.
    pub fn write_account_bytes(&self, file: &str, bytes: &[u8]) {
        let path = self.config().join("accounts").join(file);
        std::fs::write(&path, bytes).expect("write account file");
        restrict(&path);
    }

    /// Writes `roster.toml`.
    pub fn write_runner(&self, text: &str) {
        std::fs::write(self.config().join("roster.toml"), text).expect("write roster.toml");
    }

    /// Sets (or replaces) the token the child gets for `id`.
    pub fn set_token(&mut self, id: &str, token: &str) {
        self.tokens.insert(id.to_owned(), token.to_owned());
    }

    /// Stops passing a token for `id`.
    pub fn forget_token(&mut self, id: &str) {
        self.tokens.remove(id);
    }

    /// The workspace behind account `id`.
    #[track_caller]
    pub fn workspace(&self, id: &str) -> &Workspace {
        self.workspaces.get(id).unwrap_or_else(|| panic!("no workspace for {id}"))
    }

    /// Passes one more environment variable to every child.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.extra_env.push((key.to_owned(), value.to_owned()));
    }

    /// The environment the child gets: one token variable per account, and
    /// whatever the test added.
    fn env(&self) -> Vec<(String, String)> {
        self.tokens
            .iter()
            .map(|(id, token)| (token_var(id), token.clone()))
            .chain(self.extra_env.iter().cloned())
            .collect()
    }

    /// Runs `roster ARGS` with the accounts' tokens in its environment.
    pub async fn roster(&self, args: &[&str]) -> Run {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        run_binary(args, self.env()).await
    }

    /// `roster <command> --config DIR --store DIR/roster.db ARGS`.
    pub async fn roster_in(&self, command: &str, args: &[&str]) -> Run {
        let config = self.config().display().to_string();
        let store = self.store().display().to_string();
        let mut all = vec![command, "--config", &config, "--store", &store];
        all.extend_from_slice(args);
        self.roster(&all).await
    }

    /// `roster <command> --config DIR --store DIR/roster.db ARGS` with stdout sent elsewhere.
    pub async fn roster_to(&self, stdout: Stdout, command: &str, args: &[&str]) -> Run {
        let mut all = vec![
            command.to_owned(),
            "--config".to_owned(),
            self.config().display().to_string(),
            "--store".to_owned(),
            self.store().display().to_string(),
        ];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let env = self.env();
        tokio::task::spawn_blocking(move || spawn_with(&all, &env, stdout).wait())
            .await
            .expect("the child runner thread panicked")
    }

    /// `roster sync` with extra arguments.
    pub async fn sync(&self, args: &[&str]) -> Run {
        self.roster_in("sync", args).await
    }

    /// `roster users --format jsonl`, raw.
    pub async fn users_jsonl_text(&self) -> String {
        let run = self.roster_in("users", &["--format", "jsonl"]).await;
        run.expect_code(0);
        run.stdout
    }

    /// `roster users --format jsonl`, parsed.
    pub async fn users(&self) -> Vec<Value> {
        parse_jsonl(&self.users_jsonl_text().await)
    }

    /// The stored users of `account`, by id.
    pub async fn users_of(&self, account: &str) -> BTreeMap<String, Value> {
        by_id(self.users().await.into_iter().filter(|u| u["account"] == account))
    }
}

/// The token variable of an account id, as the runner documents it.
pub fn token_var(id: &str) -> String {
    let id: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    format!("ROSTER_ACCOUNT_{id}__CREDENTIALS__API_TOKEN")
}

/// Account files are written owner-only, as the runner asks of files with secrets.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Runs the binary on a blocking thread, so the simulator keeps serving on
/// the test's runtime meanwhile.
pub async fn run_binary(args: Vec<String>, env: Vec<(String, String)>) -> Run {
    tokio::task::spawn_blocking(move || run_blocking(&args, &env))
        .await
        .expect("the child runner thread panicked")
}

/// A started child, for tests that signal it.
pub struct Child {
    child: std::process::Child,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Child {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child (killing it past the deadline) and collects its output.
    pub fn wait(mut self) -> Run {
        let started = Instant::now();
        let status = loop {
            match self.child.try_wait().expect("wait for roster") {
                Some(status) => break status,
                None if started.elapsed() > CHILD_DEADLINE => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!("roster did not finish within {CHILD_DEADLINE:?}");
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        Run {
            code: status.code(),
            stdout: self.stdout.join().unwrap_or_default(),
            stderr: self.stderr.join().unwrap_or_default(),
        }
    }
}

/// Where the child's stdout goes.
pub enum Stdout {
    /// Captured into [`Run::stdout`].
    Capture,
    /// A pipe whose reading end is closed at once, like `roster ... | head -0`.
    Closed,
    /// This file (for example `/dev/full`).
    File(std::fs::File),
}

/// Starts `roster ARGS` with exactly `env` (plus nothing inherited but PATH).
pub fn spawn(args: &[String], env: &[(String, String)]) -> Child {
    spawn_with(args, env, Stdout::Capture)
}

/// [`spawn`] with a chosen stdout.
pub fn spawn_with(args: &[String], env: &[(String, String)], stdout: Stdout) -> Child {
    let closed = matches!(stdout, Stdout::Closed);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roster"));
    cmd.args(args).env_clear().stdin(Stdio::null()).stderr(Stdio::piped());
    match stdout {
        Stdout::Capture | Stdout::Closed => cmd.stdout(Stdio::piped()),
        Stdout::File(f) => cmd.stdout(Stdio::from(f)),
    };
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start roster");
    // A closed pipe: dropping the reading end at once makes every write fail.
    let out = child.stdout.take().filter(|_| !closed);
    let mut err = child.stderr.take().expect("stderr");
    let stdout = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(mut out) = out {
            let _ = out.read_to_end(&mut s);
        }
        String::from_utf8_lossy(&s).into_owned()
    });
    let stderr = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    Child { child, stdout, stderr }
}

fn run_blocking(args: &[String], env: &[(String, String)]) -> Run {
    spawn(args, env).wait()
}

/// `roster ARGS` without any account token (for commands that need none).
pub async fn roster(args: &[&str]) -> Run {
    run_binary(args.iter().map(|a| (*a).to_owned()).collect(), Vec::new()).await
}

/// One JSON value per non-empty line.
#[track_caller]
pub fn parse_jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad jsonl line {l:?}: {e}")))
        .collect()
}

/// Users keyed by their `id`.
pub fn by_id(users: impl IntoIterator<Item = Value>) -> BTreeMap<String, Value> {
    users.into_iter().map(|u| (u["id"].as_str().expect("id is a string").to_owned(), u)).collect()
}

/// The documented fields of a stored user, in order.
pub const USER_FIELDS: [&str; 12] = [
    "account",
    "connector",
    "id",
    "email",
    "name",
    "status",
    "last_visit_at",
    "roles",
    "license_types",
    "attributes",
    "first_seen_at",
    "removed_at",
];

/// What a simulator member should look like once stored: id, email, name and
/// its roles as `(scope, name)` pairs, following the connector's documented
/// mapping (`roles[].environment_type` + `role_name`, else a flat `role_name`
/// in `dev`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub roles: BTreeSet<(String, String)>,
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl Expected {
    pub fn from_member(m: &Value) -> Expected {
        let id = match &m["id"] {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            other => panic!("member without id: {other}"),
        };
        let mut roles = BTreeSet::new();
        for r in m["roles"].as_array().into_iter().flatten() {
            let Some(name) = text(&r["role_name"]) else {
                continue;
            };
            let scope =
                text(&r["environment_type"]).map(|s| s.to_ascii_lowercase()).unwrap_or_else(|| "dev".into());
            roles.insert((scope, name));
        }
        if roles.is_empty()
            && let Some(name) = text(&m["role_name"])
        {
            roles.insert(("dev".into(), name));
        }
        Expected { id, email: text(&m["email"]), name: text(&m["name"]), roles }
    }

    pub fn from_stored(u: &Value) -> Expected {
        Expected {
            id: u["id"].as_str().expect("id").to_owned(),
            email: u["email"].as_str().map(str::to_owned),
            name: u["name"].as_str().map(str::to_owned),
            roles: u["roles"]
                .as_array()
                .expect("roles array")
                .iter()
                .map(|r| {
                    (
                        r["scope"].as_str().expect("scope").to_owned(),
                        r["name"].as_str().expect("role name").to_owned(),
                    )
                })
                .collect(),
        }
    }
}

/// The simulator's members of a workspace, as the store should hold them.
pub fn expected_members(ws: &Workspace) -> BTreeMap<String, Expected> {
    ws.members_json().iter().map(Expected::from_member).map(|e| (e.id.clone(), e)).collect()
}

/// Asserts that `account`'s present users in `users` are exactly the
/// simulator's members, all `active`.
#[track_caller]
pub fn assert_matches_sim(account: &str, users: &[Value], ws: &Workspace) {
    let expected = expected_members(ws);
    let stored: BTreeMap<String, Expected> = users
        .iter()
        .filter(|u| u["account"] == account && u["status"] != "removed")
        .map(|u| {
            assert_eq!(u["status"], "active", "{account}: {u}");
            assert_eq!(u["connector"], "workato", "{account}: {u}");
            let e = Expected::from_stored(u);
            (e.id.clone(), e)
        })
        .collect();
    assert_eq!(
        stored.len(),
        expected.len(),
        "{account}: stored {} users, the simulator has {}",
        stored.len(),
        expected.len()
    );
    for (id, want) in &expected {
        let got = stored.get(id).unwrap_or_else(|| panic!("{account}: member {id} is not stored"));
        assert_eq!(got, want, "{account}: member {id} differs");
    }
}

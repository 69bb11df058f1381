//! `accounts/<id>.toml`: one account per file, secrets from the file or the
//! environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use roster_core::{ActionKind, ConnectorDescriptor, DynConnector, Registry};
use serde::Deserialize;
use serde_json::Value;

use super::env::{AccountEnv, AccountEnvs};
use super::problem::{ConfigProblem, from_figment};

/// One account, checked against its connector's types.
pub struct AccountConfig {
    pub id: String,
    pub file: PathBuf,
    pub connector: &'static ConnectorDescriptor,
    pub timeout: Option<Duration>,
    /// How often `roster run` syncs the account; `None` means the runner's default.
    pub sync_interval: Option<Duration>,
    /// The actions `[actions] allow` lets `roster act --apply` carry out.
    pub allowed_actions: Vec<ActionKind>,
    credentials: Value,
    settings: Value,
}

impl AccountConfig {
    /// Builds the connector. Problems name this account's file.
    pub fn build(&self) -> Result<Box<dyn DynConnector>, Vec<ConfigProblem>> {
        (self.connector.build)(self.credentials.clone(), self.settings.clone()).map_err(|errors| {
            errors.into_iter().map(|e| ConfigProblem::key(&self.file, e.key, e.message)).collect()
        })
    }
}

impl std::fmt::Debug for AccountConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountConfig")
            .field("id", &self.id)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// The result of loading a config directory: the valid accounts, and every
/// problem with the others. One bad file never hides the good ones.
#[derive(Debug, Default)]
pub struct LoadedAccounts {
    pub accounts: Vec<AccountConfig>,
    pub problems: Vec<ConfigProblem>,
    /// The accounts that did not load, by account id.
    pub failed: BTreeMap<String, BrokenAccount>,
    pub warnings: Vec<String>,
}

/// An account whose file did not load.
#[derive(Debug, Clone, Default)]
pub struct BrokenAccount {
    /// The registered connector the file names, when its TOML could be read that far.
    pub connector: Option<&'static str>,
    pub problems: Vec<ConfigProblem>,
}

impl BrokenAccount {
    /// The connector to record its failure under: the one the store already has for
    /// the account (the store labels every stored user with its account's connector,
    /// so a broken file must not relabel them), else the one the file names, else
    /// `unknown`.
    pub fn connector_label(&self, stored: Option<&String>) -> String {
        stored.cloned().or_else(|| self.connector.map(str::to_owned)).unwrap_or_else(|| "unknown".to_owned())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountFile {
    connector: String,
    #[serde(default)]
    timeout_secs: Option<u64>,
    #[serde(default)]
    sync_interval_secs: Option<u64>,
    #[serde(default)]
    credentials: Option<Value>,
    #[serde(default)]
    settings: Option<Value>,
    #[serde(default)]
    actions: Option<ActionsTable>,
}

/// `[actions]`: which actions may be applied to this account.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionsTable {
    #[serde(default)]
    allow: Vec<String>,
}

/// The environment variable prefix of an account: `ROSTER_ACCOUNT_<ID>__`,
/// with the id upper-cased and every character but letters and digits as `_`.
/// `ROSTER_ACCOUNT_ACME_PROD__CREDENTIALS__API_TOKEN` sets
/// `credentials.api_token` of account `acme-prod`.
pub fn env_prefix(id: &str) -> String {
    let id: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    format!("ROSTER_ACCOUNT_{id}__")
}

/// Loads every `*.toml` in `DIR/accounts`, in name order. `overrides` are
/// merged on top of files and environment, per account id (the demo passes
/// its tokens this way, so they are never written to disk).
pub fn load_accounts(dir: &Path, registry: &Registry, overrides: &BTreeMap<String, Value>) -> LoadedAccounts {
    let mut out = LoadedAccounts::default();
    let accounts_dir = dir.join("accounts");
    let entries = match std::fs::read_dir(&accounts_dir) {
        Ok(e) => e,
        Err(e) => {
            out.problems.push(ConfigProblem::file(
                &accounts_dir,
                format!(
                    "cannot be read ({e}); create it and put one <account-id>.toml file per account in it"
                ),
            ));
            return out;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
        .collect();
    files.sort();
    if files.is_empty() {
        out.problems.push(ConfigProblem::file(
            &accounts_dir,
            "has no account files; add one <account-id>.toml per account",
        ));
        return out;
    }
    let prefixes: Vec<String> = files.iter().map(|f| env_prefix(&file_id(f))).collect();
    let envs = AccountEnvs::read();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        let id = file_id(&file);
        let result = check_id(&file, &id).map_err(|p| (None, p)).and_then(|()| {
            let key = env_prefix(&id);
            if let Some(first) = seen.get(&key) {
                return Err((None, vec![ConfigProblem::file(
                    &file,
                    format!(
                        "declares the same account as {} (ids may differ only in case or punctuation); rename one of them",
                        first.display()
                    ),
                )]));
            }
            seen.insert(key.clone(), file.clone());
            let env = account_env(&envs, &key, &prefixes);
            let secrets = secrets_file(dir, &id);
            load_one(&file, &secrets, &id, env, registry, overrides.get(&id), &mut out.warnings)
        });
        match result {
            Ok(a) => out.accounts.push(a),
            Err((connector, problems)) => {
                let broken = out.failed.entry(id).or_default();
                broken.connector = broken.connector.or(connector);
                broken.problems.extend(problems.iter().cloned());
                out.problems.extend(problems);
            }
        }
    }
    out
}

/// The account id of a file: its name without `.toml`.
fn file_id(file: &Path) -> String {
    file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The environment provider of the account whose prefix is `prefix`. Every
/// variable goes to the account with the longest matching prefix: those of
/// `acme-` (`ROSTER_ACCOUNT_ACME___...`) and `acme--eu`
/// (`ROSTER_ACCOUNT_ACME__EU__...`) also start with `acme`'s
/// `ROSTER_ACCOUNT_ACME__`, and must not reach `acme`.
fn account_env(envs: &AccountEnvs, prefix: &str, all: &[String]) -> AccountEnv {
    let foreign: Vec<String> = all
        .iter()
        .filter(|p| p.len() > prefix.len() && p.starts_with(prefix))
        .map(|p| p[prefix.len()..].to_owned())
        .collect();
    envs.account(prefix, &foreign)
}

/// Whether `id` can name an account: letters, digits, `-` and `_`, starting
/// with a letter or digit, at most 100 characters.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// `DIR/secrets/<id>.toml`: an account's secrets, kept apart from its
/// account file (which can then be shared or committed). It may hold only a
/// `[credentials]` table; it is merged over the account file and under the
/// environment. `roster serve` writes it with mode 0600.
pub fn secrets_file(dir: &Path, id: &str) -> PathBuf {
    dir.join("secrets").join(format!("{id}.toml"))
}

fn check_id(file: &Path, id: &str) -> Result<(), Vec<ConfigProblem>> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(vec![ConfigProblem::file(
            file,
            "the file name is the account id and must be letters, digits, `-` and `_`, starting with a letter or digit",
        )])
    }
}

fn read_text(file: &Path) -> Result<String, Vec<ConfigProblem>> {
    let bytes =
        std::fs::read(file).map_err(|e| vec![ConfigProblem::file(file, format!("cannot be read: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        vec![ConfigProblem::file(
            file,
            format!(
                "is not valid utf-8 text (invalid byte at offset {}); save it as utf-8",
                e.utf8_error().valid_up_to()
            ),
        )]
    })
}

/// A TOML syntax error with its line and column, without the line's text.
pub(crate) fn toml_problem(file: &Path, text: &str, e: &toml::de::Error) -> ConfigProblem {
    let at = e.span().map(|s| {
        let before = &text[..s.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(" at line {line}, column {col}")
    });
    ConfigProblem::file(file, format!("is not valid TOML{}: {}", at.unwrap_or_default(), e.message().trim()))
}

/// The actions `[actions] allow` names, each one the connector has.
fn allowed_actions(
    file: &Path,
    connector: &ConnectorDescriptor,
    table: ActionsTable,
) -> Result<Vec<ActionKind>, Vec<ConfigProblem>> {
    let has: Vec<&str> = connector.actions.iter().map(|a| a.kind.as_str()).collect();
    let mut problems = Vec::new();
    let mut allowed = Vec::new();
    for name in &table.allow {
        match ActionKind::parse(name).filter(|k| has.contains(&k.as_str())) {
            Some(kind) if !allowed.contains(&kind) => allowed.push(kind),
            Some(_) => {}
            None => problems.push(ConfigProblem::key(
                file,
                "actions.allow",
                if has.is_empty() {
                    format!("names an action the {} connector does not have; it has none", connector.id)
                } else {
                    format!(
                        "names an action the {} connector does not have; expected some of {}",
                        connector.id,
                        has.join(", ")
                    )
                },
            )),
        }
    }
    if problems.is_empty() { Ok(allowed) } else { Err(problems) }
}

/// Loads one account file; a failure carries the registered connector the file names,
/// when its TOML could be read that far.
fn load_one(
    file: &Path,
    secrets: &Path,
    id: &str,
    env: AccountEnv,
    registry: &Registry,
    overrides: Option<&Value>,
    warnings: &mut Vec<String>,
) -> Result<AccountConfig, (Option<&'static str>, Vec<ConfigProblem>)> {
    let text = read_text(file).map_err(|p| (None, p))?;
    let table = text.parse::<toml::Table>().map_err(|e| (None, vec![toml_problem(file, &text, &e)]))?;
    let named = table.get("connector").and_then(|c| c.as_str()).and_then(|c| registry.get(c)).map(|d| d.id);
    build_one(file, secrets, id, &text, &table, env, registry, overrides, warnings).map_err(|p| (named, p))
}

#[allow(clippy::too_many_arguments)]
fn build_one(
    file: &Path,
    secrets: &Path,
    id: &str,
    text: &str,
    table: &toml::Table,
    env: AccountEnv,
    registry: &Registry,
    overrides: Option<&Value>,
    warnings: &mut Vec<String>,
) -> Result<AccountConfig, Vec<ConfigProblem>> {
    let mut figment = Figment::new().merge(Toml::string(text));
    if let Some(secret_text) = read_secrets(secrets, warnings)? {
        figment = figment.merge(Toml::string(&secret_text));
    }
    let mut figment = figment.merge(env);
    if let Some(o) = overrides {
        figment = figment.merge(Serialized::defaults(o));
    }
    let parsed: AccountFile =
        figment.extract().map_err(|e| e.into_iter().map(|e| from_figment(file, &e)).collect::<Vec<_>>())?;
    let connector = registry.get(&parsed.connector).ok_or_else(|| {
        vec![ConfigProblem::key(
            file,
            "connector",
            // The value is not echoed: a secret pasted into the wrong key
            // must not reach the terminal.
            format!("unknown connector; registered connectors: {}", registry.ids().join(", ")),
        )]
    })?;
    if parsed.timeout_secs == Some(0) {
        return Err(vec![ConfigProblem::key(file, "timeout_secs", "expected a positive number of seconds")]);
    }
    if parsed.sync_interval_secs == Some(0) {
        return Err(vec![ConfigProblem::key(
            file,
            "sync_interval_secs",
            "expected a positive number of seconds",
        )]);
    }
    let allowed_actions = allowed_actions(file, connector, parsed.actions.unwrap_or_default())?;
    let credentials = parsed.credentials.unwrap_or(Value::Object(Default::default()));
    warn_if_readable_secret(file, table, connector, warnings);
    let account = AccountConfig {
        id: id.to_owned(),
        file: file.to_owned(),
        connector,
        timeout: parsed.timeout_secs.map(Duration::from_secs),
        sync_interval: parsed.sync_interval_secs.map(Duration::from_secs),
        allowed_actions,
        credentials,
        settings: parsed.settings.unwrap_or(Value::Null),
    };
    account.build()?;
    Ok(account)
}

/// The text of an account's secrets file, if it has one. It must be TOML with
/// nothing but a `[credentials]` table; other users must not be able to read it.
fn read_secrets(file: &Path, warnings: &mut Vec<String>) -> Result<Option<String>, Vec<ConfigProblem>> {
    if !file.exists() {
        return Ok(None);
    }
    let text = read_text(file)?;
    let table = text.parse::<toml::Table>().map_err(|e| vec![toml_problem(file, &text, &e)])?;
    let misplaced: Vec<ConfigProblem> = table
        .iter()
        .filter(|(k, v)| k.as_str() != "credentials" || !v.is_table())
        .map(|(k, _)| {
            ConfigProblem::key(
                file,
                k.as_str(),
                "a secrets file holds only a [credentials] table; move this key to the account file",
            )
        })
        .collect();
    if !misplaced.is_empty() {
        return Err(misplaced);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(file).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            warnings.push(format!(
                "{}: other users can read this secrets file; run `chmod 600 {}`",
                file.display(),
                file.display()
            ));
        }
    }
    Ok(Some(text))
}

/// Warns when the file holds an inline secret and other users can read it.
fn warn_if_readable_secret(
    file: &Path,
    table: &toml::Table,
    connector: &'static ConnectorDescriptor,
    warnings: &mut Vec<String>,
) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(file) else {
            return;
        };
        if meta.permissions().mode() & 0o077 == 0 {
            return;
        }
        let Some(creds) = table.get("credentials").and_then(|c| c.as_table()) else {
            return;
        };
        for key in secret_keys(connector).iter().map(String::as_str) {
            if creds.contains_key(key) {
                warnings.push(format!(
                    "{}: key `credentials.{key}` is a secret in a file other users can read; run `chmod 600 {}` or set {}CREDENTIALS__{} instead",
                    file.display(),
                    file.display(),
                    env_prefix(file.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default().as_ref()),
                    key.to_ascii_uppercase()
                ));
            }
        }
    }
}

/// The secret credential keys of a connector, from its form schema. Building
/// a schema costs about 300k instructions, once per account file when the
/// files are readable by others; the keys never change, so each connector's
/// are computed once per process.
#[cfg(unix)]
fn secret_keys(connector: &'static ConnectorDescriptor) -> std::sync::Arc<[String]> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    /// Each connector's secret keys, by connector id.
    type Keys = HashMap<&'static str, Arc<[String]>>;
    static KEYS: OnceLock<Mutex<Keys>> = OnceLock::new();
    let mut keys =
        KEYS.get_or_init(Default::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    keys.entry(connector.id)
        .or_insert_with(|| {
            let schema = (connector.credentials_schema)();
            roster_core::schema::form_fields(&schema)
                .iter()
                .filter(|f| f.is_secret())
                .map(|f| f.name.to_owned())
                .collect()
        })
        .clone()
}

//! The secrets an account uses now, and where each comes from, for an edit
//! that keeps them: the account file, then `secrets/<id>.toml`, then the
//! environment, then `roster demo`'s in-memory values, the order in which the
//! config loader merges them. The values never leave the process.

use std::collections::BTreeMap;
use std::path::Path;

use roster_engine::config::{env_prefix, secrets_file};
use serde_json::{Map, Value};

use super::account_file::AccountFile;
use super::state::AppState;

/// Where a secret comes from now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    AccountFile,
    SecretsFile,
    /// The environment variable's name.
    Env(String),
    /// `roster demo --serve`'s in-memory secrets.
    Demo,
}

impl Source {
    /// Where it is, in words, for the form ("secrets/acme.toml").
    pub fn describe(&self, id: &str) -> String {
        match self {
            Source::AccountFile => format!("in accounts/{id}.toml"),
            Source::SecretsFile => format!("in secrets/{id}.toml"),
            Source::Env(name) => format!("from the environment variable {name}"),
            Source::Demo => "held in memory by roster demo".to_owned(),
        }
    }

    /// Why a new value typed into the form could not take effect, if it could not.
    pub fn overrides_the_file(&self) -> Option<String> {
        match self {
            Source::Env(name) => Some(format!(
                "{name} is set in roster serve's environment and overrides the files; change or unset it there, or leave this blank"
            )),
            Source::Demo => Some("roster demo holds this secret in memory; leave this blank".to_owned()),
            Source::AccountFile | Source::SecretsFile => None,
        }
    }
}

/// The current values of `names`, and where each comes from.
pub struct Current {
    pub values: Map<String, Value>,
    pub sources: BTreeMap<String, Source>,
}

pub fn current(state: &AppState, id: &str, file: &AccountFile, names: &[&str]) -> Result<Current, String> {
    let mut values = Map::new();
    let mut sources = BTreeMap::new();
    let mut take = |name: &str, value: Option<&Value>, source: Source| {
        if let Some(v) = value.filter(|v| !v.is_null()) {
            values.insert(name.to_owned(), v.clone());
            sources.insert(name.to_owned(), source);
        }
    };
    let in_file = file.text.credentials();
    let in_secrets = secrets_table(&secrets_file(&state.config, id))?;
    let demo = state.overrides.get(id).and_then(|o| o.get("credentials"));
    for &name in names {
        take(name, in_file.get(name), Source::AccountFile);
        take(name, in_secrets.get(name), Source::SecretsFile);
        if let Some((var, value)) = env_value(id, name) {
            take(name, Some(&Value::String(value)), Source::Env(var));
        }
        take(name, demo.and_then(|d| d.get(name)), Source::Demo);
    }
    Ok(Current { values, sources })
}

/// The `[credentials]` of a secrets file; empty when there is none.
pub fn secrets_table(path: &Path) -> Result<Map<String, Value>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(e) => return Err(format!("{} cannot be read: {e}", path.display())),
    };
    let table: toml::Table = text.parse().map_err(|_| {
        format!(
            "{} is not valid TOML; correct it in an editor (`roster validate` says where)",
            path.display()
        )
    })?;
    match table.get("credentials").map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => Ok(map),
        _ => Ok(Map::new()),
    }
}

/// The environment variable that sets `credentials.<name>` of account `id`, and its value.
fn env_value(id: &str, name: &str) -> Option<(String, String)> {
    let wanted = format!("{}CREDENTIALS__{}", env_prefix(id), name.to_ascii_uppercase());
    std::env::vars_os().find_map(|(k, v)| {
        let k = k.to_str()?;
        (k.to_ascii_uppercase() == wanted).then(|| (k.to_owned(), v.to_string_lossy().into_owned()))
    })
}

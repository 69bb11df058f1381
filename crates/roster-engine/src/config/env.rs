//! The environment variables of accounts, read once per load.
//!
//! figment's `Env` provider reads the whole environment each time it is
//! asked for data. One per account made loading N accounts read N × N
//! variables: with 2,000 accounts and a token each, 4 million variables and
//! most of `roster sync`'s time. [`AccountEnvs`] reads the `ROSTER_ACCOUNT_`
//! variables once and gives each account an [`AccountEnv`] holding only its
//! own, with the same keys, values, order and metadata `Env::prefixed(prefix)
//! .filter(..).split("__")` would give.

use figment::value::{Dict, Map, Value};
use figment::{Error, Metadata, Profile, Provider};

/// What every account's variables start with.
const ACCOUNT_PREFIX: &str = "ROSTER_ACCOUNT_";

/// The `ROSTER_ACCOUNT_` variables of the process, read once.
pub(super) struct AccountEnvs {
    /// (key upper-cased, key as set, value), sorted by the upper-cased key;
    /// each keeps its place in the environment for ties.
    vars: Vec<(String, String, String, usize)>,
}

impl AccountEnvs {
    /// Reads the environment now.
    pub(super) fn read() -> Self {
        let mut vars: Vec<(String, String, String, usize)> = std::env::vars_os()
            .enumerate()
            .filter_map(|(i, (k, v))| {
                let key = k.to_string_lossy().trim().to_owned();
                let upper = key.to_ascii_uppercase();
                upper.starts_with(ACCOUNT_PREFIX).then(|| (upper, key, v.to_string_lossy().into_owned(), i))
            })
            .collect();
        vars.sort();
        AccountEnvs { vars }
    }

    /// The variables of the account whose prefix is `prefix` (upper case, as
    /// `env_prefix` makes it), without those that belong to an account whose
    /// prefix is longer (`foreign`: the rest of such a prefix after `prefix`).
    pub(super) fn account(&self, prefix: &str, foreign: &[String]) -> AccountEnv {
        let start = self.vars.partition_point(|(upper, ..)| upper.as_str() < prefix);
        let mut mine: Vec<(usize, String, String)> = self.vars[start..]
            .iter()
            .take_while(|(upper, ..)| upper.starts_with(prefix))
            .filter_map(|(upper, key, value, order)| {
                let rest_upper = &upper[prefix.len()..];
                if foreign.iter().any(|f| rest_upper.starts_with(f.as_str())) {
                    return None;
                }
                // As figment's `Env`: `__` splits the key, which is trimmed,
                // must have no empty part, and is lower-cased.
                let split = key[prefix.len()..].replace("__", ".");
                let split = split.trim();
                if split.split('.').any(str::is_empty) {
                    return None;
                }
                Some((*order, split.to_ascii_lowercase(), value.clone()))
            })
            .collect();
        // The environment's order: a later variable wins a repeated key.
        mine.sort_by_key(|(order, ..)| *order);
        AccountEnv { prefix: prefix.to_owned(), vars: mine.into_iter().map(|(_, k, v)| (k, v)).collect() }
    }
}

/// One account's variables, as a figment provider.
pub(super) struct AccountEnv {
    prefix: String,
    /// (dotted key in lower case, value), in the environment's order.
    vars: Vec<(String, String)>,
}

impl Provider for AccountEnv {
    fn metadata(&self) -> Metadata {
        // As `Env`'s: errors name the variables, upper case.
        Metadata::named(format!("`{}` environment variable(s)", self.prefix.to_ascii_uppercase()))
            .interpolater(|_: &Profile, k: &[&str]| {
                k.iter().map(|k| k.to_ascii_uppercase()).collect::<Vec<_>>().join(".")
            })
    }

    fn data(&self) -> Result<Map<Profile, Dict>, Error> {
        let mut dict = Dict::new();
        for (key, value) in &self.vars {
            let value: Value = value.parse().unwrap_or_else(|never| match never {});
            if let Value::Dict(_, nested) = figment::util::nest(key, value) {
                merge(&mut dict, nested);
            }
        }
        Ok(Profile::Default.collect(dict))
    }
}

/// Merges `from` into `into` as figment's merge does: a later value wins,
/// except that two dictionaries are merged key by key.
fn merge(into: &mut Dict, from: Dict) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Dict(_, old)), Value::Dict(_, new)) => merge(old, new),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // `Jail::expect_with` closures must return figment's (large) error type.
    #![allow(clippy::result_large_err)]

    use figment::providers::Env;
    use figment::{Figment, Jail};

    use super::*;

    /// figment's own provider, as the loader built it before: the reference.
    fn reference(prefix: &str, foreign: Vec<String>) -> Env {
        Env::prefixed(prefix)
            .filter(move |key| {
                let key = key.as_str().to_ascii_uppercase();
                !foreign.iter().any(|f| key.starts_with(f.as_str()))
            })
            .split("__")
    }

    #[test]
    fn each_account_gets_what_figments_env_gives_it() {
        Jail::expect_with(|jail| {
            let vars = [
                ("ROSTER_ACCOUNT_ACME__CREDENTIALS__API_TOKEN", "t1"),
                ("roster_account_acme__settings__page_size", "50"),
                ("ROSTER_ACCOUNT_ACME__SETTINGS__FLAGS", "[1, \"two\"]"),
                ("ROSTER_ACCOUNT_ACME__SETTINGS__ON", "true"),
                ("ROSTER_ACCOUNT_ACME__SETTINGS____EMPTY", "x"),
                ("ROSTER_ACCOUNT_ACME__EU__CREDENTIALS__API_TOKEN", "t2"),
                ("ROSTER_ACCOUNT_ACME___CREDENTIALS__API_TOKEN", "t3"),
                ("ROSTER_ACCOUNT_ACME2__CREDENTIALS__API_TOKEN", "t4"),
                ("ROSTER_OTHER", "no"),
            ];
            for (k, v) in vars {
                jail.set_env(k, v);
            }
            let prefixes = [
                "ROSTER_ACCOUNT_ACME__",
                "ROSTER_ACCOUNT_ACME__EU__",
                "ROSTER_ACCOUNT_ACME___",
                "ROSTER_ACCOUNT_ACME2__",
            ];
            let envs = AccountEnvs::read();
            for prefix in prefixes {
                let foreign: Vec<String> = prefixes
                    .iter()
                    .filter(|p| p.len() > prefix.len() && p.starts_with(prefix))
                    .map(|p| p[prefix.len()..].to_owned())
                    .collect();
                let ours = envs.account(prefix, &foreign);
                let theirs = reference(prefix, foreign);
                assert_eq!(ours.data()?, theirs.data()?, "{prefix}");
                assert_eq!(ours.metadata().name, theirs.metadata().name);
                let value: serde_json::Value = Figment::from(ours).extract()?;
                assert!(value.is_object(), "{prefix}: {value}");
            }
            Ok(())
        });
    }
}

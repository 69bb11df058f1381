//! `roster actions [--config DIR] [--account ID] [--json]`

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use roster_core::{ActionSpec, Registry};
use roster_engine::config::{config_dir, load_accounts};
use roster_engine::exit;
use serde_json::{Value, json};

pub fn run(registry: &Registry, config: Option<PathBuf>, only: Option<&str>, as_json: bool) -> Result<u8> {
    let dir = config_dir(config);
    let loaded = load_accounts(&dir, registry, &BTreeMap::new());
    if let Some(id) = only
        && !loaded.accounts.iter().any(|a| a.id == id)
    {
        match loaded.failed.get(id) {
            Some(broken) => broken.problems.iter().for_each(|p| eprintln!("error: {p}")),
            None => eprintln!("error: no account `{id}` in {}", dir.join("accounts").display()),
        }
        return Ok(exit::CANNOT_RUN);
    }
    let accounts: Vec<_> = loaded.accounts.iter().filter(|a| only.is_none_or(|id| a.id == id)).collect();
    let connectors: Vec<_> = registry
        .iter()
        .filter(|d| !d.actions.is_empty())
        .filter(|d| only.is_none() || accounts.iter().any(|a| a.connector.id == d.id))
        .collect();
    if as_json {
        let connectors: Vec<Value> = connectors
            .iter()
            .map(|d| json!({"id": d.id, "actions": d.actions.iter().map(spec_json).collect::<Vec<_>>()}))
            .collect();
        let accounts: Vec<Value> = accounts
            .iter()
            .map(|a| {
                let actions: Vec<Value> = a
                    .connector
                    .actions
                    .iter()
                    .map(|s| json!({"id": s.kind.as_str(), "allowed": a.allowed_actions.contains(&s.kind)}))
                    .collect();
                json!({"id": a.id, "connector": a.connector.id, "actions": actions})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"connectors": connectors, "accounts": accounts}))?
        );
        return Ok(exit::OK);
    }
    for d in &connectors {
        println!("{} ({})", d.display_name, d.id);
        for spec in d.actions {
            println!("  {}{}", spec.kind, if spec.reversible { "" } else { "  (cannot be undone)" });
            println!("      {}", spec.summary);
            println!("      needs: {}", spec.permission);
            println!("      arguments: {}", arguments(spec));
        }
    }
    if !accounts.is_empty() {
        println!("accounts ([actions] allow in each account file):");
        for a in &accounts {
            let (allowed, not): (Vec<&ActionSpec>, Vec<&ActionSpec>) =
                a.connector.actions.iter().partition(|s| a.allowed_actions.contains(&s.kind));
            let names = |v: &[&ActionSpec]| {
                if v.is_empty() {
                    "none".to_owned()
                } else {
                    v.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>().join(", ")
                }
            };
            println!(
                "  {} ({}): allowed: {}; not allowed: {}",
                a.id,
                a.connector.id,
                names(&allowed),
                names(&not)
            );
        }
    }
    Ok(exit::OK)
}

fn spec_json(spec: &ActionSpec) -> Value {
    json!({
        "id": spec.kind.as_str(),
        "summary": spec.summary,
        "permission": spec.permission,
        "reversible": spec.reversible,
        "arguments": (spec.arguments)(),
    })
}

/// `--set` keys with what they take: `dev=<role in DEV>`, `license=Basic|Licensed`.
fn arguments(spec: &ActionSpec) -> String {
    let schema = (spec.arguments)();
    let Some(props) = schema.get("properties").and_then(Value::as_object).filter(|p| !p.is_empty()) else {
        return "none".to_owned();
    };
    props
        .iter()
        .map(|(key, field)| {
            let takes = match field.get("enum").and_then(Value::as_array) {
                Some(choices) => choices.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("|"),
                None => field.get("title").and_then(Value::as_str).unwrap_or("a value").to_owned(),
            };
            format!("--set {key}={takes}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

//! `roster reclaim --inactive-days N [--account ID]... --action ACTION [--set KEY=VALUE]... [--max N] [--apply]`

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::Utc;
use roster_core::Registry;
use roster_engine::actions::{ActError, Candidate, apply_all, candidates, new_plan_id, refuse_all};
use roster_engine::config::{config_dir, load_accounts};
use roster_engine::exit;
use serde_json::{Value, json};

use super::act::{actor, parse_action, print_report, sync_options};
use crate::cli::{ActFormat, ReclaimArgs};
use crate::output::table;

pub async fn run(registry: &Registry, a: ReclaimArgs) -> Result<u8> {
    let dir = config_dir(a.write.config.config.clone());
    let Some(action) = parse_action(&a.action) else {
        return Ok(exit::CANNOT_RUN);
    };
    let loaded = load_accounts(&dir, registry, &BTreeMap::new());
    for id in &a.accounts {
        if !loaded.accounts.iter().any(|c| &c.id == id) {
            eprintln!("error: no account `{id}` that loads in {}", dir.join("accounts").display());
            return Ok(exit::CANNOT_RUN);
        }
    }
    // The accounts asked for (all by default) whose connector has the action.
    let accounts: Vec<_> = loaded
        .accounts
        .into_iter()
        .filter(|c| a.accounts.is_empty() || a.accounts.contains(&c.id))
        .filter(|c| c.connector.actions.iter().any(|s| s.kind == action))
        .collect();
    if accounts.is_empty() {
        eprintln!("error: no account whose connector has {action}; `roster actions` lists who has what");
        return Ok(exit::CANNOT_RUN);
    }
    for c in &accounts {
        let spec = c.connector.actions.iter().find(|s| s.kind == action).expect("filtered above");
        if let Err(e) = roster_engine::actions::parse_set(spec, &a.write.set) {
            eprintln!("error: {}: {e}", c.id);
            return Ok(exit::CANNOT_RUN);
        }
    }
    let Some(options) = sync_options(&dir) else {
        return Ok(exit::CANNOT_RUN);
    };
    let store = match super::open_store(a.write.config.config, a.write.store.store.as_deref()).await {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let ids: Vec<String> = accounts.iter().map(|c| c.id.clone()).collect();
    let now = Utc::now();
    let plan = candidates(&store, &ids, now, a.inactive_days).await?;
    let actor = actor(a.write.actor);
    let plan_id = new_plan_id();
    print_plan(&plan, a.write.format, now, action.as_str());
    if plan.len() > a.max {
        eprintln!(
            "error: the plan has {} users, more than --max {}; check it, then raise --max to go ahead",
            plan.len(),
            a.max
        );
        if a.write.apply {
            let detail = format!("the plan has {} users, more than --max {}", plan.len(), a.max);
            refuse_all(&store, &plan, action, &a.write.set, &actor, &plan_id, &detail).await?;
        }
        return Ok(exit::CANNOT_RUN);
    }
    if !a.write.apply {
        if a.write.format == ActFormat::Text {
            println!(
                "dry run: nothing was sent; add --apply to carry out {action} for these {} users",
                plan.len()
            );
        }
        return Ok(exit::OK);
    }
    let done =
        match apply_all(&store, &accounts, &plan, action, &a.write.set, &actor, &plan_id, &options).await {
            Ok(done) => done,
            Err(ActError::Usage(m)) => {
                eprintln!("error: {m}");
                return Ok(exit::CANNOT_RUN);
            }
            Err(ActError::Store(e)) => {
                eprintln!("error: {e}");
                return Ok(exit::CANNOT_RUN);
            }
        };
    match a.write.format {
        ActFormat::Json => println!("{}", serde_json::to_string_pretty(&done)?),
        ActFormat::Text => done.reports.iter().for_each(print_report),
    }
    Ok(done.reports.iter().map(|r| r.exit_code()).max().unwrap_or(exit::OK))
}

fn print_plan(plan: &[Candidate], format: ActFormat, now: chrono::DateTime<Utc>, action: &str) {
    match format {
        ActFormat::Json => {
            let items: Vec<Value> = plan.iter().map(|c| json!(c)).collect();
            println!("{}", json!({"action": action, "plan": items}));
        }
        ActFormat::Text => {
            let rows: Vec<Vec<String>> = plan
                .iter()
                .map(|c| {
                    vec![
                        c.account.clone(),
                        c.user_id.clone(),
                        c.email.clone().unwrap_or_default(),
                        c.last_visit_at.map(|t| roster_core::timestamp(&t)).unwrap_or_else(|| "never".into()),
                        c.why.describe(now),
                    ]
                })
                .collect();
            table::print(&["ACCOUNT", "USER", "EMAIL", "LAST VISIT", "WHY"], &rows);
        }
    }
}

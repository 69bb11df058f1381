//! `roster act ACCOUNT ACTION --user USER [--set KEY=VALUE]... [--apply] [--actor NAME] [--format text|json]`

use anyhow::Result;
use roster_core::{Access, ActionKind, Registry};
use roster_engine::actions::{ActError, ActReport, Request, act, new_plan_id};
use roster_engine::config::{config_dir, load_runner_settings};
use roster_engine::exit;
use roster_engine::sync::SyncOptions;

use crate::cli::{ActArgs, ActFormat};

pub async fn run(registry: &Registry, a: ActArgs) -> Result<u8> {
    let dir = config_dir(a.write.config.config.clone());
    let account = match super::account::load_one(registry, &dir, &a.account) {
        Ok(account) => account,
        Err(code) => return Ok(code),
    };
    let Some(action) = parse_action(&a.action) else {
        return Ok(exit::CANNOT_RUN);
    };
    let Some(options) = sync_options(&dir) else {
        return Ok(exit::CANNOT_RUN);
    };
    let store = match super::open_store(a.write.config.config, a.write.store.store.as_deref()).await {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let actor = actor(a.write.actor);
    let plan_id = new_plan_id();
    let req = Request {
        account: &account,
        action,
        user: &a.user,
        args: &a.write.set,
        apply: a.write.apply,
        actor: &actor,
        plan_id: &plan_id,
        sync_after: Some(&options),
    };
    match act(&store, &req).await {
        Ok(report) => {
            match a.write.format {
                ActFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                ActFormat::Text => print_report(&report),
            }
            Ok(report.exit_code())
        }
        Err(ActError::Usage(message)) => {
            eprintln!("error: {message}");
            Ok(exit::CANNOT_RUN)
        }
        Err(ActError::Store(e)) => {
            eprintln!("error: {e}");
            Ok(exit::CANNOT_RUN)
        }
    }
}

/// The action named on the command line, or `None` after saying what the names are.
pub fn parse_action(name: &str) -> Option<ActionKind> {
    let kind = ActionKind::parse(name);
    if kind.is_none() {
        let names: Vec<&str> = ActionKind::ALL.iter().map(|k| k.as_str()).collect();
        eprintln!("error: unknown action `{name}`; actions are {}", names.join(", "));
    }
    kind
}

/// The options of the sync that follows a write, from `roster.toml`.
pub fn sync_options(dir: &std::path::Path) -> Option<SyncOptions> {
    match load_runner_settings(dir) {
        Ok(s) => Some(SyncOptions { concurrency: 1, ..SyncOptions::from_settings(&s, false) }),
        Err(problems) => {
            problems.iter().for_each(|p| eprintln!("error: {p}"));
            None
        }
    }
}

/// `--actor`, else `$USER`, else `roster`.
pub fn actor(flag: Option<String>) -> String {
    flag.or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "roster".into())
}

/// One report as text.
pub fn print_report(r: &ActReport) {
    let email = r.email.as_deref().map(|e| format!(" <{e}>")).unwrap_or_default();
    println!("{} · {} · {} · {}{email}", r.account, r.connector, r.action, r.user_id);
    if let Some(plan) = &r.plan {
        println!("  before: {}", Access::describe(plan.before.as_ref()));
        println!("  after:  {}", Access::describe(plan.after.as_ref()));
        if !plan.writes.is_empty() {
            println!("  writes: {}", plan.writes.join("; "));
        }
    }
    match r.outcome {
        Some(outcome) => println!("  outcome: {outcome}: {}", r.detail),
        None if r.error.is_none() && r.plan.as_ref().is_some_and(|p| !p.is_noop()) => {
            println!("  {}; add --apply to carry it out", r.detail)
        }
        None => println!("  {}", r.detail),
    }
    if let Some(e) = &r.error {
        println!("  error: {}: {}", e.kind, e.message);
        if !e.permissions.is_empty() {
            println!("  needs: {}", e.permissions.join(", "));
        }
        println!("  what to do: {}", e.remediation);
    }
    if let Some(s) = &r.sync {
        println!("  synced the account: {} ({} users)", s.outcome, s.users);
    }
}

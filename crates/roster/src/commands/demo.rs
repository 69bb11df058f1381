//! `roster demo`: the Workato and Zoom simulators in-process, several
//! workspaces and accounts, one sync into a demo store, then the summary and
//! the report.
//!
//! The Workato accounts reach their simulator through `data_center = "custom"`
//! and `base_url`, exactly as a Virtual Private Workato customer's would; the
//! Zoom accounts through `cloud = "custom"` and `base_url` (see `demo/zoom.rs`).
//! Tokens and client secrets are handed to the config loader in memory, never
//! written to disk.

mod serve;
mod zoom;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Utc;
use roster_core::Registry;
use roster_workato_sim::{RoleModel, Simulator, WorkspaceSpec};
use serde_json::json;

use crate::exit;
use crate::output::summary;

struct DemoWorkspace {
    account: &'static str,
    members: usize,
    role_model: RoleModel,
    exact_last_login: bool,
}

const WORKSPACES: [DemoWorkspace; 4] = [
    DemoWorkspace {
        account: "acme-us",
        members: 250,
        role_model: RoleModel::Legacy,
        exact_last_login: false,
    },
    DemoWorkspace {
        account: "globex-eu",
        members: 1_200,
        role_model: RoleModel::RbacV2,
        exact_last_login: false,
    },
    DemoWorkspace { account: "initech", members: 40, role_model: RoleModel::Legacy, exact_last_login: true },
    DemoWorkspace {
        account: "umbrella",
        members: 5_000,
        role_model: RoleModel::RbacV2,
        exact_last_login: false,
    },
];

/// Runs the demo; with `serve`, then serves the UI on that address with the
/// simulators still running (see `demo/serve.rs`).
pub async fn run(
    registry: &Registry,
    dir: Option<PathBuf>,
    serve: Option<std::net::SocketAddr>,
) -> Result<u8> {
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join("roster-demo"));
    let config = dir.join("config");
    let store = dir.join("demo.db");
    prepare(&dir, &config, &store)?;

    let sim = Simulator::start().await.context("could not start the workato simulator on loopback")?;
    println!("workato simulator listening on {}", sim.base_url());
    let mut overrides = BTreeMap::new();
    for (i, w) in WORKSPACES.iter().enumerate() {
        let mut spec = WorkspaceSpec::generated(i as u64 + 1, w.members, 42 + i as u64);
        spec.role_model = w.role_model;
        spec.name = format!("{} (simulated)", w.account);
        spec.settings.audit_log_addon = w.exact_last_login;
        let workspace = sim.add_workspace(spec);
        write_account(&config, w, &sim.base_url())?;
        overrides.insert(w.account.to_owned(), json!({"credentials": {"api_token": workspace.token()}}));
        println!(
            "  {:<10} {:>5} collaborators, {:?} roles{}",
            w.account,
            w.members,
            w.role_model,
            if w.exact_last_login { ", exact last login from the audit log" } else { "" }
        );
    }
    let zoom_sim = zoom::start(&config, &mut overrides).await?;
    println!();

    let store_arg = store.display().to_string();
    let (results, stop) =
        match super::sync::sync_dir(registry, &config, Some(&store_arg), &[], false, &overrides).await {
            Ok(r) => r,
            Err(code) => return Ok(code),
        };
    if serve.is_none() {
        sim.shutdown();
        zoom_sim.shutdown();
    }
    summary::print(&results);
    if stop.is_some() {
        return Ok(exit::INTERRUPTED);
    }

    println!();
    let opened = roster_store::Store::open(&store_arg).await?;
    let mut reports = Vec::new();
    let accounts = WORKSPACES.iter().map(|w| w.account).chain(zoom::ACCOUNTS.iter().map(|a| a.account));
    for account in accounts {
        reports.push(opened.report(account, Utc::now(), 90).await?);
    }
    super::report::print_tables(&reports);

    println!();
    println!("the demo store is {}", store.display());
    println!("try:");
    println!("  roster users --store {} --account initech", store.display());
    println!("  roster users --store {} --format jsonl | head", store.display());
    println!("  roster report --store {} --inactive-days 30", store.display());
    println!("  roster report --store {} --account globex-eu --format json", store.display());
    println!("  roster report --store {} --account hooli-zoom", store.display());
    drop(opened);
    if let Some(listen) = serve {
        let code = serve::run(&sim, listen, &config, &store_arg, overrides).await;
        sim.shutdown();
        zoom_sim.shutdown();
        return code;
    }
    Ok(if results.iter().all(|r| r.outcome == roster_store::Outcome::Ok) {
        exit::OK
    } else {
        exit::SOME_FAILED
    })
}

fn prepare(dir: &Path, config: &Path, store: &Path) -> Result<()> {
    std::fs::create_dir_all(config.join("accounts"))
        .with_context(|| format!("could not create {}", config.display()))?;
    for entry in std::fs::read_dir(config.join("accounts"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::remove_file(&path)?;
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", store.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("could not remove the old demo store {}", p.display()))?;
        }
    }
    let _ = dir;
    Ok(())
}

fn write_account(config: &Path, w: &DemoWorkspace, base_url: &str) -> Result<()> {
    let text = format!(
        "# written by `roster demo`: a Workato workspace served by the in-process simulator.\n\
         # The token was handed over in memory; set {}CREDENTIALS__API_TOKEN to use this file yourself.\n\
         connector = \"workato\"\n\n[credentials]\ndata_center = \"custom\"\nbase_url = \"{base_url}\"\n\n[settings]\nexact_last_login = {}\n",
        crate::config::env_prefix(w.account),
        w.exact_last_login
    );
    let path = config.join("accounts").join(format!("{}.toml", w.account));
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))
}

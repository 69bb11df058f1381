//! `roster check <account>`

use std::path::PathBuf;

use anyhow::Result;
use roster_core::Registry;
use serde_json::json;

use roster_engine::config::config_dir;
use roster_engine::exit;

pub async fn run(registry: &Registry, account: &str, config: Option<PathBuf>, as_json: bool) -> Result<u8> {
    let dir = config_dir(config);
    let cfg = match super::account::load_one(registry, &dir, account) {
        Ok(cfg) => cfg,
        Err(code) => return Ok(code),
    };
    let cfg = &cfg;
    let connector = match cfg.build() {
        Ok(c) => c,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return Ok(exit::CANNOT_RUN);
        }
    };
    match connector.check().await {
        Ok(info) => {
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"account": account, "ok": true, "info": info}))?
                );
            } else {
                let a = &info.tenant;
                println!("account:   {account} ({})", cfg.connector.display_name);
                println!("tenant id: {}", a.tenant_id);
                println!("name:      {}", a.name.as_deref().unwrap_or("-"));
                println!("plan:      {}", a.plan.as_deref().unwrap_or("-"));
                println!("access:");
                for c in &info.access {
                    println!("  [{}] {}", if c.granted { "ok" } else { "no" }, c.capability);
                    if let Some(d) = &c.detail {
                        println!("       {d}");
                    }
                }
                if !info.actions.is_empty() {
                    println!(
                        "actions (what the credentials may change; allow them in the account file's [actions]):"
                    );
                    for c in &info.actions {
                        println!("  [{}] {}", if c.granted { "ok" } else { "no" }, c.capability);
                        if let Some(d) = &c.detail {
                            println!("       {d}");
                        }
                    }
                }
            }
            Ok(exit::OK)
        }
        Err(e) => {
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "account": account, "ok": false, "error_kind": e.kind().as_str(),
                        "message": e.message(), "remediation": e.remediation(), "permissions": e.permissions(),
                    }))?
                );
            } else {
                eprintln!("error: {account}: {} ({})", e.message(), e.kind());
                eprintln!("fix: {}", e.remediation());
            }
            Ok(exit::SOME_FAILED)
        }
    }
}

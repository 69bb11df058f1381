//! `roster audit [--account ID]... [--format table|json|jsonl]`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use roster_engine::exit;
use roster_store::AuditEntry;

use crate::cli::AuditFormat;
use crate::output::table;

pub async fn run(
    config: Option<PathBuf>,
    store: Option<&str>,
    accounts: &[String],
    format: AuditFormat,
) -> Result<u8> {
    let store = match super::open_store(config, store).await {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let entries = match store.audit_entries(accounts).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(exit::CANNOT_RUN);
        }
    };
    let mut out = std::io::stdout().lock();
    let written = match format {
        AuditFormat::Json => serde_json::to_writer_pretty(&mut out, &entries)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        AuditFormat::Jsonl => entries.iter().try_for_each(|e| {
            serde_json::to_writer(&mut out, e)?;
            writeln!(out)
        }),
        AuditFormat::Table => table::write(
            &mut out,
            &["AT", "ACCOUNT", "ACTION", "USER", "EMAIL", "OUTCOME", "ACTOR", "PLAN", "DETAIL"],
            &entries.iter().map(row).collect::<Vec<_>>(),
        ),
    };
    Ok(match written {
        Ok(()) => exit::OK,
        Err(e) => super::output_failed(&e),
    })
}

fn row(e: &AuditEntry) -> Vec<String> {
    vec![
        roster_core::timestamp(&e.at),
        e.account.clone(),
        e.action.clone(),
        e.user_id.clone(),
        e.email.clone().unwrap_or_default(),
        e.outcome.to_string(),
        e.actor.clone(),
        e.plan_id.clone(),
        e.detail.clone(),
    ]
}

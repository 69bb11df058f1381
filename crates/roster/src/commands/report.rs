//! `roster report [--account ID] [--inactive-days 90] [--format table|json]`

use std::path::PathBuf;

use std::io::Write;

use anyhow::Result;
use chrono::Utc;
use roster_store::AccountReport;

use crate::cli::ReportFormat;
use crate::output::table;
use roster_engine::exit;

pub async fn run(
    config: Option<PathBuf>,
    store: Option<&str>,
    only: &[String],
    inactive_days: u32,
    format: ReportFormat,
) -> Result<u8> {
    let store = match super::open_store(config, store).await {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let mut reports = Vec::new();
    let accounts = match store.accounts().await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(exit::CANNOT_RUN);
        }
    };
    for id in only {
        if !accounts.iter().any(|a| &a.account == id) {
            eprintln!("error: the store has no account `{id}`; sync it first");
            return Ok(exit::CANNOT_RUN);
        }
    }
    let now = Utc::now();
    for a in accounts.iter().filter(|a| only.is_empty() || only.contains(&a.account)) {
        match store.report(&a.account, now, inactive_days).await {
            Ok(r) => reports.push(r),
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(exit::CANNOT_RUN);
            }
        }
    }
    let mut text = Vec::new();
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut text, &reports)?;
            text.push(b'\n');
        }
        ReportFormat::Table => write_tables(&mut text, &reports)?,
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    Ok(match out.write_all(&text).and_then(|()| out.flush()) {
        Ok(()) => exit::OK,
        Err(e) => super::output_failed(&e),
    })
}

/// Prints the report tables on stdout (for the demo).
pub fn print_tables(reports: &[AccountReport]) {
    let _ = write_tables(&mut std::io::stdout().lock(), reports);
}

fn write_tables(out: &mut dyn Write, reports: &[AccountReport]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            let last = r.last_sync.as_ref();
            vec![
                r.account.clone(),
                r.connector.clone(),
                r.users.active.to_string(),
                r.users.invited.to_string(),
                r.users.suspended.to_string(),
                r.users.removed.to_string(),
                r.active_last_30_days.to_string(),
                r.active_last_90_days.to_string(),
                format!("{} ({} never)", r.inactive.count, r.inactive.never_visited),
                r.removed_since_previous_sync.to_string(),
                last.map(|l| l.outcome.as_str().to_owned()).unwrap_or_else(|| "-".into()),
                last.and_then(|l| l.age_seconds)
                    .map(|s| table::duration(s.max(0) as u64 * 1000))
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let inactive = format!("INACTIVE {}D", reports.first().map_or(90, |r| r.inactive.days));
    table::write(
        out,
        &[
            "ACCOUNT",
            "CONNECTOR",
            "ACTIVE",
            "INVITED",
            "SUSPENDED",
            "REMOVED",
            "SEEN 30D",
            "SEEN 90D",
            &inactive,
            "REMOVED LAST SYNC",
            "LAST SYNC",
            "AGE",
        ],
        &rows,
    )?;
    for r in reports {
        writeln!(out)?;
        let name = r.record.as_ref().and_then(|x| x.name.clone()).unwrap_or_default();
        let plan = r.record.as_ref().and_then(|x| x.plan.clone()).unwrap_or_default();
        writeln!(out, "{} ({}) {name} {plan}", r.account, r.connector)?;
        for l in &r.licenses {
            writeln!(
                out,
                "  license {}: {} assigned{}",
                l.name,
                l.assigned,
                l.total.map(|t| format!(" of {t}")).unwrap_or_default()
            )?;
        }
        for (scope, roles) in &r.roles {
            let list: Vec<String> = roles.iter().map(|(n, c)| format!("{n} {c}")).collect();
            writeln!(out, "  roles in {scope}: {}", list.join(", "))?;
        }
        if let Some(l) = &r.last_sync {
            if let Some(m) = &l.message {
                writeln!(
                    out,
                    "  last sync: {} ({}): {m}",
                    l.outcome,
                    l.error_kind.as_deref().unwrap_or("-")
                )?;
            }
            if let Some(fix) = &l.remediation {
                writeln!(out, "  fix: {fix}")?;
            }
        }
    }
    Ok(())
}

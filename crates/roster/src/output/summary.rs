//! The table printed at the end of a sync.

use crate::output::table;
use roster_engine::sync::AccountResult;

pub fn print(results: &[AccountResult]) {
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.account.clone(),
                r.connector.clone(),
                if r.held.is_some() { "skipped".to_owned() } else { r.outcome.as_str().to_owned() },
                r.users.to_string(),
                table::duration(r.duration_ms),
                r.error_kind.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table::print(&["ACCOUNT", "CONNECTOR", "OUTCOME", "USERS", "DURATION", "ERROR"], &rows);
    let problems: Vec<&AccountResult> = results.iter().filter(|r| r.message.is_some()).collect();
    if !problems.is_empty() {
        println!();
        for r in problems {
            println!("{} ({}): {}", r.account, r.outcome, r.message.as_deref().unwrap_or(""));
            if let Some(fix) = &r.remediation {
                println!("  fix: {fix}");
            }
        }
    }
    let notes: Vec<&AccountResult> = results.iter().filter(|r| !r.notes.is_empty()).collect();
    if !notes.is_empty() {
        println!();
        for r in notes {
            for n in &r.notes {
                println!("{}: note: {n}", r.account);
            }
        }
    }
    let count =
        |o: roster_store::Outcome| results.iter().filter(|r| r.outcome == o && r.held.is_none()).count();
    let skipped = results.iter().filter(|r| r.held.is_some()).count();
    let skipped =
        if skipped == 0 { String::new() } else { format!(", {skipped} skipped (held by a runner)") };
    println!(
        "\n{} accounts: {} ok, {} degraded, {} failed, {} interrupted{skipped}; {} users",
        results.len(),
        count(roster_store::Outcome::Ok),
        count(roster_store::Outcome::Degraded),
        count(roster_store::Outcome::Failed),
        count(roster_store::Outcome::Interrupted),
        results.iter().map(|r| r.users).sum::<u64>()
    );
}

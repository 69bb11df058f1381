//! The Accounts page: every account with its last sync (a green check and
//! the time, or a red mark with the error kind and remediation), its user
//! counts and a Sync now button.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use chrono::{DateTime, Utc};
use roster_store::{AccountSummary, Outcome, StatusCounts};

use super::html::{Nav, esc, layout};
use super::session::Session;
use super::state::AppState;
use roster_engine::config::load_accounts;

/// One account as the pages show it: from the config directory, the store, or both.
pub struct AccountListing {
    pub id: String,
    pub connector: String,
    /// In the config directory (and so can be synced).
    pub configured: bool,
    /// Config problems that keep it from syncing.
    pub problems: Vec<String>,
    pub summary: Option<AccountSummary>,
}

/// Every account of the config directory and the store, by id.
pub async fn rows(state: &AppState) -> Result<Vec<AccountListing>, String> {
    let loaded = load_accounts(&state.config, &state.registry, &state.overrides);
    let mut stored: BTreeMap<String, AccountSummary> = state
        .store
        .accounts()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|a| (a.account.clone(), a))
        .collect();
    let mut ids: BTreeSet<String> = loaded.accounts.iter().map(|a| a.id.clone()).collect();
    ids.extend(loaded.failed.keys().cloned());
    ids.extend(stored.keys().cloned());
    Ok(ids
        .into_iter()
        .map(|id| {
            let configured = loaded.accounts.iter().find(|a| a.id == id);
            let problems: Vec<String> = loaded
                .failed
                .get(&id)
                .into_iter()
                .flat_map(|b| &b.problems)
                .map(|p| p.message.clone())
                .collect();
            let summary = stored.remove(&id);
            let connector = configured
                .map(|a| a.connector.id.to_owned())
                .or_else(|| summary.as_ref().map(|s| s.connector.clone()))
                .unwrap_or_else(|| "unknown".to_owned());
            AccountListing {
                configured: configured.is_some() || !problems.is_empty(),
                id,
                connector,
                problems,
                summary,
            }
        })
        .collect())
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
) -> Html<String> {
    let body = match rows(&state).await {
        Ok(rows) if rows.is_empty() => r#"<h1>Accounts</h1><p class="empty">No accounts yet. <a href="/integrations">Connect one</a>.</p>"#.to_owned(),
        Ok(rows) => table(&state, &rows),
        Err(e) => format!(r#"<h1>Accounts</h1><p class="error">the store could not be read: {}</p>"#, esc(&e)),
    };
    layout("Accounts", Nav::Accounts, &session.csrf, &body, &[])
}

fn table(state: &AppState, rows: &[AccountListing]) -> String {
    let mut out = String::from(
        r#"<h1>Accounts</h1>
<table class="accounts"><thead><tr><th>Account</th><th>App</th><th>Last sync</th><th class="num">Users</th><th class="num">Removed</th><th></th></tr></thead><tbody>"#,
    );
    for r in rows {
        let app = state.registry.get(&r.connector).map_or(r.connector.as_str(), |d| d.display_name);
        let counts = r.summary.as_ref().map(|s| s.users).unwrap_or_default();
        let button = if r.configured {
            format!(r#"<button type="button" class="sync" data-account="{}">Sync now</button>"#, esc(&r.id))
        } else {
            String::new()
        };
        out.push_str(&format!(
            r#"<tr data-account="{id}"><td><a href="/accounts/{id}">{id}</a></td><td>{app}</td><td class="last-sync">{status}</td><td class="num users">{users}</td><td class="num">{removed}</td><td>{button}</td></tr>"#,
            id = esc(&r.id),
            app = esc(app),
            status = status(r),
            users = users(&counts),
            removed = counts.removed,
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// "412 (400 active, 12 invited)".
fn users(c: &StatusCounts) -> String {
    let mut parts = vec![format!("{} active", c.active)];
    if c.invited > 0 {
        parts.push(format!("{} invited", c.invited));
    }
    if c.suspended > 0 {
        parts.push(format!("{} suspended", c.suspended));
    }
    format!(r#"<span class="count">{}</span> <span class="muted">({})</span>"#, c.present(), parts.join(", "))
}

/// The last sync: a green check and when, or a red mark, the error kind and
/// its remediation; then, if the account file has problems, why it cannot sync now.
pub fn status(r: &AccountListing) -> String {
    let run = r.summary.as_ref().and_then(|s| s.last_run.as_ref());
    let mut out = match run {
        None => r#"<span class="mark none">–</span> never synced"#.to_owned(),
        Some(run) => {
            let when = run.finished_at.map(|t| ago(t, Utc::now())).unwrap_or_default();
            match run.outcome {
                Outcome::Ok => {
                    format!(r#"<span class="mark ok" title="ok">✓</span> synced <time>{}</time>"#, esc(&when))
                }
                Outcome::Degraded => format!(
                    r#"<span class="mark warn" title="degraded">!</span> degraded <time>{}</time><div class="detail">{}</div>"#,
                    esc(&when),
                    esc(run.degraded_reason.as_deref().unwrap_or_default())
                ),
                Outcome::Failed | Outcome::Interrupted => format!(
                    r#"<span class="mark bad" title="{outcome}">✗</span> <span class="kind">{kind}</span> <time>{when}</time><div class="detail">{message}</div><div class="fix">{fix}</div>"#,
                    outcome = run.outcome,
                    kind = esc(run.error_kind.as_deref().unwrap_or("failed")),
                    when = esc(&when),
                    message = esc(run.message.as_deref().unwrap_or_default()),
                    fix = esc(run.remediation.as_deref().unwrap_or_default()),
                ),
            }
        }
    };
    if !r.problems.is_empty() {
        out.push_str(&format!(
            r#"<div class="cannot-sync"><span class="kind">cannot sync: config</span><div class="detail">{}</div><div class="fix">fix the account file, or give its secret in secrets/&lt;id&gt;.toml or the environment; <code>roster validate</code> lists every problem</div></div>"#,
            esc(&r.problems.join("; "))
        ));
    }
    out
}

/// "2024-05-01 17:22 UTC (3 min ago)".
pub fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds().max(0);
    let rel = match secs {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86400 => format!("{} h ago", secs / 3600),
        86400..172800 => "1 day ago".to_owned(),
        _ => format!("{} days ago", secs / 86400),
    };
    format!("{} ({rel})", t.format("%Y-%m-%d %H:%M UTC"))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn times_say_how_long_ago() {
        let now = Utc.with_ymd_and_hms(2024, 5, 2, 12, 0, 0).single().expect("time");
        let t = Utc.with_ymd_and_hms(2024, 5, 2, 11, 57, 0).single().expect("time");
        assert_eq!(ago(t, now), "2024-05-02 11:57 UTC (3 min ago)");
        assert!(ago(now - chrono::Duration::days(40), now).ends_with("(40 days ago)"));
    }
}

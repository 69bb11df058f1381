//! The Accounts page: every account with its last sync (a green check and
//! the time, or a red mark with the error kind and remediation), its user
//! counts and a Sync now button.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use roster_store::{AccountSummary, Outcome, StatusCounts};

use maud::{Markup, html};

use super::html::{Nav, layout};
use super::session::Session;
use super::state::AppState;
use roster_engine::config::{AccountConfig, LoadedAccounts, load_accounts, valid_id};
use serde::Deserialize;

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
            let summary = stored.remove(&id);
            listing(id, &loaded, summary)
        })
        .collect())
}

/// One account as [`rows`] lists it, reading the store for it alone, with
/// its loaded file when it loads; `None` when neither the config directory
/// nor the store knows it.
pub async fn row(
    state: &AppState,
    id: &str,
) -> Result<Option<(AccountListing, Option<AccountConfig>)>, String> {
    let mut loaded = load_accounts(&state.config, &state.registry, &state.overrides);
    let summary = state.store.account_summary(id).await.map_err(|e| e.to_string())?;
    let file = loaded.accounts.iter().position(|a| a.id == id);
    if file.is_none() && !loaded.failed.contains_key(id) && summary.is_none() {
        return Ok(None);
    }
    let listing = listing(id.to_owned(), &loaded, summary);
    Ok(Some((listing, file.map(|i| loaded.accounts.swap_remove(i)))))
}

fn listing(id: String, loaded: &LoadedAccounts, summary: Option<AccountSummary>) -> AccountListing {
    let configured = loaded.accounts.iter().find(|a| a.id == id);
    let problems: Vec<String> =
        loaded.failed.get(&id).into_iter().flat_map(|b| &b.problems).map(|p| p.message.clone()).collect();
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
}

/// `?deleted=ID`, where Delete goes back to.
#[derive(Deserialize)]
pub struct Notice {
    deleted: Option<String>,
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Query(notice): Query<Notice>,
) -> Markup {
    let rows = rows(&state).await;
    let deleted = notice.deleted.filter(|id| {
        valid_id(id) && rows.as_ref().is_ok_and(|rows| !rows.iter().any(|r| r.id == *id && r.configured))
    });
    let body = html! {
        @if let Some(id) = deleted { (deleted_notice(&id)) }
        @match rows {
            Ok(rows) if rows.is_empty() => {
                h1 { "Accounts" }
                p.empty { "No accounts yet. " a href="/integrations" { "Connect one" } "." }
            },
            Ok(rows) => (table(&state, &rows)),
            Err(e) => { h1 { "Accounts" } p.error { "the store could not be read: " (e) } },
        }
    };
    layout("Accounts", Nav::Accounts, &session.csrf, body, &[])
}

fn deleted_notice(id: &str) -> Markup {
    html! {
        p.notice role="status" {
            "Deleted " strong { (id) } ": its files are removed. Its history stays in the store until "
            code { "roster prune --account " (id) } " removes it."
        }
    }
}

fn table(state: &AppState, rows: &[AccountListing]) -> Markup {
    html! {
        h1 { "Accounts" }
        table.accounts {
            thead { tr {
                th { "Account" } th { "App" } th { "Last sync" } th.num { "Users" } th.num { "Removed" } th {}
            } }
            tbody {
                @for r in rows {
                    @let app = state.registry.get(&r.connector).map_or(r.connector.as_str(), |d| d.display_name);
                    @let counts = r.summary.as_ref().map(|s| s.users).unwrap_or_default();
                    tr data-account=(r.id) {
                        td { a href={ "/accounts/" (r.id) } { (r.id) } }
                        td { (app) }
                        td.last-sync { (status(r)) }
                        td.num.users { (users(&counts)) }
                        td.num { (counts.removed) }
                        td {
                            @if r.configured {
                                button.sync type="button" data-account=(r.id) { "Sync now" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "412 (400 active, 12 invited)".
fn users(c: &StatusCounts) -> Markup {
    let mut parts = vec![format!("{} active", c.active)];
    if c.invited > 0 {
        parts.push(format!("{} invited", c.invited));
    }
    if c.suspended > 0 {
        parts.push(format!("{} suspended", c.suspended));
    }
    html! { span.count { (c.present()) } " " span.muted { "(" (parts.join(", ")) ")" } }
}

/// The last sync: a green check and when, or a red mark, the error kind and
/// its remediation; then, if the account file has problems, why it cannot sync now.
pub fn status(r: &AccountListing) -> Markup {
    let run = r.summary.as_ref().and_then(|s| s.last_run.as_ref());
    html! {
        @match run {
            None => { span.mark.none { "–" } " never synced" }
            Some(run) => {
                @let when = run.finished_at.map(|t| ago(t, Utc::now())).unwrap_or_default();
                @match run.outcome {
                    Outcome::Ok => { span.mark.ok title="ok" { "✓" } " synced " time { (when) } }
                    Outcome::Degraded => {
                        span.mark.warn title="degraded" { "!" } " degraded " time { (when) }
                        div.detail { (run.degraded_reason.as_deref().unwrap_or_default()) }
                    }
                    Outcome::Failed | Outcome::Interrupted => {
                        span.mark.bad title=(run.outcome.as_str()) { "✗" } " "
                        span.kind { (run.error_kind.as_deref().unwrap_or("failed")) } " "
                        time { (when) }
                        div.detail { (run.message.as_deref().unwrap_or_default()) }
                        div.fix { (run.remediation.as_deref().unwrap_or_default()) }
                    }
                }
            }
        }
        @if !r.configured {
            div.deleted {
                span.kind { "deleted" } ": no account file; its history is kept until "
                code { "roster prune --account " (r.id) } " removes it"
            }
        }
        @if !r.problems.is_empty() {
            div.cannot-sync {
                span.kind { "cannot sync: config" }
                div.detail { (r.problems.join("; ")) }
                div.fix {
                    "fix the account file, or give its secret in secrets/<id>.toml or the environment; "
                    code { "roster validate" } " lists every problem"
                }
            }
        }
    }
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

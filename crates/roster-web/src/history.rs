//! The Account page's history section: charts of users by status and of
//! licences over the committed syncs, the recent syncs with their outcome and
//! counts, and the users a chosen sync (`?run=ID`) touched.

use maud::{Markup, html};
use roster_store::{HistoryPoint, SyncRun};
use serde::Deserialize;

use super::history_charts::charts;
use super::history_events::{Chosen, events};
use super::history_runs::runs;
use super::state::AppState;

/// Committed syncs drawn in the charts, the latest ones.
const CHART_POINTS: usize = 200;
/// Syncs listed, the latest ones.
const LISTED_RUNS: usize = 20;
/// Events shown of the chosen sync; the rest are counted.
const SHOWN_EVENTS: usize = 500;

/// `?run=ID`: the sync whose events the section shows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RunChoice {
    pub run: Option<String>,
}

/// `keep` is the users view's query string, which the links to a sync keep.
pub async fn section(state: &AppState, account: &str, choice: &RunChoice, keep: &str) -> Markup {
    let read = async {
        let points = state.store.history_points(account, CHART_POINTS).await?;
        let listed = state.store.history(account, LISTED_RUNS).await?;
        Ok::<_, roster_store::StoreError>((points, listed))
    };
    let (points, listed) = match read.await {
        Ok(read) => read,
        Err(e) => {
            return html! { h2 #history { "History" } p.error { "the history could not be read: " (e) } };
        }
    };
    let chosen_id = choice.run.as_deref().and_then(|r| r.trim().parse::<i64>().ok());
    let picked = match choice.run.as_deref() {
        Some(text) => Some(chosen(state, account, text, chosen_id, &points, &listed).await),
        None => None,
    };
    html! {
        h2 #history { "History" }
        (charts(&points))
        h3 { "Recent syncs" }
        (runs(&listed, chosen_id, keep))
        @if let Some(picked) = picked { (picked) }
    }
}

/// The events of the chosen sync, or why there are none.
async fn chosen(
    state: &AppState,
    account: &str,
    text: &str,
    id: Option<i64>,
    points: &[HistoryPoint],
    listed: &[SyncRun],
) -> Markup {
    let Some(id) = id else { return events(&Chosen::NotANumber(text)) };
    let outcome = listed
        .iter()
        .find(|r| r.run_id == id)
        .map(|r| r.outcome)
        .or_else(|| points.iter().find(|p| p.run_id == id).map(|p| p.outcome));
    match state.store.run_events(account, id, SHOWN_EVENTS).await {
        Ok((found, total)) => events(&Chosen::Run { id, outcome, events: &found, total }),
        Err(e) => {
            html! { section #events { p.error { "the events of sync " (id) " could not be read: " (e) } } }
        }
    }
}

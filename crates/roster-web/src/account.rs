//! The Account page: the account's numbers and a page of its users
//! (status, last visit, roles per environment, licenses), searched,
//! filtered, sorted and paged by the store (see `users_view`), with a CSV
//! download of the whole selection, streamed. Each user with access offers
//! the actions the account's connector has and its file allows, each a link
//! to its confirmation page (the dry run).

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maud::{Markup, html};
use roster_core::ActionKind;
use roster_store::{AccountReport, UserPage};

use super::accounts::{AccountListing, row, status};
use super::filter::UserFilter;
use super::history;
use super::html::{Nav, layout, plural, problem_page};
use super::session::Session;
use super::state::AppState;
use super::users_view;
use roster_engine::export::{CSV_HEADER, push_user_csv_line};

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Query(filter): Query<UserFilter>,
    Query(run): Query<history::RunChoice>,
) -> Response {
    let csrf = &session.csrf;
    let (row, file) = match row(&state, &id).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            let page = problem_page(&id, Nav::Accounts, csrf, &format!("no account `{id}`"));
            return (StatusCode::NOT_FOUND, page).into_response();
        }
        Err(e) => {
            let body = html! { p.error { "the store could not be read: " (e) } };
            return layout(&id, Nav::Accounts, csrf, body, &[]).into_response();
        }
    };
    let now = Utc::now();
    let report = state.store.report(&id, now, filter.days).await.ok();
    let users = match page_of_users(&state, &id, &filter, now).await {
        Ok(u) => u,
        Err(e) => {
            let body = html! { p.error { "the store could not be read: " (e) } };
            return layout(&id, Nav::Accounts, csrf, body, &[]).into_response();
        }
    };
    let app = state.registry.get(&row.connector).map_or(row.connector.as_str(), |d| d.display_name);
    let offered: Vec<ActionKind> = file
        .map(|a| {
            a.connector.actions.iter().map(|s| s.kind).filter(|k| a.allowed_actions.contains(k)).collect()
        })
        .unwrap_or_default();
    let history = history::section(&state, &id, &run, &filter.query()).await;
    let body = html! {
        p.crumbs { a href="/accounts" { "Accounts" } " › " (id) }
        h1 { (id) " " span.muted { (app) } }
        (super::manage::buttons(&id, row.configured))
        (summary(&row, report.as_ref()))
        (users_view::filters(&filter, report.as_ref()))
        p.matched {
            span #matched { (users.matched) } " user" (plural(usize::try_from(users.matched).unwrap_or(usize::MAX)))
            " · " a #csv href={ "/accounts/" (id) "/users.csv?" (filter.query()) } { "Download CSV" }
            " (all " (users.matched) ", as filtered and sorted)"
        }
        (users_view::table(&id, &users.users, &offered, now, &filter))
        (users_view::pager(&filter, users.matched))
        (history)
    };
    layout(&id, Nav::Accounts, csrf, body, &[]).into_response()
}

/// The users the filter selects, all of them, in its order, as CSV: read
/// from one snapshot and sent as they are read, never held whole.
pub async fn csv(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(filter): Query<UserFilter>,
) -> Response {
    let query = filter.selection(&id, Utc::now());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Chunk>();
    let _ = tx.send(Ok(format!("{CSV_HEADER}\n").into_bytes()));
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut out = CsvChunks { buf: String::with_capacity(CSV_CHUNK), tx: tx.clone() };
        let read = store.for_each_matching_user(&query, move |u| out.line(&u)).await;
        if let Err(e) = read {
            tracing::warn!(error = %e, "the users csv could not be read to the end");
            let _ = tx.send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let name: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let mut res = Body::from_stream(stream).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}-users.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Bytes of CSV sent at a time.
const CSV_CHUNK: usize = 64 * 1024;

type Chunk = Result<Vec<u8>, std::io::Error>;

/// CSV lines gathered into chunks for the response body; the last chunk
/// goes when the reader is done with it (dropped).
struct CsvChunks {
    buf: String,
    tx: tokio::sync::mpsc::UnboundedSender<Chunk>,
}

impl CsvChunks {
    fn line(&mut self, u: &roster_store::StoredUser) {
        push_user_csv_line(&mut self.buf, u);
        if self.buf.len() >= CSV_CHUNK {
            let full = std::mem::replace(&mut self.buf, String::with_capacity(CSV_CHUNK));
            let _ = self.tx.send(Ok(full.into_bytes()));
        }
    }
}

impl Drop for CsvChunks {
    fn drop(&mut self) {
        if !self.buf.is_empty() {
            let _ = self.tx.send(Ok(std::mem::take(&mut self.buf).into_bytes()));
        }
    }
}

/// The page of users the filter asks for; past the last page, the last page.
async fn page_of_users(
    state: &AppState,
    id: &str,
    filter: &UserFilter,
    now: chrono::DateTime<Utc>,
) -> Result<UserPage, roster_store::StoreError> {
    let page = state.store.user_page(&filter.page_query(id, now)).await?;
    let last = page.matched.div_ceil(filter.per_page()).max(1);
    if page.users.is_empty() && filter.page_number() > last {
        let back = UserFilter { page: Some(last), ..filter.clone() };
        return state.store.user_page(&back.page_query(id, now)).await;
    }
    Ok(page)
}

fn summary(row: &AccountListing, report: Option<&AccountReport>) -> Markup {
    html! {
        div.summary {
            div.last-sync { "Last sync: " (status(row)) }
            @if let Some(r) = report {
                dl.numbers {
                    div { dt { "Users" } dd { (r.users.present()) } }
                    div { dt { "Active in 30 days" } dd { (r.active_last_30_days) } }
                    div { dt { "Inactive " (r.inactive.days) " days" } dd { (r.inactive.count) } }
                    div { dt { "Never visited" } dd { (r.inactive.never_visited) } }
                    div { dt { "Removed" } dd { (r.users.removed) } }
                }
                @if !r.licenses.is_empty() {
                    p.licenses {
                        "Licenses: "
                        @for (i, l) in r.licenses.iter().enumerate() {
                            @if i > 0 { " · " }
                            (l.name) ": " (l.assigned)
                            @if let Some(total) = l.total { " of " (total) }
                        }
                    }
                }
            }
        }
    }
}

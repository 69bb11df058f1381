//! The Account page: the account's numbers and its users (status, last
//! visit, roles per environment, licenses), filtered by inactivity, never
//! visited or removed, with a CSV download of the same selection. Each user
//! with access offers the actions the account's connector has and its file
//! allows, each a link to its confirmation page (the dry run).

use std::sync::{Arc, Mutex};

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use roster_core::ActionKind;
use roster_store::{AccountReport, StoredUser};

use super::accounts::{AccountListing, ago, rows, status};
use super::act_view::{self, url_component};
use super::filter::{Show, UserFilter};
use super::html::{Nav, layout, plural, problem_page};
use super::session::Session;
use super::state::AppState;
use roster_engine::export::{CSV_HEADER, cells, csv_cell};

/// Rows shown on the page; the CSV has them all.
const PAGE_ROWS: usize = 1000;

pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Query(filter): Query<UserFilter>,
) -> Response {
    let csrf = &session.csrf;
    let Some(row) = rows(&state).await.unwrap_or_default().into_iter().find(|r| r.id == id) else {
        let page = problem_page(&id, Nav::Accounts, csrf, &format!("no account `{id}`"));
        return (StatusCode::NOT_FOUND, page).into_response();
    };
    let now = Utc::now();
    let report = state.store.report(&id, now, filter.days).await.ok();
    let (users, matched) = match select(&state, &id, &filter, now, PAGE_ROWS).await {
        Ok(u) => u,
        Err(e) => {
            let body = html! { p.error { "the store could not be read: " (e) } };
            return layout(&id, Nav::Accounts, csrf, body, &[]).into_response();
        }
    };
    let app = state.registry.get(&row.connector).map_or(row.connector.as_str(), |d| d.display_name);
    let offered: Vec<ActionKind> = act_view::account(&state, &id)
        .map(|a| {
            a.connector.actions.iter().map(|s| s.kind).filter(|k| a.allowed_actions.contains(k)).collect()
        })
        .unwrap_or_default();
    let body = html! {
        p.crumbs { a href="/accounts" { "Accounts" } " › " (id) }
        h1 { (id) " " span.muted { (app) } }
        (super::manage::buttons(&id, row.configured))
        (summary(&row, report.as_ref()))
        (filters(&filter))
        p.matched {
            span #matched { (matched) } " user" (plural(matched))
            @if matched > users.len() { " (showing the first " (users.len()) ")" }
            " · " a #csv href={ "/accounts/" (id) "/users.csv?" (filter.query()) } { "Download CSV" }
        }
        (table(&id, &users, &offered, now))
    };
    layout(&id, Nav::Accounts, csrf, body, &[]).into_response()
}

pub async fn csv(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(filter): Query<UserFilter>,
) -> Response {
    let (users, _) = match select(&state, &id, &filter, Utc::now(), usize::MAX).await {
        Ok(u) => u,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    };
    let mut out = format!("{CSV_HEADER}\n");
    for u in &users {
        out.push_str(&cells(u).iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    let name: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}-users.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The users `filter` keeps (at most `limit`), and how many it keeps in all.
async fn select(
    state: &AppState,
    id: &str,
    filter: &UserFilter,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<(Vec<StoredUser>, usize), String> {
    let out = Arc::new(Mutex::new((Vec::new(), 0usize)));
    let sink = out.clone();
    let filter = filter.clone();
    state
        .store
        .for_each_user(&[id.to_owned()], move |u| {
            if filter.keep(&u, now) {
                let mut o = sink.lock().unwrap_or_else(|e| e.into_inner());
                o.1 += 1;
                if o.0.len() < limit {
                    o.0.push(u);
                }
            }
        })
        .await
        .map_err(|e| e.to_string())?;
    let mut o = out.lock().unwrap_or_else(|e| e.into_inner());
    Ok((std::mem::take(&mut o.0), o.1))
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

fn filters(f: &UserFilter) -> Markup {
    let option = |show: Show, value: &str, label: &str| {
        html! { option value=(value) selected[f.show == show] { (label) } }
    };
    html! {
        form.filters method="get" {
            label for="show" { "Show" }
            select #show name="show" {
                (option(Show::Present, "present", "users with access"))
                (option(Show::Inactive, "inactive", "inactive users"))
                (option(Show::Never, "never", "users who never visited"))
                (option(Show::Removed, "removed", "removed users"))
                (option(Show::All, "all", "everyone"))
            }
            label for="days" { "inactive for" }
            input #days name="days" type="number" min="1" max="3650" value=(f.days);
            " days "
            button type="submit" { "Filter" }
        }
    }
}

fn table(id: &str, users: &[StoredUser], offered: &[ActionKind], now: DateTime<Utc>) -> Markup {
    html! {
        table.users {
            thead { tr {
                th { "Email" } th { "Name" } th { "Status" } th { "Last visit" } th { "Roles" } th { "Licenses" }
                @if !offered.is_empty() { th { "Actions" } }
            } }
            tbody {
                @for u in users {
                    @let at = u.last_visit_at.as_ref().map(roster_core::timestamp).unwrap_or_default();
                    tr data-user=(u.id) {
                        td.email { (u.email.as_deref().unwrap_or("")) }
                        td { (u.name.as_deref().unwrap_or("")) }
                        td { span class={ "status " (u.status) } { (u.status) } }
                        td.last-visit data-at=(at) title=(at) {
                            @match u.last_visit_at { Some(t) => (ago(t, now)), None => "never" }
                        }
                        td { (roles(u)) }
                        td { (u.license_types.join(", ")) }
                        @if !offered.is_empty() { (actions(id, u, offered)) }
                    }
                }
            }
        }
    }
}

/// A link per offered action to its confirmation page; none for a removed user.
fn actions(id: &str, u: &StoredUser, offered: &[ActionKind]) -> Markup {
    html! {
        td.actions {
            @if u.status != "removed" {
                @for (i, k) in offered.iter().enumerate() {
                    @if i > 0 { " " }
                    a.action data-action=(k.as_str())
                        href={ "/accounts/" (url_component(id)) "/act/" (k.as_str()) "?user=" (url_component(&u.id)) }
                        { (k.as_str()) }
                }
            }
        }
    }
}

/// Roles by environment: "dev: Admin · prod: Operator"; account-wide roles by name.
fn roles(u: &StoredUser) -> Markup {
    html! {
        @for (i, r) in u.roles.iter().enumerate() {
            @if i > 0 { " · " }
            @if r.scope == roster_core::RoleAssignment::ACCOUNT {
                (r.name)
            } @else {
                span.scope { (r.scope) } ": " (r.name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Map;

    use super::*;

    #[test]
    fn user_rows_and_action_links_escape_vendor_values() {
        let now = Utc::now();
        let u = StoredUser {
            account: "acme".into(),
            connector: "workato".into(),
            id: r#"1" onmouseover="alert(1)"#.into(),
            email: Some("<script>alert(1)</script>@x.com".into()),
            name: Some(r#"<img src=x onerror=alert(1)>"#.into()),
            status: "active".into(),
            last_visit_at: None,
            roles: vec![roster_core::RoleAssignment::new("<script>", r#"" onmouseover="x"#)],
            license_types: vec!["<script>".into()],
            attributes: Map::new(),
            first_seen_at: now,
            removed_at: None,
        };
        let html = table("acme", std::slice::from_ref(&u), &[ActionKind::RemoveUser], now).into_string();
        assert!(
            !html.contains("<script>") && !html.contains("<img") && !html.contains("\" onmouseover="),
            "{html}"
        );
        assert!(
            html.contains(
                r#"href="/accounts/acme/act/remove_user?user=1%22%20onmouseover%3D%22alert%281%29""#
            ),
            "{html}"
        );
        let removed = StoredUser { status: "removed".into(), ..u };
        assert!(
            !table("acme", &[removed], &[ActionKind::RemoveUser], now)
                .into_string()
                .contains("act/remove_user")
        );
        assert!(!table("acme", &[], &[], now).into_string().contains("Actions"));
    }
}

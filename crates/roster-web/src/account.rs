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
use roster_core::ActionKind;
use roster_store::{AccountReport, StoredUser};

use super::accounts::{AccountListing, ago, rows, status};
use super::act_view::{self, url_component};
use super::filter::{Show, UserFilter};
use super::html::{Nav, esc, layout};
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
    let Some(row) = rows(&state).await.unwrap_or_default().into_iter().find(|r| r.id == id) else {
        let body = format!(r#"<h1>{}</h1><p class="error">no account `{}`</p>"#, esc(&id), esc(&id));
        return (StatusCode::NOT_FOUND, layout(&id, Nav::Accounts, &session.csrf, &body, &[]))
            .into_response();
    };
    let now = Utc::now();
    let report = state.store.report(&id, now, filter.days).await.ok();
    let (users, matched) = match select(&state, &id, &filter, now, PAGE_ROWS).await {
        Ok(u) => u,
        Err(e) => {
            let body = format!(r#"<p class="error">the store could not be read: {}</p>"#, esc(&e));
            return layout(&id, Nav::Accounts, &session.csrf, &body, &[]).into_response();
        }
    };
    let app = state.registry.get(&row.connector).map_or(row.connector.as_str(), |d| d.display_name);
    let offered: Vec<ActionKind> = act_view::account(&state, &id)
        .map(|a| {
            a.connector.actions.iter().map(|s| s.kind).filter(|k| a.allowed_actions.contains(k)).collect()
        })
        .unwrap_or_default();
    let body = format!(
        r#"<p class="crumbs"><a href="/accounts">Accounts</a> › {id}</p>
<h1>{id} <span class="muted">{app}</span></h1>
{summary}
{filters}
<p class="matched"><span id="matched">{matched}</span> user{s}{shown} · <a id="csv" href="/accounts/{id}/users.csv?{query}">Download CSV</a></p>
{table}"#,
        id = esc(&id),
        app = esc(app),
        summary = summary(&row, report.as_ref()),
        filters = filters(&filter),
        s = if matched == 1 { "" } else { "s" },
        shown = if matched > users.len() {
            format!(" (showing the first {})", users.len())
        } else {
            String::new()
        },
        query = esc(&filter.query()),
        table = table(&id, &users, &offered, now),
    );
    layout(&id, Nav::Accounts, &session.csrf, &body, &[]).into_response()
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

fn summary(row: &AccountListing, report: Option<&AccountReport>) -> String {
    let mut out = format!(r#"<div class="summary"><div class="last-sync">Last sync: {}</div>"#, status(row));
    if let Some(r) = report {
        out.push_str(&format!(
            r#"<dl class="numbers"><div><dt>Users</dt><dd>{}</dd></div><div><dt>Active in 30 days</dt><dd>{}</dd></div><div><dt>Inactive {} days</dt><dd>{}</dd></div><div><dt>Never visited</dt><dd>{}</dd></div><div><dt>Removed</dt><dd>{}</dd></div></dl>"#,
            r.users.present(),
            r.active_last_30_days,
            r.inactive.days,
            r.inactive.count,
            r.inactive.never_visited,
            r.users.removed,
        ));
        if !r.licenses.is_empty() {
            let licenses: Vec<String> = r
                .licenses
                .iter()
                .map(|l| match l.total {
                    Some(total) => format!("{}: {} of {total}", esc(&l.name), l.assigned),
                    None => format!("{}: {}", esc(&l.name), l.assigned),
                })
                .collect();
            out.push_str(&format!(r#"<p class="licenses">Licenses: {}</p>"#, licenses.join(" · ")));
        }
    }
    out.push_str("</div>");
    out
}

fn filters(f: &UserFilter) -> String {
    let option = |show: Show, value: &str, label: &str| {
        let selected = if f.show == show { " selected" } else { "" };
        format!(r#"<option value="{value}"{selected}>{label}</option>"#)
    };
    format!(
        r#"<form class="filters" method="get"><label for="show">Show</label>
<select id="show" name="show">{}{}{}{}{}</select>
<label for="days">inactive for</label><input id="days" name="days" type="number" min="1" max="3650" value="{}"> days
<button type="submit">Filter</button></form>"#,
        option(Show::Present, "present", "users with access"),
        option(Show::Inactive, "inactive", "inactive users"),
        option(Show::Never, "never", "users who never visited"),
        option(Show::Removed, "removed", "removed users"),
        option(Show::All, "all", "everyone"),
        f.days,
    )
}

fn table(id: &str, users: &[StoredUser], offered: &[ActionKind], now: DateTime<Utc>) -> String {
    let head = if offered.is_empty() { "" } else { "<th>Actions</th>" };
    let mut out = format!(
        r#"<table class="users"><thead><tr><th>Email</th><th>Name</th><th>Status</th><th>Last visit</th><th>Roles</th><th>Licenses</th>{head}</tr></thead><tbody>"#,
    );
    for u in users {
        out.push_str(&format!(
            r#"<tr data-user="{user}"><td class="email">{}</td><td>{}</td><td><span class="status {status}">{status}</span></td><td class="last-visit" data-at="{at}" title="{at}">{visit}</td><td>{}</td><td>{}</td>{actions}</tr>"#,
            esc(u.email.as_deref().unwrap_or("")),
            esc(u.name.as_deref().unwrap_or("")),
            roles(u),
            esc(&u.license_types.join(", ")),
            status = esc(&u.status),
            at = u.last_visit_at.as_ref().map(roster_core::timestamp).unwrap_or_default(),
            visit = u.last_visit_at.map_or_else(|| "never".to_owned(), |t| esc(&ago(t, now))),
            user = esc(&u.id),
            actions = actions(id, u, offered),
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// A link per offered action to its confirmation page; none for a removed user.
fn actions(id: &str, u: &StoredUser, offered: &[ActionKind]) -> String {
    if offered.is_empty() {
        return String::new();
    }
    let links: String = if u.status == "removed" {
        String::new()
    } else {
        offered
            .iter()
            .map(|k| {
                let href = format!("/accounts/{}/act/{k}?user={}", url_component(id), url_component(&u.id));
                format!(r#"<a class="action" data-action="{k}" href="{}">{k}</a> "#, esc(&href))
            })
            .collect()
    };
    format!(r#"<td class="actions">{}</td>"#, links.trim_end())
}

/// Roles by environment: "dev: Admin · prod: Operator"; account-wide roles by name.
fn roles(u: &StoredUser) -> String {
    u.roles
        .iter()
        .map(|r| {
            if r.scope == roster_core::RoleAssignment::ACCOUNT {
                esc(&r.name)
            } else {
                format!(r#"<span class="scope">{}</span>: {}"#, esc(&r.scope), esc(&r.name))
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
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
        let html = table("acme", std::slice::from_ref(&u), &[ActionKind::RemoveUser], now);
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
        assert!(!table("acme", &[removed], &[ActionKind::RemoveUser], now).contains("act/remove_user"));
        assert!(!table("acme", &[], &[], now).contains("Actions"));
    }
}

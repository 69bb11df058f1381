//! The users part of the Account page: the filter form (search, view,
//! status, role, license, page size), the table with a sort link in every
//! header, and the pager. The store filters, sorts and pages; this only
//! draws one page.

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use roster_core::ActionKind;
use roster_store::{AccountReport, SortColumn, StoredUser};

use super::accounts::ago;
use super::act_view::url_component;
use super::filter::{PER_PAGE_CHOICES, Show, UserFilter};

const STATUSES: [&str; 4] = ["active", "invited", "suspended", "removed"];

/// The filter form. Its choices of role and license come from the account's
/// report; a value typed into the URL that is not among them still shows.
pub fn filters(f: &UserFilter, report: Option<&AccountReport>) -> Markup {
    let mut roles: Vec<&str> = report
        .map(|r| r.roles.values().flat_map(|names| names.keys()).map(String::as_str).collect())
        .unwrap_or_default();
    roles.sort_unstable();
    roles.dedup();
    let licenses: Vec<&str> =
        report.map(|r| r.licenses.iter().map(|l| l.name.as_str()).collect()).unwrap_or_default();
    html! {
        form.filters method="get" {
            label for="q" { "Search" }
            input #q name="q" type="search" value=(f.q) placeholder="email or name";
            label for="show" { "Show" }
            select #show name="show" {
                @for show in Show::ALL { option value=(show.as_str()) selected[f.show == show] { (show.label()) } }
            }
            label for="days" { "inactive for" }
            input #days name="days" type="number" min="1" max="3650" value=(f.days);
            " days "
            (choice("status", "Status", &STATUSES, &f.status))
            (choice("role", "Role", &roles, &f.role))
            (choice("license", "License", &licenses, &f.license))
            label for="per" { "Per page" }
            select #per name="per" {
                @for n in PER_PAGE_CHOICES { option value=(n) selected[f.per_page() == n] { (n) } }
            }
            input type="hidden" name="sort" value=(f.sort_column().as_str());
            input type="hidden" name="dir" value=(if f.descending() { "desc" } else { "asc" });
            button type="submit" { "Filter" }
            " "
            a.clear href="?" { "Clear" }
        }
    }
}

/// A select of `options` with "any" first; `current` is kept even when it
/// is not among them.
fn choice(name: &str, label: &str, options: &[&str], current: &str) -> Markup {
    let known = current.is_empty() || options.contains(&current);
    html! {
        label for=(name) { (label) }
        select id=(name) name=(name) {
            option value="" selected[current.is_empty()] { "any" }
            @for o in options { option value=(o) selected[*o == current] { (o) } }
            @if !known { option value=(current) selected { (current) } }
        }
    }
}

/// The column headers, each a link that sorts by it (again: the other way).
const HEADERS: [(SortColumn, &str); 6] = [
    (SortColumn::Email, "Email"),
    (SortColumn::Name, "Name"),
    (SortColumn::Status, "Status"),
    (SortColumn::LastVisit, "Last visit"),
    (SortColumn::Roles, "Roles"),
    (SortColumn::Licenses, "Licenses"),
];

pub fn table(
    id: &str,
    users: &[StoredUser],
    offered: &[ActionKind],
    now: DateTime<Utc>,
    f: &UserFilter,
) -> Markup {
    let current = f.sort_column();
    html! {
        table.users {
            thead { tr {
                @for (column, label) in HEADERS {
                    @let sorted = (column == current).then(|| if f.descending() { "descending" } else { "ascending" });
                    th aria-sort=[sorted] {
                        a.sort data-sort=(column.as_str()) href={ "?" (f.sorted_by(column).query()) } {
                            (label)
                            @match sorted { Some("ascending") => " ▲", Some(_) => " ▼", None => "" }
                        }
                    }
                }
                @if !offered.is_empty() { th { "Actions" } }
            } }
            tbody {
                @for u in users {
                    @let at = u.last_visit_at.as_ref().map(roster_core::timestamp).unwrap_or_default();
                    tr data-user=(u.id) {
                        td.email { (u.email.as_deref().unwrap_or("")) }
                        td.name { (u.name.as_deref().unwrap_or("")) }
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

/// "Page 3 of 4,000" with first, previous, next and last links.
pub fn pager(f: &UserFilter, matched: u64) -> Markup {
    let per = f.per_page();
    let pages = matched.div_ceil(per).max(1);
    let page = f.page_number().min(pages);
    let link = |n: u64| format!("?{}&page={n}", f.query());
    html! {
        nav.pager aria-label="pages" {
            @if page > 1 {
                a rel="first" href=(link(1)) { "« First" } " "
                a rel="prev" href=(link(page - 1)) { "‹ Previous" } " "
            }
            span #page { "Page " span #page-number { (page) } " of " span #page-count { (pages) } }
            @if page < pages {
                " " a rel="next" href=(link(page + 1)) { "Next ›" }
                " " a rel="last" href=(link(pages)) { "Last »" }
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
        let f = UserFilter::default();
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
        let html = table("acme", std::slice::from_ref(&u), &[ActionKind::RemoveUser], now, &f).into_string();
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
            !table("acme", &[removed], &[ActionKind::RemoveUser], now, &f)
                .into_string()
                .contains("act/remove_user")
        );
        assert!(!table("acme", &[], &[], now, &f).into_string().contains("Actions"));
    }

    #[test]
    fn the_sorted_column_says_so_and_links_the_other_way() {
        let f = UserFilter { sort: "name".into(), ..Default::default() };
        let html = table("acme", &[], &[], Utc::now(), &f).into_string();
        assert!(html.contains(r#"<th aria-sort="ascending"><a class="sort" data-sort="name" href="?show=present&amp;days=90&amp;sort=name&amp;dir=desc">Name ▲</a></th>"#), "{html}");
        assert!(
            html.contains(r#"data-sort="email" href="?show=present&amp;days=90&amp;sort=email&amp;dir=asc""#),
            "{html}"
        );
    }

    #[test]
    fn the_pager_links_its_neighbours_and_clamps() {
        let f = UserFilter { page: Some(2), per: Some(25), ..Default::default() };
        let html = pager(&f, 60).into_string();
        assert!(
            html.contains(r#"<span id="page-number">2</span> of <span id="page-count">3</span>"#),
            "{html}"
        );
        assert!(html.contains("page=1") && html.contains("page=3"), "{html}");
        let html = pager(&UserFilter { page: Some(99), ..Default::default() }, 0).into_string();
        assert!(
            html.contains(r#"<span id="page-number">1</span> of <span id="page-count">1</span>"#),
            "{html}"
        );
        assert!(!html.contains("rel="), "{html}");
    }
}

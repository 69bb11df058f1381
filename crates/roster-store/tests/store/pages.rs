//! The users page's selections: search, filters, sort and paging, counted
//! and read by the database, the same on both backends.

use chrono::TimeDelta;
use roster_core::{RoleAssignment, UserStatus};
use roster_store::{Presence, SortColumn, SyncFinish, UserQuery, Visits};

use crate::common::*;

fn ids(page: &roster_store::UserPage) -> Vec<&str> {
    page.users.iter().map(|u| u.id.as_str()).collect()
}

store_test!(pages_search_filter_sort_and_count, fx, {
    let store = fx.open().await;
    let now = t(31);
    let mut all = Vec::new();
    for (id, name, status, days, role, license) in [
        ("a", "Zed Admin", UserStatus::Active, Some(1), "Admin", "Pro"),
        ("b", "ann 50%_off", UserStatus::Active, Some(200), "Member", "Basic"),
        ("c", "Carl", UserStatus::Suspended, Some(10), "Member", "Pro"),
        ("d", "Dora", UserStatus::Invited, None, "Admin", "Basic"),
        ("e", "Eve", UserStatus::Active, Some(3), "Member", "Pro"),
        ("f", "Fay", UserStatus::Active, Some(5), "Member", "Pro"),
    ] {
        let mut u = user(id);
        u.email = Some(format!("{}@Example.com", id.to_uppercase()));
        u.name = Some(name.into());
        u.status = status;
        u.last_visit_at = days.map(|d| now - TimeDelta::days(d));
        u.roles = vec![RoleAssignment::new("prod", role)];
        u.license_types = vec![license.into()];
        all.push(u);
    }
    sync(&store, "acme", all.clone(), SyncFinish::default()).await;
    all.retain(|u| u.id != "f");
    sync(&store, "acme", all, SyncFinish::default()).await;
    sync(&store, "other", users(0..3), SyncFinish::default()).await;

    let page = |q: UserQuery| {
        let store = store.clone();
        async move { store.user_page(&q).await.unwrap() }
    };
    let q = UserQuery::new("acme");

    let p = page(q.clone()).await;
    assert_eq!((ids(&p), p.matched), (vec!["a", "b", "c", "d", "e"], 5));
    let p = page(UserQuery { presence: Presence::Removed, ..q.clone() }).await;
    assert_eq!(ids(&p), ["f"]);
    let p = page(UserQuery { presence: Presence::All, ..q.clone() }).await;
    assert_eq!(p.matched, 6);

    // Paging keeps the order and the total.
    let p = page(UserQuery { offset: 2, limit: 2, ..q.clone() }).await;
    assert_eq!((ids(&p), p.matched), (vec!["c", "d"], 5));
    let p = page(UserQuery { offset: 10, limit: 2, ..q.clone() }).await;
    assert_eq!((ids(&p), p.matched), (vec![], 5));

    // Search: case-insensitive, on email or name, wildcards literal.
    let p = page(UserQuery { search: Some("ANN".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["b"]);
    let p = page(UserQuery { search: Some("50%_".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["b"]);
    let p = page(UserQuery { search: Some("%".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["b"]);
    let p = page(UserQuery { search: Some("c@example".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["c"]);

    // Filters combine with each other and with inactivity.
    let p = page(UserQuery { status: Some("active".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["a", "b", "e"]);
    let p = page(UserQuery { role: Some("Admin".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["a", "d"]);
    let p = page(UserQuery { license: Some("Pro".into()), role: Some("Member".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["c", "e"]);
    let inactive = Visits::NoneSince(now - TimeDelta::days(7));
    let p = page(UserQuery { visits: inactive, ..q.clone() }).await;
    assert_eq!(ids(&p), ["b", "c", "d"]);
    let p = page(UserQuery { visits: inactive, license: Some("Basic".into()), ..q.clone() }).await;
    assert_eq!(ids(&p), ["b", "d"]);
    let p = page(UserQuery { visits: Visits::Never, ..q.clone() }).await;
    assert_eq!(ids(&p), ["d"]);

    // Sorting by any column, both ways, nulls last, ties by id.
    let p = page(UserQuery { sort: SortColumn::Name, ..q.clone() }).await;
    assert_eq!(ids(&p), ["b", "c", "d", "e", "a"]);
    let p = page(UserQuery { sort: SortColumn::LastVisit, descending: true, ..q.clone() }).await;
    assert_eq!(ids(&p), ["a", "e", "c", "b", "d"]);
    let p = page(UserQuery { sort: SortColumn::LastVisit, ..q.clone() }).await;
    assert_eq!(ids(&p), ["b", "c", "e", "a", "d"]);
    let p = page(UserQuery { sort: SortColumn::Status, ..q.clone() }).await;
    assert_eq!(ids(&p), ["a", "b", "e", "d", "c"]);
    let p = page(UserQuery { sort: SortColumn::Roles, descending: true, ..q.clone() }).await;
    assert_eq!(ids(&p), ["e", "c", "b", "d", "a"]);
    let p = page(UserQuery { sort: SortColumn::Email, descending: true, limit: 1, ..q.clone() }).await;
    assert_eq!((ids(&p), p.matched), (vec!["e"], 5));

    // Streaming follows the same selection, without a limit.
    let (tx, rx) = std::sync::mpsc::channel();
    let q2 = UserQuery { license: Some("Pro".into()), sort: SortColumn::Name, descending: true, ..q.clone() };
    store.for_each_matching_user(&q2, move |u| tx.send(u.id).unwrap()).await.unwrap();
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), ["a", "e", "c"]);

    // One account's summary is its entry in the list of all.
    let listed = store.accounts().await.unwrap().into_iter().find(|a| a.account == "acme");
    assert_eq!(store.account_summary("acme").await.unwrap(), listed);
    assert_eq!(store.account_summary("nobody").await.unwrap(), None);

    let p = page(UserQuery::new("nobody")).await;
    assert_eq!((p.users.len(), p.matched), (0, 0));
});

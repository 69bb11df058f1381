//! The Directory API: `users.list`, `roles.list` and `roleAssignments.list`. The gate has
//! authenticated the request and put [`Authed`] into its extensions.

use axum::Extension;
use axum::extract::{Path, RawQuery};
use axum::response::Response;
use roster_sim_kit::respond::{param, params};
use serde_json::{Value, json};

use crate::authed::{Authed, not_authorized};
use crate::generate::NEVER;
use crate::paging::{List, bad_request, page};
use crate::scopes;
use crate::spec::AssigneeType;

const USERS: List = List { kind: "admin#directory#users", items: "users", max: 500, default: 100 };
const ROLES: List = List { kind: "admin#directory#roles", items: "items", max: 100, default: 100 };
const ASSIGNMENTS: List =
    List { kind: "admin#directory#roleAssignments", items: "items", max: 200, default: 100 };

/// `my_customer` or the customer's own id.
fn is_own(a: &Authed, customer: &str) -> bool {
    customer == "my_customer" || customer == a.customer.inner.customer_id
}

/// `GET /admin/directory/v1/users?customer=|domain=&maxResults=&pageToken=`.
pub(crate) async fn users(Extension(a): Extension<Authed>, RawQuery(q): RawQuery) -> Response {
    let q = params(&q.unwrap_or_default());
    if let Some(refused) = a.refusal(&scopes::USERS, false) {
        return refused;
    }
    let domain = param(&q, "domain");
    match (param(&q, "customer"), domain) {
        (Some(c), _) if !is_own(&a, c) => return bad_request(),
        (None, None) => return bad_request(),
        (None, Some(d)) if !d.eq_ignore_ascii_case(&a.customer.inner.domain) => return not_authorized(),
        _ => {}
    }
    let st = a.customer.lock();
    let in_domain = |u: &&Value| {
        domain.is_none_or(|d| {
            u["primaryEmail"]
                .as_str()
                .is_some_and(|e| e.to_lowercase().ends_with(&format!("@{}", d.to_lowercase())))
        })
    };
    let users: Vec<Value> = st
        .users
        .iter()
        .filter(in_domain)
        .map(|u| {
            let mut u = u.clone();
            if st.settings.never_signed_in_absent && u["lastLoginTime"] == NEVER {
                u.as_object_mut().map(|o| o.remove("lastLoginTime"));
            }
            u
        })
        .collect();
    page(
        &USERS,
        &users,
        &q,
        &format!("users|{}|{}", param(&q, "customer").unwrap_or(""), domain.unwrap_or("")),
        &st.settings,
    )
}

/// `GET /admin/directory/v1/customer/{customer}/roles` and `.../roleassignments`.
pub(crate) async fn role_lists(
    Extension(a): Extension<Authed>,
    Path((customer, list)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = params(&q.unwrap_or_default());
    if list != "roles" && list != "roleassignments" {
        return crate::routes::not_found().await;
    }
    if let Some(refused) = a.refusal(&scopes::ROLES, false) {
        return refused;
    }
    if !is_own(&a, &customer) {
        return bad_request();
    }
    let st = a.customer.lock();
    if list == "roles" {
        return page(&ROLES, &st.roles, &q, "roles", &st.settings);
    }
    let items: Vec<Value> = st
        .assignments
        .iter()
        .map(|x| {
            let mut x = x.clone();
            let kind = x["assigneeType"].as_str().unwrap_or("USER").to_owned();
            match st.settings.assignee_type {
                AssigneeType::Upper => {}
                AssigneeType::Lower => x["assigneeType"] = json!(kind.to_lowercase()),
                AssigneeType::Absent => {
                    x.as_object_mut().map(|o| o.remove("assigneeType"));
                }
            }
            x
        })
        .collect();
    page(&ASSIGNMENTS, &items, &q, "roleassignments", &st.settings)
}

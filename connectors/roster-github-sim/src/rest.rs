//! The routes, and the REST endpoints under `/api/v3`: the organization, its outside
//! collaborators, invitations and Copilot seats, paged with `page`/`per_page` and `link`
//! headers that point to `/organizations/{id}/...`.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use roster_sim_kit::{Tenant, respond};
use serde_json::{Value, json};

use crate::authed::{Authed, JSON, gh_error};
use crate::graphql;

pub(crate) fn routes() -> Router {
    Router::new()
        .route("/api/v3/orgs/{org}", get(organization))
        .route("/api/v3/orgs/{org}/{*list}", get(by_login))
        .route("/api/v3/organizations/{id}/{*list}", get(by_id))
        .route("/api/graphql", post(graphql::graphql))
        .fallback(|| async { gh_error(StatusCode::NOT_FOUND, "Not Found", "https://docs.github.com/rest") })
}

type Params = Query<Vec<(String, String)>>;

fn not_found(authed: &Authed) -> Response {
    authed.error(StatusCode::NOT_FOUND, "Not Found")
}

/// `GET /orgs/{org}`: the plan only for owners (unless the settings say otherwise).
async fn organization(Extension(authed): Extension<Authed>, Path(org): Path<String>) -> Response {
    if !org.eq_ignore_ascii_case(&authed.org.login()) {
        return not_found(&authed);
    }
    let (filled, seats) = authed.org.seats();
    let st = authed.org.lock();
    let spec = &st.spec;
    let mut body = json!({"login": spec.login, "id": spec.id, "node_id": format!("MDEyOk9yZ2FuaXphdGlvbj{}", spec.id),
        "url": format!("https://api.github.com/orgs/{}", spec.login), "name": spec.name, "description": null,
        "html_url": format!("https://github.com/{}", spec.login), "created_at": "2019-01-14T04:33:35Z", "type": "Organization",
        "two_factor_requirement_enabled": true});
    if authed.token.owner || spec.settings.plan_visible_to_members {
        body["plan"] = json!({"name": spec.plan, "space": 976_562_499, "private_repos": 999_999, "filled_seats": filled, "seats": seats});
    }
    respond::json(StatusCode::OK, JSON, &body)
}

async fn by_login(
    Extension(authed): Extension<Authed>,
    Path((org, list)): Path<(String, String)>,
    Query(q): Params,
) -> Response {
    if !org.eq_ignore_ascii_case(&authed.org.login()) {
        return not_found(&authed);
    }
    list_page(&authed, &list, &q)
}

async fn by_id(
    Extension(authed): Extension<Authed>,
    Path((id, list)): Path<(String, String)>,
    Query(q): Params,
) -> Response {
    if id != authed.org.id().to_string() {
        return not_found(&authed);
    }
    list_page(&authed, &list, &q)
}

/// One page of a list: outside collaborators and invitations (30 a page by default), or
/// Copilot seats (50) wrapped in `{total_seats, seats}`. Owners only.
fn list_page(authed: &Authed, list: &str, q: &[(String, String)]) -> Response {
    let st = authed.org.lock();
    let settings = &st.spec.settings;
    let (items, default_size) = match list {
        "outside_collaborators" => (&st.data.collaborators, 30),
        "invitations" => (&st.data.invitations, 30),
        "copilot/billing/seats" if st.spec.copilot.is_none() => {
            let status = respond::status(settings.copilot_absent_status);
            return authed.error(status, "Copilot Business is not enabled for this organization.");
        }
        "copilot/billing/seats" => (&st.data.seats, 50),
        _ => return not_found(authed),
    };
    if !authed.token.owner {
        return match settings.non_owner_status {
            404 => not_found(authed),
            n => authed.error(respond::status(n), "Must have admin rights to Repository."),
        };
    }
    let number = |k: &str| respond::param(q, k).and_then(|v| v.parse::<usize>().ok());
    let per_page = number("per_page").unwrap_or(default_size).clamp(1, 100);
    let page = number("page").unwrap_or(1).max(1);
    let start = ((page - 1) * per_page).min(items.len());
    let slice: Vec<Value> = items[start..(start + per_page).min(items.len())].to_vec();
    let last = items.len().div_ceil(per_page).max(1);
    let body = match list {
        "copilot/billing/seats" => json!({"total_seats": items.len(), "seats": slice}),
        _ => Value::Array(slice),
    };
    let mut response = respond::json(StatusCode::OK, JSON, &body);
    if page < last {
        let base = match settings.link_by_id {
            true => format!("{}/api/v3/organizations/{}/{list}", authed.origin, st.spec.id),
            false => format!("{}/api/v3/orgs/{}/{list}", authed.origin, st.spec.login),
        };
        let at = |n: usize| format!("<{base}?per_page={per_page}&page={n}>");
        respond::set_header(
            &mut response,
            "link",
            &format!(r#"{}; rel="next", {}; rel="last""#, at(page + 1), at(last)),
        );
    }
    response
}

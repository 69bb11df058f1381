//! Zoom's endpoints.

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post, put};

use crate::sim::Zoom;
use crate::{handlers, oauth, one_user, role_members};

pub(crate) fn routes(zoom: &Arc<Zoom>) -> Router {
    Router::new()
        .route("/oauth/token", post(oauth::token).with_state(zoom.clone()))
        .route("/v2/users", get(handlers::list_users))
        .route(
            "/v2/users/{user_id}",
            get(one_user::get_user).patch(one_user::update_user).delete(one_user::delete_user),
        )
        .route("/v2/users/{user_id}/status", put(one_user::update_status))
        .route("/v2/roles", get(handlers::list_roles))
        .route("/v2/roles/{role_id}/members", post(role_members::assign))
        .route("/v2/roles/{role_id}/members/{member_id}", delete(role_members::unassign))
        .route("/v2/accounts/{account_id}/plans/usage", get(handlers::plan_usage))
        .fallback(handlers::not_found)
}

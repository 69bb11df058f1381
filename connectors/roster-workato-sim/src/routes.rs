//! Workato's endpoints.

use axum::Router;
use axum::routing::get;

use crate::{handlers, writes};

pub(crate) fn routes() -> Router {
    Router::new()
        .route("/api/users/me", get(handlers::users_me))
        .route("/api/members", get(handlers::list_members))
        .route(
            "/api/members/{id}",
            get(handlers::get_member).put(writes::update_member).delete(writes::delete_member),
        )
        .route("/api/members/{id}/privileges", get(handlers::member_privileges))
        .route("/api/activity_logs", get(handlers::activity_logs))
        .fallback(handlers::not_found)
}

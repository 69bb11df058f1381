//! Zoom's endpoints.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::sim::Zoom;
use crate::{handlers, oauth};

pub(crate) fn routes(zoom: &Arc<Zoom>) -> Router {
    Router::new()
        .route("/oauth/token", post(oauth::token).with_state(zoom.clone()))
        .route("/v2/users", get(handlers::list_users))
        .route("/v2/roles", get(handlers::list_roles))
        .route("/v2/accounts/{account_id}/plans/usage", get(handlers::plan_usage))
        .fallback(handlers::not_found)
}

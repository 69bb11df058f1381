//! Microsoft's endpoints on one origin: the token endpoint and Graph `/v1.0`.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::sim::Microsoft;
use crate::{delta, directory, token, users};

pub(crate) fn routes(sim: &Arc<Microsoft>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token::token).with_state(sim.clone()))
        .route("/v1.0/users", get(users::list))
        .route("/v1.0/users/delta", get(delta::delta))
        .route("/v1.0/organization", get(directory::organization))
        .route("/v1.0/subscribedSkus", get(directory::subscribed_skus))
        .route("/v1.0/directoryRoles", get(directory::directory_roles))
        .route("/v1.0/directoryRoles/{id}/members", get(directory::members))
        .fallback(not_found)
}

/// Any other path.
async fn not_found() -> Response {
    crate::responses::graph_error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        "Resource not found for the segment.",
    )
}

//! Google's endpoints, the token endpoint and both APIs on one origin.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::responses::google_error;
use crate::sim::Google;
use crate::{directory, licensing, token};

pub(crate) fn routes(google: &Arc<Google>) -> Router {
    Router::new()
        .route("/token", post(token::token).with_state(google.clone()))
        .route("/admin/directory/v1/users", get(directory::users))
        .route("/admin/directory/v1/customer/{customer}/{list}", get(directory::role_lists))
        .route("/apps/licensing/v1/product/{product}/users", get(licensing::list_for_product))
        .fallback(not_found)
}

pub(crate) async fn not_found() -> Response {
    google_error(StatusCode::NOT_FOUND, "global", "notFound", "Not Found")
}

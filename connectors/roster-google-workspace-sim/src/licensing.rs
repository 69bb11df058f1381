//! The Enterprise License Manager: `licenseAssignments.listForProduct`.

use axum::Extension;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use roster_sim_kit::respond::{param, params};
use serde_json::{Value, json};

use crate::authed::{Authed, unauthorized_operation};
use crate::paging::{List, page};
use crate::responses::google_error;
use crate::scopes;
use crate::spec::UnownedProduct;

const LICENSES: List =
    List { kind: "licensing#licenseAssignmentList", items: "items", max: 1000, default: 100 };

/// Product ids Google documents (others are "Invalid ProductId").
pub const PRODUCTS: [&str; 9] =
    ["Google-Apps", "101031", "101034", "101033", "Google-Vault", "101001", "101005", "101047", "101068"];

/// `GET /apps/licensing/v1/product/{productId}/users?customerId=&maxResults=&pageToken=`.
pub(crate) async fn list_for_product(
    Extension(a): Extension<Authed>,
    Path(product): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = params(&q.unwrap_or_default());
    if let Some(refused) = a.refusal(&scopes::LICENSES, true) {
        return refused;
    }
    let st = a.customer.lock();
    let customer = param(&q, "customerId").unwrap_or("");
    let accepted = customer == a.customer.inner.customer_id
        || (st.settings.licensing_accepts_domain && customer.eq_ignore_ascii_case(&a.customer.inner.domain));
    if !accepted {
        return unauthorized_operation();
    }
    if !PRODUCTS.contains(&product.as_str()) {
        return invalid_product(&product);
    }
    if !st.products.contains(&product) {
        match st.settings.unowned_product {
            UnownedProduct::Empty => {}
            UnownedProduct::Forbidden => return unauthorized_operation(),
            UnownedProduct::Invalid => return invalid_product(&product),
        }
    }
    let items: Vec<Value> = st
        .licenses
        .iter()
        .filter(|l| l["productId"] == product.as_str())
        .map(|l| {
            let mut l = l.clone();
            if st.settings.license_user_ids_uppercase {
                l["userId"] = json!(l["userId"].as_str().unwrap_or_default().to_uppercase());
            }
            l
        })
        .collect();
    page(&LICENSES, &items, &q, &format!("licenses|{product}|{customer}"), &st.settings)
}

fn invalid_product(product: &str) -> Response {
    google_error(StatusCode::BAD_REQUEST, "global", "invalid", &format!("Invalid ProductId: {product}"))
}

//! Licences: `licenseAssignments.listForProduct` for each configured product, keyed by
//! the primary domain. Each assignment gives its user (`userId`, the primary email) a
//! licence named by its `skuName`; a product the customer does not have lists nothing
//! (or is refused, which is not an error either).

use std::collections::{BTreeMap, HashMap};

use roster_core::{ConnectorError, LicenseType};
use serde_json::Value;

use crate::api::{Api, Service};
use crate::google_error::GoogleError;
use crate::pages::Pages;

/// Licences by lower-cased user email, and counts per SKU name.
#[derive(Debug, Default)]
pub(crate) struct Licenses {
    pub by_email: HashMap<String, Vec<String>>,
    pub counts: BTreeMap<String, u64>,
    /// Products Google refused, with its answer.
    pub refused: Vec<(String, GoogleError)>,
}

impl Licenses {
    pub(crate) fn of(&self, email: &str) -> Vec<String> {
        self.by_email.get(email).cloned().unwrap_or_default()
    }

    /// One licence type per SKU name: assigned is its count; Google gives no totals.
    pub(crate) fn types(&self) -> Vec<LicenseType> {
        self.counts
            .iter()
            .map(|(name, n)| LicenseType { name: name.clone(), assigned: *n, total: None })
            .collect()
    }

    fn add(&mut self, item: &Value) {
        let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let (Some(user), Some(sku)) = (text("userId"), text("skuName").or_else(|| text("skuId"))) else {
            return;
        };
        *self.counts.entry(sku.to_owned()).or_default() += 1;
        self.by_email.entry(user.to_lowercase()).or_default().push(sku.to_owned());
    }
}

/// The path of a product's licence list.
pub(crate) fn path(product: &str) -> String {
    format!("/apps/licensing/v1/product/{product}/users")
}

/// Reads every product's assignments for `domain`.
pub(crate) async fn read(api: &Api, domain: &str, products: &[String]) -> Result<Licenses, ConnectorError> {
    let mut out = Licenses::default();
    for product in products {
        let query = vec![("customerId", domain.to_owned()), ("maxResults", "1000".to_owned())];
        let mut pages = Pages::new(api, Service::Licensing, path(product), query);
        loop {
            match pages.next().await? {
                Ok(Some(items)) => items.iter().for_each(|i| out.add(i)),
                Ok(None) => break,
                Err(refusal) => {
                    tracing::debug!(product = %product, "google refused the product's licences: {}", refusal.describe());
                    out.refused.push((product.clone(), refusal));
                    break;
                }
            }
        }
    }
    Ok(out)
}

//! The rest of the directory: the tenant (`/organization`), its SKUs (`/subscribedSkus`:
//! licence totals and skuId → skuPartNumber) and its activated roles with their members.

use std::collections::HashMap;

use roster_core::{LicenseType, TenantRecord};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::{Api, Failure};
use crate::pages::{self, Page};

pub(crate) const ORGANIZATION: &str = "/v1.0/organization";
pub(crate) const SKUS: &str = "/v1.0/subscribedSkus";
pub(crate) const ROLES: &str = "/v1.0/directoryRoles";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Organization {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    verified_domains: Vec<Value>,
}

/// The tenant record from `GET /organization` ("only one organization object").
pub(crate) async fn organization(api: &Api) -> Result<Option<TenantRecord>, Failure> {
    let query = vec![("$select", "id,displayName,verifiedDomains".to_owned())];
    let page: Page<Organization> = api.get(ORGANIZATION, &query).await?;
    Ok(page.value.into_iter().next().map(|o| {
        let default =
            |key: &str| o.verified_domains.iter().find(|d| d[key] == true).and_then(|d| d["name"].as_str());
        let mut attributes = Map::new();
        if let Some(domain) = default("isDefault").or_else(|| default("isInitial")) {
            attributes.insert("default_domain".into(), Value::String(domain.to_owned()));
        }
        TenantRecord { tenant_id: o.id, name: o.display_name, plan: None, attributes }
    }))
}

/// A record for a tenant whose organization could not be read: the configured tenant.
pub(crate) fn configured(tenant: &str) -> TenantRecord {
    TenantRecord { tenant_id: tenant.to_owned(), name: None, plan: None, attributes: Map::new() }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sku {
    sku_id: String,
    sku_part_number: String,
    #[serde(default)]
    consumed_units: u64,
    #[serde(default)]
    prepaid_units: Option<Prepaid>,
}

#[derive(Deserialize)]
struct Prepaid {
    #[serde(default)]
    enabled: Option<u64>,
}

/// One licence type per SKU (name `skuPartNumber`, total `prepaidUnits.enabled`, assigned
/// `consumedUnits`) and the skuId → skuPartNumber map.
pub(crate) async fn skus(api: &Api) -> Result<(Vec<LicenseType>, HashMap<String, String>), Failure> {
    let skus: Vec<Sku> = pages::all(api, SKUS, Vec::new()).await?;
    let names = skus.iter().map(|s| (s.sku_id.clone(), s.sku_part_number.clone())).collect();
    let licenses = skus
        .into_iter()
        .map(|s| LicenseType {
            name: s.sku_part_number,
            assigned: s.consumed_units,
            total: s.prepaid_units.and_then(|p| p.enabled),
        })
        .collect();
    Ok((licenses, names))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Role {
    id: String,
    display_name: String,
}

/// user id → the activated roles it is a direct member of. A member is a user by its
/// `@odata.type`, or, without one, by having a userPrincipalName; service principals and
/// groups are skipped.
pub(crate) async fn roles(api: &Api) -> Result<HashMap<String, Vec<String>>, Failure> {
    let roles: Vec<Role> = pages::all(api, ROLES, Vec::new()).await?;
    let mut by_user: HashMap<String, Vec<String>> = HashMap::new();
    for role in roles.into_iter().filter(|r| r.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) {
        let query = vec![("$select", "id,displayName,userPrincipalName".to_owned())];
        let members: Vec<Value> = pages::all(api, &format!("{ROLES}/{}/members", role.id), query).await?;
        for m in members {
            let user = match m.get("@odata.type").and_then(Value::as_str) {
                Some(t) => t == "#microsoft.graph.user",
                None => m.get("userPrincipalName").is_some_and(Value::is_string),
            };
            if let Some(id) = m.get("id").and_then(Value::as_str).filter(|_| user) {
                by_user.entry(id.to_owned()).or_default().push(role.display_name.clone());
            }
        }
    }
    Ok(by_user)
}

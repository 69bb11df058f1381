//! Who the account is. Zoom has no account-name endpoint for a normal (non-master)
//! account; the account is named after its owner (role id `"0"`).

use roster_core::TenantRecord;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::{Api, Failure};
use crate::listing::{Owner, USERS_PATH};
use crate::plan::PlanUsage;
use crate::users::{ListStatus, ZoomUser};

#[derive(Deserialize)]
struct OwnerPage {
    #[serde(default)]
    users: Vec<Value>,
}

/// The owner, from `GET /v2/users?status=active&role_id=0&page_size=1`.
pub(crate) async fn owner(api: &Api) -> Result<Option<Owner>, Failure> {
    let query = [("status", "active".to_owned()), ("role_id", "0".to_owned()), ("page_size", "1".to_owned())];
    let page: OwnerPage = api.get(USERS_PATH, &query).await?;
    let owner = page
        .users
        .into_iter()
        .find_map(|raw| serde_json::from_value::<ZoomUser>(raw).ok())
        .and_then(|u| u.into_user(ListStatus::Active, &Default::default()))
        .map(|m| Owner { id: m.user.id, email: m.user.email, name: m.user.name });
    Ok(owner)
}

/// The account record: the configured account id, named after the owner's email domain.
pub(crate) fn record(account_id: &str, owner: Option<&Owner>, plan: Option<&PlanUsage>) -> TenantRecord {
    let mut attributes = Map::new();
    let email = owner.and_then(|o| o.email.as_deref());
    if let Some(o) = owner {
        attributes.insert("owner_id".into(), Value::String(o.id.clone()));
        if let Some(e) = &o.email {
            attributes.insert("owner_email".into(), Value::String(e.clone()));
        }
        if let Some(n) = &o.name {
            attributes.insert("owner_name".into(), Value::String(n.clone()));
        }
    }
    let name = email
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, domain)| domain.to_lowercase())
        .filter(|d| !d.is_empty());
    TenantRecord {
        tenant_id: account_id.to_owned(),
        name,
        plan: plan.and_then(|p| p.base_type.clone()),
        attributes,
    }
}

//! The directory's other collections: `/organization` (one object), `/subscribedSkus`
//! (one page, `consumedUnits` counted from the users), `/directoryRoles` (activated roles
//! only, no paging) and `/directoryRoles/{id}/members` (users, service principals and groups;
//! no paging, up to 1,000).

use axum::Extension;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::authed::{Authed, READ_ORGANIZATION, READ_ROLES};
use crate::odata::{OData, project};
use crate::responses::{graph_error, json_response};

fn collection(a: &Authed, context: &str, value: Vec<Value>) -> Response {
    let context = format!("{}/v1.0/$metadata#{context}", a.tenant.inner.origin);
    json_response(StatusCode::OK, &json!({"@odata.context": context, "value": value}))
}

fn select(query: Option<String>) -> Option<Vec<String>> {
    OData::parse(query).get("$select").map(|s| s.split(',').map(|p| p.trim().to_owned()).collect())
}

pub(crate) async fn organization(Extension(a): Extension<Authed>, RawQuery(q): RawQuery) -> Response {
    if let Some(r) = a.require(&READ_ORGANIZATION) {
        return r;
    }
    let t = &a.tenant.inner;
    let org = json!({
        "id": t.tenant_id, "displayName": t.display_name, "tenantType": "AAD",
        "verifiedDomains": [{"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": true, "isInitial": true, "name": t.domain, "type": "Managed"}],
    });
    let value = match select(q) {
        Some(s) => project(&org, Some(&s)),
        None => org,
    };
    collection(&a, "organization", vec![value])
}

pub(crate) async fn subscribed_skus(Extension(a): Extension<Authed>) -> Response {
    if let Some(r) = a.require(&READ_ORGANIZATION) {
        return r;
    }
    let st = a.tenant.lock();
    let holds = |u: &Value, sku: &Value| {
        u["assignedLicenses"].as_array().is_some_and(|l| l.iter().any(|x| x["skuId"] == sku["skuId"]))
    };
    let skus = st.skus.iter().map(|sku| {
        let mut sku = sku.clone();
        sku["consumedUnits"] = json!(st.users.iter().filter(|u| holds(u, &sku)).count());
        sku
    });
    let skus = skus.collect();
    drop(st);
    collection(&a, "subscribedSkus", skus)
}

pub(crate) async fn directory_roles(Extension(a): Extension<Authed>) -> Response {
    if let Some(r) = a.require(&READ_ROLES) {
        return r;
    }
    let roles = a.tenant.lock().roles.iter().map(|r| r.json.clone()).collect();
    collection(&a, "directoryRoles", roles)
}

pub(crate) async fn members(
    Extension(a): Extension<Authed>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(r) = a.require(&READ_ROLES) {
        return r;
    }
    let select = select(q);
    let st = a.tenant.lock();
    let Some(role) = st.roles.iter().find(|r| r.json["id"] == id.as_str()) else {
        let message = format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        );
        return graph_error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", &message);
    };
    let typed = st.settings.members_odata_type;
    let members = role.members.iter().filter_map(|m| {
        let mut m = if m["@odata.type"] == "#microsoft.graph.user" {
            let user = st.users.iter().find(|u| u["id"] == m["id"])?;
            let mut full = user.clone();
            full["@odata.type"] = m["@odata.type"].clone();
            full
        } else {
            m.clone()
        };
        if let (false, Some(obj)) = (typed, m.as_object_mut()) {
            obj.remove("@odata.type");
        }
        Some(project(
            &m,
            Some(select.as_deref().unwrap_or(&[
                "id".into(),
                "displayName".into(),
                "userPrincipalName".into(),
            ])),
        ))
    });
    let members = members.collect();
    drop(st);
    collection(&a, "directoryObjects", members)
}

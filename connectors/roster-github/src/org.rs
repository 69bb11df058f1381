//! `GET /orgs/{org}`: who the organization is and its plan (shown to owners only).

use roster_core::{ConnectorError, LicenseType, TenantRecord};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::Api;

#[derive(Debug, Deserialize)]
pub(crate) struct Org {
    pub id: u64,
    pub login: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub plan: Option<Plan>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Plan {
    pub name: String,
    #[serde(default)]
    pub seats: Option<u64>,
    #[serde(default)]
    pub filled_seats: Option<u64>,
}

/// The organization; a 401 is a bad token, a 404 an organization the token cannot see.
pub(crate) async fn read(api: &Api) -> Result<Org, ConnectorError> {
    let path = api.org_path("");
    match api.get(&path, &[]).await? {
        Ok(answer) => serde_json::from_value(answer.body).map_err(|e| {
            ConnectorError::invalid_response(format!(
                "GET {path}: {}",
                roster_core::error::redact_serde_message(&e.to_string())
            ))
        }),
        Err(refusal) => Err(refusal.into_error(&format!("GET {path}"), &api.org)),
    }
}

impl Org {
    /// `GitHub <plan>`, the licence of members and outside collaborators.
    pub(crate) fn licence(&self) -> Option<String> {
        self.plan.as_ref().map(|p| format!("GitHub {}", p.name))
    }

    /// `{GitHub <plan>, total: seats, assigned: filled_seats}`; `counted` stands in for a
    /// missing `filled_seats`.
    pub(crate) fn license_type(&self, counted: u64) -> Option<LicenseType> {
        let plan = self.plan.as_ref()?;
        Some(LicenseType {
            name: format!("GitHub {}", plan.name),
            assigned: plan.filled_seats.unwrap_or(counted),
            total: plan.seats,
        })
    }

    pub(crate) fn record(&self, saml: bool, copilot: Option<&str>) -> TenantRecord {
        let mut attributes = Map::new();
        attributes.insert("login".into(), json!(self.login));
        attributes.insert("saml".into(), json!(saml));
        attributes.insert("copilot".into(), copilot.map_or(Value::Null, |c| json!(c)));
        TenantRecord {
            tenant_id: self.id.to_string(),
            name: Some(
                self.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| self.login.clone()),
            ),
            plan: self.plan.as_ref().map(|p| p.name.clone()),
            attributes,
        }
    }
}

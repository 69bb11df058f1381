//! Requests to the Workato Developer API, with Workato's failure semantics.

use roster_core::{ConnectorError, Secret, TenantRecord};
use roster_http::{Http, HttpConfig, HttpError};
use serde_json::{Map, Value};
use url::Url;

use crate::data_center::DataCenter;
use crate::permissions::{self, GET_COLLABORATORS, WORKSPACE_DETAILS};
use crate::settings::WorkatoSettings;

pub(crate) const USERS_ME: &str = "/api/users/me";
pub(crate) const MEMBERS: &str = "/api/members";
pub(crate) const ACTIVITY_LOGS: &str = "/api/activity_logs";

/// An email no collaborator has, so that probing access to the members
/// endpoint costs one small response instead of the whole list.
const PROBE_EMAIL: &str = "roster-access-probe@invalid.invalid";

pub(crate) struct Api {
    pub http: Http,
    data_center: DataCenter,
    token_hint: Option<DataCenter>,
}

impl Api {
    pub(crate) fn new(
        origin: Url,
        token: &Secret,
        dc: DataCenter,
        s: &WorkatoSettings,
    ) -> Result<Self, ConnectorError> {
        let mut config = HttpConfig::new(origin);
        s.http.apply(&mut config);
        config.rate_limit = Some(s.rate_limit());
        let http = Http::new(config)?;
        http.set_bearer(token)?;
        Ok(Self { http, data_center: dc, token_hint: DataCenter::from_token_prefix(token.expose()) })
    }

    /// Who the workspace is, from `GET /api/users/me`. On a refusal, probes the
    /// members endpoint to tell a bad token from a missing permission.
    pub(crate) async fn identify(&self) -> Result<TenantRecord, ConnectorError> {
        match self.http.get_json::<Value>(USERS_ME, &[]).await {
            Ok(me) => account_record(&me),
            Err(e @ HttpError::Status { status: 401 | 403, .. }) => match self.probe_members().await {
                Ok(()) => Err(ConnectorError::missing_permission(
                    format!("{e}; the token can list collaborators but not read workspace details"),
                    vec![WORKSPACE_DETAILS.to_owned()],
                )
                .with_remediation(permissions::enable(WORKSPACE_DETAILS))),
                Err(HttpError::Status { status: 401 | 403, .. }) => Err(self.refused(&e)),
                Err(other) => Err(other.into_connector_error()),
            },
            Err(e) => Err(e.into_connector_error()),
        }
    }

    /// Whether the token may list collaborators, at the cost of one tiny response.
    pub(crate) async fn probe_members(&self) -> Result<(), HttpError> {
        self.http.get_json::<Value>(MEMBERS, &[("email", PROBE_EMAIL.to_owned())]).await.map(|_| ())
    }

    /// The error for a token Workato refuses everywhere.
    pub(crate) fn refused(&self, e: &HttpError) -> ConnectorError {
        if let Some(hint) = self.token_hint
            && self.data_center != DataCenter::Custom
            && hint != self.data_center
        {
            return ConnectorError::wrong_region(format!(
                "{e}; the token's prefix points to the {} data center, but the account is set to {}",
                hint.label(),
                self.data_center.label()
            ))
            .with_remediation(format!(
                "set data_center = \"{}\" in the account's credentials if the workspace lives there; otherwise create a new token",
                hint.id()
            ));
        }
        let hint = self
            .token_hint
            .map(|h| format!("; the token's prefix points to the {} data center", h.label()))
            .unwrap_or_default();
        if e.status() == Some(403) {
            ConnectorError::missing_permission(
                format!("{e}{hint}"),
                vec![WORKSPACE_DETAILS.to_owned(), GET_COLLABORATORS.to_owned()],
            )
            .with_remediation(permissions::REFUSED_TOKEN)
        } else {
            ConnectorError::invalid_credentials(format!("workato refused the token{hint} ({e})"))
                .with_remediation(permissions::REFUSED_TOKEN)
        }
    }

    /// Classifies a 401/403 from the members list after `identify` succeeded:
    /// a token revoked mid-run, or a role without "Get collaborators".
    pub(crate) async fn members_refused(&self, e: HttpError) -> ConnectorError {
        match self.http.get_json::<Value>(USERS_ME, &[]).await {
            Err(again @ HttpError::Status { status: 401 | 403, .. }) => {
                ConnectorError::invalid_credentials(format!(
                    "workato stopped accepting the token during the sync ({again}); it was probably revoked"
                ))
                .with_remediation(permissions::REFUSED_TOKEN)
            }
            _ => ConnectorError::missing_permission(
                format!("{e}; the token can read workspace details but not list collaborators"),
                vec![GET_COLLABORATORS.to_owned()],
            )
            .with_remediation(permissions::enable(GET_COLLABORATORS)),
        }
    }
}

/// The account record from a `/api/users/me` body.
fn account_record(me: &Value) -> Result<TenantRecord, ConnectorError> {
    let id = match me.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => {
            return Err(ConnectorError::invalid_response(format!("GET {USERS_ME}: the workspace has no id")));
        }
    };
    let text = |k: &str| me.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut attributes = Map::new();
    for key in ["current_billing_period_start", "current_billing_period_end", "created_at", "last_seen"] {
        if let Some(v) = me.get(key).filter(|v| !v.is_null()) {
            attributes.insert(key.into(), v.clone());
        }
    }
    Ok(TenantRecord { tenant_id: id, name: text("name"), plan: text("plan_id"), attributes })
}

#[cfg(test)]
mod tests {
    use roster_core::ErrorKind;

    use super::*;

    fn api(dc: DataCenter, token: &str) -> Api {
        let origin = Url::parse(dc.api_origin().unwrap_or("http://127.0.0.1:9")).unwrap();
        Api::new(origin, &Secret::new(token), dc, &WorkatoSettings::default()).unwrap()
    }

    fn refusal(status: u16) -> HttpError {
        HttpError::Status { request: format!("GET {USERS_ME}"), status, message: Some("Unauthorized".into()) }
    }

    #[test]
    fn a_refused_token_from_another_data_center_is_wrong_region() {
        for status in [401, 403] {
            let e = api(DataCenter::Us, "wrkaeu-eyJabc").refused(&refusal(status));
            assert_eq!(e.kind(), ErrorKind::WrongRegion, "{status}: {e}");
            assert!(e.message().contains("EU (app.eu.workato.com)"), "{e}");
            assert!(e.message().contains("US (www.workato.com"), "{e}");
            assert!(e.remediation().contains("data_center = \"eu\""), "{}", e.remediation());
            assert!(!e.message().contains("eyJabc"), "the token leaked: {e}");
        }
        let e = api(DataCenter::Eu, "wrka-eyJabc").refused(&refusal(401));
        assert_eq!(e.kind(), ErrorKind::WrongRegion, "{e}");
        assert!(e.remediation().contains("data_center = \"us\""), "{}", e.remediation());
    }

    #[test]
    fn a_refused_token_from_the_same_or_an_unknown_data_center_is_not_wrong_region() {
        for (dc, token) in [
            (DataCenter::Us, "wrkaus-eyJabc"),
            (DataCenter::Eu, "wrkaeu-eyJabc"),
            (DataCenter::Eu, "some-other-token"),
            (DataCenter::Custom, "wrkaeu-eyJabc"),
        ] {
            let e = api(dc, token).refused(&refusal(401));
            assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{dc:?} {token}: {e}");
            let e = api(dc, token).refused(&refusal(403));
            assert_eq!(e.kind(), ErrorKind::MissingPermission, "{dc:?} {token}: {e}");
            assert_eq!(e.permissions(), [WORKSPACE_DETAILS, GET_COLLABORATORS]);
        }
    }
}

//! `check`: a token (its refusals tell a bad secret, an unknown app and an unknown tenant
//! apart), the tenant's name, and each permission the app lacks, found by probing the
//! endpoints a sync reads and reading their 403s. The token itself is not read: Microsoft
//! asks clients not to parse tokens of APIs they do not own.

use roster_core::{AccessCheck, CheckReport, ConnectorError};
use serde_json::Value;

use crate::api::{Api, Failure};
use crate::directory::{self, ROLES, SKUS};
use crate::error::MsError;
use crate::listing::{SignInRefusal, USERS};
use crate::pages::Page;
use crate::permissions::{self, AUDIT_LOG_READ_ALL, DIRECTORY_READ_ALL, USER_READ_ALL};

/// `Ok(None)` when Graph answered, `Ok(Some(refusal))` on a 403.
async fn probe(api: &Api, path: &str, select: Option<&str>) -> Result<Option<MsError>, ConnectorError> {
    let query: Vec<(&str, String)> = match select {
        Some(s) => vec![("$select", s.to_owned()), ("$top", "1".to_owned())],
        None => Vec::new(),
    };
    match api.get::<Page<Value>>(path, &query).await {
        Ok(_) => Ok(None),
        Err(Failure::Graph(g)) if g.status == 403 => Ok(Some(g)),
        Err(f) => Err(f.into_error(&format!("GET {path}"), USER_READ_ALL)),
    }
}

pub(crate) async fn run(api: &Api) -> Result<CheckReport, ConnectorError> {
    api.token(false).await?;
    let users = probe(api, USERS, Some("id")).await?;
    let sign_in = probe(api, USERS, Some("id,signInActivity")).await?;
    let (tenant, org_refused) = match directory::organization(api).await {
        Ok(record) => (record, None),
        Err(Failure::Graph(g)) if g.status == 403 => (None, Some(g)),
        Err(f) => return Err(f.into_error(&format!("GET {}", directory::ORGANIZATION), DIRECTORY_READ_ALL)),
    };
    let mut directory_refused: Vec<String> = Vec::new();
    for (path, refusal) in [
        (directory::ORGANIZATION, org_refused),
        (SKUS, probe(api, SKUS, None).await?),
        (ROLES, probe(api, ROLES, None).await?),
    ] {
        if let Some(g) = refusal {
            directory_refused.push(format!("GET {path}: {}", g.describe()));
        }
    }
    let sign_in = sign_in.as_ref().map(|g| SignInRefusal::of(g).ok_or_else(|| g.describe()));
    let mut missing = Vec::new();
    if users.is_some() {
        missing.push(USER_READ_ALL);
    }
    if !directory_refused.is_empty() {
        missing.push(DIRECTORY_READ_ALL);
    }
    if sign_in == Some(Ok(SignInRefusal::NoAuditLog)) {
        missing.push(AUDIT_LOG_READ_ALL);
    }
    if let Some(g) = users {
        return Err(ConnectorError::missing_permission(
            format!(
                "GET {USERS}: {}; the app cannot list users and lacks {}",
                g.describe(),
                missing.join(", ")
            ),
            missing.iter().map(|p| (*p).to_owned()).collect(),
        )
        .with_remediation(permissions::grant(&missing)));
    }
    let access = vec![
        AccessCheck { capability: format!("obtain an access token and list users ({USER_READ_ALL})"), granted: true, detail: None },
        AccessCheck {
            capability: format!("read the tenant's name, licence totals and directory roles ({DIRECTORY_READ_ALL})"),
            granted: directory_refused.is_empty(),
            detail: (!directory_refused.is_empty()).then(|| {
                format!(
                    "{}; without it the tenant is unnamed, licences show SKU ids and roles are empty; {}",
                    directory_refused.join("; "),
                    permissions::grant(&[DIRECTORY_READ_ALL])
                )
            }),
        },
        AccessCheck {
            capability: format!("read last sign-in (signInActivity: {AUDIT_LOG_READ_ALL} and Entra ID P1/P2)"),
            granted: sign_in.is_none(),
            detail: sign_in.map(|why| {
                let why = match why {
                    Ok(SignInRefusal::NoPremium) => format!(
                        "{}; graph does not say whether {AUDIT_LOG_READ_ALL} is granted until the tenant has P1/P2",
                        SignInRefusal::NoPremium.explain()
                    ),
                    Ok(r) => r.explain(),
                    Err(other) => other,
                };
                format!("sign-in activity will not be available, every last visit is left empty: {why}")
            }),
        },
    ];
    Ok(CheckReport::new(tenant.unwrap_or_else(|| directory::configured(api.tenant())), access))
}

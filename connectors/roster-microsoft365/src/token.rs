//! The client-credentials grant: `POST /{tenant}/oauth2/v2.0/token` with a form body and
//! scope `<graph origin>/.default`, and what its refusals mean (by AADSTS number).

use std::time::{Duration, Instant};

use roster_core::{ConnectorError, Secret};
use roster_http::{AccessToken, Auth, Body, Http, Method, VendorReader};
use serde::Deserialize;

use crate::cloud::Cloud;
use crate::error::MsError;

/// The app registration, as configured.
#[derive(Debug)]
pub(crate) struct App {
    pub tenant: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub cloud: Cloud,
    /// `<graph origin>/.default`.
    pub scope: String,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Asks for a new token.
pub(crate) async fn mint(login: &Http, app: &App) -> Result<AccessToken, ConnectorError> {
    let asked_at = Instant::now();
    let path = format!("/{}/oauth2/v2.0/token", app.tenant);
    let fields = [
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.expose()),
        ("scope", app.scope.as_str()),
        ("grant_type", "client_credentials"),
    ];
    let body = Body::Form { fields: &fields, secrets: &[&app.client_secret] };
    let mut reader = VendorReader::<TokenResponse, MsError>::new(vec![app.client_secret.expose()]);
    match login.send_body(Method::POST, &path, &[], Auth::None, body, &mut reader).await {
        Ok(Ok(r)) if !r.access_token.trim().is_empty() => {
            let lifetime = Duration::from_secs(r.expires_in.unwrap_or(3599));
            Ok(AccessToken::new(Secret::new(r.access_token), asked_at, lifetime, None))
        }
        Ok(Ok(_)) => {
            Err(ConnectorError::invalid_response("the token endpoint answered without an access token"))
        }
        Ok(Err(e)) => Err(refused(&e, app)),
        Err(e) => Err(e.into_connector_error()),
    }
}

const SECRETS_PAGE: &str =
    "in the Microsoft Entra admin center, open App registrations → this app → Certificates & secrets";

/// The error for a token request Microsoft refused.
pub(crate) fn refused(e: &MsError, app: &App) -> ConnectorError {
    let what = e.describe();
    let cloud = app.cloud.id();
    if e.has_aadsts(7000215) || e.has_aadsts(7000218) || (e.status == 401 && e.code_is("invalid_client")) {
        return ConnectorError::invalid_credentials(format!(
            "microsoft refused the client secret ({what}): it is wrong or expired, or the secret's ID was given instead of its value"
        ))
        .with_remediation(format!("{SECRETS_PAGE}, add a new client secret and copy its Value (not its Secret ID) into client_secret"));
    }
    if e.has_aadsts(700016) || e.code_is("unauthorized_client") {
        return ConnectorError::invalid_credentials(format!(
            "microsoft found no application with this client_id in tenant {} ({what})",
            app.tenant
        ))
        .with_remediation(
            "copy the Application (client) ID from the app registration's Overview page, and check that tenant_id names \
             the tenant the app is registered in (or where an administrator consented to it)",
        );
    }
    if e.has_aadsts(90002) || e.has_aadsts(900023) || e.code_is("invalid_tenant") {
        return ConnectorError::invalid_credentials(format!(
            "microsoft found no tenant \"{}\" in the {cloud} cloud ({what})",
            app.tenant
        ))
        .with_remediation(format!(
            "set tenant_id to the Directory (tenant) ID or a verified domain, and cloud to the cloud the tenant lives in (it is \"{cloud}\")"
        ));
    }
    let custom = "with cloud = \"custom\", set base_url to the origin that serves both /{tenant}/oauth2/v2.0/token and /v1.0";
    if e.has_aadsts(70011) || e.code_is("invalid_scope") {
        return ConnectorError::config(format!(
            "the token endpoint refused the scope {} ({what})",
            app.scope
        ))
        .with_remediation(custom);
    }
    if e.status == 404 {
        return ConnectorError::config(format!("{what}: the base url does not serve the token endpoint"))
            .with_remediation(custom);
    }
    ConnectorError::invalid_credentials(format!("microsoft refused the token request ({what})"))
        .with_remediation(format!(
            "{SECRETS_PAGE} and check the client secret; check tenant_id and client_id on the Overview page"
        ))
}

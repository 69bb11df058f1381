//! The account's `[credentials]` table. Its JSON Schema is the setup form.

use roster_core::{FieldError, Secret};
use roster_http::parse_origin;
use schemars::{JsonSchema, Schema};
use serde::Deserialize;
use url::Url;

use crate::cloud::Cloud;

/// # Microsoft 365 tenant
///
/// Connects one Microsoft 365 (Entra ID) tenant through an app registration that signs in
/// as itself (client credentials). In the Microsoft Entra admin center, open App
/// registrations → New registration, add a client secret, then under API permissions add
/// these Microsoft Graph application permissions and grant admin consent: User.Read.All (to
/// list users; required), Directory.Read.All (the tenant's name, licence totals and
/// directory roles) and AuditLog.Read.All (last sign-in, which also needs Entra ID P1 or P2).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = base_url_only_with_custom)]
#[schemars(extend("examples" = [
    {"tenant_id": "contoso.onmicrosoft.com", "client_id": "535fb089-9ff3-47b6-9bfb-4f1264799865", "client_secret": "example-client-secret", "cloud": "global"},
    {"tenant_id": "84841066-274d-4ec0-a5c1-276be684bdd3", "client_id": "535fb089-9ff3-47b6-9bfb-4f1264799865", "client_secret": "example-client-secret", "cloud": "custom", "base_url": "https://graph-proxy.example.com"}
]))]
pub struct Microsoft365Credentials {
    /// # Tenant ID
    ///
    /// The "Directory (tenant) ID" GUID on the app registration's Overview page, or one of
    /// the tenant's verified domains (contoso.onmicrosoft.com).
    #[schemars(length(min = 1))]
    pub tenant_id: String,

    /// # Client ID
    ///
    /// The "Application (client) ID" on the same page.
    #[schemars(length(min = 1))]
    pub client_id: String,

    /// # Client secret
    ///
    /// The secret's Value (not its Secret ID), shown once under Certificates & secrets when
    /// it is added. Secrets expire; add a new one before then.
    pub client_secret: Secret,

    /// # Cloud
    ///
    /// Where the tenant lives: Microsoft's global cloud, a US Government cloud, or China.
    /// An app registration only works in its own cloud.
    pub cloud: Cloud,

    /// # Base URL
    ///
    /// Only with the custom cloud: the one origin that serves both
    /// /{tenant}/oauth2/v2.0/token and Graph's /v1.0, such as https://graph-proxy.example.com.
    #[serde(default)]
    #[schemars(url, example = &"https://graph-proxy.example.com")]
    pub base_url: Option<String>,
}

/// `base_url` is shown and required with `custom`, and refused otherwise.
fn base_url_only_with_custom(schema: &mut Schema) {
    roster_core::schema::only_when(schema, "base_url", "cloud", "custom");
}

/// The tenant, and where its token service and Graph are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub tenant: String,
    pub login: Url,
    pub graph: Url,
}

/// Checks the values that depend on each other and resolves the origins; one error per
/// problem, keyed by its full path.
pub(crate) fn validate(c: &Microsoft365Credentials) -> Result<Resolved, Vec<FieldError>> {
    let mut errors = Vec::new();
    let tenant = c.tenant_id.trim();
    if let Err(why) = tenant_problem(tenant) {
        errors.push(FieldError::new("credentials.tenant_id", why));
    }
    if c.client_id.trim().is_empty() {
        errors.push(FieldError::new(
            "credentials.client_id",
            "must not be empty: copy the Application (client) ID from the app registration's Overview page",
        ));
    }
    match origins(c) {
        Ok((login, graph)) if errors.is_empty() => Ok(Resolved { tenant: tenant.to_owned(), login, graph }),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

fn tenant_problem(t: &str) -> Result<(), String> {
    if t.is_empty() {
        return Err(
            "must not be empty: copy the Directory (tenant) ID from the app registration's Overview page"
                .into(),
        );
    }
    if ["common", "organizations", "consumers"].iter().any(|m| t.eq_ignore_ascii_case(m)) {
        return Err(format!(
            "\"{t}\" names no tenant; give the tenant's own ID (a GUID) or a verified domain"
        ));
    }
    let guid = t.len() == 36 && t.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let domain = t.contains('.') && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if guid || domain {
        Ok(())
    } else {
        Err("expected a GUID such as 84841066-274d-4ec0-a5c1-276be684bdd3 or a domain such as contoso.onmicrosoft.com".into())
    }
}

/// `(token service, Graph)`: the cloud's own, or `base_url` for both with `custom`.
fn origins(c: &Microsoft365Credentials) -> Result<(Url, Url), FieldError> {
    const KEY: &str = "credentials.base_url";
    let base = c.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if let Some((login, graph)) = c.cloud.origins() {
        if base.is_some() {
            let why =
                format!("only allowed when cloud is \"custom\"; remove it (cloud is \"{}\")", c.cloud.id());
            return Err(FieldError::new(KEY, why));
        }
        let parse =
            |o: &str| Url::parse(o).map_err(|_| FieldError::new("credentials.cloud", "has no known origin"));
        return Ok((parse(login)?, parse(graph)?));
    }
    let Some(url) = base else {
        let why =
            "required when cloud is \"custom\": the origin that serves /{tenant}/oauth2/v2.0/token and /v1.0";
        return Err(FieldError::new(KEY, why));
    };
    let origin = parse_origin(url).map_err(|e| FieldError::new(KEY, e.to_string()))?;
    Ok((origin.clone(), origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(tenant: &str, cloud: Cloud, base_url: Option<&str>) -> Microsoft365Credentials {
        Microsoft365Credentials {
            tenant_id: tenant.into(),
            client_id: "client".into(),
            client_secret: Secret::new("secret"),
            cloud,
            base_url: base_url.map(str::to_owned),
        }
    }

    fn keys(c: Microsoft365Credentials) -> Vec<String> {
        validate(&c).err().unwrap_or_default().into_iter().map(|e| e.key).collect()
    }

    #[test]
    fn clouds_resolve_to_their_origins() {
        let r = validate(&creds("contoso.com", Cloud::UsGovDod, None)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (r.login.as_str(), r.graph.as_str()),
            ("https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/")
        );
        let r = validate(&creds(
            "84841066-274d-4ec0-a5c1-276be684bdd3",
            Cloud::Custom,
            Some("http://127.0.0.1:9"),
        ))
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.login, r.graph);
    }

    #[test]
    fn bad_values_name_their_key() {
        assert_eq!(keys(creds("common", Cloud::Global, None)), ["credentials.tenant_id"]);
        assert_eq!(keys(creds("con/toso", Cloud::Global, None)), ["credentials.tenant_id"]);
        assert_eq!(keys(creds("contoso.com", Cloud::Custom, None)), ["credentials.base_url"]);
        assert_eq!(
            keys(creds("contoso.com", Cloud::China, Some("https://x.example.com"))),
            ["credentials.base_url"]
        );
        assert_eq!(
            keys(creds("contoso.com", Cloud::Custom, Some("http://graph.example.com"))),
            ["credentials.base_url"]
        );
        let mut blank = creds("", Cloud::Global, None);
        blank.client_id = " ".into();
        assert_eq!(keys(blank), ["credentials.tenant_id", "credentials.client_id"]);
    }
}

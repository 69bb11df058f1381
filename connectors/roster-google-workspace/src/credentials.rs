//! The account's `[credentials]` table. Its JSON Schema is the setup form.

use roster_core::{FieldError, Secret};
use roster_http::parse_origin;
use schemars::{JsonSchema, Schema};
use serde::Deserialize;
use serde_json::json;
use url::Url;

use crate::key::ServiceAccountKey;

/// # Google Workspace customer
///
/// Connects one Google Workspace customer through a service account with domain-wide
/// delegation. In the Google Cloud console, enable the Admin SDK API and the Enterprise
/// License Manager API in a project, create a service account there and add a JSON key.
/// Then, in the Admin console, open Security → Access and data control → API controls →
/// Domain-wide delegation, and add the service account's client ID with these three OAuth
/// scopes: https://www.googleapis.com/auth/admin.directory.user.readonly,
/// https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly and
/// https://www.googleapis.com/auth/apps.licensing.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = examples)]
pub struct GoogleWorkspaceCredentials {
    /// # Service account key
    ///
    /// The service account's whole JSON key file (Google Cloud console → IAM & Admin →
    /// Service accounts → the account → Keys → Add key → Create new key → JSON): choose
    /// the file or paste its text. It is checked when saved and never shown again.
    #[schemars(extend("contentMediaType" = "application/json"))]
    pub service_account_key: Secret,

    /// # Admin email
    ///
    /// The super admin the service account acts as, such as admin@example.com: an active
    /// super admin of the domain.
    #[schemars(email)]
    pub admin_email: String,

    /// # Customer ID
    ///
    /// The customer to read: my_customer (the admin's own) or its ID, such as C03az79cb
    /// (Admin console → Account → Account settings).
    #[serde(default = "my_customer")]
    #[schemars(length(min = 1))]
    pub customer_id: String,

    /// # Primary domain
    ///
    /// The customer's primary domain, such as example.com (Admin console → Account →
    /// Domains → Manage domains): licences are read for it.
    #[schemars(length(min = 1))]
    pub domain: String,

    /// # Base URL
    ///
    /// Optional: one origin that serves both the Directory API (/admin/directory/v1) and
    /// the Licensing API (/apps/licensing/v1), such as a proxy. Leave it empty for
    /// admin.googleapis.com and licensing.googleapis.com. Tokens always come from the key
    /// file's token_uri.
    #[serde(default)]
    #[schemars(url, example = &"https://google-proxy.example.com")]
    pub base_url: Option<String>,
}

fn my_customer() -> String {
    "my_customer".to_owned()
}

/// The form's example key file, on one line (so that it fills a single-line input as
/// well). Its private key is an **example**, made for this form and trusted by nothing
/// (`src/example_key.pem`).
pub fn example_key_file() -> String {
    let file = json!({
        "type": "service_account",
        "project_id": "roster-sync-472713",
        "private_key_id": "5e3d8075b2699fc41fff17eb4e860a7c2bcf3ccf",
        "private_key": include_str!("example_key.pem"),
        "client_email": "roster-reader@roster-sync-472713.iam.gserviceaccount.com",
        "client_id": "115035449470492273028",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "universe_domain": "googleapis.com"
    });
    file.to_string()
}

fn examples(schema: &mut Schema) {
    let key = example_key_file();
    schema.insert(
        "examples".into(),
        json!([
            {"service_account_key": key, "admin_email": "admin@example.com", "customer_id": "my_customer",
             "domain": "example.com"},
            {"service_account_key": key, "admin_email": "admin@example.com", "customer_id": "C03az79cb",
             "domain": "example.com", "base_url": "https://google-proxy.example.com"}
        ]),
    );
}

/// Where requests go: the key's token endpoint, and the API origins.
#[derive(Debug, Clone)]
pub(crate) struct Origins {
    pub directory: Url,
    /// `None`: the Licensing API is on the directory's origin (a `base_url`).
    pub licensing: Option<Url>,
}

/// The checked credentials.
#[derive(Debug)]
pub(crate) struct Checked {
    pub key: ServiceAccountKey,
    pub admin_email: String,
    pub customer_id: String,
    pub domain: String,
    pub origins: Origins,
}

/// Checks every field and parses the key; one error per problem.
pub(crate) fn check(c: &GoogleWorkspaceCredentials) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let key = ServiceAccountKey::parse(c.service_account_key.expose()).map_err(|e| errors.push(e)).ok();
    let admin_email = c.admin_email.trim();
    if !admin_email.contains('@') || admin_email.contains(char::is_whitespace) {
        errors.push(FieldError::new(
            "credentials.admin_email",
            "must be an email address, such as admin@example.com",
        ));
    }
    let customer_id = c.customer_id.trim();
    if customer_id.is_empty() || !customer_id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
        errors.push(FieldError::new(
            "credentials.customer_id",
            "must be my_customer or a customer ID such as C03az79cb",
        ));
    }
    let domain = c.domain.trim().to_ascii_lowercase();
    if domain.is_empty() || domain.contains(['@', '/', ' ']) || !domain.contains('.') {
        errors.push(FieldError::new(
            "credentials.domain",
            "must be a domain name such as example.com, without @ or https://",
        ));
    }
    let origins = match c.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => parse_origin(url)
            .map(|u| Origins { directory: u, licensing: None })
            .map_err(|e| errors.push(FieldError::new("credentials.base_url", e.to_string())))
            .ok(),
        None => {
            match (Url::parse("https://admin.googleapis.com"), Url::parse("https://licensing.googleapis.com"))
            {
                (Ok(directory), Ok(licensing)) => Some(Origins { directory, licensing: Some(licensing) }),
                _ => None,
            }
        }
    };
    match (key, origins) {
        (Some(key), Some(origins)) if errors.is_empty() => Ok(Checked {
            key,
            admin_email: admin_email.to_owned(),
            customer_id: customer_id.to_owned(),
            domain,
            origins,
        }),
        _ => Err(errors),
    }
}

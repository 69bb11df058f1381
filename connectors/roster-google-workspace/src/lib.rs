//! The Google Workspace connector: every user of a customer with their email, name,
//! status, last login, admin roles and licences, and licence counts per SKU.
//!
//! It signs its own RS256 assertion with the service account's JSON key and exchanges it
//! at the key's `token_uri` for a token that impersonates a super admin (domain-wide
//! delegation). It reads the Directory API (users, roles, role assignments) and the
//! Enterprise License Manager (one product at a time, keyed by the primary domain). Rate
//! limits come back as 403 `rateLimitExceeded`/`userRateLimitExceeded` and are waited out.
//! See `API.md` beside this crate for what is documented and what is inferred.

mod api;
mod check;
mod credentials;
mod errors;
mod google_error;
mod key;
mod licenses;
mod pages;
mod roles;
mod scopes;
mod settings;
mod tenant;
mod token;
mod users;

use async_trait::async_trait;
use roster_core::{
    CheckReport, Connector, ConnectorError, Field, FieldCoverage, FieldError, Sink, SyncContext,
};
use serde_json::Value;

pub use credentials::{GoogleWorkspaceCredentials, example_key_file};
pub use settings::{DEFAULT_LICENSE_PRODUCTS, GoogleWorkspaceSettings};

use api::{Api, Service};
use check::USERS_PATH;
use pages::Pages;
use roles::Roles;
use scopes::{LICENSING, ROLES, USERS};

/// The Google Workspace connector for one customer.
pub struct GoogleWorkspace {
    api: Api,
    settings: GoogleWorkspaceSettings,
    customer_id: String,
    domain: String,
}

roster_core::register_connector!(GoogleWorkspace);

#[async_trait]
impl Connector for GoogleWorkspace {
    const ID: &'static str = "google_workspace";
    const DISPLAY_NAME: &'static str = "Google Workspace";
    const DESCRIPTION: &'static str = "Every user of a Google Workspace customer with status, last login, admin roles and licences, through a service account with domain-wide delegation.";
    const COVERAGE: &'static [FieldCoverage] = &[
        FieldCoverage::new(Field::Id, "GET /admin/directory/v1/users: id"),
        FieldCoverage::new(Field::Email, "GET /admin/directory/v1/users: primaryEmail"),
        FieldCoverage::new(Field::Name, "GET /admin/directory/v1/users: name.fullName"),
        FieldCoverage::new(
            Field::Status,
            "GET /admin/directory/v1/users: suspended or archived → suspended, else active",
        ),
        FieldCoverage::new(
            Field::LastVisitAt,
            "GET /admin/directory/v1/users: lastLoginTime (the epoch, for never signed in, is empty)",
        ),
        FieldCoverage::new(
            Field::Roles,
            "GET /admin/directory/v1/customer/{customer}/roleassignments (users only; scope customer or org_unit:<orgUnitId>), named by roles' roleName",
        ),
        FieldCoverage::new(
            Field::LicenseTypes,
            "GET /apps/licensing/v1/product/{productId}/users?customerId={domain}: skuName of each assignment whose userId is the user's primaryEmail",
        ),
        FieldCoverage::new(
            Field::Attributes,
            "GET /admin/directory/v1/users: isAdmin, isDelegatedAdmin, orgUnitPath, isEnrolledIn2Sv, isEnforcedIn2Sv, creationTime, customerId, suspensionReason, archived, agreedToTerms",
        ),
    ];

    type Credentials = GoogleWorkspaceCredentials;
    type Settings = GoogleWorkspaceSettings;

    fn new(
        credentials: GoogleWorkspaceCredentials,
        settings: GoogleWorkspaceSettings,
    ) -> Result<Self, Vec<FieldError>> {
        let c = credentials::check(&credentials)?;
        let product_id = |p: &String| {
            !p.is_empty() && p.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        };
        if !settings.license_products.iter().all(product_id) {
            return Err(vec![FieldError::new(
                "settings.license_products",
                "must be Google product IDs such as Google-Apps or 101031 (letters, digits, - and _)",
            )]);
        }
        let api = Api::new(c.key, c.admin_email, c.origins, &settings)
            .map_err(|e| vec![FieldError::new("credentials", e.message().to_owned())])?;
        Ok(Self { api, settings, customer_id: c.customer_id, domain: c.domain })
    }

    async fn check(&self) -> Result<CheckReport, ConnectorError> {
        check::run(self).await
    }

    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
        tracing::debug!(account = %ctx.account_id, "syncing a google workspace customer");
        let api = &self.api;
        api.token(false).await?;
        let missing = api.missing_scopes();
        let not_delegated = |scope: &str, what: &str| {
            format!(
                "{what}: the scope {scope} is not delegated; {}",
                scopes::delegate(api.key.client_id.as_deref(), &[scope])
            )
        };
        let roles = if missing.contains(&ROLES) {
            sink.note(&not_delegated(ROLES, "admin roles were not read"));
            Roles::default()
        } else {
            match roles::read(api, &self.customer_id).await? {
                Ok(roles) => roles,
                Err((request, e)) => {
                    let e = errors::refused(&request, &e, api, ROLES);
                    if e.kind() != roster_core::ErrorKind::MissingPermission {
                        return Err(e);
                    }
                    sink.note(&format!("admin roles were not read ({}); {}", e.message(), e.remediation()));
                    Roles::default()
                }
            }
        };
        let licenses = if missing.contains(&LICENSING) {
            sink.note(&not_delegated(LICENSING, "licences were not read"));
            None
        } else {
            Some(licenses::read(api, &self.domain, &self.settings.license_products).await?)
        };

        let query = vec![("customer", self.customer_id.clone()), ("maxResults", "500".to_owned())];
        let mut pages = Pages::new(api, Service::Directory, USERS_PATH.to_owned(), query);
        let (mut first, mut unreadable_times, mut anyone_at_domain) = (None::<Value>, 0u64, false);
        while let Some(items) =
            pages.next().await?.map_err(|e| errors::refused(&pages.request(), &e, api, USERS))?
        {
            for raw in items {
                let licenses_of = |email: &str| licenses.as_ref().map(|l| l.of(email)).unwrap_or_default();
                let mapped = match users::map(&raw, |id| roles.of(id), licenses_of) {
                    Ok(m) => m,
                    Err(reason) => {
                        sink.skipped(&users::record_name(&raw), &reason);
                        continue;
                    }
                };
                unreadable_times += u64::from(mapped.unreadable_time);
                anyone_at_domain |=
                    mapped.user.email.as_deref().is_some_and(|e| tenant::at_domain(e, &self.domain));
                first.get_or_insert(raw);
                sink.user(mapped.user).await?;
            }
        }
        if roles.group_assignments > 0 {
            sink.note(&format!(
                "{} admin role assignments to groups were skipped: roster lists the roles assigned to users",
                roles.group_assignments
            ));
        }
        if unreadable_times > 0 {
            sink.note(&format!("{unreadable_times} users had a lastLoginTime that could not be read; their last visit is left empty"));
        }
        let licenses = licenses.unwrap_or_default();
        if !licenses.refused.is_empty() && licenses.refused.len() == self.settings.license_products.len() {
            let (product, e) = &licenses.refused[0];
            sink.note(&format!(
                "licences were not read: google refused every product for customerId={} ({} for {product}); {}",
                self.domain,
                e.describe(),
                tenant::licensing_advice(&self.domain, anyone_at_domain)
            ));
        }
        sink.tenant(tenant::record(&self.customer_id, &self.domain, first.as_ref())).await?;
        for license in licenses.types() {
            sink.license(license).await?;
        }
        Ok(())
    }

    fn request_stats(&self) -> roster_core::RequestStats {
        self.api.request_stats()
    }
}

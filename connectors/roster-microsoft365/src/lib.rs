//! The Microsoft 365 connector: every user of an Entra ID tenant (members and guests,
//! enabled, disabled and invited) with email, name, status, last sign-in, directory roles
//! and licences, and the tenant's licence totals per SKU.
//!
//! It signs in as an app registration with the client-credentials grant
//! (`POST /{tenant}/oauth2/v2.0/token`), caches the token and mints a new one once when
//! Graph refuses it, and reads `/v1.0/subscribedSkus`, `/v1.0/directoryRoles` and their
//! members, `/v1.0/users` (with `signInActivity` when the tenant and the app allow it) and
//! `/v1.0/users/delta` (a delta link kept as connector state). See `API.md` beside this crate
//! for what is documented and what is inferred.

mod api;
mod check;
mod cloud;
mod credentials;
mod delta;
mod directory;
mod error;
mod listing;
mod pages;
mod permissions;
mod settings;
mod token;
mod users;

use async_trait::async_trait;
use roster_core::{
    CheckReport, Connector, ConnectorError, Field, FieldCoverage, FieldError, Sink, SyncContext,
};

pub use cloud::Cloud;
pub use credentials::Microsoft365Credentials;
pub use settings::Microsoft365Settings;

use api::{Api, Failure};
use permissions::DIRECTORY_READ_ALL;
use token::App;
use users::Directory;

/// The Microsoft 365 connector for one tenant.
pub struct Microsoft365 {
    api: Api,
    settings: Microsoft365Settings,
}

roster_core::register_connector!(Microsoft365);

/// A directory read the sync can do without: a 403 becomes a note, anything else fails.
async fn optional<T>(
    read: impl std::future::Future<Output = Result<T, Failure>>,
    request: &str,
    without: &str,
    sink: &mut dyn Sink,
) -> Result<Option<T>, ConnectorError> {
    match read.await {
        Ok(v) => Ok(Some(v)),
        Err(Failure::Graph(g)) if g.status == 403 => {
            let grant = permissions::grant(&[DIRECTORY_READ_ALL]);
            sink.note(&format!("{request}: {}; {without}; {grant}", g.describe()));
            Ok(None)
        }
        Err(f) => Err(f.into_error(request, DIRECTORY_READ_ALL)),
    }
}

#[async_trait]
impl Connector for Microsoft365 {
    const ID: &'static str = "microsoft365";
    const DISPLAY_NAME: &'static str = "Microsoft 365";
    const DESCRIPTION: &'static str = "Every Entra ID user of a Microsoft 365 tenant with status, last sign-in, directory roles and licences, and the licence totals of each SKU.";
    const COVERAGE: &'static [FieldCoverage] = &[
        FieldCoverage::new(Field::Id, "GET /v1.0/users: id (the object id)"),
        FieldCoverage::new(Field::Email, "GET /v1.0/users: mail, else userPrincipalName"),
        FieldCoverage::new(Field::Name, "GET /v1.0/users: displayName"),
        FieldCoverage::new(
            Field::Status,
            "GET /v1.0/users: accountEnabled false → suspended; else a Guest with externalUserState PendingAcceptance → invited; else active; gone (or @removed in /v1.0/users/delta): removed",
        ),
        FieldCoverage::new(
            Field::LastVisitAt,
            "GET /v1.0/users: signInActivity, the later of lastSignInDateTime and lastNonInteractiveSignInDateTime (needs Entra ID P1/P2 and AuditLog.Read.All)",
        ),
        FieldCoverage::new(
            Field::Roles,
            "GET /v1.0/directoryRoles and each role's members: {scope \"directory\", name: the role's displayName}",
        ),
        FieldCoverage::new(
            Field::LicenseTypes,
            "GET /v1.0/users: assignedLicenses[].skuId, named by GET /v1.0/subscribedSkus skuPartNumber",
        ),
        FieldCoverage::new(
            Field::Attributes,
            "GET /v1.0/users: userPrincipalName, userType, externalUserState, signInActivity.lastSuccessfulSignInDateTime",
        ),
    ];

    type Credentials = Microsoft365Credentials;
    type Settings = Microsoft365Settings;

    fn new(
        credentials: Microsoft365Credentials,
        settings: Microsoft365Settings,
    ) -> Result<Self, Vec<FieldError>> {
        let resolved = credentials::validate(&credentials)?;
        let graph = resolved.graph.as_str().trim_end_matches('/');
        let app = App {
            tenant: resolved.tenant.clone(),
            client_id: credentials.client_id.trim().to_owned(),
            scope: format!("{graph}/.default"),
            client_secret: credentials.client_secret,
            cloud: credentials.cloud,
        };
        let api = Api::new(resolved, app, &settings)
            .map_err(|e| vec![FieldError::new("credentials", e.message().to_owned())])?;
        Ok(Self { api, settings })
    }

    async fn check(&self) -> Result<CheckReport, ConnectorError> {
        check::run(&self.api).await
    }

    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
        tracing::debug!(account = %ctx.account_id, "syncing a microsoft 365 tenant");
        let api = &self.api;
        let skus = optional(
            directory::skus(api),
            "GET /v1.0/subscribedSkus",
            "licence totals are left empty and licences show SKU ids",
            sink,
        )
        .await?;
        let roles = optional(
            directory::roles(api),
            "GET /v1.0/directoryRoles",
            "directory roles are left empty",
            sink,
        )
        .await?;
        let tenant =
            optional(directory::organization(api), "GET /v1.0/organization", "the tenant is unnamed", sink)
                .await?;
        let (licenses, sku_names) = skus.unwrap_or_default();
        let dir = Directory { skus: sku_names, roles: roles.unwrap_or_default() };
        let delta = delta::read(api, ctx.previous_state.as_ref(), sink).await?;
        let state = delta.state();
        let out = listing::run(api, sink, &dir, delta.changes, self.settings.page_size).await?;
        for note in out.notes() {
            sink.note(&note);
        }
        if let Some(state) = state {
            sink.state(state).await?;
        }
        for license in licenses {
            sink.license(license).await?;
        }
        sink.tenant(tenant.flatten().unwrap_or_else(|| directory::configured(api.tenant()))).await?;
        Ok(())
    }

    fn request_stats(&self) -> roster_core::RequestStats {
        self.api.request_stats()
    }
}

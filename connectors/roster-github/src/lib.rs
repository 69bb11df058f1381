//! The GitHub organizations connector: every member (with role), outside collaborator and
//! pending invitation of an organization, their SAML emails, the plan's seats and Copilot
//! licences.
//!
//! It reads members and SAML identities over GraphQL (cursor paging inside the body, errors
//! in a 200), and the organization, outside collaborators, invitations and Copilot seats
//! over REST (`link` paging), on one origin: `api_url` (github.com, or GitHub Enterprise
//! Server's `/api/v3` with GraphQL at `/api/graphql`). Primary and secondary rate limits
//! (403 or 429, budget headers, `retry-after`) and GraphQL rate-limit errors are waited out.
//! See `API.md` beside this crate for what is documented and what is inferred.

mod api;
mod check;
mod copilot;
mod credentials;
mod errors;
mod gql;
mod listing;
mod org;
mod saml;
mod settings;
mod throttle;
mod users;

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use roster_core::{
    CheckReport, Connector, ConnectorError, Field, FieldCoverage, FieldError, Sink, SyncContext,
};

pub use credentials::{DEFAULT_API_URL, GithubCredentials};
pub use settings::GithubSettings;
pub use throttle::SECONDARY_WAIT;
pub use users::ORG as ROLE_SCOPE;

use api::Api;
use copilot::Seats;
use listing::Listing;
use saml::Saml;
use users::Context;

/// The GitHub connector for one organization.
pub struct Github {
    api: Api,
}

roster_core::register_connector!(Github);

#[async_trait]
impl Connector for Github {
    type Credentials = GithubCredentials;
    type Settings = GithubSettings;

    const ID: &'static str = "github";
    const DISPLAY_NAME: &'static str = "GitHub";
    const DESCRIPTION: &'static str = "Every member, outside collaborator and pending invitation of a GitHub organization, with roles, SAML emails, the plan's seats and Copilot licences.";
    const COVERAGE: &'static [FieldCoverage] = &[
        FieldCoverage::new(
            Field::Id,
            "graphql membersWithRole: databaseId; GET /orgs/{org}/outside_collaborators: id; invitations: invitation:<id>",
        ),
        FieldCoverage::new(
            Field::Email,
            "graphql samlIdentityProvider.externalIdentities: samlIdentity.nameId, else the public profile email; invitations: email",
        ),
        FieldCoverage::new(
            Field::Name,
            "graphql / REST user: name, else login; invitations: login, else email",
        ),
        FieldCoverage::new(
            Field::Status,
            "members and outside collaborators → active; GET /orgs/{org}/invitations → invited",
        ),
        FieldCoverage::new(
            Field::LastVisitAt,
            "GET /orgs/{org}/copilot/billing/seats: last_activity_at; Copilot activity only (not GitHub activity), empty without a seat",
        ),
        FieldCoverage::new(
            Field::Roles,
            "membersWithRole edge role (admin, member); outside_collaborator (scope \"org\")",
        ),
        FieldCoverage::new(
            Field::LicenseTypes,
            "GET /orgs/{org}: \"GitHub <plan.name>\" (owners only); Copilot seat plan_type: Copilot Business or Copilot Enterprise",
        ),
        FieldCoverage::new(
            Field::Attributes,
            "login, two_factor_enabled, copilot_last_activity_editor, copilot_pending_cancellation_date; invitations: invitation_role, invitation_source, invited_at, inviter",
        ),
    ];

    fn new(credentials: GithubCredentials, settings: GithubSettings) -> Result<Self, Vec<FieldError>> {
        let endpoints = credentials::validate(&credentials)?;
        let org = credentials.organization.trim().to_owned();
        let api = Api::new(endpoints, org, credentials.token, &settings)
            .map_err(|e| vec![FieldError::new("credentials", e.message().to_owned())])?;
        Ok(Github { api })
    }

    async fn check(&self) -> Result<CheckReport, ConnectorError> {
        check::check(&self.api).await
    }

    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
        tracing::debug!(account = %ctx.account_id, "syncing a github organization");
        let api = &self.api;
        let org = org::read(api).await?;
        let saml = match saml::read(api, false).await? {
            Saml::Identities(identities) => Some(identities),
            Saml::NoProvider => None,
            Saml::Refused(e) => {
                sink.note(&format!(
                    "saml identities could not be read (github answered {}: {}); emails are public profile emails; {}",
                    e.kind,
                    e.message,
                    errors::owner_fix(&api.org)
                ));
                None
            }
        };
        let copilot = match copilot::read(api, false).await? {
            Seats::Read(c) => Some(c),
            Seats::NotEnabled => None,
            Seats::Refused(r) => {
                sink.note(&format!(
                    "copilot seats could not be read ({}); users show no copilot licence or last visit; {}",
                    r.describe(),
                    errors::copilot_fix(&api.org)
                ));
                None
            }
        };
        if org.plan.is_none() {
            sink.note(&format!(
                "github shows the plan only to organization owners: users carry no GitHub licence; {}",
                errors::owner_fix(&api.org)
            ));
        }
        let no_identities = HashMap::new();
        let cx = Context {
            saml: saml.as_ref().unwrap_or(&no_identities),
            copilot: copilot.as_ref(),
            plan: org.licence(),
        };
        let mut listing = Listing { api, sink: &mut *sink, cx: &cx, ids: HashSet::new(), licensed: 0 };
        listing.members().await?;
        listing.rest("outside collaborators", "/outside_collaborators", users::collaborator).await?;
        listing.rest("pending invitations", "/invitations", users::invitation).await?;
        let licensed = listing.licensed;
        sink.tenant(org.record(saml.is_some(), copilot.as_ref().map(|c| c.plan()))).await?;
        for license in org.license_type(licensed).into_iter().chain(copilot.iter().map(|c| c.license_type()))
        {
            sink.license(license).await?;
        }
        Ok(())
    }

    fn request_stats(&self) -> roster_core::RequestStats {
        self.api.request_stats()
    }
}

//! The Zoom connector: every user of a Zoom account (active, deactivated and pending)
//! with their email, name, status, last login, role and license type, and the account's
//! Licensed seat total.
//!
//! It authenticates as a Server-to-Server OAuth app (`POST /oauth/token`, grant
//! `account_credentials`), caches the hour-long token and replaces it before it expires
//! or once when Zoom refuses it, and reads `/v2/users` (per status, cursor paging),
//! `/v2/roles` and `/v2/accounts/me/plans/usage`. Its actions deactivate, activate and
//! remove users and set their license type and account role, reading them with
//! `GET /v2/users/{userId}`. See `API.md` beside this crate for what is documented and
//! what is inferred.

mod account;
mod action_plans;
mod actions;
mod api;
mod cloud;
mod credentials;
mod license;
mod listing;
mod plan;
mod rate_hint;
mod reader;
mod roles;
mod scopes;
mod settings;
mod token;
mod user_api;
mod users;
mod vendor_error;

use std::collections::HashMap;

use async_trait::async_trait;
use roster_core::{
    AccessCheck, ActionArgs, ActionKind, ActionSpec, CheckReport, Connector, ConnectorError, DynPlanner,
    Field, FieldCoverage, FieldError, Planner, Sink, SyncContext, User,
};

pub use cloud::Cloud;
pub use credentials::ZoomCredentials;
pub use license::{LICENSED, name as license_name};
pub use settings::ZoomSettings;

use action_plans::Planned;
use api::{Api, Failure};
use listing::{Listing, USERS_PATH};
use scopes::{LIST_ROLES, LIST_USERS, NEEDS, PLAN_USAGE};
use token::App;
use users::STATUSES;

/// The Zoom connector for one account.
pub struct Zoom {
    api: Api,
    settings: ZoomSettings,
}

roster_core::register_connector!(Zoom);

#[async_trait]
impl Connector for Zoom {
    const ID: &'static str = "zoom";
    const DISPLAY_NAME: &'static str = "Zoom";
    const DESCRIPTION: &'static str = "Every user of a Zoom account with status, last login, role and license type, and the Licensed seat total.";
    const COVERAGE: &'static [FieldCoverage] = &[
        FieldCoverage::new(Field::Id, "GET /v2/users: id; pending users (no id): pending:<email>"),
        FieldCoverage::new(Field::Email, "GET /v2/users: email"),
        FieldCoverage::new(Field::Name, "GET /v2/users: display_name, else first_name + last_name"),
        FieldCoverage::new(
            Field::Status,
            "GET /v2/users?status=: active → active, inactive → suspended, pending → invited; gone: removed (by the store)",
        ),
        FieldCoverage::new(
            Field::LastVisitAt,
            "GET /v2/users: last_login_time (UTC; Zoom updates it at most every 3 days)",
        ),
        FieldCoverage::new(
            Field::Roles,
            "GET /v2/users: role_id, named by GET /v2/roles (scope \"account\")",
        ),
        FieldCoverage::new(
            Field::LicenseTypes,
            "GET /v2/users: type (1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None)",
        ),
        FieldCoverage::new(
            Field::Attributes,
            "GET /v2/users: role_id, user_type, dept, timezone, language, verified, user_created_at, last_client_version",
        ),
    ];

    type Credentials = ZoomCredentials;
    type Settings = ZoomSettings;

    fn new(credentials: ZoomCredentials, settings: ZoomSettings) -> Result<Self, Vec<FieldError>> {
        let origins = credentials::validate(&credentials)?;
        let app = App {
            account_id: credentials.account_id.trim().to_owned(),
            client_id: credentials.client_id.trim().to_owned(),
            client_secret: credentials.client_secret,
            cloud: credentials.cloud,
        };
        let api = Api::new(origins, app, &settings)
            .map_err(|e| vec![FieldError::new("credentials", e.message().to_owned())])?;
        Ok(Self { api, settings })
    }

    async fn check(&self) -> Result<CheckReport, ConnectorError> {
        let token = self.api.token(false).await?;
        let mut access = vec![AccessCheck {
            capability: "obtain an access token (POST /oauth/token)".into(),
            granted: true,
            detail: None,
        }];
        let missing: Vec<String> = match &token.scopes {
            Some(granted) => {
                NEEDS.iter().filter(|n| !n.granted_by(granted)).map(|n| n.scope.to_owned()).collect()
            }
            None => Vec::new(),
        };
        if let Some(need) = NEEDS.iter().find(|n| n.required && missing.iter().any(|s| s == n.scope)) {
            return Err(ConnectorError::missing_permission(
                format!(
                    "the app's token lacks the scopes {}; without {} {}",
                    missing.join(", "),
                    need.scope,
                    need.without
                ),
                missing.clone(),
            )
            .with_remediation(scopes::add_scopes(&missing)));
        }
        let owner = account::owner(&self.api)
            .await
            .map_err(|f| f.into_error(&format!("GET {USERS_PATH}"), &LIST_USERS))?;
        for need in NEEDS {
            let granted = !missing.iter().any(|s| s == need.scope);
            access.push(AccessCheck {
                capability: need.capability.into(),
                granted,
                detail: (!granted).then(|| {
                    format!("without it {}; {}", need.without, scopes::add_scopes(&[need.scope.to_owned()]))
                }),
            });
        }
        let mut report =
            CheckReport::new(account::record(self.api.account_id(), owner.as_ref(), None), access);
        report.actions = scopes::action_checks(actions::ACTIONS, token.scopes.as_deref());
        Ok(report)
    }

    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
        tracing::debug!(account = %ctx.account_id, "syncing a zoom account");
        let roles = match roles::read(&self.api).await {
            Ok(r) => r,
            Err(Failure::Zoom(z)) if z.is_refusal() => {
                sink.note(&format!(
                    "role names could not be read ({}): roles show Owner, Admin and Member by name and other roles by id; {}",
                    z.describe(),
                    scopes::add_scopes(&[LIST_ROLES.scope.to_owned()])
                ));
                HashMap::new()
            }
            Err(f) => return Err(f.into_error(&format!("GET {}", roles::ROLES_PATH), &LIST_ROLES)),
        };

        let mut listing = Listing::new(&self.api, &mut *sink, &roles, self.settings.page_size());
        for status in STATUSES {
            listing.run(status).await?;
        }
        let Listing { tally, owner, unreadable_times, restarts, .. } = listing;

        let plan = match plan::read(&self.api).await {
            Ok(p) => Some(p),
            Err(Failure::Zoom(z)) if z.is_refusal() => {
                let fix = if z.is_missing_scope() {
                    scopes::add_scopes(&[PLAN_USAGE.scope.to_owned()])
                } else {
                    "zoom shows plan usage to paid accounts only".to_owned()
                };
                sink.note(&format!(
                    "license totals could not be read ({}); they are left empty; {fix}",
                    z.describe()
                ));
                None
            }
            Err(f) => return Err(f.into_error(&format!("GET {}", plan::PLAN_USAGE_PATH), &PLAN_USAGE)),
        };
        if unreadable_times > 0 {
            sink.note(&format!(
                "{unreadable_times} users had a last_login_time that could not be read; their last visit is left empty"
            ));
        }
        if restarts > 0 {
            sink.note("a next page token expired during the sync; the affected status was listed again from the start");
        }
        sink.tenant(account::record(self.api.account_id(), owner.as_ref(), plan.as_ref())).await?;
        for license in tally.into_licenses(plan.and_then(|p| p.licensed_total)) {
            sink.license(license).await?;
        }
        Ok(())
    }
    fn request_stats(&self) -> roster_core::RequestStats {
        self.api.request_stats()
    }

    const ACTIONS: &'static [ActionSpec] = actions::ACTIONS;

    fn planner(&self) -> Option<&dyn DynPlanner> {
        Some(self)
    }
}

/// Zoom's actions: the user read as a sync maps it, plans from `action_plans`, and the
/// requests sent by `user_api`.
#[async_trait]
impl Planner for Zoom {
    type Write = action_plans::Write;

    async fn read_user(&self, id: &str) -> Result<Option<User>, ConnectorError> {
        user_api::read(&self.api, id).await
    }

    /// `set_roles` reads the account's roles to find the one named.
    async fn planned(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
    ) -> Result<Planned, ConnectorError> {
        match action {
            ActionKind::SuspendUser | ActionKind::RestoreUser => {
                action_plans::plan_status(action, user, args)
            }
            ActionKind::RemoveUser => action_plans::plan_remove(user, args),
            ActionKind::SetLicense => action_plans::plan_license(user, args),
            ActionKind::SetRoles => action_plans::plan_role(user, args, &user_api::roles(&self.api).await?),
        }
    }

    async fn send(&self, write: action_plans::Write) -> Result<(), ConnectorError> {
        user_api::send(&self.api, &write).await
    }
}

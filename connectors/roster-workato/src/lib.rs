//! The Workato connector: every collaborator of a workspace with their
//! email, name, last activity, role in each environment, and the license
//! type "Workato".
//!
//! It talks to the Workato Developer API (`/api/users/me`, `/api/members`,
//! and, when exact last login is on, `/api/activity_logs`). Its actions remove a
//! collaborator (`DELETE /api/members/:id`) and set their role per environment
//! (`PUT /api/members/:id`), reading them with `GET /api/members/:id`. See
//! `API.md` beside this crate for what is documented and what is inferred.

mod actions;
mod api;
mod audit_log;
mod collaborator;
mod credentials;
mod data_center;
pub mod envelope;
mod member_parser;
mod members;
mod members_reader;
mod permissions;
mod settings;

use async_trait::async_trait;
use roster_core::{
    AccessCheck, ActionArgs, ActionKind, ActionSpec, CheckReport, Connector, ConnectorError, DynPlanner,
    Field, FieldCoverage, FieldError, LicenseType, Planner, Sink, SyncContext, User,
};
use roster_http::HttpError;

pub use credentials::WorkatoCredentials;
pub use data_center::DataCenter;
pub use members::{LICENSE_TYPE, NO_ACCESS, member_parsers_agree, parse_member_json};
pub use settings::WorkatoSettings;

use actions::Planned;
use api::{ACTIVITY_LOGS, Api, MEMBERS};
use audit_log::AuditState;
use members_reader::MembersReader;

/// The Workato connector for one workspace.
pub struct Workato {
    api: Api,
    settings: WorkatoSettings,
}

roster_core::register_connector!(Workato);

#[async_trait]
impl Connector for Workato {
    const ID: &'static str = "workato";
    const DISPLAY_NAME: &'static str = "Workato";
    const DESCRIPTION: &'static str = "Workspace collaborators with their roles in each environment, last activity and the Workato license.";
    const COVERAGE: &'static [FieldCoverage] = &[
        FieldCoverage::new(Field::Id, "GET /api/members: id"),
        FieldCoverage::new(Field::Email, "GET /api/members: email"),
        FieldCoverage::new(Field::Name, "GET /api/members: name"),
        FieldCoverage::new(Field::Status, "listed in GET /api/members: active; gone: removed (by the store)"),
        FieldCoverage::new(
            Field::LastVisitAt,
            "GET /api/members: last_activity_log.created_at; with exact_last_login, the latest user_login in GET /api/activity_logs",
        ),
        FieldCoverage::new(
            Field::Roles,
            "GET /api/members: roles[].environment_type + role_name (flat role_name: dev)",
        ),
        FieldCoverage::new(Field::LicenseTypes, "constant \"Workato\" (Workato has no per-user license)"),
        FieldCoverage::new(
            Field::Attributes,
            "GET /api/members: external_id, time_zone, grant_type, created_at",
        ),
    ];

    type Credentials = WorkatoCredentials;
    type Settings = WorkatoSettings;

    fn new(credentials: WorkatoCredentials, settings: WorkatoSettings) -> Result<Self, Vec<FieldError>> {
        let origin = credentials::resolve_origin(&credentials).map_err(|e| vec![e])?;
        let api = Api::new(origin, &credentials.api_token, credentials.data_center, &settings)
            .map_err(|e| vec![FieldError::new("credentials.api_token", e.message().to_owned())])?;
        Ok(Self { api, settings })
    }

    async fn check(&self) -> Result<CheckReport, ConnectorError> {
        let account = self.api.identify().await?;
        let mut access = vec![AccessCheck {
            capability: "read workspace details (GET /api/users/me)".into(),
            granted: true,
            detail: None,
        }];
        match self.api.probe_members().await {
            Ok(()) => access.push(AccessCheck {
                capability: "list collaborators (GET /api/members)".into(),
                granted: true,
                detail: None,
            }),
            Err(e @ HttpError::Status { status: 401 | 403, .. }) => {
                return Err(self.api.members_refused(e).await);
            }
            Err(e) => return Err(e.into_connector_error()),
        }
        if self.settings.exact_last_login {
            let probe = self
                .api
                .http
                .get_json::<serde_json::Value>(ACTIVITY_LOGS, &[("page[size]", "1".into())])
                .await;
            access.push(match probe {
                Ok(_) => AccessCheck {
                    capability: "read the activity audit log (GET /api/activity_logs)".into(),
                    granted: true,
                    detail: None,
                },
                Err(e) if audit_log::is_refusal(&e) => AccessCheck {
                    capability: "read the activity audit log (GET /api/activity_logs)".into(),
                    granted: false,
                    detail: Some(audit_log::fallback_note(&e)),
                },
                Err(e) => return Err(e.into_connector_error()),
            });
        }
        let mut report = CheckReport::new(account, access);
        report.actions = collaborator::action_checks(&self.api).await;
        Ok(report)
    }

    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
        // The workspace record and the collaborators do not depend on each
        // other: ask for both at once, so a sync costs one round trip, not two.
        let (account, listed) =
            futures_util::future::join(self.api.identify(), self.list_members(&ctx, &mut *sink)).await;
        // The identity's error wins: it tells a bad token from a missing permission best.
        let account = account?;
        let (read, audit) = listed?;
        tracing::debug!(account = %ctx.account_id, tenant = %account.tenant_id, "identified workspace");
        sink.tenant(account).await?;
        if read.unreadable_times > 0 {
            sink.note(&format!(
                "{} collaborators had a last activity time that could not be read; their last visit is left empty",
                read.unreadable_times
            ));
        }
        sink.license(LicenseType { name: LICENSE_TYPE.to_owned(), assigned: read.users, total: None })
            .await?;

        match audit {
            Some(state) => sink.state(AuditState::to_state(state.cursor, &read.logins_seen)).await?,
            // Keep the cursor of an earlier successful read when the log was refused this time.
            None => {
                if let Some(prev) = ctx.previous_state {
                    sink.state(prev).await?;
                }
            }
        }
        Ok(())
    }

    fn request_stats(&self) -> roster_core::RequestStats {
        self.api.http.stats().snapshot()
    }

    const ACTIONS: &'static [ActionSpec] = actions::ACTIONS;

    fn planner(&self) -> Option<&dyn DynPlanner> {
        Some(self)
    }
}

/// Workato's actions: a collaborator read as a sync maps it, plans from `actions`, and the
/// requests sent by `collaborator`.
#[async_trait]
impl Planner for Workato {
    type Write = actions::Write;

    async fn read_user(&self, id: &str) -> Result<Option<User>, ConnectorError> {
        Ok(collaborator::read(&self.api, id).await?.map(|(user, _)| user))
    }

    /// `set_roles` reads the collaborator once more to learn how the workspace writes
    /// roles, when a write is due.
    async fn planned(
        &self,
        action: ActionKind,
        user: &User,
        args: &ActionArgs,
    ) -> Result<Planned, ConnectorError> {
        match action {
            ActionKind::RemoveUser => actions::plan_remove(user, args),
            ActionKind::SetRoles => {
                actions::plan_set_roles(user, args, || async {
                    match collaborator::read(&self.api, &user.id).await? {
                        Some((_, model)) => Ok(model),
                        None => Err(ConnectorError::invalid_argument(format!(
                            "collaborator {} is no longer in the workspace",
                            user.id
                        ))),
                    }
                })
                .await
            }
            other => Err(ConnectorError::invalid_argument(format!(
                "workato has no {other} action: it supports remove_user and set_roles (it has no suspension and no per-user license)"
            ))),
        }
    }

    async fn send(&self, write: actions::Write) -> Result<(), ConnectorError> {
        collaborator::send(&self.api, &write).await
    }
}

impl Workato {
    /// Reads the audit log when exact last login is on, then streams the
    /// collaborators into `sink`.
    async fn list_members(
        &self,
        ctx: &SyncContext,
        sink: &mut dyn Sink,
    ) -> Result<(members_reader::MembersRead, Option<AuditState>), ConnectorError> {
        let previous = AuditState::from_state(ctx.previous_state.as_ref());
        let audit = if self.settings.exact_last_login {
            match audit_log::read(&self.api, previous, self.settings.audit_log_window_days).await {
                Ok(read) => {
                    tracing::debug!(events = read.events, pages = read.pages, "read the activity audit log");
                    Some(read.state)
                }
                Err(e) if audit_log::is_refusal(&e) => {
                    sink.note(&audit_log::fallback_note(&e));
                    None
                }
                Err(e) => return Err(e.into_connector_error()),
            }
        } else {
            None
        };
        let mut reader = MembersReader { sink, logins: audit.as_ref().map(|a| &a.last_login) };
        match self.api.http.send(roster_http::Method::GET, MEMBERS, &[], &mut reader).await {
            Ok(read) => Ok((read, audit)),
            Err(e @ HttpError::Status { status: 401 | 403, .. }) => Err(self.api.members_refused(e).await),
            Err(e) => Err(e.into_connector_error()),
        }
    }
}

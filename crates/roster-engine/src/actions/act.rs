//! One action on one user: find it, read it from the vendor, plan, and when applying (and
//! allowed) write, read again to verify, audit, and sync the account.

use roster_core::{Access, ActionArgs, ActionKind, ActionPlan, ConnectorError, DynPlanner, ErrorKind, User};
use roster_store::{AuditEntry, AuditOutcome, Store, StoreError};
use serde::Serialize;
use serde_json::{Value, json};

use super::args::parse_set;
use super::target::find_user;
use crate::config::AccountConfig;
use crate::sync::{AccountResult, Progress, SyncOptions, sync_one};

/// What `act` was asked to do.
pub struct Request<'a> {
    pub account: &'a AccountConfig,
    pub action: ActionKind,
    /// The user's id or email, as `roster users` shows it.
    pub user: &'a str,
    /// `KEY=VALUE` pairs.
    pub args: &'a [String],
    /// Write (when the account allows it); otherwise a dry run.
    pub apply: bool,
    pub actor: &'a str,
    pub plan_id: &'a str,
    /// Sync the account after a write, with these options.
    pub sync_after: Option<&'a SyncOptions>,
}

/// Why an action could not be planned: the request itself is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// An unknown action, user or argument, or an account file that does not load.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A vendor error, as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub kind: String,
    pub message: String,
    pub remediation: String,
    pub permissions: Vec<String>,
}

impl From<&ConnectorError> for Failure {
    fn from(e: &ConnectorError) -> Self {
        Failure {
            kind: e.kind().as_str().to_owned(),
            message: e.message().to_owned(),
            remediation: e.remediation().to_owned(),
            permissions: e.permissions().to_vec(),
        }
    }
}

/// What happened to one user.
#[derive(Debug, Clone, Serialize)]
pub struct ActReport {
    pub account: String,
    pub connector: String,
    pub action: ActionKind,
    pub user_id: String,
    pub email: Option<String>,
    pub args: ActionArgs,
    /// The plan, once the user was read (before → after, and the writes).
    pub plan: Option<ActionPlan>,
    /// `None` for a dry run.
    pub outcome: Option<AuditOutcome>,
    pub detail: String,
    pub error: Option<Failure>,
    pub plan_id: String,
    /// The sync after a write.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync: Option<AccountResult>,
}

impl ActReport {
    /// A user of a plan refused before anything was read or sent.
    pub fn refused(item: &super::Candidate, action: ActionKind, plan_id: &str, detail: String) -> Self {
        ActReport {
            account: item.account.clone(),
            connector: item.connector.clone(),
            action,
            user_id: item.user_id.clone(),
            email: item.email.clone(),
            args: ActionArgs::new(),
            plan: None,
            outcome: Some(AuditOutcome::Refused),
            detail,
            error: None,
            plan_id: plan_id.to_owned(),
            sync: None,
        }
    }

    /// 0: planned, applied or already; 1: the vendor refused, or verification failed;
    /// 2: refused by the account file.
    pub fn exit_code(&self) -> u8 {
        match self.outcome {
            Some(AuditOutcome::Refused) => crate::exit::CANNOT_RUN,
            Some(AuditOutcome::Failed | AuditOutcome::Unverified) => crate::exit::SOME_FAILED,
            None if self.error.is_some() => crate::exit::SOME_FAILED,
            _ => crate::exit::OK,
        }
    }
}

/// Carries out `req` (see the module docs). Errors are only for bad requests and the
/// store; everything the vendor says is in the report.
pub async fn act(store: &Store, req: &Request<'_>) -> Result<ActReport, ActError> {
    let account = req.account;
    let connector_id = account.connector.id;
    let spec = account.connector.actions.iter().find(|a| a.kind == req.action).ok_or_else(|| {
        let has: Vec<&str> = account.connector.actions.iter().map(|a| a.kind.as_str()).collect();
        ActError::Usage(format!(
            "the {connector_id} connector has no action `{}`; it has: {}",
            req.action,
            if has.is_empty() { "none".to_owned() } else { has.join(", ") }
        ))
    })?;
    let args = parse_set(spec, req.args).map_err(ActError::Usage)?;
    let stored = find_user(store, &account.id, req.user).await?.ok_or_else(|| {
        ActError::Usage(format!(
            "no user `{}` in account `{}` as of its last good sync; `roster users --account {}` lists them (sync it first if it is new)",
            req.user, account.id, account.id
        ))
    })?;
    let mut report = ActReport {
        account: account.id.clone(),
        connector: connector_id.to_owned(),
        action: req.action,
        user_id: stored.id.clone(),
        email: stored.email.clone(),
        args: args.clone(),
        plan: None,
        outcome: None,
        detail: String::new(),
        error: None,
        plan_id: req.plan_id.to_owned(),
        sync: None,
    };
    if req.apply && !account.allowed_actions.contains(&req.action) {
        report.detail = format!(
            "the account file does not allow {}: add it to `[actions] allow` in {} to apply it",
            req.action,
            account.file.display()
        );
        return finish(store, report, AuditOutcome::Refused, req.actor).await;
    }
    let connector = account.build().map_err(|problems| {
        ActError::Usage(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
    })?;
    let planner = connector.planner().ok_or_else(|| {
        ActError::Usage(format!("the {connector_id} connector lists actions but cannot carry them out"))
    })?;
    let (user, plan) = match plan(connector_id, planner, req.action, &stored.id, &args).await {
        Ok(read) => read,
        Err(e) if e.kind() == ErrorKind::InvalidArgument => {
            return Err(ActError::Usage(format!("{}; {}", e.message(), e.remediation())));
        }
        Err(e) => {
            report.detail = e.message().to_owned();
            report.error = Some(Failure::from(&e));
            return if req.apply {
                finish(store, report, AuditOutcome::Failed, req.actor).await
            } else {
                Ok(report)
            };
        }
    };
    report.plan = Some(plan.clone());
    if !req.apply {
        report.detail =
            if plan.is_noop() { "nothing to do".into() } else { "dry run: nothing was sent".into() };
        return Ok(report);
    }
    if plan.is_noop() {
        report.detail = "already in the target state: nothing was sent".into();
        return finish(store, report, AuditOutcome::Already, req.actor).await;
    }
    let written = match &user {
        Some(u) => planner.apply_action(req.action, u, &args, &plan).await,
        None => Err(ConnectorError::invalid_response("the user disappeared between the plan and the write")),
    };
    if let Err(e) = written {
        report.detail = e.message().to_owned();
        report.error = Some(Failure::from(&e));
        return finish(store, report, AuditOutcome::Failed, req.actor).await;
    }
    let outcome = match planner.read_user(&stored.id).await {
        Ok(now) if now.as_ref().map(Access::of) == plan.after => {
            report.detail = plan.writes.join("; ");
            AuditOutcome::Applied
        }
        Ok(now) => {
            report.detail = format!(
                "after {}, {connector_id} shows {} instead of {}",
                plan.writes.join("; "),
                Access::describe(now.as_ref().map(Access::of).as_ref()),
                Access::describe(plan.after.as_ref())
            );
            AuditOutcome::Unverified
        }
        Err(e) => {
            report.detail = format!("written, but the user could not be read back: {}", e.message());
            report.error = Some(Failure::from(&e));
            AuditOutcome::Unverified
        }
    };
    if let Some(options) = req.sync_after {
        let (_tx, stop) = tokio::sync::watch::channel(None);
        report.sync = Some(sync_one(account, store, options, &Progress::quiet(), stop).await);
    }
    finish(store, report, outcome, req.actor).await
}

/// The user `id` read from the vendor just now, and the plan for it. A user the vendor
/// no longer has is already removed, and cannot be the target of anything else.
async fn plan(
    connector: &str,
    planner: &dyn DynPlanner,
    action: ActionKind,
    id: &str,
    args: &ActionArgs,
) -> Result<(Option<User>, ActionPlan), ConnectorError> {
    match planner.read_user(id).await? {
        Some(user) => {
            let plan = planner.plan_action(action, &user, args).await?;
            Ok((Some(user), plan))
        }
        None if action == ActionKind::RemoveUser => {
            Ok((None, ActionPlan { before: None, after: None, writes: Vec::new() }))
        }
        None => Err(gone(connector, id)),
    }
}

fn gone(connector: &str, id: &str) -> ConnectorError {
    ConnectorError::invalid_argument(format!("{connector} no longer has user {id}"))
        .with_remediation("sync the account to see its users as they are now")
}

/// Records the outcome in the audit trail.
async fn finish(
    store: &Store,
    mut report: ActReport,
    outcome: AuditOutcome,
    actor: &str,
) -> Result<ActReport, ActError> {
    report.outcome = Some(outcome);
    let state = |access: Option<&Access>| access.map_or(Value::Null, |a| json!(a));
    let plan = report.plan.as_ref();
    store
        .audit(AuditEntry {
            at: chrono::Utc::now(),
            account: report.account.clone(),
            connector: report.connector.clone(),
            action: report.action.as_str().to_owned(),
            user_id: report.user_id.clone(),
            email: report.email.clone(),
            args: Value::Object(report.args.clone()),
            before: state(plan.and_then(|p| p.before.as_ref())),
            after: state(plan.and_then(|p| p.after.as_ref())),
            outcome,
            detail: report.detail.clone(),
            actor: actor.to_owned(),
            plan_id: report.plan_id.clone(),
        })
        .await?;
    Ok(report)
}

//! Lists every user with `GET /v1.0/users`, page by page, and hands each to the sink as it
//! arrives. Sign-in activity is asked for first; when Graph refuses it (no Entra ID P1/P2,
//! or no AuditLog.Read.All) the list is read again without it. The delta round's changes
//! correct the list's replication delay: users delta reports removed are left out, and
//! users it reports present that the list does not show yet are added.

use std::collections::HashSet;

use roster_core::{ConnectorError, Sink};
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Api, Failure};
use crate::delta::Changes;
use crate::pages::Pages;
use crate::permissions::{self, AUDIT_LOG_READ_ALL, USER_READ_ALL};
use crate::users::{Directory, GraphUser, SELECT, SELECT_SIGN_IN, record_name};

pub(crate) const USERS: &str = "/v1.0/users";
/// The largest page with sign-in activity [DOC graph/api/user-list].
const SIGN_IN_PAGE: u32 = 500;

/// Why sign-in activity could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignInRefusal {
    NoPremium,
    NoAuditLog,
}

impl SignInRefusal {
    pub(crate) fn of(g: &crate::error::MsError) -> Option<Self> {
        if g.is_non_premium() {
            Some(SignInRefusal::NoPremium)
        } else if g.is_missing_audit_log() {
            Some(SignInRefusal::NoAuditLog)
        } else {
            None
        }
    }

    /// Why, and what to do.
    pub(crate) fn explain(self) -> String {
        match self {
            SignInRefusal::NoPremium => format!(
                "the tenant has no Microsoft Entra ID P1 or P2 licence (Authentication_RequestFromNonPremiumTenantOrB2CTenant); {}",
                permissions::GET_PREMIUM
            ),
            SignInRefusal::NoAuditLog => format!(
                "the app lacks {AUDIT_LOG_READ_ALL} (Authentication_MSGraphPermissionMissing); {}",
                permissions::grant(&[AUDIT_LOG_READ_ALL])
            ),
        }
    }
}

/// What the listing saw besides the users it sent.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub sign_in: Option<SignInRefusal>,
    /// Listed users that delta reports removed, left out.
    pub removed: usize,
    /// Users delta reports present that the list did not show, added.
    pub added: usize,
    pub unreadable_times: usize,
}

impl Outcome {
    /// What the sync report should say.
    pub(crate) fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(why) = self.sign_in {
            notes.push(format!(
                "sign-in activity could not be read, so every user's last visit is left empty: {}",
                why.explain()
            ));
        }
        if self.removed > 0 {
            notes.push(format!(
                "{} users the user list still showed were already deleted (delta query); they are left out",
                self.removed
            ));
        }
        if self.added > 0 {
            notes.push(format!("{} users the user list did not show yet (replication delay) were read from the delta query, without a last sign-in", self.added));
        }
        if self.unreadable_times > 0 {
            notes.push(format!(
                "{} sign-in times could not be read; they were left empty",
                self.unreadable_times
            ));
        }
        notes
    }
}

pub(crate) async fn run(
    api: &Api,
    sink: &mut dyn Sink,
    dir: &Directory,
    changes: Changes,
    page_size: u32,
) -> Result<Outcome, ConnectorError> {
    let mut out = Outcome::default();
    let mut top = page_size.clamp(1, SIGN_IN_PAGE);
    let mut listed = HashSet::new();
    loop {
        let select = if out.sign_in.is_none() { SELECT_SIGN_IN } else { SELECT };
        listed.clear();
        match list(api, sink, dir, &changes, select, top, &mut listed, &mut out).await {
            Ok(()) => break,
            Err(Failure::Graph(g)) if out.sign_in.is_none() && SignInRefusal::of(&g).is_some() => {
                out.sign_in = SignInRefusal::of(&g);
                top = page_size.clamp(1, 999);
            }
            Err(Failure::Graph(g)) if g.page_limit().is_some_and(|n| n < top) => {
                top = g.page_limit().unwrap_or(top);
            }
            Err(f) => return Err(f.into_error(&format!("GET {USERS}"), USER_READ_ALL)),
        }
        out.removed = 0;
        out.unreadable_times = 0;
    }
    for (id, raw) in changes.into_iter().filter(|(id, _)| !listed.contains(id)) {
        if let Some(raw) = raw {
            tracing::debug!(user = %id, "delta shows a user the list does not yet");
            out.added += 1;
            emit(sink, dir, raw, &mut out).await?;
        }
    }
    Ok(out)
}

/// Every page of one listing. `listed` collects the ids that delta also reported.
#[allow(clippy::too_many_arguments)]
async fn list(
    api: &Api,
    sink: &mut dyn Sink,
    dir: &Directory,
    changes: &Changes,
    select: &str,
    top: u32,
    listed: &mut HashSet<String>,
    out: &mut Outcome,
) -> Result<(), Failure> {
    let mut pages = Pages::new(api, USERS, vec![("$select", select.to_owned()), ("$top", top.to_string())]);
    while let Some(page) = pages.next::<Value>().await? {
        for raw in page.value {
            let id = raw.get("id").and_then(Value::as_str).unwrap_or_default();
            match changes.get(id) {
                Some(None) => out.removed += 1,
                Some(Some(_)) => {
                    listed.insert(id.to_owned());
                    emit(sink, dir, raw, out).await?;
                }
                None => emit(sink, dir, raw, out).await?,
            }
        }
    }
    Ok(())
}

async fn emit(
    sink: &mut dyn Sink,
    dir: &Directory,
    raw: Value,
    out: &mut Outcome,
) -> Result<(), ConnectorError> {
    match GraphUser::deserialize(&raw) {
        Ok(u) => {
            let (user, unreadable) = u.into_user(dir);
            out.unreadable_times += usize::from(unreadable);
            sink.user(user).await?;
        }
        Err(e) => sink.skipped(&record_name(&raw), &roster_core::error::redact_serde_message(&e.to_string())),
    }
    Ok(())
}

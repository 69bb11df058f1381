//! Refused actions name what is missing: each client-role privilege, by Workato's name,
//! in the error's permissions and remediation; a revoked token is not taken for one; and
//! `check` says what it can know about the actions without writing.

mod common;

use common::{Env, act, args, read};
use roster_core::{ActionKind, Connector, ConnectorError, DynPlanner, ErrorKind};
use roster_workato_sim::{Fault, WorkspaceSettings};

const GET_COLLABORATOR: &str = "Workspace collaborators → Get collaborator";
const UPDATE_ROLES: &str = "Workspace collaborators → Update collaborator's roles";
const DELETE_COLLABORATORS: &str = "Workspace collaborators → Delete collaborators";

fn assert_names(e: &ConnectorError, privilege: &str) {
    assert_eq!(e.kind(), ErrorKind::MissingPermission, "{e}");
    assert_eq!(e.permissions(), [privilege], "{e}");
    assert!(e.message().contains(privilege), "{e}");
    assert!(e.remediation().contains(privilege) && e.remediation().contains("DEV"), "{}", e.remediation());
}

async fn refused(
    status: u16,
    off: impl Fn(&mut WorkspaceSettings),
    action: ActionKind,
    set: &[(&str, &str)],
) -> ConnectorError {
    let env = Env::generated(1, 3, 1).await;
    env.ws.update_settings(|s| s.missing_privilege_status = status);
    let w = env.fast_connector();
    let user = read(&w, "1001").await;
    let a = args(set);
    let plan = DynPlanner::plan_action(&w, action, &user, &a).await.unwrap();
    env.ws.update_settings(off);
    let e = DynPlanner::apply_action(&w, action, &user, &a, &plan).await.expect_err("refused");
    assert_eq!(env.ws.member_count(), 3);
    e
}

#[tokio::test]
async fn each_missing_write_privilege_is_named_whether_workato_says_401_or_403() {
    for status in [401, 403] {
        let e = refused(status, |s| s.client_role.delete_collaborators = false, ActionKind::RemoveUser, &[])
            .await;
        assert_names(&e, DELETE_COLLABORATORS);
        assert!(e.remediation().contains("early access"), "{}", e.remediation());
        let e = refused(
            status,
            |s| s.client_role.update_collaborator_roles = false,
            ActionKind::SetRoles,
            &[("prod", "Admin")],
        )
        .await;
        assert_names(&e, UPDATE_ROLES);
    }
    // A workspace that does not offer the delete endpoint yet answers the same way.
    let e = refused(401, |s| s.writes.delete_endpoint_unavailable = true, ActionKind::RemoveUser, &[]).await;
    assert_names(&e, DELETE_COLLABORATORS);
}

#[tokio::test]
async fn reading_a_collaborator_needs_get_collaborator() {
    let env = Env::generated(1, 3, 1).await;
    env.ws.update_settings(|s| s.client_role.get_collaborator = false);
    let e = DynPlanner::read_user(&env.fast_connector(), "1001").await.expect_err("refused");
    assert_names(&e, GET_COLLABORATOR);
}

#[tokio::test]
async fn a_token_revoked_before_the_write_is_invalid_credentials() {
    let env = Env::generated(1, 3, 1).await;
    let w = env.fast_connector();
    let user = read(&w, "1001").await;
    let plan = DynPlanner::plan_action(&w, ActionKind::RemoveUser, &user, &args(&[])).await.unwrap();
    env.ws.revoke_token();
    let e = DynPlanner::apply_action(&w, ActionKind::RemoveUser, &user, &args(&[]), &plan)
        .await
        .expect_err("revoked");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
    assert!(!e.message().contains(&env.ws.token()), "the token leaked: {e}");
}

#[tokio::test]
async fn check_cannot_know_the_write_privileges_without_writing() {
    let env = Env::generated(1, 3, 1).await;
    let report = Connector::check(&env.fast_connector()).await.unwrap();
    assert!(report.fully_granted(), "actions are informative");
    let actions: Vec<(&str, bool)> =
        report.actions.iter().map(|a| (a.capability.as_str(), a.granted)).collect();
    assert_eq!(
        actions,
        [("remove_user (DELETE /api/members/:id)", false), ("set_roles (PUT /api/members/:id)", false)]
    );
    let details: Vec<&str> = report.actions.iter().filter_map(|a| a.detail.as_deref()).collect();
    assert!(
        details[0].starts_with("unknown until tried") && details[0].contains(DELETE_COLLABORATORS),
        "{details:?}"
    );
    assert!(details[1].contains(UPDATE_ROLES), "{details:?}");
    assert!(env.writes().is_empty(), "check wrote: {:?}", env.writes());

    env.ws.update_settings(|s| s.client_role.get_collaborator = false);
    let report = Connector::check(&env.fast_connector()).await.unwrap();
    assert!(report.actions.iter().all(|a| a.detail.as_deref().is_some_and(|d| d.contains(GET_COLLABORATOR))));

    // A probe that fails is reported; the check itself stands.
    env.ws.push_fault(Fault::Status(503), 100, Some("/api/members/0"));
    let report = Connector::check(&env.fast_connector()).await.unwrap();
    assert!(report.fully_granted());
    assert!(
        report.actions[0].detail.as_deref().is_some_and(|d| d.starts_with("unknown: ") && d.contains("503"))
    );
}

#[tokio::test]
async fn a_refused_write_is_sent_once() {
    let env = Env::generated(1, 3, 1).await;
    env.ws.update_settings(|s| s.client_role.update_collaborator_roles = false);
    let e = act(&env.fast_connector(), ActionKind::SetRoles, "1002", &args(&[("test", "Operator")]))
        .await
        .expect_err("refused");
    assert_names(&e, UPDATE_ROLES);
    assert_eq!(env.writes(), ["PUT /api/members/1002"], "one write, refused, and no retry");
}

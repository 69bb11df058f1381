//! Each action's scope: a refusal names it (as the error's permission and in the
//! remediation), classic scopes of older apps count, and `check` lists which actions the
//! app's scopes allow.

mod common;

use common::{Env, people, set};
use roster_core::{ActionKind, Connector, DynPlanner, ErrorKind};
use roster_zoom_sim::scopes::ACTION_SCOPES;

const SYNC: [&str; 3] =
    ["user:read:list_users:admin", "role:read:list_roles:admin", "billing:read:plan_usage:admin"];
/// Every action scope (the simulator grants them by default).
const ALL: [&str; 6] = ACTION_SCOPES;

async fn with_scopes(scopes: &[&str]) -> Env {
    let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    Env::start(0, 1, |s| {
        people(s);
        s.settings.scopes = scopes;
    })
    .await
}

#[tokio::test]
async fn each_missing_scope_is_named() {
    for (action, id, args, scope) in [
        (ActionKind::SuspendUser, "mem", set(&[]), "user:update:status:admin"),
        (ActionKind::RemoveUser, "mem", set(&[]), "user:delete:user:admin"),
        (ActionKind::SetLicense, "bas", set(&[("license", "Licensed")]), "user:update:user:admin"),
        (ActionKind::SetRoles, "mem", set(&[("account", "Admin")]), "role:write:member:admin"),
        (ActionKind::SetRoles, "adm", set(&[("account", "Member")]), "role:delete:member:admin"),
    ] {
        let granted: Vec<&str> = SYNC.iter().chain(&ALL).copied().filter(|s| *s != scope).collect();
        let env = with_scopes(&granted).await;
        let e = env.apply(&env.fast_connector(), action, id, &args).await.expect_err(scope);
        assert_eq!(e.kind(), ErrorKind::MissingPermission, "{e}");
        assert_eq!(e.permissions()[0], scope, "{e}");
        assert!(e.remediation().contains(&format!("\"{scope}\"")), "{}", e.remediation());
    }
    let env = with_scopes(&SYNC).await;
    let e = DynPlanner::read_user(&env.fast_connector(), "mem").await.expect_err("no read scope");
    assert_eq!(
        (e.kind(), e.permissions()[0].as_str()),
        (ErrorKind::MissingPermission, "user:read:user:admin")
    );
    assert!(env.writes().is_empty());
}

#[tokio::test]
async fn classic_scopes_of_older_apps_allow_every_action() {
    let env =
        with_scopes(&["user:read:admin", "user:write:admin", "role:read:admin", "role:write:admin"]).await;
    let z = env.fast_connector();
    let report = Connector::check(&z).await.unwrap();
    assert!(report.actions.iter().all(|a| a.granted), "{:?}", report.actions);
    assert!(env.apply(&z, ActionKind::SuspendUser, "mem", &set(&[])).await.is_ok());
    assert!(env.apply(&z, ActionKind::SetRoles, "adm", &set(&[("account", "Member")])).await.is_ok());
}

#[tokio::test]
async fn check_lists_which_actions_the_scopes_allow() {
    let env = Env::start(0, 1, people).await;
    let report = Connector::check(&env.fast_connector()).await.unwrap();
    let listed: Vec<(&str, bool)> =
        report.actions.iter().map(|a| (a.capability.as_str(), a.granted)).collect();
    assert_eq!(
        listed,
        [
            ("suspend_user (deactivate or activate a user (PUT /v2/users/{userId}/status))", true),
            ("restore_user (deactivate or activate a user (PUT /v2/users/{userId}/status))", true),
            ("remove_user (remove a user (DELETE /v2/users/{userId}))", true),
            ("set_license (change a user's license type (PATCH /v2/users/{userId}))", true),
            ("set_roles (assign a role (POST /v2/roles/{roleId}/members))", true),
        ]
    );

    let env = with_scopes(&[
        SYNC[0],
        SYNC[1],
        SYNC[2],
        "user:read:user:admin",
        "user:update:status:admin",
        "role:write:member:admin",
    ])
    .await;
    let report = Connector::check(&env.fast_connector()).await.unwrap();
    assert!(report.fully_granted(), "actions do not fail the check");
    let refused: Vec<(&str, &str)> = report
        .actions
        .iter()
        .filter(|a| !a.granted)
        .map(|a| (a.capability.split(' ').next().unwrap_or(""), a.detail.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].0 == "remove_user" && refused[0].1.contains("\"user:delete:user:admin\""),
        "{refused:?}"
    );
    assert!(
        refused[1].0 == "set_license" && refused[1].1.contains("\"user:update:user:admin\""),
        "{refused:?}"
    );
    let roles = report.actions.iter().find(|a| a.capability.starts_with("set_roles")).unwrap();
    assert!(roles.granted && roles.detail.as_deref().is_some_and(|d| d.contains("role:delete:member:admin")));
}

//! Actions against the simulator: plans send no write, applying reaches the target state
//! that `read_user` then shows, a repeat is already done, and bad arguments are refused.

mod common;

use common::{Env, act, args, read, sync_ok};
use roster_core::{Access, ActionKind, DynPlanner, ErrorKind, RoleAssignment};
use roster_workato::Workato;
use serde_json::json;

/// A workspace (odd id: legacy roles; even: RBAC v2) whose collaborator 1001 holds `roles`.
async fn env_with(id: u64, roles: serde_json::Value) -> Env {
    let env = Env::generated(id, 4, 1).await;
    assert!(env.ws.update_member(1001, |m| m["roles"] = roles));
    env
}

fn names(user: &roster_core::User) -> Vec<String> {
    user.roles.iter().map(|r| format!("{}:{}", r.scope, r.name)).collect()
}

#[tokio::test]
async fn plans_read_but_never_write() {
    let env = env_with(1, json!([{"environment_type": "dev", "role_name": "Admin"}, {"environment_type": "prod", "role_name": "Operator"}])).await;
    let w = env.fast_connector();
    let user = read(&w, "1001").await;
    let plan = DynPlanner::plan_action(&w, ActionKind::RemoveUser, &user, &args(&[])).await.unwrap();
    assert_eq!(
        (plan.writes.as_slice(), plan.after.as_ref()),
        (&["DELETE /api/members/1001".to_owned()][..], None)
    );
    assert_eq!(plan.before, Some(Access::of(&user)));
    let set = args(&[("dev", "Analyst"), ("prod", "NoAccess")]);
    let plan = DynPlanner::plan_action(&w, ActionKind::SetRoles, &user, &set).await.unwrap();
    assert_eq!(plan.writes, ["PUT /api/members/1001 env_roles dev=Analyst, prod=NoAccess"]);
    assert_eq!(plan.after.map(|a| a.roles), Some(vec![RoleAssignment::new("dev", "Analyst")]));
    assert!(env.writes().is_empty(), "a plan wrote: {:?}", env.writes());
    assert_eq!(read(&w, "1001").await, user);
}

#[tokio::test]
async fn set_roles_reaches_the_target_and_a_repeat_is_already() {
    let env = env_with(1, json!([{"environment_type": "dev", "role_name": "Admin"}, {"environment_type": "prod", "role_name": "Operator"}])).await;
    let w = env.fast_connector();
    let set = args(&[("dev", "Analyst"), ("prod", "NoAccess"), ("test", "Operator")]);
    let (plan, after) = act(&w, ActionKind::SetRoles, "1001", &set).await.unwrap();
    let after = after.expect("still in the workspace");
    assert_eq!(names(&after), ["dev:Analyst", "test:Operator"]);
    assert_eq!(plan.after, Some(Access::of(&after)), "the read after the write is the plan's target");
    assert_eq!(env.writes(), ["PUT /api/members/1001"]);
    let again = DynPlanner::plan_action(&w, ActionKind::SetRoles, &after, &set).await.unwrap();
    assert!(again.is_noop() && again.writes.is_empty(), "{again:?}");
    // A role held in another case is no change either.
    assert!(
        DynPlanner::plan_action(&w, ActionKind::SetRoles, &after, &args(&[("dev", "analyst")]))
            .await
            .unwrap()
            .is_noop()
    );
    assert_eq!(env.writes().len(), 1);
}

#[tokio::test]
async fn rbac_v2_workspaces_get_environment_roles_and_no_access_may_stay_an_entry() {
    let env = env_with(2, json!([{"environment_type": "dev", "role_name": "Member", "role_type": "environment"}, {"environment_type": "prod", "role_name": "Environment admin", "role_type": "environment"}])).await;
    env.ws.update_settings(|s| {
        s.writes.no_access_keeps_entry = true;
        s.writes.put_answers_result_ok = true;
    });
    let w = env.fast_connector();
    let set = args(&[("dev", "Environment manager"), ("prod", "NoAccess")]);
    let (plan, after) = act(&w, ActionKind::SetRoles, "1001", &set).await.unwrap();
    assert_eq!(
        plan.writes,
        ["PUT /api/members/1001 env_roles dev=Environment manager, prod=NoAccess (role_type environment)"]
    );
    assert_eq!(
        names(&after.expect("still there")),
        ["dev:Environment manager"],
        "a NoAccess entry is no role"
    );
    assert_eq!(env.ws.member_json(1001).unwrap()["roles"][1]["role_name"], "NoAccess");
}

#[tokio::test]
async fn remove_user_deletes_and_a_collaborator_already_gone_is_done() {
    let env = Env::generated(1, 4, 1).await;
    let w = env.fast_connector();
    let user = read(&w, "1002").await;
    let (plan, after) = act(&w, ActionKind::RemoveUser, "1002", &args(&[])).await.unwrap();
    assert_eq!((&plan.after, &after), (&None, &None));
    assert!(env.ws.members_json().iter().all(|m| m["id"] != 1002));
    assert_eq!(DynPlanner::read_user(&w, "1002").await.unwrap(), None);
    // Applying the same plan again meets a 404, which means done.
    DynPlanner::apply_action(&w, ActionKind::RemoveUser, &user, &args(&[]), &plan).await.unwrap();
    assert_eq!(env.writes(), ["DELETE /api/members/1002", "DELETE /api/members/1002"]);
    assert_eq!(sync_ok(&w, None).await.users.len(), 3);
}

#[tokio::test]
async fn bad_arguments_unknown_roles_and_the_owner_are_invalid_arguments() {
    let env = env_with(1, json!([{"environment_type": "dev", "role_name": "Team Owner"}])).await;
    let w = env.fast_connector();
    let owner = read(&w, "1001").await;
    let other = read(&w, "1000").await;
    let roles_before = env.ws.member_json(1000).unwrap()["roles"].clone();
    let plan = |u: &roster_core::User, kind, a| {
        let (w, u) = (&w, u.clone());
        async move { DynPlanner::plan_action(w, kind, &u, &a).await }
    };
    for (user, kind, a, says) in [
        (&other, ActionKind::SetRoles, args(&[]), "at least one of dev, test or prod"),
        (&other, ActionKind::SetRoles, args(&[("staging", "Admin")]), "unknown environment `staging`"),
        (&other, ActionKind::SetRoles, args(&[("dev", " ")]), "must name a role"),
        (&other, ActionKind::RemoveUser, args(&[("mode", "delete")]), "takes no arguments"),
        (&other, ActionKind::SuspendUser, args(&[]), "no suspend_user action"),
        (&owner, ActionKind::RemoveUser, args(&[]), "workspace owner"),
    ] {
        let e = plan(user, kind, a).await.expect_err(says);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e.message().contains(says), "{e}");
    }
    let e =
        act(&w, ActionKind::SetRoles, "1000", &args(&[("dev", "Wizard")])).await.expect_err("unknown role");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("Role Wizard not found"), "workato's words are kept: {e}");
    assert_eq!(env.ws.member_json(1000).unwrap()["roles"], roles_before, "nothing changed");
}

#[tokio::test]
async fn unknown_and_vanished_collaborators() {
    let env = Env::generated(1, 4, 1).await;
    let w = env.fast_connector();
    for id in ["999999", "abc", "a/b"] {
        assert_eq!(DynPlanner::read_user(&w, id).await.unwrap(), None, "{id}");
    }
    let user = read(&w, "1003").await;
    let set = args(&[("prod", "Admin")]);
    let plan = DynPlanner::plan_action(&w, ActionKind::SetRoles, &user, &set).await.unwrap();
    env.ws.remove_member(1003);
    let e = DynPlanner::apply_action(&w, ActionKind::SetRoles, &user, &set, &plan).await.expect_err("gone");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("no longer in the workspace"), "{e}");
}

#[tokio::test]
async fn apply_sends_only_what_the_plan_showed() {
    let env = env_with(1, json!([{"environment_type": "dev", "role_name": "Admin"}])).await;
    let w = env.fast_connector();
    let user = read(&w, "1001").await;
    let set = args(&[("dev", "Operator")]);
    let plan = DynPlanner::plan_action(&w, ActionKind::SetRoles, &user, &set).await.unwrap();
    // The workspace was migrated to RBAC v2 in between: the request would differ.
    env.ws.update_member(1001, |m| m["roles"][0]["role_type"] = json!("environment"));
    let e =
        DynPlanner::apply_action(&w, ActionKind::SetRoles, &user, &set, &plan).await.expect_err("changed");
    assert!(e.message().contains("changed since the plan"), "{e}");
    assert!(env.writes().is_empty());
}

#[tokio::test]
async fn read_user_maps_a_collaborator_exactly_as_a_sync_does() {
    let env = Env::generated(3, 60, 5).await;
    for wrap in [false, true] {
        env.ws.update_settings(|s| {
            s.wrap_single_member = wrap;
            s.rate_limit = None;
        });
        let w: Workato = env.fast_connector();
        let sink = sync_ok(&w, None).await;
        for synced in &sink.users {
            assert_eq!(&read(&w, &synced.id).await, synced, "wrapped: {wrap}");
        }
    }
}

//! Actions against the simulator: plans send no write, applying reaches the target that
//! `read_user` then shows, a repeat is already done, and Zoom's refusals and bad
//! arguments come back as invalid arguments that say what to do.

mod common;

use common::{Env, people, set, sync_ok};
use roster_core::{Access, ActionKind, DynPlanner, ErrorKind, RoleAssignment, UserStatus};

async fn env() -> Env {
    Env::start(0, 1, people).await
}

#[tokio::test]
async fn plans_read_but_never_write() {
    let env = env().await;
    let z = env.fast_connector();
    for (action, id, args, line) in [
        (ActionKind::SuspendUser, "mem", set(&[]), "PUT /v2/users/mem/status action=deactivate"),
        (ActionKind::RestoreUser, "ina", set(&[]), "PUT /v2/users/ina/status action=activate"),
        (ActionKind::RemoveUser, "mem", set(&[]), "DELETE /v2/users/mem?action=disassociate"),
        (
            ActionKind::RemoveUser,
            "pending:new@acme.io",
            set(&[]),
            "DELETE /v2/users/new@acme.io?action=disassociate",
        ),
        (
            ActionKind::SetLicense,
            "bas",
            set(&[("license", "Licensed")]),
            "PATCH /v2/users/bas type=2 (Licensed)",
        ),
        (
            ActionKind::SetRoles,
            "mem",
            set(&[("account", "admin")]),
            "POST /v2/roles/1/members id=mem (Admin)",
        ),
        (
            ActionKind::SetRoles,
            "adm",
            set(&[("account", "Member")]),
            "DELETE /v2/roles/1/members/adm (back to Member)",
        ),
    ] {
        let user = env.user(&z, id).await;
        let plan =
            DynPlanner::plan_action(&z, action, &user, &args).await.unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(
            (plan.writes.as_slice(), plan.before.as_ref()),
            (&[line.to_owned()][..], Some(&Access::of(&user)))
        );
    }
    assert!(env.writes().is_empty(), "a plan wrote: {:?}", env.writes());
}

#[tokio::test]
async fn suspend_and_restore_reach_their_state_and_repeat_as_already() {
    let env = env().await;
    let z = env.fast_connector();
    let (plan, after) = env.apply(&z, ActionKind::SuspendUser, "mem", &set(&[])).await.unwrap();
    let after = after.expect("still in the account");
    assert_eq!((after.status, plan.after), (UserStatus::Suspended, Some(Access::of(&after))));
    let (again, _) = env.apply(&z, ActionKind::SuspendUser, "mem", &set(&[])).await.unwrap();
    assert!(again.is_noop() && again.writes.is_empty(), "{again:?}");
    let (_, back) = env.apply(&z, ActionKind::RestoreUser, "mem", &set(&[])).await.unwrap();
    assert_eq!(back.map(|u| u.status), Some(UserStatus::Active));
    assert!(env.apply(&z, ActionKind::RestoreUser, "mem", &set(&[])).await.unwrap().0.is_noop());
    assert_eq!(env.writes(), ["PUT /v2/users/mem/status", "PUT /v2/users/mem/status"]);
}

#[tokio::test]
async fn remove_disassociates_deletes_on_request_and_withdraws_invitations() {
    let env = env().await;
    let z = env.fast_connector();
    assert_eq!(env.apply(&z, ActionKind::RemoveUser, "mem", &set(&[])).await.unwrap().1, None);
    assert_eq!(
        env.apply(&z, ActionKind::RemoveUser, "bas", &set(&[("mode", "delete")])).await.unwrap().1,
        None
    );
    let invited = env.user(&z, "pending:new@acme.io").await;
    assert_eq!((invited.status, invited.email.as_deref()), (UserStatus::Invited, Some("new@acme.io")));
    let (plan, gone) = env.apply(&z, ActionKind::RemoveUser, "pending:new@acme.io", &set(&[])).await.unwrap();
    assert_eq!(gone, None);
    // The same plan once more: zoom answers 404, which means done.
    DynPlanner::apply_action(&z, ActionKind::RemoveUser, &invited, &set(&[]), &plan).await.unwrap();
    let lines = env.request_lines();
    let deletes: Vec<&String> = lines.iter().filter(|l| l.starts_with("DELETE")).collect();
    assert_eq!(
        deletes,
        [
            "DELETE /v2/users/mem?action=disassociate",
            "DELETE /v2/users/bas?action=delete",
            "DELETE /v2/users/new@acme.io?action=disassociate",
            "DELETE /v2/users/new@acme.io?action=disassociate",
        ]
    );
    assert_eq!(sync_ok(&z).await.users.len(), 3);
}

#[tokio::test]
async fn set_license_within_the_seats_bought() {
    let env = Env::start(0, 1, |s| {
        people(s);
        s.settings.plan.hosts = 5;
    })
    .await;
    let z = env.fast_connector();
    let licensed = set(&[("license", "licensed")]);
    let (plan, after) = env.apply(&z, ActionKind::SetLicense, "bas", &licensed).await.unwrap();
    assert_eq!(after.map(|u| u.license_types), Some(vec!["Licensed".to_owned()]));
    assert!(!plan.is_noop());
    assert!(env.apply(&z, ActionKind::SetLicense, "bas", &licensed).await.unwrap().0.is_noop());
    env.account.add_user(serde_json::json!({"id": "six", "email": "six@acme.io", "type": 1, "role_id": "2", "status": "active"}));
    let e = env.apply(&z, ActionKind::SetLicense, "six", &licensed).await.expect_err("no seat left");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("You can add max 5 paid users"), "{e}");
    assert!(e.remediation().contains("seat"), "{}", e.remediation());
    let e = env
        .apply(&z, ActionKind::SetLicense, "six", &set(&[("license", "Pro")]))
        .await
        .expect_err("no such license");
    assert!(e.kind() == ErrorKind::InvalidArgument && e.message().contains("Basic or Licensed"), "{e}");
}

#[tokio::test]
async fn set_roles_by_name_and_back_to_member() {
    let env = env().await;
    let z = env.fast_connector();
    let (_, after) =
        env.apply(&z, ActionKind::SetRoles, "mem", &set(&[("account", "billing admin")])).await.unwrap();
    assert_eq!(after.map(|u| u.roles), Some(vec![RoleAssignment::new("account", "Billing Admin")]));
    assert!(
        env.apply(&z, ActionKind::SetRoles, "mem", &set(&[("account", "Billing Admin")]))
            .await
            .unwrap()
            .0
            .is_noop()
    );
    let (_, after) =
        env.apply(&z, ActionKind::SetRoles, "adm", &set(&[("account", "Member")])).await.unwrap();
    assert_eq!(after.map(|u| u.roles), Some(vec![RoleAssignment::new("account", "Member")]));
    let e = env
        .apply(&z, ActionKind::SetRoles, "bas", &set(&[("account", "Wizard")]))
        .await
        .expect_err("unknown");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.message().contains("its roles are Owner, Admin, Member, Billing Admin, Service desk — Tier 1"),
        "{e}"
    );
    for (id, args) in [
        ("bas", set(&[("account", "Owner")])),
        ("own", set(&[("account", "Admin")])),
        ("bas", set(&[("team", "Admin")])),
    ] {
        let e = env.apply(&z, ActionKind::SetRoles, id, &args).await.expect_err(id);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    }
    assert_eq!(env.writes().len(), 2);
}

#[tokio::test]
async fn zoom_refusals_say_what_to_do() {
    let env = env().await;
    let z = env.fast_connector();
    let e = env.apply(&z, ActionKind::SuspendUser, "adm", &set(&[])).await.expect_err("admins stay active");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(
        e.message().contains("code 200") && e.remediation().contains("account=Member"),
        "{e}: {}",
        e.remediation()
    );
    for (action, id, args) in [
        (ActionKind::SuspendUser, "own", set(&[])),
        (ActionKind::RemoveUser, "own", set(&[])),
        (ActionKind::SuspendUser, "pending:new@acme.io", set(&[])),
        (ActionKind::RemoveUser, "pending:new@acme.io", set(&[("mode", "delete")])),
        (ActionKind::RemoveUser, "mem", set(&[("mode", "erase")])),
    ] {
        let e = env.apply(&z, action, id, &args).await.expect_err(id);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{action} {id}: {e}");
    }
    env.account.update_settings(|s| s.writes.managed_domains = vec!["acme.io".into()]);
    let e = env.apply(&z, ActionKind::RemoveUser, "bas", &set(&[])).await.expect_err("managed");
    assert!(e.remediation().contains("mode=delete"), "{}", e.remediation());
    assert_eq!(env.writes(), ["PUT /v2/users/adm/status", "DELETE /v2/users/bas?action=disassociate"]);
}

#[tokio::test]
async fn unknown_and_vanished_users() {
    let env = env().await;
    let z = env.fast_connector();
    for id in ["nope", "pending:nobody@acme.io", "pending:mem@acme.io"] {
        assert_eq!(DynPlanner::read_user(&z, id).await.unwrap(), None, "{id}");
    }
    let user = env.user(&z, "bas").await;
    let args = set(&[("license", "Licensed")]);
    let plan = DynPlanner::plan_action(&z, ActionKind::SetLicense, &user, &args).await.unwrap();
    env.account.remove_user("bas");
    let e =
        DynPlanner::apply_action(&z, ActionKind::SetLicense, &user, &args, &plan).await.expect_err("gone");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(e.message().contains("1001"), "{e}");
}

#[tokio::test]
async fn read_user_maps_users_exactly_as_a_sync_does() {
    let env = Env::generated(80, 9).await;
    let z = env.fast_connector();
    let sink = sync_ok(&z).await;
    assert!(sink.users.iter().any(|u| u.status == UserStatus::Invited));
    for synced in &sink.users {
        assert_eq!(&env.user(&z, &synced.id).await, synced);
    }
}

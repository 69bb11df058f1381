//! Full syncs against the simulator: the pinned mapping for every kind of user, paging by
//! full-URL next links, licences, roles without service principals and groups, and the
//! fallbacks when sign-in activity or the directory cannot be read.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{Env, connector, fast, ids, sink_ids, sync_err, sync_ok};
use roster_core::{ErrorKind, RoleAssignment, UserStatus};
use roster_microsoft365_sim::{Fault, SignInTop, faults};
use serde_json::Value;

/// The pinned last visit: the later of the two times; null, absent, "" and year 1 are never.
fn last_visit(u: &Value) -> Option<DateTime<Utc>> {
    let at = |k: &str| {
        let t = DateTime::parse_from_rfc3339(u["signInActivity"][k].as_str()?).ok()?.to_utc();
        (t.timestamp() > 0).then_some(t)
    };
    at("lastSignInDateTime").max(at("lastNonInteractiveSignInDateTime"))
}

fn status(u: &Value) -> UserStatus {
    match (u["accountEnabled"].as_bool(), u["userType"].as_str(), u["externalUserState"].as_str()) {
        (Some(false), _, _) => UserStatus::Suspended,
        (_, Some("Guest"), Some("PendingAcceptance")) => UserStatus::Invited,
        _ => UserStatus::Active,
    }
}

#[tokio::test]
async fn every_kind_of_user_maps_as_pinned() {
    let env = Env::start(150, |_| {}).await;
    let mut settings = fast();
    settings.page_size = 40;
    let sink = sync_ok(&connector(env.credentials(), settings)).await;
    let users = env.tenant.users_json();
    assert_eq!(sink_ids(&sink), ids(&users));
    assert_eq!((sink.user_calls, sink.skipped.len(), sink.notes.len()), (150, 0, 0), "{:?}", sink.notes);

    let skus: HashMap<String, String> = env
        .tenant
        .skus_json()
        .iter()
        .map(|s| (s["skuId"].to_string(), s["skuPartNumber"].to_string()))
        .collect();
    let mut roles: HashMap<String, Vec<RoleAssignment>> = HashMap::new();
    for (role, members) in env.tenant.roles() {
        for m in members {
            roles.entry(m).or_default().push(RoleAssignment::new("directory", role.clone()));
        }
    }
    for u in &users {
        let got = sink.user(u["id"].as_str().unwrap_or_default()).expect("synced");
        let email = u["mail"].as_str().or(u["userPrincipalName"].as_str());
        assert_eq!((got.email.as_deref(), got.name.as_deref()), (email, u["displayName"].as_str()), "{u}");
        assert_eq!((got.status, got.last_visit_at), (status(u), last_visit(u)), "{u}");
        let licences: Vec<String> = u["assignedLicenses"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| skus[&l["skuId"].to_string()].trim_matches('"').to_owned())
            .collect();
        assert_eq!(got.license_types, licences, "{u}");
        assert_eq!(got.roles, roles.get(&got.id).cloned().unwrap_or_default(), "{u}");
    }
    // The generated tenant holds every case the mapping distinguishes.
    let count = |f: &dyn Fn(&Value) -> bool| users.iter().filter(|u| f(u)).count();
    for (case, n) in [
        ("disabled", count(&|u| u["accountEnabled"] == false)),
        ("pending guest", count(&|u| status(u) == UserStatus::Invited)),
        ("accepted guest", count(&|u| u["externalUserState"] == "Accepted")),
        ("no mail", count(&|u| u["mail"].is_null())),
        ("never: absent", count(&|u| u.get("signInActivity").is_none())),
        (
            "never: null",
            count(&|u| {
                u["signInActivity"]["lastSignInDateTime"].is_null() && u["signInActivity"].is_object()
            }),
        ),
        ("never: year 1", count(&|u| u["signInActivity"]["lastSignInDateTime"] == "0001-01-01T00:00:00Z")),
        ("never: empty", count(&|u| u["signInActivity"]["lastSignInDateTime"] == "")),
        (
            "fractional",
            count(&|u| u["signInActivity"]["lastSignInDateTime"].as_str().is_some_and(|t| t.contains('.'))),
        ),
    ] {
        assert!(n > 0, "no user is {case}");
    }
    // Service principals and groups hold roles too, but are not users.
    assert!(sink.users.iter().all(|u| u.roles.iter().all(|r| r.name != "Directory Readers")));
    assert!(sink.users.iter().any(|u| u.roles.iter().any(|r| r.name == "Global Administrator")));

    let tenant = sink.tenant.as_ref().expect("a tenant record");
    assert_eq!(
        (tenant.tenant_id.clone(), tenant.name.clone()),
        (env.tenant.tenant_id(), Some(env.tenant.display_name()))
    );
    for sku in env.tenant.skus_json() {
        let l = sink
            .licenses
            .iter()
            .find(|l| l.name == sku["skuPartNumber"])
            .expect("every SKU is a licence type");
        let held = users.iter().filter(|u| {
            u["assignedLicenses"].as_array().is_some_and(|a| a.iter().any(|x| x["skuId"] == sku["skuId"]))
        });
        assert_eq!(
            (l.total, l.assigned),
            (sku["prepaidUnits"]["enabled"].as_u64(), held.count() as u64),
            "{sku}"
        );
    }
    let pages = env.graph_requests().iter().filter(|r| r.starts_with("/v1.0/users?")).count();
    assert_eq!(pages, 4, "150 users in pages of 40 via next links");
}

#[tokio::test]
async fn refused_sign_in_activity_is_read_again_without_it_and_says_why() {
    for (case, premium, granted, premium_first, says) in [
        ("no P1/P2", false, true, true, "P1 or P2"),
        ("no AuditLog.Read.All", true, false, true, "AuditLog.Read.All"),
        ("neither, licence first", false, false, true, "P1 or P2"),
        ("neither, permission first", false, false, false, "AuditLog.Read.All"),
    ] {
        let env = Env::start(30, |s| {
            s.settings.premium = premium;
            s.settings.premium_checked_first = premium_first;
        })
        .await;
        if !granted {
            env.tenant.set_permissions(&["User.Read.All", "Directory.Read.All"]);
        }
        let sink = sync_ok(&env.connector()).await;
        assert_eq!(sink.users.len(), 30, "{case}");
        assert!(sink.users.iter().all(|u| u.last_visit_at.is_none()), "{case}");
        assert!(
            sink.notes.iter().any(|n| n.contains("last visit is left empty") && n.contains(says)),
            "{case}: {:?}",
            sink.notes
        );
        let lists: Vec<bool> = env
            .graph_requests()
            .iter()
            .filter(|r| r.starts_with("/v1.0/users?"))
            .map(|r| r.contains("signInActivity"))
            .collect();
        assert_eq!(lists, [true, false], "{case}");
    }
}

#[tokio::test]
async fn an_intermittent_premium_refusal_mid_list_restarts_without_sign_in() {
    let env = Env::start(90, |_| {}).await;
    // The delta request and the first list page pass; the second page is refused.
    env.tenant.push_fault(Fault::Delay(Duration::ZERO), 2, Some("/v1.0/users"));
    env.tenant.push_fault(faults::NON_PREMIUM, 1, Some("/v1.0/users"));
    let mut settings = fast();
    settings.page_size = 30;
    let sink = sync_ok(&connector(env.credentials(), settings)).await;
    assert_eq!(sink_ids(&sink), ids(&env.tenant.users_json()));
    assert!(sink.users.iter().all(|u| u.last_visit_at.is_none()));
    assert_eq!(sink.user_calls, 30 + 90, "the first page's users are sent again without a last visit");
}

#[tokio::test]
async fn a_refused_page_size_is_read_from_the_answer() {
    let env = Env::start(260, |s| s.settings.signin_top = SignInTop::Refuse(120)).await;
    let sink = sync_ok(&env.connector()).await;
    assert_eq!(sink_ids(&sink), ids(&env.tenant.users_json()));
    assert!(sink.users.iter().any(|u| u.last_visit_at.is_some()));
    let tops: Vec<String> = env
        .graph_requests()
        .iter()
        .filter(|r| r.starts_with("/v1.0/users?"))
        .map(|r| {
            r.split("%24top=").nth(1).unwrap_or_default().chars().take_while(char::is_ascii_digit).collect()
        })
        .collect();
    assert_eq!(tops, ["500", "120", "120", "120"]);
}

#[tokio::test]
async fn without_directory_read_all_users_sync_with_notes() {
    let env =
        Env::start(20, |s| s.apps[0].permissions = vec!["User.Read.All".into(), "AuditLog.Read.All".into()])
            .await;
    let sink = sync_ok(&env.connector()).await;
    assert_eq!(sink.users.len(), 20);
    assert!(sink.licenses.is_empty() && sink.users.iter().all(|u| u.roles.is_empty()));
    assert!(
        sink.users.iter().flat_map(|u| &u.license_types).all(|l| l.len() == 36),
        "licences fall back to SKU ids"
    );
    assert_eq!(sink.notes.len(), 3, "{:?}", sink.notes);
    assert!(sink.notes.iter().all(|n| n.contains("Directory.Read.All") && n.contains("403")));
    let tenant = sink.tenant.expect("the configured tenant");
    assert_eq!((tenant.tenant_id, tenant.name), (env.tenant.tenant_id(), None));
}

#[tokio::test]
async fn without_any_user_permission_the_sync_fails_naming_it() {
    let env = Env::start(5, |s| s.apps[0].permissions = vec!["Directory.Read.All".into()]).await;
    env.tenant.set_permissions(&["AuditLog.Read.All"]);
    let e = sync_err(&env.connector()).await;
    assert_eq!(
        (e.kind(), e.permissions()),
        (ErrorKind::MissingPermission, &["User.Read.All".to_owned()][..]),
        "{e}"
    );
    assert!(e.remediation().contains("Grant admin consent"), "{}", e.remediation());
}

#[tokio::test]
async fn role_members_without_a_type_are_users_by_their_principal_name() {
    let env = Env::start(40, |s| s.settings.members_odata_type = false).await;
    let sink = sync_ok(&env.connector()).await;
    let holders = |role: &str| sink.users.iter().filter(|u| u.roles.iter().any(|r| r.name == role)).count();
    assert_eq!((holders("Global Administrator"), holders("Directory Readers")), (2, 0));
    assert_eq!(holders("Exchange Administrator"), 1, "the service principal beside the user is skipped");
}

//! The pinned mapping, field by field against the simulator's data: ids, SAML and public
//! emails, names, statuses, roles, Copilot activity and licences, and the licence totals.

mod common;

use chrono::DateTime;
use common::{Env, assert_complete, fast, sync_ok};
use roster_core::{LicenseType, RoleAssignment, UserStatus};
use roster_github::GithubSettings;
use serde_json::Value;

fn role(name: &str) -> Vec<RoleAssignment> {
    vec![RoleAssignment::new("org", name)]
}

#[tokio::test]
async fn a_saml_and_copilot_organization_maps_every_field() {
    let env = Env::start(40, |_| {}).await;
    let sink = sync_ok(&env.owner()).await;
    assert_complete(&sink, &env.org);
    assert!(sink.notes.is_empty(), "{:?}", sink.notes);
    let data = env.org.data();
    let seat_of = |login: &str| data.seats.iter().find(|s| s["assignee"]["login"] == login);
    for edge in &data.members {
        let node = &edge["node"];
        let login = node["login"].as_str().unwrap_or_default();
        let u = sink.user(&node["databaseId"].to_string()).unwrap_or_else(|| panic!("{login}"));
        let name_id = data.identities.iter().find(|i| i["node"]["user"]["login"] == login);
        assert_eq!(u.email.as_deref(), name_id.and_then(|i| i["node"]["samlIdentity"]["nameId"].as_str()));
        assert_eq!(u.name.as_deref(), Some(node["name"].as_str().unwrap_or(login)));
        assert_eq!(u.status, UserStatus::Active);
        assert_eq!(u.roles, role(if edge["role"] == "ADMIN" { "admin" } else { "member" }));
        let seat = seat_of(login);
        let activity = seat
            .and_then(|s| s["last_activity_at"].as_str())
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        assert_eq!(u.last_visit_at, activity.map(|t| t.to_utc()), "{login}");
        let mut licences = vec!["GitHub enterprise".to_owned()];
        licences.extend(seat.map(|_| "Copilot Business".to_owned()));
        assert_eq!(u.license_types, licences, "{login}: a seat without plan_type takes the organization's");
        assert_eq!(u.attributes["login"], Value::from(login));
    }
    let contractor = sink.user("20000000").expect("the first outside collaborator");
    assert_eq!((contractor.roles.clone(), contractor.email.clone()), (role("outside_collaborator"), None));
    assert_eq!(contractor.license_types, ["GitHub enterprise", "Copilot Business"]);
    for i in &data.invitations {
        let u = sink.user(&format!("invitation:{}", i["id"])).expect("an invitation");
        assert_eq!((u.status, u.email.as_deref()), (UserStatus::Invited, i["email"].as_str()));
        assert_eq!(u.name.as_deref(), i["login"].as_str().or(i["email"].as_str()));
        assert_eq!(u.roles, role(if i["role"] == "admin" { "admin" } else { "member" }));
        assert!(u.license_types.is_empty() && u.last_visit_at.is_none());
    }
    let (filled, seats) = env.org.seats();
    assert_eq!(
        sink.licenses,
        [
            LicenseType { name: "GitHub enterprise".into(), assigned: filled, total: Some(seats) },
            LicenseType {
                name: "Copilot Business".into(),
                assigned: data.seats.len() as u64,
                total: Some(data.seats.len() as u64)
            },
        ]
    );
    let tenant = sink.tenant.expect("a tenant record");
    assert_eq!(
        (tenant.tenant_id, tenant.name, tenant.plan),
        ("9001".into(), Some("Octo Org 1".into()), Some("enterprise".into()))
    );
    assert_eq!(
        (tenant.attributes["saml"].clone(), tenant.attributes["copilot"].clone()),
        (true.into(), "Copilot Business".into())
    );
}

#[tokio::test]
async fn without_saml_or_copilot_emails_are_public_and_copilot_is_no_error() {
    for absent in [404, 422] {
        let env = Env::start(30, |s| {
            (s.saml, s.copilot, s.plan) = (false, None, "team".into());
            s.settings.copilot_absent_status = absent;
        })
        .await;
        let sink = sync_ok(&env.owner()).await;
        assert_complete(&sink, &env.org);
        assert!(sink.notes.is_empty(), "an organization without copilot is normal: {:?}", sink.notes);
        for edge in env.org.data().members {
            let u = sink.user(&edge["node"]["databaseId"].to_string()).expect("member");
            assert_eq!(
                u.email.as_deref(),
                edge["node"]["email"].as_str().filter(|e| !e.is_empty()),
                "\"\" is hidden"
            );
            assert_eq!((u.license_types.clone(), u.last_visit_at), (vec!["GitHub team".to_owned()], None));
        }
        assert_eq!(sink.licenses.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["GitHub team"]);
        assert_eq!(sink.tenant.map(|t| t.attributes["saml"].clone()), Some(false.into()));
    }
}

#[tokio::test]
async fn copilot_enterprise_and_persistent_name_ids() {
    let env = Env::start(30, |s| {
        s.copilot = Some("enterprise");
        s.settings.name_id_is_email = false;
    })
    .await;
    let sink = sync_ok(&env.owner()).await;
    assert!(sink.licenses.iter().any(|l| l.name == "Copilot Enterprise" && l.total.is_some()));
    for edge in env.org.data().members {
        let u = sink.user(&edge["node"]["databaseId"].to_string()).expect("member");
        assert_eq!(
            u.email.as_deref(),
            edge["node"]["email"].as_str().filter(|e| !e.is_empty()),
            "an opaque nameId is no email"
        );
    }
}

#[tokio::test]
async fn small_pages_follow_cursors_and_links_in_both_forms() {
    for by_id in [true, false] {
        let env = Env::start(45, |s| s.settings.link_by_id = by_id).await;
        let sink = sync_ok(&env.connector(true, GithubSettings { page_size: 2, ..fast() })).await;
        assert_complete(&sink, &env.org);
        let paths = env.paths();
        let graphql = paths.iter().filter(|p| *p == "POST /api/graphql").count();
        assert_eq!(graphql, 23 + 23, "45 members and 46 identities, 2 a page");
        let linked = paths.iter().filter(|p| p.contains("/api/v3/organizations/9001/")).count();
        assert_eq!(linked > 0, by_id, "{paths:?}");
    }
}

#[tokio::test]
async fn a_member_without_a_database_id_is_skipped_and_others_kept() {
    let env = Env::start(10, |_| {}).await;
    env.org.update_data(|d| d.members[3]["node"]["databaseId"] = Value::Null);
    let sink = sync_ok(&env.owner()).await;
    assert_eq!(sink.skipped.len(), 1, "{:?}", sink.skipped);
    assert!(sink.skipped[0].0.starts_with("user ") && sink.skipped[0].1.contains("databaseId"));
    assert_eq!(sink.users.len(), env.org.user_count() - 1);
}

#[tokio::test]
async fn the_demo_fixture_serves_github_organizations_that_sync() {
    let demo =
        roster_sim_kit::demo::registered().into_iter().find(|d| d.connector == "github").expect("registered");
    let started = (demo.start)().await.expect("the demo starts");
    assert_eq!(started.accounts.len(), 2);
    for account in &started.accounts {
        let text = |k: &str| {
            account
                .credentials
                .iter()
                .find(|(key, _)| *key == k)
                .and_then(|(_, v)| v.as_str())
                .map(str::to_owned)
        };
        let credentials = roster_github::GithubCredentials {
            organization: text("organization").expect("organization"),
            token: roster_core::Secret::new(account.secrets[0].1.clone()),
            api_url: text("api_url").expect("api_url"),
        };
        let sink = sync_ok(&common::build(credentials, fast())).await;
        assert!(sink.users.len() > 25 && sink.skipped.is_empty(), "{}", account.id);
    }
}

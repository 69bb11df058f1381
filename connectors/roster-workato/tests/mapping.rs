//! Every field of a synced user, account and license summary, checked against
//! the simulator's own data (`members_json()`), over real HTTP.

mod common;

use chrono::{DateTime, Utc};
use common::{Env, sync_ok};
use roster_core::{RoleAssignment, User, UserStatus};
use roster_workato_sim::{Members, RoleModel, WorkspaceSpec};
use serde_json::{Map, Value, json};

/// What the connector should make of one member object, written out from the
/// API reference independently of the connector's code.
fn expected_user(m: &Value) -> User {
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut u = User::new(m["id"].as_u64().unwrap().to_string(), UserStatus::Active);
    u.email = text("email");
    u.name = text("name");
    u.last_visit_at = m
        .get("last_activity_log")
        .and_then(|l| l.get("created_at"))
        .and_then(Value::as_str)
        .map(|s| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc));
    match m.get("roles").and_then(Value::as_array) {
        Some(roles) => {
            for r in roles {
                u.roles.push(RoleAssignment::new(
                    r["environment_type"].as_str().unwrap(),
                    r["role_name"].as_str().unwrap(),
                ));
            }
        }
        None => u.roles.push(RoleAssignment::new("dev", m["role_name"].as_str().unwrap())),
    }
    // The connector hands roles over sorted, as the store keeps them.
    u.roles.sort();
    u.license_types = vec!["Workato".to_owned()];
    let mut attributes = Map::new();
    if let Some(v) = m.get("external_id").filter(|v| !v.is_null()) {
        attributes.insert("external_id".into(), v.clone());
    }
    for key in ["time_zone", "grant_type", "created_at"] {
        if let Some(v) = m.get(key).filter(|v| !v.is_null()) {
            attributes.insert(key.into(), v.clone());
        }
    }
    u.attributes = attributes;
    u
}

fn spec(id: u64, n: usize, seed: u64, model: RoleModel) -> WorkspaceSpec {
    let mut spec = WorkspaceSpec::generated(id, n, seed);
    spec.role_model = model;
    spec
}

async fn assert_every_member_maps(model: RoleModel) {
    let env = Env::start(spec(3, 400, 11, model)).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let members = env.ws.members_json();
    assert_eq!(sink.users.len(), members.len());
    for (user, member) in sink.users.iter().zip(&members) {
        assert_eq!(user, &expected_user(member), "member {member}");
    }
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
}

#[tokio::test]
async fn every_legacy_member_maps_field_by_field() {
    assert_every_member_maps(RoleModel::Legacy).await;
}

#[tokio::test]
async fn every_rbac_v2_member_maps_field_by_field() {
    assert_every_member_maps(RoleModel::RbacV2).await;
}

#[tokio::test]
async fn roles_follow_each_environment_of_both_role_models() {
    for (model, admin) in [(RoleModel::Legacy, "Admin"), (RoleModel::RbacV2, "Environment admin")] {
        let env = Env::start(spec(4, 400, 5, model)).await;
        let sink = sync_ok(&env.fast_connector(), None).await;
        let scopes: std::collections::BTreeSet<&str> =
            sink.users.iter().flat_map(|u| u.roles.iter().map(|r| r.scope.as_str())).collect();
        assert_eq!(scopes, ["dev", "prod", "test"].into_iter().collect(), "{model:?}");
        assert!(sink.users.iter().any(|u| u.roles.iter().any(|r| r.name == admin)), "{model:?}: no {admin}");
        // Every user has exactly one dev role, first.
        for u in &sink.users {
            assert_eq!(u.roles[0].scope, "dev", "{u:?}");
            assert_eq!(u.roles.iter().filter(|r| r.scope == "dev").count(), 1);
        }
    }
}

#[tokio::test]
async fn flat_shape_members_get_one_dev_role() {
    let env = Env::generated(5, 400, 7).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let members = env.ws.members_json();
    let flat: Vec<&Value> = members.iter().filter(|m| m.get("roles").is_none()).collect();
    assert!(!flat.is_empty(), "the generated data has no flat-shape member");
    for m in flat {
        let u = sink.user(&m["id"].to_string()).unwrap();
        assert_eq!(u.roles, vec![RoleAssignment::new("dev", m["role_name"].as_str().unwrap())]);
    }
}

#[tokio::test]
async fn last_visit_is_last_activity_converted_to_utc_and_null_is_none() {
    let env = Env::generated(7, 300, 3).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let members = env.ws.members_json();
    let (mut with_offset, mut null) = (0, 0);
    for m in &members {
        let u = sink.user(&m["id"].to_string()).unwrap();
        match m["last_activity_log"]["created_at"].as_str() {
            Some(raw) => {
                let at = DateTime::parse_from_rfc3339(raw).unwrap();
                if at.offset().local_minus_utc() != 0 {
                    with_offset += 1;
                }
                assert_eq!(u.last_visit_at, Some(at.with_timezone(&Utc)), "{raw}");
            }
            None => {
                null += 1;
                assert_eq!(u.last_visit_at, None);
            }
        }
    }
    assert!(with_offset > 0 && null > 0, "{with_offset} {null}");

    // One literal case, so the conversion is not only checked against chrono itself.
    let env = Env::start(explicit(vec![json!({
        "id": 1, "email": "a@example.com",
        "last_activity_log": {"id": 9, "event_type": "user_login", "created_at": "2024-05-01T10:22:33.123-07:00"}
    })]))
    .await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_eq!(sink.users[0].last_visit_at.unwrap().to_rfc3339(), "2024-05-01T17:22:33.123+00:00");
}

#[tokio::test]
async fn unicode_names_and_mixed_case_emails_are_kept() {
    let env = Env::generated(9, 400, 2).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let members = env.ws.members_json();
    let unicode: Vec<&Value> = members.iter().filter(|m| !m["name"].as_str().unwrap().is_ascii()).collect();
    let mixed: Vec<&Value> = members
        .iter()
        .filter(|m| {
            let e = m["email"].as_str().unwrap();
            e.chars().any(|c| c.is_ascii_uppercase())
        })
        .collect();
    assert!(!unicode.is_empty() && !mixed.is_empty());
    for m in unicode.into_iter().chain(mixed) {
        let u = sink.user(&m["id"].to_string()).unwrap();
        assert_eq!(u.name.as_deref(), m["name"].as_str());
        assert_eq!(u.email.as_deref(), m["email"].as_str());
    }
}

#[tokio::test]
async fn every_user_has_the_workato_license_and_the_summary_counts_them() {
    let env = Env::generated(11, 250, 4).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_eq!(sink.users.len(), 250);
    assert!(sink.users.iter().all(|u| u.license_types == ["Workato"]));
    assert_eq!(sink.licenses.len(), 1);
    let license = &sink.licenses[0];
    assert_eq!(license.name, "Workato");
    assert_eq!(license.assigned, 250);
    assert_eq!(license.total, None);
}

#[tokio::test]
async fn attributes_carry_external_id_time_zone_grant_type_and_created_at() {
    let env = Env::generated(13, 300, 8).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let members = env.ws.members_json();
    let mut external = 0;
    for m in &members {
        let u = sink.user(&m["id"].to_string()).unwrap();
        assert_eq!(u.attributes.get("time_zone"), m.get("time_zone"));
        assert_eq!(u.attributes["grant_type"], "team");
        assert_eq!(u.attributes.get("created_at"), m.get("created_at"));
        if m["external_id"].is_null() {
            assert!(!u.attributes.contains_key("external_id"));
        } else {
            external += 1;
            assert_eq!(u.attributes["external_id"], m["external_id"]);
        }
        let keys: Vec<&str> = u.attributes.keys().map(String::as_str).collect();
        assert!(
            keys.iter().all(|k| ["external_id", "time_zone", "grant_type", "created_at"].contains(k)),
            "{keys:?}"
        );
    }
    assert!(external > 0);
}

#[tokio::test]
async fn account_record_comes_from_users_me() {
    let mut spec = WorkspaceSpec::generated(17, 10, 1);
    spec.name = "Zoë's Ünïcode Workspace".into();
    spec.plan_id = "enterprise_plan".into();
    let env = Env::start(spec).await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let account = sink.tenant.expect("a tenant record");
    assert_eq!(account.tenant_id, "17");
    assert_eq!(account.name.as_deref(), Some("Zoë's Ünïcode Workspace"));
    assert_eq!(account.plan.as_deref(), Some("enterprise_plan"));
    for key in ["created_at", "current_billing_period_start", "current_billing_period_end", "last_seen"] {
        assert!(account.attributes.get(key).is_some_and(Value::is_string), "{key}");
    }
}

fn explicit(members: Vec<Value>) -> WorkspaceSpec {
    let mut spec = WorkspaceSpec::generated(21, 0, 1);
    spec.members = Members::Explicit(members);
    spec
}

#[tokio::test]
async fn unknown_extra_fields_are_tolerated() {
    let env = Env::start(explicit(vec![json!({
        "id": 1, "email": "a@example.com", "name": "A",
        "roles": [{"environment_type": "dev", "role_name": "Admin", "role_type": "privilege_group", "folder_ids": [1, 2]}],
        "avatar_url": "https://example.com/a.png", "sso_enabled": true,
        "nested": {"deep": [{"x": null}, [], "]}\"["]},
        "last_activity_log": {"id": 5, "event_type": "recipe_started", "created_at": "2024-01-01T00:00:00.000Z", "extra": 1}
    })]))
    .await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert!(sink.skipped.is_empty());
    let u = &sink.users[0];
    assert_eq!(u.id, "1");
    assert_eq!(u.roles, vec![RoleAssignment::new("dev", "Admin")]);
    assert!(u.attributes.is_empty(), "{:?}", u.attributes);
}

#[tokio::test]
async fn a_record_with_a_wrong_type_is_skipped_and_the_rest_arrive() {
    let env = Env::start(explicit(vec![
        json!({"id": 1, "email": "one@example.com", "name": "One", "role_name": "Admin"}),
        json!({"id": 2, "email": 42, "name": "Two"}),
        json!({"id": 3, "email": "three@example.com", "roles": "Admin"}),
        json!({"email": "no-id@example.com"}),
        json!({"id": 4, "email": "four@example.com", "name": "Four"}),
    ]))
    .await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    let ids: Vec<&str> = sink.users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["1", "4"]);
    let skipped: Vec<&str> = sink.skipped.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(skipped, ["collaborator 2", "collaborator 3", "collaborator (unknown id)"]);
    // The reason says what was wrong without echoing values.
    assert!(sink.skipped[0].1.contains("invalid type"), "{:?}", sink.skipped[0]);
    assert_eq!(sink.licenses[0].assigned, 2);
}

#[tokio::test]
async fn nulls_where_values_were_expected_are_fine() {
    let env = Env::start(explicit(vec![
        json!({
            "id": 1, "email": null, "name": null, "roles": null, "role_name": null,
            "last_activity_log": null, "external_id": null, "time_zone": null,
            "grant_type": null, "created_at": null
        }),
        json!({
            "id": "2", "email": "  ", "name": "",
            "roles": [{"environment_type": null, "role_name": "Admin"}, {"environment_type": "prod", "role_name": null}],
            "last_activity_log": {"id": null, "event_type": null, "created_at": null}
        }),
    ]))
    .await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
    assert!(sink.notes.is_empty(), "{:?}", sink.notes);
    let one = sink.user("1").unwrap();
    assert_eq!((one.email.as_deref(), one.name.as_deref()), (None, None));
    assert_eq!(one.last_visit_at, None);
    assert!(one.roles.is_empty());
    assert!(one.attributes.is_empty());
    assert_eq!(one.license_types, ["Workato"]);
    let two = sink.user("2").unwrap();
    assert_eq!((two.email.as_deref(), two.name.as_deref()), (None, None));
    assert_eq!(two.roles, vec![RoleAssignment::new("dev", "Admin")]);
    assert_eq!(two.last_visit_at, None);
}

#[tokio::test]
async fn an_unreadable_last_activity_time_is_noted_not_fatal() {
    let env = Env::start(explicit(vec![
        json!({"id": 1, "last_activity_log": {"created_at": "yesterday"}}),
        json!({"id": 2, "last_activity_log": {"created_at": "2024-01-01T00:00:00Z"}}),
    ]))
    .await;
    let sink = sync_ok(&env.fast_connector(), None).await;
    assert_eq!(sink.users.len(), 2);
    assert_eq!(sink.user("1").unwrap().last_visit_at, None);
    assert!(sink.notes.iter().any(|n| n.starts_with("1 collaborators")), "{:?}", sink.notes);
}

#[tokio::test]
async fn a_default_sync_makes_exactly_two_requests() {
    let env = Env::generated(23, 600, 9).await;
    sync_ok(&env.fast_connector(), None).await;
    assert_eq!(env.request_lines(), ["GET /api/users/me", "GET /api/members"]);
    // Settings left at their defaults make the same two requests.
    env.sim.clear_requests();
    let w = env.connector(roster_workato::WorkatoSettings::default());
    sync_ok(&w, None).await;
    assert_eq!(env.requests().len(), 2);
}

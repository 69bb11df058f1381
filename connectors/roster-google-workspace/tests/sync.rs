//! A full sync against the simulator: every user mapped field by field (roles by scope,
//! licences by SKU), licence totals, and every reading of the inferred points.

mod common;

use std::collections::BTreeMap;

use common::{Env, assert_complete, settings};
use roster_core::{LicenseType, RoleAssignment, UserStatus};
use roster_google_workspace::GoogleWorkspaceSettings;
use roster_google_workspace_sim::{AssigneeType, NEVER, UnownedProduct};
use roster_testkit::sync_ok;
use serde_json::{Value, json};

#[tokio::test]
async fn every_user_is_mapped_with_roles_licences_and_totals() {
    let env = Env::generated(150, 3).await;
    let precise = env.customer.with(|d| {
        d.users[5]["lastLoginTime"] = json!("2024-05-01T10:20:30.123Z");
        d.users[5]["id"].as_str().unwrap_or_default().to_owned()
    });
    let sink = sync_ok(&env.fast_connector()).await;
    assert_complete(&sink, &env.customer);
    let (roles, assignments, licenses) =
        env.customer.with(|d| (d.roles.clone(), d.assignments.clone(), d.licenses.clone()));
    let role_name =
        |id: &Value| roles.iter().find(|r| r["roleId"] == *id).and_then(|r| r["roleName"].as_str());
    let (mut with_roles, mut org_units) = (0, 0);
    for raw in env.customer.users_json() {
        let u = sink.user(raw["id"].as_str().unwrap_or_default()).expect("synced");
        assert_eq!(
            (u.email.as_deref(), u.name.as_deref()),
            (raw["primaryEmail"].as_str(), raw["name"]["fullName"].as_str())
        );
        let inactive = raw["suspended"] == true || raw["archived"] == true;
        assert_eq!(u.status, if inactive { UserStatus::Suspended } else { UserStatus::Active }, "{raw}");
        let login = raw["lastLoginTime"].as_str().filter(|t| *t != NEVER);
        assert_eq!(u.last_visit_at.map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).as_deref(), login);
        let expected: Vec<RoleAssignment> = assignments
            .iter()
            .filter(|a| a["assignedTo"] == raw["id"] && a["assigneeType"] == "USER")
            .map(|a| {
                let scope = match a["orgUnitId"].as_str() {
                    Some(ou) => format!("org_unit:{ou}"),
                    None => "customer".to_owned(),
                };
                RoleAssignment::new(scope, role_name(&a["roleId"]).unwrap_or_default())
            })
            .collect();
        with_roles += usize::from(!expected.is_empty());
        org_units += expected.iter().filter(|r| r.scope.starts_with("org_unit:")).count();
        assert_eq!(u.roles, expected, "{raw}");
        let mut skus: Vec<&str> = licenses
            .iter()
            .filter(|l| l["userId"] == raw["primaryEmail"])
            .filter_map(|l| l["skuName"].as_str())
            .collect();
        let mut got: Vec<&str> = u.license_types.iter().map(String::as_str).collect();
        skus.sort();
        got.sort();
        assert_eq!(got, skus);
        assert_eq!(u.attributes.get("customerId"), Some(&json!(env.customer.customer_id())));
    }
    assert!(with_roles > 5 && org_units > 0, "{with_roles} {org_units}");
    assert_eq!(
        sink.user(&precise).and_then(|u| u.last_visit_at).map(|t| t.timestamp_subsec_millis()),
        Some(123)
    );
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for l in &licenses {
        *counts.entry(l["skuName"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
    }
    let expected: Vec<LicenseType> =
        counts.into_iter().map(|(name, assigned)| LicenseType { name, assigned, total: None }).collect();
    assert_eq!(sink.licenses, expected);
    assert!(
        sink.notes.iter().any(|n| n.contains("1 admin role assignments to groups were skipped")),
        "{:?}",
        sink.notes
    );
    let tenant = sink.tenant.expect("a tenant record");
    assert_eq!((tenant.tenant_id, tenant.name), (env.customer.customer_id(), Some(env.customer.domain())));
}

fn sorted(sink: &roster_testkit::MemorySink) -> Vec<roster_core::User> {
    let mut users = sink.users.clone();
    users.sort_by(|a, b| a.id.cmp(&b.id));
    users.iter_mut().for_each(|u| u.license_types.sort());
    users
}

#[tokio::test]
async fn pages_of_500_and_every_reading_of_the_inferred_points_sync_the_same() {
    let env = Env::generated(1100, 4).await;
    let baseline = sync_ok(&env.fast_connector()).await;
    assert_complete(&baseline, &env.customer);
    let pages = env.requests_to("/admin/directory/v1/users");
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(
        pages.iter().all(|p| p.contains("customer=my_customer") && p.contains("maxResults=500")),
        "{pages:?}"
    );
    let licensing = env.requests_to("/apps/licensing/v1/product/");
    let paged = licensing.iter().filter(|p| p.contains("pageToken=")).count();
    assert_eq!(
        (licensing.len(), paged),
        (9, 1),
        "each default product, Google-Apps in two pages: {licensing:?}"
    );
    assert!(licensing.iter().all(|p| p.contains(&format!("customerId={}", env.customer.domain()))));
    for (assignee, unowned) in
        [(AssigneeType::Lower, UnownedProduct::Forbidden), (AssigneeType::Absent, UnownedProduct::Invalid)]
    {
        env.customer.with(|d| {
            let s = &mut d.settings;
            (s.empty_pages, s.empty_last_page_token, s.empty_lists_present) = (true, true, true);
            (s.assignee_type, s.unowned_product) = (assignee, unowned);
            (s.license_user_ids_uppercase, s.never_signed_in_absent) = (true, true);
        });
        let sink = sync_ok(&env.fast_connector()).await;
        assert_eq!(sorted(&sink), sorted(&baseline), "{assignee:?} {unowned:?}");
        assert_eq!(sink.licenses, baseline.licenses);
    }
}

#[tokio::test]
async fn only_the_configured_products_are_read_and_bad_records_are_skipped() {
    let env = Env::generated(20, 5).await;
    env.customer.with(|d| {
        d.users[1]["lastLoginTime"] = json!("yesterday");
        d.users.push(json!({"primaryEmail": "no-id@example.com", "suspended": false}));
    });
    let settings = GoogleWorkspaceSettings { license_products: vec!["Google-Vault".into()], ..settings(4) };
    let sink = sync_ok(&env.connector(settings)).await;
    assert_eq!(env.requests_to("/apps/licensing/").len(), 1);
    assert!(sink.licenses.iter().all(|l| l.name == "Google Vault"), "{:?}", sink.licenses);
    assert_eq!((sink.users.len(), sink.skipped[0].0.as_str()), (20, "user no-id@example.com"));
    assert!(sink.notes.iter().any(|n| n.starts_with("1 users had a lastLoginTime that could not be read")));
}

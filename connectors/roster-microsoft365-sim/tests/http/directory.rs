use crate::{get, start};

#[tokio::test]
async fn roles_members_skus_and_the_organization() {
    let (sim, t) = start(30, |_| {}).await;
    let (_, org) = get(&sim, &t, "/v1.0/organization?$select=id,displayName").await;
    assert_eq!(org["value"][0]["id"], t.tenant_id().as_str());
    assert!(org["value"][0].get("verifiedDomains").is_none());
    let (_, roles) = get(&sim, &t, "/v1.0/directoryRoles").await;
    let roles = roles["value"].as_array().cloned().unwrap_or_default();
    assert_eq!(roles.len(), 5);
    let mut kinds = Vec::new();
    for role in &roles {
        let (_, members) = get(
            &sim,
            &t,
            &format!("/v1.0/directoryRoles/{}/members", role["id"].as_str().unwrap_or_default()),
        )
        .await;
        assert!(members.get("@odata.nextLink").is_none());
        kinds.extend(
            members["value"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["@odata.type"].as_str().map(str::to_owned)),
        );
    }
    for kind in ["#microsoft.graph.user", "#microsoft.graph.servicePrincipal", "#microsoft.graph.group"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind}");
    }
    assert_eq!(get(&sim, &t, "/v1.0/directoryRoles/nope/members").await.0, 404);
    let (_, skus) = get(&sim, &t, "/v1.0/subscribedSkus").await;
    let users = t.users_json();
    for sku in skus["value"].as_array().into_iter().flatten() {
        let held = users.iter().filter(|u| {
            u["assignedLicenses"].as_array().is_some_and(|l| l.iter().any(|x| x["skuId"] == sku["skuId"]))
        });
        assert_eq!(sku["consumedUnits"].as_u64(), Some(held.count() as u64), "{sku}");
    }
    assert!(skus["value"].as_array().is_some_and(|s| s.iter().any(|s| s["capabilityStatus"] == "Suspended")));
}

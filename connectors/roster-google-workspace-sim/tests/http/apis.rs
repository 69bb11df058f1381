//! The Directory and Licensing APIs over HTTP: paging, who may read, and each setting.

use reqwest::StatusCode;
use roster_google_workspace_sim::{AssigneeType, Simulator, UnownedProduct, scopes::USER_READONLY};
use serde_json::{Value, json};

use crate::common::{assertion, get, get_json, header, sim_with, token, token_request};

/// Every page of `path` (which has a `?`): page sizes, items, the last body.
async fn walk(sim: &Simulator, t: &str, path: &str) -> (Vec<usize>, Vec<Value>, Value) {
    let (mut sizes, mut items, mut next) = (Vec::new(), Vec::new(), String::new());
    loop {
        let page = if next.is_empty() { path.to_owned() } else { format!("{path}&pageToken={next}") };
        let (code, body) = get_json(&sim.base_url(), Some(t), &page).await;
        assert_eq!(code, StatusCode::OK, "{page}: {body}");
        let list = body.get("users").or_else(|| body.get("items")).and_then(Value::as_array).cloned();
        sizes.push(list.as_ref().map_or(0, Vec::len));
        items.extend(list.unwrap_or_default());
        next = body.get("nextPageToken").and_then(Value::as_str).unwrap_or_default().to_owned();
        if next.is_empty() || sizes.len() > 500 {
            return (sizes, items, body);
        }
    }
}

#[tokio::test]
async fn users_page_within_max_results_and_tokens_stay_with_their_query() {
    let (sim, customer) = sim_with(23, |_| {}).await;
    let t = token(&sim, &customer).await;
    let (sizes, users, last) =
        walk(&sim, &t, "/admin/directory/v1/users?customer=my_customer&maxResults=10").await;
    assert_eq!((sizes, users), (vec![10, 10, 3], customer.users_json()));
    assert_eq!((last["kind"].clone(), last.get("nextPageToken")), (json!("admin#directory#users"), None));
    let own = format!("/admin/directory/v1/users?customer={}&maxResults=500", customer.customer_id());
    assert_eq!(walk(&sim, &t, &own).await.0, [23]);
    let (_, first) =
        get_json(&sim.base_url(), Some(&t), "/admin/directory/v1/users?customer=my_customer&maxResults=5")
            .await;
    let foreign = format!(
        "/admin/directory/v1/customer/my_customer/roles?pageToken={}",
        first["nextPageToken"].as_str().unwrap_or("")
    );
    for (path, status, reason) in [
        ("/admin/directory/v1/users?customer=my_customer&maxResults=501", 400, "invalid"),
        ("/admin/directory/v1/users?customer=C0other&maxResults=5", 400, "badRequest"),
        (&format!("/admin/directory/v1/users?customer={}", customer.domain()), 400, "badRequest"),
        ("/admin/directory/v1/users", 400, "badRequest"),
        ("/admin/directory/v1/users?domain=other.example.com", 403, "forbidden"),
        (&foreign, 400, "invalid"),
    ] {
        let (code, body) = get_json(&sim.base_url(), Some(&t), path).await;
        assert_eq!(
            (code.as_u16(), body["error"]["errors"][0]["reason"].clone()),
            (status, json!(reason)),
            "{path}"
        );
    }
}

#[tokio::test]
async fn only_a_super_admin_with_the_scope_and_a_live_token_may_read() {
    let (sim, customer) = sim_with(20, |_| {}).await;
    let base = sim.base_url();
    let key = customer.key_file(&base);
    let member = customer.with(|d| {
        d.users
            .iter()
            .find(|u| u["isAdmin"] == false && u["suspended"] == false)
            .map(|u| u["primaryEmail"].clone())
    });
    let (_, body) = token_request(
        &sim,
        &assertion(&key, member.and_then(|m| m.as_str().map(str::to_owned)).as_deref().unwrap_or(""), |_| {}),
    )
    .await;
    let member_token = body["access_token"].as_str().unwrap_or_default().to_owned();
    let (code, body) =
        get_json(&base, Some(&member_token), "/admin/directory/v1/users?customer=my_customer").await;
    assert_eq!(
        (code, body["error"]["message"].clone()),
        (StatusCode::FORBIDDEN, json!("Not Authorized to access this resource/api"))
    );
    let licensing = format!("/apps/licensing/v1/product/Google-Apps/users?customerId={}", customer.domain());
    let (code, body) = get_json(&base, Some(&member_token), &licensing).await;
    assert_eq!(
        (code, body["error"]["message"].clone()),
        (StatusCode::FORBIDDEN, json!("Unauthorized operation for the given domain."))
    );

    let a = assertion(&key, &customer.admin_email(), |j| j["claims"]["scope"] = json!(USER_READONLY));
    let users_only = token_request(&sim, &a).await.1["access_token"].as_str().unwrap_or_default().to_owned();
    let resp = get(&base, Some(&users_only), "/admin/directory/v1/customer/my_customer/roles").await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(header(&resp, "www-authenticate").is_some_and(|h| h.contains("error=insufficient_scope")));

    let t = token(&sim, &customer).await;
    for (token, reason) in [(None, "required"), (Some("ya29.unknown"), "authError")] {
        let (code, body) = get_json(&base, token, "/admin/directory/v1/users?customer=my_customer").await;
        assert_eq!(
            (code, body["error"]["errors"][0]["reason"].clone()),
            (StatusCode::UNAUTHORIZED, json!(reason))
        );
    }
    customer.expire_tokens();
    assert_eq!(
        get(&base, Some(&t), "/admin/directory/v1/users?customer=my_customer").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(customer.stats().counter("token_refusals"), 1);
}

#[tokio::test]
async fn roles_and_assignments_with_groups_org_units_and_each_assignee_type() {
    let (sim, customer) = sim_with(40, |_| {}).await;
    let t = token(&sim, &customer).await;
    let (_, roles, _) = walk(&sim, &t, "/admin/directory/v1/customer/my_customer/roles?maxResults=2").await;
    assert_eq!(roles, customer.with(|d| d.roles.clone()));
    let path = "/admin/directory/v1/customer/my_customer/roleassignments?maxResults=200";
    let (_, items, _) = walk(&sim, &t, path).await;
    assert!(
        items.iter().any(|a| a["assigneeType"] == "GROUP")
            && items.iter().any(|a| a["scopeType"] == "ORG_UNIT")
    );
    customer.with(|d| d.settings.assignee_type = AssigneeType::Lower);
    assert!(walk(&sim, &t, path).await.1.iter().any(|a| a["assigneeType"] == "group"));
    customer.with(|d| {
        d.settings.assignee_type = AssigneeType::Absent;
        d.settings.empty_pages = true;
        d.settings.empty_last_page_token = true;
    });
    let (sizes, items, last) = walk(&sim, &t, &path.replace("200", "3")).await;
    assert!(items.iter().all(|a| a.get("assigneeType").is_none()));
    assert_eq!(sizes.iter().filter(|s| **s == 0).count(), sizes.len() / 2, "{sizes:?}");
    assert_eq!(last["nextPageToken"], "");
}

#[tokio::test]
async fn licences_by_domain_or_customer_id_and_products_not_owned() {
    let (sim, customer) = sim_with(30, |_| {}).await;
    let t = token(&sim, &customer).await;
    let path = |product: &str, customer_id: &str| {
        format!("/apps/licensing/v1/product/{product}/users?customerId={customer_id}&maxResults=1000")
    };
    let (_, items, last) = walk(&sim, &t, &path("Google-Apps", &customer.domain().to_uppercase())).await;
    assert_eq!(last["kind"], "licensing#licenseAssignmentList");
    let expected: Vec<Value> =
        customer.with(|d| d.licenses.iter().filter(|l| l["productId"] == "Google-Apps").cloned().collect());
    assert_eq!(items, expected);
    assert_eq!(walk(&sim, &t, &path("Google-Apps", &customer.customer_id())).await.1.len(), expected.len());
    let (code, _) = get_json(&sim.base_url(), Some(&t), &path("Google-Apps", "my_customer")).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    let (code, body) = get_json(&sim.base_url(), Some(&t), &path("101047", "other.example.com")).await;
    assert_eq!(
        (code, body["error"]["message"].clone()),
        (StatusCode::FORBIDDEN, json!("Unauthorized operation for the given domain."))
    );
    let (code, body) = get_json(&sim.base_url(), Some(&t), &path("Google-Nope", &customer.domain())).await;
    assert_eq!(
        (code, body["error"]["message"].clone()),
        (StatusCode::BAD_REQUEST, json!("Invalid ProductId: Google-Nope"))
    );
    for (unowned, status, items) in [
        (UnownedProduct::Empty, 200, None),
        (UnownedProduct::Forbidden, 403, None),
        (UnownedProduct::Invalid, 400, None),
    ] {
        customer.with(|d| d.settings.unowned_product = unowned);
        let (code, body) = get_json(&sim.base_url(), Some(&t), &path("101047", &customer.domain())).await;
        assert_eq!((code.as_u16(), body.get("items")), (status, items), "{unowned:?}");
    }
    customer.with(|d| {
        d.settings.unowned_product = UnownedProduct::Empty;
        d.settings.empty_lists_present = true;
        d.settings.license_user_ids_uppercase = true;
    });
    let (_, body) = get_json(&sim.base_url(), Some(&t), &path("101047", &customer.domain())).await;
    assert_eq!(body["items"], json!([]));
    let (_, items, _) = walk(&sim, &t, &path("Google-Apps", &customer.domain())).await;
    assert!(items.iter().all(|l| l["userId"].as_str().is_some_and(|u| u == u.to_uppercase())));
}

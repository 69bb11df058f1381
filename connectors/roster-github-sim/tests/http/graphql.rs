//! GraphQL: the documented queries by their shape, cursors, and errors in a 200.

use serde_json::{Value, json};

use crate::common::{MEMBERS, SAML, graphql_json, sim_with};

#[tokio::test]
async fn members_page_by_cursor_with_hidden_emails_as_empty_strings() {
    let (sim, org) = sim_with(25, |_| {}).await;
    let token = org.token(true);
    let (mut cursor, mut seen) = (Value::Null, Vec::new());
    loop {
        let body = graphql_json(
            &sim,
            &token,
            MEMBERS,
            json!({"login": "octo-org-1", "first": 10, "cursor": cursor}),
        )
        .await;
        let conn = &body["data"]["organization"]["membersWithRole"];
        seen.extend(conn["edges"].as_array().cloned().unwrap_or_default());
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        cursor = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, org.data().members);
    assert!(
        seen.iter().any(|e| e["node"]["email"] == "") && seen.iter().all(|e| e["node"]["email"].is_string())
    );
}

#[tokio::test]
async fn saml_identities_for_owners_of_saml_orgs_and_null_otherwise() {
    let (sim, org) = sim_with(5, |_| {}).await;
    let vars = json!({"login": "octo-org-1"});
    let body = graphql_json(&sim, &org.token(true), SAML, vars.clone()).await;
    let edges = &body["data"]["organization"]["samlIdentityProvider"]["externalIdentities"]["edges"];
    assert_eq!(edges.as_array().map(Vec::len), Some(6));
    assert!(edges[5]["node"]["user"].is_null(), "an identity not linked yet");
    let body = graphql_json(&sim, &org.token(false), SAML, vars.clone()).await;
    assert_eq!(body, json!({"data": {"organization": {"samlIdentityProvider": null}}}));
    org.update_spec(|s| s.saml = false);
    let body = graphql_json(&sim, &org.token(true), SAML, vars).await;
    assert!(body["data"]["organization"]["samlIdentityProvider"].is_null());
}

#[tokio::test]
async fn errors_come_in_githubs_shape() {
    let (sim, org) = sim_with(5, |s| s.tokens[1].scopes = vec!["repo".into()]).await;
    let owner = org.token(true);
    let kind = |body: &Value| body["errors"][0]["type"].as_str().unwrap_or_default().to_owned();
    let body = graphql_json(&sim, &owner, MEMBERS, json!({"login": "nope", "first": 1})).await;
    assert_eq!((kind(&body), body["data"]["organization"].clone()), ("NOT_FOUND".into(), Value::Null));
    assert_eq!(
        body["errors"][0]["message"],
        "Could not resolve to an Organization with the login of 'nope'."
    );
    let body = graphql_json(&sim, &owner, MEMBERS, json!({"login": "octo-org-1", "first": 101})).await;
    assert_eq!(kind(&body), "EXCESSIVE_PAGINATION");
    let body = graphql_json(&sim, &owner, MEMBERS, json!({"login": "octo-org-1"})).await;
    assert_eq!(kind(&body), "MISSING_PAGINATION_BOUNDARIES");
    let body =
        graphql_json(&sim, &owner, MEMBERS, json!({"login": "octo-org-1", "first": 1, "cursor": "bogus"}))
            .await;
    assert_eq!(kind(&body), "INVALID_CURSOR_ARGUMENTS");
    let body =
        graphql_json(&sim, &org.token(false), MEMBERS, json!({"login": "octo-org-1", "first": 1})).await;
    assert_eq!(kind(&body), "INSUFFICIENT_SCOPES");
    let body = graphql_json(&sim, &owner, "{ viewer { login } }", json!({})).await;
    assert!(
        body["errors"][0]["message"].as_str().is_some_and(|m| m.starts_with("Parse error"))
            && body.get("data").is_none()
    );
    let body = graphql_json(&sim, &owner, "{ rateLimit { limit remaining resetAt } }", json!({})).await;
    assert_eq!(body["data"]["rateLimit"]["limit"], 5000);
}

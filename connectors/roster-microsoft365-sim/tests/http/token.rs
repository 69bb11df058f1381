use crate::{form, start, token_request};

#[tokio::test]
async fn tokens_and_the_documented_refusals() {
    let (sim, t) = start(2, |_| {}).await;
    let scope = format!("{}/.default", sim.base_url());
    let (id, secret, tenant) = (t.client_id(), t.client_secret(), t.tenant_id());
    let (status, ok) = token_request(&sim, &t.domain().to_uppercase(), &form(&id, &secret, &scope)).await;
    assert_eq!(status, 200, "a verified domain in any case names the tenant");
    assert_eq!(
        (ok["token_type"].as_str(), ok["expires_in"].as_u64(), ok["ext_expires_in"].as_u64()),
        (Some("Bearer"), Some(3599), Some(3599))
    );
    for (name, form, status, error, code) in [
        (tenant.as_str(), form(&id, "wrong", &scope), 401, "invalid_client", 7000215),
        (tenant.as_str(), form(&id, "", &scope), 401, "invalid_client", 7000218),
        (tenant.as_str(), form("someone-else", &secret, &scope), 400, "unauthorized_client", 700016),
        ("fabrikam.onmicrosoft.com", form(&id, &secret, &scope), 400, "invalid_tenant", 90002),
        ("authorize", form(&id, &secret, &scope), 400, "invalid_request", 900023),
        (
            tenant.as_str(),
            form(&id, &secret, "https://graph.microsoft.com/.default"),
            400,
            "invalid_scope",
            70011,
        ),
    ] {
        let (got, body) = token_request(&sim, name, &form).await;
        assert_eq!(
            (got, body["error"].as_str(), body["error_codes"][0].as_i64()),
            (status, Some(error), Some(code)),
            "{body}"
        );
        let description = body["error_description"].as_str().unwrap_or_default();
        assert!(
            description.starts_with(&format!("AADSTS{code}: ")) && description.contains("\r\nTrace ID: "),
            "{description}"
        );
        assert!(body["timestamp"].as_str().is_some_and(|t| t.contains(' ') && t.ends_with('Z')), "{body}");
        assert!(!body.to_string().contains(&secret));
    }
    sim.set_unknown_tenant_error(false);
    let (_, body) = token_request(&sim, "fabrikam.onmicrosoft.com", &form(&id, &secret, &scope)).await;
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(t.stats().counter("tokens_issued"), 1);
}

//! Helpers shared by the HTTP tests: a simulator with one customer, assertions signed
//! the documented way (with the key file's own private key), and the kit's probe client.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use reqwest::StatusCode;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use roster_google_workspace_sim::{Customer, CustomerSpec, Simulator, scopes::ALL_SCOPES};
use serde_json::{Value, json};

pub use roster_sim_kit::probe::{client, get, get_json, header};

pub async fn sim_with(users: usize, f: impl FnOnce(&mut CustomerSpec)) -> (Simulator, Customer) {
    let sim = Simulator::start().await.expect("simulator starts");
    let mut spec = CustomerSpec::generated(1, users, 11);
    f(&mut spec);
    let customer = sim.add_customer(spec);
    (sim, customer)
}

/// An RS256 assertion signed with `key_file`'s private key: for the admin, every scope,
/// an hour; `change` edits `{"header": ..., "claims": ...}` before signing.
pub fn assertion(key_file: &str, admin: &str, change: impl FnOnce(&mut Value)) -> String {
    let key: Value = serde_json::from_str(key_file).expect("a key file");
    let now = chrono::Utc::now().timestamp();
    let mut jwt = json!({
        "header": {"alg": "RS256", "typ": "JWT", "kid": key["private_key_id"]},
        "claims": {"iss": key["client_email"], "sub": admin, "scope": ALL_SCOPES.join(" "),
                   "aud": key["token_uri"], "iat": now, "exp": now + 3600},
    });
    change(&mut jwt);
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let signed = format!("{}.{}", part(&jwt["header"]), part(&jwt["claims"]));
    let pem = key["private_key"].as_str().unwrap_or_default();
    let der =
        STANDARD.decode(pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).expect("pem");
    let pair = RsaKeyPair::from_pkcs8(&der).expect("pkcs#8");
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signed.as_bytes(), &mut sig).expect("signs");
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// `POST /token` with the JWT bearer grant.
pub async fn token_request(sim: &Simulator, assertion: &str) -> (StatusCode, Value) {
    let resp = client()
        .post(format!("{}/token", sim.base_url()))
        .form(&[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)])
        .send()
        .await
        .expect("sent");
    let status = resp.status();
    (status, resp.json().await.expect("json body"))
}

/// A token for the admin with every scope; panics unless it is issued.
pub async fn token(sim: &Simulator, customer: &Customer) -> String {
    let a = assertion(&customer.key_file(&sim.base_url()), &customer.admin_email(), |_| {});
    let (status, body) = token_request(sim, &a).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("access_token").to_owned()
}

//! `check` and what each misconfiguration says: a malformed key, a bad signature or a
//! deleted key, an unknown, suspended or non-admin admin_email, an undelegated scope
//! (named), a wrong domain for licensing.

mod common;

use common::{Env, connector, settings};
use roster_core::{CheckReport, Connector, ConnectorDescriptor, ConnectorError, ErrorKind};
use roster_google_workspace::GoogleWorkspace;
use roster_google_workspace_sim::{ScopeRefusal, scopes};
use roster_testkit::sync_ok;
use serde_json::{Value, json};

async fn check(env: &Env) -> Result<CheckReport, ConnectorError> {
    Connector::check(&env.fast_connector()).await
}

fn refused(report: &CheckReport) -> Vec<String> {
    report.access.iter().filter(|a| !a.granted).map(|a| a.detail.clone().unwrap_or_default()).collect()
}

#[tokio::test]
async fn a_good_customer_is_named_and_fully_granted() {
    let env = Env::generated(10, 1).await;
    let report = check(&env).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.fully_granted() && report.access.len() == 4, "{:?}", report.access);
    assert_eq!(
        (report.tenant.tenant_id, report.tenant.name),
        (env.customer.customer_id(), Some(env.customer.domain()))
    );
}

#[tokio::test]
async fn a_malformed_key_is_refused_on_load_naming_the_field_not_the_value() {
    let env = Env::generated(1, 1).await;
    let file: Value = serde_json::from_str(&env.key_file()).unwrap_or_default();
    let pem = file["private_key"].as_str().unwrap_or_default().to_owned();
    let body_line = pem.lines().nth(3).unwrap_or_default().to_owned();
    let with = |k: &str, v: Value| {
        let mut f = file.clone();
        f[k] = v;
        f.to_string()
    };
    for (bad, says) in [
        (pem.clone(), "not json"),
        (with("type", json!("authorized_user")), "\"service_account\""),
        (with("private_key", json!(pem.replace("PRIVATE KEY-----", "RSA PRIVATE KEY-----"))), "PKCS#8"),
        (with("private_key", json!(pem.replacen(&body_line, "AAAA", 1))), "private_key"),
        (with("token_uri", json!("http://oauth2.example.com/token")), "https"),
        (with("universe_domain", json!("other.example")), "universe"),
    ] {
        let creds =
            json!({"service_account_key": bad, "admin_email": "a@example.com", "domain": "example.com"});
        let errors = (ConnectorDescriptor::of::<GoogleWorkspace>().build)(creds, Value::Null)
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "credentials.service_account_key");
        assert!(errors[0].message.contains(says), "{says}: {}", errors[0].message);
        assert!(!format!("{errors:?}").contains(&body_line), "the key leaked: {errors:?}");
    }
    let creds = json!({"service_account_key": env.key_file(), "admin_email": "admin", "customer_id": "my customer",
        "domain": "https://example.com", "base_url": "http://example.com"});
    let errors =
        (ConnectorDescriptor::of::<GoogleWorkspace>().build)(creds, Value::Null).err().unwrap_or_default();
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        ["credentials.admin_email", "credentials.customer_id", "credentials.domain", "credentials.base_url"]
    );
}

#[tokio::test]
async fn a_bad_signature_or_a_deleted_key_asks_for_a_new_key() {
    let env = Env::generated(3, 1).await;
    let foreign =
        connector(env.credentials_with(env.customer.foreign_key_file(&env.sim.base_url())), settings(4));
    let e = Connector::check(&foreign).await.expect_err("another private key");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
    assert!(
        e.message().contains("Invalid JWT Signature") && e.remediation().contains("Keys"),
        "{e}: {}",
        e.remediation()
    );
    env.customer.delete_keys();
    let e = check(&env).await.expect_err("a deleted key");
    assert!(e.kind() == ErrorKind::InvalidCredentials && e.message().contains("deleted"), "{e}");
}

#[tokio::test]
async fn an_unknown_suspended_or_non_admin_subject_is_told_apart() {
    let env = Env::generated(40, 1).await;
    let email = |f: fn(&Value) -> bool| {
        env.customer.with(|d| {
            d.users.iter().find(|u| f(u)).and_then(|u| u["primaryEmail"].as_str()).unwrap_or("").to_owned()
        })
    };
    let as_admin = |admin: String| {
        let mut c = env.credentials();
        c.admin_email = admin;
        connector(c, settings(4))
    };
    let suspended = email(|u| u["suspended"] == true);
    let member = email(|u| u["isAdmin"] == false && u["suspended"] == false);
    for admin in ["nobody@example.com".to_owned(), suspended.clone()] {
        let e = Connector::check(&as_admin(admin.clone())).await.expect_err("no such admin");
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
        assert!(e.message().contains(&format!("{admin} is unknown or suspended")), "{e}");
        assert!(e.remediation().contains("super admin"), "{}", e.remediation());
    }
    let e = Connector::check(&as_admin(member.clone())).await.expect_err("not an admin");
    assert_eq!(e.kind(), ErrorKind::MissingPermission);
    assert!(
        e.message().contains("Not Authorized to access this resource/api") && e.message().contains(&member),
        "{e}"
    );
    assert!(e.remediation().contains("super admin"), "{}", e.remediation());
    env.customer.with(|d| d.settings.token_for_suspended_subject = true);
    let e = Connector::check(&as_admin(suspended)).await.expect_err("suspended, with a token");
    assert_eq!(e.kind(), ErrorKind::MissingPermission);
}

#[tokio::test]
async fn an_undelegated_scope_is_named_with_the_client_id() {
    let env = Env::generated(10, 1).await;
    for refusal in [ScopeRefusal::UnauthorizedClient, ScopeRefusal::AccessDenied] {
        env.customer.with(|d| d.settings.scope_refusal = refusal);
        env.customer.delegate(&[scopes::USER_READONLY, scopes::LICENSING]);
        let report = check(&env).await.unwrap_or_else(|e| panic!("{e}"));
        let details = refused(&report);
        assert_eq!(details.len(), 1, "{details:?}");
        assert!(
            details[0].contains(scopes::ROLES_READONLY) && details[0].contains(&env.customer.client_id()),
            "{details:?}"
        );
        let sink = sync_ok(&env.fast_connector()).await;
        assert!(sink.users.iter().all(|u| u.roles.is_empty()) && !sink.licenses.is_empty());
        assert!(
            sink.notes
                .iter()
                .any(|n| n.contains("admin roles were not read") && n.contains(scopes::ROLES_READONLY))
        );
    }
    env.customer.delegate(&[scopes::ROLES_READONLY, scopes::LICENSING]);
    let e = check(&env).await.expect_err("users are required");
    assert_eq!(
        (e.kind(), e.permissions()),
        (ErrorKind::MissingPermission, &[scopes::USER_READONLY.to_owned()][..])
    );
    assert!(
        e.remediation().contains("Domain-wide delegation")
            && e.remediation().contains(&env.customer.client_id())
    );
    env.customer.delegate(&[]);
    let e = check(&env).await.expect_err("nothing delegated");
    assert!(e.message().contains("every scope") && e.permissions().len() == 3, "{e}");
}

#[tokio::test]
async fn a_wrong_domain_for_licensing_is_told_apart_from_a_missing_privilege() {
    let env = Env::generated(10, 1).await;
    let mut c = env.credentials();
    c.domain = "other.example.com".into();
    let wrong = connector(c, settings(4));
    let report = Connector::check(&wrong).await.unwrap_or_else(|e| panic!("{e}"));
    let details = refused(&report);
    assert!(details.len() == 1 && details[0].contains("not the customer's primary domain"), "{details:?}");
    let sink = sync_ok(&wrong).await;
    assert!(
        sink.licenses.is_empty()
            && sink.notes.iter().any(|n| n.contains("not the customer's primary domain"))
    );
    env.customer.with(|d| d.settings.licensing_accepts_domain = false);
    let details = refused(&check(&env).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(details.len() == 1 && details[0].contains("License Management privilege"), "{details:?}");
}

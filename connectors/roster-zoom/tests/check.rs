//! `check`: a token, the account's name, and the scopes the app lacks, by exact name.

mod common;

use common::{Env, connector};
use roster_core::{Connector, ErrorKind, Secret};
use roster_zoom::ZoomSettings;

#[tokio::test]
async fn a_good_app_is_named_and_fully_granted() {
    let env = Env::generated(10, 1).await;
    let info = Connector::check(&env.fast_connector()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(info.tenant.tenant_id, env.account.account_id());
    assert!(info.tenant.name.is_some());
    assert!(info.fully_granted(), "{:?}", info.access);
    assert_eq!(info.access.len(), 4);
}

#[tokio::test]
async fn bad_credentials_are_invalid_credentials_with_a_remediation() {
    let env = Env::generated(3, 1).await;
    let mut wrong_secret = env.credentials();
    wrong_secret.client_secret = Secret::new("not-the-secret");
    let mut wrong_client = env.credentials();
    wrong_client.client_id = "nobody".into();
    let mut wrong_account = env.credentials();
    wrong_account.account_id = "someone-else".into();
    for (name, creds, says) in [
        ("secret", wrong_secret, "client secret"),
        ("client", wrong_client, "client secret"),
        ("account", wrong_account, "account id"),
    ] {
        let e = Connector::check(&connector(creds, ZoomSettings::default())).await.expect_err(name);
        assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{name}: {e}");
        assert!(e.remediation().contains(says), "{name}: {}", e.remediation());
        assert!(!format!("{e:?}").contains(&env.account.client_secret()));
    }
    env.account.set_app_activated(false);
    let e = Connector::check(&env.fast_connector()).await.expect_err("deactivated");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials);
}

#[tokio::test]
async fn optional_scopes_that_are_missing_are_reported_by_name() {
    let env = Env::start(5, 1, |s| s.settings.scopes = vec!["user:read:list_users:admin".into()]).await;
    let info = Connector::check(&env.fast_connector()).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!info.fully_granted());
    let refused: Vec<(&str, &str)> = info
        .access
        .iter()
        .filter(|a| !a.granted)
        .map(|a| (a.capability.as_str(), a.detail.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].1.contains("\"role:read:list_roles:admin\""), "{refused:?}");
    assert!(refused[1].1.contains("\"billing:read:plan_usage:admin\""), "{refused:?}");
}

#[tokio::test]
async fn without_the_users_scope_check_fails_naming_every_missing_scope() {
    let env = Env::start(5, 1, |s| s.settings.scopes = vec!["role:read:list_roles:admin".into()]).await;
    let e = Connector::check(&env.fast_connector()).await.expect_err("nothing can be synced");
    assert_eq!(e.kind(), ErrorKind::MissingPermission);
    assert_eq!(e.permissions(), ["user:read:list_users:admin", "billing:read:plan_usage:admin"]);
    assert!(e.remediation().contains("\"user:read:list_users:admin\""), "{}", e.remediation());
}

#[tokio::test]
async fn classic_scopes_of_older_apps_count() {
    let env = Env::start(5, 1, |s| {
        s.settings.scopes =
            vec!["user:read:admin".into(), "role:read:admin".into(), "account:read:admin".into()]
    })
    .await;
    let info = Connector::check(&env.fast_connector()).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(info.fully_granted(), "{:?}", info.access);
}

//! `check`: the tenant by name; a bad secret, an unknown app and an unknown tenant told
//! apart; each missing permission named; whether sign-in activity will be available.

mod common;

use common::{Env, connector, fast};
use roster_core::{CheckReport, Connector, ErrorKind, Secret};
use roster_microsoft365::Microsoft365Credentials;

fn refused(report: &CheckReport) -> Vec<(String, String)> {
    let refused = report.access.iter().filter(|a| !a.granted);
    refused.map(|a| (a.capability.clone(), a.detail.clone().unwrap_or_default())).collect()
}

#[tokio::test]
async fn a_fully_granted_app_names_its_tenant() {
    let env = Env::start(5, |_| {}).await;
    let mut creds = env.credentials();
    creds.tenant_id = env.tenant.domain().to_uppercase();
    let report = Connector::check(&connector(creds, fast())).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (report.tenant.tenant_id.clone(), report.tenant.name.clone()),
        (env.tenant.tenant_id(), Some(env.tenant.display_name()))
    );
    assert_eq!(report.tenant.attributes["default_domain"], env.tenant.domain());
    assert!(report.fully_granted() && report.access.len() == 3, "{:?}", report.access);
}

/// A change to good credentials.
type Edit = fn(&mut Microsoft365Credentials);

#[tokio::test]
async fn a_bad_secret_an_unknown_app_and_an_unknown_tenant_are_told_apart() {
    let env = Env::start(3, |_| {}).await;
    let cases: [(&str, Edit, &str, &str); 3] = [
        (
            "secret",
            |c| c.client_secret = Secret::new("not-the-secret"),
            "refused the client secret",
            "Value (not its Secret ID)",
        ),
        (
            "app",
            |c| c.client_id = "00000000-0000-4000-a000-00000000beef".into(),
            "no application with this client_id",
            "Application (client) ID",
        ),
        (
            "tenant",
            |c| c.tenant_id = "fabrikam.onmicrosoft.com".into(),
            "no tenant \"fabrikam.onmicrosoft.com\" in the custom cloud",
            "cloud the tenant lives in",
        ),
    ];
    for (case, edit, says, fix) in cases {
        for invalid_tenant in [true, false] {
            env.sim.set_unknown_tenant_error(invalid_tenant);
            let mut creds = env.credentials();
            edit(&mut creds);
            let e = Connector::check(&connector(creds, fast())).await.expect_err(case);
            assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{case}: {e}");
            assert!(
                e.message().contains(says) && e.remediation().contains(fix),
                "{case}: {e} / {}",
                e.remediation()
            );
            assert!(!format!("{e:?}").contains(&env.tenant.client_secret()));
        }
    }
}

#[tokio::test]
async fn each_missing_permission_is_named_with_what_sign_in_activity_needs() {
    let env = Env::start(3, |s| s.apps[0].permissions = vec!["User.Read.All".into()]).await;
    let report = Connector::check(&env.connector()).await.unwrap_or_else(|e| panic!("{e}"));
    let refused = refused(&report);
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].0.contains("Directory.Read.All") && refused[0].1.contains("add Directory.Read.All"),
        "{refused:?}"
    );
    assert!(
        refused[1].1.contains("will not be available") && refused[1].1.contains("add AuditLog.Read.All"),
        "{refused:?}"
    );
    assert_eq!(report.tenant.name, None);

    env.tenant.set_permissions(&["User.Read.All", "Directory.Read.All", "AuditLog.Read.All"]);
    env.tenant.update_settings(|s| s.premium = false);
    let report = Connector::check(&env.connector()).await.unwrap_or_else(|e| panic!("{e}"));
    let refused = self::refused(&report);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].1.contains("no Microsoft Entra ID P1 or P2"), "{refused:?}");
}

#[tokio::test]
async fn without_user_read_all_check_fails_naming_every_missing_permission() {
    for granted in [vec!["AuditLog.Read.All"], vec![]] {
        let env = Env::start(3, |_| {}).await;
        env.tenant.set_permissions(&granted);
        let e = Connector::check(&env.connector()).await.expect_err("nothing can be synced");
        assert_eq!(e.kind(), ErrorKind::MissingPermission, "{e}");
        assert_eq!(e.permissions(), ["User.Read.All", "Directory.Read.All"], "{granted:?}");
        assert!(e.remediation().contains("add User.Read.All, Directory.Read.All"), "{}", e.remediation());
    }
}

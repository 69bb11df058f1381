//! `check`, and the refusals a sync meets: a bad token, an organization the token cannot
//! see and a non-owner's token told apart; Copilot readable or not; GraphQL errors
//! classified; SAML SSO enforcement; the form.

mod common;

use common::{Env, build, check, fast, sync, sync_err, sync_ok};
use roster_core::{Connector, ConnectorDescriptor, ErrorKind, Secret};
use roster_github::Github;
use roster_github_sim::faults;

fn refused(report: &roster_core::CheckReport) -> Vec<(String, String)> {
    let detail = |a: &roster_core::AccessCheck| a.detail.clone().unwrap_or_default();
    report.access.iter().filter(|a| !a.granted).map(|a| (a.capability.clone(), detail(a))).collect()
}

#[tokio::test]
async fn an_owner_token_names_the_org_and_plan_and_is_fully_granted() {
    let env = Env::start(10, |_| {}).await;
    let report = check(&env.owner()).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.fully_granted(), "{:?}", report.access);
    assert_eq!(
        (report.tenant.name.as_deref(), report.tenant.plan.as_deref()),
        (Some("Octo Org 1"), Some("enterprise"))
    );
    let copilot = report.access.iter().find(|a| a.capability.contains("Copilot")).expect("copilot");
    assert!(copilot.capability.ends_with("Copilot Business"), "{}", copilot.capability);
}

#[tokio::test]
async fn a_bad_token_and_an_invisible_org_are_told_apart() {
    let env = Env::start(5, |_| {}).await;
    let mut bad = env.credentials(true);
    bad.token = Secret::new("ghp_revoked");
    let e = check(&build(bad, fast())).await.expect_err("bad token");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "{e}");
    assert!(e.remediation().contains("credentials.token"));
    let mut elsewhere = env.credentials(true);
    elsewhere.organization = "someone-elses-org".into();
    let invisible = build(elsewhere, fast());
    for e in [check(&invisible).await.expect_err("invisible"), sync_err(&invisible).await] {
        assert_eq!(e.kind(), ErrorKind::Config, "{e}");
        assert!(
            e.message().contains("cannot see it") && e.remediation().contains("credentials.organization"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn a_non_owner_is_told_what_to_grant_and_syncs_members_degraded() {
    for status in [403, 404] {
        let env = Env::start(10, |s| s.settings.non_owner_status = status).await;
        let member = env.connector(false, fast());
        let report = check(&member).await.unwrap_or_else(|e| panic!("{e}"));
        let refused = refused(&report);
        let names: Vec<&str> =
            refused.iter().map(|(c, _)| c.split(' ').take(3).last().unwrap_or_default()).collect();
        assert_eq!(names, ["organization", "collaborators", "invitations", "seats"], "{refused:?}");
        for (_, detail) in &refused {
            assert!(detail.contains("owner of octo-org-1"), "{detail}");
        }
        assert!(
            refused[1].1.contains("Members (read)")
                && refused[3].1.contains("GitHub Copilot Business (read)")
        );
        assert_eq!(report.tenant.plan, None);

        let (sink, result) = sync(&member).await;
        result.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sink.users.len(), env.org.data().members.len(), "members are still synced");
        let skipped: Vec<&str> = sink.skipped.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(
            skipped,
            ["the outside collaborators of octo-org-1", "the pending invitations of octo-org-1"]
        );
        assert_eq!(sink.notes.len(), 2, "copilot and the plan: {:?}", sink.notes);
        assert!(sink.users.iter().all(|u| u.license_types.is_empty()
            && u.email.as_deref().is_none_or(|e| !e.contains("corp.example.com"))));
    }
}

#[tokio::test]
async fn copilot_not_enabled_is_said_and_granted() {
    let env = Env::start(5, |s| s.copilot = None).await;
    let report = check(&env.owner()).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.fully_granted());
    assert!(
        report.access.iter().any(|a| a.capability.ends_with("copilot is not enabled for this organization"))
    );
}

#[tokio::test]
async fn a_classic_token_without_read_org_gets_insufficient_scopes() {
    let env = Env::start(5, |s| s.tokens[0].scopes = vec!["repo".into()]).await;
    for e in [check(&env.owner()).await.expect_err("no read:org"), sync_err(&env.owner()).await] {
        assert_eq!(
            (e.kind(), e.permissions()),
            (ErrorKind::MissingPermission, &["read:org".to_owned()][..]),
            "{e}"
        );
        assert!(e.message().contains("INSUFFICIENT_SCOPES"), "{e}");
    }
}

#[tokio::test]
async fn saml_sso_enforcement_names_the_sso_authorization() {
    let env = Env::start(5, |_| {}).await;
    // The SAML identities (read first) are a fallback with a note; members are required.
    env.org.push_fault(faults::GRAPHQL_FORBIDDEN, 1, Some("/api/graphql"));
    let (sink, result) = sync(&env.owner()).await;
    assert!(
        result.is_ok() && sink.notes[0].starts_with("saml identities could not be read"),
        "{:?}",
        sink.notes
    );
    env.org.push_fault(faults::GRAPHQL_FORBIDDEN, 2, Some("/api/graphql"));
    let e = sync_err(&env.owner()).await;
    assert_eq!(e.kind(), ErrorKind::MissingPermission);
    assert!(e.remediation().contains("Configure SSO"), "{}", e.remediation());
    env.org.push_fault(faults::SSO_REQUIRED, 1, Some("/api/v3/orgs/octo-org-1/invitations"));
    let report = check(&env.owner()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused(&report).len(), 1);
    assert!(refused(&report)[0].1.contains("Authorize next to octo-org-1"));
}

#[test]
fn the_form_names_the_issues_fields_and_permissions() {
    let schema = (ConnectorDescriptor::of::<Github>().credentials_schema)();
    let names: Vec<&String> =
        schema["properties"].as_object().map(|p| p.keys().collect()).unwrap_or_default();
    assert_eq!(names, ["organization", "token", "api_url"]);
    assert_eq!(
        (schema["properties"]["token"]["format"].as_str(), schema["required"].clone()),
        (Some("password"), serde_json::json!(["organization", "token"]))
    );
    assert_eq!(schema["properties"]["api_url"]["default"], "https://api.github.com");
    let description = schema["description"].as_str().unwrap_or_default();
    for needed in ["Members (read)", "Administration (read)", "GitHub Copilot Business (read)"] {
        assert!(description.contains(needed), "{description}");
    }
    assert_eq!(<Github as Connector>::ID, "github");
    let coverage =
        <Github as Connector>::COVERAGE.iter().find(|c| c.field == roster_core::Field::LastVisitAt);
    assert!(coverage.is_some_and(|c| c.source.contains("Copilot activity only")));
}

#[tokio::test]
async fn graphql_errors_without_a_type_are_retried() {
    let env = Env::start(5, |_| {}).await;
    env.org.push_fault(faults::GRAPHQL_TIMEOUT, 2, Some("/api/graphql"));
    sync_ok(&env.owner()).await;
}

//! The token goes only to the configured origin: redirects are never followed,
//! and base URLs that could leak it are refused up front.

mod common;

use common::{Env, sync_err, sync_ok};
use roster_core::{Connector, ErrorKind, FieldError, Secret};
use roster_workato::{DataCenter, Workato, WorkatoCredentials, WorkatoSettings};
use roster_workato_sim::{Fault, Simulator, WorkspaceSpec};

#[tokio::test]
async fn every_request_carries_the_bearer_token() {
    let env = Env::generated(81, 20, 1).await;
    let w = env.fast_connector();
    Connector::check(&w).await.unwrap();
    sync_ok(&w, None).await;
    let requests = env.requests();
    // check: the workspace, the members probe and the Get collaborator probe; sync: two.
    assert_eq!(requests.len(), 5);
    let expected = format!("Bearer {}", env.ws.token());
    for r in &requests {
        assert_eq!(r.authorization.as_deref(), Some(expected.as_str()), "{} {}", r.method, r.path);
    }
}

async fn redirect_is_not_followed(path: &str) {
    let env = Env::generated(83, 20, 1).await;
    let elsewhere = Simulator::start().await.unwrap();
    // Even a host that knows the token must not see it.
    let mut spec = WorkspaceSpec::generated(84, 5, 1);
    spec.token = env.ws.token();
    elsewhere.add_workspace(spec);
    env.ws.push_fault(Fault::Redirect(format!("{}{path}", elsewhere.base_url())), 100, Some(path));

    let (sink, e) = sync_err(&env.fast_connector()).await;
    assert_eq!(e.kind(), ErrorKind::Config, "{path}: {e}");
    assert!(e.message().contains("redirected"), "{e}");
    assert!(!e.message().contains(&env.ws.token()), "the token leaked: {e}");
    // The sync failed, so the runner discards whatever was staged; users read
    // from the members list requested beside the workspace details may be here.
    if path == "/api/members" {
        assert!(sink.users.is_empty());
    }
    assert!(elsewhere.requests().is_empty(), "{path}: the other host received {:?}", elsewhere.requests());
    // A redirect is not retried either.
    assert_eq!(env.ws.stats().faults, 1, "{path}");
    let bearer = format!("Bearer {}", env.ws.token());
    for r in env.requests() {
        assert_eq!(r.authorization.as_deref(), Some(bearer.as_str()), "{}", r.path);
    }
}

#[tokio::test]
async fn a_redirect_on_members_fails_and_the_other_host_sees_nothing() {
    redirect_is_not_followed("/api/members").await;
}

#[tokio::test]
async fn a_redirect_on_users_me_fails_and_the_other_host_sees_nothing() {
    redirect_is_not_followed("/api/users/me").await;
}

#[tokio::test]
async fn check_does_not_follow_a_redirect_either() {
    let env = Env::generated(85, 5, 1).await;
    let elsewhere = Simulator::start().await.unwrap();
    env.ws.push_fault(Fault::Redirect(format!("{}/api/users/me", elsewhere.base_url())), 100, None);
    let e = Connector::check(&env.fast_connector()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    assert!(elsewhere.requests().is_empty());
}

fn refused(data_center: DataCenter, base_url: Option<&str>) -> Vec<FieldError> {
    let credentials = WorkatoCredentials {
        data_center,
        api_token: Secret::new("wrkaus-secret-token"),
        base_url: base_url.map(str::to_owned),
    };
    match <Workato as Connector>::new(credentials, WorkatoSettings::default()) {
        Ok(_) => panic!("{data_center:?} {base_url:?} was accepted"),
        Err(errors) => errors,
    }
}

fn assert_refused_on_base_url(data_center: DataCenter, base_url: Option<&str>) {
    let errors = refused(data_center, base_url);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].key, "credentials.base_url", "{errors:?}");
    assert!(!errors[0].message.contains("secret-token"));
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused() {
    for url in ["http://workato.example.com", "http://10.0.0.1:8080", "http://localhost.example.com"] {
        assert_refused_on_base_url(DataCenter::Custom, Some(url));
    }
}

#[test]
fn a_base_url_with_paths_queries_or_user_info_is_refused() {
    for url in [
        "https://workato.example.com/api",
        "https://workato.example.com/?x=1",
        "https://user:pass@workato.example.com",
        "ftp://workato.example.com",
        "workato.example.com",
    ] {
        assert_refused_on_base_url(DataCenter::Custom, Some(url));
    }
}

#[test]
fn a_base_url_with_a_named_data_center_is_refused() {
    for dc in [DataCenter::Us, DataCenter::Eu, DataCenter::Sandbox] {
        let errors = refused(dc, Some("https://workato.example.com"));
        assert_eq!(errors[0].key, "credentials.base_url");
        assert!(errors[0].message.contains("custom"), "{errors:?}");
    }
}

#[test]
fn custom_without_a_base_url_is_refused() {
    assert_refused_on_base_url(DataCenter::Custom, None);
    assert_refused_on_base_url(DataCenter::Custom, Some("   "));
}

#[test]
fn https_and_loopback_origins_are_accepted() {
    for (dc, url) in [
        (DataCenter::Custom, Some("https://workato.example.com")),
        (DataCenter::Custom, Some("https://workato.example.com:8443/")),
        (DataCenter::Custom, Some("http://127.0.0.1:9")),
        (DataCenter::Custom, Some("http://[::1]:9")),
        (DataCenter::Eu, None),
        (DataCenter::Us, Some("")),
    ] {
        let credentials = WorkatoCredentials {
            data_center: dc,
            api_token: Secret::new("wrkaus-secret-token"),
            base_url: url.map(str::to_owned),
        };
        assert!(
            <Workato as Connector>::new(credentials, WorkatoSettings::default()).is_ok(),
            "{dc:?} {url:?}"
        );
    }
}

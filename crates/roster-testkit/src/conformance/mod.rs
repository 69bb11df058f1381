//! The conformance suite: the same checks on every connector, run against its simulator.
//!
//! A connector's tests implement [`Conformance`] (start the simulator, hand out good and
//! bad credentials, inject a 429 and a 5xx) and call
//! [`conformance_tests!`](crate::conformance_tests), which generates one `#[tokio::test]`
//! per check:
//!
//! | test | what it checks |
//! |---|---|
//! | `conformance_form` | both schemas are draft-07 forms with every field titled and described, every secret is `writeOnly` + `format: password`, the good and bad credentials fill the form, coverage names its sources |
//! | `conformance_bad_credentials` | `check` and `sync` with bad credentials fail as `invalid_credentials` |
//! | `conformance_full_sync` | a sync succeeds, yields every user once with nothing skipped, and fills every field the connector's coverage declares |
//! | `conformance_idempotent` | a second sync, and a sync by a fresh connector, yield the same users and licenses |
//! | `conformance_no_secret_leaks` | no secret appears in errors (`Display`, `Debug`, remediation), notes, skipped records, users, licenses, the account record or state |
//! | `conformance_rate_limit` | a 429 on the user listing is waited out and the sync completes |
//! | `conformance_server_error` | a 5xx on the user listing is retried and the sync completes |
//!
//! Connectors are built through their [`ConnectorDescriptor`], from JSON, exactly as the
//! runner builds them from account files.

mod form;
mod validate;

use async_trait::async_trait;
use roster_core::{
    Connector, ConnectorDescriptor, ConnectorError, DynConnector, ErrorKind, Field, SyncContext, User,
};
use serde_json::Value;

use crate::MemorySink;

pub use form::{descriptor_problems, schema_problems, secret_fields};
pub use validate::validate;

/// What a connector's tests provide so that the suite can run against its simulator.
#[async_trait]
pub trait Conformance: Sized + Send + Sync + 'static {
    /// The connector under test.
    type Connector: Connector;

    /// Starts the simulator with one account of a few dozen users. Keep its server-side
    /// rate limits out of the way unless a test injects them.
    async fn start() -> Self;

    /// `[credentials]` that reach the account, as JSON.
    fn good_credentials(&self) -> Value;

    /// `[credentials]` of the same shape that the simulator refuses (a wrong secret).
    fn bad_credentials(&self) -> Value;

    /// `[settings]` that keep the suite fast (short backoff, a high client-side rate).
    fn settings(&self) -> Value;

    /// Every secret handed out or minted so far (tokens, client secrets, access tokens
    /// seen by the simulator). Called after the runs, so it may read the simulator's log.
    fn secrets(&self) -> Vec<String>;

    /// Makes the next request of the user listing answer 429.
    fn inject_rate_limit(&self);

    /// Makes the next request of the user listing answer a 5xx.
    fn inject_server_error(&self);

    /// How many users the account has; a sync must yield each once.
    fn user_count(&self) -> usize;
}

fn descriptor<H: Conformance>() -> ConnectorDescriptor {
    ConnectorDescriptor::of::<H::Connector>()
}

fn build<H: Conformance>(h: &H, credentials: Value) -> Box<dyn DynConnector> {
    match (descriptor::<H>().build)(credentials, h.settings()) {
        Ok(c) => c,
        Err(errors) => panic!("the connector refused credentials the harness calls well-formed: {errors:?}"),
    }
}

async fn sync(c: &dyn DynConnector) -> (MemorySink, Result<(), ConnectorError>) {
    let mut sink = MemorySink::new();
    let ctx = SyncContext { account_id: "conformance".into(), previous_state: None };
    let result = c.sync(ctx, &mut sink).await;
    (sink, result)
}

async fn sync_ok(c: &dyn DynConnector) -> MemorySink {
    let (sink, result) = sync(c).await;
    if let Err(e) = result {
        panic!("the sync failed: {} ({}); remediation: {}", e.kind(), e.message(), e.remediation());
    }
    sink
}

/// Users sorted by id, for comparisons.
fn sorted(users: &[User]) -> Vec<User> {
    let mut users = users.to_vec();
    users.sort_by(|a, b| a.id.cmp(&b.id));
    users
}

fn assert_complete<H: Conformance>(h: &H, sink: &MemorySink) {
    assert_eq!(sink.users.len(), h.user_count(), "the sync did not yield every user");
    assert_eq!(sink.user_calls, h.user_count() as u64, "some users were emitted more than once");
    assert!(sink.skipped.is_empty(), "records were skipped: {:?}", sink.skipped);
    assert!(sink.account.is_some(), "the sync sent no account record");
}

/// Both schemas are forms; secrets are marked; the harness's credentials fill the form.
pub async fn form<H: Conformance>() {
    let d = descriptor::<H>();
    let problems = descriptor_problems(&d);
    assert!(problems.is_empty(), "{problems:#?}");
    let h = H::start().await;
    let schema = (d.credentials_schema)();
    for (which, creds) in [("good", h.good_credentials()), ("bad", h.bad_credentials())] {
        let errors = validate(&schema, &creds);
        assert!(errors.is_empty(), "the {which} credentials do not fill the form: {errors:?}");
    }
    let errors = validate(&(d.settings_schema)(), &h.settings());
    assert!(errors.is_empty(), "the harness's settings do not fill the settings form: {errors:?}");
    let marked = secret_fields(&schema);
    assert!(!marked.is_empty(), "no credential field is marked secret");
    let secrets = h.secrets();
    if let Some(fields) = h.good_credentials().as_object() {
        for (name, value) in fields {
            let holds_secret = value.as_str().is_some_and(|v| secrets.iter().any(|s| s == v));
            assert!(
                !holds_secret || marked.contains(name),
                "`{name}` holds a secret but is not a password field"
            );
        }
    }
}

/// `check` and `sync` with bad credentials fail as invalid credentials.
pub async fn bad_credentials<H: Conformance>() {
    let h = H::start().await;
    let c = build(&h, h.bad_credentials());
    let e = c.check().await.expect_err("check accepted bad credentials");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "check: {e}");
    assert!(!e.remediation().is_empty());
    let (sink, result) = sync(c.as_ref()).await;
    let e = result.expect_err("sync accepted bad credentials");
    assert_eq!(e.kind(), ErrorKind::InvalidCredentials, "sync: {e}");
    assert!(sink.users.is_empty());
}

/// Whether some user has `field`.
fn filled(users: &[User], field: Field) -> bool {
    users.iter().any(|u| match field {
        Field::Id => !u.id.is_empty(),
        Field::Email => u.email.as_deref().is_some_and(|e| !e.is_empty()),
        Field::Name => u.name.as_deref().is_some_and(|n| !n.is_empty()),
        Field::Status => true,
        Field::LastVisitAt => u.last_visit_at.is_some(),
        Field::Roles => !u.roles.is_empty(),
        Field::LicenseTypes => !u.license_types.is_empty(),
        Field::Attributes => !u.attributes.is_empty(),
    })
}

/// A full sync yields every user once and every declared field.
pub async fn full_sync<H: Conformance>() {
    let h = H::start().await;
    let c = build(&h, h.good_credentials());
    let info = c.check().await.unwrap_or_else(|e| panic!("check failed: {e}"));
    assert!(info.fully_granted(), "the simulator's account should grant everything: {:?}", info.access);
    let sink = sync_ok(c.as_ref()).await;
    assert_complete(&h, &sink);
    assert!(sink.users.iter().all(|u| !u.id.trim().is_empty()), "a user has an empty id");
    for cov in <H::Connector as Connector>::COVERAGE {
        assert!(
            filled(&sink.users, cov.field),
            "no user has {} (declared from {})",
            cov.field.as_str(),
            cov.source
        );
    }
    assert!(!sink.licenses.is_empty(), "no license type was reported");
}

/// A repeated sync, and one by a fresh connector, yield the same users and licenses.
pub async fn idempotent<H: Conformance>() {
    let h = H::start().await;
    let c = build(&h, h.good_credentials());
    let first = sync_ok(c.as_ref()).await;
    let second = sync_ok(c.as_ref()).await;
    let fresh = sync_ok(build(&h, h.good_credentials()).as_ref()).await;
    assert_eq!(sorted(&first.users), sorted(&second.users), "a second sync changed users");
    assert_eq!(sorted(&first.users), sorted(&fresh.users), "a fresh connector saw other users");
    assert_eq!(first.licenses, second.licenses);
    assert_eq!(first.account, second.account);
}

/// Everything an error shows: `Display`, `Debug` and the remediation.
fn describe(e: &ConnectorError) -> String {
    format!("{e} | {e:?} | {}", e.remediation())
}

/// No secret appears in any output, successful or not.
pub async fn no_secret_leaks<H: Conformance>() {
    let h = H::start().await;
    let mut outputs: Vec<String> = Vec::new();
    for creds in [h.good_credentials(), h.bad_credentials()] {
        let c = build(&h, creds);
        match c.check().await {
            Ok(info) => outputs.push(format!("{info:?}")),
            Err(e) => outputs.push(describe(&e)),
        }
        let (sink, result) = sync(c.as_ref()).await;
        if let Err(e) = result {
            outputs.push(describe(&e));
        }
        outputs.push(format!(
            "{:?} {:?} {:?} {:?} {:?}",
            sink.users, sink.licenses, sink.account, sink.state, sink.skipped
        ));
        outputs.extend(sink.notes);
    }
    // A persistent server error, past the retry budget.
    for _ in 0..20 {
        h.inject_server_error();
    }
    let (_, result) = sync(build(&h, h.good_credentials()).as_ref()).await;
    if let Err(e) = result {
        outputs.push(describe(&e));
    }
    // Credentials the form refuses: the errors name keys, never values.
    let mut wrong = h.good_credentials();
    if let Some(obj) = wrong.as_object_mut() {
        obj.insert("unexpected_key".into(), Value::String("x".into()));
    }
    if let Err(errors) = (descriptor::<H>().build)(wrong, h.settings()) {
        outputs.push(format!("{errors:?}"));
    }
    let text = outputs.join("\n");
    let secrets = h.secrets();
    assert!(!secrets.is_empty(), "the harness names no secret to look for");
    for secret in secrets.iter().filter(|s| s.len() >= 6) {
        assert!(!text.contains(secret.as_str()), "a secret leaked into the output:\n{text}");
    }
}

/// A 429 on the user listing is waited out.
pub async fn rate_limit<H: Conformance>() {
    let h = H::start().await;
    h.inject_rate_limit();
    let sink = sync_ok(build(&h, h.good_credentials()).as_ref()).await;
    assert_complete(&h, &sink);
}

/// A 5xx on the user listing is retried.
pub async fn server_error<H: Conformance>() {
    let h = H::start().await;
    h.inject_server_error();
    let sink = sync_ok(build(&h, h.good_credentials()).as_ref()).await;
    assert_complete(&h, &sink);
}

/// Generates the conformance suite's tests for a [`Conformance`] harness:
///
/// ```ignore
/// struct ZoomHarness { /* simulator, account */ }
/// #[async_trait::async_trait]
/// impl roster_testkit::Conformance for ZoomHarness { /* ... */ }
/// roster_testkit::conformance_tests!(ZoomHarness);
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($harness:ty) => {
        $crate::conformance_tests!(@test $harness, conformance_form, form);
        $crate::conformance_tests!(@test $harness, conformance_bad_credentials, bad_credentials);
        $crate::conformance_tests!(@test $harness, conformance_full_sync, full_sync);
        $crate::conformance_tests!(@test $harness, conformance_idempotent, idempotent);
        $crate::conformance_tests!(@test $harness, conformance_no_secret_leaks, no_secret_leaks);
        $crate::conformance_tests!(@test $harness, conformance_rate_limit, rate_limit);
        $crate::conformance_tests!(@test $harness, conformance_server_error, server_error);
    };
    (@test $harness:ty, $name:ident, $check:ident) => {
        #[test]
        fn $name() {
            $crate::conformance::run($crate::conformance::$check::<$harness>());
        }
    };
}

/// Runs one check on a fresh multi-threaded runtime (the simulator serves on it while the
/// connector talks to it).
pub fn run<F: std::future::Future<Output = ()>>(check: F) {
    match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt.block_on(check),
        Err(e) => panic!("could not start a tokio runtime: {e}"),
    }
}

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
//! | `conformance_rate_limit` | the vendor's rate-limited answer on the user listing is waited out and the sync completes |
//! | `conformance_server_error` | a 5xx on the user listing is retried and the sync completes |
//! | `conformance_transient_faults` | each transient fault of the simulator kit's vocabulary (reset, truncated and aborted bodies, HTML, wrong content type, 5xx, delay) on the user listing is retried and the sync completes |
//!
//! Faults go through the simulator kit's API ([`roster_sim_kit::Core::push_fault`]) on the
//! harness's tenant, so a connector's tests need no fault plumbing of their own.
//!
//! Connectors are built through their [`ConnectorDescriptor`], from JSON, exactly as the
//! runner builds them from account files.

mod form;
mod validate;

use std::time::Duration;

use async_trait::async_trait;
use roster_core::{Connector, ConnectorDescriptor, ConnectorError, DynConnector, ErrorKind, Field, User};
use roster_sim_kit::{Core, Fault, RequestRecord, RetryAfter};
use serde_json::{Value, json};

use crate::MemorySink;
use crate::syncs::{sync, sync_ok};

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

    /// The connector's own `[settings]` for the suite (a high client-side rate, say). The
    /// suite merges them over fast HTTP settings (short timeouts and backoff).
    fn settings(&self) -> Value {
        json!({})
    }

    /// The secrets the credentials hold (tokens, client secrets, private keys). Every
    /// bearer token in the simulator's request log counts too.
    fn secrets(&self) -> Vec<String>;

    /// The simulator's request log.
    fn requests(&self) -> Vec<RequestRecord>;

    /// The kit's state of the harness's tenant, where the suite queues faults.
    fn faults(&self) -> &Core;

    /// The route of the user listing, as [`Core::push_fault`] takes it (`"/v2/users"`).
    const USER_LISTING: &'static str;

    /// How many users the account has; a sync must yield each once.
    fn user_count(&self) -> usize;
}

/// The settings the suite builds connectors with: fast HTTP settings under the harness's.
fn settings<H: Conformance>(h: &H) -> Value {
    let mut merged = json!({"max_attempts": 3, "retry_base_delay_ms": 10, "request_timeout_secs": 10});
    if let (Some(m), Value::Object(own)) = (merged.as_object_mut(), h.settings()) {
        m.extend(own);
    }
    merged
}

/// The harness's secrets and every bearer token the simulator saw.
fn all_secrets<H: Conformance>(h: &H) -> Vec<String> {
    let mut secrets = h.secrets();
    secrets.extend(h.requests().iter().filter_map(|r| r.bearer().map(str::to_owned)));
    secrets
}

fn descriptor<H: Conformance>() -> ConnectorDescriptor {
    ConnectorDescriptor::of::<H::Connector>()
}

fn build<H: Conformance>(h: &H, credentials: Value) -> Box<dyn DynConnector> {
    match (descriptor::<H>().build)(credentials, settings(h)) {
        Ok(c) => c,
        Err(errors) => panic!("the connector refused credentials the harness calls well-formed: {errors:?}"),
    }
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
    assert!(sink.tenant.is_some(), "the sync sent no tenant record");
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
    let errors = validate(&(d.settings_schema)(), &settings(&h));
    assert!(errors.is_empty(), "the harness's settings do not fill the settings form: {errors:?}");
    let marked = secret_fields(&schema);
    assert!(!marked.is_empty(), "no credential field is marked secret");
    let secrets = all_secrets(&h);
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
    assert_eq!(first.tenant, second.tenant);
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
            sink.users, sink.licenses, sink.tenant, sink.state, sink.skipped
        ));
        outputs.extend(sink.notes);
    }
    // A persistent server error, past the retry budget.
    h.faults().push_fault(Fault::Status(503), 20, Some(H::USER_LISTING));
    let (_, result) = sync(build(&h, h.good_credentials()).as_ref()).await;
    if let Err(e) = result {
        outputs.push(describe(&e));
    }
    // Credentials the form refuses: the errors name keys, never values.
    let mut wrong = h.good_credentials();
    if let Some(obj) = wrong.as_object_mut() {
        obj.insert("unexpected_key".into(), Value::String("x".into()));
    }
    if let Err(errors) = (descriptor::<H>().build)(wrong, settings(&h)) {
        outputs.push(format!("{errors:?}"));
    }
    let text = outputs.join("\n");
    let secrets = all_secrets(&h);
    assert!(!secrets.is_empty(), "the harness names no secret to look for");
    for secret in secrets.iter().filter(|s| s.len() >= 6) {
        assert!(!text.contains(secret.as_str()), "a secret leaked into the output:\n{text}");
    }
}

/// The sync completes although the user listing's next request suffers `fault`.
async fn survives<H: Conformance>(h: &H, fault: Fault) {
    h.faults().push_fault(fault.clone(), 1, Some(H::USER_LISTING));
    let (sink, result) = sync(build(h, h.good_credentials()).as_ref()).await;
    if let Err(e) = result {
        panic!("the sync did not survive {fault:?}: {} ({})", e.kind(), e.message());
    }
    assert_complete(h, &sink);
}

/// The vendor's rate-limited answer on the user listing is waited out.
pub async fn rate_limit<H: Conformance>() {
    let h = H::start().await;
    survives(&h, Fault::RateLimited(RetryAfter::Seconds)).await;
    let faults = h.faults().stats().faults;
    assert!(faults >= 1, "the rate-limit fault never reached the simulator");
}

/// A 5xx on the user listing is retried.
pub async fn server_error<H: Conformance>() {
    let h = H::start().await;
    survives(&h, Fault::Status(503)).await;
}

/// Each transient fault of the kit's vocabulary on the user listing is retried.
pub async fn transient_faults<H: Conformance>() {
    let h = H::start().await;
    for fault in [
        Fault::ResetConnection,
        Fault::TruncatedJson,
        Fault::AbortedBody,
        Fault::HtmlOk,
        Fault::WrongContentType,
        Fault::HtmlError(502),
        Fault::Status(500),
        Fault::Status(504),
        Fault::Delay(Duration::from_millis(50)),
    ] {
        survives(&h, fault).await;
    }
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
        $crate::conformance_tests!(@test $harness, conformance_transient_faults, transient_faults);
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

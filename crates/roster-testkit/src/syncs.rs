//! Syncs into a [`MemorySink`] and settings that keep a connector's own tests fast: what
//! every connector's tests (and the conformance suite) call.

use roster_core::{ConnectorError, DynConnector, SyncContext};
use roster_http::HttpSettings;

use crate::MemorySink;

/// HTTP settings for tests: `max_attempts` tries, 10 ms first backoff, 10 s timeouts.
pub fn fast_http(max_attempts: u32) -> HttpSettings {
    HttpSettings { max_attempts, retry_base_delay_ms: 10, request_timeout_secs: 10 }
}

/// Syncs `c` (any connector: `&MyConnector` coerces) into a fresh sink.
pub async fn sync(c: &dyn DynConnector) -> (MemorySink, Result<(), ConnectorError>) {
    let mut sink = MemorySink::new();
    let ctx = SyncContext { account_id: "conformance".into(), previous_state: None };
    let result = c.sync(ctx, &mut sink).await;
    (sink, result)
}

/// [`sync`], panicking with the error's kind, message and remediation when it fails.
pub async fn sync_ok(c: &dyn DynConnector) -> MemorySink {
    let (sink, result) = sync(c).await;
    if let Err(e) = result {
        panic!("the sync failed: {} ({}); remediation: {}", e.kind(), e.message(), e.remediation());
    }
    sink
}

/// [`sync`], panicking when it succeeds; the sink holds what came before the error.
pub async fn sync_err(c: &dyn DynConnector) -> (MemorySink, ConnectorError) {
    match sync(c).await {
        (sink, Err(e)) => (sink, e),
        (sink, Ok(())) => panic!("the sync succeeded with {} users", sink.users.len()),
    }
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;
    use roster_core::{CheckReport, Connector, FieldCoverage, FieldError, Sink, User, UserStatus};
    use serde_json::Value;

    use super::*;

    /// Sends one user, then fails when `fail`.
    struct OneUser {
        fail: bool,
    }

    #[async_trait]
    impl Connector for OneUser {
        const ID: &'static str = "one_user";
        const DISPLAY_NAME: &'static str = "One user";
        const DESCRIPTION: &'static str = "One user, for the kit's tests.";
        const COVERAGE: &'static [FieldCoverage] = &[];
        type Credentials = Value;
        type Settings = ();

        fn new(_: Value, _: ()) -> Result<Self, Vec<FieldError>> {
            Ok(OneUser { fail: false })
        }
        async fn check(&self) -> Result<CheckReport, ConnectorError> {
            Err(ConnectorError::internal("not checked"))
        }
        async fn sync(&self, _: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
            sink.user(User::new("u1", UserStatus::Active)).await?;
            if self.fail { Err(ConnectorError::transient("the vendor is down")) } else { Ok(()) }
        }
    }

    #[tokio::test]
    async fn syncs_fill_a_sink_and_say_how_they_ended() {
        assert_eq!(sync_ok(&OneUser { fail: false }).await.users.len(), 1);
        let (sink, e) = sync_err(&OneUser { fail: true }).await;
        assert_eq!((sink.user_calls, e.message()), (1, "the vendor is down"));
        assert_eq!(fast_http(3).max_attempts, 3);
    }
}

//! One error type for every connector, with kinds the runner can act on.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

/// What kind of failure happened. The runner decides retries, outcomes and
/// exit codes from this alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The credentials (a token, a key, an OAuth client) are wrong, expired or revoked.
    InvalidCredentials,
    /// The credentials are valid but lack a permission the sync needs.
    MissingPermission,
    /// The credentials probably belong to another region or data center.
    WrongRegion,
    /// The vendor refused because of its rate limit, past our retry budget.
    RateLimited,
    /// Network errors, 5xx and timeouts that outlasted the retry budget.
    Transient,
    /// The vendor answered with something we cannot read.
    InvalidResponse,
    /// The account's configuration is wrong (a bad value, a missing key).
    Config,
    /// The sync was stopped: timeout, Ctrl-C, shutdown.
    Interrupted,
    /// Results could not be written to the store.
    Store,
    /// An action's argument names nothing the vendor has (a role, a licence), or the
    /// action cannot apply to this user.
    InvalidArgument,
    /// A bug in Roster.
    Internal,
}

impl ErrorKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidCredentials => "invalid_credentials",
            ErrorKind::MissingPermission => "missing_permission",
            ErrorKind::WrongRegion => "wrong_region",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Transient => "transient",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::Config => "config",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::Store => "store",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether trying the same thing again later may succeed without a person
    /// changing anything.
    pub const fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::RateLimited | ErrorKind::Transient | ErrorKind::InvalidResponse)
    }

    const fn default_remediation(self) -> &'static str {
        match self {
            ErrorKind::InvalidCredentials => {
                "create new credentials in the app (a token, or an oauth client's secret) and update the account's credentials"
            }
            ErrorKind::MissingPermission => "grant the missing permission to the credentials and sync again",
            ErrorKind::WrongRegion => "set the region or data center the account actually lives in",
            ErrorKind::RateLimited => "sync again later, or lower the account's request rate",
            ErrorKind::Transient => "sync again later; if it persists, check the vendor's status page",
            ErrorKind::InvalidResponse => {
                "sync again later; if it persists, report the response to the roster maintainers"
            }
            ErrorKind::Config => "fix the account's configuration file",
            ErrorKind::Interrupted => "sync the account again",
            ErrorKind::Store => "check that the store is writable and has free space, then sync again",
            ErrorKind::InvalidArgument => "pick a value the action lists (`roster actions`) and try again",
            ErrorKind::Internal => "report this to the roster maintainers with the log",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A classified connector failure with a one-line remediation.
///
/// Messages are lowercase and never contain secrets: connectors build them
/// from status codes and vendor messages, not from request headers.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConnectorError {
    kind: ErrorKind,
    message: String,
    remediation: String,
    retry_after: Option<Duration>,
    permissions: Vec<String>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl ConnectorError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            remediation: kind.default_remediation().to_owned(),
            retry_after: None,
            permissions: Vec::new(),
            source: None,
        }
    }

    pub fn invalid_credentials(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidCredentials, message)
    }

    /// Valid credentials that lack `permissions` (named as the vendor names them).
    pub fn missing_permission(message: impl Into<String>, permissions: Vec<String>) -> Self {
        let mut e = Self::new(ErrorKind::MissingPermission, message);
        e.permissions = permissions;
        e
    }

    pub fn wrong_region(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::WrongRegion, message)
    }

    pub fn rate_limited(message: impl Into<String>, retry_after: Option<Duration>) -> Self {
        let mut e = Self::new(ErrorKind::RateLimited, message);
        e.retry_after = retry_after;
        e
    }

    pub fn transient(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Transient, message)
    }

    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidResponse, message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub fn interrupted(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Interrupted, message)
    }

    pub fn store(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Store, message)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// Replaces the default remediation with a specific one.
    #[must_use]
    pub fn with_remediation(mut self, remediation: impl Into<String>) -> Self {
        self.remediation = remediation.into();
        self
    }

    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// One line a person can follow to fix this.
    pub fn remediation(&self) -> &str {
        &self.remediation
    }

    /// How long the vendor asked us to wait, for [`ErrorKind::RateLimited`].
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The missing permissions, for [`ErrorKind::MissingPermission`].
    pub fn permissions(&self) -> &[String] {
        &self.permissions
    }
}

/// A problem with one key of an account's credentials or settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", if key.is_empty() { "(top level)" } else { key.as_str() })]
pub struct FieldError {
    /// Dotted key path relative to the table being read, for example `base_url`.
    pub key: String,
    /// What was wrong and what was expected. Never contains the value.
    pub message: String,
}

impl FieldError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self { key: key.into(), message: message.into() }
    }

    /// Converts a serde error on a JSON document to a key path and a message
    /// stripped of any value it echoed.
    pub fn from_serde(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = err.path().to_string();
        let mut key = if path == "." { String::new() } else { path };
        let message = redact_serde_message(&err.into_inner().to_string());
        // serde names the offending key inside the message for these two;
        // move it into the key path so every error points at one key.
        for prefix in ["unknown field `", "missing field `"] {
            if let Some(rest) = message.strip_prefix(prefix)
                && let Some(end) = rest.find('`')
            {
                let field = &rest[..end];
                key = if key.is_empty() {
                    field.to_owned()
                } else if key == field || key.ends_with(&format!(".{field}")) {
                    key
                } else {
                    format!("{key}.{field}")
                };
            }
        }
        Self { key, message }
    }
}

/// Removes the values serde quotes in its messages (`string "…"`, `` `…` ``
/// after "unknown variant", "integer", "floating point", "character" or
/// "boolean", and any other quoted text that is not a name) so that a secret
/// typed into the wrong key is never echoed. Field and variant names of the
/// schema stay, because they tell what was expected.
///
/// The quoted value may itself hold quotes and backticks: serde writes a
/// string with Rust's escapes (`"a\"b"`) and a variant or character as is, so
/// the end of a value is found from what serde writes after it, never from
/// the first quote inside it.
pub fn redact_serde_message(msg: &str) -> String {
    // serde_json appends " at line L column C"; JSON positions mean nothing to
    // a person who wrote TOML.
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    loop {
        let string_at = rest.find("string \"");
        let tick_at = rest.find('`');
        match (string_at, tick_at) {
            (Some(i), t) if t.is_none_or(|t| i < t) => {
                out.push_str(&rest[..i]);
                out.push_str("a string");
                rest = after_escaped_string(&rest[i + "string \"".len()..]);
            }
            (_, Some(t)) => {
                out.push_str(&rest[..t]);
                let after = &rest[t + 1..];
                let from_input = INPUT_BEFORE_TICK.iter().any(|p| out.ends_with(p));
                let end = if from_input { end_of_input_tick(after) } else { after.find('`') };
                let (quoted, next) = match end {
                    Some(j) => (&after[..j], &after[j + 1..]),
                    None => (after, ""),
                };
                rest = next;
                if VALUE_BEFORE_TICK.iter().any(|p| out.ends_with(p)) {
                    out.truncate(out.trim_end().len());
                    continue;
                }
                let looks_like_name = quoted.len() <= 40
                    && quoted.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
                out.push('`');
                out.push_str(if looks_like_name { quoted } else { "…" });
                out.push('`');
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

/// serde's words right before a value it quotes in backticks.
const VALUE_BEFORE_TICK: [&str; 5] =
    ["unknown variant ", "integer ", "floating point ", "character ", "boolean "];

/// serde's words right before backticked text that came from the input (a
/// value, or the name of a key the input held), which may hold backticks.
const INPUT_BEFORE_TICK: [&str; 6] =
    ["unknown variant ", "unknown field ", "integer ", "floating point ", "character ", "boolean "];

/// The rest of a message after a string serde wrote with Rust's escapes,
/// whose opening quote is already consumed.
fn after_escaped_string(s: &str) -> &str {
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

/// Where backticked text from the input ends: before what serde writes after
/// it (", expected …", ", there are no …"), searched from the end, since the
/// text itself may hold backticks; else at the message's last backtick.
fn end_of_input_tick(s: &str) -> Option<usize> {
    ["`, expected ", "`, there are no "]
        .iter()
        .filter_map(|tail| s.rfind(tail))
        .max()
        .or_else(|| s.rfind('`'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_lose_their_values() {
        assert_eq!(
            redact_serde_message("invalid type: string \"wrkaus-secret\", expected u32 at line 1 column 9"),
            "invalid type: a string, expected u32"
        );
        // The value of an unknown variant may be a token pasted into the wrong key.
        assert_eq!(
            redact_serde_message("unknown variant `wrkaus-0123456789abcdef`, expected one of `us`, `eu`"),
            "unknown variant, expected one of `us`, `eu`"
        );
        assert_eq!(
            redact_serde_message("unknown variant `has spaces and / slashes`, expected `us`"),
            "unknown variant, expected `us`"
        );
        assert_eq!(
            redact_serde_message("invalid type: integer `12345`, expected a string at line 1 column 3"),
            "invalid type: integer, expected a string"
        );
        assert_eq!(
            redact_serde_message("invalid value: floating point `1.5`, expected u32"),
            "invalid value: floating point, expected u32"
        );
        assert_eq!(
            redact_serde_message("invalid type: boolean `true`, expected a map"),
            "invalid type: boolean, expected a map"
        );
        assert_eq!(
            redact_serde_message("unknown field `api_tokn`, expected one of `api_token`, `base_url`"),
            "unknown field `api_tokn`, expected one of `api_token`, `base_url`"
        );
        assert_eq!(redact_serde_message("missing field `api_token`"), "missing field `api_token`");
        assert_eq!(redact_serde_message("odd `unclosed"), "odd `unclosed`");
    }

    #[test]
    fn every_kind_has_a_remediation() {
        for kind in [
            ErrorKind::InvalidCredentials,
            ErrorKind::MissingPermission,
            ErrorKind::WrongRegion,
            ErrorKind::RateLimited,
            ErrorKind::Transient,
            ErrorKind::InvalidResponse,
            ErrorKind::Config,
            ErrorKind::Interrupted,
            ErrorKind::Store,
            ErrorKind::Internal,
        ] {
            let e = ConnectorError::new(kind, "x");
            assert!(!e.remediation().is_empty());
            assert_eq!(e.remediation(), e.remediation().to_lowercase());
        }
    }
}

//! The typed connector trait, and its erased form for the registry.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::action::ActionSpec;
use crate::coverage::FieldCoverage;
use crate::error::{ConnectorError, FieldError};
use crate::model::CheckReport;
use crate::planner::DynPlanner;
use crate::sink::Sink;

/// What a sync is given besides its credentials.
#[derive(Debug, Clone, Default)]
pub struct SyncContext {
    /// The account's id in the runner's configuration.
    pub account_id: String,
    /// The state this connector emitted at the end of the last successful
    /// sync of this account, if any. Its shape belongs to the connector.
    pub previous_state: Option<Value>,
}

/// A SaaS app Roster can sync. Implement it with typed credentials and
/// settings, then call [`register_connector!`](crate::register_connector).
#[async_trait]
pub trait Connector: Sized + Send + Sync + 'static {
    /// Stable id used in config files: lowercase ASCII letters, digits and `_`.
    const ID: &'static str;
    /// Human name, for example "Workato".
    const DISPLAY_NAME: &'static str;
    /// One sentence about what the connector syncs.
    const DESCRIPTION: &'static str;
    /// Which normalized fields this connector fills, and where from.
    const COVERAGE: &'static [FieldCoverage];

    /// The `[credentials]` table of an account file. Its JSON Schema is the setup form.
    type Credentials: DeserializeOwned + JsonSchema + Send;
    /// The optional `[settings]` table of an account file.
    type Settings: DeserializeOwned + JsonSchema + Default + Send;

    /// Builds the connector, checking values that depend on each other.
    /// Error keys are full paths such as `credentials.base_url`.
    fn new(credentials: Self::Credentials, settings: Self::Settings) -> Result<Self, Vec<FieldError>>;

    /// Says who the account is and what the credentials can reach.
    async fn check(&self) -> Result<CheckReport, ConnectorError>;

    /// Reads the account's users and license types into `sink`.
    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError>;

    /// What this connector's HTTP clients have done so far, summed over its
    /// clients. The runner reads it before and after a sync for its metrics.
    /// The default, for connectors that do not count, is all zeros.
    fn request_stats(&self) -> RequestStats {
        RequestStats::default()
    }

    /// The actions this connector can carry out (see [`crate::action`]). None by default.
    const ACTIONS: &'static [ActionSpec] = &[];

    /// How this connector carries out its `ACTIONS`: `Some(self)` for a connector that
    /// implements [`Planner`](crate::Planner). None by default.
    fn planner(&self) -> Option<&dyn DynPlanner> {
        None
    }
}

/// Counters of a connector's requests to its vendor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestStats {
    /// Requests sent, retries included.
    pub requests: u64,
    /// Requests sent again after a 429, a 5xx, a network error or a bad body.
    pub retries: u64,
    /// Answers that were 429 Too Many Requests.
    pub rate_limited: u64,
}

impl RequestStats {
    /// What happened between `earlier` and `self`.
    pub fn since(self, earlier: RequestStats) -> RequestStats {
        RequestStats {
            requests: self.requests.saturating_sub(earlier.requests),
            retries: self.retries.saturating_sub(earlier.retries),
            rate_limited: self.rate_limited.saturating_sub(earlier.rate_limited),
        }
    }
}

impl std::ops::Add for RequestStats {
    type Output = RequestStats;

    fn add(self, other: RequestStats) -> RequestStats {
        RequestStats {
            requests: self.requests + other.requests,
            retries: self.retries + other.retries,
            rate_limited: self.rate_limited + other.rate_limited,
        }
    }
}

/// A built connector with its types erased, as the runner holds it.
#[async_trait]
pub trait DynConnector: Send + Sync {
    fn id(&self) -> &'static str;
    async fn check(&self) -> Result<CheckReport, ConnectorError>;
    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError>;
    fn request_stats(&self) -> RequestStats;
    fn actions(&self) -> &'static [ActionSpec];
    fn planner(&self) -> Option<&dyn DynPlanner>;
}

#[async_trait]
impl<C: Connector> DynConnector for C {
    fn id(&self) -> &'static str {
        C::ID
    }

    async fn check(&self) -> Result<CheckReport, ConnectorError> {
        Connector::check(self).await
    }

    async fn sync(&self, ctx: SyncContext, sink: &mut dyn Sink) -> Result<(), ConnectorError> {
        Connector::sync(self, ctx, sink).await
    }

    fn request_stats(&self) -> RequestStats {
        Connector::request_stats(self)
    }

    fn actions(&self) -> &'static [ActionSpec] {
        C::ACTIONS
    }

    fn planner(&self) -> Option<&dyn DynPlanner> {
        Connector::planner(self)
    }
}

/// Deserializes JSON credentials and settings into `C`'s types and builds it.
/// Every problem is returned, not just the first.
pub(crate) fn build_erased<C: Connector>(
    credentials: Value,
    settings: Value,
) -> Result<Box<dyn DynConnector>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let credentials = deserialize_table::<C::Credentials>("credentials", credentials, &mut errors);
    let settings = if settings.is_null() {
        Some(C::Settings::default())
    } else {
        deserialize_table::<C::Settings>("settings", settings, &mut errors)
    };
    match (credentials, settings) {
        (Some(c), Some(s)) if errors.is_empty() => C::new(c, s).map(|c| Box::new(c) as Box<dyn DynConnector>),
        _ => Err(errors),
    }
}

/// Deserializes one table, refusing keys its form does not have. Every problem is
/// pushed onto `errors`, keyed by its full path.
fn deserialize_table<T: DeserializeOwned + JsonSchema>(
    table: &str,
    value: Value,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let before = errors.len();
    unknown_keys::<T>(table, &value, errors);
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(v) => (errors.len() == before).then_some(v),
        Err(e) => {
            let mut fe = FieldError::from_serde(e);
            if errors[before..].iter().any(|known| known.key == format!("{table}.{}", fe.key)) {
                return None;
            }
            if fe.key.is_empty() {
                // A flattened struct (the shared HTTP settings) loses serde's path:
                // the key is the one whose removal makes the table readable.
                fe.key = culprit::<T>(&value).unwrap_or_default();
            }
            fe.key = if fe.key.is_empty() { table.to_owned() } else { format!("{table}.{}", fe.key) };
            errors.push(fe);
            None
        }
    }
}

/// Keys of `value` that `T`'s form does not have, as serde words them.
fn unknown_keys<T: JsonSchema>(table: &str, value: &Value, errors: &mut Vec<FieldError>) {
    let Some(obj) = value.as_object() else {
        return;
    };
    let Some(known) = form_keys::<T>() else {
        return;
    };
    for key in obj.keys().filter(|k| !known.iter().any(|f| f == k.as_str())) {
        let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        errors.push(FieldError::new(
            format!("{table}.{key}"),
            format!("unknown field, expected one of {}", expected.join(", ")),
        ));
    }
}

/// The field names of `T`'s form (conditional ones included), or `None` for a type
/// whose form is not an object. Computed once per type.
fn form_keys<T: JsonSchema>() -> Option<std::sync::Arc<Vec<String>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Keys = HashMap<std::borrow::Cow<'static, str>, Option<Arc<Vec<String>>>>;
    static KEYS: OnceLock<Mutex<Keys>> = OnceLock::new();
    let cache = KEYS.get_or_init(Mutex::default);
    let id = T::schema_id();
    if let Some(known) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
        return known.clone();
    }
    let schema = crate::schema::for_type::<T>();
    let known = schema
        .get("properties")
        .is_some()
        .then(|| Arc::new(crate::schema::form_fields(&schema).iter().map(|f| f.name.to_owned()).collect()));
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(id, known.clone());
    known
}

/// The one key of an object without which it deserializes as `T` (its other fields
/// default), if there is exactly one.
fn culprit<T: DeserializeOwned>(value: &Value) -> Option<String> {
    let obj = value.as_object()?;
    let mut found = obj.keys().filter(|key| {
        let mut rest = obj.clone();
        rest.remove(key.as_str());
        serde_json::from_value::<T>(Value::Object(rest)).is_ok()
    });
    let first = found.next()?.clone();
    found.next().is_none().then_some(first)
}

//! Opt-in exact last login from the activity audit log, read incrementally.
//!
//! State kept between syncs (owned by this connector, stored by the runner):
//! `{"audit_log": {"cursor": <last event id>, "last_login": {"<user id>": "<rfc3339>"}}}`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use futures_util::{StreamExt, pin_mut};
use roster_http::{HttpError, paginate};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::{ACTIVITY_LOGS, Api};
use crate::members::{deserialize_id, parse_time};

const PAGE_SIZE: usize = 100;

/// Login events, by their `event_type`. The exact API strings are inferred
/// from the UI names ("User login"); see the crate's API.md.
fn is_login(event_type: &str) -> bool {
    event_type.eq_ignore_ascii_case("user_login") || event_type.eq_ignore_ascii_case("login")
}

#[derive(Debug, Deserialize)]
struct Page {
    #[serde(default)]
    data: Option<Vec<Entry>>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    id: u64,
    #[serde(default)]
    event_type: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    user: Option<Actor>,
}

#[derive(Debug, Deserialize)]
struct Actor {
    #[serde(deserialize_with = "deserialize_id")]
    id: String,
}

/// The audit-log part of the connector state.
#[derive(Debug, Default)]
pub(crate) struct AuditState {
    pub cursor: Option<u64>,
    pub last_login: HashMap<String, DateTime<Utc>>,
}

impl AuditState {
    pub(crate) fn from_state(state: Option<&Value>) -> Self {
        let Some(audit) = state.and_then(|s| s.get("audit_log")) else {
            return Self::default();
        };
        let cursor = audit.get("cursor").and_then(Value::as_u64);
        let last_login = audit
            .get("last_login")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), parse_time(v.as_str()?)?))).collect())
            .unwrap_or_default();
        Self { cursor, last_login }
    }

    pub(crate) fn to_state(cursor: Option<u64>, logins: &HashMap<String, DateTime<Utc>>) -> Value {
        let mut ids: Vec<&String> = logins.keys().collect();
        ids.sort();
        let map: Map<String, Value> = ids
            .into_iter()
            .map(|id| {
                (
                    id.clone(),
                    // Full precision: a truncated time would change every
                    // user's last visit on the next, incremental sync.
                    Value::String(logins[id].to_rfc3339_opts(SecondsFormat::AutoSi, true)),
                )
            })
            .collect();
        json!({"audit_log": {"cursor": cursor, "last_login": map}})
    }
}

/// What reading the log produced.
pub(crate) struct AuditRead {
    pub state: AuditState,
    pub events: u64,
    pub pages: u64,
}

/// Reads login events newer than the state's cursor (or within the window on
/// the first sync), merged into the previous logins.
pub(crate) async fn read(api: &Api, previous: AuditState, window_days: u32) -> Result<AuditRead, HttpError> {
    let from = previous.cursor.is_none().then(|| {
        (Utc::now() - Duration::days(i64::from(window_days))).to_rfc3339_opts(SecondsFormat::Secs, true)
    });
    let first_cursor = previous.cursor;
    let mut state = previous;
    let mut pages = 0u64;
    let mut events = 0u64;

    let stream = paginate(first_cursor, |after: Option<u64>| {
        let from = from.clone();
        async move {
            let mut query =
                vec![("page[size]", PAGE_SIZE.to_string()), ("include_resource_types[]", "User".to_owned())];
            match after {
                Some(a) => query.push(("page[after]", a.to_string())),
                None => {
                    if let Some(f) = from {
                        query.push(("from", f));
                    }
                }
            }
            let page: Page = api.http.get_json(ACTIVITY_LOGS, &query).await?;
            let entries = page.data.unwrap_or_default();
            let last = entries.iter().map(|e| e.id).max();
            let next = match (last, after) {
                (Some(l), Some(a)) if l <= a => {
                    return Err(HttpError::Body {
                        request: format!("GET {ACTIVITY_LOGS}"),
                        detail: "the cursor did not advance".into(),
                    });
                }
                (Some(l), _) if entries.len() >= PAGE_SIZE => Some(Some(l)),
                _ => None,
            };
            Ok((vec![(entries, last.or(after))], next))
        }
    });
    pin_mut!(stream);
    while let Some(page) = stream.next().await {
        let (entries, last) = page?;
        pages += 1;
        if last.is_some() {
            state.cursor = last;
        }
        for e in entries {
            events += 1;
            let (Some(kind), Some(actor)) = (e.event_type.as_deref(), e.user.as_ref()) else {
                continue;
            };
            if !is_login(kind) {
                continue;
            }
            let Some(at) = e.timestamp.as_deref().or(e.created_at.as_deref()).and_then(parse_time) else {
                continue;
            };
            let slot = state.last_login.entry(actor.id.clone()).or_insert(at);
            if at > *slot {
                *slot = at;
            }
        }
    }
    Ok(AuditRead { state, events, pages })
}

/// The note for a sync whose audit log could not be read.
pub(crate) fn fallback_note(e: &HttpError) -> String {
    format!(
        "exact last login is on, but the activity audit log could not be read ({e}); last visit falls back to last_activity_log. \
         The log is a paid add-on and needs the \"{}\" permission",
        crate::permissions::ACTIVITY_AUDIT_LOG
    )
}

/// A refusal means "no access", which falls back; anything else fails the sync.
pub(crate) fn is_refusal(e: &HttpError) -> bool {
    matches!(e, HttpError::Status { status: 401 | 403 | 404, .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_logins_at_full_precision() {
        let at = parse_time("2024-05-01T10:22:33.123-07:00").unwrap();
        let logins = HashMap::from([("7".to_owned(), at)]);
        let state = AuditState::to_state(Some(42), &logins);
        assert_eq!(state["audit_log"]["last_login"]["7"], "2024-05-01T17:22:33.123Z");
        let back = AuditState::from_state(Some(&state));
        assert_eq!(back.cursor, Some(42));
        assert_eq!(back.last_login, logins);
    }
}

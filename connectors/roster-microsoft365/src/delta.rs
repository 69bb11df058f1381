//! The delta round of a sync. The connector state holds one delta link; each sync reads
//! the changes since it (users changed or added, and `@removed` ids), and keeps the new
//! link. Without a usable link (the first sync, an expired token, another origin) it asks
//! for `$deltatoken=latest`: a link from now on, with no data. See API.md §5.

use std::collections::HashMap;

use roster_core::{ConnectorError, Sink};
use serde_json::{Value, json};

use crate::api::{Api, Failure};
use crate::pages::Pages;
use crate::users::SELECT;

pub(crate) const DELTA: &str = "/v1.0/users/delta";
const STATE_VERSION: u64 = 1;

/// The changes since the last sync: id → the user as delta gives it, or `None` when it
/// was removed. Later entries of the same id win.
pub(crate) type Changes = HashMap<String, Option<Value>>;

/// What the delta round read, and the link to keep for the next sync.
pub(crate) struct Delta {
    pub changes: Changes,
    pub link: Option<String>,
}

impl Delta {
    /// The connector state to save.
    pub(crate) fn state(&self) -> Option<Value> {
        self.link.as_ref().map(|l| json!({"version": STATE_VERSION, "delta_link": l}))
    }
}

/// The saved link, when the state is ours and points at this Graph origin.
fn saved(state: Option<&Value>, origin: &str) -> Option<String> {
    let state = state?;
    let link = state.get("delta_link")?.as_str()?;
    (state.get("version")?.as_u64()? == STATE_VERSION && link.starts_with(origin)).then(|| link.to_owned())
}

/// Reads the changes since the saved link; an expired one (or none) starts over from now.
/// A refusal of delta itself is a note: the user list alone then decides who is there.
pub(crate) async fn read(
    api: &Api,
    state: Option<&Value>,
    sink: &mut dyn Sink,
) -> Result<Delta, ConnectorError> {
    let origin = api.graph_origin().as_str();
    match saved(state, origin) {
        Some(link) => match round(api, &link, Vec::new()).await {
            Ok(delta) => return Ok(delta),
            Err(Failure::Graph(g)) if g.is_delta_expired() => sink.note(&format!(
                "the saved delta token expired ({}); this sync read the user list in full and took a new delta token",
                g.describe()
            )),
            Err(Failure::Graph(g)) => sink.note(&format!("GET {DELTA}: {}; a new delta token was taken", g.describe())),
            Err(Failure::Other(e)) => return Err(e),
        },
        None if state.is_some() => sink.note("the saved state is not a delta link for this tenant's graph origin; a new one was taken"),
        None => {}
    }
    let query = vec![("$select", SELECT.to_owned()), ("$deltatoken", "latest".to_owned())];
    match round(api, DELTA, query).await {
        Ok(delta) => Ok(Delta { changes: Changes::new(), link: delta.link }),
        Err(Failure::Graph(g)) => {
            sink.note(&format!("GET {DELTA}: {}; removals rely on the user list alone", g.describe()));
            Ok(Delta { changes: Changes::new(), link: None })
        }
        Err(Failure::Other(e)) => Err(e),
    }
}

/// One round: pages through next links until the delta link.
async fn round(api: &Api, path: &str, query: Vec<(&'static str, String)>) -> Result<Delta, Failure> {
    let mut pages = Pages::new(api, path, query);
    let mut changes = Changes::new();
    while let Some(page) = pages.next::<Value>().await? {
        for entry in page.value {
            if let Some(id) = entry.get("id").and_then(Value::as_str) {
                let removed = entry.get("@removed").is_some();
                changes.insert(id.to_owned(), (!removed).then_some(entry));
            }
        }
        if let Some(link) = page.delta_link {
            return Ok(Delta { changes, link: Some(link) });
        }
        if page.next_link.is_none() {
            break;
        }
    }
    Err(Failure::Other(ConnectorError::invalid_response(format!(
        "GET {DELTA}: a delta round ended without a delta link"
    ))))
}

//! Google's list paging: `maxResults` within each method's range, opaque
//! `nextPageToken`s bound to the query they came from, and list bodies whose empty
//! `items` and last `nextPageToken` are left out (or not, per setting).

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use roster_sim_kit::respond::param;
use serde_json::{Map, Value, json};

use crate::responses::{google_error, json_response};
use crate::spec::CustomerSettings;

/// One list method: its `kind`, the key of its items, and its `maxResults` range.
pub(crate) struct List {
    pub kind: &'static str,
    pub items: &'static str,
    pub max: usize,
    pub default: usize,
}

fn invalid(location: &str) -> Response {
    let error = json!({"message": "Invalid Input", "domain": "global", "reason": "invalid",
        "location": location, "locationType": "parameter"});
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({"error": {"code": 400, "message": "Invalid Input", "errors": [error]}}),
    )
}

/// The page of `items` that `query` asks for, as a list body. `bound` names the query
/// (path and filters) a page token belongs to.
pub(crate) fn page(
    list: &List,
    items: &[Value],
    query: &[(String, String)],
    bound: &str,
    settings: &CustomerSettings,
) -> Response {
    let size = match param(query, "maxResults").map(str::parse::<usize>) {
        None => list.default,
        Some(Ok(n)) if (1..=list.max).contains(&n) => n,
        Some(_) => return invalid("maxResults"),
    };
    let (offset, empty_served) = match param(query, "pageToken").filter(|t| !t.is_empty()) {
        None => (0, false),
        Some(t) => match decode(t, bound) {
            Some(cursor) => cursor,
            None => return invalid("pageToken"),
        },
    };
    let (slice, next) = if settings.empty_pages && offset > 0 && !empty_served {
        (&[][..], Some((offset, true)))
    } else {
        let end = (offset + size).min(items.len());
        (&items[offset.min(end)..end], (end < items.len()).then_some((end, false)))
    };
    let mut body = Map::new();
    body.insert("kind".into(), json!(list.kind));
    body.insert("etag".into(), json!(format!("\"{}\"", URL_SAFE_NO_PAD.encode(bound))));
    if !slice.is_empty() || settings.empty_lists_present {
        body.insert(list.items.into(), Value::Array(slice.to_vec()));
    }
    match next {
        Some(cursor) => {
            body.insert("nextPageToken".into(), json!(encode(cursor, bound)));
        }
        None if settings.empty_last_page_token => {
            body.insert("nextPageToken".into(), json!(""));
        }
        None => {}
    }
    json_response(StatusCode::OK, &Value::Object(body))
}

fn encode((offset, empty_served): (usize, bool), bound: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{offset}|{}|{bound}", u8::from(empty_served)))
}

fn decode(token: &str, bound: &str) -> Option<(usize, bool)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let mut parts = text.splitn(3, '|');
    let (offset, empty, b) = (parts.next()?.parse().ok()?, parts.next()?, parts.next()?);
    (b == bound).then_some((offset, empty == "1"))
}

/// 400 Bad Request, as for an unknown `customer`.
pub(crate) fn bad_request() -> Response {
    google_error(StatusCode::BAD_REQUEST, "global", "badRequest", "Bad Request")
}

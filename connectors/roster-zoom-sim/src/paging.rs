//! `GET /users` paging: opaque `next_page_token`s that expire, bound to the query they
//! came from, with the documented last-page `""` and switchable edge cases.

use std::collections::HashMap;
use std::time::Instant;

use rand::Rng;
use serde_json::{Map, Value, json};

use crate::spec::{LastPageToken, Paging};

/// Where a token resumes.
#[derive(Clone, Debug)]
pub(crate) struct PageCursor {
    status: String,
    role_id: Option<String>,
    offset: usize,
    page_number: usize,
    page_size: usize,
    /// The empty page that precedes this page (with `empty_pages`) was served.
    empty_served: bool,
    issued_at: Instant,
}

/// The tokens handed out by one account.
#[derive(Debug, Default)]
pub(crate) struct PageTokens {
    tokens: HashMap<String, PageCursor>,
}

impl PageTokens {
    fn issue(&mut self, cursor: PageCursor, paging: &Paging) -> String {
        let now = cursor.issued_at;
        self.tokens.retain(|_, c| now.saturating_duration_since(c.issued_at) < paging.token_ttl);
        let bytes: [u8; 16] = rand::rng().random();
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.tokens.insert(token.clone(), cursor);
        token
    }
}

/// A parsed `GET /users` query.
#[derive(Debug, Default)]
pub(crate) struct ListQuery {
    pub status: String,
    pub role_id: Option<String>,
    pub page_size: Option<usize>,
    pub next_page_token: Option<String>,
}

impl ListQuery {
    /// Parses the query pairs; `Err` carries the message of a code-300 answer.
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut q = ListQuery { status: "active".to_owned(), ..ListQuery::default() };
        for (k, v) in pairs {
            match k.as_str() {
                "status" => match v.as_str() {
                    "active" | "inactive" | "pending" => q.status = v.clone(),
                    _ => return Err(format!("Invalid field: status {v}.")),
                },
                "role_id" if !v.is_empty() => q.role_id = Some(v.clone()),
                "page_size" => {
                    q.page_size = Some(v.parse().map_err(|_| "Invalid field: page_size.".to_owned())?)
                }
                "next_page_token" if !v.is_empty() => q.next_page_token = Some(v.clone()),
                _ => {}
            }
        }
        Ok(q)
    }
}

/// The page error of a stale, unknown or mismatched token.
pub(crate) const INVALID_TOKEN: &str = "The next page token is invalid or expired.";

/// One page of `users` (already in list order) for `q`.
pub(crate) fn page(
    users: &[Value],
    q: &ListQuery,
    paging: &Paging,
    tokens: &mut PageTokens,
    now: Instant,
) -> Result<Value, &'static str> {
    let size = q.page_size.unwrap_or(paging.default_page_size).clamp(1, paging.max_page_size.max(1));
    let cursor = match &q.next_page_token {
        Some(t) => {
            let c = tokens.tokens.get(t).ok_or(INVALID_TOKEN)?;
            let stale = now.saturating_duration_since(c.issued_at) >= paging.token_ttl;
            if stale || c.status != q.status || c.role_id != q.role_id {
                return Err(INVALID_TOKEN);
            }
            c.clone()
        }
        None => PageCursor {
            status: q.status.clone(),
            role_id: q.role_id.clone(),
            offset: 0,
            page_number: 1,
            page_size: size,
            empty_served: false,
            issued_at: now,
        },
    };
    let matching: Vec<&Value> = users
        .iter()
        .filter(|u| u["status"] == q.status.as_str())
        .filter(|u| q.role_id.as_deref().is_none_or(|r| u["role_id"] == r))
        .collect();
    let total = matching.len();
    let size = if q.next_page_token.is_some() { cursor.page_size } else { size };

    let (items, next): (Vec<Value>, Option<PageCursor>) =
        if paging.empty_pages && cursor.offset > 0 && !cursor.empty_served {
            (Vec::new(), Some(PageCursor { empty_served: true, issued_at: now, ..cursor.clone() }))
        } else {
            let start = cursor.offset.min(total);
            let end = (start + size).min(total);
            let items: Vec<Value> = matching[start..end].iter().map(|u| (*u).clone()).collect();
            let full_at_end = end == total && end - start == size && paging.trailing_empty_page;
            let more = end < total || full_at_end;
            let next = more.then(|| PageCursor {
                offset: end,
                page_number: cursor.page_number + 1,
                empty_served: false,
                issued_at: now,
                ..cursor.clone()
            });
            (items, next)
        };

    let mut body = Map::new();
    body.insert("page_count".into(), json!(total.div_ceil(size)));
    body.insert("page_number".into(), json!(cursor.page_number));
    body.insert("page_size".into(), json!(size));
    body.insert("total_records".into(), json!(total));
    match next {
        Some(c) => {
            body.insert("next_page_token".into(), json!(tokens.issue(c, paging)));
        }
        None if paging.last_page_token == LastPageToken::Empty => {
            body.insert("next_page_token".into(), json!(""));
        }
        None => {}
    }
    body.insert("users".into(), Value::Array(items));
    Ok(Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({"id": format!("u{i}"), "status": "active", "role_id": "2"})).collect()
    }

    fn walk(n: usize, size: usize, paging: &Paging) -> (Vec<usize>, Vec<String>) {
        let all = users(n);
        let mut tokens = PageTokens::default();
        let mut q = ListQuery { status: "active".into(), page_size: Some(size), ..ListQuery::default() };
        let (mut sizes, mut ids) = (Vec::new(), Vec::new());
        loop {
            let page = page(&all, &q, paging, &mut tokens, Instant::now()).unwrap_or_default();
            let items = page["users"].as_array().cloned().unwrap_or_default();
            sizes.push(items.len());
            ids.extend(items.iter().map(|u| u["id"].as_str().unwrap_or_default().to_owned()));
            match page.get("next_page_token").and_then(Value::as_str) {
                Some(t) if !t.is_empty() => q.next_page_token = Some(t.to_owned()),
                _ => break,
            }
            assert!(sizes.len() < 100, "runaway paging");
        }
        (sizes, ids)
    }

    #[test]
    fn pages_and_edge_cases() {
        let plain = Paging::default();
        assert_eq!(walk(7, 3, &plain).0, [3, 3, 1]);
        assert_eq!(walk(6, 3, &plain).0, [3, 3]);
        assert_eq!(walk(0, 3, &plain).0, [0]);
        let trailing = Paging { trailing_empty_page: true, ..Paging::default() };
        assert_eq!(walk(6, 3, &trailing).0, [3, 3, 0]);
        let empty = Paging { empty_pages: true, ..Paging::default() };
        let (sizes, ids) = walk(7, 3, &empty);
        assert_eq!(sizes, [3, 0, 3, 0, 1]);
        assert_eq!(ids.len(), 7);
    }

    #[test]
    fn tokens_are_bound_to_their_query() {
        let all = users(5);
        let mut tokens = PageTokens::default();
        let q = ListQuery { status: "active".into(), page_size: Some(2), ..ListQuery::default() };
        let first = page(&all, &q, &Paging::default(), &mut tokens, Instant::now()).unwrap_or_default();
        let token = first["next_page_token"].as_str().unwrap_or_default().to_owned();
        let other =
            ListQuery { status: "inactive".into(), next_page_token: Some(token), ..ListQuery::default() };
        assert_eq!(page(&all, &other, &Paging::default(), &mut tokens, Instant::now()), Err(INVALID_TOKEN));
        let bogus = ListQuery {
            status: "active".into(),
            next_page_token: Some("nope".into()),
            ..ListQuery::default()
        };
        assert_eq!(page(&all, &bogus, &Paging::default(), &mut tokens, Instant::now()), Err(INVALID_TOKEN));
    }
}

//! `GET /api/activity_logs`: the generated log (an id index built lazily), events added by
//! tests, filters and cursor paging.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value, json};

use crate::events::{self, KINDS, MAX_GENERATED_MEMBERS};
use crate::members::{self, GenCtx};
use crate::pools::{CONNECTIONS, FOLDERS, RECIPES, USER_AGENTS};
use crate::spec::ActivityTotal;
use crate::timefmt::rails;
use roster_sim_kit::Mix;

/// Default and maximum `page[size]`.
pub const MAX_PAGE_SIZE: usize = 100;
const SALT_ENTRY: u64 = 0xAC7;

/// Sorted ids of every generated event of a workspace, plus their positions per kind.
pub(crate) struct ActivityIndex {
    pub key: (u64, usize, i64),
    ids: Vec<u64>,
    by_kind: Vec<Vec<u32>>,
}

impl ActivityIndex {
    pub(crate) fn build(seed: u64, count: usize, anchor_secs: i64) -> Self {
        let count = count.min(MAX_GENERATED_MEMBERS);
        let mut ids = Vec::with_capacity(count * 5);
        for index in 0..count {
            let (created, _) = members::created_at(seed, index, anchor_secs);
            ids.extend(events::member_events(seed, index, created, anchor_secs));
        }
        ids.sort_unstable();
        let mut by_kind = vec![Vec::new(); KINDS.len()];
        for (pos, id) in ids.iter().enumerate() {
            if let Some(v) = by_kind.get_mut((id & 7) as usize) {
                v.push(pos as u32);
            }
        }
        ActivityIndex { key: (seed, count, anchor_secs), ids, by_kind }
    }
}

/// An event added through the handle.
#[derive(Clone, Debug)]
pub(crate) struct ExtraEvent {
    pub value: Value,
    pub millis: Option<i64>,
    pub event_type: String,
    pub resource_type: String,
}

impl ExtraEvent {
    pub(crate) fn new(value: Value) -> Self {
        let millis = ["timestamp", "created_at"]
            .iter()
            .find_map(|k| value.get(*k).and_then(Value::as_str))
            .and_then(parse_time);
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        ExtraEvent {
            event_type: text(value.get("event_type")),
            resource_type: text(value.get("resource").and_then(|r| r.get("type"))),
            millis,
            value,
        }
    }
}

/// Parses an RFC 3339 date-time (or a bare date, taken as midnight UTC) into Unix milliseconds.
pub(crate) fn parse_time(text: &str) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp_millis());
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// The parsed query string.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActivityQuery {
    pub after: Option<u64>,
    pub size: usize,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    include_resource: Vec<String>,
    exclude_resource: Vec<String>,
    include_event: Vec<String>,
    exclude_event: Vec<String>,
}

impl ActivityQuery {
    /// Parses query pairs; errors are client errors (400).
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut q = ActivityQuery { size: MAX_PAGE_SIZE, ..Default::default() };
        for (key, value) in pairs {
            let values = || value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
            match key.as_str() {
                "page[after]" => {
                    let after =
                        value.trim().parse::<u64>().map_err(|_| format!("invalid page[after]: {value:?}"))?;
                    q.after = Some(after);
                }
                "page[size]" => {
                    let size =
                        value.trim().parse::<i64>().map_err(|_| format!("invalid page[size]: {value:?}"))?;
                    q.size = size.clamp(1, MAX_PAGE_SIZE as i64) as usize;
                }
                "from" => {
                    q.from_ms =
                        Some(parse_time(value.trim()).ok_or_else(|| format!("invalid from: {value:?}"))?);
                }
                "to" => {
                    q.to_ms = Some(parse_time(value.trim()).ok_or_else(|| format!("invalid to: {value:?}"))?);
                }
                "include_resource_types[]" | "include_resource_types" => q.include_resource.extend(values()),
                "exclude_resource_types[]" | "exclude_resource_types" => q.exclude_resource.extend(values()),
                "include_event_types[]" | "include_event_types" => q.include_event.extend(values()),
                "exclude_event_types[]" | "exclude_event_types" => q.exclude_event.extend(values()),
                _ => {}
            }
        }
        Ok(q)
    }

    fn matches_types(&self, event_type: &str, resource_type: &str) -> bool {
        let has = |list: &[String], v: &str| list.iter().any(|x| x.eq_ignore_ascii_case(v));
        (self.include_resource.is_empty() || has(&self.include_resource, resource_type))
            && !has(&self.exclude_resource, resource_type)
            && (self.include_event.is_empty() || has(&self.include_event, event_type))
            && !has(&self.exclude_event, event_type)
    }

    fn matches_time(&self, millis: Option<i64>) -> bool {
        match millis {
            Some(t) => self.from_ms.is_none_or(|f| t >= f) && self.to_ms.is_none_or(|u| t <= u),
            None => self.from_ms.is_none() && self.to_ms.is_none(),
        }
    }
}

/// What rendering entries needs.
pub(crate) struct LogCtx {
    pub generation: GenCtx,
    /// `{id, name, email, environment}`.
    pub workspace: Value,
    pub timestamp_key: String,
    pub total: ActivityTotal,
}

/// Runs a query over the generated index (if any) and the added events.
pub(crate) fn run(
    index: Option<&ActivityIndex>,
    extras: &BTreeMap<u64, ExtraEvent>,
    q: &ActivityQuery,
    ctx: &LogCtx,
) -> Value {
    let login = ctx.generation.login_event_type.as_str();
    let base = events::base_secs(ctx.generation.anchor_secs);
    let mask: Vec<bool> = (0..KINDS.len())
        .map(|k| q.matches_types(events::event_type(k, login), KINDS[k].resource_type))
        .collect();

    let (ids, lo, hi): (&[u64], usize, usize) = match index {
        Some(ix) => {
            let ids = ix.ids.as_slice();
            let millis = |id: &u64| events::decode(*id, base).millis();
            let lo = q.from_ms.map_or(0, |f| ids.partition_point(|id| millis(id) < f));
            let hi = q.to_ms.map_or(ids.len(), |t| ids.partition_point(|id| millis(id) <= t));
            (ids, lo, hi.max(lo))
        }
        None => (&[], 0, 0),
    };
    let start = q.after.map_or(lo, |a| ids.partition_point(|id| *id <= a).max(lo)).min(hi);

    let extra_ok =
        |e: &ExtraEvent| q.matches_time(e.millis) && q.matches_types(&e.event_type, &e.resource_type);
    let mut generated = ids[start..hi]
        .iter()
        .copied()
        .filter(|id| mask.get((id & 7) as usize).copied().unwrap_or(false))
        .peekable();
    let lower = q.after.map_or(Bound::Unbounded, Bound::Excluded);
    let mut added = extras.range((lower, Bound::Unbounded)).filter(|(_, e)| extra_ok(e)).peekable();

    let mut data = Vec::with_capacity(q.size);
    while data.len() < q.size {
        let take_generated = match (generated.peek(), added.peek()) {
            (Some(g), Some((a, _))) => *g < **a,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_generated {
            if let Some(id) = generated.next() {
                data.push(generated_entry(id, ctx));
            }
        } else if let Some((_, e)) = added.next() {
            data.push(e.value.clone());
        }
    }

    let total = match ctx.total {
        ActivityTotal::Page => data.len(),
        ActivityTotal::Matching => {
            let generated_total: usize = match index {
                Some(ix) => ix
                    .by_kind
                    .iter()
                    .zip(&mask)
                    .filter(|(_, keep)| **keep)
                    .map(|(positions, _)| {
                        positions.partition_point(|p| (*p as usize) < hi)
                            - positions.partition_point(|p| (*p as usize) < lo)
                    })
                    .sum(),
                None => 0,
            };
            generated_total + extras.values().filter(|e| extra_ok(e)).count()
        }
    };
    json!({ "data": data, "total": total })
}

/// Renders one generated event.
fn generated_entry(id: u64, ctx: &LogCtx) -> Value {
    let g = &ctx.generation;
    let d = events::decode(id, events::base_secs(g.anchor_secs));
    let ident = members::identity(g.seed, d.index);
    let member_id = members::member_id(d.index);
    let kind = KINDS.get(d.kind).unwrap_or(&KINDS[0]);
    let mut rng = Mix::new(&[g.seed, id, SALT_ENTRY]);
    let mut member_rng = Mix::new(&[g.seed, d.index as u64, SALT_ENTRY]);
    let resource = match kind.resource_type {
        "User" => {
            json!({"id": member_id, "name": ident.name, "type": "User", "email": ident.email})
        }
        "Recipe" => {
            let r = rng.below(RECIPES.len() as u64);
            json!({"id": 40_000 + r, "name": RECIPES[r as usize], "type": "Recipe"})
        }
        "Connection" => {
            let c = rng.below(CONNECTIONS.len() as u64);
            json!({"id": 70_000 + c, "name": CONNECTIONS[c as usize], "type": "Connection"})
        }
        _ => {
            let f = rng.below(FOLDERS.len() as u64);
            json!({"id": 10_000 + f, "name": FOLDERS[f as usize], "type": kind.resource_type})
        }
    };
    let ip =
        format!("{}.{}", member_rng.pick(&["203.0.113", "198.51.100", "192.0.2"]), 1 + member_rng.below(254));
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("event_type".into(), json!(events::event_type(d.kind, &g.login_event_type)));
    m.insert(ctx.timestamp_key.clone(), json!(rails(d.secs, d.ms, ident.offset_min)));
    m.insert("workspace".into(), ctx.workspace.clone());
    m.insert("user".into(), json!({"id": member_id, "name": ident.name, "email": ident.email}));
    m.insert("resource".into(), resource);
    m.insert(
        "details".into(),
        json!({
            "request": {"ip_address": ip, "user_agent": member_rng.pick(&USER_AGENTS)},
            "activity": kind.activity,
        }),
    );
    Value::Object(m)
}

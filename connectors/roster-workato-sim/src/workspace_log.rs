//! The activity-log side of a workspace handle: added events, logins and the generated index.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use crate::activity::{ActivityIndex, ExtraEvent, LogCtx};
use crate::events::{self, KINDS};
use crate::members;
use crate::spec::WorkspaceSettings;
use crate::store::{MemberStore, id_of};
use crate::timefmt::rails_dt;
use crate::workspace::Workspace;

impl Workspace {
    /// Appends activity-log entries, returning their ids. An entry without an integer `id`
    /// gets the next id after every existing one. The time is read from `timestamp` (or
    /// `created_at`). Members' `last_activity_log` is not changed (see [`Workspace::add_login`]).
    pub fn add_activity(&self, events: Vec<Value>) -> Vec<u64> {
        let mut st = self.lock();
        let generated_ceiling = match st.members {
            MemberStore::Generated { .. } => {
                let base = events::base_secs(self.inner.anchor_secs);
                ((self.inner.anchor_secs - base + 1) as u64) << 29
            }
            MemberStore::Explicit(_) => 0,
        };
        let extras = Arc::make_mut(&mut st.extras);
        let mut ids = Vec::with_capacity(events.len());
        for mut event in events {
            let next = extras.keys().next_back().map_or(0, |k| *k).max(generated_ceiling) + 1;
            let id = match id_of(&event) {
                Some(id) => id,
                None => {
                    if let Some(obj) = event.as_object_mut() {
                        obj.insert("id".into(), Value::from(next));
                    }
                    next
                }
            };
            extras.insert(id, ExtraEvent::new(event));
            ids.push(id);
        }
        ids
    }

    /// Records a login of a member at `at`: appends a login entry to the activity log and
    /// makes it the member's `last_activity_log`. Returns the entry id, or `None` when there
    /// is no such member.
    pub fn add_login(&self, member_id: u64, at: DateTime<FixedOffset>) -> Option<u64> {
        let member = self.member_json(member_id)?;
        let settings = self.settings();
        let text = |k: &str| member.get(k).cloned().unwrap_or(Value::Null);
        let timestamp = rails_dt(&at);
        let mut entry = serde_json::Map::new();
        entry.insert("event_type".into(), json!(settings.login_event_type));
        entry.insert(settings.activity_timestamp_key.clone(), json!(timestamp));
        entry.insert("workspace".into(), self.workspace_json(&settings));
        entry.insert("user".into(), json!({"id": member_id, "name": text("name"), "email": text("email")}));
        entry.insert(
            "resource".into(),
            json!({"id": member_id, "name": text("name"), "type": "User", "email": text("email")}),
        );
        entry.insert(
            "details".into(),
            json!({"request": {"ip_address": "203.0.113.7", "user_agent": "Mozilla/5.0"}, "activity": KINDS[0].activity}),
        );
        let id = self.add_activity(vec![Value::Object(entry)]).first().copied()?;
        let mut st = self.lock();
        // Keep the time for `from` filtering even when the timestamp key is unusual.
        if let Some(extra) = Arc::make_mut(&mut st.extras).get_mut(&id) {
            extra.millis = Some(at.timestamp_millis());
        }
        let ctx = self.gen_ctx(&st.settings, &st.members);
        st.members.update(&ctx, member_id, |m| {
            if let Some(obj) = m.as_object_mut() {
                obj.insert(
                    "last_activity_log".into(),
                    json!({"id": id, "event_type": settings.login_event_type, "created_at": timestamp}),
                );
            }
        });
        Some(id)
    }

    /// The latest login time per member id in the activity log (generated and added entries),
    /// for assertions.
    pub fn last_logins(&self) -> BTreeMap<u64, DateTime<FixedOffset>> {
        let (store, ctx) = self.member_snapshot();
        let extras = self.lock().extras.clone();
        let mut out: BTreeMap<u64, DateTime<FixedOffset>> = BTreeMap::new();
        let mut keep = |id: u64, at: DateTime<FixedOffset>| {
            let slot = out.entry(id).or_insert(at);
            if at > *slot {
                *slot = at;
            }
        };
        if let MemberStore::Generated { count, .. } = store {
            let base = events::base_secs(ctx.anchor_secs);
            for index in 0..count {
                let (created, _) = members::created_at(ctx.seed, index, ctx.anchor_secs);
                let offset = members::identity(ctx.seed, index).offset_min;
                let last = events::member_events(ctx.seed, index, created, ctx.anchor_secs)
                    .into_iter()
                    .rev()
                    .map(|id| events::decode(id, base))
                    .find(|d| d.kind == 0);
                let at = last.and_then(|d| {
                    let utc = DateTime::from_timestamp_millis(d.millis())?;
                    Some(utc.with_timezone(&FixedOffset::east_opt(offset * 60)?))
                });
                if let Some(at) = at {
                    keep(members::member_id(index), at);
                }
            }
        }
        for extra in extras.values() {
            if extra.event_type != ctx.login_event_type {
                continue;
            }
            let user = extra.value.get("user").and_then(id_of);
            let at = extra.millis.and_then(DateTime::from_timestamp_millis);
            if let (Some(user), Some(at)) = (user, at) {
                keep(user, at.fixed_offset());
            }
        }
        out
    }

    /// `{id, name, email, environment}` as in activity entries.
    pub(crate) fn workspace_json(&self, settings: &WorkspaceSettings) -> Value {
        json!({
            "id": self.inner.id,
            "name": self.inner.name,
            "email": self.inner.email,
            "environment": settings.environment,
        })
    }

    /// The activity-log context and data for one query.
    pub(crate) fn activity_snapshot(
        &self,
    ) -> (LogCtx, Option<Arc<ActivityIndex>>, Arc<BTreeMap<u64, ExtraEvent>>) {
        let (generated, ctx, extras) = {
            let st = self.lock();
            let generated = match &st.members {
                MemberStore::Generated { count, seed, .. } => Some((*seed, *count)),
                MemberStore::Explicit(_) => None,
            };
            let log = LogCtx {
                generation: self.gen_ctx(&st.settings, &st.members),
                workspace: self.workspace_json(&st.settings),
                timestamp_key: st.settings.activity_timestamp_key.clone(),
                total: st.settings.activity_total,
            };
            (generated, log, st.extras.clone())
        };
        let index = generated.map(|(seed, count)| self.activity_index(seed, count));
        (ctx, index, extras)
    }

    fn activity_index(&self, seed: u64, count: usize) -> Arc<ActivityIndex> {
        let key = (seed, count, self.inner.anchor_secs);
        let mut cache = self.inner.activity_index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ix) = cache.as_ref().filter(|ix| ix.key == key) {
            return ix.clone();
        }
        let ix = Arc::new(ActivityIndex::build(seed, count, self.inner.anchor_secs));
        *cache = Some(ix.clone());
        ix
    }
}

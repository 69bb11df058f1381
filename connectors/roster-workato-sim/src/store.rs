//! A workspace's members: generated on the fly or explicit, with removals and per-member overrides.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::Value;

use crate::events::MAX_GENERATED_MEMBERS;
use crate::members::{self, GenCtx};

/// Members as stored; cheap to clone (a snapshot for one request).
#[derive(Clone, Debug)]
pub(crate) enum MemberStore {
    Generated { count: usize, seed: u64, removed: Arc<BTreeSet<u64>>, overrides: Arc<HashMap<u64, Value>> },
    Explicit(Arc<Vec<Value>>),
}

/// The `id` of a member object.
pub(crate) fn id_of(member: &Value) -> Option<u64> {
    member.get("id").and_then(Value::as_u64)
}

impl MemberStore {
    pub(crate) fn generated(count: usize, seed: u64) -> Self {
        MemberStore::Generated {
            count: count.min(MAX_GENERATED_MEMBERS),
            seed,
            removed: Arc::default(),
            overrides: Arc::default(),
        }
    }

    /// Number of slots to walk (generated indices or explicit entries), removed ones included.
    pub(crate) fn slots(&self) -> usize {
        match self {
            MemberStore::Generated { count, .. } => *count,
            MemberStore::Explicit(list) => list.len(),
        }
    }

    /// The member in a slot, unless removed.
    pub(crate) fn at(&self, ctx: &GenCtx, slot: usize) -> Option<Value> {
        match self {
            MemberStore::Generated { count, removed, overrides, .. } => {
                if slot >= *count {
                    return None;
                }
                let id = members::member_id(slot);
                if removed.contains(&id) {
                    return None;
                }
                Some(overrides.get(&id).cloned().unwrap_or_else(|| members::generate(ctx, slot)))
            }
            MemberStore::Explicit(list) => list.get(slot).cloned(),
        }
    }

    /// The member with this id.
    pub(crate) fn get(&self, ctx: &GenCtx, id: u64) -> Option<Value> {
        match self {
            MemberStore::Generated { .. } => self.at(ctx, members::member_index(id)?),
            MemberStore::Explicit(list) => list.iter().find(|m| id_of(m) == Some(id)).cloned(),
        }
    }

    /// Every member, in list order.
    pub(crate) fn all(&self, ctx: &GenCtx) -> Vec<Value> {
        (0..self.slots()).filter_map(|slot| self.at(ctx, slot)).collect()
    }

    /// Removes a member; false when there is none with that id.
    pub(crate) fn remove(&mut self, ctx: &GenCtx, id: u64) -> bool {
        if self.get(ctx, id).is_none() {
            return false;
        }
        match self {
            MemberStore::Generated { removed, .. } => Arc::make_mut(removed).insert(id),
            MemberStore::Explicit(list) => {
                Arc::make_mut(list).retain(|m| id_of(m) != Some(id));
                true
            }
        }
    }

    /// Changes a member in place; false when there is none with that id.
    pub(crate) fn update(&mut self, ctx: &GenCtx, id: u64, f: impl FnOnce(&mut Value)) -> bool {
        let Some(mut member) = self.get(ctx, id) else {
            return false;
        };
        f(&mut member);
        match self {
            MemberStore::Generated { overrides, .. } => {
                Arc::make_mut(overrides).insert(id, member);
            }
            MemberStore::Explicit(list) => {
                if let Some(slot) = Arc::make_mut(list).iter_mut().find(|m| id_of(m) == Some(id)) {
                    *slot = member;
                }
            }
        }
        true
    }

    /// Grows or shrinks. Explicit lists are truncated, or extended with generated members
    /// (seed 0) whose ids follow the largest id present.
    pub(crate) fn set_count(&mut self, ctx: &GenCtx, n: usize) {
        match self {
            MemberStore::Generated { count, .. } => *count = n.min(MAX_GENERATED_MEMBERS),
            MemberStore::Explicit(list) => {
                let list = Arc::make_mut(list);
                if n <= list.len() {
                    list.truncate(n);
                    return;
                }
                let first_new =
                    list.iter().filter_map(id_of).max().map_or(members::FIRST_MEMBER_ID, |m| m + 1);
                let filler = GenCtx { seed: 0, ..ctx.clone() };
                let extra: Vec<Value> = (list.len()..n)
                    .zip(first_new..)
                    .map(|(slot, id)| {
                        let mut m = members::generate(&filler, slot);
                        if let Some(obj) = m.as_object_mut() {
                            obj.insert("id".into(), Value::from(id));
                        }
                        m
                    })
                    .collect();
                list.extend(extra);
            }
        }
    }
}

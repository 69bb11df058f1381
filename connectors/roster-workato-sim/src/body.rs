//! The streamed `/api/members` body: members are produced a few hundred at a time, so even a
//! huge generated workspace is never held in memory.

use bytes::Bytes;
use futures_util::stream;
use serde_json::Value;

use crate::members::GenCtx;
use crate::store::MemberStore;

/// Members serialised per chunk.
pub const CHUNK_MEMBERS: usize = 256;

struct Cursor {
    store: MemberStore,
    ctx: GenCtx,
    filter: Option<String>,
    slot: usize,
    matched: usize,
    started: bool,
    done: bool,
}

impl Cursor {
    fn keeps(&self, member: &Value) -> bool {
        match &self.filter {
            None => true,
            Some(f) => member
                .get("email")
                .and_then(Value::as_str)
                .is_some_and(|e| e.to_lowercase().contains(f.as_str())),
        }
    }

    /// Serialises the next slots into `buf`; true when the list is finished.
    fn fill(&mut self, buf: &mut Vec<u8>) -> bool {
        if !self.started {
            buf.extend_from_slice(b"{\"data\":[");
            self.started = true;
        }
        let slots = self.store.slots();
        let end = (self.slot + CHUNK_MEMBERS).min(slots);
        for slot in self.slot..end {
            let Some(member) = self.store.at(&self.ctx, slot) else {
                continue;
            };
            if !self.keeps(&member) {
                continue;
            }
            if self.matched > 0 {
                buf.push(b',');
            }
            if serde_json::to_writer(&mut *buf, &member).is_ok() {
                self.matched += 1;
            }
        }
        self.slot = end;
        if end >= slots {
            buf.extend_from_slice(format!("],\"total\":{}}}", self.matched).as_bytes());
            return true;
        }
        false
    }
}

/// `{"data":[...],"total":N}` as a stream of chunks. `email` filters by case-insensitive substring.
pub(crate) fn members_stream(
    store: MemberStore,
    ctx: GenCtx,
    email: Option<String>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let cursor = Cursor {
        store,
        ctx,
        filter: email.map(|e| e.to_lowercase()),
        slot: 0,
        matched: 0,
        started: false,
        done: false,
    };
    stream::unfold(cursor, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        let mut buf = Vec::with_capacity(CHUNK_MEMBERS * 512);
        loop {
            cursor.done = cursor.fill(&mut buf);
            if cursor.done || !buf.is_empty() {
                break;
            }
            // A filter that skips many members: let other tasks run between chunks.
            tokio::task::yield_now().await;
        }
        Some((Ok(Bytes::from(buf)), cursor))
    })
}

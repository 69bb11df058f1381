//! Streams `GET /api/members` into the sink as the body arrives.

use std::collections::HashMap;
use std::ops::Range;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use roster_core::{AttributeRef, Sink};
use roster_http::{BodyError, ReadBody, Response, expect_json};

use crate::envelope::EnvelopeScanner;
use crate::members::{Member, parse_member};

/// What one read of the members list produced.
#[derive(Debug, Default)]
pub(crate) struct MembersRead {
    pub users: u64,
    pub skipped: u64,
    pub unreadable_times: u64,
    /// Logins of the users seen, when exact last login is on.
    pub logins_seen: HashMap<String, DateTime<Utc>>,
}

pub(crate) struct MembersReader<'a> {
    pub sink: &'a mut dyn Sink,
    /// Latest login per user id, from the audit log, when enabled.
    pub logins: Option<&'a HashMap<String, DateTime<Utc>>>,
}

#[async_trait]
impl ReadBody<MembersRead> for MembersReader<'_> {
    async fn read(&mut self, mut resp: Response) -> Result<MembersRead, BodyError> {
        expect_json(&resp)?;
        let mut scanner = EnvelopeScanner::new();
        let mut out = MembersRead::default();
        // The records of one chunk, copied out of it end to end: each user
        // borrows its text from here on its way to the sink.
        let mut records: Vec<u8> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        loop {
            let chunk = match resp.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return Err(BodyError::from_reqwest(&e)),
            };
            records.clear();
            scanner
                .feed(&chunk, |raw| {
                    let start = records.len();
                    records.extend_from_slice(raw);
                    spans.push(start..records.len());
                })
                .map_err(|e| BodyError::Invalid(e.to_string()))?;
            for span in spans.drain(..) {
                let raw = records.get(span).unwrap_or_default();
                match parse_member(raw) {
                    Ok(mut member) => {
                        self.send(&mut member, &mut out).await?;
                        out.users += 1;
                    }
                    Err((id, reason)) => {
                        self.sink.skipped(&format!("collaborator {id}"), &reason);
                        out.skipped += 1;
                    }
                }
            }
        }
        let summary = scanner.finish().map_err(|e| BodyError::Invalid(e.to_string()))?;
        if let Some(total) = summary.total
            && total != summary.elements
        {
            return Err(BodyError::Invalid(format!(
                "the body lists {} collaborators but its total says {total}",
                summary.elements
            )));
        }
        Ok(out)
    }

    fn large_body(&self) -> bool {
        true
    }
}

impl MembersReader<'_> {
    /// Hands one member to the sink as a borrowed user; with exact last
    /// login on, its last visit is the login from the audit log and its last
    /// activity becomes an attribute.
    async fn send(&mut self, member: &mut Member<'_>, out: &mut MembersRead) -> Result<(), BodyError> {
        // Declared first, so that it outlives the mapping that borrows it.
        let mut stamp: Option<String> = None;
        let mut mapped = member.mapped();
        if mapped.activity.unreadable_time {
            out.unreadable_times += 1;
        }
        if self.logins.is_some() {
            stamp = mapped.activity.last_activity_at.map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        if let Some(stamp) = &stamp {
            let at = mapped.attributes.partition_point(|(k, _)| *k < "last_activity_at");
            mapped.attributes.insert(at, ("last_activity_at", AttributeRef::Str(stamp)));
        }
        let mut id = itoa::Buffer::new();
        let mut user = mapped.user(&mut id);
        if let Some(logins) = self.logins {
            user.last_visit_at = logins.get(user.id).copied();
            if let Some(at) = user.last_visit_at {
                out.logins_seen.insert(user.id.to_owned(), at);
            }
        }
        self.sink.user_ref(user).await.map_err(|e| BodyError::Fatal(e.into()))
    }
}

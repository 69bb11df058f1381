//! Streams `GET /api/members` into the sink as the body arrives.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use roster_core::{Sink, User};
use roster_http::{BodyError, ReadBody, Response, expect_json};
use serde_json::Value;

use crate::envelope::EnvelopeScanner;
use crate::members::{Mapped, parse_member};

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
        let mut parsed: Vec<Result<Mapped, (String, String)>> = Vec::new();
        loop {
            let chunk = match resp.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return Err(BodyError::from_reqwest(&e)),
            };
            scanner
                .feed(&chunk, |raw| {
                    parsed.push(parse_member(raw).map(|m| m.into_user()));
                })
                .map_err(|e| BodyError::Invalid(e.to_string()))?;
            for item in parsed.drain(..) {
                match item {
                    Ok(member) => {
                        let user = self.enrich(member, &mut out);
                        self.sink.user(user).await.map_err(|e| BodyError::Fatal(e.into()))?;
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
    fn enrich(&self, mapped: Mapped, out: &mut MembersRead) -> User {
        let mut user = mapped.user;
        if mapped.unreadable_time {
            out.unreadable_times += 1;
        }
        if let Some(logins) = self.logins {
            if let Some(at) = mapped.last_activity_at {
                user.attributes.insert(
                    "last_activity_at".into(),
                    Value::String(at.to_rfc3339_opts(SecondsFormat::Secs, true)),
                );
            }
            user.last_visit_at = logins.get(&user.id).copied();
            if let Some(at) = user.last_visit_at {
                out.logins_seen.insert(user.id.clone(), at);
            }
        }
        user
    }
}

//! Lists every user, one status after the other, page by page (`next_page_token`), and
//! hands each page's users to the sink as it arrives.

use std::collections::{HashMap, HashSet};

use roster_core::{ConnectorError, Sink};
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Api, Failure};
use crate::license::Tally;
use crate::scopes::LIST_USERS;
use crate::users::{ListStatus, ZoomUser, record_name};

pub(crate) const USERS_PATH: &str = "/v2/users";

/// A page stops the listing after this many pages of one status, whatever the tokens say.
const MAX_PAGES: usize = 100_000;

#[derive(Deserialize)]
struct UsersPage {
    #[serde(default)]
    users: Vec<Value>,
    #[serde(default)]
    next_page_token: Option<String>,
}

/// The account owner (role id `"0"`), seen while listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Owner {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// What the listing has read so far.
pub(crate) struct Listing<'a> {
    pub api: &'a Api,
    pub sink: &'a mut dyn Sink,
    pub roles: &'a HashMap<String, String>,
    pub page_size: u32,
    pub tally: Tally,
    /// Ids seen, so that a user listed twice (the list changed while paging) is counted once.
    pub seen: HashSet<String>,
    pub owner: Option<Owner>,
    pub unreadable_times: u64,
    pub restarts: u64,
}

impl<'a> Listing<'a> {
    pub(crate) fn new(
        api: &'a Api,
        sink: &'a mut dyn Sink,
        roles: &'a HashMap<String, String>,
        page_size: u32,
    ) -> Self {
        Self {
            api,
            sink,
            roles,
            page_size,
            tally: Tally::default(),
            seen: HashSet::new(),
            owner: None,
            unreadable_times: 0,
            restarts: 0,
        }
    }

    /// Every page of `status`. An expired page token (Zoom's live 15 minutes) restarts the
    /// status once from its first page.
    pub(crate) async fn run(&mut self, status: ListStatus) -> Result<(), ConnectorError> {
        let request = format!("GET {USERS_PATH}?status={}", status.query());
        let mut token: Option<String> = None;
        let mut tokens_seen: HashSet<String> = HashSet::new();
        let mut restarted = false;
        let mut pages = 0usize;
        loop {
            let mut query =
                vec![("status", status.query().to_owned()), ("page_size", self.page_size.to_string())];
            if let Some(t) = &token {
                query.push(("next_page_token", t.clone()));
            }
            let page: UsersPage = match self.api.get(USERS_PATH, &query).await {
                Ok(page) => page,
                Err(Failure::Zoom(z)) if z.is_invalid_page_token() && token.is_some() && !restarted => {
                    tracing::info!(request = %request, "the page token expired; listing this status again");
                    restarted = true;
                    self.restarts += 1;
                    token = None;
                    tokens_seen.clear();
                    continue;
                }
                Err(f) => return Err(f.into_error(&request, &LIST_USERS)),
            };
            for raw in page.users {
                self.emit(raw, status).await?;
            }
            pages += 1;
            match page.next_page_token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) {
                None => return Ok(()),
                Some(next) => {
                    if !tokens_seen.insert(next.clone()) || pages >= MAX_PAGES {
                        return Err(ConnectorError::invalid_response(format!(
                            "{request}: zoom kept handing out next page tokens after {pages} pages without reaching the end"
                        )));
                    }
                    token = Some(next);
                }
            }
        }
    }

    async fn emit(&mut self, raw: Value, status: ListStatus) -> Result<(), ConnectorError> {
        let mapped = match ZoomUser::deserialize(&raw) {
            Ok(u) => u.into_user(status, self.roles),
            Err(e) => {
                self.sink
                    .skipped(&record_name(&raw), &roster_core::error::redact_serde_message(&e.to_string()));
                return Ok(());
            }
        };
        let Some(m) = mapped else {
            self.sink
                .skipped(&record_name(&raw), "the user has neither an id nor, for a pending user, an email");
            return Ok(());
        };
        if m.unreadable_time {
            self.unreadable_times += 1;
        }
        if self.seen.insert(m.user.id.clone())
            && let Some(l) = &m.license
        {
            self.tally.add(l);
        }
        if status == ListStatus::Active
            && m.user.attributes.get("role_id").and_then(Value::as_str) == Some("0")
            && self.owner.is_none()
        {
            self.owner =
                Some(Owner { id: m.user.id.clone(), email: m.user.email.clone(), name: m.user.name.clone() });
        }
        self.sink.user(m.user).await?;
        Ok(())
    }
}

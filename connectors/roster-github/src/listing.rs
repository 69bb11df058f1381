//! The users of a sync, page by page as they arrive: members over GraphQL, then outside
//! collaborators and pending invitations over REST.

use std::collections::HashSet;

use roster_core::{ConnectorError, Sink, User};
use serde_json::Value;

use crate::api::{Api, Pages};
use crate::errors;
use crate::gql::{self, Connection, Page};
use crate::users::{Context, record_name};

/// Maps one listed record.
pub(crate) type Map = fn(&Context, &Value) -> Result<User, String>;

pub(crate) struct Listing<'a> {
    pub api: &'a Api,
    pub sink: &'a mut dyn Sink,
    pub cx: &'a Context<'a>,
    /// Ids sent, so a user listed twice (the list changed while paging) is sent once.
    pub ids: HashSet<String>,
    /// Users that hold the GitHub plan's licence.
    pub licensed: u64,
}

impl Listing<'_> {
    /// Every member, `membersWithRole` page by page.
    pub(crate) async fn members(&mut self) -> Result<(), ConnectorError> {
        let org = &self.api.org;
        let mut pages =
            Connection::new(gql::MEMBERS, "/data/organization/membersWithRole", self.api.page_size);
        while let Some(page) = pages.next(self.api).await? {
            let edges = match page {
                Page::Edges(edges) => edges,
                Page::Absent => {
                    return Err(errors::not_visible("graphql membersWithRole: no organization".into(), org));
                }
                Page::Error(e) => return Err(e.into_error("membersWithRole", org)),
            };
            for raw in edges {
                self.emit(self.cx.member(&raw), &raw).await?;
            }
        }
        Ok(())
    }

    /// Every record of the REST list at `tail`. A refusal (not an owner) skips the list, so
    /// the run is degraded and removes nobody.
    pub(crate) async fn rest(&mut self, what: &str, tail: &str, map: Map) -> Result<(), ConnectorError> {
        let path = self.api.org_path(tail);
        let mut pages = Pages::new(path.clone(), self.api.page_size);
        while let Some(reply) = pages.next(self.api).await? {
            let refusal = match reply {
                Ok(answer) => {
                    let Value::Array(items) = answer.body else {
                        return Err(ConnectorError::invalid_response(format!("GET {path}: expected a list")));
                    };
                    for raw in items {
                        self.emit(map(self.cx, &raw), &raw).await?;
                    }
                    continue;
                }
                Err(r) if r.status == 401 => return Err(r.into_error(&format!("GET {path}"), &self.api.org)),
                Err(r) => r,
            };
            let fix = match refusal.is_sso() {
                true => errors::sso(String::new(), &self.api.org).remediation().to_owned(),
                false => errors::owner_fix(&self.api.org),
            };
            let record = format!("the {what} of {}", self.api.org);
            self.sink.skipped(&record, &format!("GET {path}: {}; {fix}", refusal.describe()));
        }
        Ok(())
    }

    async fn emit(&mut self, mapped: Result<User, String>, raw: &Value) -> Result<(), ConnectorError> {
        match mapped {
            Ok(user) if self.ids.insert(user.id.clone()) => {
                if self.cx.plan.as_ref().is_some_and(|p| user.license_types.contains(p)) {
                    self.licensed += 1;
                }
                self.sink.user(user).await?;
            }
            Ok(_) => {}
            Err(reason) => self.sink.skipped(&record_name(raw), &reason),
        }
        Ok(())
    }
}

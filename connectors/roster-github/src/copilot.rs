//! `GET /orgs/{org}/copilot/billing/seats`: who holds a Copilot seat, its plan and last
//! activity, and the seat totals. An organization without Copilot is not an error.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use roster_core::{ConnectorError, LicenseType};
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Api, Pages};
use crate::errors::GhError;

#[derive(Deserialize)]
struct SeatsPage {
    #[serde(default)]
    total_seats: u64,
    #[serde(default)]
    seats: Vec<RawSeat>,
}

#[derive(Deserialize)]
struct RawSeat {
    #[serde(default)]
    assignee: Option<Value>,
    #[serde(default)]
    last_activity_at: Option<String>,
    #[serde(default)]
    last_activity_editor: Option<String>,
    #[serde(default)]
    plan_type: Option<String>,
    #[serde(default)]
    pending_cancellation_date: Option<String>,
}

/// One user's seat.
#[derive(Debug, Clone)]
pub(crate) struct Seat {
    pub last_activity_at: Option<DateTime<Utc>>,
    plan: Option<&'static str>,
    pub editor: Option<String>,
    pub pending_cancellation_date: Option<String>,
}

/// Every seat, by assignee login (lower-cased).
#[derive(Debug)]
pub(crate) struct Copilot {
    total_seats: u64,
    by_login: HashMap<String, Seat>,
    /// Seats counted per plan (`None`: no or an unknown `plan_type`), unassigned ones too.
    counts: BTreeMap<Option<&'static str>, u64>,
}

/// What the seat listing gave.
#[derive(Debug)]
pub(crate) enum Seats {
    Read(Copilot),
    NotEnabled,
    Refused(GhError),
}

fn plan_name(plan_type: Option<&str>) -> Option<&'static str> {
    match plan_type? {
        "business" => Some("Copilot Business"),
        "enterprise" => Some("Copilot Enterprise"),
        _ => None,
    }
}

/// Every seat; with `probe`, only a first page of one.
pub(crate) async fn read(api: &Api, probe: bool) -> Result<Seats, ConnectorError> {
    let path = api.org_path("/copilot/billing/seats");
    let mut pages = Pages::new(path.clone(), if probe { 1 } else { api.page_size });
    let mut copilot = Copilot { total_seats: 0, by_login: HashMap::new(), counts: BTreeMap::new() };
    while let Some(reply) = pages.next(api).await? {
        let body = match reply {
            Ok(answer) => answer.body,
            Err(r) if r.status == 401 => return Err(r.into_error(&format!("GET {path}"), &api.org)),
            Err(r) if r.not_enabled() || r.status == 422 => return Ok(Seats::NotEnabled),
            Err(r) => return Ok(Seats::Refused(r)),
        };
        let page: SeatsPage = serde_json::from_value(body).map_err(|e| {
            ConnectorError::invalid_response(format!(
                "GET {path}: {}",
                roster_core::error::redact_serde_message(&e.to_string())
            ))
        })?;
        copilot.total_seats = page.total_seats;
        for raw in page.seats {
            let plan = plan_name(raw.plan_type.as_deref());
            *copilot.counts.entry(plan).or_default() += 1;
            let Some(login) = raw.assignee.as_ref().and_then(|a| a["login"].as_str()) else {
                continue;
            };
            let seat = Seat {
                last_activity_at: raw
                    .last_activity_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc)),
                plan,
                editor: raw.last_activity_editor,
                pending_cancellation_date: raw.pending_cancellation_date,
            };
            copilot.by_login.insert(login.to_lowercase(), seat);
        }
        if probe {
            break;
        }
    }
    Ok(Seats::Read(copilot))
}

impl Copilot {
    /// The organization's plan: the one most seats name, else plain "Copilot".
    pub(crate) fn plan(&self) -> &'static str {
        let named = self.counts.iter().filter_map(|(plan, n)| plan.map(|p| (*n, p)));
        named.max().map_or("Copilot", |(_, p)| p)
    }

    pub(crate) fn seat(&self, login: &str) -> Option<&Seat> {
        self.by_login.get(&login.to_lowercase())
    }

    /// A seat's licence: its own plan, else the organization's.
    pub(crate) fn licence(&self, seat: &Seat) -> &'static str {
        seat.plan.unwrap_or_else(|| self.plan())
    }

    /// One licence type per plan; the organization's plan carries `total_seats`.
    pub(crate) fn license_types(&self) -> Vec<LicenseType> {
        let mut assigned: BTreeMap<&'static str, u64> = BTreeMap::new();
        for (plan, n) in &self.counts {
            *assigned.entry(plan.unwrap_or_else(|| self.plan())).or_default() += n;
        }
        assigned.entry(self.plan()).or_default();
        let main = self.plan();
        assigned
            .into_iter()
            .map(|(name, n)| LicenseType {
                name: name.to_owned(),
                assigned: n,
                total: (name == main).then_some(self.total_seats),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_without_a_plan_take_the_organizations() {
        let mut c = Copilot { total_seats: 5, by_login: HashMap::new(), counts: BTreeMap::new() };
        c.counts.insert(Some("Copilot Business"), 3);
        c.counts.insert(None, 1);
        assert_eq!(c.plan(), "Copilot Business");
        assert_eq!(
            c.license_types(),
            vec![LicenseType { name: "Copilot Business".into(), assigned: 4, total: Some(5) }]
        );
        let seat = Seat { last_activity_at: None, plan: None, editor: None, pending_cancellation_date: None };
        assert_eq!(c.licence(&seat), "Copilot Business");
        c.counts.clear();
        assert_eq!(c.plan(), "Copilot");
    }
}

//! `GET /orgs/{org}/copilot/billing/seats`: who holds a Copilot seat, its plan and last
//! activity, and the seat totals. An organization without Copilot is not an error.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use roster_core::{ConnectorError, LicenseType};
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Api, Pages};
use crate::errors::GhError;

#[derive(Default, Deserialize)]
#[serde(default)]
struct SeatsPage {
    total_seats: u64,
    seats: Vec<RawSeat>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RawSeat {
    assignee: Option<Value>,
    last_activity_at: Option<String>,
    last_activity_editor: Option<String>,
    plan_type: Option<String>,
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

/// Every seat, by assignee login (lower-cased), and the totals.
#[derive(Debug, Default)]
pub(crate) struct Copilot {
    total_seats: u64,
    /// Seats listed, unassigned ones too.
    counted: u64,
    /// The organization's plan: the first `plan_type` named.
    plan: Option<&'static str>,
    by_login: HashMap<String, Seat>,
}

/// What the seat listing gave.
#[derive(Debug)]
pub(crate) enum Seats {
    Read(Copilot),
    NotEnabled,
    Refused(GhError),
}

/// `business` → Copilot Business, `enterprise` → Copilot Enterprise; `unknown` or none: `None`.
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
    let mut copilot = Copilot::default();
    while let Some(reply) = pages.next(api).await? {
        let body = match reply {
            Ok(answer) => answer.body,
            Err(r) if r.status == 401 => return Err(r.into_error(&format!("GET {path}"), &api.org)),
            Err(r) if r.not_enabled() || r.status == 422 => return Ok(Seats::NotEnabled),
            Err(r) => return Ok(Seats::Refused(r)),
        };
        let page: SeatsPage = serde_json::from_value(body).map_err(|e| {
            let e = roster_core::error::redact_serde_message(&e.to_string());
            ConnectorError::invalid_response(format!("GET {path}: {e}"))
        })?;
        copilot.total_seats = page.total_seats;
        for raw in page.seats {
            let plan = plan_name(raw.plan_type.as_deref());
            copilot.counted += 1;
            copilot.plan = copilot.plan.or(plan);
            let Some(login) = raw.assignee.as_ref().and_then(|a| a["login"].as_str()) else {
                continue;
            };
            let at = raw.last_activity_at.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            let seat = Seat {
                last_activity_at: at.map(|t| t.with_timezone(&Utc)),
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
    /// The organization's plan, else plain "Copilot".
    pub(crate) fn plan(&self) -> &'static str {
        self.plan.unwrap_or("Copilot")
    }

    pub(crate) fn seat(&self, login: &str) -> Option<&Seat> {
        self.by_login.get(&login.to_lowercase())
    }

    /// A seat's licence: its own plan, else the organization's.
    pub(crate) fn licence(&self, seat: &Seat) -> &'static str {
        seat.plan.unwrap_or_else(|| self.plan())
    }

    /// `{Copilot <Plan>, total: total_seats, assigned: the seats counted}`.
    pub(crate) fn license_type(&self) -> LicenseType {
        LicenseType { name: self.plan().to_owned(), assigned: self.counted, total: Some(self.total_seats) }
    }
}

//! The Reclaim page: the inactivity days, the action, its arguments and the cap; posted,
//! the plan `roster reclaim` would make (every user with access not seen within the days:
//! account, user, email, last visit, why), and an Apply button when it is within the cap.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use maud::{Markup, html};
use roster_core::ActionKind;
use roster_engine::actions::{Candidate, candidates, parse_set};
use roster_engine::config::{AccountConfig, load_accounts};

use super::act_view::{REMOTE, field};
use super::html::{Nav, csrf_field, layout, plural};
use super::session::Session;
use super::state::AppState;

/// The cap on a plan unless raised, as `roster reclaim --max`.
const DEFAULT_MAX: usize = 25;

/// What the form asks for.
pub struct ReclaimForm {
    pub days: u32,
    pub action: ActionKind,
    /// `KEY=VALUE`, one a line, as `--set`.
    pub set: Vec<String>,
    pub max: usize,
    /// Only these accounts (all when empty).
    pub accounts: Vec<String>,
}

impl ReclaimForm {
    /// The form's fields, or what is wrong with them.
    pub fn parse(fields: &[(String, String)]) -> Result<Self, String> {
        let days = field(fields, "days").unwrap_or_default().trim();
        let days = days
            .parse()
            .map_err(|_| format!("inactive days must be a whole number of days, not `{days}`"))?;
        let name = field(fields, "action").unwrap_or_default();
        let action = ActionKind::parse(name).ok_or_else(|| format!("no action `{name}`"))?;
        let max = match field(fields, "max").map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => m.parse().map_err(|_| format!("max must be a whole number, not `{m}`"))?,
            None => DEFAULT_MAX,
        };
        let set = field(fields, "set").unwrap_or_default().lines().map(str::trim).filter(|l| !l.is_empty());
        let accounts = fields.iter().filter(|(k, v)| k == "account" && !v.is_empty()).map(|(_, v)| v.clone());
        Ok(Self { days, action, set: set.map(str::to_owned).collect(), max, accounts: accounts.collect() })
    }

    /// The accounts it covers: those asked for (all by default) whose connector has the
    /// action, each taking the arguments; as `roster reclaim` picks them.
    pub fn accounts(&self, state: &AppState) -> Result<Vec<AccountConfig>, String> {
        let loaded = load_accounts(&state.config, &state.registry, &state.overrides);
        if let Some(id) = self.accounts.iter().find(|id| !loaded.accounts.iter().any(|a| &a.id == *id)) {
            return Err(format!("no account `{id}` that loads in the config directory"));
        }
        let accounts: Vec<AccountConfig> = loaded
            .accounts
            .into_iter()
            .filter(|c| self.accounts.is_empty() || self.accounts.contains(&c.id))
            .filter(|c| c.connector.actions.iter().any(|s| s.kind == self.action))
            .collect();
        if accounts.is_empty() {
            return Err(format!(
                "no account whose connector has {}; `roster actions` lists who has what",
                self.action
            ));
        }
        for c in &accounts {
            if let Some(spec) = c.connector.actions.iter().find(|s| s.kind == self.action) {
                parse_set(spec, &self.set).map_err(|e| format!("{}: {e}", c.id))?;
            }
        }
        Ok(accounts)
    }

    /// The form's values as hidden fields, for the Apply form.
    fn hidden(&self) -> Markup {
        html! {
            input type="hidden" name="days" value=(self.days);
            input type="hidden" name="action" value=(self.action.as_str());
            input type="hidden" name="max" value=(self.max);
            input type="hidden" name="set" value=(self.set.join("\n"));
            @for a in &self.accounts { input type="hidden" name="account" value=(a); }
        }
    }
}

pub async fn page(State(state): State<Arc<AppState>>, Extension(session): Extension<Session>) -> Response {
    let body = html! { h1 { "Reclaim" } (form(&state, &session.csrf, &[])) };
    layout("Reclaim", Nav::Reclaim, &session.csrf, body, &[]).into_response()
}

/// The plan: read-only, so it stays available under `--allow-remote`.
pub async fn plan(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = &session.csrf;
    let (status, shown) = match planned(&state, &fields).await {
        Ok((f, plan)) => (StatusCode::OK, plan_html(&state, &f, &plan, csrf)),
        Err(e) => (StatusCode::BAD_REQUEST, html! { p.error { (e) } }),
    };
    let body = html! { h1 { "Reclaim" } (form(&state, csrf, &fields)) (shown) };
    (status, layout("Reclaim", Nav::Reclaim, csrf, body, &[])).into_response()
}

/// The form, the plan's users now, and the accounts they come from.
pub async fn planned(
    state: &AppState,
    fields: &[(String, String)],
) -> Result<(ReclaimForm, Vec<Candidate>), String> {
    let f = ReclaimForm::parse(fields)?;
    let accounts = f.accounts(state)?;
    let ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
    let plan = candidates(&state.store, &ids, Utc::now(), f.days).await.map_err(|e| e.to_string())?;
    Ok((f, plan))
}

fn form(state: &AppState, csrf: &str, fields: &[(String, String)]) -> Markup {
    let value = |name: &str, default: &str| field(fields, name).unwrap_or(default).to_owned();
    let chosen = field(fields, "action").unwrap_or("remove_user");
    let mut kinds: Vec<ActionKind> =
        state.registry.iter().flat_map(|d| d.actions.iter().map(|s| s.kind)).collect();
    kinds.sort();
    kinds.dedup();
    html! {
        @if kinds.is_empty() { p.warning { "No connector has actions yet." } }
        form.reclaim method="post" action="/reclaim" {
            (csrf_field(csrf))
            label for="days" { "Inactive for" } " "
            input #days name="days" type="number" min="0" max="3650" value=(value("days", "90"));
            " days "
            label for="action" { "Action" } " "
            select #action name="action" {
                @for k in &kinds { option value=(k.as_str()) selected[k.as_str() == chosen] { (k.as_str()) } }
            }
            " "
            label for="set" { "Arguments" } " "
            textarea #set name="set" rows="2" placeholder="KEY=VALUE, one a line" { (value("set", "")) }
            " "
            label for="max" { "Max users" } " "
            input #max name="max" type="number" min="0" value=(value("max", &DEFAULT_MAX.to_string()));
            " "
            button type="submit" { "Show the plan" }
        }
    }
}

fn plan_html(state: &AppState, f: &ReclaimForm, plan: &[Candidate], csrf: &str) -> Markup {
    let now = Utc::now();
    let action = f.action.as_str();
    html! {
        h2 { "Plan (dry run: nothing was sent)" }
        p.matched {
            span #planned { (plan.len()) } " user" (plural(plan.len())) " not seen within " (f.days) " days: " (action)
        }
        table.plan {
            thead { tr { th { "Account" } th { "User" } th { "Email" } th { "Last visit" } th { "Why" } } }
            tbody {
                @for c in plan {
                    tr {
                        td { (c.account) }
                        td.user { (c.user_id) }
                        td.email { (c.email.as_deref().unwrap_or("")) }
                        td.last-visit {
                            @match c.last_visit_at {
                                Some(t) => (t.format("%Y-%m-%d %H:%M UTC").to_string()),
                                None => "never",
                            }
                        }
                        td.why { (c.why.describe(now)) }
                    }
                }
            }
        }
        @if plan.len() > f.max {
            p.error.over-max {
                "the plan has " (plan.len()) " users, more than max " (f.max)
                "; check it, then raise max to go ahead"
            }
        } @else if !plan.is_empty() {
            @if state.allow_remote { p.warning.remote { (REMOTE) } }
            form.apply method="post" action="/reclaim/apply" {
                (csrf_field(csrf))
                (f.hidden())
                @for c in plan { input type="hidden" name="item" value=(item(c)); }
                button.danger type="submit" { "Apply " (action) " to these " (plan.len()) " users" }
            }
        }
    }
}

/// One user of a plan as the Apply form names it: `account/user id` (account ids have no `/`).
pub fn item(c: &Candidate) -> String {
    format!("{}/{}", c.account, c.user_id)
}

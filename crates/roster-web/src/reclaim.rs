//! The Reclaim page: the inactivity days, the action, its arguments and the cap; posted,
//! the plan `roster reclaim` would make (every user with access not seen within the days:
//! account, user, email, last visit, why), and an Apply button when it is within the cap.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use roster_core::ActionKind;
use roster_engine::actions::{Candidate, candidates, parse_set};
use roster_engine::config::{AccountConfig, load_accounts};

use super::act_view::{REMOTE, field};
use super::html::{Nav, csrf_field, esc, layout};
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
    fn hidden(&self) -> String {
        let mut out = format!(
            r#"<input type="hidden" name="days" value="{}"><input type="hidden" name="action" value="{}"><input type="hidden" name="max" value="{}"><input type="hidden" name="set" value="{}">"#,
            self.days,
            self.action,
            self.max,
            esc(&self.set.join("\n"))
        );
        for a in &self.accounts {
            out.push_str(&format!(r#"<input type="hidden" name="account" value="{}">"#, esc(a)));
        }
        out
    }
}

pub async fn page(State(state): State<Arc<AppState>>, Extension(session): Extension<Session>) -> Response {
    let body = format!("<h1>Reclaim</h1>\n{}", form(&state, &session.csrf, &[]));
    layout("Reclaim", Nav::Reclaim, &session.csrf, &body, &[]).into_response()
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
        Err(e) => (StatusCode::BAD_REQUEST, format!(r#"<p class="error">{}</p>"#, esc(&e))),
    };
    let body = format!("<h1>Reclaim</h1>\n{}\n{shown}", form(&state, csrf, &fields));
    (status, layout("Reclaim", Nav::Reclaim, csrf, &body, &[])).into_response()
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

fn form(state: &AppState, csrf: &str, fields: &[(String, String)]) -> String {
    let value = |name: &str, default: &str| esc(field(fields, name).unwrap_or(default));
    let chosen = field(fields, "action").unwrap_or("remove_user");
    let mut kinds: Vec<ActionKind> =
        state.registry.iter().flat_map(|d| d.actions.iter().map(|s| s.kind)).collect();
    kinds.sort();
    kinds.dedup();
    let options: String = kinds
        .iter()
        .map(|k| {
            let selected = if k.as_str() == chosen { " selected" } else { "" };
            format!(r#"<option value="{k}"{selected}>{k}</option>"#)
        })
        .collect();
    let none = if kinds.is_empty() { r#"<p class="warning">No connector has actions yet.</p>"# } else { "" };
    format!(
        r#"{none}<form class="reclaim" method="post" action="/reclaim">{csrf}
<label for="days">Inactive for</label> <input id="days" name="days" type="number" min="0" max="3650" value="{days}"> days
<label for="action">Action</label> <select id="action" name="action">{options}</select>
<label for="set">Arguments</label> <textarea id="set" name="set" rows="2" placeholder="KEY=VALUE, one a line">{set}</textarea>
<label for="max">Max users</label> <input id="max" name="max" type="number" min="0" value="{max}">
<button type="submit">Show the plan</button></form>"#,
        csrf = csrf_field(csrf),
        days = value("days", "90"),
        set = value("set", ""),
        max = value("max", &DEFAULT_MAX.to_string()),
    )
}

fn plan_html(state: &AppState, f: &ReclaimForm, plan: &[Candidate], csrf: &str) -> String {
    let now = Utc::now();
    let mut out = format!(
        r#"<h2>Plan (dry run: nothing was sent)</h2><p class="matched"><span id="planned">{}</span> user{} not seen within {} days: {}</p>"#,
        plan.len(),
        if plan.len() == 1 { "" } else { "s" },
        f.days,
        f.action
    );
    out.push_str(r#"<table class="plan"><thead><tr><th>Account</th><th>User</th><th>Email</th><th>Last visit</th><th>Why</th></tr></thead><tbody>"#);
    for c in plan {
        let visit = c
            .last_visit_at
            .map_or_else(|| "never".to_owned(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string());
        out.push_str(&format!(
            r#"<tr><td>{}</td><td class="user">{}</td><td class="email">{}</td><td class="last-visit">{}</td><td class="why">{}</td></tr>"#,
            esc(&c.account),
            esc(&c.user_id),
            esc(c.email.as_deref().unwrap_or("")),
            esc(&visit),
            esc(&c.why.describe(now)),
        ));
    }
    out.push_str("</tbody></table>");
    if plan.len() > f.max {
        out.push_str(&format!(
            r#"<p class="error over-max">the plan has {} users, more than max {}; check it, then raise max to go ahead</p>"#,
            plan.len(),
            f.max
        ));
    } else if !plan.is_empty() {
        if state.allow_remote {
            out.push_str(&format!(r#"<p class="warning remote">{}</p>"#, esc(REMOTE)));
        }
        let items: String = plan
            .iter()
            .map(|c| format!(r#"<input type="hidden" name="item" value="{}">"#, esc(&item(c))))
            .collect();
        out.push_str(&format!(
            r#"<form class="apply" method="post" action="/reclaim/apply">{}{}{items}<button type="submit" class="danger">Apply {} to these {} users</button></form>"#,
            csrf_field(csrf),
            f.hidden(),
            f.action,
            plan.len()
        ));
    }
    out
}

/// One user of a plan as the Apply form names it: `account/user id` (account ids have no `/`).
pub fn item(c: &Candidate) -> String {
    format!("{}/{}", c.account, c.user_id)
}

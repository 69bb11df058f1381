//! What the action pages share: the account and the sync options they act with, the
//! arguments as form fields (from the action's schema), and the plan, report and
//! refusal as HTML (maud, which escapes every vendor-supplied value).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roster_core::{Access, ActionPlan, ActionSpec};
use roster_engine::actions::{ActError, ActReport};
use roster_engine::config::{AccountConfig, load_accounts, load_runner_settings};
use roster_engine::sync::SyncOptions;
use serde_json::Value;

use maud::{Markup, html};

use super::html::{Nav, problem_page};
use super::state::AppState;

/// Who the audit trail says acted: the web UI has no login, so no person.
pub const ACTOR: &str = "web UI";

/// The form field prefix of an action's arguments: `set.dev=Analyst` is `--set dev=Analyst`.
const SET: &str = "set.";

/// The account `id` as the config directory has it now.
pub fn account(state: &AppState, id: &str) -> Result<AccountConfig, String> {
    let mut loaded = load_accounts(&state.config, &state.registry, &state.overrides);
    if let Some(i) = loaded.accounts.iter().position(|a| a.id == id) {
        return Ok(loaded.accounts.swap_remove(i));
    }
    Err(match loaded.failed.remove(id) {
        Some(broken) => broken.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        None => format!("no account `{id}` in the config directory"),
    })
}

/// The options of the sync that follows a write, from `roster.toml`, as `roster act` uses them.
pub fn sync_options(state: &AppState) -> Result<SyncOptions, String> {
    load_runner_settings(&state.config)
        .map(|s| SyncOptions { concurrency: 1, ..SyncOptions::from_settings(&s, false) })
        .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
}

/// The `set.KEY=VALUE` fields of a form as `KEY=VALUE` pairs; empty values are left out.
pub fn set_pairs(fields: &[(String, String)]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(SET)?, v.trim())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// The first field named `name`.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// One input per argument of `spec`'s schema: a select for an enum, a text input
/// otherwise, holding the values of `pairs`.
pub fn argument_fields(spec: &ActionSpec, pairs: &[String]) -> Markup {
    let schema = (spec.arguments)();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return html! {};
    };
    html! {
        @for (key, prop) in props {
            @let current =
                pairs.iter().find_map(|p| p.strip_prefix(key.as_str())?.strip_prefix('=')).unwrap_or("");
            @let name = format!("{SET}{key}");
            @let id = format!("arg-{key}");
            div.arg {
                label for=(id) { (prop.get("title").and_then(Value::as_str).unwrap_or(key)) }
                " "
                @if let Some(choices) = prop.get("enum").and_then(Value::as_array) {
                    select id=(id) name=(name) {
                        @if !required.contains(&key.as_str()) { option value="" { "(leave as it is)" } }
                        @for c in choices.iter().filter_map(Value::as_str) {
                            option value=(c) selected[c == current] { (c) }
                        }
                    }
                } @else {
                    input id=(id) name=(name) type="text" value=(current);
                }
                " "
                @if let Some(d) = prop.get("description").and_then(Value::as_str) { span.muted { (d) } }
            }
        }
    }
}

/// `pairs` as hidden `set.KEY` fields, so that Apply sends exactly what was planned.
pub fn hidden_args(pairs: &[String]) -> Markup {
    html! {
        @for (k, v) in pairs.iter().filter_map(|p| p.split_once('=')) {
            input type="hidden" name={ (SET) (k) } value=(v);
        }
    }
}

/// The crumbs and the title of an action's pages: the action, and on whom.
pub fn heading(id: &str, action: &str, who: &str) -> Markup {
    html! {
        p.crumbs { a href="/accounts" { "Accounts" } " › " a href={ "/accounts/" (id) } { (id) } " › " (action) }
        h1 { (action) " " span.muted { (who) } }
    }
}

/// Before → after, and the writes it sends.
pub fn plan(p: &ActionPlan) -> Markup {
    html! {
        dl.plan {
            div { dt { "Before" } dd.before { (Access::describe(p.before.as_ref())) } }
            div { dt { "After" } dd.after { (Access::describe(p.after.as_ref())) } }
        }
        @if p.writes.is_empty() {
            p.writes.none { "nothing to send: the user is already in the target state" }
        } @else {
            ol.writes { @for w in &p.writes { li { code { (w) } } } }
        }
    }
}

/// The outcome, detail, vendor error (with the permissions it needs and what to do)
/// and the sync that followed.
pub fn report(r: &ActReport) -> Markup {
    html! {
        @if let Some(p) = &r.plan { (plan(p)) }
        @match r.outcome {
            Some(o) => p class={ "outcome " (o.as_str()) } {
                strong { (o.as_str()) } ": " span.detail { (r.detail) }
            },
            None => p.outcome.dry-run { span.detail { (r.detail) } },
        }
        @if let Some(e) = &r.error {
            div.result.bad {
                span.mark.bad { "✗" } " " strong.kind { (e.kind) } ": " span.message { (e.message) }
                @if !e.permissions.is_empty() { div.needs { "needs: " (e.permissions.join(", ")) } }
                div.fix { (e.remediation) }
            }
        }
        @if let Some(s) = &r.sync {
            p.sync {
                "Synced the account afterwards: " span.sync-outcome { (s.outcome.as_str()) } " (" (s.users) " users)"
                @if let Some(m) = &s.message { ": " (m) }
            }
        }
    }
}

/// An engine error as a page: a bad request (400) or the store (500).
pub fn act_error(title: &str, nav: Nav, csrf: &str, e: &ActError) -> Response {
    let status = match e {
        ActError::Usage(_) => StatusCode::BAD_REQUEST,
        ActError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    problem(status, title, nav, csrf, &e.to_string())
}

/// A page that says what went wrong.
pub fn problem(status: StatusCode, title: &str, nav: Nav, csrf: &str, message: &str) -> Response {
    (status, problem_page(title, nav, csrf, message)).into_response()
}

/// Why an Apply is refused while `roster serve` listens beyond loopback.
pub const REMOTE: &str = "roster serve was started with --allow-remote and has no login, so it carries out no action: anyone who can reach it could. Dry runs and the audit trail stay visible. To apply, run roster serve on loopback (without --allow-remote), or use `roster act --apply` / `roster reclaim --apply`.";

/// The refusal of an Apply under `--allow-remote`: nothing is sent, nothing is written.
pub fn remote_refused(nav: Nav, csrf: &str) -> Response {
    problem(StatusCode::FORBIDDEN, "Apply refused", nav, csrf, REMOTE)
}

/// A URL query component: everything but unreserved characters percent-encoded.
pub fn url_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use roster_core::{ActionKind, ConnectorError, RoleAssignment, UserStatus};
    use roster_store::AuditOutcome;
    use serde_json::json;

    use super::*;

    const EVIL: [&str; 2] = ["<script>alert(1)</script>", r#"x" onmouseover="alert(1)"#];

    fn spec() -> ActionSpec {
        ActionSpec {
            kind: ActionKind::SetRoles,
            summary: "",
            arguments: || {
                json!({"type": "object", "required": ["mode"], "properties": {
                    "dev": {"type": "string", "description": "<b>role</b>"},
                    "mode": {"type": "string", "enum": ["a", "<script>"]}}})
            },
            permission: "",
            reversible: true,
        }
    }

    fn no_raw_markup(html: &str) {
        for evil in EVIL {
            assert!(!html.contains(evil), "{html}");
        }
        assert!(!html.contains("<script>") && !html.contains("\" onmouseover="), "{html}");
    }

    #[test]
    fn vendor_values_are_escaped_in_plans_reports_and_fields() {
        let access = |name: &str| Access {
            status: UserStatus::Active,
            roles: vec![RoleAssignment::new(EVIL[1], name)],
            license_types: vec![EVIL[0].to_owned()],
        };
        let p = ActionPlan { before: Some(access(EVIL[0])), after: None, writes: vec![EVIL[1].to_owned()] };
        let r = ActReport {
            account: EVIL[0].into(),
            connector: "workato".into(),
            action: ActionKind::RemoveUser,
            user_id: EVIL[1].into(),
            email: Some(EVIL[0].into()),
            args: Default::default(),
            plan: Some(p),
            outcome: Some(AuditOutcome::Failed),
            detail: EVIL[0].into(),
            error: Some(
                (&ConnectorError::missing_permission(EVIL[1], vec![EVIL[1].into()])
                    .with_remediation(EVIL[0]))
                    .into(),
            ),
            plan_id: "p1".into(),
            sync: None,
        };
        let html = report(&r).into_string();
        no_raw_markup(&html);
        assert!(
            html.contains("needs: x&quot; onmouseover=&quot;alert(1)") && html.contains("&lt;script&gt;")
        );
        let pairs = vec![format!("dev={}", EVIL[1]), "mode=<script>".to_owned()];
        no_raw_markup(&argument_fields(&spec(), &pairs).into_string());
        no_raw_markup(&hidden_args(&pairs).into_string());
        assert!(
            argument_fields(&spec(), &pairs)
                .into_string()
                .contains(r#"<option value="&lt;script&gt;" selected>"#)
        );
    }

    #[test]
    fn form_fields_become_set_pairs_and_urls_are_encoded() {
        let fields: Vec<(String, String)> =
            [("csrf", "x"), ("set.dev", " Analyst "), ("set.prod", ""), ("user", "u")]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
        assert_eq!(set_pairs(&fields), vec!["dev=Analyst".to_owned()]);
        assert_eq!(field(&fields, "user"), Some("u"));
        assert_eq!(url_component("a b&c=\"d\"/é"), "a%20b%26c%3D%22d%22%2F%C3%A9");
        let fields = argument_fields(&spec(), &[]).into_string();
        assert!(fields.contains(r#"<input id="arg-dev" name="set.dev" type="text" value="">"#), "{fields}");
        assert!(!fields.contains("(leave as it is)"), "mode is required: {fields}");
    }
}

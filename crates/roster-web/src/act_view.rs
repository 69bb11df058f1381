//! What the action pages share: the account and the sync options they act with, the
//! arguments as form fields (from the action's schema), and the plan, report and
//! refusal as HTML. Every vendor-supplied value goes through [`esc`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roster_core::{Access, ActionPlan, ActionSpec};
use roster_engine::actions::{ActError, ActReport};
use roster_engine::config::{AccountConfig, load_accounts, load_runner_settings};
use roster_engine::sync::SyncOptions;
use serde_json::Value;

use super::html::{Nav, esc, layout};
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
pub fn argument_fields(spec: &ActionSpec, pairs: &[String]) -> String {
    let schema = (spec.arguments)();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return String::new();
    };
    let mut out = String::new();
    for (key, prop) in props {
        let current =
            pairs.iter().find_map(|p| p.strip_prefix(key.as_str())?.strip_prefix('=')).unwrap_or("");
        let name = esc(&format!("{SET}{key}"));
        let id = esc(&format!("arg-{key}"));
        let label = prop.get("title").and_then(Value::as_str).unwrap_or(key);
        let input = match prop.get("enum").and_then(Value::as_array) {
            Some(choices) => {
                let mut options = String::new();
                if !required.contains(&key.as_str()) {
                    options.push_str(r#"<option value="">(leave as it is)</option>"#);
                }
                for c in choices.iter().filter_map(Value::as_str) {
                    let selected = if c == current { " selected" } else { "" };
                    options.push_str(&format!(r#"<option value="{c}"{selected}>{c}</option>"#, c = esc(c)));
                }
                format!(r#"<select id="{id}" name="{name}">{options}</select>"#)
            }
            None => format!(r#"<input id="{id}" name="{name}" type="text" value="{}">"#, esc(current)),
        };
        let help = prop
            .get("description")
            .and_then(Value::as_str)
            .map(|d| format!(r#"<span class="muted">{}</span>"#, esc(d)))
            .unwrap_or_default();
        out.push_str(&format!(
            r#"<div class="arg"><label for="{id}">{}</label> {input} {help}</div>"#,
            esc(label)
        ));
    }
    out
}

/// `pairs` as hidden `set.KEY` fields, so that Apply sends exactly what was planned.
pub fn hidden_args(pairs: &[String]) -> String {
    pairs
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            format!(r#"<input type="hidden" name="{}" value="{}">"#, esc(&format!("{SET}{k}")), esc(v))
        })
        .collect()
}

/// Before → after, and the writes it sends.
pub fn plan(p: &ActionPlan) -> String {
    let writes = if p.writes.is_empty() {
        r#"<p class="writes none">nothing to send: the user is already in the target state</p>"#.to_owned()
    } else {
        let items: String = p.writes.iter().map(|w| format!("<li><code>{}</code></li>", esc(w))).collect();
        format!(r#"<ol class="writes">{items}</ol>"#)
    };
    format!(
        r#"<dl class="plan"><div><dt>Before</dt><dd class="before">{}</dd></div><div><dt>After</dt><dd class="after">{}</dd></div></dl>{writes}"#,
        esc(&Access::describe(p.before.as_ref())),
        esc(&Access::describe(p.after.as_ref())),
    )
}

/// The outcome, detail, vendor error (with the permissions it needs and what to do)
/// and the sync that followed.
pub fn report(r: &ActReport) -> String {
    let mut out = String::new();
    if let Some(p) = &r.plan {
        out.push_str(&plan(p));
    }
    match r.outcome {
        Some(o) => out.push_str(&format!(
            r#"<p class="outcome {o}"><strong>{o}</strong>: <span class="detail">{}</span></p>"#,
            esc(&r.detail)
        )),
        None => out.push_str(&format!(
            r#"<p class="outcome dry-run"><span class="detail">{}</span></p>"#,
            esc(&r.detail)
        )),
    }
    if let Some(e) = &r.error {
        let needs = if e.permissions.is_empty() {
            String::new()
        } else {
            format!(r#"<div class="needs">needs: {}</div>"#, esc(&e.permissions.join(", ")))
        };
        out.push_str(&format!(
            r#"<div class="result bad"><span class="mark bad">✗</span> <strong class="kind">{}</strong>: <span class="message">{}</span>{needs}<div class="fix">{}</div></div>"#,
            esc(&e.kind),
            esc(&e.message),
            esc(&e.remediation)
        ));
    }
    if let Some(s) = &r.sync {
        let why = s.message.as_deref().map(|m| format!(": {}", esc(m))).unwrap_or_default();
        out.push_str(&format!(
            r#"<p class="sync">Synced the account afterwards: <span class="sync-outcome">{}</span> ({} users){why}</p>"#,
            s.outcome, s.users
        ));
    }
    out
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
    let body = format!(r#"<h1>{}</h1><p class="error">{}</p>"#, esc(title), esc(message));
    (status, layout(title, nav, csrf, &body, &[])).into_response()
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
        let html = report(&r);
        no_raw_markup(&html);
        assert!(
            html.contains("needs: x&quot; onmouseover=&quot;alert(1)") && html.contains("&lt;script&gt;")
        );
        let pairs = vec![format!("dev={}", EVIL[1]), "mode=<script>".to_owned()];
        no_raw_markup(&argument_fields(&spec(), &pairs));
        no_raw_markup(&hidden_args(&pairs));
        assert!(argument_fields(&spec(), &pairs).contains(r#"<option value="&lt;script&gt;" selected>"#));
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
        let fields = argument_fields(&spec(), &[]);
        assert!(fields.contains(r#"<input id="arg-dev" name="set.dev" type="text" value="">"#), "{fields}");
        assert!(!fields.contains("(leave as it is)"), "mode is required: {fields}");
    }
}

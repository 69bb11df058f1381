//! Vendor-supplied names that try to break out of the markup: members of a Workato
//! simulator are given names, emails, role names and environments such as
//! `<script>alert(1)</script>`, `"onmouseover="alert(1)`, `&#x3C;script&#x3E;` and
//! `'><img src=x onerror=alert(1)>`; the real `roster` binary syncs them, then every page
//! of `roster serve` that shows them is read over HTTP, with the events of the sync that
//! added them. On each page, the markup has only the tags and attributes the templates
//! write (no `<img>`, no `on…` attribute, exactly the layout's `<script>`), no hostile
//! string appears raw, and each appears escaped, so the check cannot pass because the
//! names were not shown. A Microsoft 365 tenant does the
//! same with licence (SKU) and role names, which the account page shows in its summary
//! and its history chart's legend and tooltips. The only `<svg>` allowed is the charts'.

use reqwest::StatusCode;
use roster_workato_sim::{Simulator, WorkspaceSpec};
use serde_json::json;

#[path = "browser/serve_setup.rs"]
mod serve_setup;

#[path = "serve_client/mod.rs"]
mod serve_client;

use serve_client::Serve;
use serve_setup::{connector_has, synced, workato_account};

const HOSTILE: [&str; 4] = [
    r#"<script>alert(1)</script>"#,
    r#""onmouseover="alert(1)"#,
    "&#x3C;script&#x3E;",
    "'><img src=x onerror=alert(1)>",
];

/// `<script` tags the layout writes on every page but the Connect page: app.js.
const LAYOUT_SCRIPTS: usize = 1;

/// How the history section's charts (inline SVG) begin; no other `<svg>` may appear.
const CHART: &str = r#"<svg class="plot" xmlns="http://www.w3.org/2000/svg""#;

/// Text as it must appear in the page: `&`, `<`, `>` and `"` escaped.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The tags of `html`, each with its attribute names, skipping the content of `<script>`
/// (a JSON island or nothing) the way a browser does.
fn tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let name = rest[..end].to_ascii_lowercase();
        rest = &rest[end..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
            attrs.push(rest[..end].to_ascii_lowercase());
            rest = &rest[end..];
            if let Some(v) = rest.strip_prefix('=') {
                rest = match v.strip_prefix('"') {
                    Some(q) => &q[q.find('"').map_or(q.len(), |e| e + 1)..],
                    None => &v[v.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(v.len())..],
                };
            }
        }
        if name == "script" {
            rest = &rest[rest.find("</script").unwrap_or(rest.len())..];
        }
        out.push((name, attrs));
    }
    out
}

/// The page's markup is the templates' own, and `shown` hostile strings appear escaped.
fn check(what: &str, page: &str, shown: &[&str]) {
    let tags = tags(page);
    let scripts = tags.iter().filter(|(n, _)| n == "script").count();
    assert_eq!(scripts, LAYOUT_SCRIPTS, "{what}: a <script> tag the layout did not write\n{page}");
    let svgs = tags.iter().filter(|(n, _)| n == "svg").count();
    assert_eq!(
        svgs,
        page.matches(CHART).count(),
        "{what}: an <svg> the history charts did not write\n{page}"
    );
    for (name, attrs) in &tags {
        assert!(
            !["img", "iframe", "object", "foreignobject"].contains(&name.as_str()),
            "{what}: an injected <{name}>\n{page}"
        );
        for a in attrs {
            assert!(
                !a.starts_with("on") && !a.contains(['"', '\'', '<']),
                "{what}: <{name} {a}> breaks out\n{page}"
            );
        }
    }
    for h in HOSTILE {
        assert!(!page.contains(h), "{what}: `{h}` unescaped\n{page}");
    }
    for h in shown {
        assert!(page.contains(&escaped(h)), "{what}: `{h}` is not shown escaped\n{page}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_vendor_names_are_escaped_on_every_page() {
    let sim = Simulator::start().await.expect("simulator");
    let workspace = sim.add_workspace(WorkspaceSpec::generated(1, 8, 7));
    let members: Vec<u64> =
        workspace.members_json().iter().take(HOSTILE.len()).map(|m| m["id"].as_u64().expect("id")).collect();
    for (i, id) in members.iter().enumerate() {
        let pick = |k: usize| HOSTILE[(i + k) % HOSTILE.len()];
        assert!(workspace.update_member(*id, |m| {
            m["name"] = json!(pick(0));
            m["email"] = json!(format!("{}{i}@example.com", pick(1)));
            m.as_object_mut().expect("member").remove("role_name");
            m["roles"] = json!([
                {"environment_type": "dev", "role_name": pick(2)},
                {"environment_type": pick(3).to_ascii_lowercase(), "role_name": "Operator"},
            ]);
        }));
    }
    let allow = connector_has("workato", "remove_user");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = workato_account(dir.path(), &sim.base_url(), &workspace.token(), allow);
    let store = dir.path().join("roster.db");
    synced(&config, &store);
    let s = Serve::start(&config, &store).await;

    // Every hostile string is some member's name, email local part, role and environment.
    let lower: Vec<String> = HOSTILE.iter().map(|h| h.to_ascii_lowercase()).collect();
    let account = s.get("/accounts/acme?show=all").await;
    check("account page", &account, &HOSTILE);
    check("account page (environments)", &account, &lower.iter().map(String::as_str).collect::<Vec<_>>());
    // The history: the first sync added every member, so its events show every name.
    assert_eq!(account.matches(CHART).count(), 2, "the users and licences charts\n{account}");
    let run = account
        .split(r#"<a class="events" href=""#)
        .nth(1)
        .and_then(|r| r.split("run=").nth(1))
        .and_then(|r| r.split('#').next())
        .expect("a sync's link");
    check("events of the first sync", &s.get(&format!("/accounts/acme?run={run}")).await, &HOSTILE);
    for path in ["/accounts", "/integrations", "/audit", "/reclaim", "/accounts/acme?show=never"] {
        check(path, &s.get(path).await, &[]);
    }
    let csv = s.get("/accounts/acme/users.csv").await;
    assert!(
        HOSTILE.iter().all(|h| csv.contains(&h.replace('"', "\"\""))),
        "the CSV keeps the names as they are: {csv}"
    );

    if !allow {
        sim.shutdown();
        return;
    }
    // The confirmation page of an action on each hostile member: who, and the roles before.
    for (i, id) in members.iter().enumerate() {
        let confirm = s.get(&format!("/accounts/acme/act/remove_user?user={id}")).await;
        check(
            "confirmation",
            &confirm,
            &[HOSTILE[(i + 1) % HOSTILE.len()], HOSTILE[(i + 2) % HOSTILE.len()]],
        );
    }
    // The reclaim plan lists every member with their email.
    let (status, plan) =
        s.form("/reclaim", &[("days", "0"), ("action", "remove_user"), ("max", "100")], true).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    check("reclaim plan", &plan, &HOSTILE);

    // Apply on one member: the result page, then a reclaim of the others and its report.
    let first = members[0].to_string();
    let (status, result) = s.form("/accounts/acme/act/remove_user", &[("user", &first)], true).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    check("action result", &result, &[HOSTILE[1]]);
    let mut fields =
        vec![("days", "0".to_owned()), ("action", "remove_user".to_owned()), ("max", "100".to_owned())];
    fields.extend(members[1..].iter().map(|id| ("item", format!("acme/{id}"))));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, report) = s.form("/reclaim/apply", &fields, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    check("reclaim result", &report, &HOSTILE[2..]);
    check("audit", &s.get("/audit").await, &HOSTILE);
    check("account page after", &s.get("/accounts/acme?show=removed").await, &HOSTILE);
    sim.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_licence_and_role_names_are_escaped_on_the_account_page() {
    let sim = roster_microsoft365_sim::Simulator::start().await.expect("graph simulator");
    let tenant = sim.add_tenant(roster_microsoft365_sim::TenantSpec::generated(1, 12, 9));
    let mut skus = HOSTILE.iter().cycle();
    tenant.update_skus(|all| {
        for sku in all.iter_mut().take(HOSTILE.len()) {
            sku["skuPartNumber"] = json!(skus.next());
        }
    });
    let mut roles = HOSTILE.iter().cycle();
    tenant.update_roles(|role| role["displayName"] = json!(format!("{} role", roles.next().expect("cycle"))));
    let users: Vec<String> =
        tenant.users_json().iter().map(|u| u["id"].as_str().expect("id").to_owned()).collect();
    for (id, name) in users.iter().zip(HOSTILE) {
        assert!(tenant.update_user(id, |u| u["displayName"] = json!(name)));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("accounts")).expect("accounts dir");
    std::fs::create_dir_all(config.join("secrets")).expect("secrets dir");
    let account = format!(
        "connector = \"microsoft365\"\n\n[credentials]\ntenant_id = \"{}\"\nclient_id = \"{}\"\ncloud = \"custom\"\nbase_url = \"{}\"\n",
        tenant.tenant_id(),
        tenant.client_id(),
        sim.base_url()
    );
    std::fs::write(config.join("accounts/contoso.toml"), account).expect("account file");
    let secret = format!("[credentials]\nclient_secret = \"{}\"\n", tenant.client_secret());
    std::fs::write(config.join("secrets/contoso.toml"), secret).expect("secrets file");
    let store = dir.path().join("roster.db");
    synced(&config, &store);
    let s = Serve::start(&config, &store).await;
    let page = s.get("/accounts/contoso?show=all").await;
    check("account page", &page, &HOSTILE);
    let licences = page.split(r#"<p class="licenses">"#).nth(1).and_then(|p| p.split("</p>").next());
    let licences = licences.unwrap_or_else(|| panic!("no licences in the summary\n{page}"));
    let chart = page.split(r#"id="chart-licences""#).nth(1).and_then(|c| c.split("</figure>").next());
    let chart = chart.unwrap_or_else(|| panic!("no licence chart\n{page}"));
    for h in HOSTILE {
        assert!(licences.contains(&escaped(h)), "licence `{h}` is not shown escaped: {licences}");
        let (legend, tooltip) =
            (format!("</span>{} assigned</li>", escaped(h)), format!(" · {} assigned: ", escaped(h)));
        assert!(chart.contains(&legend) && chart.contains(&tooltip), "licence `{h}` in the chart: {chart}");
    }
    let held: Vec<String> =
        tenant.roles().into_iter().filter(|(_, members)| !members.is_empty()).map(|(name, _)| name).collect();
    assert!(!held.is_empty(), "no role has a member");
    for role in &held {
        assert!(page.contains(&escaped(role)), "role `{role}` is not shown escaped\n{page}");
    }
    check("/accounts", &s.get("/accounts").await, &[]);
    sim.shutdown();
}

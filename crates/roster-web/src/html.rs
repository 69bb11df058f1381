//! HTML building blocks: escaping, JSON for a page, and the page layout.

use axum::response::Html;

/// Text made safe for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside `<script type="application/json">`: no `<` can close it.
pub fn json_island(id: &str, value: &serde_json::Value) -> String {
    let text = value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
    format!(r#"<script type="application/json" id="{}">{text}</script>"#, esc(id))
}

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Integrations,
    Accounts,
    Reclaim,
    Audit,
}

/// The hidden field that carries the session's CSRF token in an HTML form.
pub fn csrf_field(csrf: &str) -> String {
    format!(r#"<input type="hidden" name="csrf" value="{}">"#, esc(csrf))
}

/// A whole page: the layout, the session's CSRF token for the page script,
/// and `scripts` loaded after the body.
pub fn layout(title: &str, nav: Nav, csrf: &str, body: &str, scripts: &[&str]) -> Html<String> {
    let link = |n: Nav, href: &str, label: &str| {
        let current = if n == nav { r#" aria-current="page""# } else { "" };
        format!(r#"<a href="{href}"{current}>{label}</a>"#)
    };
    let scripts: String =
        scripts.iter().map(|s| format!(r#"<script src="/assets/{}" defer></script>"#, esc(s))).collect();
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="{csrf}">
<title>{title} · Roster</title>
<link rel="stylesheet" href="/assets/style.css">
{scripts}<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top"><span class="brand">Roster</span><nav>{integrations}{accounts}{reclaim}{audit}</nav></header>
<main>
{body}
</main>
</body>
</html>
"#,
        csrf = esc(csrf),
        title = esc(title),
        integrations = link(Nav::Integrations, "/integrations", "Integrations"),
        accounts = link(Nav::Accounts, "/accounts", "Accounts"),
        reclaim = link(Nav::Reclaim, "/reclaim", "Reclaim"),
        audit = link(Nav::Audit, "/audit", "Audit"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_cannot_break_out() {
        assert_eq!(esc(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        let island = json_island("f", &serde_json::json!({"t": "</script><script>alert(1)</script>"}));
        assert_eq!(island.matches("</script>").count(), 1, "{island}");
    }
}

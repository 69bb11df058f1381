//! What every page shares: the layout with its navigation, the CSRF field, and
//! JSON for a page script. Pages are maud templates, which escape every value
//! they interpolate; the one place that emits raw text is [`json_island`].

use maud::{DOCTYPE, Markup, PreEscaped, html};

/// JSON safe inside `<script type="application/json">`: no `<` can close it.
pub fn json_island(id: &str, value: &serde_json::Value) -> Markup {
    // Raw on purpose: HTML escaping would corrupt the JSON, and the script element's
    // content is not entity-decoded. `<`, `>` and `&` become JSON's \u escapes, so no
    // `</script>` or `<!--` can appear in it; everything else is JSON text.
    let text = value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
    html! { script type="application/json" id=(id) { (PreEscaped(text)) } }
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
pub fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

/// The plural ending for `n` things: "" for one, "s" otherwise ("1 user", "3 users").
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A whole page: the layout, the session's CSRF token for the page script,
/// and `scripts` loaded after the body.
pub fn layout(title: &str, nav: Nav, csrf: &str, body: Markup, scripts: &[&str]) -> Markup {
    let link = |n: Nav, href: &str, label: &str| {
        html! { a href=(href) aria-current=[(n == nav).then_some("page")] { (label) } }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(csrf);
                title { (title) " · Roster" }
                link rel="stylesheet" href="/assets/style.css";
                @for s in scripts {
                    script src={ "/assets/" (s) } defer {}
                }
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    span.brand { "Roster" }
                    nav {
                        (link(Nav::Integrations, "/integrations", "Integrations"))
                        (link(Nav::Accounts, "/accounts", "Accounts"))
                        (link(Nav::Reclaim, "/reclaim", "Reclaim"))
                        (link(Nav::Audit, "/audit", "Audit"))
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page that says what went wrong.
pub fn problem_page(title: &str, nav: Nav, csrf: &str, message: &str) -> Markup {
    layout(title, nav, csrf, html! { h1 { (title) } p.error { (message) } }, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_cannot_break_out() {
        let island = json_island("f", &serde_json::json!({"t": "</script><script>alert(1)</script>"}));
        let island = island.into_string();
        assert_eq!(island.matches("</script>").count(), 1, "{island}");
        assert!(island.contains(r#"\u003c/script\u003e"#), "{island}");
        let page = layout(r#"<a href="x">'&'</a>"#, Nav::Audit, "t\"", html! {}, &["x.js"]).into_string();
        assert!(
            page.contains("<title>&lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt; · Roster</title>"),
            "{page}"
        );
        assert!(page.contains(r#"<a href="/audit" aria-current="page">Audit</a>"#), "{page}");
        assert!(page.contains(r#"<a href="/reclaim">Reclaim</a>"#), "{page}");
        assert_eq!(page.matches("<script").count(), 2, "{page}");
    }
}

//! The users one chosen sync added, changed, removed or restored, capped, with
//! how many more there were, or why there are none to show.

use maud::{Markup, html};
use roster_store::{Outcome, RunEvent};

/// What the page knows about the chosen sync.
pub enum Chosen<'a> {
    /// `?run=` was not a sync number.
    NotANumber(&'a str),
    /// Sync `id` with its outcome when it is one of this account's latest
    /// syncs, and the first of the users it touched, of `total`.
    Run { id: i64, outcome: Option<Outcome>, events: &'a [RunEvent], total: u64 },
}

pub fn events(chosen: &Chosen<'_>) -> Markup {
    html! {
        section #events {
            @match chosen {
                Chosen::NotANumber(text) => {
                    h3 { "Events" }
                    p.note { "`" (text) "` is not a sync number; pick a sync from the list above." }
                }
                Chosen::Run { id, outcome, events, total } => {
                    h3 { "Events of sync " (id) }
                    (body(*id, *outcome, events, *total))
                }
            }
        }
    }
}

fn body(id: i64, outcome: Option<Outcome>, events: &[RunEvent], total: u64) -> Markup {
    match outcome {
        Some(o) if !o.is_success() => {
            return html! { p.note { "Sync " (id) " " (o.as_str()) ": it committed nothing, so it changed no user." } };
        }
        Some(_) if events.is_empty() => {
            return html! { p.note { "Sync " (id) " added, changed, removed and restored no user." } };
        }
        None if events.is_empty() => {
            return html! {
                p.note { "Sync " (id) " is not one of this account's latest syncs; pick one from the list above." }
            };
        }
        _ => {}
    }
    let more = total.saturating_sub(events.len() as u64);
    html! {
        p.matched { (total) " user" (super::html::plural(usize::try_from(total).unwrap_or(usize::MAX))) " touched"
            @if more > 0 { " (showing the first " (events.len()) "; " (more) " more)" } }
        table.events {
            thead { tr { th { "Event" } th { "Email" } th { "Name" } th { "User ID" } } }
            tbody {
                @for e in events {
                    tr data-kind=(e.kind.as_str()) {
                        td { span class={ "event " (e.kind.as_str()) } { (e.kind.as_str()) } }
                        td.email { (e.email.as_deref().unwrap_or("")) }
                        td { (e.name.as_deref().unwrap_or("")) }
                        td { code { (e.user_id) } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use roster_store::UserEventKind;

    use super::*;

    #[test]
    fn events_are_escaped_capped_and_explained() {
        let e = RunEvent {
            user_id: "<u>".into(),
            email: Some("<script>@x.com".into()),
            name: Some("\"onmouseover=".into()),
            kind: UserEventKind::Added,
        };
        let html = events(&Chosen::Run { id: 4, outcome: None, events: &[e], total: 501 }).into_string();
        assert!(html.contains("(showing the first 1; 500 more)"), "{html}");
        assert!(html.contains("&lt;script&gt;@x.com") && html.contains("&quot;onmouseover="), "{html}");
        assert!(!html.contains("<script>") && !html.contains("<u>"), "{html}");
        let foreign = events(&Chosen::Run { id: 9, outcome: None, events: &[], total: 0 }).into_string();
        assert!(foreign.contains("is not one of this account's latest syncs"), "{foreign}");
        let failed = events(&Chosen::Run { id: 3, outcome: Some(Outcome::Failed), events: &[], total: 0 });
        assert!(failed.into_string().contains("Sync 3 failed: it committed nothing"));
        let bad = events(&Chosen::NotANumber("<x>")).into_string();
        assert!(bad.contains("&lt;x&gt;` is not a sync number"), "{bad}");
    }
}

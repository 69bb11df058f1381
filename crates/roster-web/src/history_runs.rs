//! The history section's list of recent syncs: outcome, start, end, duration
//! and counts, the error of a failed one, and for each committed one a link to
//! its events.

use chrono::TimeDelta;
use maud::{Markup, html};
use roster_store::{Outcome, SyncRun};

/// `keep` is the query string of the page's users view, kept by the links.
pub fn runs(runs: &[SyncRun], chosen: Option<i64>, keep: &str) -> Markup {
    let link = |run: i64| {
        if keep.is_empty() { format!("?run={run}#events") } else { format!("?{keep}&run={run}#events") }
    };
    if runs.is_empty() {
        return html! { p.empty { "No finished sync yet." } };
    }
    html! {
        table.syncs {
            thead { tr {
                th { "Sync" } th { "Outcome" } th { "Started" } th { "Finished" } th.num { "Duration" }
                th.num { "Seen" } th.num { "Added" } th.num { "Changed" } th.num { "Removed" }
                th.num { "Restored" } th.num { "Skipped" } th { "Events" }
            } }
            tbody {
                @for r in runs {
                    tr.chosen[chosen == Some(r.run_id)] data-run=(r.run_id) data-outcome=(r.outcome.as_str()) {
                        td { (r.run_id) }
                        td { span class={ "outcome " (r.outcome.as_str()) } { (r.outcome.as_str()) } }
                        td { time { (roster_core::timestamp(&r.started_at)) } }
                        td { @if let Some(t) = r.finished_at { time { (roster_core::timestamp(&t)) } } }
                        td.num { @if let Some(t) = r.finished_at { (duration(t - r.started_at)) } }
                        td.num { (r.seen) } td.num { (r.added) } td.num { (r.changed) } td.num { (r.removed) }
                        td.num { (r.restored) } td.num { (r.skipped) }
                        td { @if r.outcome.is_success() { a.events href=(link(r.run_id)) { "events" } } }
                    }
                    @if let Some(why) = explanation(r) {
                        tr.why { td {} td colspan="11" { (why) } }
                    }
                }
            }
        }
    }
}

/// What a failed, interrupted or degraded sync says about itself.
fn explanation(r: &SyncRun) -> Option<Markup> {
    match r.outcome {
        Outcome::Ok => None,
        Outcome::Degraded => r.degraded_reason.as_ref().map(|d| html! { span.detail { (d) } }),
        Outcome::Failed | Outcome::Interrupted => Some(html! {
            span.kind { (r.error_kind.as_deref().unwrap_or(r.outcome.as_str())) } " "
            span.detail { (r.message.as_deref().unwrap_or_default()) }
            @if let Some(fix) = &r.remediation { div.fix { (fix) } }
        }),
    }
}

/// A duration to the millisecond under a minute, else in minutes and seconds.
fn duration(d: TimeDelta) -> String {
    let ms = d.num_milliseconds().max(0);
    match ms {
        0..60_000 => format!("{}.{:03} s", ms / 1000, ms % 1000),
        60_000..3_600_000 => format!("{} min {} s", ms / 60_000, ms % 60_000 / 1000),
        _ => format!("{} h {} min", ms / 3_600_000, ms % 3_600_000 / 60_000),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn run(run_id: i64, outcome: Outcome, message: Option<&str>) -> SyncRun {
        let started_at = Utc::now();
        SyncRun {
            run_id,
            account: "acme".into(),
            connector: "workato".into(),
            started_at,
            finished_at: Some(started_at + TimeDelta::milliseconds(1_234)),
            outcome,
            seen: 10,
            added: 2,
            changed: 1,
            removed: 0,
            restored: 0,
            skipped: 0,
            error_kind: message.map(|_| "invalid_credentials".into()),
            message: message.map(str::to_owned),
            remediation: None,
            notes: Vec::new(),
            degraded_reason: None,
        }
    }

    #[test]
    fn committed_syncs_link_to_their_events_and_failed_ones_say_why() {
        let html = runs(
            &[run(2, Outcome::Failed, Some("<b>bad token</b>")), run(1, Outcome::Ok, None)],
            Some(1),
            "",
        )
        .into_string();
        assert_eq!(html.matches("href=\"?run=").count(), 1, "{html}");
        assert!(html.contains(r#"<a class="events" href="?run=1#events">"#), "{html}");
        assert!(html.contains(r#"<tr class="chosen" data-run="1""#), "{html}");
        assert!(html.contains("&lt;b&gt;bad token&lt;/b&gt;") && !html.contains("<b>"), "{html}");
        assert!(html.contains("1.234 s"), "{html}");
        assert_eq!(duration(TimeDelta::seconds(125)), "2 min 5 s");
        assert_eq!(duration(TimeDelta::minutes(61)), "1 h 1 min");
    }
}

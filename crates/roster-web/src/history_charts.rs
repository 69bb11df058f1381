//! The history section's charts: users by status, and each licence type's
//! assigned seats against its total, one point per committed sync.

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use roster_store::HistoryPoint;

use super::chart::{Series, line_chart};

/// Licence colours, reused in turn (`.c0` … in style.css).
const LICENCE_COLOURS: usize = 8;

pub fn charts(points: &[HistoryPoint]) -> Markup {
    let at: Vec<(i64, DateTime<Utc>)> = points.iter().map(|p| (p.run_id, p.finished_at)).collect();
    let licences = licence_series(points);
    html! {
        (line_chart("chart-users", "Users by status", &at, &user_series(points)))
        @if !licences.is_empty() {
            (line_chart("chart-licences", "Licences assigned against their totals", &at, &licences))
        }
    }
}

fn user_series(points: &[HistoryPoint]) -> Vec<Series> {
    let status = |label: &str, count: fn(&HistoryPoint) -> u64| Series {
        label: label.to_owned(),
        class: format!("s-{label}"),
        dashed: false,
        values: points.iter().map(|p| Some(count(p))).collect(),
    };
    vec![
        status("active", |p| p.users.active),
        status("invited", |p| p.users.invited),
        status("suspended", |p| p.users.suspended),
        status("removed", |p| p.users.removed),
    ]
}

/// Per licence type (in the order they first appear): its assigned seats, and
/// its total, dashed, when the app gives one. A point without the type has none.
fn licence_series(points: &[HistoryPoint]) -> Vec<Series> {
    let mut names: Vec<&str> = Vec::new();
    for l in points.iter().flat_map(|p| &p.licenses) {
        if !names.contains(&l.name.as_str()) {
            names.push(&l.name);
        }
    }
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let of = |p: &HistoryPoint| p.licenses.iter().find(|l| l.name == *name).cloned();
        let class = format!("c{}", i % LICENCE_COLOURS);
        let assigned: Vec<Option<u64>> = points.iter().map(|p| of(p).map(|l| l.assigned)).collect();
        let total: Vec<Option<u64>> = points.iter().map(|p| of(p).and_then(|l| l.total)).collect();
        let has_total = total.iter().any(Option::is_some);
        out.push(Series {
            label: format!("{name} assigned"),
            class: class.clone(),
            dashed: false,
            values: assigned,
        });
        if has_total {
            out.push(Series { label: format!("{name} total"), class, dashed: true, values: total });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use roster_core::LicenseType;
    use roster_store::{Outcome, StatusCounts};

    use super::*;

    fn point(run_id: i64, licenses: Vec<LicenseType>) -> HistoryPoint {
        HistoryPoint {
            run_id,
            finished_at: Utc::now(),
            outcome: Outcome::Ok,
            users: StatusCounts { active: 5, invited: 1, suspended: 0, removed: 2 },
            licenses,
        }
    }

    fn licence(name: &str, assigned: u64, total: Option<u64>) -> LicenseType {
        LicenseType { name: name.into(), assigned, total }
    }

    #[test]
    fn licence_types_get_an_assigned_line_and_a_dashed_total() {
        let points = [
            point(1, vec![licence("E3", 4, Some(10))]),
            point(2, vec![licence("E3", 5, Some(10)), licence("Free", 7, None)]),
        ];
        let s = licence_series(&points);
        let summary: Vec<(&str, &str, bool, &[Option<u64>])> =
            s.iter().map(|s| (s.label.as_str(), s.class.as_str(), s.dashed, s.values.as_slice())).collect();
        assert_eq!(
            summary,
            vec![
                ("E3 assigned", "c0", false, &[Some(4), Some(5)][..]),
                ("E3 total", "c0", true, &[Some(10), Some(10)][..]),
                ("Free assigned", "c1", false, &[None, Some(7)][..]),
            ]
        );
        let html = charts(&points).into_string();
        assert!(html.contains(r#"id="chart-users""#) && html.contains(r#"id="chart-licences""#), "{html}");
        assert!(!charts(&[point(1, vec![])]).into_string().contains("chart-licences"));
    }
}

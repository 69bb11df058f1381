//! A line chart as inline SVG, drawn on the server: no script, nothing fetched.
//! One marker per point in time (a `g.sync` holding one circle per series, each
//! with a `<title>` tooltip giving the exact time and value), value ticks from
//! zero, time labels, and a legend. Colours come from CSS classes on each series
//! (`currentColor`), so the page's style sheet owns them. Every SVG element is
//! closed explicitly: in HTML, `<line>` without `</line>` would swallow what follows.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::chart_axis::{time_format, time_ticks, value_ticks};

/// The drawing's size in SVG units; it scales to the page's width.
const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// Intervals on the value axis, and labels on the time axis, at most.
const VALUE_TICKS: u64 = 4;
const TIME_LABELS: i32 = 5;
/// Beyond this many points the markers shrink so that they stay apart.
const BIG_MARKERS_UP_TO: usize = 60;

/// One line of a chart: a value (or none) at each point in time.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    /// The CSS class that colours it.
    pub class: String,
    /// Drawn dashed (a limit, such as a licence's total).
    pub dashed: bool,
    pub values: Vec<Option<u64>>,
}

/// The chart `title` of `series` over `at` (each point's sync id and time,
/// oldest first), or a note when there is no point.
pub fn line_chart(id: &str, title: &str, at: &[(i64, DateTime<Utc>)], series: &[Series]) -> Markup {
    let (Some(first), Some(last)) = (at.first(), at.last()) else {
        return html! { p.empty { (title) ": no committed sync yet." } };
    };
    let (first, last) = (first.1, last.1);
    let span = (last - first).num_milliseconds().max(0) as f64;
    let x = |t: DateTime<Utc>| {
        let plot = WIDTH - LEFT - RIGHT;
        if span == 0.0 {
            LEFT + plot / 2.0
        } else {
            LEFT + plot * (t - first).num_milliseconds() as f64 / span
        }
    };
    let max = series.iter().flat_map(|s| s.values.iter().flatten()).copied().max().unwrap_or(0);
    let ticks = value_ticks(max, VALUE_TICKS);
    let top = ticks.last().copied().unwrap_or(1).max(1) as f64;
    let y = |v: u64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v as f64 / top);
    let labels = time_format(last - first);
    let radius = if at.len() <= BIG_MARKERS_UP_TO { 3.5 } else { 1.5 };
    let title_id = format!("{id}-title");
    html! {
        figure.chart #(id) {
            figcaption { (title) }
            svg.plot xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (HEIGHT) }
                role="img" aria-labelledby=(title_id) {
                title #(title_id) {
                    (title) ", " (at.len()) " sync" (super::html::plural(at.len())) " from "
                    (roster_core::timestamp(&first)) " to " (roster_core::timestamp(&last))
                }
                g.axis {
                    @for v in &ticks {
                        line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(n(y(*v))) y2=(n(y(*v))) {}
                        text x=(LEFT - 6.0) y=(n(y(*v) + 4.0)) text-anchor="end" { (v) }
                    }
                    @let times = time_ticks(first, last, TIME_LABELS);
                    @for (i, t) in times.iter().enumerate() {
                        text x=(n(x(*t))) y=(HEIGHT - 8.0) text-anchor=(anchor(i, times.len())) { (t.format(labels)) }
                    }
                }
                @for s in series {
                    path class={ "line " (s.class) } d=(path(at, &s.values, &x, &y)) fill="none"
                        stroke="currentColor" stroke-width="2" stroke-dasharray=[s.dashed.then_some("6 4")] {}
                }
                @for (i, (run, t)) in at.iter().enumerate() {
                    g.sync data-run=(run) {
                        @for s in series {
                            @if let Some(v) = s.values.get(i).copied().flatten() {
                                circle class=(s.class) cx=(n(x(*t))) cy=(n(y(v))) r=(radius) fill="currentColor" {
                                    title { (roster_core::timestamp(t)) " · sync " (run) " · " (s.label) ": " (v) }
                                }
                            }
                        }
                    }
                }
            }
            ul.legend {
                @for s in series {
                    li { span class={ "swatch " (s.class) (if s.dashed { " dashed" } else { "" }) } {} (s.label) }
                }
            }
        }
    }
}

/// How time label `i` of `count` aligns: the first and last stay inside the drawing.
fn anchor(i: usize, count: usize) -> &'static str {
    match i {
        _ if count == 1 => "middle",
        0 => "start",
        _ if i + 1 == count => "end",
        _ => "middle",
    }
}

/// An SVG path through the values, broken where a value is missing.
fn path(
    at: &[(i64, DateTime<Utc>)],
    values: &[Option<u64>],
    x: &impl Fn(DateTime<Utc>) -> f64,
    y: &impl Fn(u64) -> f64,
) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for ((_, t), v) in at.iter().zip(values) {
        match v {
            Some(v) => {
                d.push_str(if pen_down { " L" } else { " M" });
                d.push_str(&format!("{} {}", n(x(*t)), n(y(*v))));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d.trim_start().to_owned()
}

/// A coordinate, to a tenth of a unit.
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;

    fn series(label: &str, values: Vec<Option<u64>>) -> Series {
        Series { label: label.into(), class: "s-active".into(), dashed: false, values }
    }

    /// Every number of every `name="…"` attribute in `svg`.
    fn numbers(svg: &str, name: &str) -> Vec<f64> {
        svg.split(&format!(" {name}=\""))
            .skip(1)
            .map(|r| r[..r.find('"').expect("end")].parse().expect(name))
            .collect()
    }

    #[test]
    fn one_marker_per_sync_inside_the_drawing() {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().expect("time");
        let at: Vec<(i64, DateTime<Utc>)> =
            (0..250).map(|i| (i + 1, t0 + TimeDelta::minutes(37 * i))).collect();
        let active = series("active", (0..250).map(|i| Some(1000 + i as u64 * 7)).collect());
        let total = Series {
            dashed: true,
            ..series("total", (0..250).map(|i| (i % 3 != 0).then_some(5000)).collect())
        };
        let svg = line_chart("users", "Users", &at, &[active, total]).into_string();
        assert_eq!(svg.matches("<g class=\"sync\"").count(), 250, "one marker group per sync");
        assert_eq!(svg.matches("<circle").count(), 250 + 166);
        for cx in numbers(&svg, "cx") {
            assert!((LEFT..=WIDTH - RIGHT).contains(&cx), "cx {cx}");
        }
        for cy in numbers(&svg, "cy") {
            assert!((TOP..=HEIGHT - BOTTOM).contains(&cy), "cy {cy}");
        }
        assert!(svg.contains("stroke-dasharray=\"6 4\""), "the total is dashed");
        for tag in ["line", "path", "circle", "text", "g", "title"] {
            let open = svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
            assert_eq!(open, svg.matches(&format!("</{tag}>")).count(), "every <{tag}> is closed");
        }
        assert!(svg.contains("<title>2026-12-01T09:00:00Z · sync 1 · active: 1000</title>"), "{svg}");
        assert_eq!(svg.matches("<text").count(), value_ticks(5000, VALUE_TICKS).len() + 5);
    }

    #[test]
    fn one_point_is_centred_and_none_says_so() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().expect("time");
        let svg = line_chart("users", "Users", &[(7, t)], &[series("active", vec![Some(0)])]).into_string();
        assert_eq!(numbers(&svg, "cx"), vec![LEFT + (WIDTH - LEFT - RIGHT) / 2.0]);
        assert_eq!(numbers(&svg, "cy"), vec![HEIGHT - BOTTOM]);
        assert!(svg.contains(r#"<g class="sync" data-run="7">"#), "{svg}");
        let none = line_chart("users", "Users", &[], &[series("active", vec![])]).into_string();
        assert!(!none.contains("<svg") && none.contains("no committed sync yet"), "{none}");
    }

    #[test]
    fn labels_are_escaped() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().expect("time");
        let hostile = r#"<script>alert(1)</script>" onmouseover="x"#;
        let svg = line_chart("l", hostile, &[(1, t)], &[series(hostile, vec![Some(3)])]).into_string();
        assert!(!svg.contains("<script>") && !svg.contains("\" onmouseover"), "{svg}");
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x";
        assert_eq!(svg.matches(escaped).count(), 4, "caption, title, tooltip and legend: {svg}");
    }
}

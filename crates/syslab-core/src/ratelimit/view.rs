//! The rate-limiter lab's view model: every position, label and number the browser draws.
//!
//! Geometry is in integer view units. A lane (one per algorithm) is [`VIEW_WIDTH`] wide and
//! [`LANE_HEIGHT`] tall and shows the last [`RateLimitView::span`] of simulated time, the newest
//! arrival at the right (once a run is over, the whole run if it fits). The whole run's rates are a [`ChartView`].

use std::fmt::Write;

use super::decision::Outcome;
use super::kind::AlgorithmKind;
use super::lab::RateLimitLab;
use super::snapshot::RunSnapshot;
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, Orient, SeriesSpec, Unit};
use crate::format::{fixed, percent, thousands, trimmed};
use crate::time::Nanos;

/// Width of a lane and of a chart.
pub const VIEW_WIDTH: i32 = 1_000;
/// Height of a lane.
pub const LANE_HEIGHT: i32 = 100;
/// The most arrival marks drawn per lane (the newest ones).
pub const MAX_MARKS: usize = 4_000;
/// A finished run is shown whole if it spans at most this many windows.
const MAX_WHOLE_RUN_WINDOWS: u64 = 40;
/// Client rows marks are spread over, so different clients' marks do not hide each other.
const MARK_ROWS: u32 = 8;

/// All marks of one outcome in a lane, as one SVG path of short vertical strokes.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkLayer {
    /// The outcome, whose id is the CSS class.
    pub outcome: Outcome,
    /// Path data.
    pub path: String,
    /// Marks in the path.
    pub count: usize,
}

/// One algorithm's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneView {
    /// The algorithm.
    pub algorithm: AlgorithmKind,
    /// Its name.
    pub label: &'static str,
    /// Arrival marks by outcome.
    pub marks: Vec<MarkLayer>,
    /// The level of client 0's key over the span, as SVG polyline points ("x,y x,y …").
    pub level_points: String,
    /// The level now, e.g. "7.5 / 10 tokens left".
    pub level_text: String,
    /// The level now as a share of its maximum, 0 to 100, for the bucket gauge.
    pub level_percent: f64,
}

/// One row of the comparison table, preformatted.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView {
    /// The algorithm.
    pub algorithm: AlgorithmKind,
    /// Its name.
    pub label: &'static str,
    /// Whether it is the algorithm the lab shows.
    pub selected: bool,
    /// Admitted requests and share, e.g. "1,204 (80.2%)".
    pub admitted: String,
    /// Rejected requests, e.g. "301".
    pub rejected: String,
    /// Delayed requests, e.g. "12".
    pub delayed: String,
    /// Most forwarded in any window, with the ratio to the limit, e.g. "20 (2.00×)".
    pub max_window: String,
    /// Queue wait percentiles, e.g. "0 / 120 / 300 ms".
    pub waits: String,
    /// Peak memory, e.g. "24 numbers".
    pub memory: String,
    /// Jain's fairness index, e.g. "0.98".
    pub fairness: String,
    /// Added store latency, e.g. "1 ms".
    pub latency: String,
}

/// Everything the rate-limiter lab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct RateLimitView {
    /// The time the lanes cover.
    pub span: Nanos,
    /// The lanes' left edge in simulated time.
    pub span_start: Nanos,
    /// One lane per algorithm, the shown one first.
    pub lanes: Vec<LaneView>,
    /// x of each window boundary in the span.
    pub boundaries: Vec<i32>,
    /// Time-axis labels: x and text ("12.5 s").
    pub axis: Vec<(i32, String)>,
    /// Admitted and rejected requests per second over the whole run (shown algorithm), the
    /// limit's rate as a reference line and the current time.
    pub rate_chart: ChartView,
    /// The comparison table.
    pub rows: Vec<RowView>,
    /// "t = 12.3 s of 20 s · 1,204 requests".
    pub status: String,
}

impl RateLimitLab {
    /// The view model at the current time.
    pub fn view(&self) -> RateLimitView {
        let config = &self.config;
        let window = config.window();
        // While running, the lanes follow the newest three windows; once the run is over they
        // show all of it when every mark and boundary still fits, so a finished preset (or its
        // screenshot) shows where the interesting part happened, not just its last seconds.
        let whole_run = self.finished()
            && self.next <= MAX_MARKS
            && config.duration().0 / window.0.max(1) <= MAX_WHOLE_RUN_WINDOWS;
        let span = if whole_run {
            Nanos(config.duration().0.max(1))
        } else {
            Nanos(
                (window.0 * 3)
                    .max(config.tick().0 * 10)
                    .min(config.duration().0)
                    .max(1),
            )
        };
        let span_start = Nanos(self.now.0.saturating_sub(span.0));
        let x_of = |t: Nanos| {
            (t.since(span_start).0 as f64 / span.0 as f64 * f64::from(VIEW_WIDTH)) as i32
        };
        let snapshot = self.snapshot();
        let first = self.arrivals[..self.next].partition_point(|a| a.at < span_start);
        let first = first.max(self.next.saturating_sub(MAX_MARKS));
        let lanes = self
            .runs
            .iter()
            .zip(&snapshot.runs)
            .map(|(run, snap)| {
                let mut marks: Vec<MarkLayer> = Outcome::ALL
                    .iter()
                    .map(|&outcome| MarkLayer {
                        outcome,
                        path: String::new(),
                        count: 0,
                    })
                    .collect();
                for (arrival, outcome) in self.arrivals[first..self.next]
                    .iter()
                    .zip(&run.outcomes[first..])
                {
                    let layer =
                        &mut marks[Outcome::ALL.iter().position(|o| o == outcome).unwrap_or(0)];
                    let y = 10 + (arrival.client % MARK_ROWS) as i32 * 10;
                    let _ = write!(layer.path, "M{} {}v8", x_of(arrival.at), y);
                    layer.count += 1;
                }
                LaneView {
                    algorithm: run.kind,
                    label: run.kind.label(),
                    marks,
                    level_points: self.level_points(
                        &run.metrics.levels,
                        snap.level_max,
                        span_start,
                        &x_of,
                    ),
                    level_percent: (snap.level / f64::from(snap.level_max.max(1)) * 100.0)
                        .clamp(0.0, 100.0),
                    level_text: format!(
                        "{} / {} {}",
                        trimmed(snap.level, 1),
                        snap.level_max,
                        snap.level_label
                    ),
                }
            })
            .collect();
        let boundaries = (span_start.0.div_ceil(window.0)..)
            .map(|k| k * window.0)
            .take_while(|&t| t <= span_start.0 + span.0)
            .take(1_000)
            .map(|t| x_of(Nanos(t)))
            .collect();
        let axis = (0..=4)
            .map(|i| {
                let t = Nanos(span_start.0 + span.0 * i / 4);
                (
                    VIEW_WIDTH * i as i32 / 4,
                    format!("{} s", trimmed(t.secs_f64(), 2)),
                )
            })
            .collect();
        let main = &snapshot.runs[0];
        let duration_s = config.duration().secs_f64();
        let bucket_s = duration_s / f64::from(super::metrics::N_BUCKETS);
        let line = |value: fn(&super::snapshot::SeriesPoint) -> f64| {
            main.series
                .iter()
                .enumerate()
                .map(|(i, p)| ((i as f64 + 0.5) * bucket_s, value(p)))
                .collect()
        };
        let entry = |id: &str, label: &str, color: usize| LegendEntry {
            id: id.to_owned(),
            label: label.to_owned(),
            value: None,
            color,
            emphasis: false,
        };
        let limit_rate = f64::from(config.limit) / window.secs_f64();
        let rate_chart = ChartView::new(
            AxisSpec::new("time", Unit::Seconds).range(0.0, duration_s),
            AxisSpec::new("requests", Unit::PerSecond).reaching(limit_rate * 1.1),
            vec![
                entry("admitted", "admitted/s", 2),
                entry("rejected", "rejected/s", 8),
            ],
            vec![
                SeriesSpec {
                    label: "admitted/s".to_owned(),
                    group: 0,
                    dash: Dash::Solid,
                    points: line(|p| p.admitted_per_sec),
                },
                SeriesSpec {
                    label: "rejected/s".to_owned(),
                    group: 1,
                    dash: Dash::Solid,
                    points: line(|p| p.rejected_per_sec),
                },
            ],
        )
        .with_ref(
            Orient::Horizontal,
            limit_rate,
            format!("limit {}/s", trimmed(limit_rate, 2)),
        )
        .with_now(self.now.secs_f64());
        RateLimitView {
            span,
            span_start,
            lanes,
            boundaries,
            axis,
            rate_chart,
            rows: snapshot
                .runs
                .iter()
                .enumerate()
                .map(|(i, r)| row(r, i == 0))
                .collect(),
            status: format!(
                "t = {} s of {} s · {} requests",
                fixed(self.now.secs_f64(), 1),
                trimmed(config.duration().secs_f64(), 3),
                thousands(snapshot.decided)
            ),
        }
    }

    /// The per-step levels in the span as polyline points.
    fn level_points(
        &self,
        levels: &[f32],
        max: u32,
        start: Nanos,
        x_of: &dyn Fn(Nanos) -> i32,
    ) -> String {
        let tick = self.config.tick().0;
        let first = (start.0 / tick) as usize;
        let mut out = String::new();
        for (i, &level) in levels.iter().enumerate().skip(first.saturating_sub(1)) {
            let at = Nanos(((i as u64 + 1) * tick).min(self.config.duration().0));
            let y = LANE_HEIGHT
                - (f64::from(level) / f64::from(max.max(1)) * f64::from(LANE_HEIGHT)) as i32;
            let _ = write!(
                out,
                "{}{},{y}",
                if out.is_empty() { "" } else { " " },
                x_of(at).max(0)
            );
        }
        out
    }
}

fn row(r: &RunSnapshot, selected: bool) -> RowView {
    // One format per column: waits and latency with one decimal ("0.0", "12.5").
    let ms = |n: Nanos| fixed(n.ms_f64(), 1);
    RowView {
        algorithm: r.algorithm,
        label: r.algorithm.label(),
        selected,
        admitted: format!(
            "{} ({})",
            thousands(r.counts.admitted()),
            percent(r.admitted_fraction)
        ),
        rejected: thousands(r.counts.rejected),
        delayed: thousands(r.counts.delayed),
        max_window: format!(
            "{} ({}×)",
            thousands(u64::from(r.max_in_window)),
            fixed(r.max_over_limit, 2)
        ),
        waits: format!(
            "{} / {} / {} ms",
            ms(r.waits.p50),
            ms(r.waits.p95),
            ms(r.waits.p99)
        ),
        memory: format!("{} numbers", thousands(r.peak_memory_words)),
        fairness: fixed(r.fairness, 2),
        latency: format!("{} ms", ms(r.store_latency)),
    }
}

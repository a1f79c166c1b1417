//! The resilience lab's view model: the chain (clients → A → B → C) with each tier's load and
//! fault and each link's breaker, retries and attempt rate; the charts over the run with the
//! fault windows shaded; the comparison table and the status line. Components only draw it.

use super::cache_view::CacheRowView;
use super::config::{BreakerAt, FaultKind, TIER_NAMES};
use super::lab::ResilienceLab;
use super::metrics::TickPoint;
use super::policy::BreakerState;
use super::snapshot::{MAX_SERIES, Recovery, ResSnapshot};
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, Orient, SeriesSpec, Unit};
use crate::format::{percent, thousands, trimmed};
use crate::lb::snapshot::sampled;

/// The drawing's size in view units.
pub const VIEW_WIDTH: i32 = 640;
pub const VIEW_HEIGHT: i32 = 160;

/// One tier as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct TierView {
    /// "A", "B", "C".
    pub name: &'static str,
    /// Index (0 is A).
    pub index: u8,
    /// Centre, in view units.
    pub x: i32,
    pub y: i32,
    /// "ok", "slow", "errors" or "down": the class that colours it.
    pub state: &'static str,
    /// The active fault, for people ("10× slower"), or "".
    pub fault: String,
    /// Slots held and slots, queued and the queue's limit.
    pub busy: u32,
    pub slots: u32,
    pub queued: u32,
    pub queue_limit: u32,
    /// The load gauge: share of slots held during the last step, in whole percent.
    pub load_pct: u32,
    /// "32/64 busy · 0 queued".
    pub caption: String,
    /// What a click does, for the tooltip and screen readers ("B: 10× slower until 18 s;
    /// click to end the fault").
    pub title: String,
}

/// One link of the chain (the calls into a tier).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkView {
    /// From and to, in view units.
    pub x0: i32,
    pub x1: i32,
    pub y: i32,
    /// The breaker's state on it, if it has one.
    pub breaker: Option<BreakerState>,
    /// "3 retries · 300 ms timeout".
    pub policy: String,
    /// Attempts per second during the last step, and the share of them that were retries.
    pub rate: String,
    /// Whether retries were more than a tenth of the attempts in the last step.
    pub storm: bool,
}

/// One row of the accounting table: how one policy set's client requests ended (every one
/// ends exactly once), its amplification, tail latency, wasted work and verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView {
    pub label: String,
    pub selected: bool,
    /// Requests sent, and still in flight ("12,480 (3 in flight)").
    pub sent: String,
    pub successes: String,
    pub errors: String,
    pub timeouts: String,
    pub shed: String,
    /// Refused by an open circuit breaker.
    pub broken: String,
    /// Rejected locally by adaptive throttling.
    pub throttled: String,
    /// Successes per request sent.
    pub goodput: String,
    /// Attempts at the deepest tier per client request ("11.85×").
    pub amplification: String,
    pub p99: String,
    pub wasted: String,
    pub recovery: String,
}

/// What clicking a tier does when it has no active fault (the page's click mode): its id for
/// the menu, the fault, and a label for people.
pub const CLICK_MODES: &[(&str, FaultKind, &str)] = &[
    ("slow", FaultKind::Slow(10.0), "makes it 10× slower"),
    ("errors", FaultKind::Errors(0.5), "makes it fail 50%"),
    ("down", FaultKind::Down, "takes it down"),
];

/// Everything the page draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ResView {
    /// The clients' position.
    pub clients: (i32, i32),
    pub tiers: Vec<TierView>,
    pub links: Vec<LinkView>,
    /// Offered load and goodput per run, the fault windows shaded.
    pub goodput: ChartView,
    /// Attempts per second into each tier (shown run).
    pub attempts: ChartView,
    /// Latency percentiles of successes (shown run).
    pub latency: ChartView,
    /// Each breaker's state over the run (0 closed, ½ half-open, 1 open), when there is one.
    pub breaker: Option<ChartView>,
    /// The comparison table (the shown run alone unless comparing).
    pub rows: Vec<RowView>,
    /// Recomputations in flight at B over the run, per run with a cache.
    pub cache: Option<ChartView>,
    /// The cache table: each run with a cache (every fix side by side with `fixcmp`).
    pub cache_rows: Vec<CacheRowView>,
    /// "t = 12.5 s of 30 s · 12,480 requests · goodput 97.1% · amplification at B 1.02×".
    pub status: String,
    /// "After the faults: recovered 2.3 s after" or the metastable verdict; empty until the
    /// faults are over (or when there are none).
    pub verdict: String,
}

fn tier_x(i: usize, depth: usize) -> i32 {
    let step = (VIEW_WIDTH - 120) / depth as i32;
    120 + step * i as i32 + step / 2
}

impl ResilienceLab {
    /// The view model at the current time.
    pub fn view(&self) -> ResView {
        let c = &self.config;
        let depth = c.depth();
        let snap = self.snapshot();
        let shown = &self.runs[0];
        let last: Option<&TickPoint> = shown.series.last();
        let mid = VIEW_HEIGHT / 2;
        let occupancy = shown.occupancy();
        let tiers: Vec<TierView> = (0..depth)
            .map(|i| {
                let spec = c.tiers[i];
                let active = self.active_fault(i as u8).map(|f| c.faults[f]);
                let fault = active.map(|f| f.kind);
                let (busy, queued) = occupancy[i];
                let load = last.map_or(0.0, |p| f64::from(p.utilisation[i]));
                let load_pct = (load * 100.0).round() as u32;
                TierView {
                    name: TIER_NAMES[i],
                    index: i as u8,
                    x: tier_x(i, depth),
                    y: mid,
                    state: match fault {
                        None => "ok",
                        Some(FaultKind::Slow(_)) => "slow",
                        Some(FaultKind::Errors(_)) => "errors",
                        Some(FaultKind::Down) => "down",
                    },
                    fault: fault.map(FaultKind::label).unwrap_or_default(),
                    busy,
                    slots: spec.slots(),
                    queued,
                    queue_limit: spec.queue,
                    load_pct,
                    caption: format!(
                        "{}/{} busy · {} queued",
                        thousands(u64::from(busy)),
                        thousands(u64::from(spec.slots())),
                        thousands(u64::from(queued))
                    ),
                    title: match active {
                        Some(f) => format!(
                            "{}: {} until {} s; click to end the fault",
                            TIER_NAMES[i],
                            f.kind.label(),
                            trimmed(f.end_ms() as f64 / 1e3, 2)
                        ),
                        None => format!(
                            "{}: {load_pct}% of its slots busy; click to start a fault",
                            TIER_NAMES[i],
                        ),
                    },
                }
            })
            .collect();
        let span_s = f64::from(c.tick_ms) / 1e3;
        let links = (0..depth)
            .map(|i| {
                let x0 = if i == 0 { 40 } else { tier_x(i - 1, depth) };
                let (attempts, retries) =
                    last.map_or((0, 0), |p| (p.counts.attempts[i], p.counts.retries[i]));
                LinkView {
                    x0,
                    x1: tier_x(i, depth),
                    y: mid,
                    breaker: c.breaker.at.covers(i).then(|| shown.breakers()[i]),
                    policy: format!(
                        "{} retr{} · {}",
                        c.retries[i],
                        if c.retries[i] == 1 { "y" } else { "ies" },
                        match c.timeouts_ms[i] {
                            0 => "no timeout".to_owned(),
                            t => format!("{t} ms timeout"),
                        }
                    ),
                    rate: format!(
                        "{}/s ({} retries)",
                        thousands((attempts as f64 / span_s).round() as u64),
                        percent(retries as f64 / attempts.max(1) as f64)
                    ),
                    storm: retries * 10 > attempts && attempts > 0,
                }
            })
            .collect();
        let shown_snap = &snap.runs[0];
        let deepest = depth - 1;
        ResView {
            clients: (40, mid),
            tiers,
            links,
            goodput: self.goodput_chart(),
            attempts: self.attempts_chart(),
            latency: self.latency_chart(),
            breaker: self.breaker_chart(),
            rows: rows(&snap, self.finished()),
            cache: self.cache_chart(),
            cache_rows: self.cache_rows(),
            status: format!(
                "{} · {} requests · goodput {} · amplification at {} {}×",
                clock(self.now_ns(), c.duration_ms),
                thousands(shown_snap.counts.generated),
                percent(shown_snap.goodput_share),
                TIER_NAMES[deepest],
                trimmed(shown_snap.amplification[deepest], 2),
            ),
            verdict: match shown_snap.recovery {
                Recovery::NotJudged => String::new(),
                r => format!("After the faults: {}", verdict(&r, self.finished())),
            },
        }
    }

    pub(super) fn time_axis(&self) -> AxisSpec {
        AxisSpec::new("time", Unit::Seconds).range(0.0, f64::from(self.config.duration_ms) / 1e3)
    }

    /// Shades every fault window (and the spike) and marks the current time.
    pub(super) fn annotate(&self, mut chart: ChartView) -> ChartView {
        let c = &self.config;
        for f in &c.faults {
            chart = chart.with_note(
                f64::from(f.at_ms) / 1e3,
                Some(f.end_ms() as f64 / 1e3),
                format!("{} {}", TIER_NAMES[usize::from(f.tier)], f.kind.label()),
            );
        }
        if c.spike_factor > 1.0 && c.spike_ms > 0 {
            chart = chart.with_note(
                f64::from(c.spike_at_ms) / 1e3,
                Some(f64::from(c.spike_at_ms.saturating_add(c.spike_ms)) / 1e3),
                format!("spike ×{}", trimmed(c.spike_factor, 2)),
            );
        }
        if c.herd > 0 {
            chart = chart.with_note(
                f64::from(c.herd_at_ms) / 1e3,
                None,
                format!("herd of {}", thousands(u64::from(c.herd))),
            );
        }
        chart.with_now(self.now_ns() as f64 / 1e9)
    }

    pub(super) fn points(&self, run: usize, value: impl Fn(&TickPoint) -> f64) -> Vec<(f64, f64)> {
        let end = f64::from(self.config.duration_ms);
        sampled(&self.runs[run].series, MAX_SERIES)
            .iter()
            .map(|p| (p.at_ms.min(end) / 1e3, value(p)))
            .collect()
    }

    fn goodput_chart(&self) -> ChartView {
        let mut legend = vec![LegendEntry {
            id: "offered".to_owned(),
            label: "Offered".to_owned(),
            value: None,
            color: 7,
            emphasis: false,
        }];
        let mut series = vec![SeriesSpec {
            label: "Offered".to_owned(),
            group: 0,
            dash: Dash::Dotted,
            points: self.points(0, |p| p.offered),
        }];
        for (i, run) in self.runs.iter().enumerate().rev() {
            series.push(SeriesSpec {
                label: format!("{} goodput", run.label),
                group: i + 1,
                dash: Dash::Solid,
                points: self.points(i, |p| p.goodput),
            });
        }
        for (i, run) in self.runs.iter().enumerate() {
            legend.push(LegendEntry {
                id: format!("run{i}"),
                label: run.label.to_owned(),
                value: None,
                color: i,
                emphasis: i == 0,
            });
        }
        let chart = ChartView::new(
            self.time_axis(),
            AxisSpec::new("requests", Unit::PerSecond),
            legend,
            series,
        );
        self.annotate(chart)
    }

    fn attempts_chart(&self) -> ChartView {
        let depth = self.config.depth();
        let span_s = f64::from(self.config.tick_ms) / 1e3;
        let legend = (0..depth)
            .map(|i| LegendEntry {
                id: format!("tier{i}"),
                label: format!("into {}", TIER_NAMES[i]),
                value: None,
                color: i,
                emphasis: i == depth - 1,
            })
            .collect();
        let mut series = Vec::new();
        for (i, name) in TIER_NAMES.iter().enumerate().take(depth) {
            series.push(SeriesSpec {
                label: format!("attempts into {name}"),
                group: i,
                dash: Dash::Solid,
                points: self.points(0, move |p| p.counts.attempts[i] as f64 / span_s),
            });
            series.push(SeriesSpec {
                label: format!("retries into {name}"),
                group: i,
                dash: Dash::Dashed,
                points: self.points(0, move |p| p.counts.retries[i] as f64 / span_s),
            });
        }
        let chart = ChartView::new(
            self.time_axis(),
            AxisSpec::new("attempts", Unit::PerSecond),
            legend,
            series,
        )
        .with_ref(
            Orient::Horizontal,
            self.config.rate,
            "offered rate".to_owned(),
        );
        self.annotate(chart)
    }

    fn latency_chart(&self) -> ChartView {
        let legend = vec![
            LegendEntry {
                id: "p50".to_owned(),
                label: "p50".to_owned(),
                value: None,
                color: 0,
                emphasis: false,
            },
            LegendEntry {
                id: "p99".to_owned(),
                label: "p99".to_owned(),
                value: None,
                color: 1,
                emphasis: true,
            },
            LegendEntry {
                id: "p999".to_owned(),
                label: "p99.9".to_owned(),
                value: None,
                color: 3,
                emphasis: false,
            },
        ];
        let series = vec![
            SeriesSpec {
                label: "p50".to_owned(),
                group: 0,
                dash: Dash::Solid,
                points: self.points(0, |p| p.latency.p50),
            },
            SeriesSpec {
                label: "p99".to_owned(),
                group: 1,
                dash: Dash::Solid,
                points: self.points(0, |p| p.latency.p99),
            },
            SeriesSpec {
                label: "p99.9".to_owned(),
                group: 2,
                dash: Dash::Dashed,
                points: self.points(0, |p| p.latency.p999),
            },
        ];
        let mut chart = ChartView::new(
            self.time_axis(),
            AxisSpec::new("latency", Unit::Millis),
            legend,
            series,
        );
        if self.config.deadline_ms > 0 {
            chart = chart.with_ref(
                Orient::Horizontal,
                f64::from(self.config.deadline_ms),
                "deadline".to_owned(),
            );
        }
        self.annotate(chart)
    }

    fn breaker_chart(&self) -> Option<ChartView> {
        let at = self.config.breaker.at;
        if at == BreakerAt::Off {
            return None;
        }
        let covered: Vec<usize> = (0..self.config.depth()).filter(|&i| at.covers(i)).collect();
        let legend = covered
            .iter()
            .map(|&i| LegendEntry {
                id: format!("brk{i}"),
                label: format!("into {}", TIER_NAMES[i]),
                value: None,
                color: i,
                emphasis: false,
            })
            .collect();
        let series = covered
            .iter()
            .map(|&i| SeriesSpec {
                label: format!("breaker into {}", TIER_NAMES[i]),
                group: i,
                dash: Dash::Solid,
                points: self.points(0, move |p| p.breaker[i].level()),
            })
            .collect();
        let chart = ChartView::new(
            self.time_axis(),
            AxisSpec::new("open", Unit::Percent).range(0.0, 1.0),
            legend,
            series,
        );
        Some(self.annotate(chart))
    }
}

/// The verdict for people: while the run goes on, a chain that has not recovered yet may
/// still do so, so "metastable" waits for the end of the run.
fn verdict(r: &Recovery, finished: bool) -> String {
    match r {
        Recovery::NotRecovered if !finished => "not recovered yet".to_owned(),
        r => r.label(),
    }
}

fn rows(snap: &ResSnapshot, finished: bool) -> Vec<RowView> {
    let deepest = snap.depth - 1;
    snap.runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let c = &r.counts;
            RowView {
                label: r.label.clone(),
                selected: i == 0,
                sent: match r.in_flight {
                    0 => thousands(c.generated),
                    n => format!("{} ({} in flight)", thousands(c.generated), thousands(n)),
                },
                successes: thousands(c.successes),
                errors: thousands(c.errors),
                timeouts: thousands(c.timeouts),
                shed: thousands(c.shed),
                broken: thousands(c.broken),
                throttled: thousands(c.throttled),
                goodput: percent(r.goodput_share),
                amplification: format!("{}×", trimmed(r.amplification[deepest], 2)),
                p99: format!("{} ms", trimmed(r.latency.p99, 1)),
                wasted: percent(r.wasted_share),
                recovery: verdict(&r.recovery, finished),
            }
        })
        .collect()
}

/// The status line's clock: "t = 12 s of 30 s" while clients send, then how long the requests
/// still in flight took past the run's end ("t = 32 s: the 30 s run, then 2 s for requests in
/// flight") rather than a time past its own total.
fn clock(now_ns: u64, duration_ms: u32) -> String {
    let now = now_ns as f64 / 1e9;
    let run = f64::from(duration_ms) / 1e3;
    if now <= run {
        return format!("t = {} s of {} s", trimmed(now, 2), trimmed(run, 2));
    }
    format!(
        "t = {} s: the {} s run, then {} s for requests in flight",
        trimmed(now, 2),
        trimmed(run, 2),
        trimmed(now - run, 2)
    )
}

#[cfg(test)]
mod clock_tests {
    use super::clock;

    #[test]
    fn the_clock_says_when_the_run_is_draining() {
        assert_eq!(clock(12_000_000_000, 30_000), "t = 12 s of 30 s");
        assert_eq!(clock(30_000_000_000, 30_000), "t = 30 s of 30 s");
        assert_eq!(
            clock(32_500_000_000, 30_000),
            "t = 32.5 s: the 30 s run, then 2.5 s for requests in flight"
        );
    }
}

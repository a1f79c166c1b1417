//! The resilience lab's numbers as plain data: what the CLI prints and the browser shows,
//! with the verdict on recovery after the faults.

use serde::{Deserialize, Serialize};

use super::lab::ResilienceLab;
use super::metrics::{Counts, TickPoint};
use super::sim::Sim;
use crate::lb::Percentiles;
use crate::lb::snapshot::sampled;

/// The most points of a run's series a snapshot lists (evenly sampled ticks).
pub const MAX_SERIES: usize = 200;

/// A tick counts as healthy when its success share is at least this share of the share
/// before the first fault.
pub const RECOVERED_SHARE: f64 = 0.9;

/// Did the system recover after the last fault (and spike) ended?
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Recovery {
    /// No fault or spike, or the run has not reached the end of the last one.
    NotJudged,
    /// Every tick from `after_ms` after the trigger ended to the end of the run was healthy.
    Recovered {
        /// How long after the trigger ended, in ms (0: at once).
        after_ms: f64,
    },
    /// Still unhealthy at the end of the run although the trigger is gone: metastable.
    NotRecovered,
}

impl Recovery {
    /// For people.
    pub fn label(&self) -> String {
        match self {
            Recovery::NotJudged => "—".to_owned(),
            Recovery::Recovered { after_ms } if *after_ms <= 0.0 => "recovered at once".to_owned(),
            Recovery::Recovered { after_ms } => {
                format!(
                    "recovered {} s after",
                    crate::format::trimmed(after_ms / 1e3, 2)
                )
            }
            Recovery::NotRecovered => "did not recover (metastable)".to_owned(),
        }
    }
}

/// One policy set's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSnapshot {
    /// The policy set's name ("Shown" for the configured one).
    pub label: String,
    /// How requests ended, and the chain's attempts and work.
    pub counts: Counts,
    /// Requests still in flight.
    pub in_flight: u64,
    /// Successful requests' latency percentiles, in ms.
    pub latency: Percentiles,
    /// Successes per request sent.
    pub goodput_share: f64,
    /// Attempts at each tier per client request (the deepest tier's is the amplification).
    pub amplification: [f64; 3],
    /// Share of service time spent on attempts whose caller had given up.
    pub wasted_share: f64,
    /// Times a breaker opened, over every link.
    pub breaker_opens: u32,
    /// The peak retries into A in any 10 ms window.
    pub peak_retries_10ms: u32,
    /// The verdict after the faults.
    pub recovery: Recovery,
    /// The cache in front of B, when it is on.
    pub cache: Option<CacheSnapshot>,
    /// The run's ticks, evenly sampled down to at most [`MAX_SERIES`].
    pub series: Vec<TickPoint>,
}

/// What the cache in front of B did in one run (its counts are in the run's `counts.cache`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheSnapshot {
    /// The stampede fix's id.
    pub fix: String,
    /// Recomputations per refresh of a key (1: no stampede).
    pub per_refresh: f64,
    /// The most recomputations in flight at B at once.
    pub peak_recomputing: u32,
    /// Share of reads answered at once with a fresh value.
    pub hit_ratio: f64,
    /// How long reads that were not answered at once waited for their value, in ms.
    pub waited: Percentiles,
    /// The most values whose freshness ended in one step.
    pub peak_expiries: u32,
}

/// Everything the lab reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResSnapshot {
    /// Simulated time, in ms.
    pub now_ms: f64,
    /// Steps taken.
    pub steps: u64,
    /// Steps of the whole run, the final drain included.
    pub total_steps: u64,
    /// Tiers in the chain.
    pub depth: usize,
    /// The shown run first, then the comparison ladder.
    pub runs: Vec<RunSnapshot>,
}

/// When the last fault or the spike ends, in ms, if there is one.
pub(crate) fn trigger_window(c: &super::config::ResConfig) -> Option<(f64, f64)> {
    let mut start = f64::INFINITY;
    let mut end: f64 = -1.0;
    for f in &c.faults {
        start = start.min(f64::from(f.at_ms));
        end = end.max(f.end_ms() as f64);
    }
    if c.spike_factor > 1.0 && c.spike_ms > 0 {
        start = start.min(f64::from(c.spike_at_ms));
        end = end.max(f64::from(c.spike_at_ms) + f64::from(c.spike_ms));
    }
    if c.herd > 0 {
        start = start.min(f64::from(c.herd_at_ms));
        end = end.max(f64::from(c.herd_at_ms));
    }
    (end >= 0.0).then_some((start, end))
}

/// The verdict on `series` (every tick so far) for a trigger from `start` to `end` ms: the
/// success share before the trigger is the baseline (1 if the trigger starts the run).
pub fn recovery(series: &[TickPoint], window: Option<(f64, f64)>, run_end_ms: f64) -> Recovery {
    let Some((start, end)) = window else {
        return Recovery::NotJudged;
    };
    let share = |p: &TickPoint| {
        let c = &p.counts;
        c.successes as f64 / c.generated.max(1) as f64
    };
    let before: Vec<&TickPoint> = series.iter().filter(|p| p.at_ms <= start).collect();
    let (ok, sent) = before.iter().fold((0u64, 0u64), |(a, b), p| {
        (a + p.counts.successes, b + p.counts.generated)
    });
    let baseline = if sent == 0 {
        1.0
    } else {
        ok as f64 / sent as f64
    };
    // Only ticks of the run proper (the drain's point is not a tick of traffic).
    let after: Vec<&TickPoint> = series
        .iter()
        .filter(|p| p.at_ms > end && p.at_ms <= run_end_ms && p.counts.generated > 0)
        .collect();
    if after.is_empty() {
        return Recovery::NotJudged;
    }
    let healthy = |p: &&TickPoint| share(p) >= RECOVERED_SHARE * baseline;
    if !healthy(after.last().expect("not empty")) {
        return Recovery::NotRecovered;
    }
    // The first tick from which every later tick is healthy.
    let first = after.iter().rposition(|p| !healthy(p)).map_or(0, |i| i + 1);
    let tick_start = |i: usize| {
        if i == 0 { end } else { after[i - 1].at_ms }
    };
    Recovery::Recovered {
        after_ms: (tick_start(first) - end).max(0.0),
    }
}

impl ResilienceLab {
    fn run_snapshot(&self, run: &Sim) -> RunSnapshot {
        let c = run.counts;
        let mut amplification = [0.0; 3];
        for (t, a) in amplification
            .iter_mut()
            .enumerate()
            .take(self.config.depth())
        {
            *a = c.amplification(t);
        }
        RunSnapshot {
            label: run.label.to_owned(),
            counts: c,
            in_flight: run.in_flight(),
            latency: run.hist.quantiles_ms(),
            goodput_share: c.successes as f64 / c.generated.max(1) as f64,
            amplification,
            wasted_share: c.wasted_share(),
            breaker_opens: run.breaker_opens(),
            peak_retries_10ms: run.retry_windows.iter().copied().max().unwrap_or(0),
            recovery: recovery(
                &run.series,
                trigger_window(&run.cfg),
                f64::from(self.config.duration_ms),
            ),
            cache: run.cache.as_ref().map(|k| CacheSnapshot {
                fix: k.spec.fix.id().to_owned(),
                per_refresh: k.counts.per_refresh(),
                peak_recomputing: k.peak,
                hit_ratio: k.counts.hit_ratio(),
                waited: k.waited.quantiles_ms(),
                peak_expiries: k.expiries.iter().copied().max().unwrap_or(0),
            }),
            series: sampled(&run.series, MAX_SERIES),
        }
    }

    /// Everything the lab shows, as numbers.
    pub fn snapshot(&self) -> ResSnapshot {
        ResSnapshot {
            now_ms: self.now as f64 / 1e6,
            steps: self.steps(),
            total_steps: self.total_steps(),
            depth: self.config.depth(),
            runs: self.runs.iter().map(|r| self.run_snapshot(r)).collect(),
        }
    }
}

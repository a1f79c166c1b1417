//! The cache's part of the resilience lab's view model: B's load from recomputations over
//! the run (each run with a cache on the same chart) and the table of fixes side by side:
//! recomputations per refresh, the most at B at once, hit ratio, stale answers and how long
//! the reads that waited waited.

use super::lab::ResilienceLab;
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, SeriesSpec, Unit};
use crate::format::{percent, thousands, trimmed};

/// One run's row of the cache table.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheRowView {
    /// The run ("Shown: No fix", or the compared fix).
    pub label: String,
    pub selected: bool,
    /// Recomputations started at B.
    pub recomputes: String,
    /// Recomputations per refresh of a key ("49.4"; 1 is no stampede).
    pub per_refresh: String,
    /// The most recomputations in flight at B at once.
    pub peak: String,
    /// Share of reads answered at once with a fresh value.
    pub hit_ratio: String,
    /// Expired values served (stale-while-revalidate).
    pub stale: String,
    /// Reads that waited for their value: how many, and their p50 and p99.
    pub waited: String,
    pub waited_p50: String,
    pub waited_p99: String,
}

impl ResilienceLab {
    /// Each run with a cache: its fix, recomputations per refresh and B's peak load.
    pub(super) fn cache_rows(&self) -> Vec<CacheRowView> {
        self.runs
            .iter()
            .enumerate()
            .filter_map(|(i, run)| {
                let cache = run.cache.as_ref()?;
                let c = cache.counts;
                let waits = c.lookups - c.hits - c.stale;
                let q = cache.waited.quantiles_ms();
                let ms = |v: f64| {
                    if waits == 0 {
                        "—".to_owned()
                    } else {
                        format!("{} ms", trimmed(v, 1))
                    }
                };
                Some(CacheRowView {
                    label: self.cache_label(i),
                    selected: i == 0,
                    recomputes: thousands(c.recomputes),
                    per_refresh: trimmed(c.per_refresh(), 2),
                    peak: thousands(u64::from(cache.peak)),
                    hit_ratio: percent(c.hit_ratio()),
                    stale: thousands(c.stale),
                    waited: thousands(waits),
                    waited_p50: ms(q.p50),
                    waited_p99: ms(q.p99),
                })
            })
            .collect()
    }

    /// Recomputations in flight at B (the most in each step), one series per run with a
    /// cache; `None` without one.
    pub(super) fn cache_chart(&self) -> Option<ChartView> {
        let cached: Vec<usize> = (0..self.runs.len())
            .filter(|&i| self.runs[i].cache.is_some())
            .collect();
        if cached.is_empty() {
            return None;
        }
        let legend = cached
            .iter()
            .map(|&i| LegendEntry {
                id: format!("cache{i}"),
                label: self.cache_label(i),
                value: None,
                color: i,
                emphasis: i == 0,
            })
            .collect();
        let series = cached
            .iter()
            .map(|&i| SeriesSpec {
                label: format!("{} recomputing", self.cache_label(i)),
                group: i,
                dash: Dash::Solid,
                points: self.points(i, |p| f64::from(p.recomputing)),
            })
            .collect();
        let chart = ChartView::new(
            self.time_axis(),
            AxisSpec::new("recomputations at B", Unit::Count),
            legend,
            series,
        );
        Some(self.annotate(chart))
    }

    fn cache_label(&self, i: usize) -> String {
        let run = &self.runs[i];
        match (&run.cache, i) {
            (Some(cache), 0) => format!("{}: {}", run.label, cache.spec.fix.short()),
            _ => run.label.to_owned(),
        }
    }
}

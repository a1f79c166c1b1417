//! The timing loop every benchmark shares: warm up, time rounds until the budget is spent, and
//! summarise the rounds by order statistics so one slow round (a GC pause in Node, a context
//! switch natively) does not move the result.

/// A clock in milliseconds from an arbitrary origin: `Instant` natively, `performance.now()` in
/// wasm. The library never reads a clock of its own, so the same code runs on both.
pub type Clock<'a> = &'a dyn Fn() -> f64;

/// One measured figure of a benchmark: (name, value, unit).
pub type Figure = (&'static str, f64, &'static str);

/// How long each benchmark runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    /// Untimed rounds run first for at least this long, so caches, branch predictors and the
    /// wasm engine's optimising tier are warm (at least one round always runs).
    pub warmup_ms: f64,
    /// Timed rounds run until at least this much time has passed.
    pub measure_ms: f64,
    /// The fewest timed rounds of any benchmark, however slow its rounds are.
    pub min_rounds: usize,
    /// The fewest timed frames of a benchmark that reports a percentile of single frames.
    pub min_frames: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            warmup_ms: 100.0,
            measure_ms: 300.0,
            min_rounds: 5,
            min_frames: 200,
        }
    }
}

/// A stop for a clock that does not advance (a broken `performance.now`), so a run ends anyway.
const MAX_ROUNDS: usize = 1_000_000;

/// Runs `round` untimed for `budget.warmup_ms`, then times rounds until `budget.measure_ms` have
/// passed and at least `min_rounds` rounds were taken. Returns every timed round in ms.
pub fn time_rounds(
    clock: Clock<'_>,
    budget: &Budget,
    min_rounds: usize,
    round: &mut dyn FnMut(),
) -> Vec<f64> {
    let start = clock();
    let mut warmups = 0;
    loop {
        round();
        warmups += 1;
        if clock() - start >= budget.warmup_ms || warmups >= MAX_ROUNDS {
            break;
        }
    }
    let mut rounds = Vec::new();
    let start = clock();
    let mut before = start;
    loop {
        round();
        let after = clock();
        rounds.push(after - before);
        before = after;
        let done = after - start >= budget.measure_ms && rounds.len() >= min_rounds;
        if done || rounds.len() >= MAX_ROUNDS {
            return rounds;
        }
    }
}

/// The median of `samples` (the mean of the middle two for an even count); NaN if empty.
pub fn median(samples: &[f64]) -> f64 {
    let sorted = sorted(samples);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The nearest-rank `q`-quantile of `samples` (`q` in 0..=1): the smallest sample that at least
/// a fraction `q` of the samples do not exceed. NaN if empty.
pub fn percentile(samples: &[f64], q: f64) -> f64 {
    let sorted = sorted(samples);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn sorted(samples: &[f64]) -> Vec<f64> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[track_caller]
    fn check_stats(samples: &[f64], expected_median: f64, expected_p95: f64) {
        assert_eq!(median(samples), expected_median);
        assert_eq!(percentile(samples, 0.95), expected_p95);
    }

    #[test]
    fn order_statistics() {
        check_stats(&[3.0], 3.0, 3.0);
        check_stats(&[4.0, 1.0, 3.0], 3.0, 4.0);
        check_stats(&[4.0, 1.0, 3.0, 2.0], 2.5, 4.0);
        let hundred: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        check_stats(&hundred, 50.5, 95.0);
        assert!(median(&[]).is_nan());
        assert!(percentile(&[], 0.5).is_nan());
    }

    #[test]
    fn rounds_fill_the_budget_after_warming_up() {
        // A fake clock: each round takes 2 ms.
        let now = Cell::new(0.0);
        let clock = || now.get();
        let mut calls = 0;
        let budget = Budget {
            warmup_ms: 10.0,
            measure_ms: 30.0,
            min_rounds: 5,
            min_frames: 200,
        };
        let rounds = time_rounds(&clock, &budget, budget.min_rounds, &mut || {
            calls += 1;
            now.set(now.get() + 2.0);
        });
        assert_eq!(rounds, vec![2.0; 15]);
        assert_eq!(calls, 5 + 15);
    }

    #[test]
    fn slow_rounds_still_reach_the_minimum_count() {
        let now = Cell::new(0.0);
        let clock = || now.get();
        let budget = Budget::default();
        let rounds = time_rounds(&clock, &budget, 200, &mut || now.set(now.get() + 50.0));
        assert_eq!(rounds.len(), 200);
    }
}

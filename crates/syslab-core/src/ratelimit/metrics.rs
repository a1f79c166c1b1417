//! Measurements of one run: outcome counts over time, the most requests admitted in any window,
//! queue waits, memory, and per-client fairness. The free functions are the exact reference
//! computations, usable on any list of times.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::decision::{Decision, Outcome};
use crate::time::Nanos;

/// Chart buckets per run.
pub const N_BUCKETS: u32 = 120;

/// The most requests among `times` (sorted ascending) that fall in any window `(t − window, t]`,
/// by a two-pointer sweep. Only windows ending on a time need checking: moving a window's end
/// forward to the next time never loses a request.
pub fn max_in_window(times: &[Nanos], window: Nanos) -> u32 {
    let mut start = 0;
    let mut best = 0;
    for (end, &at) in times.iter().enumerate() {
        while times[start].0 + window.0 <= at.0 {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best as u32
}

/// The nearest-rank `p`-th percentile (0 < p ≤ 100) of `values` (any order); 0 if empty.
pub fn percentile(values: &mut [u64], p: f64) -> u64 {
    if values.is_empty() {
        return 0;
    }
    let rank = libm::ceil(p / 100.0 * values.len() as f64).max(1.0) as usize;
    let idx = rank.min(values.len()) - 1;
    *values.select_nth_unstable(idx).1
}

/// Jain's fairness index of `xs`: (Σx)² / (n Σx²), 1 when all are equal, 1/n when one has all.
/// 1 for an empty list or all zeros.
pub fn jain(xs: &[f64]) -> f64 {
    let sum: f64 = xs.iter().sum();
    let squares: f64 = xs.iter().map(|x| x * x).sum();
    if squares > 0.0 {
        sum * sum / (xs.len() as f64 * squares)
    } else {
        1.0
    }
}

/// The max-min fair split of `total` among `demands`: every client gets its demand or an equal
/// share of what is left, whichever is less (water filling).
pub fn max_min_fair(demands: &[u64], total: u64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..demands.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| demands[i]);
    let mut fair = vec![0.0; demands.len()];
    let mut left = total as f64;
    for (pos, &i) in order.iter().enumerate() {
        let share = left / (demands.len() - pos) as f64;
        fair[i] = (demands[i] as f64).min(share);
        left -= fair[i];
    }
    fair
}

/// The most admitted requests of one key in any window, updated as requests are forwarded.
#[derive(Clone, Debug, Default)]
struct KeyWindow {
    recent: VecDeque<u64>,
}

/// Outcome counts of one chart bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Bucket {
    pub(crate) counts: [u32; 3],
    pub(crate) level: f64,
}

/// Everything measured about one algorithm's run, updated per decision and per step.
#[derive(Clone, Debug)]
pub(crate) struct RunMetrics {
    window: u64,
    bucket_width: u64,
    /// Allowed, delayed, rejected.
    pub(crate) counts: [u64; 3],
    pub(crate) buckets: Vec<Bucket>,
    /// The shown key's level at the end of each step.
    pub(crate) levels: Vec<f32>,
    /// Waits of delayed requests, in nanoseconds.
    pub(crate) waits: Vec<u64>,
    pub(crate) peak_words: u64,
    /// Per client: allowed, delayed, rejected.
    pub(crate) clients: Vec<[u32; 3]>,
    /// Forward times not reached yet, with their key.
    forward: BinaryHeap<Reverse<(u64, u32)>>,
    windows: Vec<KeyWindow>,
    pub(crate) max_in_window: u32,
    pub(crate) max_at: Nanos,
    pub(crate) max_key: u32,
}

impl RunMetrics {
    pub(crate) fn new(window: Nanos, duration: Nanos, n_clients: u32, n_keys: u32) -> Self {
        let bucket_width = duration.0.div_ceil(u64::from(N_BUCKETS)).max(1);
        Self {
            window: window.0,
            bucket_width,
            counts: [0; 3],
            buckets: vec![Bucket::default(); duration.0.div_ceil(bucket_width) as usize],
            levels: Vec::new(),
            waits: Vec::new(),
            peak_words: 0,
            clients: vec![[0; 3]; n_clients as usize],
            forward: BinaryHeap::new(),
            windows: vec![KeyWindow::default(); n_keys as usize],
            max_in_window: 0,
            max_at: Nanos::ZERO,
            max_key: 0,
        }
    }

    /// The width of a chart bucket.
    pub(crate) fn bucket_width(&self) -> Nanos {
        Nanos(self.bucket_width)
    }

    /// Records one decision; `words` is the memory the limiters hold after it.
    pub(crate) fn record(
        &mut self,
        at: Nanos,
        client: u32,
        key: u32,
        decision: Decision,
        words: u64,
    ) {
        let slot = match decision.outcome() {
            Outcome::Allowed => 0,
            Outcome::Delayed => 1,
            Outcome::Rejected => 2,
        };
        self.counts[slot] += 1;
        let bucket =
            ((at.0 / self.bucket_width) as usize).min(self.buckets.len().saturating_sub(1));
        if let Some(b) = self.buckets.get_mut(bucket) {
            b.counts[slot] += 1;
        }
        if let Some(c) = self.clients.get_mut(client as usize) {
            c[slot] += 1;
        }
        if let Decision::Delay { wait } = decision {
            self.waits.push(wait.0);
        }
        if slot < 2 {
            self.forward
                .push(Reverse((at.plus(decision.wait()).0, key)));
            self.advance(at);
        }
        self.peak_words = self.peak_words.max(words);
    }

    /// Counts the requests forwarded by `now` into their key's window.
    pub(crate) fn advance(&mut self, now: Nanos) {
        while let Some(&Reverse((at, key))) = self.forward.peek() {
            if at > now.0 {
                break;
            }
            self.forward.pop();
            let Some(w) = self.windows.get_mut(key as usize) else {
                continue;
            };
            while w.recent.front().is_some_and(|&t| t + self.window <= at) {
                w.recent.pop_front();
            }
            w.recent.push_back(at);
            let n = w.recent.len() as u32;
            if n > self.max_in_window {
                self.max_in_window = n;
                self.max_at = Nanos(at);
                self.max_key = key;
            }
        }
    }

    /// Records the shown key's level at the end of a step ending at `now`.
    pub(crate) fn sample_level(&mut self, now: Nanos, level: f64) {
        self.levels.push(level as f32);
        let bucket = (now.0.saturating_sub(1) / self.bucket_width) as usize;
        if let Some(b) = self.buckets.get_mut(bucket) {
            b.level = level;
        }
    }
}

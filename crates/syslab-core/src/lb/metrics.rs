//! What a run counts: outcomes, a latency histogram for percentiles, and the per-tick series.
//!
//! Latencies go into a log-linear histogram (32 buckets per power of two, so a percentile is
//! within about 3% of the true value) instead of a sorted list: recording is two increments and
//! the memory does not grow with the run.

use serde::{Deserialize, Serialize};

/// Sub-buckets per power of two.
const SUB_BITS: u32 = 5;
const SUB: usize = 1 << SUB_BITS;
/// Buckets of the histogram: values up to 2^64 ns.
const N_HIST: usize = (64 - SUB_BITS as usize + 1) * SUB;

/// A log-linear histogram of durations in nanoseconds.
#[derive(Clone, PartialEq)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: vec![0; N_HIST],
            total: 0,
        }
    }
}

#[inline]
fn bucket_of(v: u64) -> usize {
    if v < SUB as u64 {
        v as usize
    } else {
        let msb = 63 - v.leading_zeros();
        let shift = msb - SUB_BITS;
        ((shift + 1) as usize) * SUB + ((v >> shift) as usize & (SUB - 1))
    }
}

/// The middle of bucket `b`.
fn bucket_mid(b: usize) -> u64 {
    if b < SUB {
        b as u64
    } else {
        let shift = (b / SUB - 1) as u32;
        let low = ((SUB + b % SUB) as u64) << shift;
        low + ((1u64 << shift) >> 1)
    }
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The buckets are thousands of numbers; the summary is what a reader of a Debug wants.
        f.debug_struct("Histogram")
            .field("total", &self.total)
            .field("p50_ns", &self.percentile(50.0))
            .field("p99_ns", &self.percentile(99.0))
            .finish()
    }
}

impl Histogram {
    /// Counts one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.counts[bucket_of(v)] += 1;
        self.total += 1;
    }

    /// Counts one value in two histograms (the run's and the tick's) with one bucket lookup.
    #[inline]
    pub fn record_both(a: &mut Histogram, b: &mut Histogram, v: u64) {
        let bucket = bucket_of(v);
        a.counts[bucket] += 1;
        a.total += 1;
        b.counts[bucket] += 1;
        b.total += 1;
    }

    /// Values counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Forgets every value.
    pub fn clear(&mut self) {
        if self.total > 0 {
            self.counts.fill(0);
            self.total = 0;
        }
    }

    /// The `p`-th percentile (0 < p ≤ 100) by nearest rank, at its bucket's middle; 0 if empty.
    pub fn percentile(&self, p: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = (libm::ceil(p / 100.0 * self.total as f64) as u64).clamp(1, self.total);
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return bucket_mid(b);
            }
        }
        0
    }

    /// The share (0 to 1) of values at most `v`, counting a bucket in whole when its middle is
    /// at most `v` (so within a bucket's width, about 3%, of `v`); 0 if empty.
    pub fn share_at_most(&self, v: u64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let within: u64 = self
            .counts
            .iter()
            .enumerate()
            .take_while(|&(b, _)| bucket_mid(b) <= v)
            .map(|(_, &c)| c)
            .sum();
        within as f64 / self.total as f64
    }

    /// p50, p95, p99 and p99.9 in milliseconds.
    pub fn quantiles_ms(&self) -> Percentiles {
        let ms = |p| self.percentile(p) as f64 / 1e6;
        Percentiles {
            p50: ms(50.0),
            p95: ms(95.0),
            p99: ms(99.0),
            p999: ms(99.9),
        }
    }
}

/// Latency percentiles in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
}

/// How requests ended. Every generated request ends exactly once as a success, a timeout or a
/// rejection; until then it is in flight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Requests the clients sent.
    pub generated: u64,
    /// Answered successfully (possibly after retries).
    pub successes: u64,
    /// Given up on after the last attempt timed out.
    pub timeouts: u64,
    /// Refused (a full queue, no healthy server, a reset connection) on the last attempt.
    pub rejections: u64,
    /// Retries sent (attempts after the first); not requests.
    pub retries: u64,
}

impl Counts {
    /// Requests that have ended.
    pub fn ended(&self) -> u64 {
        self.successes + self.timeouts + self.rejections
    }

    /// Requests not ended yet.
    pub fn in_flight(&self) -> u64 {
        self.generated.saturating_sub(self.ended())
    }

    /// The change from `earlier` to `self`.
    pub fn since(&self, earlier: &Counts) -> Counts {
        Counts {
            generated: self.generated - earlier.generated,
            successes: self.successes - earlier.successes,
            timeouts: self.timeouts - earlier.timeouts,
            rejections: self.rejections - earlier.rejections,
            retries: self.retries - earlier.retries,
        }
    }
}

/// One tick of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TickPoint {
    /// End of the tick, in ms.
    pub at_ms: f64,
    /// Requests by outcome during the tick.
    pub counts: Counts,
    /// Successful requests per second during the tick.
    pub rps: f64,
    /// Mean latency of the tick's successes, in ms.
    pub mean_ms: f64,
    /// Latency percentiles of the tick's successes.
    pub latency: Percentiles,
}

/// One server at the end of a tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerSample {
    /// Requests in service.
    pub active: u32,
    /// Requests waiting.
    pub queued: u32,
    /// Share of its capacity busy during the tick, 0 to 1.
    pub utilisation: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotone_and_tight() {
        let mut last = 0;
        for v in (0..100_000u64).chain([1 << 40, u64::MAX / 3, u64::MAX]) {
            let b = bucket_of(v);
            assert!(b >= last && b < N_HIST, "{v}");
            last = b;
            let mid = bucket_mid(b) as f64;
            assert!((mid - v as f64).abs() <= v as f64 / 32.0 + 1.0, "{v} {mid}");
        }
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut h = Histogram::default();
        for v in 1..=1000u64 {
            h.record(v * 1_000_000);
        }
        let q = h.quantiles_ms();
        assert!((q.p50 - 500.0).abs() < 16.0, "{q:?}");
        assert!((q.p99 - 990.0).abs() < 31.0, "{q:?}");
    }

    #[test]
    fn share_at_most_counts_whole_buckets() {
        let mut h = Histogram::default();
        assert_eq!(h.share_at_most(1), 0.0);
        for v in 1..=1000u64 {
            h.record(v * 1_000_000);
        }
        assert!((h.share_at_most(250_000_000) - 0.25).abs() < 0.01);
        assert_eq!(h.share_at_most(2_000_000_000), 1.0);
        assert_eq!(h.share_at_most(0), 0.0);
    }
}

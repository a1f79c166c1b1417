//! The cache lab's numbers as plain data: what the CLI prints and the browser shows.

use serde::{Deserialize, Serialize};

use super::config::WriteStrategy;
use super::lab::CacheLab;
use super::metrics::{MrcPoint, N_POINTS, percentile};
use super::policy::PolicyKind;
use super::sim::SimCounts;
use super::trace::BadLine;

/// Read latency percentiles of the shown policy, in microseconds (nearest rank).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyStats {
    /// Median.
    pub p50_us: u32,
    /// 95th percentile.
    pub p95_us: u32,
    /// 99th percentile.
    pub p99_us: u32,
    /// Mean.
    pub mean_us: f64,
}

/// One policy on the identical stream (every request an access), for the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyRow {
    /// The policy.
    pub policy: PolicyKind,
    /// Requests replayed so far.
    pub requests: u64,
    /// Hits.
    pub hits: u64,
    /// Hits / requests.
    pub hit_ratio: f64,
    /// 1 − hit ratio.
    pub miss_ratio: f64,
    /// Bytes missed / bytes requested.
    pub byte_miss_ratio: f64,
    /// Entries evicted.
    pub evictions: u64,
    /// Hit ratio per time bucket so far (one value per bucket reached).
    pub series: Vec<f64>,
}

/// One policy's miss-ratio curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MrcCurve {
    /// The policy.
    pub policy: PolicyKind,
    /// Hit ratio at each size, smallest size first.
    pub points: Vec<MrcPoint>,
}

/// What a replayed trace held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceInfo {
    /// Requests.
    pub requests: u64,
    /// Distinct keys.
    pub keys: u64,
    /// Malformed lines skipped.
    pub skipped_lines: u64,
    /// The first skipped lines with their numbers.
    pub skipped: Vec<BadLine>,
}

/// Everything the cache lab measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheSnapshot {
    /// Requests handled so far.
    pub position: u32,
    /// Requests in the run.
    pub total: u32,
    /// Distinct keys in the stream.
    pub distinct_keys: u64,
    /// The shown policy.
    pub policy: PolicyKind,
    /// Cache size in objects.
    pub capacity: u32,
    /// The write strategy.
    pub write: WriteStrategy,
    /// Whether the database is up.
    pub db_up: bool,
    /// Entries cached now.
    pub cached: u32,
    /// The shown policy's counters under the write strategy.
    pub counts: SimCounts,
    /// Reads served by the cache / reads.
    pub read_hit_ratio: f64,
    /// Bytes of reads missed / bytes read.
    pub byte_miss_ratio: f64,
    /// (Database reads + writes) / requests.
    pub db_load: f64,
    /// Read latencies.
    pub latency: LatencyStats,
    /// Latencies of acknowledged writes.
    pub write_latency: LatencyStats,
    /// Database operations per time bucket so far.
    pub db_ops_series: Vec<u32>,
    /// Every policy on the identical stream, the shown one first.
    pub rows: Vec<PolicyRow>,
    /// The miss-ratio curves computed so far (all of them after a whole run).
    pub mrc: Vec<MrcCurve>,
    /// Whether every miss-ratio curve is complete.
    pub mrc_done: bool,
    /// The replayed trace, if any.
    pub trace: Option<TraceInfo>,
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

impl CacheLab {
    /// The lab's numbers now.
    pub fn snapshot(&self) -> CacheSnapshot {
        let c = &self.sim.counts;
        let total = self.stream.len() as u32;
        let reached = super::metrics::bucket_of(self.next, total).min(N_POINTS as usize);
        let reached = if self.finished() {
            N_POINTS as usize
        } else {
            reached
        };
        let stats = |lat: &std::collections::BTreeMap<u32, u64>| {
            let (sum, n) = lat.iter().fold((0u64, 0u64), |(s, n), (&us, &k)| {
                (s + u64::from(us) * k, n + k)
            });
            LatencyStats {
                p50_us: percentile(lat, 50.0),
                p95_us: percentile(lat, 95.0),
                p99_us: percentile(lat, 99.0),
                mean_us: ratio(sum, n),
            }
        };
        let rows = self
            .runs
            .iter()
            .map(|run| PolicyRow {
                policy: run.kind,
                requests: run.requests,
                hits: run.hits,
                hit_ratio: ratio(run.hits, run.requests),
                miss_ratio: 1.0 - ratio(run.hits, run.requests),
                byte_miss_ratio: 1.0 - ratio(run.hit_bytes, run.bytes),
                evictions: run.evictions,
                series: run.buckets[..reached]
                    .iter()
                    .map(|&(r, h)| ratio(u64::from(h), u64::from(r)))
                    .collect(),
            })
            .collect();
        CacheSnapshot {
            position: self.next,
            total,
            distinct_keys: self.distinct,
            policy: self.config.policy,
            capacity: self.config.capacity,
            write: self.config.write,
            db_up: self.sim.db_up(),
            cached: self.sim.policy.table().len(),
            counts: c.clone(),
            read_hit_ratio: ratio(c.hits, c.reads),
            byte_miss_ratio: ratio(c.miss_bytes, c.read_bytes),
            db_load: ratio(c.db_reads + c.db_writes, c.requests),
            latency: stats(&self.sim.latencies),
            write_latency: stats(&self.sim.write_latencies),
            db_ops_series: self.sim_buckets[..reached]
                .iter()
                .map(|b| b.db_ops)
                .collect(),
            rows,
            mrc: self
                .mrc
                .curves(self.stream.len())
                .into_iter()
                .map(|(policy, points)| MrcCurve { policy, points })
                .collect(),
            mrc_done: self.mrc.done(),
            trace: self.stream.trace.as_ref().map(|t| TraceInfo {
                requests: t.len() as u64,
                keys: t.n_keys(),
                skipped_lines: t.n_skipped,
                skipped: t.skipped.clone(),
            }),
        }
    }
}

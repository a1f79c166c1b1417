//! The rate-limiter lab's numbers as plain data: what the CLI prints and the browser shows.

use serde::{Deserialize, Serialize};

use super::kind::AlgorithmKind;
use super::lab::{RateLimitLab, Response, Run};
use super::metrics::{jain, max_min_fair};
use crate::time::Nanos;

/// The most clients a snapshot lists one by one (the first ones by number).
pub const MAX_LISTED_CLIENTS: usize = 50;

/// Requests per outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCounts {
    /// Forwarded at once.
    pub allowed: u64,
    /// Queued, then forwarded.
    pub delayed: u64,
    /// Refused with 429.
    pub rejected: u64,
}

impl OutcomeCounts {
    /// All decided requests.
    pub fn total(&self) -> u64 {
        self.allowed + self.delayed + self.rejected
    }

    /// Allowed and delayed: the requests that reach the service.
    pub fn admitted(&self) -> u64 {
        self.allowed + self.delayed
    }
}

/// Time admitted requests waited in the queue (zero for requests allowed at once), by nearest rank.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitStats {
    /// Median.
    pub p50: Nanos,
    /// 95th percentile.
    pub p95: Nanos,
    /// 99th percentile.
    pub p99: Nanos,
    /// Longest.
    pub max: Nanos,
    /// Mean, in milliseconds.
    pub mean_ms: f64,
}

/// One client's share.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    /// The client.
    pub client: u32,
    /// The limiter key it is counted under.
    pub key: u32,
    /// Its requests by outcome.
    pub counts: OutcomeCounts,
    /// Its fraction of all admitted requests.
    pub share: f64,
    /// Its max-min fair fraction of the admitted requests, given every client's demand.
    pub fair_share: f64,
}

/// A chart bucket of the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// Start of the bucket.
    pub start: Nanos,
    /// Requests arriving in it, by outcome.
    pub counts: OutcomeCounts,
    /// Admitted (allowed or delayed) requests per second.
    pub admitted_per_sec: f64,
    /// Rejected requests per second.
    pub rejected_per_sec: f64,
    /// The level of client 0's key at the end of the bucket.
    pub level: f64,
}

/// One algorithm's run: a row of the comparison table and its charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSnapshot {
    /// The algorithm.
    pub algorithm: AlgorithmKind,
    /// Requests decided so far, by outcome.
    pub counts: OutcomeCounts,
    /// Admitted over decided requests.
    pub admitted_fraction: f64,
    /// The most requests of one key forwarded in any window of the limit's length.
    pub max_in_window: u32,
    /// `max_in_window` over the limit: above 1 the limit was exceeded (2 for the fixed window's boundary burst).
    pub max_over_limit: f64,
    /// When that window ended.
    pub max_window_end: Nanos,
    /// The key it belongs to.
    pub max_window_key: u32,
    /// Queue waits of admitted requests.
    pub waits: WaitStats,
    /// Latency the store adds to every decision (a round trip, or nothing for local counters).
    pub store_latency: Nanos,
    /// Numbers the limiters hold now: counters, timestamps, log entries.
    pub memory_words: u64,
    /// The most they held at any time.
    pub peak_memory_words: u64,
    /// Jain's index of admitted over max-min fair shares per client: 1 when every client got its fair share.
    pub fairness: f64,
    /// The first clients' shares.
    pub clients: Vec<ClientRow>,
    /// Outcomes over time, up to now.
    pub series: Vec<SeriesPoint>,
    /// The level of client 0's key now.
    pub level: f64,
    /// The level's maximum.
    pub level_max: u32,
    /// What the level counts.
    pub level_label: String,
    /// The last decision and its headers.
    pub last: Option<Response>,
}

/// Everything the rate-limiter lab shows, as numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateLimitSnapshot {
    /// Simulated time now.
    pub now: Nanos,
    /// Length of the run.
    pub duration: Nanos,
    /// Whether the run is over.
    pub finished: bool,
    /// Requests in the whole run.
    pub arrivals: u64,
    /// Requests decided so far.
    pub decided: u64,
    /// Clients sending them.
    pub clients: u32,
    /// Distinct limiter keys.
    pub keys: u32,
    /// One per algorithm, the shown one first.
    pub runs: Vec<RunSnapshot>,
}

impl RateLimitLab {
    /// Everything the lab shows, as numbers.
    pub fn snapshot(&self) -> RateLimitSnapshot {
        RateLimitSnapshot {
            now: self.now,
            duration: self.config.duration(),
            finished: self.finished(),
            arrivals: self.arrivals.len() as u64,
            decided: self.next as u64,
            clients: self.config.traffic.n_clients(),
            keys: self.config.n_keys(),
            runs: self.runs.iter().map(|run| self.run_snapshot(run)).collect(),
        }
    }

    fn run_snapshot(&self, run: &Run) -> RunSnapshot {
        let m = &run.metrics;
        let counts = OutcomeCounts {
            allowed: m.counts[0],
            delayed: m.counts[1],
            rejected: m.counts[2],
        };
        let params = *run.cluster.params();
        let width = m.bucket_width();
        let per_sec = |n: u64| n as f64 / width.secs_f64();
        let series = m
            .buckets
            .iter()
            .enumerate()
            .take_while(|(i, _)| (*i as u64) * width.0 < self.now.0)
            .map(|(i, b)| {
                let c = counts_of(&b.counts);
                SeriesPoint {
                    start: Nanos(i as u64 * width.0),
                    counts: c,
                    admitted_per_sec: per_sec(c.admitted()),
                    rejected_per_sec: per_sec(c.rejected),
                    level: b.level,
                }
            })
            .collect();
        let (fairness, clients) = self.fairness(run);
        RunSnapshot {
            algorithm: run.kind,
            counts,
            admitted_fraction: counts.admitted() as f64 / counts.total().max(1) as f64,
            max_in_window: m.max_in_window,
            max_over_limit: f64::from(m.max_in_window) / f64::from(self.config.limit),
            max_window_end: m.max_at,
            max_window_key: m.max_key,
            waits: self.waits(run),
            store_latency: self.config.cluster.added_latency(),
            memory_words: run.cluster.memory_words(),
            peak_memory_words: m.peak_words,
            fairness,
            clients,
            series,
            level: run.cluster.level(0, self.now),
            level_max: params.level_max(),
            level_label: run.kind.level_label().to_owned(),
            last: run.last,
        }
    }

    fn waits(&self, run: &Run) -> WaitStats {
        let m = &run.metrics;
        let allowed = m.counts[0];
        let admitted = allowed + m.counts[1];
        if m.waits.is_empty() {
            return WaitStats::default();
        }
        let mut waits = m.waits.clone();
        // Requests allowed at once waited zero: the p-th percentile of all admitted requests is
        // zero up to that rank, and a delayed request's wait after it.
        let mut rank = |p: f64| {
            let rank = libm::ceil(p / 100.0 * admitted as f64) as u64;
            if rank <= allowed {
                Nanos::ZERO
            } else {
                let idx = ((rank - allowed - 1) as usize).min(waits.len() - 1);
                Nanos(*waits.select_nth_unstable(idx).1)
            }
        };
        let (p50, p95, p99) = (rank(50.0), rank(95.0), rank(99.0));
        let total: u64 = m.waits.iter().sum();
        WaitStats {
            p50,
            p95,
            p99,
            max: Nanos(m.waits.iter().copied().max().unwrap_or(0)),
            mean_ms: total as f64 / admitted.max(1) as f64 / Nanos::MS as f64,
        }
    }

    fn fairness(&self, run: &Run) -> (f64, Vec<ClientRow>) {
        let clients = &run.metrics.clients;
        let demands: Vec<u64> = clients
            .iter()
            .map(|c| u64::from(c[0] + c[1] + c[2]))
            .collect();
        let admitted: Vec<u64> = clients.iter().map(|c| u64::from(c[0] + c[1])).collect();
        let total: u64 = admitted.iter().sum();
        let fair = max_min_fair(&demands, total);
        let ratios: Vec<f64> = admitted
            .iter()
            .zip(&fair)
            .filter(|&(_, &f)| f > 0.0)
            .map(|(&a, &f)| a as f64 / f)
            .collect();
        let denom = total.max(1) as f64;
        let rows = clients
            .iter()
            .enumerate()
            .take(MAX_LISTED_CLIENTS)
            .map(|(idx, c)| ClientRow {
                client: idx as u32,
                key: self.config.key_of(idx as u32),
                counts: counts_of(c),
                share: admitted[idx] as f64 / denom,
                fair_share: fair[idx] / denom,
            })
            .collect();
        (jain(&ratios), rows)
    }
}

fn counts_of(c: &[u32; 3]) -> OutcomeCounts {
    OutcomeCounts {
        allowed: u64::from(c[0]),
        delayed: u64::from(c[1]),
        rejected: u64::from(c[2]),
    }
}

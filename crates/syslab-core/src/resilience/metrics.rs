//! What a resilience run counts: how client requests ended, attempts per tier (retries and
//! hedges among them), work and wasted work, and the per-tick series. Latencies use the load
//! balancer's log-linear [`Histogram`](crate::lb::Histogram).

use serde::{Deserialize, Serialize};

use super::cache::CacheCounts;
use super::policy::BreakerState;
use crate::lb::Percentiles;

/// How client requests ended, and what the chain did for them. Every generated request ends
/// exactly once: a success, an error, a timeout, shed, refused by a breaker or throttled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Requests the clients sent.
    pub generated: u64,
    /// Answered correctly within the deadline (goodput).
    pub successes: u64,
    /// Answered with an error after every retry.
    pub errors: u64,
    /// Given up on: the deadline passed, or the last attempt timed out.
    pub timeouts: u64,
    /// Refused by a full queue or a tier that is down on the last attempt.
    pub shed: u64,
    /// Refused at once by an open circuit breaker.
    pub broken: u64,
    /// Rejected locally by adaptive throttling.
    pub throttled: u64,
    /// Attempts sent to each tier (A, B, C), retries and hedges included.
    pub attempts: [u64; 3],
    /// Of those, retries.
    pub retries: [u64; 3],
    /// Of those, hedges.
    pub hedges: [u64; 3],
    /// Attempts each tier refused at once (down or queue full).
    pub refused: [u64; 3],
    /// Attempts a tier dropped unserved because their deadline had passed (propagation).
    pub dropped: [u64; 3],
    /// Service time spent, in ns, per tier.
    pub work_ns: [u64; 3],
    /// Service time spent on attempts whose caller had already given up, in ns, per tier.
    pub wasted_ns: [u64; 3],
    /// What the cache in front of B did (all zero without one).
    pub cache: CacheCounts,
}

impl Counts {
    /// Requests that have ended.
    pub fn ended(&self) -> u64 {
        self.successes + self.errors + self.timeouts + self.shed + self.broken + self.throttled
    }

    /// The change from `earlier` to `self`.
    pub fn since(&self, earlier: &Counts) -> Counts {
        let d = |a: [u64; 3], b: [u64; 3]| [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
        Counts {
            generated: self.generated - earlier.generated,
            successes: self.successes - earlier.successes,
            errors: self.errors - earlier.errors,
            timeouts: self.timeouts - earlier.timeouts,
            shed: self.shed - earlier.shed,
            broken: self.broken - earlier.broken,
            throttled: self.throttled - earlier.throttled,
            attempts: d(self.attempts, earlier.attempts),
            retries: d(self.retries, earlier.retries),
            hedges: d(self.hedges, earlier.hedges),
            refused: d(self.refused, earlier.refused),
            dropped: d(self.dropped, earlier.dropped),
            work_ns: d(self.work_ns, earlier.work_ns),
            wasted_ns: d(self.wasted_ns, earlier.wasted_ns),
            cache: self.cache.since(&earlier.cache),
        }
    }

    /// Attempts at tier `tier` per client request.
    pub fn amplification(&self, tier: usize) -> f64 {
        self.attempts[tier] as f64 / self.generated.max(1) as f64
    }

    /// Share of all service time that was wasted.
    pub fn wasted_share(&self) -> f64 {
        let work: u64 = self.work_ns.iter().sum();
        let wasted: u64 = self.wasted_ns.iter().sum();
        wasted as f64 / work.max(1) as f64
    }
}

/// One tick of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TickPoint {
    /// End of the tick, in ms.
    pub at_ms: f64,
    /// What happened during the tick.
    pub counts: Counts,
    /// Requests sent per second during the tick (offered load).
    pub offered: f64,
    /// Successful requests per second during the tick (goodput).
    pub goodput: f64,
    /// Mean latency of the tick's successes, in ms.
    pub mean_ms: f64,
    /// Latency percentiles of the tick's successes.
    pub latency: Percentiles,
    /// Share of each tier's slots held during the tick.
    pub utilisation: [f32; 3],
    /// Requests waiting in each tier's queue at the tick's end.
    pub queued: [u32; 3],
    /// The breaker on the calls into each tier at the tick's end (closed where there is none).
    pub breaker: [BreakerState; 3],
    /// The most recomputations in flight at B at once during the tick (the cache's load).
    pub recomputing: u32,
}

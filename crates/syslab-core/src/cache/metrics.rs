//! Measurements: each compared policy replaying the stream (hits over time, object and byte hit
//! ratios), latency percentiles, and the miss-ratio curve, computed in slices.

use std::collections::BTreeMap;

use super::policy::{Policy, PolicyKind};

/// Points of every time series (the run is cut into this many equal buckets).
pub const N_POINTS: u32 = 100;
/// Cache sizes of the miss-ratio curve, as fractions of the distinct keys in the stream.
pub const MRC_FRACTIONS: [f64; 8] = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

/// The bucket of request `pos` in a run of `total` requests.
pub fn bucket_of(pos: u32, total: u32) -> usize {
    (u64::from(pos) * u64::from(N_POINTS) / u64::from(total.max(1))) as usize
}

/// One policy replaying the request stream (every request, read or write, is an access), for
/// the comparison table and the hit-ratio chart.
#[derive(Clone, Debug)]
pub struct CompareRun {
    /// The policy.
    pub kind: PolicyKind,
    pub(crate) policy: Policy,
    /// Requests replayed.
    pub requests: u64,
    /// Hits.
    pub hits: u64,
    /// Bytes requested.
    pub bytes: u64,
    /// Bytes of hits.
    pub hit_bytes: u64,
    /// Evictions.
    pub evictions: u64,
    /// Requests and hits per bucket.
    pub buckets: Vec<(u32, u32)>,
}

impl CompareRun {
    /// A run of `kind` with `capacity` slots over `keys`.
    pub fn new(kind: PolicyKind, capacity: u32, seed: u64, keys: &[u64]) -> Self {
        Self {
            kind,
            policy: Policy::new(kind, capacity, seed, keys),
            requests: 0,
            hits: 0,
            bytes: 0,
            hit_bytes: 0,
            evictions: 0,
            buckets: vec![(0, 0); N_POINTS as usize],
        }
    }

    /// Replays request `pos`.
    #[inline]
    pub fn access(&mut self, pos: u32, key: u64, size: u32, total: u32) {
        let access = self.policy.access(key, pos);
        self.requests += 1;
        self.bytes += u64::from(size);
        self.evictions += u64::from(access.evicted.is_some());
        let bucket = &mut self.buckets[bucket_of(pos, total).min(N_POINTS as usize - 1)];
        bucket.0 += 1;
        if access.hit {
            self.hits += 1;
            self.hit_bytes += u64::from(size);
            bucket.1 += 1;
        }
    }
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of a latency histogram (µs → count); 0 if empty.
pub fn percentile(histogram: &BTreeMap<u32, u64>, p: f64) -> u32 {
    let total: u64 = histogram.values().sum();
    if total == 0 {
        return 0;
    }
    let rank = (libm::ceil(p / 100.0 * total as f64) as u64).clamp(1, total);
    let mut seen = 0;
    for (&us, &count) in histogram {
        seen += count;
        if seen >= rank {
            return us;
        }
    }
    0
}

/// The miss-ratio curve of several policies, one (policy, size) replay after the other, so the
/// browser can compute it a slice at a time ([`MrcBuilder::advance`]) and hold one cache at once.
#[derive(Clone, Debug)]
pub struct MrcBuilder {
    kinds: Vec<PolicyKind>,
    sizes: Vec<u32>,
    seed: u64,
    /// Hits per (policy, size), policy-major.
    hits: Vec<u64>,
    job: usize,
    pos: usize,
    current: Option<Policy>,
}

/// One point of a miss-ratio curve.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MrcPoint {
    /// Cache size in objects.
    pub size: u32,
    /// Hit ratio at that size, 0 to 1.
    pub hit_ratio: f64,
}

impl MrcBuilder {
    /// A builder for `kinds` at the sizes [`MRC_FRACTIONS`] of `distinct` keys.
    pub fn new(kinds: &[PolicyKind], distinct: u64, seed: u64) -> Self {
        let mut sizes: Vec<u32> = MRC_FRACTIONS
            .iter()
            .map(|f| (libm::round(distinct as f64 * f) as u64).clamp(1, 1_000_000) as u32)
            .collect();
        sizes.dedup();
        Self {
            kinds: kinds.to_vec(),
            hits: vec![0; kinds.len() * sizes.len()],
            sizes,
            seed,
            job: 0,
            pos: 0,
            current: None,
        }
    }

    /// The sizes of the curve.
    pub fn sizes(&self) -> &[u32] {
        &self.sizes
    }

    /// Whether every point is computed.
    pub fn done(&self) -> bool {
        self.job >= self.hits.len()
    }

    /// The fraction of the work done, 0 to 1.
    pub fn progress(&self, stream_len: usize) -> f64 {
        let total = (self.hits.len() * stream_len.max(1)) as f64;
        (self.job * stream_len.max(1) + self.pos) as f64 / total
    }

    /// Replays up to `budget` requests of `keys` (the same stream every call), returning whether
    /// the curve is complete.
    pub fn advance(&mut self, keys: &[u64], mut budget: usize) -> bool {
        while !self.done() && budget > 0 {
            let n_sizes = self.sizes.len();
            let (kind, size) = (
                self.kinds[self.job / n_sizes],
                self.sizes[self.job % n_sizes],
            );
            let policy = self
                .current
                .get_or_insert_with(|| Policy::new(kind, size, self.seed, keys));
            let end = keys.len().min(self.pos + budget);
            let mut hits = 0;
            for (pos, &key) in keys.iter().enumerate().take(end).skip(self.pos) {
                hits += u64::from(policy.access(key, pos as u32).hit);
            }
            self.hits[self.job] += hits;
            budget -= end - self.pos;
            self.pos = end;
            if self.pos >= keys.len() {
                self.job += 1;
                self.pos = 0;
                self.current = None;
            }
        }
        self.done()
    }

    /// The finished points of each policy (a policy's curve appears once all its sizes are done).
    pub fn curves(&self, stream_len: usize) -> Vec<(PolicyKind, Vec<MrcPoint>)> {
        let n_sizes = self.sizes.len();
        self.kinds
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + 1) * n_sizes <= self.job)
            .map(|(i, &kind)| {
                let points = self
                    .sizes
                    .iter()
                    .enumerate()
                    .map(|(j, &size)| MrcPoint {
                        size,
                        hit_ratio: self.hits[i * n_sizes + j] as f64 / stream_len.max(1) as f64,
                    })
                    .collect();
                (kind, points)
            })
            .collect()
    }
}

//! The balancing algorithms: which server gets the next request, given what the balancer knows
//! (requests in flight per server, observed latencies, weights, the request's hash key).
//!
//! [`Balancer`] is plain data with no knowledge of the simulation around it: the simulation
//! calls [`Balancer::pick`] for every attempt, [`Balancer::on_dispatch`] when it sends it and
//! [`Balancer::on_done`] when the attempt ends. The balls-into-bins and SWRR tests drive the
//! very same code.

use serde::{Deserialize, Serialize};

use crate::ring::TokenTable;
use crate::ring::strategies::bounded_capacity;
use crate::rng::{SplitMix64, mix64};

/// Ring tokens per unit of server weight, for the consistent-hash algorithm.
pub const VNODES_PER_WEIGHT: u32 = 10;

/// A load-balancing algorithm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Each server in turn.
    #[default]
    RoundRobin,
    /// Smooth weighted round robin, as nginx does it: in turn, in proportion to weight, with
    /// the heavy server's turns spread out rather than bunched.
    WeightedRoundRobin,
    /// A hash of the client's address (or, at L7, of its `X-User` header) picks the server.
    IpHash,
    /// A uniformly random server.
    Random,
    /// The server with the fewest requests in flight.
    LeastConnections,
    /// The fewest requests in flight per unit of weight.
    WeightedLeastConnections,
    /// The lowest (requests in flight + 1) × smoothed time to first byte.
    LeastResponseTime,
    /// Two random servers; the one with fewer requests in flight.
    PowerOfTwo,
    /// Two random servers; the lower peak-EWMA latency × (requests in flight + 1), as Finagle
    /// and Linkerd do it.
    PeakEwma,
    /// Consistent hashing on the ring, skipping servers above (1 + ε) × the mean load.
    RingBounded,
}

impl Algorithm {
    /// Every algorithm, in menu order.
    pub const ALL: [Algorithm; 10] = [
        Algorithm::RoundRobin,
        Algorithm::WeightedRoundRobin,
        Algorithm::IpHash,
        Algorithm::Random,
        Algorithm::LeastConnections,
        Algorithm::WeightedLeastConnections,
        Algorithm::LeastResponseTime,
        Algorithm::PowerOfTwo,
        Algorithm::PeakEwma,
        Algorithm::RingBounded,
    ];

    /// Every algorithm's id in links and JSON and its name for people, in menu order (the
    /// order of [`Algorithm::ALL`]).
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "round_robin",
            label: "Round robin",
        },
        crate::schema::Choice {
            id: "weighted_round_robin",
            label: "Smooth weighted round robin",
        },
        crate::schema::Choice {
            id: "ip_hash",
            label: "IP hash",
        },
        crate::schema::Choice {
            id: "random",
            label: "Random",
        },
        crate::schema::Choice {
            id: "least_connections",
            label: "Least connections",
        },
        crate::schema::Choice {
            id: "weighted_least_connections",
            label: "Weighted least connections",
        },
        crate::schema::Choice {
            id: "least_response_time",
            label: "Least response time",
        },
        crate::schema::Choice {
            id: "power_of_two",
            label: "Power of two choices",
        },
        crate::schema::Choice {
            id: "peak_ewma",
            label: "Peak EWMA",
        },
        crate::schema::Choice {
            id: "ring_bounded",
            label: "Consistent hash, bounded loads",
        },
    ];

    /// The identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The algorithm with identifier `id`.
    pub fn from_id(id: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.id() == id)
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }
}

/// The servers a request may go to: healthy ones, of the request's L7 pool.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pool {
    /// Which pool this is (0 or 1 at L7): round robin keeps one position per pool.
    id: u8,
    members: Vec<u32>,
    mask: Vec<bool>,
    weight_sum: u64,
}

impl Pool {
    /// Pool number `id` (0 or 1) of `members` (server indices below `n_servers`, in increasing
    /// order) whose weights are `weights[member]`.
    pub fn new(id: u8, n_servers: usize, members: Vec<u32>, weights: &[u32]) -> Self {
        let mut mask = vec![false; n_servers];
        let mut weight_sum = 0u64;
        for &m in &members {
            mask[m as usize] = true;
            weight_sum += u64::from(weights.get(m as usize).copied().unwrap_or(1));
        }
        Self {
            id: id.min(1),
            members,
            mask,
            weight_sum,
        }
    }

    /// Every one of `n_servers` servers, weight 1 each.
    pub fn all(n_servers: usize) -> Self {
        Self {
            id: 0,
            members: (0..n_servers as u32).collect(),
            mask: vec![true; n_servers],
            weight_sum: n_servers as u64,
        }
    }

    /// The members, in increasing order.
    pub fn members(&self) -> &[u32] {
        &self.members
    }

    /// Whether the pool has no server.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// A uniform integer in `0..bound` from the top 32 bits of one draw (multiply-shift). A 64-bit
/// product, where `SplitMix64::below` needs a 128-bit one, which wasm does not have (it calls
/// `__multi3`); the bias, under bound / 2³², does not matter for server or client counts.
#[inline]
pub(crate) fn below32(rng: &mut SplitMix64, bound: u32) -> u32 {
    (((rng.next_u64() >> 32) * u64::from(bound)) >> 32) as u32
}

/// A uniformly random member of `members` (which must not be empty).
#[inline]
pub fn random_choice(members: &[u32], rng: &mut SplitMix64) -> u32 {
    members[below32(rng, members.len() as u32) as usize]
}

/// Two distinct random members (one if there is only one); returns them in draw order.
#[inline]
fn two_members(members: &[u32], rng: &mut SplitMix64) -> (u32, u32) {
    let n = members.len() as u32;
    if n < 2 {
        return (members[0], members[0]);
    }
    let a = below32(rng, n);
    // Draw from the other n − 1 and skip over `a`: two distinct, each pair equally likely.
    let mut b = below32(rng, n - 1);
    if b >= a {
        b += 1;
    }
    (members[a as usize], members[b as usize])
}

/// The power of two random choices: two distinct random members, the one with the lower
/// `load` (the first drawn on a tie). `members` must not be empty.
#[inline]
pub fn two_choices(members: &[u32], load: &[u32], rng: &mut SplitMix64) -> u32 {
    let (a, b) = two_members(members, rng);
    if load[b as usize] < load[a as usize] {
        b
    } else {
        a
    }
}

/// The member with the lowest `load`, scanning from a rotating start so ties spread.
#[inline]
fn scan(cursor: &mut usize, members: &[u32], load: impl Fn(u32) -> u32) -> u32 {
    let n = members.len();
    let start = *cursor % n;
    *cursor = cursor.wrapping_add(1);
    let mut best = members[start];
    let mut best_load = load(best);
    for &m in members[start + 1..].iter().chain(&members[..start]) {
        let l = load(m);
        if l < best_load {
            best_load = l;
            best = m;
        }
    }
    best
}

/// Peak EWMA's latency estimate of one server (Finagle's `PeakEwma`): a latency above the
/// estimate replaces it at once (the peak), one below it is blended in with a weight that
/// grows with the time since the last observation, and reading decays it towards zero, so a
/// server that has been avoided for a while gets tried again.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct PeakEwma {
    cost: f64,
    stamp: u64,
}

impl PeakEwma {
    #[inline]
    fn observe(&mut self, rtt: f64, now: u64, decay_ns: f64) {
        let elapsed = now.saturating_sub(self.stamp) as f64;
        self.stamp = self.stamp.max(now);
        if rtt > self.cost {
            self.cost = rtt;
        } else {
            let w = libm::exp(-elapsed / decay_ns);
            self.cost = self.cost * w + rtt * (1.0 - w);
        }
    }
}

/// What a server costs under peak EWMA: the estimate × (in flight + 1), or, before any
/// response, a large penalty so an untried server with requests in flight is not flooded.
#[inline]
fn ewma_score(cost: f64, pending: u32) -> f64 {
    const PENALTY: f64 = 1e12;
    if cost == 0.0 && pending > 0 {
        PENALTY + f64::from(pending)
    } else {
        cost * (f64::from(pending) + 1.0)
    }
}

/// Tuning of the algorithms that have any.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BalancerParams {
    /// Peak EWMA's decay time in nanoseconds.
    pub decay_ns: f64,
    /// Bounded loads' ε.
    pub epsilon: f64,
    /// Ring tokens per unit of weight.
    pub vnodes_per_weight: u32,
    /// Seed of the ring's tokens.
    pub ring_seed: u64,
}

impl Default for BalancerParams {
    fn default() -> Self {
        Self {
            decay_ns: 1e9,
            epsilon: 0.25,
            vnodes_per_weight: VNODES_PER_WEIGHT,
            ring_seed: 1,
        }
    }
}

/// One balancer: an algorithm and everything it remembers.
#[derive(Clone, Debug)]
pub struct Balancer {
    algorithm: Algorithm,
    params: BalancerParams,
    rng: SplitMix64,
    weights: Vec<u32>,
    outstanding: Vec<u32>,
    total_outstanding: u64,
    /// Round robin's next position per pool, also the rotating tie-break of the scanning
    /// algorithms.
    cursor: [usize; 2],
    /// Smooth weighted round robin's current weights.
    current: Vec<i64>,
    /// Least response time's smoothed time to first byte per server, in ns.
    ttfb: Vec<f64>,
    ewma: Vec<PeakEwma>,
    ring: Option<TokenTable>,
}

impl Balancer {
    /// A balancer for servers of `weights` (each at least 1), seeded by `seed`.
    pub fn new(algorithm: Algorithm, weights: &[u32], params: BalancerParams, seed: u64) -> Self {
        let n = weights.len();
        let per_server = |on: bool| if on { n } else { 0 };
        let ring = (algorithm == Algorithm::RingBounded).then(|| {
            let mut tokens = Vec::new();
            let mut buf = String::new();
            for (i, &w) in weights.iter().enumerate() {
                for v in 0..w.max(1) * params.vnodes_per_weight.max(1) {
                    use std::fmt::Write;
                    buf.clear();
                    let _ = write!(buf, "server-{}#{v}", i + 1);
                    tokens.push((crate::hash::hash_str(&buf, params.ring_seed), i as u32));
                }
            }
            TokenTable::new(tokens)
        });
        Self {
            algorithm,
            params,
            rng: SplitMix64::new(mix64(seed ^ 0x006C_622D_7269_6E67)),
            weights: weights.iter().map(|&w| w.max(1)).collect(),
            outstanding: vec![0; n],
            total_outstanding: 0,
            cursor: [0; 2],
            current: vec![0; per_server(algorithm == Algorithm::WeightedRoundRobin)],
            ttfb: vec![0.0; per_server(algorithm == Algorithm::LeastResponseTime)],
            ewma: vec![PeakEwma::default(); per_server(algorithm == Algorithm::PeakEwma)],
            ring,
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Requests in flight per server, as the balancer counts them.
    pub fn outstanding(&self) -> &[u32] {
        &self.outstanding
    }

    /// The server for a request with hash `key` at time `now` (ns), or `None` if the pool is
    /// empty.
    pub fn pick(&mut self, pool: &Pool, key: u64, now: u64) -> Option<u32> {
        let members = pool.members.as_slice();
        if members.is_empty() {
            return None;
        }
        let n = members.len();
        let cursor = &mut self.cursor[usize::from(pool.id)];
        Some(match self.algorithm {
            Algorithm::RoundRobin => {
                // The cursor stays below n unless the pool just shrank; dividing only then
                // keeps the sequence of `cursor % n, (cursor + 1) % n` without a division per
                // request (a remainder is tens of cycles, the rest of the pick a few).
                let i = if *cursor < n { *cursor } else { *cursor % n };
                let s = members[i];
                *cursor = if i + 1 == n { 0 } else { i + 1 };
                s
            }
            Algorithm::WeightedRoundRobin => {
                // nginx's smooth weighted round robin: every member gains its weight, the
                // richest is picked and pays the total.
                let mut best = members[0];
                let mut best_current = i64::MIN;
                let mut total = 0i64;
                for &m in members {
                    let w = i64::from(self.weights[m as usize]);
                    let c = &mut self.current[m as usize];
                    *c += w;
                    total += w;
                    if *c > best_current {
                        best_current = *c;
                        best = m;
                    }
                }
                self.current[best as usize] -= total;
                best
            }
            Algorithm::IpHash => members[(mix64(key) % n as u64) as usize],
            Algorithm::Random => random_choice(members, &mut self.rng),
            Algorithm::LeastConnections => {
                let out = &self.outstanding;
                scan(cursor, members, |s| out[s as usize])
            }
            Algorithm::WeightedLeastConnections => {
                // Compare (in flight + 1) / weight without dividing: a/w_a < b/w_b exactly
                // when a·w_b < b·w_a, in integers.
                let (out, weights) = (&self.outstanding, &self.weights);
                let start = *cursor % n;
                *cursor = cursor.wrapping_add(1);
                let mut best = members[start];
                for k in 1..n {
                    let m = members[(start + k) % n];
                    let lhs = u64::from(out[m as usize] + 1) * u64::from(weights[best as usize]);
                    let rhs = u64::from(out[best as usize] + 1) * u64::from(weights[m as usize]);
                    if lhs < rhs {
                        best = m;
                    }
                }
                best
            }
            Algorithm::LeastResponseTime => {
                let start = *cursor % n;
                *cursor = cursor.wrapping_add(1);
                let mut best = members[start];
                let score = |s: u32| {
                    (f64::from(self.outstanding[s as usize]) + 1.0) * self.ttfb[s as usize]
                };
                let mut best_score = score(best);
                for k in 1..n {
                    let m = members[(start + k) % n];
                    let sc = score(m);
                    if sc < best_score {
                        best_score = sc;
                        best = m;
                    }
                }
                best
            }
            Algorithm::PowerOfTwo => two_choices(members, &self.outstanding, &mut self.rng),
            Algorithm::PeakEwma => {
                let (a, b) = two_members(members, &mut self.rng);
                let decay = self.params.decay_ns;
                let mut cost = |s: u32| {
                    let e = &mut self.ewma[s as usize];
                    e.observe(0.0, now, decay);
                    ewma_score(e.cost, self.outstanding[s as usize])
                };
                let (ca, cb) = (cost(a), cost(b));
                if cb < ca { b } else { a }
            }
            Algorithm::RingBounded => self.ring_pick(pool, key),
        })
    }

    /// Consistent hashing with bounded loads: walk clockwise from the key's token to the first
    /// pool member whose load stays within ⌈(1+ε) × mean⌉ with this request added.
    fn ring_pick(&mut self, pool: &Pool, key: u64) -> u32 {
        let Some(table) = &self.ring else {
            return pool.members[0];
        };
        let owners = table.owners();
        let n_tokens = owners.len();
        let load = self.total_outstanding + 1;
        let mut t = table.token_for(key);
        let mut first_member = None;
        for _ in 0..n_tokens {
            let s = owners[t];
            if pool.mask[s as usize] {
                first_member.get_or_insert(s);
                let cap = bounded_capacity(
                    self.weights[s as usize],
                    pool.weight_sum,
                    load,
                    self.params.epsilon,
                );
                if u64::from(self.outstanding[s as usize]) < cap {
                    return s;
                }
            }
            t += 1;
            if t == n_tokens {
                t = 0;
            }
        }
        first_member.unwrap_or(pool.members[0])
    }

    /// Counts an attempt sent to `server`.
    #[inline]
    pub fn on_dispatch(&mut self, server: u32) {
        self.outstanding[server as usize] += 1;
        self.total_outstanding += 1;
    }

    /// Counts the end of an attempt on `server` after `latency_ns` (a response, or giving up
    /// after a timeout, which counts as that long).
    #[inline]
    pub fn on_done(&mut self, server: u32, latency_ns: u64, now: u64) {
        let s = server as usize;
        self.outstanding[s] = self.outstanding[s].saturating_sub(1);
        self.total_outstanding = self.total_outstanding.saturating_sub(1);
        match self.algorithm {
            Algorithm::LeastResponseTime => {
                let t = &mut self.ttfb[s];
                *t = if *t == 0.0 {
                    latency_ns as f64
                } else {
                    *t * 0.8 + latency_ns as f64 * 0.2
                };
            }
            Algorithm::PeakEwma => {
                self.ewma[s].observe(latency_ns as f64, now, self.params.decay_ns);
            }
            _ => {}
        }
    }
}

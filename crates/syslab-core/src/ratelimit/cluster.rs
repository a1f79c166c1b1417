//! Distributed limiting: N limiter instances behind a load balancer, each with local counters,
//! or all sharing one central store reached in a round trip.
//!
//! Concurrency is modelled deterministically. With an atomic store the read, the decision and
//! the write are one operation, so the cluster decides exactly like one limiter and only adds
//! the round trip. With a non-atomic store an instance reads the key's state when the request
//! arrives and its write lands one round trip later, last writer winning: requests arriving
//! within one round trip do not see each other, so all of them may be allowed.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::algorithm::LimitParams;
use super::decision::{Decision, Verdict};
use super::limiter::Limiter;
use super::state::KeyState;
use crate::error::{ConfigError, check_range};
use crate::rng::SplitMix64;
use crate::time::Nanos;

/// The most limiter instances.
pub const MAX_INSTANCES: u32 = 64;
/// The longest round trip to the central store, in microseconds (10 s).
pub const MAX_RTT_US: u32 = 10_000_000;

/// How the load balancer spreads requests over instances.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Balancer {
    /// Each instance in turn.
    #[default]
    RoundRobin,
    /// A seeded random instance per request.
    Random,
}

impl Balancer {
    /// Every balancer, in menu order.
    pub const ALL: [Balancer; 2] = [Balancer::RoundRobin, Balancer::Random];

    /// Every balancer's id (in URLs and JSON) and name, in the order of [`Balancer::ALL`].
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "round_robin",
            label: "round robin",
        },
        crate::schema::Choice {
            id: "random",
            label: "random",
        },
    ];

    /// The short identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// A human-readable name.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The balancer with identifier `id`.
    pub fn from_id(id: &str) -> Option<Balancer> {
        Balancer::ALL.into_iter().find(|b| b.id() == id)
    }
}

/// Where the instances keep their counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreMode {
    /// Every instance counts on its own: fast, but the cluster allows up to N × the limit.
    #[default]
    Local,
    /// One central store updated atomically (a script or compare-and-set): exact, one round trip per decision.
    Atomic,
    /// One central store, read then written in two steps: requests within a round trip of each
    /// other read the same state, and the cluster over-admits.
    Racy,
}

impl StoreMode {
    /// Every mode, in menu order.
    pub const ALL: [StoreMode; 3] = [StoreMode::Local, StoreMode::Atomic, StoreMode::Racy];

    /// Every mode's id (in URLs and JSON) and name, in the order of [`StoreMode::ALL`].
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "local",
            label: "local per instance",
        },
        crate::schema::Choice {
            id: "atomic",
            label: "central, atomic update",
        },
        crate::schema::Choice {
            id: "racy",
            label: "central, read then write",
        },
    ];

    /// A human-readable name.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The short identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The mode with identifier `id`.
    pub fn from_id(id: &str) -> Option<StoreMode> {
        StoreMode::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// The limiter deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// Limiter instances behind the load balancer (1 to 64).
    pub instances: u32,
    /// How the load balancer picks an instance for each request.
    pub balancer: Balancer,
    /// Whether instances count locally or share a central store, and how they update it.
    pub store: StoreMode,
    /// Round trip from an instance to the central store, in microseconds (0 to 10,000,000).
    pub rtt_us: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            instances: 1,
            balancer: Balancer::RoundRobin,
            store: StoreMode::Local,
            rtt_us: 1_000,
        }
    }
}

impl ClusterConfig {
    /// Checks the deployment, returning the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_range(
            "the number of instances",
            self.instances,
            1,
            MAX_INSTANCES,
            "1 to 64",
        )?;
        check_range(
            "the store round trip",
            self.rtt_us,
            0,
            MAX_RTT_US,
            "0 to 10,000,000 µs",
        )
    }

    /// The latency the store adds to every decision.
    pub fn added_latency(&self) -> Nanos {
        match self.store {
            StoreMode::Local => Nanos::ZERO,
            StoreMode::Atomic | StoreMode::Racy => Nanos::from_us(u64::from(self.rtt_us)),
        }
    }
}

/// A write of a non-atomic store still on its way.
#[derive(Clone, Debug)]
struct PendingWrite {
    lands: Nanos,
    key: u32,
    state: KeyState,
}

/// The limiter instances and their store, deciding requests in time order.
#[derive(Clone, Debug)]
pub struct Cluster {
    config: ClusterConfig,
    /// One limiter per instance with local counters, or the central store's one.
    limiters: Vec<Limiter>,
    pending: VecDeque<PendingWrite>,
    turn: u64,
    rng: SplitMix64,
}

impl Cluster {
    /// A cluster deciding with `params` for keys `0..n_keys`; `seed` drives a random balancer.
    pub fn new(config: ClusterConfig, params: LimitParams, n_keys: u32, seed: u64) -> Self {
        let copies = match config.store {
            StoreMode::Local => config.instances.max(1),
            StoreMode::Atomic | StoreMode::Racy => 1,
        };
        Self {
            config,
            limiters: vec![Limiter::new(params, n_keys); copies as usize],
            pending: VecDeque::new(),
            turn: 0,
            rng: SplitMix64::new(seed ^ 0x6c62_616c_616e_6365),
        }
    }

    /// Decides a request of `key` arriving at `now`; returns the verdict and the instance that
    /// handled it. Calls must come in time order.
    pub fn decide(&mut self, key: u32, now: Nanos) -> (Verdict, u32) {
        let instance = match self.config.balancer {
            Balancer::RoundRobin => (self.turn % u64::from(self.config.instances.max(1))) as u32,
            Balancer::Random => self.rng.below(u64::from(self.config.instances.max(1))) as u32,
        };
        self.turn += 1;
        let verdict = match self.config.store {
            StoreMode::Local => self.limiters[instance as usize].decide(key, now),
            StoreMode::Atomic => self.limiters[0].decide(key, now),
            StoreMode::Racy => self.racy(key, now),
        };
        (verdict, instance)
    }

    fn racy(&mut self, key: u32, now: Nanos) -> Verdict {
        self.land_writes(now);
        let store = &mut self.limiters[0];
        let params = *store.params();
        let mut state = store
            .state(key)
            .cloned()
            .unwrap_or_else(|| params.new_state());
        let verdict = params.decide(&mut state, now);
        if !matches!(verdict.decision, Decision::Reject { .. }) {
            let lands = now.plus(self.config.added_latency());
            if lands <= now {
                store.replace(key, state);
            } else {
                self.pending.push_back(PendingWrite { lands, key, state });
            }
        }
        verdict
    }

    /// Applies the non-atomic writes that have reached the store by `now`, in order.
    fn land_writes(&mut self, now: Nanos) {
        while self.pending.front().is_some_and(|w| w.lands <= now) {
            if let Some(write) = self.pending.pop_front() {
                self.limiters[0].replace(write.key, write.state);
            }
        }
    }

    /// The level of `key` at `now` on instance 0 (or the store).
    pub fn level(&self, key: u32, now: Nanos) -> f64 {
        self.limiters[0].level(key, now)
    }

    /// Numbers held by all instances (or the store): counters, timestamps and log entries.
    pub fn memory_words(&self) -> u64 {
        self.limiters.iter().map(Limiter::memory_words).sum()
    }

    /// The limit parameters.
    pub fn params(&self) -> &LimitParams {
        self.limiters[0].params()
    }
}

//! The rate-limiter lab's configuration: the limit, the algorithms, how clients are keyed, the
//! deployment and the traffic, with the validation that keeps every run simulable.

use serde::{Deserialize, Serialize};

use super::algorithm::LimitParams;
use super::cluster::{ClusterConfig, StoreMode};
use super::kind::AlgorithmKind;
use super::traffic::{MAX_CLIENTS, TrafficConfig};
use crate::error::{ConfigError, check_range};
use crate::time::Nanos;

/// The highest limit, in requests per window.
pub const MAX_LIMIT: u32 = 1_000_000;
/// The largest bucket capacity or burst.
pub const MAX_BURST: u32 = 1_000_000;
/// The largest leaky-bucket queue.
pub const MAX_QUEUE: u32 = 100_000;
/// The longest window and the longest run, in milliseconds (one hour).
pub const MAX_MS: u32 = 3_600_000;
/// The most steps (ticks) a run may take.
pub const MAX_TICKS: u32 = 100_000;
/// The most key states a run may hold (instances with local counters × client keys).
pub const MAX_KEY_STATES: u64 = 100_000;
/// The highest limit for a sliding log behind a non-atomic store, which copies the log per request.
pub const MAX_RACY_LOG_LIMIT: u32 = 10_000;

/// What a limit is counted per.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// One limit shared by all traffic.
    Global,
    /// One limit per API key: every client has its own.
    #[default]
    ApiKey,
    /// One limit per user, who owns `clients_per_key` API keys.
    User,
    /// One limit per IP address, shared by `clients_per_key` clients behind one NAT.
    Ip,
}

impl KeyKind {
    /// Every key kind, in menu order.
    pub const ALL: [KeyKind; 4] = [KeyKind::Global, KeyKind::ApiKey, KeyKind::User, KeyKind::Ip];

    /// Every key kind's id (in URLs and JSON) and name, in the order of [`KeyKind::ALL`].
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "global",
            label: "one global limit",
        },
        crate::schema::Choice {
            id: "api_key",
            label: "per API key",
        },
        crate::schema::Choice {
            id: "user",
            label: "per user",
        },
        crate::schema::Choice {
            id: "ip",
            label: "per IP address",
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

    /// The key kind with identifier `id`.
    pub fn from_id(id: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// Everything that defines a rate-limiter run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitConfig {
    /// Seed of the traffic and of a random load balancer; a new seed gives new arrivals.
    pub seed: u64,
    /// The algorithm the lab shows.
    pub algorithm: AlgorithmKind,
    /// The algorithms run on the identical traffic for the comparison, each at most once. The
    /// shown algorithm always has its row; listing it here too changes nothing (so the set
    /// survives a change of the shown algorithm as given).
    pub compare: Vec<AlgorithmKind>,
    /// Requests allowed per window and key (1 to 1,000,000). The buckets and GCRA refill or
    /// drain at limit / window, one request every window / limit.
    pub limit: u32,
    /// The window in milliseconds (1 ms to 1 hour); also the span of the "most in any window" metric.
    pub window_ms: u32,
    /// Token-bucket and leaky-meter capacity, and GCRA's burst: requests allowed at once (1 to 1,000,000).
    pub burst: u32,
    /// Requests the leaky bucket may hold waiting (1 to 100,000).
    pub queue: u32,
    /// What the limit is counted per: all traffic, API key, user or IP.
    pub key: KeyKind,
    /// API keys per user, or clients per IP address (1 to 10,000).
    pub clients_per_key: u32,
    /// The limiter deployment: instances, balancer and store.
    pub cluster: ClusterConfig,
    /// The traffic.
    pub traffic: TrafficConfig,
    /// Length of the run in milliseconds (1 ms to 1 hour).
    pub duration_ms: u32,
    /// Simulated time one step advances, in milliseconds (at most 100,000 steps per run).
    pub tick_ms: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            algorithm: AlgorithmKind::TokenBucket,
            compare: Vec::new(),
            limit: 10,
            window_ms: 1_000,
            burst: 10,
            queue: 10,
            key: KeyKind::ApiKey,
            clients_per_key: 4,
            cluster: ClusterConfig::default(),
            traffic: TrafficConfig::default(),
            duration_ms: 20_000,
            tick_ms: 100,
        }
    }
}

impl RateLimitConfig {
    /// The window as time.
    pub fn window(&self) -> Nanos {
        Nanos::from_ms(u64::from(self.window_ms))
    }

    /// The run's length as time.
    pub fn duration(&self) -> Nanos {
        Nanos::from_ms(u64::from(self.duration_ms))
    }

    /// One step as time.
    pub fn tick(&self) -> Nanos {
        Nanos::from_ms(u64::from(self.tick_ms))
    }

    /// The algorithms run side by side: the shown one first, then the other compared ones.
    pub fn algorithms(&self) -> Vec<AlgorithmKind> {
        let mut all = vec![self.algorithm];
        all.extend(
            self.compare
                .iter()
                .copied()
                .filter(|k| *k != self.algorithm),
        );
        all
    }

    /// The integer parameters of `kind` under this config's limit.
    pub fn params(&self, kind: AlgorithmKind) -> Result<LimitParams, ConfigError> {
        LimitParams::new(kind, self.limit, self.window(), self.burst, self.queue).ok_or(
            ConfigError::OutOfRange {
                what: "the limit",
                value: self.limit.to_string(),
                range: "1 to 1,000,000 per window, with window, burst and queue at least 1",
            },
        )
    }

    /// The limiter key of `client`.
    pub fn key_of(&self, client: u32) -> u32 {
        match self.key {
            KeyKind::Global => 0,
            KeyKind::ApiKey => client,
            KeyKind::User | KeyKind::Ip => client / self.clients_per_key.max(1),
        }
    }

    /// The number of distinct limiter keys the traffic's clients map to.
    pub fn n_keys(&self) -> u32 {
        let clients = self.traffic.n_clients().max(1);
        self.key_of(clients - 1) + 1
    }

    /// Checks the whole config, returning the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_range(
            "the limit",
            self.limit,
            1,
            MAX_LIMIT,
            "1 to 1,000,000 requests per window",
        )?;
        check_range(
            "the window",
            self.window_ms,
            1,
            MAX_MS,
            "1 ms to 1 hour (3,600,000 ms)",
        )?;
        check_range("the burst", self.burst, 1, MAX_BURST, "1 to 1,000,000")?;
        check_range("the queue size", self.queue, 1, MAX_QUEUE, "1 to 100,000")?;
        check_range(
            "clients per key",
            self.clients_per_key,
            1,
            MAX_CLIENTS,
            "1 to 10,000",
        )?;
        check_range(
            "the duration",
            self.duration_ms,
            1,
            MAX_MS,
            "1 ms to 1 hour (3,600,000 ms)",
        )?;
        check_range(
            "the step",
            self.tick_ms,
            1,
            self.duration_ms.max(1),
            "1 ms up to the duration",
        )?;
        let ticks = self.duration_ms.div_ceil(self.tick_ms.max(1));
        check_range(
            "the number of steps (duration / step)",
            ticks,
            1,
            MAX_TICKS,
            "at most 100,000",
        )?;
        for (idx, kind) in self.compare.iter().enumerate() {
            if self.compare[..idx].contains(kind) {
                return Err(ConfigError::OutOfRange {
                    what: "the compared algorithms",
                    value: kind.id().to_owned(),
                    range: "each algorithm at most once",
                });
            }
        }
        self.cluster.validate()?;
        self.traffic.validate(self.duration())?;
        let copies = match self.cluster.store {
            StoreMode::Local => u64::from(self.cluster.instances),
            StoreMode::Atomic | StoreMode::Racy => 1,
        };
        let states = copies * u64::from(self.n_keys());
        if states > MAX_KEY_STATES {
            return Err(ConfigError::OutOfRange {
                what: "limiter states (instances × client keys)",
                value: crate::format::thousands(states),
                range: "at most 100,000",
            });
        }
        if self.cluster.store == StoreMode::Racy
            && self.algorithms().contains(&AlgorithmKind::SlidingLog)
        {
            check_range(
                "the limit of a sliding log in a non-atomic store",
                self.limit,
                1,
                MAX_RACY_LOG_LIMIT,
                "1 to 10,000",
            )?;
        }
        for kind in self.algorithms() {
            self.params(kind)?;
        }
        Ok(())
    }
}

//! The cache lab's configuration: policy, size, TTL, write strategy, the simulated database's
//! latencies and the workload, with the validation that keeps every run simulable.

use serde::{Deserialize, Serialize};

use super::choice;
use super::policy::PolicyKind;
use super::workload::WorkloadConfig;
use crate::error::{ConfigError, check_range};
use crate::schema::Choice;
use crate::time::Nanos;

/// The largest cache, in objects.
pub const MAX_CAPACITY: u32 = 1_000_000;
/// The longest latency, TTL, gap or flush interval, in microseconds or milliseconds (one hour).
pub const MAX_MS: u32 = 3_600_000;
/// The most slots of all simulated caches together (size × policies): about 70 bytes each,
/// which keeps the largest run within a few hundred megabytes, in wasm too.
pub const MAX_TOTAL_SLOTS: u64 = 4_000_000;
/// The most requests one step may take.
pub const MAX_BATCH: u32 = 100_000;

/// How writes and read misses travel between the application, the cache and the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteStrategy {
    /// The application reads the database on a miss and puts the value in the cache itself;
    /// writes go to the database, then delete the cached copy. A slow fill can land after a
    /// write's delete and cache a stale value.
    CacheAside,
    /// The cache loads misses itself (concurrent misses of a key share one load, and a write's
    /// invalidation cancels a load in flight); writes go to the database and invalidate.
    /// The default: with reads only, its hit ratio is the policy's own.
    #[default]
    ReadThrough,
    /// Writes go to the cache and the database together and are acknowledged after both; they
    /// fail while the database is down.
    WriteThrough,
    /// Writes go to the database only and invalidate the cached copy; the next read loads it.
    WriteAround,
    /// Writes go to the cache only, marked dirty, and reach the database at the next flush or
    /// when evicted. Fast and available while the database is down, but a cache crash loses
    /// every dirty entry.
    WriteBack,
}

impl WriteStrategy {
    /// Every strategy, in menu order.
    pub const ALL: [WriteStrategy; 5] = [
        WriteStrategy::CacheAside,
        WriteStrategy::ReadThrough,
        WriteStrategy::WriteThrough,
        WriteStrategy::WriteAround,
        WriteStrategy::WriteBack,
    ];

    /// The identifier used in URLs and JSON.
    /// Every strategy's id (in links and JSON) and name, in the order of
    /// [`WriteStrategy::ALL`].
    pub const CHOICES: &'static [Choice] = &[
        choice("cache_aside", "Cache-aside"),
        choice("read_through", "Read-through"),
        choice("write_through", "Write-through"),
        choice("write_around", "Write-around"),
        choice("write_back", "Write-back"),
    ];

    /// The identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The strategy with identifier `id`.
    pub fn from_id(id: &str) -> Option<WriteStrategy> {
        WriteStrategy::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// Everything that defines a cache run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheConfig {
    /// Seed of the workload and of the random policy; a new seed gives new requests.
    pub seed: u64,
    /// The eviction policy the lab shows.
    pub policy: PolicyKind,
    /// The policies run on the identical request stream for the comparison, each at most
    /// once. The shown policy always has its row; listing it here too changes nothing (so the
    /// set survives a change of the shown policy as given).
    pub compare: Vec<PolicyKind>,
    /// Cache size in objects (1 to 1,000,000).
    pub capacity: u32,
    /// Time to live of a cached entry in milliseconds; 0 means entries never expire.
    pub ttl_ms: u32,
    /// How reads and writes reach the database.
    pub write: WriteStrategy,
    /// Write-back: milliseconds between two flushes of the dirty entries (1 to 1 hour).
    pub flush_ms: u32,
    /// Simulated time between two requests, in microseconds (1 to 1 hour).
    pub gap_us: u32,
    /// Latency of a cache read or write, in microseconds.
    pub cache_us: u32,
    /// Latency of a database read, in microseconds.
    pub db_read_us: u32,
    /// Latency of a database write, in microseconds.
    pub db_write_us: u32,
    /// Requests one step of the lab takes (1 to 100,000).
    pub batch: u32,
    /// The requests.
    pub workload: WorkloadConfig,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            policy: PolicyKind::Lru,
            compare: vec![
                PolicyKind::Fifo,
                PolicyKind::Clock,
                PolicyKind::Lfu,
                PolicyKind::Arc,
                PolicyKind::Sieve,
                PolicyKind::S3Fifo,
                PolicyKind::TinyLfu,
                PolicyKind::Belady,
            ],
            capacity: 50,
            ttl_ms: 0,
            write: WriteStrategy::ReadThrough,
            flush_ms: 1_000,
            gap_us: 1_000,
            cache_us: 200,
            db_read_us: 5_000,
            db_write_us: 8_000,
            batch: 100,
            workload: WorkloadConfig::default(),
        }
    }
}

impl CacheConfig {
    /// The policies run side by side: the shown one first, then the other compared ones.
    pub fn policies(&self) -> Vec<PolicyKind> {
        let mut all = vec![self.policy];
        all.extend(self.compare.iter().copied().filter(|k| *k != self.policy));
        all
    }

    /// Simulated time between two requests: request `i` arrives at `i × gap()`.
    pub fn gap(&self) -> Nanos {
        Nanos::from_us(u64::from(self.gap_us))
    }

    /// Time to live of a cached entry, or `None` if entries never expire.
    pub fn ttl(&self) -> Option<Nanos> {
        (self.ttl_ms > 0).then(|| Nanos::from_ms(u64::from(self.ttl_ms)))
    }

    /// Write-back: time between two flushes of the dirty entries.
    pub fn flush_interval(&self) -> Nanos {
        Nanos::from_ms(u64::from(self.flush_ms))
    }

    /// Latency of a cache read or write.
    pub fn cache_latency(&self) -> Nanos {
        Nanos::from_us(u64::from(self.cache_us))
    }

    /// Latency of a database read.
    pub fn db_read_latency(&self) -> Nanos {
        Nanos::from_us(u64::from(self.db_read_us))
    }

    /// Latency of a database write.
    pub fn db_write_latency(&self) -> Nanos {
        Nanos::from_us(u64::from(self.db_write_us))
    }

    /// Checks the whole config, returning the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_range(
            "the cache size",
            self.capacity,
            1,
            MAX_CAPACITY,
            "1 to 1,000,000 objects",
        )?;
        check_range(
            "the TTL",
            self.ttl_ms,
            0,
            MAX_MS,
            "0 (none) to 3,600,000 ms",
        )?;
        check_range(
            "the flush interval",
            self.flush_ms,
            1,
            MAX_MS,
            "1 to 3,600,000 ms",
        )?;
        check_range(
            "the time between requests",
            self.gap_us,
            1,
            MAX_MS,
            "1 to 3,600,000 µs",
        )?;
        for (what, value) in [
            ("the cache latency", self.cache_us),
            ("the database read latency", self.db_read_us),
            ("the database write latency", self.db_write_us),
        ] {
            check_range(what, value, 0, MAX_MS, "0 to 3,600,000 µs")?;
        }
        check_range(
            "the step size",
            self.batch,
            1,
            MAX_BATCH,
            "1 to 100,000 requests",
        )?;
        for (idx, kind) in self.compare.iter().enumerate() {
            if self.compare[..idx].contains(kind) {
                return Err(ConfigError::OutOfRange {
                    what: "the compared policies",
                    value: kind.id().to_owned(),
                    range: "each policy at most once",
                });
            }
        }
        let slots = u64::from(self.capacity) * self.policies().len() as u64;
        if slots > MAX_TOTAL_SLOTS {
            return Err(ConfigError::OutOfRange {
                what: "the cache size times the number of policies",
                value: crate::format::thousands(slots),
                range: "at most 4,000,000 slots (compare fewer policies or use a smaller cache)",
            });
        }
        self.workload.validate()
    }
}

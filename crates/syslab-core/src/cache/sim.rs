//! The shown policy as a real cache in front of a simulated database: values carry versions,
//! reads and writes follow the write strategy, time and latencies are simulated, and events
//! crash the cache or take the database down.
//!
//! Request `i` arrives at `i × gap`. Times are simulated [`Nanos`] (the config gives them in µs
//! and ms; read latencies are recorded in whole µs, as the snapshot reports them). A value is a version number: every write makes a new one,
//! and a write is *acknowledged* when the client is told it succeeded. A read is *stale* when it
//! returns a version older than the key's last acknowledged write.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::config::{CacheConfig, WriteStrategy};
use super::policy::Policy;
use super::table::NO_SLOT;
use crate::time::Nanos;

/// What happens to the cache or the database at a point of the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The cache process dies and restarts empty: dirty entries are lost.
    CrashCache,
    /// The database stops answering: misses and database writes fail.
    DbDown,
    /// The database answers again.
    DbUp,
}

impl EventKind {
    /// Every event, in menu order.
    pub const ALL: [EventKind; 3] = [EventKind::CrashCache, EventKind::DbDown, EventKind::DbUp];

    /// The identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        match self {
            EventKind::CrashCache => "crash",
            EventKind::DbDown => "db_down",
            EventKind::DbUp => "db_up",
        }
    }

    /// The event with identifier `id`.
    pub fn from_id(id: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// An event, before request number `at` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEvent {
    /// The request it precedes.
    pub at: u32,
    /// What happens.
    pub kind: EventKind,
}

/// What one request did, for the UI's flashes and the recent-access list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A read served by the cache.
    Hit,
    /// A read served by the cache with an outdated value.
    StaleHit,
    /// A read missed and was loaded (and stored unless the policy declined).
    Miss,
    /// A read missed while the database was down.
    FailedRead,
    /// A write acknowledged.
    Write,
    /// A write refused because the database was down.
    FailedWrite,
}

impl Outcome {
    /// The identifier, also the CSS class.
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Hit => "hit",
            Outcome::StaleHit => "stale",
            Outcome::Miss => "miss",
            Outcome::FailedRead => "failed_read",
            Outcome::Write => "write",
            Outcome::FailedWrite => "failed_write",
        }
    }
}

/// One request of the shown policy, as it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// Its position in the stream.
    pub pos: u32,
    /// The key.
    pub key: u64,
    /// What happened.
    pub outcome: Outcome,
    /// The key's slot after the request, if cached.
    pub slot: Option<u32>,
    /// The key evicted to make room, and its slot.
    pub evicted: Option<(u64, u32)>,
}

/// The counters of the write-strategy simulation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimCounts {
    /// Requests handled.
    pub requests: u64,
    /// Reads.
    pub reads: u64,
    /// Reads served by the cache.
    pub hits: u64,
    /// Reads served by the cache with a version older than the last acknowledged write.
    pub stale_reads: u64,
    /// Reads that failed (a miss while the database was down).
    pub failed_reads: u64,
    /// Writes.
    pub writes: u64,
    /// Writes refused because the database was down.
    pub failed_writes: u64,
    /// Database reads.
    pub db_reads: u64,
    /// Database writes.
    pub db_writes: u64,
    /// Entries evicted.
    pub evictions: u64,
    /// Entries dropped because their TTL passed.
    pub expirations: u64,
    /// Acknowledged writes lost: dirty entries gone in a crash, or evicted while the database
    /// was down.
    pub lost_writes: u64,
    /// Dirty entries now (write-back).
    pub dirty: u64,
    /// Bytes requested by reads, and bytes of reads the cache missed.
    pub read_bytes: u64,
    /// Bytes of reads that missed.
    pub miss_bytes: u64,
    /// Cache crashes so far.
    pub crashes: u64,
}

/// The simulation of the shown policy.
#[derive(Clone, Debug)]
pub struct Sim {
    pub(crate) policy: Policy,
    strategy: WriteStrategy,
    gap: Nanos,
    ttl: Option<Nanos>,
    flush_interval: Nanos,
    cache_latency: Nanos,
    db_read_latency: Nanos,
    db_write_latency: Nanos,
    /// Per slot: cached version, time its value is ready, expiry time, dirty.
    version: Vec<u64>,
    ready_at: Vec<Nanos>,
    expires_at: Vec<Nanos>,
    dirty: Vec<bool>,
    dirty_slots: Vec<u32>,
    /// Per key: version in the database, last acknowledged version.
    db: Vec<u64>,
    acked: Vec<u64>,
    next_version: u64,
    /// Cache-aside fills in flight: (done at, key, version read).
    fills: VecDeque<(Nanos, u64, u64)>,
    db_up: bool,
    next_flush: Nanos,
    pub(crate) counts: SimCounts,
    /// Read latencies in µs → how many reads took that long.
    pub(crate) latencies: BTreeMap<u32, u64>,
    /// Acknowledged writes' latencies in µs → how many writes took that long.
    pub(crate) write_latencies: BTreeMap<u32, u64>,
}

impl Sim {
    /// A simulation with an empty cache under `policy` and a database holding version 0 of
    /// every key below `key_space`.
    pub fn new(config: &CacheConfig, policy: Policy, key_space: u64) -> Self {
        let cap = config.capacity as usize;
        let keys = key_space as usize;
        let flush_interval = config.flush_interval();
        Self {
            policy,
            strategy: config.write,
            gap: config.gap(),
            ttl: config.ttl(),
            flush_interval,
            cache_latency: config.cache_latency(),
            db_read_latency: config.db_read_latency(),
            db_write_latency: config.db_write_latency(),
            version: vec![0; cap],
            ready_at: vec![Nanos::ZERO; cap],
            expires_at: vec![Nanos::MAX; cap],
            dirty: vec![false; cap],
            dirty_slots: Vec::new(),
            db: vec![0; keys],
            acked: vec![0; keys],
            next_version: 0,
            fills: VecDeque::new(),
            db_up: true,
            next_flush: flush_interval,
            counts: SimCounts::default(),
            latencies: BTreeMap::new(),
            write_latencies: BTreeMap::new(),
        }
    }

    /// Whether the database is up.
    pub fn db_up(&self) -> bool {
        self.db_up
    }

    /// The slot's cached version and whether it is dirty.
    pub fn slot_state(&self, slot: u32) -> (u64, bool) {
        (self.version[slot as usize], self.dirty[slot as usize])
    }

    /// Whether `key`'s cached copy (if any) is older than its last acknowledged write.
    pub fn slot_is_stale(&self, slot: u32) -> bool {
        let key = self.policy.table().key(slot) as usize;
        self.version[slot as usize] < self.acked[key]
    }

    /// The database's version of each key, and the last acknowledged version of each key.
    pub fn versions(&self) -> (&[u64], &[u64]) {
        (&self.db, &self.acked)
    }

    /// Applies an event.
    pub fn apply(&mut self, kind: EventKind) {
        match kind {
            EventKind::CrashCache => {
                self.counts.crashes += 1;
                // `dirty_slots` may list a slot twice (cleaned, then dirtied again): count flags.
                self.counts.lost_writes += self.counts.dirty;
                self.policy.clear();
                self.dirty.fill(false);
                self.dirty_slots.clear();
                self.fills.clear();
                self.counts.dirty = 0;
            }
            EventKind::DbDown => self.db_up = false,
            EventKind::DbUp => self.db_up = true,
        }
    }

    fn record_latency(&mut self, latency: Nanos) {
        *self.latencies.entry(latency.whole_us() as u32).or_insert(0) += 1;
    }

    fn record_write(&mut self, latency: Nanos) {
        *self
            .write_latencies
            .entry(latency.whole_us() as u32)
            .or_insert(0) += 1;
    }

    /// Writes a dirty slot's value to the database (if it is up), clearing its dirty mark.
    fn write_back(&mut self, slot: u32, key: u64) -> bool {
        if !self.dirty[slot as usize] {
            return true;
        }
        if !self.db_up {
            return false;
        }
        self.db[key as usize] = self.db[key as usize].max(self.version[slot as usize]);
        self.counts.db_writes += 1;
        self.dirty[slot as usize] = false;
        self.counts.dirty -= 1;
        true
    }

    /// Handles an eviction reported by the policy: a dirty victim is written back, or lost if
    /// the database is down.
    fn evicted(&mut self, evicted: Option<(u64, u32)>) {
        if let Some((key, slot)) = evicted {
            self.counts.evictions += 1;
            if !self.write_back(slot, key) {
                self.counts.lost_writes += 1;
                self.dirty[slot as usize] = false;
                self.counts.dirty -= 1;
            }
        }
    }

    /// Stores `version` of `key` in the cache (a fill or a write), returning its slot (if the
    /// policy kept it) and the entry evicted for it.
    fn store(
        &mut self,
        key: u64,
        pos: u32,
        version: u64,
        ready_at: Nanos,
        now: Nanos,
    ) -> (Option<u32>, Option<(u64, u32)>) {
        let access = self.policy.access(key, pos);
        self.evicted(access.evicted);
        if access.slot == NO_SLOT {
            return (None, None);
        }
        let s = access.slot as usize;
        if !access.hit {
            self.dirty[s] = false;
            self.expires_at[s] = self.expiry(now);
        }
        self.version[s] = version;
        self.ready_at[s] = ready_at;
        (Some(access.slot), access.evicted)
    }

    fn expiry(&self, now: Nanos) -> Nanos {
        match self.ttl {
            None => Nanos::MAX,
            Some(ttl) => now.plus(ttl),
        }
    }

    fn mark_dirty(&mut self, slot: u32) {
        if !self.dirty[slot as usize] {
            self.dirty[slot as usize] = true;
            self.dirty_slots.push(slot);
            self.counts.dirty += 1;
        }
    }

    /// Runs the background work due by `now`: cache-aside fills landing, write-back flushes.
    fn background(&mut self, now: Nanos, pos: u32) {
        while let Some(&(done, key, version)) = self.fills.front() {
            if done > now {
                break;
            }
            self.fills.pop_front();
            // The application's `cache.set(key, value)`: it overwrites whatever is there, even
            // if a write deleted the key after this value was read.
            self.store(key, pos, version, done, done);
        }
        if self.strategy == WriteStrategy::WriteBack {
            while self.next_flush <= now {
                self.next_flush = self.next_flush.plus(self.flush_interval);
                if self.db_up {
                    let slots = std::mem::take(&mut self.dirty_slots);
                    for slot in slots {
                        if self.dirty[slot as usize] {
                            let key = self.policy.table().key(slot);
                            self.write_back(slot, key);
                        }
                    }
                }
            }
        }
    }

    /// Handles request `pos`: `key`, a write or a read, of `size` bytes.
    pub fn request(&mut self, pos: u32, key: u64, write: bool, size: u32) -> RequestRecord {
        let now = Nanos(u64::from(pos) * self.gap.0);
        self.background(now, pos);
        self.counts.requests += 1;
        // Expiry: an entry past its TTL is dropped before the lookup (written back if dirty;
        // a dirty entry stays while the database is down).
        if let Some(slot) = self.policy.slot_of(key)
            && self.expires_at[slot as usize] <= now
            && self.write_back(slot, key)
        {
            self.policy.remove(key);
            self.counts.expirations += 1;
        }
        let record = |outcome, slot: Option<u32>, evicted| RequestRecord {
            pos,
            key,
            outcome,
            slot,
            evicted,
        };
        if write {
            self.counts.writes += 1;
            self.next_version += 1;
            let version = self.next_version;
            let k = key as usize;
            match self.strategy {
                WriteStrategy::WriteBack => {
                    let (slot, evicted) = self.store(key, pos, version, now, now);
                    if let Some(slot) = slot {
                        self.mark_dirty(slot);
                    } else if self.db_up {
                        // The policy declined to cache it: write it through instead.
                        self.db[k] = version;
                        self.counts.db_writes += 1;
                    } else {
                        self.counts.failed_writes += 1;
                        return record(Outcome::FailedWrite, None, None);
                    }
                    self.acked[k] = version;
                    self.record_write(self.cache_latency);
                    return record(Outcome::Write, slot, evicted);
                }
                _ if !self.db_up => {
                    self.counts.failed_writes += 1;
                    return record(Outcome::FailedWrite, self.policy.slot_of(key), None);
                }
                WriteStrategy::WriteThrough => {
                    self.db[k] = version;
                    self.counts.db_writes += 1;
                    self.acked[k] = version;
                    self.record_write(self.cache_latency.plus(self.db_write_latency));
                    let (slot, evicted) = self.store(key, pos, version, now, now);
                    return record(Outcome::Write, slot, evicted);
                }
                WriteStrategy::CacheAside
                | WriteStrategy::ReadThrough
                | WriteStrategy::WriteAround => {
                    self.db[k] = version;
                    self.counts.db_writes += 1;
                    self.acked[k] = version;
                    // The database write, then the delete of the cached copy.
                    self.record_write(self.db_write_latency.plus(self.cache_latency));
                    self.policy.remove(key);
                    return record(Outcome::Write, None, None);
                }
            }
        }
        self.counts.reads += 1;
        self.counts.read_bytes += u64::from(size);
        if let Some(slot) = self.policy.slot_of(key) {
            let s = slot as usize;
            let ready = self.ready_at[s];
            let coalesce = self.strategy != WriteStrategy::CacheAside;
            if ready <= now || coalesce {
                // Served from the cache (or, read-through, by joining the load in flight).
                let access = self.policy.access(key, pos);
                let wait = ready.since(now);
                self.record_latency(self.cache_latency.plus(wait));
                self.counts.hits += 1;
                let stale = self.version[s] < self.acked[key as usize];
                self.counts.stale_reads += u64::from(stale);
                let outcome = if stale {
                    Outcome::StaleHit
                } else {
                    Outcome::Hit
                };
                return record(outcome, Some(access.slot), None);
            }
        }
        self.counts.miss_bytes += u64::from(size);
        if !self.db_up {
            self.counts.failed_reads += 1;
            self.record_latency(self.cache_latency.plus(self.db_read_latency));
            return record(Outcome::FailedRead, self.policy.slot_of(key), None);
        }
        self.counts.db_reads += 1;
        let version = self.db[key as usize];
        let done = now.plus(self.db_read_latency);
        self.record_latency(self.cache_latency.plus(self.db_read_latency));
        let access = self.policy.access(key, pos);
        self.evicted(access.evicted);
        if access.slot != NO_SLOT {
            let s = access.slot as usize;
            if !access.hit {
                self.dirty[s] = false;
                self.expires_at[s] = self.expiry(done);
                self.version[s] = version;
            }
            self.ready_at[s] = done;
        }
        if self.strategy == WriteStrategy::CacheAside {
            self.fills.push_back((done, key, version));
        }
        let slot = (access.slot != NO_SLOT).then_some(access.slot);
        record(Outcome::Miss, slot, access.evicted)
    }
}

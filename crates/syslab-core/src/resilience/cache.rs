//! The cache in front of B and its stampede: the settings ([`CacheSpec`], [`CacheFix`]) and
//! the cache's state, which decides for each of A's calls to B whether it is answered from
//! the cache, waits, or recomputes the value at B. The simulation calls it (`stampede.rs`);
//! it knows nothing of calls and events, only keys, times and counts.
//!
//! The cache starts warm (every key written at time 0), so the first stampede is the first
//! expiry. A *refresh* is one episode of recomputing a key: it starts when a recomputation
//! starts with none in flight for that key and lasts while any is; recomputations per
//! refresh is what each fix is judged by (the stampede's size).

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, check_f64, check_range};
use crate::lb::Histogram;
use crate::rng::{SplitMix64, mix64};
use crate::schema::Choice;

/// The most cached keys.
pub const MAX_KEYS: u32 = 100_000;
/// The longest TTL, lease, poll interval or stale window, in ms (one hour).
pub const MAX_CACHE_MS: u32 = 3_600_000;

/// What keeps a hot key's expiry from becoming a stampede.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheFix {
    /// Every caller that finds the key expired recomputes it: the stampede.
    #[default]
    None,
    /// Request coalescing (single-flight): callers that miss while a recomputation is in
    /// flight wait for it and share its result.
    Coalesce,
    /// A lock with waiters: the first caller takes a lock (with a lease) and recomputes; the
    /// others poll the cache until the value is there, the lock is free, or a lease has passed.
    Lock,
    /// Stale-while-revalidate: for a window after expiry the old value is served at once and
    /// one background recomputation refreshes it.
    Swr,
    /// Probabilistic early expiration (XFetch): a caller recomputes before expiry with a
    /// probability that grows as expiry nears (Vattani, Chierichetti and Lowenstein, 2015).
    Early,
    /// TTL jitter: each entry's lifetime is shortened by a random share, so keys written
    /// together do not expire together.
    Jitter,
}

impl CacheFix {
    /// Every option, in menu order.
    pub const ALL: &'static [CacheFix] = &[
        CacheFix::None,
        CacheFix::Coalesce,
        CacheFix::Lock,
        CacheFix::Swr,
        CacheFix::Early,
        CacheFix::Jitter,
    ];
    /// Every option's id in links and its name for people, in menu order.
    pub const CHOICES: &'static [Choice] = &[
        Choice {
            id: "none",
            label: "None (stampede)",
        },
        Choice {
            id: "coalesce",
            label: "Request coalescing (single-flight)",
        },
        Choice {
            id: "lock",
            label: "A lock with waiters",
        },
        Choice {
            id: "swr",
            label: "Stale-while-revalidate",
        },
        Choice {
            id: "early",
            label: "Probabilistic early expiration (XFetch)",
        },
        Choice {
            id: "jitter",
            label: "TTL jitter",
        },
    ];

    /// Its id in links and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// A short name, for table rows and chart legends.
    pub fn short(self) -> &'static str {
        [
            "No fix",
            "Single-flight",
            "Lock",
            "Stale-while-revalidate",
            "XFetch",
            "TTL jitter",
        ][self as usize]
    }

    /// The option with identifier `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.id() == id)
    }
}

/// The cache in front of B.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheSpec {
    /// Whether A reads a cache before calling B.
    pub on: bool,
    /// How long a written value stays fresh, in ms.
    pub ttl_ms: u32,
    /// Share of A's calls to B that read the cached keys; the others go to B as without a
    /// cache.
    pub hot: f64,
    /// Cached keys, each read equally often (1: one hot key).
    pub keys: u32,
    /// Mean time B takes to recompute a cached value, in ms (B's service-time distribution).
    pub recompute_ms: f64,
    /// What prevents the stampede.
    pub fix: CacheFix,
    /// XFetch's β: above 1 recomputes earlier, below 1 later (the paper's default 1).
    pub beta: f64,
    /// TTL jitter: each lifetime is the TTL × (1 − jitter × U), U uniform in [0, 1).
    pub jitter: f64,
    /// Stale-while-revalidate: how long after expiry the old value may still be served, in ms.
    pub stale_ms: u32,
    /// The lock's lease, in ms: a lock not released by then is free again, and a waiter
    /// that has waited this long recomputes itself.
    pub lease_ms: u32,
    /// How often a waiter looks at the cache again, in ms.
    pub poll_ms: u32,
}

impl Default for CacheSpec {
    fn default() -> Self {
        Self {
            on: false,
            ttl_ms: 5_000,
            hot: 0.5,
            keys: 1,
            recompute_ms: 100.0,
            fix: CacheFix::None,
            beta: 1.0,
            jitter: 0.2,
            stale_ms: 1_000,
            lease_ms: 1_000,
            poll_ms: 20,
        }
    }
}

impl CacheSpec {
    /// Checks every field (whether the cache is on or not, so a link stays valid when it is
    /// turned on); `Err` names the first problem and its parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_range(
            "the TTL (ttl)",
            self.ttl_ms,
            1,
            MAX_CACHE_MS,
            "1 ms to one hour",
        )?;
        check_f64("the hot-key share (hot)", self.hot, 0.0, 1.0, "from 0 to 1")?;
        check_range(
            "the cached keys (keys)",
            self.keys,
            1,
            MAX_KEYS,
            "1 to 100,000 keys",
        )?;
        check_f64(
            "the recompute time (rms)",
            self.recompute_ms,
            0.001,
            60_000.0,
            "from 0.001 to 60,000 ms",
        )?;
        check_f64(
            "XFetch's β (beta)",
            self.beta,
            0.01,
            100.0,
            "from 0.01 to 100",
        )?;
        check_f64(
            "the TTL jitter (tjit)",
            self.jitter,
            0.0,
            1.0,
            "from 0 to 1",
        )?;
        check_range(
            "the stale window (stale)",
            self.stale_ms,
            0,
            MAX_CACHE_MS,
            "0 ms to one hour",
        )?;
        check_range(
            "the lock's lease (lease)",
            self.lease_ms,
            1,
            MAX_CACHE_MS,
            "1 ms to one hour",
        )?;
        check_range(
            "the poll interval (poll)",
            self.poll_ms,
            1,
            MAX_CACHE_MS,
            "1 ms to one hour",
        )
    }

    /// Mean recompute time, in ns.
    pub fn recompute_ns(&self) -> f64 {
        self.recompute_ms * 1e6
    }

    /// At most how many times one waiter polls the cache (lock): once per poll interval for
    /// one lease, then it recomputes itself.
    pub fn polls_per_wait(&self) -> f64 {
        (f64::from(self.lease_ms) / f64::from(self.poll_ms)).ceil() + 1.0
    }
}

/// What the cache in front of B did with A's reads of the cached keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheCounts {
    /// Reads of a cached key (calls that bypass the cache are not counted).
    pub lookups: u64,
    /// Answered at once with a fresh value.
    pub hits: u64,
    /// Answered at once with an expired value (stale-while-revalidate).
    pub stale: u64,
    /// Found the value expired (and not served stale).
    pub misses: u64,
    /// Fresh, but recomputed early (XFetch).
    pub early: u64,
    /// Waited for another caller's recomputation (single-flight, or polling a lock).
    pub waited: u64,
    /// Recomputations started at B (background revalidations included).
    pub recomputes: u64,
    /// Of those, the ones that failed (no value written).
    pub failed: u64,
    /// Refreshes: recomputations that started with none in flight for their key.
    pub refreshes: u64,
    /// Values seen expired by a read (each value counted once).
    pub expiries: u64,
}

impl CacheCounts {
    /// The change from `earlier` to `self`.
    pub fn since(&self, e: &CacheCounts) -> CacheCounts {
        CacheCounts {
            lookups: self.lookups - e.lookups,
            hits: self.hits - e.hits,
            stale: self.stale - e.stale,
            misses: self.misses - e.misses,
            early: self.early - e.early,
            waited: self.waited - e.waited,
            recomputes: self.recomputes - e.recomputes,
            failed: self.failed - e.failed,
            refreshes: self.refreshes - e.refreshes,
            expiries: self.expiries - e.expiries,
        }
    }

    /// Recomputations per refresh: 1 is no stampede.
    pub fn per_refresh(&self) -> f64 {
        self.recomputes as f64 / self.refreshes.max(1) as f64
    }

    /// Share of reads answered at once with a fresh value.
    pub fn hit_ratio(&self) -> f64 {
        self.hits as f64 / self.lookups.max(1) as f64
    }
}

/// What the cache does with one read of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// A fresh value: answered at once.
    Hit,
    /// Stale-while-revalidate: the old value, answered at once; `revalidate` asks for a
    /// background recomputation (none is in flight).
    Stale { revalidate: bool },
    /// This caller recomputes the value at B (a miss, or XFetch's early recomputation).
    Recompute,
    /// Single-flight: wait for the recomputation in flight and share its result.
    Join,
    /// The lock is held: look again after the poll interval.
    Wait,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// When the value stops being fresh, in ns.
    expiry: u64,
    /// How long the last recomputation took (XFetch's δ), in ns.
    delta: u64,
    /// Recomputations of this key in flight.
    in_flight: u32,
    /// The lock is held until then (lock), in ns.
    lock_until: u64,
    /// Whether a read has already seen this value expired (counted once).
    seen_expired: bool,
}

/// The cache's state in one run.
#[derive(Clone, Debug)]
pub(crate) struct Cache {
    pub(crate) spec: CacheSpec,
    rng: SplitMix64,
    entries: Vec<Entry>,
    /// Callers waiting for each key's recomputation in flight (single-flight).
    waiters: Vec<Vec<u32>>,
    pub(crate) counts: CacheCounts,
    /// Recomputations in flight over every key, the most during this tick, and the most ever.
    in_flight: u32,
    tick_peak: u32,
    pub(crate) peak: u32,
    /// Values whose freshness ended in each tick of the run (values replaced before their
    /// expiry are taken out again).
    pub(crate) expiries: Vec<u32>,
    tick_ns: u64,
    /// How long reads that were not answered at once waited for their value, in ns.
    pub(crate) waited: Histogram,
}

impl Cache {
    /// A warm cache: every key written at time 0.
    pub(crate) fn new(spec: CacheSpec, seed: u64, tick_ms: u32, n_ticks: u64) -> Self {
        let mut cache = Self {
            spec,
            rng: SplitMix64::new(mix64(seed ^ 0x6361_6368_6573_7464)),
            entries: Vec::with_capacity(spec.keys as usize),
            waiters: vec![Vec::new(); spec.keys as usize],
            counts: CacheCounts::default(),
            in_flight: 0,
            tick_peak: 0,
            peak: 0,
            expiries: vec![0; n_ticks as usize + 1],
            tick_ns: u64::from(tick_ms.max(1)) * 1_000_000,
            waited: Histogram::default(),
        };
        for _ in 0..spec.keys {
            let expiry = cache.lifetime();
            cache.count_expiry(expiry, 1);
            cache.entries.push(Entry {
                expiry,
                delta: spec.recompute_ns() as u64,
                in_flight: 0,
                lock_until: 0,
                seen_expired: false,
            });
        }
        cache
    }

    /// A fresh value's lifetime, in ns: the TTL, shortened by up to the jitter share under
    /// TTL jitter.
    fn lifetime(&mut self) -> u64 {
        let ttl = u64::from(self.spec.ttl_ms) * 1_000_000;
        if self.spec.fix == CacheFix::Jitter && self.spec.jitter > 0.0 {
            let cut = self.spec.jitter * self.rng.unit_f64();
            (ttl as f64 * (1.0 - cut)).round().max(1.0) as u64
        } else {
            ttl
        }
    }

    fn count_expiry(&mut self, at: u64, add: i32) {
        if let Some(slot) = self.expiries.get_mut((at / self.tick_ns) as usize) {
            *slot = slot.saturating_add_signed(add);
        }
    }

    /// Which cached key a read of B asks for, or `None` for a call that bypasses the cache.
    pub(crate) fn pick(&mut self) -> Option<u32> {
        let hot = self.spec.hot;
        if hot < 1.0 && self.rng.unit_f64() >= hot {
            return None;
        }
        self.counts.lookups += 1;
        let n = self.spec.keys;
        Some(if n <= 1 {
            0
        } else {
            ((self.rng.unit_f64() * f64::from(n)) as u32).min(n - 1)
        })
    }

    /// What a read of `key` at `now` gets. `waiting_since` is when a lock waiter first
    /// looked (`None` for a first look).
    pub(crate) fn decide(&mut self, key: u32, now: u64, waiting_since: Option<u64>) -> Lookup {
        let spec = self.spec;
        let e = &mut self.entries[key as usize];
        let first = waiting_since.is_none();
        if now < e.expiry {
            if spec.fix == CacheFix::Early && first {
                // XFetch: recompute if now − δ·β·ln(U) ≥ expiry, U uniform in (0, 1].
                let u = 1.0 - self.rng.unit_f64();
                let lead = -(e.delta as f64) * spec.beta * libm::log(u);
                if now as f64 + lead >= e.expiry as f64 {
                    self.counts.early += 1;
                    return Lookup::Recompute;
                }
            }
            if first {
                self.counts.hits += 1;
            }
            return Lookup::Hit;
        }
        if !e.seen_expired {
            e.seen_expired = true;
            self.counts.expiries += 1;
        }
        if spec.fix == CacheFix::Swr
            && first
            && now
                < e.expiry
                    .saturating_add(u64::from(spec.stale_ms) * 1_000_000)
        {
            self.counts.stale += 1;
            return Lookup::Stale {
                revalidate: e.in_flight == 0,
            };
        }
        if first {
            self.counts.misses += 1;
        }
        match spec.fix {
            CacheFix::Coalesce if e.in_flight > 0 => {
                self.counts.waited += 1;
                Lookup::Join
            }
            CacheFix::Lock => {
                let lease = u64::from(spec.lease_ms) * 1_000_000;
                if let Some(since) = waiting_since
                    && now.saturating_sub(since) >= lease
                {
                    // Waited a whole lease: give up waiting and recompute.
                    Lookup::Recompute
                } else if e.lock_until > now {
                    if first {
                        self.counts.waited += 1;
                    }
                    Lookup::Wait
                } else {
                    e.lock_until = now.saturating_add(lease);
                    Lookup::Recompute
                }
            }
            _ => Lookup::Recompute,
        }
    }

    /// A recomputation of `key` starts.
    pub(crate) fn started(&mut self, key: u32) {
        let e = &mut self.entries[key as usize];
        if e.in_flight == 0 {
            self.counts.refreshes += 1;
        }
        e.in_flight += 1;
        self.counts.recomputes += 1;
        self.in_flight += 1;
        self.tick_peak = self.tick_peak.max(self.in_flight);
        self.peak = self.peak.max(self.in_flight);
    }

    /// A recomputation of `key` that took `took` ns ends at `now`: a success writes the value
    /// (a fresh lifetime, δ = `took`); either way the lock is released. Returns the callers
    /// that were waiting for it (single-flight).
    pub(crate) fn finished(&mut self, key: u32, now: u64, ok: bool, took: u64) -> Vec<u32> {
        self.in_flight -= 1;
        let lifetime = if ok { self.lifetime() } else { 0 };
        let old = self.entries[key as usize].expiry;
        let e = &mut self.entries[key as usize];
        e.in_flight -= 1;
        e.lock_until = 0;
        if ok {
            e.expiry = now.saturating_add(lifetime);
            e.delta = took;
            e.seen_expired = false;
            let expiry = e.expiry;
            if old > now {
                // Replaced before it expired (XFetch, or a second recomputation's write).
                self.count_expiry(old, -1);
            }
            self.count_expiry(expiry, 1);
        } else {
            self.counts.failed += 1;
        }
        // Single-flight has one recomputation in flight: its waiters share its result, a
        // failure included (as Go's singleflight shares the leader's error).
        std::mem::take(&mut self.waiters[key as usize])
    }

    /// Caller `call` waits for `key`'s recomputation in flight.
    pub(crate) fn join(&mut self, key: u32, call: u32) {
        self.waiters[key as usize].push(call);
    }

    /// The most recomputations in flight at once since the last call, then starts the next
    /// tick from those in flight now.
    pub(crate) fn take_tick_peak(&mut self) -> u32 {
        std::mem::replace(&mut self.tick_peak, self.in_flight)
    }
}

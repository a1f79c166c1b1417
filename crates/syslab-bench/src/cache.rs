//! The cache lab's benchmarks: accesses per second of every eviction policy on one Zipf trace,
//! and (natively only) the `lru`, `quick_cache` and `moka` crates on the same trace, with the
//! hit ratio each reaches.
//!
//! The trace is TinyUFO's workload at one tenth of its length: 1,000,000 requests drawn from
//! Zipf(1.0) over 10,000 keys (our rejection-inversion sampler, seed 1), replayed against a cache
//! of 1,000 objects (10% of the keys; LRU hits about 67.6%). A round builds a fresh cache and
//! replays the whole trace, every request a get-or-insert; for Bélády's optimum that includes
//! precomputing the next uses of the whole trace, which is part of its cost. Each result goes
//! through `black_box`.

use std::hint::black_box;

use syslab_core::cache::{Policy, PolicyKind, Zipf};
use syslab_core::rng::SplitMix64;

use crate::measure::{Budget, Clock, Figure, median, time_rounds};

/// Distinct keys of the trace.
const ITEMS: u64 = 10_000;
/// Requests of the trace.
const REQUESTS: usize = 1_000_000;
/// Cache size in objects.
const CAPACITY: u32 = 1_000;
/// Seed of the trace.
const SEED: u64 = 1;

/// The shared trace.
pub fn trace() -> Vec<u64> {
    let zipf = Zipf::new(ITEMS, 1.0).expect("valid Zipf parameters");
    let mut rng = SplitMix64::new(SEED);
    (0..REQUESTS).map(|_| zipf.sample(&mut rng)).collect()
}

/// Millions of accesses per second for `n` accesses taking `ms`.
fn maccesses_per_s(n: usize, ms: f64) -> f64 {
    n as f64 / ms / 1_000.0
}

/// Replays `keys` on a fresh `kind` cache and returns the hits.
fn replay(kind: PolicyKind, keys: &[u64]) -> u64 {
    let mut policy = Policy::new(kind, black_box(CAPACITY), SEED, keys);
    let mut hits = 0u64;
    for (pos, &key) in black_box(keys).iter().enumerate() {
        hits += u64::from(policy.access(key, pos as u32).hit);
    }
    black_box(&policy);
    hits
}

/// `cache/accesses-<id>`: one policy on the shared trace.
fn accesses(kind: PolicyKind, name: &'static str, clock: Clock<'_>, budget: &Budget) -> Figure {
    debug_assert_eq!(name, format!("cache/accesses-{}", kind.id()));
    let keys = trace();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(replay(kind, &keys));
    });
    (
        name,
        maccesses_per_s(keys.len(), median(&rounds)),
        "Maccesses/s",
    )
}

macro_rules! policy_benches {
    ($($fn_name:ident, $kind:ident, $name:literal;)*) => {
        $(
            #[doc = concat!("`", $name, "`.")]
            pub fn $fn_name(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
                vec![accesses(PolicyKind::$kind, $name, clock, budget)]
            }
        )*
    };
}

policy_benches! {
    lru, Lru, "cache/accesses-lru";
    lfu, Lfu, "cache/accesses-lfu";
    fifo, Fifo, "cache/accesses-fifo";
    mru, Mru, "cache/accesses-mru";
    random, Random, "cache/accesses-random";
    clock, Clock, "cache/accesses-clock";
    arc, Arc, "cache/accesses-arc";
    sieve, Sieve, "cache/accesses-sieve";
    s3_fifo, S3Fifo, "cache/accesses-s3_fifo";
    tinylfu, TinyLfu, "cache/accesses-tinylfu";
    belady, Belady, "cache/accesses-belady";
}

/// `cache/hit-ratio-<id>`: the hit ratio of every policy on the shared trace (in %), the
/// figures the reference crates are compared with. Computed once; the value is not a timing.
pub fn hit_ratios(_clock: Clock<'_>, _budget: &Budget) -> Vec<Figure> {
    let keys = trace();
    const NAMES: [&str; 11] = [
        "cache/hit-ratio-lru",
        "cache/hit-ratio-lfu",
        "cache/hit-ratio-fifo",
        "cache/hit-ratio-mru",
        "cache/hit-ratio-random",
        "cache/hit-ratio-clock",
        "cache/hit-ratio-arc",
        "cache/hit-ratio-sieve",
        "cache/hit-ratio-s3_fifo",
        "cache/hit-ratio-tinylfu",
        "cache/hit-ratio-belady",
    ];
    PolicyKind::ALL
        .iter()
        .zip(NAMES)
        .map(|(&kind, name)| {
            debug_assert_eq!(name, format!("cache/hit-ratio-{}", kind.id()));
            (
                name,
                replay(kind, &keys) as f64 / keys.len() as f64 * 100.0,
                "%",
            )
        })
        .collect()
}

/// The reference crates on the same trace (native only: benchmark dependencies, never part of
/// what the lab ships). Each is used single-threaded as a get-or-insert cache of 1,000 entries.
#[cfg(not(target_arch = "wasm32"))]
pub mod reference {
    use std::hint::black_box;
    use std::num::NonZeroUsize;

    use super::{CAPACITY, maccesses_per_s, trace};
    use crate::measure::{Budget, Clock, Figure, median, time_rounds};

    /// Hits of the `lru` crate's `LruCache`.
    fn lru_crate(keys: &[u64]) -> u64 {
        let mut cache = lru::LruCache::new(NonZeroUsize::new(CAPACITY as usize).expect("> 0"));
        let mut hits = 0;
        for &key in black_box(keys) {
            if cache.get(&key).is_some() {
                hits += 1;
            } else {
                cache.put(key, ());
            }
        }
        hits
    }

    /// Hits of `quick_cache`'s single-threaded cache (its S3-FIFO-like CLOCK-Pro variant).
    fn quick(keys: &[u64]) -> u64 {
        let mut cache = quick_cache::unsync::Cache::new(CAPACITY as usize);
        let mut hits = 0;
        for &key in black_box(keys) {
            if cache.get(&key).is_some() {
                hits += 1;
            } else {
                cache.insert(key, ());
            }
        }
        hits
    }

    /// Hits of `moka`'s synchronous cache (W-TinyLFU; concurrent, used from one thread). Its
    /// eviction runs in batches, so the cache may briefly hold more than its capacity.
    fn moka(keys: &[u64]) -> u64 {
        let cache = moka::sync::Cache::new(u64::from(CAPACITY));
        let mut hits = 0;
        for &key in black_box(keys) {
            if cache.get(&key).is_some() {
                hits += 1;
            } else {
                cache.insert(key, ());
            }
        }
        hits
    }

    fn bench(
        replay: fn(&[u64]) -> u64,
        names: [&'static str; 2],
        clock: Clock<'_>,
        budget: &Budget,
    ) -> Vec<Figure> {
        let keys = trace();
        let hits = replay(&keys);
        let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
            black_box(replay(&keys));
        });
        vec![
            (
                names[0],
                maccesses_per_s(keys.len(), median(&rounds)),
                "Maccesses/s",
            ),
            (names[1], hits as f64 / keys.len() as f64 * 100.0, "%"),
        ]
    }

    /// `cache/accesses-crate-lru`, `cache/hit-ratio-crate-lru`.
    pub fn lru(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
        bench(
            lru_crate,
            ["cache/accesses-crate-lru", "cache/hit-ratio-crate-lru"],
            clock,
            budget,
        )
    }

    /// `cache/accesses-crate-quick_cache`, `cache/hit-ratio-crate-quick_cache`.
    pub fn quick_cache(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
        bench(
            quick,
            [
                "cache/accesses-crate-quick_cache",
                "cache/hit-ratio-crate-quick_cache",
            ],
            clock,
            budget,
        )
    }

    /// `cache/accesses-crate-moka`, `cache/hit-ratio-crate-moka`.
    pub fn moka_sync(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
        bench(
            moka,
            ["cache/accesses-crate-moka", "cache/hit-ratio-crate-moka"],
            clock,
            budget,
        )
    }
}

/// `cache/clone-lab-1m-trace`: a deep copy of a cache lab replaying a 1,000,000-request trace
/// (the shared trace as text, parsed as the browser import does; LRU against SIEVE). Until the
/// shell shared the lab, the reducer paid this on every action, each play tick and each slice
/// of the miss-ratio curve included; it now pays nothing.
pub fn clone_lab(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    use syslab_core::cache::{BadLines, CacheLab, CacheScenario, TraceParser};
    let mut text = String::with_capacity(REQUESTS * 8);
    for key in trace() {
        text.push('k');
        text.push_str(&key.to_string());
        text.push('\n');
    }
    let mut parser = TraceParser::new(BadLines::Reject);
    parser.feed(text.as_bytes()).expect("a well-formed trace");
    let parsed = parser.finish().expect("a well-formed trace");
    let mut scenario = CacheScenario::default();
    scenario.config.capacity = CAPACITY;
    scenario.config.compare = vec![PolicyKind::Sieve];
    let lab = CacheLab::with_trace(&scenario, parsed).expect("within the budget");
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(black_box(&lab).clone());
    });
    vec![("cache/clone-lab-1m-trace", median(&rounds), "ms")]
}

//! The eviction policies against references: the `lru` crate hit for hit, TinyUFO's published
//! hit ratios, and Bélády's optimum as the bound every policy stays under.

use std::num::NonZeroUsize;

use syslab_core::cache::{Policy, PolicyKind, Zipf};
use syslab_core::rng::SplitMix64;

/// Hits of `kind` with `capacity` slots on `stream`.
fn hits(kind: PolicyKind, capacity: u32, stream: &[u64]) -> u64 {
    let mut policy = Policy::new(kind, capacity, 7, stream);
    let mut hits = 0;
    for (pos, &key) in stream.iter().enumerate() {
        hits += u64::from(policy.access(key, pos as u32).hit);
    }
    hits
}

#[test]
fn lru_matches_the_lru_crate_on_a_million_random_requests() {
    let mut rng = SplitMix64::new(2024);
    let stream: Vec<u64> = (0..1_000_000).map(|_| rng.below(5_000)).collect();
    for capacity in [1u32, 100, 1_000, 4_999] {
        let mut ours = Policy::new(PolicyKind::Lru, capacity, 0, &[]);
        let mut theirs = lru::LruCache::new(NonZeroUsize::new(capacity as usize).unwrap());
        for (pos, &key) in stream.iter().enumerate() {
            let expected = theirs.get(&key).is_some();
            if !expected {
                theirs.put(key, ());
            }
            let access = ours.access(key, pos as u32);
            assert_eq!(access.hit, expected, "capacity {capacity}, request {pos}");
        }
    }
}

/// TinyUFO's benchmark: 10,000 items, 5,000,000 Zipf(1.0) requests.
#[test]
fn tinyufo_published_hit_ratios() {
    let items = 10_000u64;
    let zipf = Zipf::new(items, 1.0).unwrap();
    let mut rng = SplitMix64::new(1);
    let stream: Vec<u64> = (0..5_000_000).map(|_| zipf.sample(&mut rng)).collect();
    let published_lru = [31.08, 39.17, 58.71, 67.59, 79.94];
    for (fraction, published) in [0.005, 0.01, 0.05, 0.1, 0.25]
        .into_iter()
        .zip(published_lru)
    {
        let capacity = (items as f64 * fraction) as u32;
        let ratio = |kind| hits(kind, capacity, &stream) as f64 / stream.len() as f64 * 100.0;
        let all: Vec<(PolicyKind, f64)> = PolicyKind::ALL.iter().map(|&k| (k, ratio(k))).collect();
        let get = |kind| all.iter().find(|(k, _)| *k == kind).unwrap().1;
        eprintln!("{capacity:>5}: {all:?}");
        let lru = get(PolicyKind::Lru);
        assert!(
            (lru - published).abs() < 0.5,
            "LRU at {capacity}: {lru} vs {published}"
        );
        for better in [PolicyKind::TinyLfu, PolicyKind::Sieve, PolicyKind::S3Fifo] {
            assert!(
                get(better) > lru,
                "{better:?} at {capacity}: {} vs LRU {lru}",
                get(better)
            );
        }
        let belady = get(PolicyKind::Belady);
        for (kind, r) in &all {
            if *kind != PolicyKind::Belady {
                assert!(belady > *r, "Bélády {belady} vs {kind:?} {r} at {capacity}");
            }
        }
    }
}

use proptest::prelude::*;
use syslab_core::cache::NO_SLOT;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every policy, under any mix of accesses, removals and crashes: a hit means the key was
    /// cached, a stored key is found in the slot reported, an evicted key is gone, and the cache
    /// never holds more than its capacity.
    #[test]
    fn every_policy_keeps_its_slots_consistent(
        capacity in 1u32..24,
        ops in proptest::collection::vec((0u64..48, 0u8..20), 1..600),
    ) {
        let stream: Vec<u64> = ops.iter().map(|(k, _)| *k).collect();
        for kind in PolicyKind::ALL {
            let mut policy = Policy::new(kind, capacity, 3, &stream);
            let mut cached = std::collections::BTreeSet::new();
            for (pos, &(key, op)) in ops.iter().enumerate() {
                match op {
                    0 => {
                        let removed = policy.remove(key);
                        prop_assert_eq!(removed.is_some(), cached.remove(&key), "{:?}", kind);
                    }
                    1 if pos % 7 == 0 => {
                        policy.clear();
                        cached.clear();
                    }
                    _ => {
                        let access = policy.access(key, pos as u32);
                        prop_assert_eq!(access.hit, cached.contains(&key), "{:?}", kind);
                        if let Some((evicted, slot)) = access.evicted {
                            prop_assert!(cached.remove(&evicted), "{:?}", kind);
                            prop_assert_eq!(policy.slot_of(evicted), None, "{:?}", kind);
                            prop_assert!(slot < capacity);
                        }
                        if access.slot == NO_SLOT {
                            prop_assert_eq!(kind, PolicyKind::Belady);
                        } else {
                            cached.insert(key);
                            prop_assert_eq!(policy.slot_of(key), Some(access.slot), "{:?}", kind);
                        }
                    }
                }
                prop_assert!(policy.table().len() <= capacity);
                prop_assert_eq!(policy.table().len() as usize, cached.len(), "{:?}", kind);
            }
        }
    }
}

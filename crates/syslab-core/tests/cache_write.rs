//! Write-strategy invariants under random workloads, crashes and outages: write-through never
//! loses an acknowledged write, write-back loses exactly the dirty entries present at a crash,
//! write-around never serves a value older than the last acknowledged write; and cache-aside
//! does serve stale values when a fill races a write.

use proptest::prelude::*;
use syslab_core::cache::{
    CacheConfig, CacheEvent, CacheLab, CacheScenario, EventKind, PolicyKind, WorkloadConfig,
    WorkloadKind, WriteStrategy,
};

fn config(write: WriteStrategy, policy: PolicyKind, seed: u64, write_ratio: f64) -> CacheConfig {
    CacheConfig {
        seed,
        policy,
        compare: Vec::new(),
        capacity: 20,
        write,
        flush_ms: 50,
        db_read_us: 4_000,
        batch: 50,
        workload: WorkloadConfig {
            kind: WorkloadKind::Zipf,
            items: 100,
            requests: 3_000,
            write_ratio,
            ..WorkloadConfig::default()
        },
        ..CacheConfig::default()
    }
}

/// Keys whose database version is older than their last acknowledged write.
fn lost_keys(lab: &CacheLab) -> u64 {
    let (db, acked) = lab.sim().versions();
    db.iter().zip(acked).filter(|(d, a)| d < a).count() as u64
}

fn policy_strategy() -> impl Strategy<Value = PolicyKind> {
    proptest::sample::select(PolicyKind::ALL.to_vec())
}

fn events_strategy() -> impl Strategy<Value = Vec<CacheEvent>> {
    proptest::collection::vec(
        (
            0u32..3_000,
            proptest::sample::select(EventKind::ALL.to_vec()),
        ),
        0..6,
    )
    .prop_map(|mut v| {
        v.sort_by_key(|e| e.0);
        v.into_iter()
            .map(|(at, kind)| CacheEvent { at, kind })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn write_through_never_loses_an_acknowledged_write(
        policy in policy_strategy(), seed in any::<u64>(), events in events_strategy(),
    ) {
        let mut lab = CacheLab::new(&CacheScenario {
            config: config(WriteStrategy::WriteThrough, policy, seed, 0.3),
            events,
            ..CacheScenario::default()
        }).unwrap();
        while !lab.finished() {
            lab.step().unwrap();
            prop_assert_eq!(lost_keys(&lab), 0);
        }
        lab.apply(EventKind::CrashCache);
        prop_assert_eq!(lost_keys(&lab), 0);
        prop_assert_eq!(lab.snapshot().counts.lost_writes, 0);
        prop_assert_eq!(lab.snapshot().counts.stale_reads, 0);
    }

    #[test]
    fn write_around_never_serves_an_old_value(
        policy in policy_strategy(), seed in any::<u64>(), events in events_strategy(),
    ) {
        let mut lab = CacheLab::new(&CacheScenario {
            config: config(WriteStrategy::WriteAround, policy, seed, 0.3),
            events,
            ..CacheScenario::default()
        }).unwrap();
        lab.run_to_end();
        let snapshot = lab.snapshot();
        prop_assert_eq!(snapshot.counts.stale_reads, 0);
        prop_assert_eq!(lost_keys(&lab), 0);
        prop_assert!(snapshot.counts.writes > 0);
    }

    #[test]
    fn write_back_loses_exactly_the_dirty_entries_at_a_crash(
        policy in policy_strategy(), seed in any::<u64>(), crash_step in 1u64..60,
    ) {
        let mut lab = CacheLab::new(&CacheScenario {
            config: config(WriteStrategy::WriteBack, policy, seed, 0.4),
            ..CacheScenario::default()
        }).unwrap();
        for _ in 0..crash_step {
            lab.step().unwrap();
        }
        // With the database up, every key the database is behind on is dirty in the cache.
        let dirty = lab.snapshot().counts.dirty;
        prop_assert_eq!(lost_keys(&lab), dirty);
        lab.apply(EventKind::CrashCache);
        let after = lab.snapshot();
        prop_assert_eq!(after.counts.lost_writes, dirty);
        prop_assert_eq!(after.counts.dirty, 0);
        prop_assert_eq!(lost_keys(&lab), dirty);
    }
}

#[test]
fn cache_aside_serves_stale_values_when_a_fill_races_a_write() {
    let mut lab = CacheLab::new(&CacheScenario {
        config: config(WriteStrategy::CacheAside, PolicyKind::Lru, 3, 0.2),
        ..CacheScenario::default()
    })
    .unwrap();
    lab.run_to_end();
    let aside = lab.snapshot().counts;
    assert!(aside.stale_reads > 0, "{aside:?}");
    // The same traffic read through the cache (loads cancelled by invalidation) is never stale.
    let mut lab = CacheLab::new(&CacheScenario {
        config: config(WriteStrategy::ReadThrough, PolicyKind::Lru, 3, 0.2),
        ..CacheScenario::default()
    })
    .unwrap();
    lab.run_to_end();
    assert_eq!(lab.snapshot().counts.stale_reads, 0);
}

#[test]
fn outages_fail_writes_except_under_write_back() {
    let run = |write| {
        let mut lab = CacheLab::new(&CacheScenario {
            config: config(write, PolicyKind::Lru, 5, 0.3),
            events: vec![
                CacheEvent {
                    at: 1_000,
                    kind: EventKind::DbDown,
                },
                CacheEvent {
                    at: 2_000,
                    kind: EventKind::DbUp,
                },
            ],
            ..CacheScenario::default()
        })
        .unwrap();
        lab.run_to_end();
        lab.snapshot().counts
    };
    for write in [
        WriteStrategy::CacheAside,
        WriteStrategy::ReadThrough,
        WriteStrategy::WriteThrough,
        WriteStrategy::WriteAround,
    ] {
        let counts = run(write);
        assert!(counts.failed_writes > 0, "{write:?}: {counts:?}");
        assert!(counts.failed_reads > 0, "{write:?}: {counts:?}");
    }
    let back = run(WriteStrategy::WriteBack);
    assert_eq!(back.failed_writes, 0, "{back:?}");
    // Write-back also spares the database: fewer writes than requests that wrote.
    assert!(back.db_writes < back.writes, "{back:?}");
}

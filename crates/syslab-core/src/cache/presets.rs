//! Ready-made scenarios that each tell one story about caching.

use super::config::{CacheConfig, WriteStrategy};
use super::lab::CacheScenario;
use super::policy::PolicyKind;
use super::sim::{CacheEvent, EventKind};
use super::workload::{WorkloadConfig, WorkloadKind};
use crate::Preset;

/// Every preset, in menu order.
pub fn presets() -> Vec<Preset<CacheScenario>> {
    let base = CacheConfig::default();
    let scenario = |config: CacheConfig| CacheScenario {
        config,
        ..CacheScenario::default()
    };
    vec![
        Preset {
            id: "zipf-lru-vs-sieve",
            label: "LRU vs SIEVE on Zipf",
            title: "Zipf traffic: SIEVE, S3-FIFO and W-TinyLFU keep more hot keys than LRU in the same space",
            scenario: scenario(CacheConfig {
                policy: PolicyKind::Sieve,
                compare: vec![
                    PolicyKind::Lru,
                    PolicyKind::S3Fifo,
                    PolicyKind::TinyLfu,
                    PolicyKind::Belady,
                ],
                capacity: 100,
                workload: WorkloadConfig {
                    items: 10_000,
                    requests: 100_000,
                    ..WorkloadConfig::default()
                },
                batch: 500,
                ..base.clone()
            }),
        },
        Preset {
            id: "scan-pollution",
            label: "Scan pollution",
            title: "A scan flushes LRU's hot keys; scan-resistant policies keep them",
            scenario: scenario(CacheConfig {
                policy: PolicyKind::Lru,
                compare: vec![
                    PolicyKind::Arc,
                    PolicyKind::S3Fifo,
                    PolicyKind::TinyLfu,
                    PolicyKind::Sieve,
                    PolicyKind::Belady,
                ],
                capacity: 200,
                workload: WorkloadConfig {
                    kind: WorkloadKind::Scan,
                    items: 2_000,
                    requests: 60_000,
                    period: 3_000,
                    scan_len: 1_000,
                    ..WorkloadConfig::default()
                },
                batch: 300,
                ..base.clone()
            }),
        },
        Preset {
            id: "loop-beats-lru",
            label: "A loop beats LRU",
            title: "A loop one key larger than the cache: LRU misses every request, MRU does not",
            scenario: scenario(CacheConfig {
                policy: PolicyKind::Lru,
                compare: vec![
                    PolicyKind::Mru,
                    PolicyKind::Fifo,
                    PolicyKind::Random,
                    PolicyKind::Belady,
                ],
                capacity: 50,
                workload: WorkloadConfig {
                    kind: WorkloadKind::Loop,
                    items: 51,
                    requests: 10_000,
                    ..WorkloadConfig::default()
                },
                ..base.clone()
            }),
        },
        Preset {
            id: "cache-aside-stale",
            label: "Cache-aside stale read",
            title: "Cache-aside: a slow fill lands after a write's delete and the cache serves an old value",
            scenario: scenario(CacheConfig {
                policy: PolicyKind::Lru,
                compare: Vec::new(),
                capacity: 50,
                write: WriteStrategy::CacheAside,
                db_read_us: 20_000,
                workload: WorkloadConfig {
                    items: 200,
                    requests: 20_000,
                    write_ratio: 0.1,
                    ..WorkloadConfig::default()
                },
                ..base.clone()
            }),
        },
        Preset {
            id: "write-back-crash",
            label: "Write-back crash",
            title: "Write-back: the cache crashes between two flushes and the dirty entries are lost",
            scenario: CacheScenario {
                config: CacheConfig {
                    policy: PolicyKind::Lru,
                    compare: Vec::new(),
                    capacity: 100,
                    write: WriteStrategy::WriteBack,
                    flush_ms: 5_000,
                    workload: WorkloadConfig {
                        items: 500,
                        requests: 20_000,
                        write_ratio: 0.3,
                        ..WorkloadConfig::default()
                    },
                    ..base.clone()
                },
                events: vec![CacheEvent {
                    at: 12_500,
                    kind: EventKind::CrashCache,
                }],
                ..CacheScenario::default()
            },
        },
        Preset {
            id: "db-outage",
            label: "Database outage",
            title: "The database goes down for five seconds: write-through refuses writes, write-back keeps accepting them",
            scenario: CacheScenario {
                config: CacheConfig {
                    policy: PolicyKind::Lru,
                    compare: Vec::new(),
                    capacity: 100,
                    write: WriteStrategy::WriteThrough,
                    workload: WorkloadConfig {
                        items: 500,
                        requests: 20_000,
                        write_ratio: 0.2,
                        ..WorkloadConfig::default()
                    },
                    ..base
                },
                events: vec![
                    CacheEvent {
                        at: 8_000,
                        kind: EventKind::DbDown,
                    },
                    CacheEvent {
                        at: 13_000,
                        kind: EventKind::DbUp,
                    },
                ],
                ..CacheScenario::default()
            },
        },
    ]
}

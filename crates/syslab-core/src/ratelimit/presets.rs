//! Ready-made scenarios that each tell one story about rate limiting.

use super::cluster::{Balancer, ClusterConfig, StoreMode};
use super::config::{KeyKind, RateLimitConfig};
use super::kind::AlgorithmKind;
use super::lab::RateLimitScenario;
use super::traffic::{Pattern, TrafficConfig};
use crate::Preset;

/// Every preset, in menu order.
pub(super) fn presets() -> Vec<Preset<RateLimitScenario>> {
    let base = RateLimitConfig::default();
    let scenario = |config: RateLimitConfig| RateLimitScenario {
        config,
        ..RateLimitScenario::default()
    };
    vec![
        Preset {
            id: "boundary-burst",
            label: "Boundary burst",
            title: "The fixed window's double burst: 10 per second lets 20 through across a boundary",
            scenario: scenario(RateLimitConfig {
                algorithm: AlgorithmKind::FixedWindow,
                compare: vec![
                    AlgorithmKind::SlidingLog,
                    AlgorithmKind::SlidingCounter,
                    AlgorithmKind::TokenBucket,
                ],
                key: KeyKind::Global,
                traffic: TrafficConfig {
                    pattern: Pattern::Spike,
                    // Light background traffic, so the window before the spike is empty and the
                    // spike alone shows the double burst: exactly 20 against a limit of 10.
                    rate: 0.5,
                    peak: 100.0,
                    on_ms: 400,
                    ..TrafficConfig::default()
                },
                duration_ms: 10_000,
                tick_ms: 50,
                ..base.clone()
            }),
        },
        Preset {
            id: "steady-overload",
            label: "Steady overload",
            title: "A steady overload: 15 requests per second against a limit of 10",
            scenario: scenario(RateLimitConfig {
                algorithm: AlgorithmKind::TokenBucket,
                compare: vec![
                    AlgorithmKind::LeakyQueue,
                    AlgorithmKind::Gcra,
                    AlgorithmKind::SlidingCounter,
                ],
                queue: 20,
                traffic: TrafficConfig {
                    pattern: Pattern::Poisson,
                    rate: 15.0,
                    ..TrafficConfig::default()
                },
                ..base.clone()
            }),
        },
        Preset {
            id: "flash-sale",
            label: "Flash sale",
            title: "A flash sale: bursts of 300 requests per second against a global limit of 100",
            scenario: scenario(RateLimitConfig {
                algorithm: AlgorithmKind::LeakyQueue,
                compare: vec![AlgorithmKind::TokenBucket, AlgorithmKind::SlidingLog],
                limit: 100,
                burst: 50,
                queue: 200,
                key: KeyKind::Global,
                traffic: TrafficConfig {
                    pattern: Pattern::Bursty,
                    rate: 40.0,
                    peak: 300.0,
                    clients: 200,
                    on_ms: 3_000,
                    off_ms: 7_000,
                    ..TrafficConfig::default()
                },
                ..base.clone()
            }),
        },
        Preset {
            id: "abusive-client",
            label: "Abusive client",
            title: "One abusive client among twenty good ones: per-key limits keep the good ones served",
            scenario: scenario(RateLimitConfig {
                algorithm: AlgorithmKind::SlidingCounter,
                compare: vec![AlgorithmKind::TokenBucket, AlgorithmKind::FixedWindow],
                limit: 5,
                burst: 5,
                traffic: TrafficConfig {
                    pattern: Pattern::Mix,
                    rate: 20.0,
                    peak: 50.0,
                    clients: 20,
                    abusers: 1,
                    ..TrafficConfig::default()
                },
                ..base.clone()
            }),
        },
        Preset {
            id: "distributed",
            label: "Distributed over-admission",
            title: "Four instances with local counters let through four times the limit",
            scenario: scenario(RateLimitConfig {
                algorithm: AlgorithmKind::FixedWindow,
                compare: vec![AlgorithmKind::SlidingLog, AlgorithmKind::TokenBucket],
                cluster: ClusterConfig {
                    instances: 4,
                    balancer: Balancer::RoundRobin,
                    store: StoreMode::Local,
                    ..ClusterConfig::default()
                },
                traffic: TrafficConfig {
                    pattern: Pattern::Poisson,
                    rate: 60.0,
                    ..TrafficConfig::default()
                },
                ..base.clone()
            }),
        },
        Preset {
            id: "racy-store",
            label: "Racy central store",
            title: "A shared store read then written: requests within one round trip all get through",
            scenario: scenario(RateLimitConfig {
                algorithm: AlgorithmKind::FixedWindow,
                compare: vec![AlgorithmKind::TokenBucket, AlgorithmKind::SlidingLog],
                cluster: ClusterConfig {
                    instances: 4,
                    balancer: Balancer::Random,
                    store: StoreMode::Racy,
                    rtt_us: 50_000,
                },
                traffic: TrafficConfig {
                    pattern: Pattern::Poisson,
                    rate: 60.0,
                    ..TrafficConfig::default()
                },
                ..base
            }),
        },
    ]
}

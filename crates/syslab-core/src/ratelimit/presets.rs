//! Ready-made scenarios that each tell one story about rate limiting.

use super::cluster::{Balancer, ClusterConfig, StoreMode};
use super::config::{KeyKind, RateLimitConfig};
use super::kind::AlgorithmKind;
use super::lab::RateLimitScenario;
use super::traffic::{Pattern, TrafficConfig};

/// Every preset as (id, title, scenario), in menu order.
pub fn presets() -> Vec<(&'static str, &'static str, RateLimitScenario)> {
    let base = RateLimitConfig::default();
    let scenario = |config: RateLimitConfig| RateLimitScenario {
        config,
        ..RateLimitScenario::default()
    };
    vec![
        (
            "boundary-burst",
            "The fixed window's double burst: 10 per second lets 20 through across a boundary",
            scenario(RateLimitConfig {
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
        ),
        (
            "steady-overload",
            "A steady overload: 15 requests per second against a limit of 10",
            scenario(RateLimitConfig {
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
        ),
        (
            "flash-sale",
            "A flash sale: bursts of 300 requests per second against a global limit of 100",
            scenario(RateLimitConfig {
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
        ),
        (
            "abusive-client",
            "One abusive client among twenty good ones: per-key limits keep the good ones served",
            scenario(RateLimitConfig {
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
        ),
        (
            "distributed",
            "Four instances with local counters let through four times the limit",
            scenario(RateLimitConfig {
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
        ),
        (
            "racy-store",
            "A shared store read then written: requests within one round trip all get through",
            scenario(RateLimitConfig {
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
        ),
    ]
}

/// The preset with identifier `id`.
pub fn preset(id: &str) -> Option<RateLimitScenario> {
    presets()
        .into_iter()
        .find(|(pid, _, _)| *pid == id)
        .map(|(_, _, s)| s)
}

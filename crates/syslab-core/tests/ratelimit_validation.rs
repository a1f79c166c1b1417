//! Configs the rate-limiter lab refuses: each is an `Err` with a message, never a panic.

use syslab_core::ConfigError;
use syslab_core::ratelimit::{
    AlgorithmKind, LimitParams, Nanos, Pattern, RateLimitConfig, RateLimitLab, RateLimitScenario,
    StoreMode,
};

/// Checks that `edit` applied to the default config is refused, naming `what`.
#[track_caller]
fn check(edit: impl FnOnce(&mut RateLimitConfig), what: &str) {
    let mut scenario = RateLimitScenario::default();
    edit(&mut scenario.config);
    let err = scenario
        .config
        .validate()
        .expect_err("the config is refused");
    assert!(RateLimitLab::new(&scenario).is_err());
    let ConfigError::OutOfRange { what: named, .. } = &err else {
        panic!("expected OutOfRange, got {err:?}");
    };
    assert!(named.contains(what), "{err}");
    assert!(!err.to_string().is_empty());
}

#[test]
fn invalid_configs_are_refused() {
    check(|c| c.limit = 0, "limit");
    check(|c| c.limit = 1_000_001, "limit");
    check(|c| c.window_ms = 0, "window");
    check(|c| c.window_ms = u32::MAX, "window");
    check(|c| c.burst = 0, "burst");
    check(|c| c.burst = 2_000_000, "burst");
    check(|c| c.queue = 0, "queue");
    check(|c| c.queue = 100_001, "queue");
    check(|c| c.clients_per_key = 0, "clients per key");
    check(|c| c.duration_ms = 0, "duration");
    check(|c| c.duration_ms = 3_600_001, "duration");
    check(|c| c.tick_ms = 0, "step");
    check(|c| c.tick_ms = c.duration_ms + 1, "step");
    check(|c| (c.duration_ms, c.tick_ms) = (3_600_000, 1), "steps");
    check(
        |c| c.compare = vec![AlgorithmKind::Gcra, AlgorithmKind::Gcra],
        "compared",
    );
    // The shown algorithm may be listed too: it keeps its one row.
    let mut listed = RateLimitConfig::default();
    listed.compare = vec![AlgorithmKind::Gcra, listed.algorithm];
    assert_eq!(listed.validate(), Ok(()));
    assert_eq!(
        listed.algorithms(),
        [AlgorithmKind::TokenBucket, AlgorithmKind::Gcra]
    );
    check(|c| c.cluster.instances = 0, "instances");
    check(|c| c.cluster.instances = 65, "instances");
    check(|c| c.cluster.rtt_us = 10_000_001, "round trip");
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 1e7] {
        check(|c| c.traffic.rate = bad, "traffic rate");
        check(|c| c.traffic.peak = bad, "peak rate");
    }
    check(|c| c.traffic.rate = 0.0, "traffic rate");
    check(|c| c.traffic.clients = 0, "clients");
    check(|c| c.traffic.clients = 10_001, "clients");
    check(|c| c.traffic.abusers = 1_001, "abusive");
    check(|c| c.traffic.on_ms = 0, "burst length");
    check(|c| c.traffic.rate = 100_000.0, "number of requests");
    check(
        |c| {
            (c.traffic.pattern, c.traffic.clients) = (Pattern::Poisson, 10_000);
            c.cluster.instances = 64;
        },
        "limiter states",
    );
    check(
        |c| {
            (c.algorithm, c.limit, c.window_ms) = (AlgorithmKind::SlidingLog, 50_000, 60_000);
            c.cluster.store = StoreMode::Racy;
        },
        "sliding log",
    );
    let steps = RateLimitScenario {
        steps: 1_000,
        ..RateLimitScenario::default()
    };
    assert!(RateLimitLab::new(&steps).is_err());
    assert!(RateLimitLab::new(&RateLimitScenario::default()).is_ok());
}

#[test]
fn limit_params_refuse_zeros_and_sub_nanosecond_intervals() {
    let new = |limit, window, burst, queue| {
        LimitParams::new(
            AlgorithmKind::TokenBucket,
            limit,
            Nanos(window),
            burst,
            queue,
        )
    };
    assert!(new(0, 1_000, 1, 1).is_none());
    assert!(new(1, 0, 1, 1).is_none());
    assert!(new(1, 1_000, 0, 1).is_none());
    assert!(new(1, 1_000, 1, 0).is_none());
    assert!(new(1_001, 1_000, 1, 1).is_none());
    assert_eq!(new(1_000, 1_000, 1, 1).map(|p| p.interval()), Some(1));
}

#[test]
fn scenarios_from_json_fill_defaults() {
    let scenario: RateLimitScenario =
        serde_json::from_str(r#"{"config": {"limit": 5}}"#).expect("parse");
    assert_eq!(scenario.config.limit, 5);
    assert_eq!(
        scenario.config.window_ms,
        RateLimitConfig::default().window_ms
    );
    assert!(RateLimitLab::new(&scenario).is_ok());
}

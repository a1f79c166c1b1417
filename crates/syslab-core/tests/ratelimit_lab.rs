//! The rate-limiter lab as a whole: distributed deployments, the fixed window's boundary burst
//! on generated traffic, conservation of requests, determinism and the serde and URL boundaries.

use proptest::prelude::*;
use syslab_core::ratelimit::{
    AlgorithmKind, ClusterConfig, KeyKind, Nanos, Outcome, Pattern, RateLimitConfig, RateLimitLab,
    RateLimitScenario, RunSnapshot, StoreMode, TrafficConfig, max_in_window,
};
use syslab_core::{Lab, Notice};

fn scenario_to_params(scenario: &RateLimitScenario) -> Vec<(String, String)> {
    <RateLimitLab as Lab>::to_params(scenario)
}

fn scenario_from_params(pairs: &[(String, String)]) -> (RateLimitScenario, Vec<Notice>) {
    <RateLimitLab as Lab>::from_params(pairs)
}

fn run(config: RateLimitConfig) -> RateLimitLab {
    let mut lab = RateLimitLab::new(&RateLimitScenario {
        config,
        ..RateLimitScenario::default()
    })
    .expect("a valid config");
    lab.run_to_end();
    lab
}

fn row(lab: &RateLimitLab, kind: AlgorithmKind) -> RunSnapshot {
    lab.snapshot()
        .runs
        .into_iter()
        .find(|r| r.algorithm == kind)
        .expect("the algorithm ran")
}

/// One client sending `rate` per second at a limit of 10 per second through `cluster`.
fn saturated(cluster: ClusterConfig, pattern: Pattern, rate: f64) -> RateLimitConfig {
    RateLimitConfig {
        algorithm: AlgorithmKind::SlidingLog,
        compare: vec![
            AlgorithmKind::FixedWindow,
            AlgorithmKind::TokenBucket,
            AlgorithmKind::Gcra,
        ],
        cluster,
        traffic: TrafficConfig {
            pattern,
            rate,
            clients: 1,
            ..TrafficConfig::default()
        },
        duration_ms: 10_000,
        ..RateLimitConfig::default()
    }
}

#[test]
fn local_counters_over_admit_by_the_number_of_instances() {
    for instances in [1, 2, 4, 8] {
        let cluster = ClusterConfig {
            instances,
            store: StoreMode::Local,
            ..ClusterConfig::default()
        };
        let lab = run(saturated(cluster, Pattern::Steady, 200.0));
        let log = row(&lab, AlgorithmKind::SlidingLog);
        // Round robin splits the saturating traffic evenly, each instance admits its own limit.
        assert_eq!(log.max_in_window, 10 * instances, "{instances} instances");
        assert_eq!(log.store_latency, Nanos::ZERO);
    }
}

#[test]
fn an_atomic_store_is_exact_and_costs_a_round_trip() {
    let single = run(saturated(ClusterConfig::default(), Pattern::Poisson, 80.0));
    let cluster = ClusterConfig {
        instances: 8,
        store: StoreMode::Atomic,
        rtt_us: 5_000,
        ..ClusterConfig::default()
    };
    let atomic = run(saturated(cluster, Pattern::Poisson, 80.0));
    for (i, kind) in atomic.algorithms().into_iter().enumerate() {
        assert_eq!(
            atomic.outcomes(i),
            single.outcomes(i),
            "{kind:?}: the cluster decides like one limiter"
        );
    }
    let log = row(&atomic, AlgorithmKind::SlidingLog);
    assert_eq!(log.max_in_window, 10);
    assert_eq!(log.store_latency, Nanos::from_ms(5));
}

#[test]
fn a_racy_store_over_admits_when_requests_overlap_a_round_trip() {
    let racy = |rtt_us| {
        let cluster = ClusterConfig {
            instances: 4,
            store: StoreMode::Racy,
            rtt_us,
            ..ClusterConfig::default()
        };
        run(saturated(cluster, Pattern::Poisson, 100.0))
    };
    // 100 requests per second, a 50 ms round trip: about five requests read the same state.
    let slow = racy(50_000);
    for kind in [
        AlgorithmKind::SlidingLog,
        AlgorithmKind::FixedWindow,
        AlgorithmKind::TokenBucket,
    ] {
        let r = row(&slow, kind);
        assert!(
            r.max_in_window > 15,
            "{kind:?}: max in window {}",
            r.max_in_window
        );
    }
    // With no round trip, a read-then-write is as good as atomic.
    let instant = racy(0);
    assert_eq!(row(&instant, AlgorithmKind::SlidingLog).max_in_window, 10);
}

#[test]
fn the_fixed_window_lets_twice_the_limit_through_a_boundary_spike() {
    let config = RateLimitConfig {
        algorithm: AlgorithmKind::FixedWindow,
        compare: vec![AlgorithmKind::SlidingLog, AlgorithmKind::SlidingCounter],
        key: KeyKind::Global,
        traffic: TrafficConfig {
            pattern: Pattern::Spike,
            rate: 0.0,
            peak: 100.0,
            on_ms: 400,
            ..TrafficConfig::default()
        },
        duration_ms: 10_000,
        ..RateLimitConfig::default()
    };
    let lab = run(config);
    let fixed = row(&lab, AlgorithmKind::FixedWindow);
    assert_eq!(fixed.max_in_window, 20);
    assert_eq!(fixed.max_over_limit, 2.0);
    assert_eq!(row(&lab, AlgorithmKind::SlidingLog).max_in_window, 10);
    // The lab's metric agrees with the reference sweep over the allowed arrivals.
    let allowed: Vec<Nanos> = lab
        .arrivals()
        .iter()
        .zip(lab.outcomes(0))
        .filter(|(_, o)| **o == Outcome::Allowed)
        .map(|(a, _)| a.at)
        .collect();
    assert_eq!(max_in_window(&allowed, Nanos::from_ms(1_000)), 20);
}

#[test]
fn per_key_limits_protect_good_clients_from_an_abuser() {
    let config = |key| RateLimitConfig {
        key,
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
        ..RateLimitConfig::default()
    };
    let per_key = row(&run(config(KeyKind::ApiKey)), AlgorithmKind::TokenBucket);
    let global = row(&run(config(KeyKind::Global)), AlgorithmKind::TokenBucket);
    assert!(per_key.fairness > 0.95, "per key: {}", per_key.fairness);
    assert!(
        global.fairness < per_key.fairness - 0.2,
        "global: {} per key: {}",
        global.fairness,
        per_key.fairness
    );
    // Client 0 is the abuser: with its own key it gets about its limit, 5 of every ~70 admitted.
    assert!(per_key.clients[0].share < 0.25, "{:?}", per_key.clients[0]);
}

#[test]
fn every_preset_round_trips_and_is_deterministic() {
    for preset in <RateLimitLab as Lab>::presets() {
        let (id, scenario) = (preset.id, preset.scenario);
        assert!(!preset.title.is_empty() && !preset.label.is_empty());
        let json = serde_json::to_string(&scenario).expect("serialize");
        let back: RateLimitScenario = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, scenario, "{id}");
        let (decoded, notices) = scenario_from_params(&scenario_to_params(&scenario));
        assert_eq!(notices, [], "{id}");
        assert_eq!(decoded, scenario, "{id}");
        let (from_id, notices) = scenario_from_params(&[("preset".to_owned(), id.to_owned())]);
        assert_eq!((from_id, notices), (scenario.clone(), vec![]), "{id}");
        let mut a = RateLimitLab::new(&scenario).expect(id);
        let mut b = RateLimitLab::new(&scenario).expect(id);
        for _ in 0..37 {
            a.step().expect("step");
            b.step().expect("step");
        }
        let (sa, sb) = (a.snapshot(), b.snapshot());
        assert_eq!(
            serde_json::to_string(&sa).ok(),
            serde_json::to_string(&sb).ok(),
            "{id}"
        );
        // The lab's scenario rebuilds it exactly.
        assert_eq!(
            RateLimitLab::new(&a.scenario()).expect(id).snapshot(),
            sa,
            "{id}"
        );
        assert_eq!(a.view(), b.view(), "{id}");
        a.run_to_end();
        assert!(a.snapshot().finished);
        assert_eq!(a.view().rows.len(), scenario.config.algorithms().len());
    }
}

#[test]
fn a_refused_change_leaves_the_lab_as_it_was() {
    let mut lab = RateLimitLab::new(&RateLimitScenario::default()).expect("default");
    for _ in 0..10 {
        lab.step().expect("step");
    }
    let before = lab.snapshot();
    assert!(lab.reconfigure(|c| c.limit = 0).is_err());
    assert!(lab.reconfigure(|c| c.traffic.rate = f64::NAN).is_err());
    assert_eq!(lab.snapshot(), before);
    lab.reconfigure(|c| c.algorithm = AlgorithmKind::Gcra)
        .expect("valid");
    assert_eq!(lab.now(), before.now);
    assert_eq!(lab.algorithms(), [AlgorithmKind::Gcra]);
}

fn small_config() -> impl Strategy<Value = RateLimitConfig> {
    (
        prop::sample::select(AlgorithmKind::ALL.to_vec()),
        prop::sample::select(Pattern::ALL.to_vec()),
        prop::sample::select(StoreMode::ALL.to_vec()),
        (1u32..20, 1u32..3_000, 1u32..20, 1u32..20),
        (1u32..5, 0u32..50_000, 0.0f64..200.0, 0.0f64..200.0, 1u32..6),
        (
            prop::sample::select(KeyKind::ALL.to_vec()),
            any::<u64>(),
            1u32..3_000,
        ),
    )
        .prop_map(
            |(
                algorithm,
                pattern,
                store,
                (limit, window_ms, burst, queue),
                (instances, rtt_us, rate, peak, clients),
                (key, seed, duration_ms),
            )| {
                RateLimitConfig {
                    seed,
                    algorithm,
                    compare: AlgorithmKind::ALL
                        .into_iter()
                        .filter(|k| *k != algorithm)
                        .collect(),
                    limit,
                    window_ms,
                    burst,
                    queue,
                    key,
                    clients_per_key: 2,
                    cluster: ClusterConfig {
                        instances,
                        store,
                        rtt_us,
                        ..ClusterConfig::default()
                    },
                    traffic: TrafficConfig {
                        pattern,
                        rate: rate + 1.0,
                        peak,
                        clients,
                        abusers: 1,
                        on_ms: 300,
                        off_ms: 200,
                    },
                    duration_ms,
                    tick_ms: (duration_ms / 20).max(1),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_request_is_allowed_rejected_or_delayed_exactly_once(config in small_config()) {
        let lab = run(config.clone());
        let snap = lab.snapshot();
        prop_assert_eq!(snap.decided, lab.arrivals().len() as u64);
        for (i, r) in snap.runs.iter().enumerate() {
            prop_assert_eq!(r.counts.total(), snap.decided);
            prop_assert_eq!(lab.outcomes(i).len() as u64, snap.decided);
            let by_outcome = |o: Outcome| lab.outcomes(i).iter().filter(|&&x| x == o).count() as u64;
            prop_assert_eq!(by_outcome(Outcome::Allowed), r.counts.allowed);
            prop_assert_eq!(by_outcome(Outcome::Delayed), r.counts.delayed);
            prop_assert_eq!(by_outcome(Outcome::Rejected), r.counts.rejected);
            let series: u64 = r.series.iter().map(|p| p.counts.total()).sum();
            prop_assert_eq!(series, snap.decided);
            if r.algorithm != AlgorithmKind::LeakyQueue {
                prop_assert_eq!(r.counts.delayed, 0);
            }
            prop_assert!(r.waits.p50 <= r.waits.p95 && r.waits.p95 <= r.waits.p99 && r.waits.p99 <= r.waits.max);
            prop_assert!(r.fairness > 0.0 && r.fairness <= 1.0 + 1e-9);
            // One limiter, or a cluster sharing an atomic store, never exceeds an exact limit.
            let exact = config.cluster.store == StoreMode::Atomic
                || (config.cluster.instances == 1 && config.cluster.store == StoreMode::Local);
            if exact && r.algorithm == AlgorithmKind::SlidingLog {
                prop_assert!(r.max_in_window <= config.limit);
            }
        }
    }

    #[test]
    fn any_parameters_build_a_lab(
        pairs in prop::collection::vec((
            prop::sample::select(vec![
                "preset", "alg", "cmp", "limit", "window", "burst", "queue", "by", "per", "inst", "lb",
                "store", "rtt", "traffic", "rate", "peak", "clients", "abusers", "on", "off", "dur",
                "tick", "seed", "step", "bogus",
            ]),
            prop_oneof![
                "[0-9]{0,4}",
                "-?[0-9]{0,3}\\.[0-9]{0,3}",
                ".{0,12}",
                prop::sample::select(vec![
                    "gcra", "sliding_log,gcra,gcra", "racy", "ip", "mix", "spike", "1000000",
                    "3600000", "NaN", "inf", "boundary-burst", "distributed", "0",
                ]).prop_map(str::to_owned),
            ],
        ), 0..8),
    ) {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let (scenario, _notices) = scenario_from_params(&pairs);
        let lab = RateLimitLab::new(&scenario);
        prop_assert!(lab.is_ok(), "{:?} → {:?}", pairs, lab.err());
        let (again, notices) = scenario_from_params(&scenario_to_params(&scenario));
        prop_assert_eq!(notices, vec![]);
        prop_assert_eq!(again, scenario);
    }
}

#[test]
fn a_finished_run_is_shown_whole_and_a_running_one_follows_the_newest_windows() {
    let scenario = <RateLimitLab as Lab>::preset("boundary-burst").expect("the preset exists");
    let mut lab = RateLimitLab::new(&scenario).expect("a valid preset");
    let duration = lab.config().duration();
    let window = lab.config().window();
    lab.step().expect("a step");
    let running = lab.view();
    assert!(
        running.span.0 < duration.0,
        "while running: the newest windows only"
    );

    lab.run_to_end();
    let done = lab.view();
    assert_eq!(done.span, duration);
    assert_eq!(done.span_start, Nanos(0));
    let windows = duration.0 / window.0;
    assert!(
        done.boundaries.len() as u64 >= windows,
        "{} boundaries for {windows} windows",
        done.boundaries.len()
    );
    for lane in &done.lanes {
        let marks: usize = lane.marks.iter().map(|m| m.count).sum();
        assert_eq!(marks, lab.arrivals().len(), "every request has its mark");
    }
}

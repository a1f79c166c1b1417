//! The rate-limiter lab behind the contract: its schema round-trips every scenario, a bad
//! parameter falls back alone, the work budget refuses runs that would freeze a page, and its
//! one action is atomic.

use proptest::prelude::*;
use syslab_core::format::parse_decimal;
use syslab_core::ratelimit::{
    AlgorithmKind, Balancer, ClusterConfig, KeyKind, MAX_WORK, Pattern, RATE_LIMIT_PARAMS,
    RateLimitAction, RateLimitConfig, RateLimitLab, RateLimitScenario, StoreMode, TrafficConfig,
    work,
};
use syslab_core::{Lab, LabScenario, Notice, Scenario};

fn to_params(scenario: &RateLimitScenario) -> Vec<(String, String)> {
    <RateLimitLab as Lab>::to_params(scenario)
}

fn from_params(pairs: &[(String, String)]) -> (RateLimitScenario, Vec<Notice>) {
    <RateLimitLab as Lab>::from_params(pairs)
}

fn pairs(query: &str) -> Vec<(String, String)> {
    syslab_core::query::parse_query(query)
}

/// Checks that `scenario` is valid and survives the link codec and JSON with no notice.
#[track_caller]
fn check_round_trip(scenario: &RateLimitScenario) {
    assert_eq!(LabScenario::check(scenario), Ok(()), "{scenario:?}");
    let params = to_params(scenario);
    let (back, notices) = from_params(&params);
    assert_eq!(notices, [], "{params:?}");
    assert_eq!(&back, scenario, "{params:?}");
    let url = format!(
        "/rate-limiter?{}",
        syslab_core::query::encode_query(&params)
    );
    let (tagged, notices) = Scenario::from_url(&url).expect("a registered lab");
    assert_eq!(notices, [], "{url}");
    assert_eq!(tagged, Scenario::RateLimiter(scenario.clone()), "{url}");
    let json = serde_json::to_string(&tagged).expect("serialize");
    assert_eq!(Scenario::from_json(&json), Ok(tagged), "{json}");
}

/// Checks that the link `query` gives exactly one notice, about `param`, and keeps every other
/// parameter it names as written.
#[track_caller]
fn check_falls_back_alone(query: &str, param: &str) -> RateLimitScenario {
    let given = pairs(query);
    let (scenario, notices) = from_params(&given);
    assert_eq!(notices.len(), 1, "{query}: {notices:?}");
    assert_eq!(notices[0].param, param, "{query}: {notices:?}");
    let kept = to_params(&scenario);
    for pair in given.iter().filter(|(k, _)| k != param) {
        assert!(kept.contains(pair), "{query}: lost {pair:?}, kept {kept:?}");
    }
    assert_eq!(LabScenario::check(&scenario), Ok(()), "{query}");
    scenario
}

/// A scenario in which every parameter differs from its default.
fn everything_scenario() -> RateLimitScenario {
    RateLimitScenario {
        config: RateLimitConfig {
            seed: 9_876_543_210,
            algorithm: AlgorithmKind::SlidingLog,
            compare: vec![AlgorithmKind::Gcra, AlgorithmKind::LeakyQueue],
            limit: 25,
            window_ms: 1_500,
            burst: 7,
            queue: 30,
            key: KeyKind::User,
            clients_per_key: 3,
            cluster: ClusterConfig {
                instances: 3,
                balancer: Balancer::Random,
                store: StoreMode::Racy,
                rtt_us: 2_500,
            },
            traffic: TrafficConfig {
                pattern: Pattern::Mix,
                rate: 97.424_694_949,
                peak: 33.25,
                clients: 12,
                abusers: 2,
                on_ms: 750,
                off_ms: 1_250,
            },
            duration_ms: 12_000,
            tick_ms: 40,
        },
        steps: 17,
        ..RateLimitScenario::default()
    }
}

#[test]
fn the_schema_round_trips_every_preset_and_every_parameter() {
    let presets = <RateLimitLab as Lab>::presets();
    assert_eq!(presets.len(), 6);
    for preset in &presets {
        assert!(!preset.label.is_empty() && !preset.title.is_empty());
        check_round_trip(&preset.scenario);
        let (from_id, notices) = from_params(&pairs(&format!("preset={}", preset.id)));
        assert_eq!((from_id, notices), (preset.scenario.clone(), vec![]));
    }
    check_round_trip(&RateLimitScenario::default());
    assert_eq!(to_params(&RateLimitScenario::default()), []);

    let scenario = everything_scenario();
    let params = to_params(&scenario);
    let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    let schema: Vec<&str> = RATE_LIMIT_PARAMS.iter().map(|p| p.key).collect();
    assert_eq!(keys, schema, "every parameter is written, in schema order");
    check_round_trip(&scenario);
}

#[test]
fn the_schema_describes_every_parameter() {
    let infos = Scenario::params("rate-limiter").expect("a registered lab");
    assert_eq!(infos.len(), RATE_LIMIT_PARAMS.len());
    let mut keys: Vec<&str> = infos.iter().map(|p| p.key).collect();
    for info in &infos {
        assert!(
            !info.label.is_empty() && info.help.ends_with('.'),
            "{info:?}"
        );
        assert!(!info.accepts.is_empty(), "{info:?}");
    }
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), infos.len(), "keys are unique");
    // The old codec's keys, every one still read.
    for key in [
        "seed", "alg", "cmp", "limit", "window", "burst", "queue", "by", "per", "inst", "lb",
        "store", "rtt", "traffic", "rate", "peak", "clients", "abusers", "on", "off", "dur",
        "tick", "step",
    ] {
        assert!(keys.contains(&key), "{key}");
    }
}

/// A valid scenario whose every parameter can fall back to its default alone: small rates and
/// runs (so the default rate, peak, abusers or run length stay within the budget), runs of
/// at least 100 ms (the default step), and steps that every fallback's run still has.
fn arb_scenario() -> impl Strategy<Value = RateLimitScenario> {
    (
        (
            any::<u64>(),
            prop::sample::select(AlgorithmKind::ALL.to_vec()),
            prop::sample::subsequence(AlgorithmKind::ALL.to_vec(), 0..4),
            (1u32..=2_000, 1u32..=60_000, 1u32..=1_000, 1u32..=1_000),
        ),
        (
            prop::sample::select(KeyKind::ALL.to_vec()),
            1u32..=20,
            1u32..=8,
            prop::sample::select(Balancer::ALL.to_vec()),
            prop::sample::select(StoreMode::ALL.to_vec()),
            0u32..=100_000,
        ),
        (
            prop::sample::select(Pattern::ALL.to_vec()),
            1u32..=20_000,
            0u32..=50_000,
            1u32..=200,
            0u32..=5,
            1u32..=5_000,
            0u32..=5_000,
        ),
        (100u32..=60_000, 1u32..=2_000, any::<prop::sample::Index>()),
    )
        .prop_map(
            |(
                (seed, algorithm, compare, (limit, window_ms, burst, queue)),
                (key, clients_per_key, instances, balancer, store, rtt_us),
                (pattern, rate, peak, clients, abusers, on_ms, off_ms),
                (duration_ms, tick, step),
            )| {
                let tick_ms = tick.min(duration_ms);
                let total = |dur: u32, tick: u32| u64::from(dur.div_ceil(tick));
                let most = total(duration_ms, tick_ms)
                    .min(total(20_000, tick_ms))
                    .min(total(duration_ms, 100));
                RateLimitScenario {
                    config: RateLimitConfig {
                        seed,
                        algorithm,
                        compare,
                        limit,
                        window_ms,
                        burst,
                        queue,
                        key,
                        clients_per_key,
                        cluster: ClusterConfig {
                            instances,
                            balancer,
                            store,
                            rtt_us,
                        },
                        traffic: TrafficConfig {
                            pattern,
                            rate: f64::from(rate) / 100.0,
                            peak: f64::from(peak) / 100.0,
                            clients,
                            abusers,
                            on_ms,
                            off_ms,
                        },
                        duration_ms,
                        tick_ms,
                    },
                    steps: step.index(most as usize + 1) as u64,
                    ..RateLimitScenario::default()
                }
            },
        )
}

/// Text no parameter accepts: every kind refuses a `#` (not a digit, an id or a list of ids).
fn garbage() -> impl Strategy<Value = String> {
    "[a-z0-9_.,]{0,6}#[ -~]{0,8}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_valid_scenario_round_trips(scenario in arb_scenario()) {
        prop_assert_eq!(LabScenario::check(&scenario), Ok(()));
        let (back, notices) = from_params(&to_params(&scenario));
        prop_assert_eq!(notices, vec![]);
        prop_assert_eq!(back, scenario);
    }

    #[test]
    fn one_bad_parameter_falls_back_alone(
        scenario in arb_scenario(),
        idx in 0..RATE_LIMIT_PARAMS.len(),
        bad in garbage(),
    ) {
        let key = RATE_LIMIT_PARAMS[idx].key;
        let mut link = to_params(&scenario);
        match link.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = bad.clone(),
            None => link.push((key.to_owned(), bad.clone())),
        }
        let (decoded, notices) = from_params(&link);
        prop_assert_eq!(notices.len(), 1, "{:?}: {:?}", link, notices);
        prop_assert_eq!(notices[0].param.as_str(), key);
        prop_assert!(notices[0].message.contains("using the default"), "{}", notices[0]);
        let kept = to_params(&decoded);
        for pair in link.iter().filter(|(k, _)| k != key) {
            prop_assert!(kept.contains(pair), "lost {:?}: {:?}", pair, kept);
        }
        prop_assert_eq!(LabScenario::check(&decoded), Ok(()));
    }

    /// Rates with up to six decimals survive a link exactly.
    #[test]
    fn rates_round_trip_exactly(millionths in 0u64..=1_000_000_000_000, which in 0..2usize) {
        let text = syslab_core::schema::number(millionths as f64 / 1e6);
        let key = ["rate", "peak"][which];
        let (scenario, notices) = from_params(&[(key.to_owned(), text.clone())]);
        let value = [scenario.config.traffic.rate, scenario.config.traffic.peak][which];
        if notices.is_empty() {
            prop_assert_eq!(Some(value), parse_decimal(&text));
            let link = to_params(&scenario);
            prop_assert!(link.contains(&(key.to_owned(), text.clone())), "{:?}", link);
            prop_assert_eq!(from_params(&link), (scenario, vec![]));
        } else {
            // Only a rate too high for the default run (1,000,000 requests in 20 s) is refused.
            prop_assert!(key == "rate" && millionths > 50_000_000_000, "{}: {:?}", text, notices);
        }
    }
}

/// Regression: the old decoder reset the whole traffic (or the run's length and step, or the
/// limit, window, burst and queue together) when one value made the run too large.
#[test]
fn too_many_arrivals_revert_only_the_value_that_caused_them() {
    // A huge rate with a long run: the rate falls back, naming itself; the run keeps its hour.
    let s = check_falls_back_alone(
        "rate=1000000&dur=3600000&limit=50&clients=5&alg=gcra&traffic=steady&by=ip&seed=3",
        "rate",
    );
    assert_eq!(s.config.traffic.rate, TrafficConfig::default().rate);
    assert_eq!(s.config.duration_ms, 3_600_000);
    // A peak too high for its bursts.
    check_falls_back_alone(
        "traffic=bursty&rate=30&peak=1000000&clients=9&on=500&off=700&dur=30000",
        "peak",
    );
    // Too many limiter states: the clients fall back, the instances and the traffic stay.
    check_falls_back_alone(
        "traffic=bursty&rate=30&peak=90&inst=64&clients=10000",
        "clients",
    );
    // Too many steps: the step falls back, the run keeps its length.
    let s = check_falls_back_alone("dur=3600000&tick=1&limit=5", "tick");
    assert_eq!(s.config.tick_ms, RateLimitConfig::default().tick_ms);
    // A step longer than a short run is clamped to it rather than losing the run.
    let s = check_falls_back_alone("dur=50&limit=5", "tick");
    assert_eq!((s.config.duration_ms, s.config.tick_ms), (50, 50));
    // A racy sliding log over its limit: one parameter goes, the limit's others stay.
    check_falls_back_alone(
        "alg=sliding_log&limit=50000&window=60000&burst=7&queue=9&store=racy",
        "store",
    );
}

/// Regression: `peak=97424.694949` came back as another number (written with 17 digits, read
/// with 15).
#[test]
fn a_rate_with_many_digits_round_trips_exactly() {
    let (scenario, notices) =
        Scenario::from_url("/rate-limiter?peak=97424.694949").expect("a registered lab");
    assert_eq!(notices, []);
    let Scenario::RateLimiter(s) = &scenario else {
        panic!("{scenario:?}")
    };
    assert_eq!(Some(s.config.traffic.peak), parse_decimal("97424.694949"));
    assert_eq!(
        scenario.to_params(),
        [("peak".to_owned(), "97424.694949".to_owned())]
    );
    check_round_trip(s);
}

#[test]
fn the_budget_refuses_runs_that_would_freeze_a_page() {
    for preset in <RateLimitLab as Lab>::presets() {
        assert!(work(&preset.scenario.config) <= MAX_WORK, "{}", preset.id);
    }
    // The doc comment of MAX_WORK quotes the largest preset.
    let largest = <RateLimitLab as Lab>::presets()
        .iter()
        .map(|p| work(&p.scenario.config))
        .max();
    assert_eq!(largest, Some(18_000));

    // A million requests compared by all seven algorithms: the rate falls back.
    let all = "leaky_queue,leaky_meter,fixed_window,sliding_log,sliding_counter,gcra";
    let link = format!("rate=100000&dur=10000&cmp={all}&limit=20");
    let s = check_falls_back_alone(&link, "rate");
    assert!(work(&s.config) <= MAX_WORK);
    let (_, notices) = from_params(&pairs(&link));
    assert!(
        notices[0].message.contains("budget") && notices[0].message.contains("7 algorithms"),
        "{}",
        notices[0]
    );
    // A racy sliding log copies its log on every decision.
    let s = check_falls_back_alone(
        "alg=sliding_log&store=racy&limit=10000&rate=200000&dur=5000",
        "rate",
    );
    assert!(work(&s.config) <= MAX_WORK);

    // The same run is refused through every door: a file, the lab, a setting.
    let over = RateLimitScenario {
        config: RateLimitConfig {
            compare: AlgorithmKind::ALL[1..].to_vec(),
            traffic: TrafficConfig {
                rate: 100_000.0,
                ..TrafficConfig::default()
            },
            duration_ms: 10_000,
            ..RateLimitConfig::default()
        },
        ..RateLimitScenario::default()
    };
    assert!(over.config.validate().is_ok(), "valid, but over the budget");
    let err = LabScenario::check(&over).expect_err("over the budget");
    assert!(err.to_string().contains("rate"), "{err}");
    assert!(<RateLimitLab as Lab>::check_scenario(&over).is_err());
    assert!(<RateLimitLab as Lab>::new(&over).is_err());
    let json = serde_json::to_string(&Scenario::RateLimiter(over)).expect("serialize");
    assert!(Scenario::from_json(&json).is_err());

    // Six algorithms on 300,000 requests fit; a seventh does not, nor a longer run.
    let six = RateLimitScenario {
        config: RateLimitConfig {
            compare: AlgorithmKind::ALL[1..6].to_vec(),
            traffic: TrafficConfig {
                rate: 15_000.0,
                ..TrafficConfig::default()
            },
            ..RateLimitConfig::default()
        },
        ..RateLimitScenario::default()
    };
    assert_eq!(work(&six.config), 1_800_000);
    let mut lab = <RateLimitLab as Lab>::new(&six).expect("within the budget");
    assert!(
        lab.apply(RateLimitAction::ToggleCompare(AlgorithmKind::Gcra))
            .is_err()
    );
    assert!(lab.set_param("dur", "30000").is_err());
    assert_eq!(lab.scenario(), six);
}

#[test]
fn toggling_a_compared_algorithm_is_atomic_and_keeps_the_time() {
    let mut lab = <RateLimitLab as Lab>::new(&RateLimitScenario::default()).expect("default");
    for _ in 0..10 {
        Lab::step(&mut lab).expect("step");
    }
    let now = lab.now();
    lab.apply(RateLimitAction::ToggleCompare(AlgorithmKind::Gcra))
        .expect("added");
    lab.apply(RateLimitAction::ToggleCompare(AlgorithmKind::FixedWindow))
        .expect("added");
    assert_eq!(
        lab.algorithms(),
        [
            AlgorithmKind::TokenBucket,
            AlgorithmKind::Gcra,
            AlgorithmKind::FixedWindow
        ]
    );
    assert_eq!(lab.now(), now);
    lab.apply(RateLimitAction::ToggleCompare(AlgorithmKind::Gcra))
        .expect("removed");
    assert_eq!(
        lab.algorithms(),
        [AlgorithmKind::TokenBucket, AlgorithmKind::FixedWindow]
    );
    let before = lab.scenario();
    assert!(
        lab.apply(RateLimitAction::ToggleCompare(AlgorithmKind::TokenBucket))
            .is_err()
    );
    assert_eq!(lab.scenario(), before);

    // Showing a compared algorithm gives it one row, and the comparison stays as it was.
    lab.set_param("alg", "fixed_window")
        .expect("a valid choice");
    assert_eq!(lab.algorithms(), [AlgorithmKind::FixedWindow]);
    assert_eq!(lab.now(), now);
    lab.set_param("alg", "gcra").expect("a valid choice");
    assert_eq!(
        lab.algorithms(),
        [AlgorithmKind::Gcra, AlgorithmKind::FixedWindow]
    );
    let err = lab.set_param("limit", "0").expect_err("out of range");
    assert!(err.to_string().contains("Limit"), "{err}");
    assert_eq!(lab.now(), now);
}

#[test]
fn a_comparison_with_repeats_keeps_each_algorithm_once() {
    let (s, notices) = from_params(&pairs("alg=gcra&cmp=gcra,sliding_log,gcra,sliding_log"));
    assert_eq!(s.config.algorithm, AlgorithmKind::Gcra);
    assert_eq!(
        s.config.compare,
        [AlgorithmKind::Gcra, AlgorithmKind::SlidingLog]
    );
    assert_eq!(s.config.algorithms(), s.config.compare);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].param, "cmp");
    assert!(
        notices[0]
            .message
            .contains("gcra, sliding_log more than once"),
        "{}",
        notices[0]
    );
    let (_, notices) = from_params(&pairs("cmp=gcra,bogus"));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].message.contains("token_bucket"),
        "{}",
        notices[0]
    );
}

/// A bad `alg` falls back to the default shown algorithm; a comparison that lists that one
/// stays as given (the shown algorithm keeps its one row).
#[test]
fn a_bad_algorithm_keeps_the_comparison_as_given() {
    let (s, notices) = from_params(&pairs("alg=nope&cmp=token_bucket,gcra&limit=7"));
    assert_eq!(s.config.algorithm, AlgorithmKind::TokenBucket);
    assert_eq!(
        s.config.compare,
        [AlgorithmKind::TokenBucket, AlgorithmKind::Gcra]
    );
    assert_eq!(s.config.limit, 7);
    let params: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
    assert_eq!(params, ["alg"]);
}

#[test]
fn steps_past_the_end_are_clamped() {
    let (s, notices) = from_params(&pairs("dur=1000&tick=100&step=99"));
    assert_eq!(s.steps, 10);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].param, "step");
}

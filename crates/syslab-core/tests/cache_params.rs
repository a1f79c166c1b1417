//! The cache lab's schema, budget and actions: links round-trip every preset and a scenario
//! with every parameter changed, one bad parameter falls back alone, over-budget links are
//! refused, a trace scenario still has a link, and the actions are atomic.

use proptest::prelude::*;
use syslab_core::cache::{
    BadLines, CACHE_PARAMS, CacheAction, CacheConfig, CacheEvent, CacheLab, CacheScenario,
    EventKind, MAX_WORK, PolicyKind, TraceParser, WorkloadConfig, WorkloadKind, WriteStrategy,
};
use syslab_core::{Lab, LabScenario, Notice, Scenario, query};

fn from_params(pairs: &[(String, String)]) -> (CacheScenario, Vec<Notice>) {
    <CacheLab as Lab>::from_params(pairs)
}

fn to_params(scenario: &CacheScenario) -> Vec<(String, String)> {
    <CacheLab as Lab>::to_params(scenario)
}

fn from_link(link: &str) -> (CacheScenario, Vec<Notice>) {
    from_params(&query::parse_query(link))
}

fn work(scenario: &CacheScenario) -> u64 {
    u64::from(scenario.config.workload.requests) * scenario.config.policies().len() as u64
}

/// A scenario with every parameter away from its default.
fn everything() -> CacheScenario {
    CacheScenario {
        config: CacheConfig {
            seed: 987_654_321_012,
            policy: PolicyKind::TinyLfu,
            compare: vec![PolicyKind::Random, PolicyKind::Mru],
            capacity: 77,
            ttl_ms: 250,
            write: WriteStrategy::WriteAround,
            flush_ms: 33,
            gap_us: 7,
            cache_us: 1,
            db_read_us: 900,
            db_write_us: 1_100,
            batch: 13,
            workload: WorkloadConfig {
                kind: WorkloadKind::Shifting,
                items: 4_321,
                requests: 5_000,
                skew: 0.85,
                write_ratio: 0.125,
                period: 700,
                scan_len: 40,
                max_size: 4_096,
                ..WorkloadConfig::default()
            },
        },
        events: vec![
            CacheEvent {
                at: 10,
                kind: EventKind::DbDown,
            },
            CacheEvent {
                at: 4_000,
                kind: EventKind::CrashCache,
            },
        ],
        steps: 11,
        ..CacheScenario::default()
    }
}

#[track_caller]
fn check_round_trip(scenario: &CacheScenario) {
    let params = to_params(scenario);
    let (back, notices) = from_params(&params);
    assert_eq!(notices, [], "{params:?}");
    assert_eq!(&back, scenario, "{params:?}");
    let link = format!("/cache?{}", query::encode_query(&params));
    let (back, notices) = Scenario::from_url(&link).expect("a ready lab");
    assert_eq!(notices, [], "{link}");
    assert_eq!(back, Scenario::Cache(scenario.clone()), "{link}");
}

#[test]
fn the_schema_round_trips_every_preset_and_every_parameter() {
    let presets = <CacheLab as Lab>::presets();
    assert_eq!(presets.len(), 6);
    for preset in &presets {
        assert!(!preset.label.is_empty() && preset.title.len() > preset.label.len());
        LabScenario::check(&preset.scenario).expect("a preset is valid");
        assert!(work(&preset.scenario) <= MAX_WORK, "{}", preset.id);
        check_round_trip(&preset.scenario);
        let link = format!("preset={}", preset.id);
        assert_eq!(from_link(&link), (preset.scenario.clone(), vec![]));
    }
    let scenario = everything();
    <CacheLab as Lab>::new(&scenario).expect("valid");
    let params = to_params(&scenario);
    let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    let schema: Vec<&str> = CACHE_PARAMS.iter().map(|p| p.key).collect();
    assert_eq!(keys, schema, "every parameter is changed, in schema order");
    check_round_trip(&scenario);
    // `all` is written for every policy; the shown one may be listed, as given.
    for cmp in ["all", "lru,arc,belady", "", "belady,lru"] {
        let (scenario, notices) = from_link(&format!("policy=lru&cmp={cmp}"));
        assert_eq!(notices, [], "{cmp}");
        assert!(
            to_params(&scenario).contains(&("cmp".to_owned(), cmp.to_owned())),
            "{cmp}"
        );
        check_round_trip(&scenario);
    }
    // The default writes nothing, and every parameter's default reads back.
    assert_eq!(to_params(&CacheScenario::default()), []);
    let default = CacheScenario::default();
    for param in CACHE_PARAMS {
        let mut s = default.clone();
        param
            .set(&mut s, &(param.write)(&default))
            .expect(param.key);
        assert_eq!(s, default, "{}", param.key);
        assert!(!param.help.is_empty() && !param.label.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// One bad parameter falls back alone: one notice names it, and every other parameter of
    /// the link survives unchanged.
    #[test]
    fn one_bad_parameter_falls_back_alone(
        which in 0..CACHE_PARAMS.len(),
        garbage in "[!~^][a-z0-9@,.]{0,8}",
    ) {
        let link = to_params(&everything());
        let key = CACHE_PARAMS[which].key;
        let pairs: Vec<(String, String)> = link
            .iter()
            .map(|(k, v)| (k.clone(), if k == key { garbage.clone() } else { v.clone() }))
            .collect();
        let (scenario, notices) = from_params(&pairs);
        prop_assert_eq!(notices.len(), 1, "{:?}", notices);
        prop_assert_eq!(notices[0].param.as_str(), key);
        prop_assert!(notices[0].message.contains("is not"), "{}", notices[0].message);
        let out = to_params(&scenario);
        for pair in link.iter().filter(|(k, _)| k != key) {
            prop_assert!(out.contains(pair), "{:?} lost: {:?}", pair, out);
        }
        prop_assert!(<CacheLab as Lab>::new(&scenario).is_ok());
    }
}

#[test]
fn over_budget_links_are_refused_and_the_result_fits() {
    assert!(work(&CacheScenario::default()) <= MAX_WORK);
    for link in [
        "n=2000000&cmp=all",
        "n=2000000&cmp=all&size=300000",
        "cmp=all&n=400000&items=1000000",
        "policy=sieve&cmp=lru,lfu,fifo&n=2000000&size=4000000",
    ] {
        let (scenario, notices) = from_link(link);
        assert!(!notices.is_empty(), "{link}");
        assert!(
            notices.iter().any(|n| n.message.contains("requests (n)")),
            "{link}: {notices:?}"
        );
        assert!(work(&scenario) <= MAX_WORK, "{link}");
        LabScenario::check(&scenario).expect("within budget");
    }
    // The budget's notice names the parameter it reverted and gives the numbers.
    let (scenario, notices) = from_link("n=2000000&cmp=all");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].param, "n");
    assert!(
        notices[0]
            .message
            .contains("2,000,000 requests (n) × 11 policies"),
        "{}",
        notices[0].message
    );
    assert_eq!(scenario.config.compare, PolicyKind::ALL);
    assert_eq!(scenario.config.workload.requests, 20_000);
    // Exactly at the budget is accepted.
    let (at_budget, notices) = from_link("n=363636&cmp=all");
    assert_eq!(notices, []);
    assert!(work(&at_budget) <= MAX_WORK);
    // JSON, `new` and `set_param` refuse it too.
    let mut over = CacheScenario::default();
    over.config.workload.requests = 2_000_000;
    over.config.compare = PolicyKind::ALL.to_vec();
    let json = serde_json::to_string(&Scenario::Cache(over.clone())).expect("serialize");
    let err = Scenario::from_json(&json).expect_err("over budget");
    assert!(err.to_string().contains("compare fewer policies"), "{err}");
    assert!(<CacheLab as Lab>::new(&over).is_err());
    let mut lab = <CacheLab as Lab>::new(&CacheScenario::default()).expect("valid");
    lab.set_param("n", "440000").expect("9 policies fit");
    let err = Lab::apply(&mut lab, CacheAction::ToggleCompare(PolicyKind::Mru))
        .expect_err("10 policies × 440,000 do not");
    assert!(err.to_string().contains("requests (n)"), "{err}");
    assert_eq!(lab.config().workload.requests, 440_000);
    assert!(!lab.config().compare.contains(&PolicyKind::Mru));
}

/// Regression: `policy=abc&cmp=lru,arc,belady` fell back to LRU and silently dropped `lru`
/// from the comparison. The compared set is now kept exactly as given.
#[test]
fn a_bad_policy_keeps_the_compared_set_as_given() {
    let (scenario, notices) = from_link("policy=abc&cmp=lru,arc,belady");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].param, "policy");
    assert_eq!(
        scenario.config.compare,
        [PolicyKind::Lru, PolicyKind::Arc, PolicyKind::Belady]
    );
    assert_eq!(scenario.config.policy, PolicyKind::Lru);
    assert_eq!(
        scenario.config.policies(),
        [PolicyKind::Lru, PolicyKind::Arc, PolicyKind::Belady]
    );
    // Showing another policy later keeps LRU compared.
    let mut lab = <CacheLab as Lab>::new(&scenario).expect("valid");
    lab.set_param("policy", "sieve").expect("valid");
    let rows: Vec<PolicyKind> = lab.snapshot().rows.iter().map(|r| r.policy).collect();
    assert_eq!(
        rows,
        [
            PolicyKind::Sieve,
            PolicyKind::Lru,
            PolicyKind::Arc,
            PolicyKind::Belady
        ]
    );
    // The order of the parameters does not matter, and `all` means every policy.
    for link in ["policy=sieve&cmp=all", "cmp=all&policy=sieve"] {
        let (all, notices) = from_link(link);
        assert_eq!(notices, [], "{link}");
        assert_eq!(all.config.policy, PolicyKind::Sieve);
        assert_eq!(all.config.policies().len(), PolicyKind::ALL.len());
    }
    // Repeats are dropped with a notice; the rest of the list stays.
    let (repeats, notices) = from_link("cmp=arc,lru,arc");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].param, "cmp");
    assert_eq!(repeats.config.compare, [PolicyKind::Arc, PolicyKind::Lru]);
}

fn trace_text() -> String {
    (0..2_000u32)
        .map(|i| {
            format!(
                "user-{},{}\n",
                (i * 7) % 61,
                if i % 4 == 0 { "set" } else { "get" }
            )
        })
        .collect()
}

/// A trace never travels in a link: a trace scenario's link leaves out `workload`, its events
/// and its step count, and reads back as the generated workload with no notice.
#[test]
fn a_trace_scenario_still_has_a_link() {
    let mut scenario = everything();
    scenario.config.workload.kind = WorkloadKind::Trace;
    scenario.config.workload.trace = trace_text();
    scenario.events = vec![CacheEvent {
        at: 1_500,
        kind: EventKind::CrashCache,
    }];
    scenario.steps = 150;
    let json = serde_json::to_string(&Scenario::Cache(scenario.clone())).expect("serialize");
    assert_eq!(
        Scenario::from_json(&json),
        Ok(Scenario::Cache(scenario.clone()))
    );
    let params = to_params(&scenario);
    let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    assert!(!keys.contains(&"workload") && !keys.contains(&"ev") && !keys.contains(&"step"));
    let (back, notices) = from_params(&params);
    assert_eq!(notices, []);
    let mut expected = scenario.clone();
    expected.config.workload.kind = WorkloadKind::Zipf;
    expected.config.workload.trace.clear();
    expected.events.clear();
    expected.steps = 0;
    assert_eq!(back, expected);
    // A link may not ask for a trace.
    let (_, notices) = from_link("workload=trace");
    assert_eq!(notices.len(), 1);
    assert!(notices[0].message.contains("imported on the page"));
}

#[test]
fn actions_are_atomic() {
    let mut lab = <CacheLab as Lab>::new(&CacheScenario::default()).expect("valid");
    for _ in 0..30 {
        Lab::step(&mut lab).expect("step");
    }
    Lab::apply(&mut lab, CacheAction::Event(EventKind::DbDown)).expect("applies");
    assert_eq!(lab.scenario().events.len(), 1);
    assert!(!lab.snapshot().db_up);
    // Toggling keeps the position.
    Lab::apply(&mut lab, CacheAction::ToggleCompare(PolicyKind::Mru)).expect("applies");
    assert_eq!(lab.position(), 3_000);
    assert!(lab.config().compare.contains(&PolicyKind::Mru));
    Lab::apply(&mut lab, CacheAction::ToggleCompare(PolicyKind::Mru)).expect("applies");
    assert!(!lab.config().compare.contains(&PolicyKind::Mru));
    // A refused toggle (too many slots) leaves the lab as it was.
    lab.set_param("size", "440000")
        .expect("9 × 440,000 slots fit");
    let before = lab.snapshot();
    assert!(Lab::apply(&mut lab, CacheAction::ToggleCompare(PolicyKind::Mru)).is_err());
    assert_eq!(lab.snapshot(), before);
    // The miss-ratio curve advances without changing the scenario.
    let scenario = lab.scenario();
    assert!(Lab::background_pending(&lab));
    while Lab::background_pending(&lab) {
        assert!(Lab::background_step(&mut lab), "the progress bar moves");
    }
    assert_eq!(lab.mrc_progress(), 1.0);
    assert_eq!(lab.scenario(), scenario);
    lab.run_to_end();
    assert!(Lab::apply(&mut lab, CacheAction::Event(EventKind::CrashCache)).is_err());
}

#[test]
fn a_loaded_trace_survives_a_change_of_parameter() {
    let mut lab = <CacheLab as Lab>::new(&CacheScenario::default()).expect("valid");
    let trace = TraceParser::parse(&trace_text(), BadLines::Skip).expect("parses");
    Lab::apply(&mut lab, CacheAction::LoadTrace(Box::new(trace))).expect("loads");
    assert_eq!(lab.config().workload.kind, WorkloadKind::Trace);
    assert_eq!(lab.stream().len(), 2_000);
    for _ in 0..7 {
        Lab::step(&mut lab).expect("step");
    }
    lab.set_param("size", "30").expect("valid");
    lab.set_param("seed", "5").expect("valid");
    assert_eq!(lab.stream().len(), 2_000, "the trace is kept");
    assert_eq!(lab.position(), 700, "and so is the position");
    assert!(lab.view().slots[0].label.starts_with("user-"));
    // A trace over the budget is refused, and the lab is unchanged.
    let big: String = (0..400_000u32).map(|i| format!("{}\n", i % 100)).collect();
    let before = lab.scenario();
    lab.set_param("cmp", "all").expect("2,000 × 11 fit");
    let big = TraceParser::parse(&big, BadLines::Skip).expect("parses");
    let err = Lab::apply(&mut lab, CacheAction::LoadTrace(Box::new(big))).expect_err("over budget");
    assert!(err.to_string().contains("400,000 requests"), "{err}");
    assert_eq!(lab.stream().len(), 2_000);
    assert_eq!(lab.config().policy, before.config.policy);
    // Choosing a generated workload leaves the trace.
    lab.set_param("workload", "uniform").expect("valid");
    assert_eq!(lab.stream().len(), 20_000);
}

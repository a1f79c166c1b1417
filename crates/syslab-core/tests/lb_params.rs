//! The load-balancer lab's links and contract: the schema round-trips every preset and every
//! parameter, a bad parameter falls back alone, the work budget refuses runs that would
//! freeze a tab, the one action is atomic, and the link defects found before the schema stay
//! fixed.

use proptest::prelude::*;
use syslab_core::lb::{
    Algorithm, HealthConfig, LB_PARAMS, LbAction, LbConfig, LbScenario, LbWork, LoadBalancerLab,
    MAX_HELD, MAX_WORK, ServerChange, ServerState, ServiceDist, presets,
};
use syslab_core::{ConfigError, Lab, LabScenario, Notice, Scenario, query};

fn from_link(query: &str) -> (LbScenario, Vec<Notice>) {
    <LoadBalancerLab as Lab>::from_params(&query::parse_query(query))
}

fn to_params(scenario: &LbScenario) -> Vec<(String, String)> {
    <LoadBalancerLab as Lab>::to_params(scenario)
}

fn pair(key: &str, value: &str) -> (String, String) {
    (key.to_owned(), value.to_owned())
}

/// A scenario in which every parameter differs from its default, chosen so that any one of
/// them back at its default still gives a valid scenario (the servers of the changes exist
/// with the default 8 servers, their times fall within the default 10 s, and so on).
fn everything() -> LbScenario {
    LbScenario {
        config: LbConfig {
            seed: 987_654_321,
            algorithm: Algorithm::WeightedLeastConnections,
            compare: true,
            servers: 12,
            spread: 0.35,
            capacity: 3,
            queue_limit: 0,
            service: ServiceDist::LogNormal,
            sigma: 1.25,
            rate: 8_996.548163,
            rate_cv: 2.5,
            cost_ms: 7.25,
            cost_cv: 1.5,
            clients: 77,
            proxy: true,
            l7: true,
            static_share: 0.45,
            static_servers: 3,
            hop_us: 250,
            timeout_ms: 300,
            retries: 3,
            retry_budget: 0.1,
            health: HealthConfig {
                interval_ms: 250,
                timeout_ms: 100,
                fall: 4,
                rise: 3,
            },
            decay_ms: 250,
            epsilon: 0.5,
            burst_at_ms: 1_000,
            burst_ms: 500,
            burst_factor: 2.5,
            changes: vec![
                ServerChange {
                    at_ms: 500,
                    server: 5,
                    state: ServerState::Slow(2.75),
                },
                ServerChange {
                    at_ms: 800,
                    server: 0,
                    state: ServerState::Down,
                },
            ],
            duration_ms: 4_000,
            tick_ms: 40,
        },
        steps: 17,
        ..LbScenario::default()
    }
}

#[track_caller]
fn check_round_trip(scenario: &LbScenario) {
    let params = to_params(scenario);
    let (decoded, notices) = <LoadBalancerLab as Lab>::from_params(&params);
    assert_eq!(notices, [], "{params:?}");
    assert_eq!(&decoded, scenario, "{params:?}");
    let url = format!("/load-balancer?{}", query::encode_query(&params));
    let (from_url, notices) = Scenario::from_url(&url).expect("a lab");
    assert_eq!(notices, [], "{url}");
    assert_eq!(from_url, Scenario::LoadBalancer(scenario.clone()), "{url}");
}

#[test]
fn the_schema_round_trips_every_preset_and_every_parameter() {
    let presets = presets();
    assert_eq!(presets.len(), 6);
    for preset in &presets {
        assert!(!preset.label.is_empty() && preset.label.len() < preset.title.len());
        LabScenario::check(&preset.scenario).expect(preset.id);
        check_round_trip(&preset.scenario);
        // A preset link is the preset.
        let (from_preset, notices) = from_link(&format!("preset={}", preset.id));
        assert_eq!((from_preset, notices), (preset.scenario.clone(), vec![]));
    }
    let scenario = everything();
    LoadBalancerLab::new(&scenario).expect("valid");
    let params = to_params(&scenario);
    let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    let all: Vec<&str> = LB_PARAMS.iter().map(|p| p.key).collect();
    assert_eq!(keys, all, "every parameter differs from its default");
    check_round_trip(&scenario);
    assert_eq!(to_params(&LbScenario::default()), []);
}

#[test]
fn every_parameter_is_described() {
    for p in LB_PARAMS {
        assert!(!p.label.is_empty() && p.help.ends_with('.'), "{}", p.key);
        assert!(!p.accepts().is_empty());
    }
    let mut keys: Vec<&str> = LB_PARAMS.iter().map(|p| p.key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), LB_PARAMS.len());
    // Dependent parameters come after what they depend on.
    let at = |key: &str| LB_PARAMS.iter().position(|p| p.key == key).expect(key);
    for (before, after) in [
        ("servers", "spool"),
        ("l7", "spool"),
        ("hc", "hct"),
        ("dur", "tick"),
        ("dur", "ev"),
        ("servers", "ev"),
        ("tick", "step"),
    ] {
        assert!(at(before) < at(after), "{before} before {after}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// One bad parameter in a valid link falls back alone: one notice names it, and every
    /// other parameter keeps its value.
    #[test]
    fn a_bad_parameter_falls_back_alone(
        index in 0..LB_PARAMS.len(),
        garbage in "![a-z0-9:.,-]{0,12}|-[1-9][0-9]{0,2}|1e999|NaN|99999999999999999999",
    ) {
        let good = to_params(&everything());
        let key = LB_PARAMS[index].key;
        let mut pairs = good.clone();
        let slot = pairs.iter_mut().find(|(k, _)| k == key).expect("every key is written");
        slot.1 = garbage.clone();
        let (decoded, notices) = <LoadBalancerLab as Lab>::from_params(&pairs);
        prop_assert_eq!(notices.len(), 1, "{}={}: {:?}", key, garbage, notices);
        prop_assert_eq!(notices[0].param.as_str(), key);
        let kept = to_params(&decoded);
        for (k, v) in good.iter().filter(|(k, _)| k != key) {
            prop_assert!(kept.contains(&(k.clone(), v.clone())), "{}={} lost {}={}", key, garbage, k, v);
        }
        prop_assert!(LoadBalancerLab::new(&decoded).is_ok());
    }
}

#[track_caller]
fn check_within_budget(scenario: &LbScenario) {
    let work = LbWork::of(&scenario.config);
    assert!(work.work() <= MAX_WORK, "{work:?}");
    assert!(work.held_total() <= MAX_HELD, "{work:?}");
    LabScenario::check(scenario).expect("within budget");
}

#[test]
fn runs_over_the_budget_are_refused_with_a_notice() {
    for (link, names) in [
        // Ten algorithms × 10 s × 10 M/s.
        ("rate=10000000&cmp=1", "rate"),
        // Twenty million requests on the wire at once, and a hundred million in all.
        ("rate=10000000&hop=1000000&dur=10000&tick=10&hc=0", "rate"),
        // Two million on the wire, within the work budget: only the memory bound says no.
        ("rate=1000000&hop=1000000&dur=5000", "hop"),
        // Ten million health probes.
        ("hc=1&hct=1&servers=1000&dur=8000", "hc"),
    ] {
        let (scenario, notices) = from_link(link);
        assert_eq!(notices.len(), 1, "{link}: {notices:?}");
        assert_eq!(notices[0].param, names, "{link}: {notices:?}");
        assert!(notices[0].message.contains("budget"), "{link}: {notices:?}");
        check_within_budget(&scenario);
    }
    let message = from_link("rate=10000000&cmp=1").1[0].message.clone();
    assert!(
        message.contains("1,200,001,920")
            && message.contains("10,000,000")
            && message.contains("(cmp)"),
        "{message}"
    );
    // Every preset and the default fit with room to spare.
    check_within_budget(&LbScenario::default());
    for preset in presets() {
        let work = LbWork::of(&preset.scenario.config);
        assert!(work.work() < MAX_WORK / 20.0, "{}: {work:?}", preset.id);
    }
    // A scenario file over the budget is refused, and so is building or reconfiguring to it.
    let mut over = LbScenario::default();
    over.config.rate = 10_000_000.0;
    over.config.compare = true;
    let json = serde_json::to_string(&Scenario::LoadBalancer(over.clone())).expect("serialize");
    let err = Scenario::from_json(&json).expect_err("over the budget");
    assert!(err.to_string().contains("budget"), "{err}");
    assert!(<LoadBalancerLab as Lab>::new(&over).is_err());
    let mut lab = <LoadBalancerLab as Lab>::new(&LbScenario::default()).expect("valid");
    lab.step().expect("step");
    let before = lab.scenario();
    assert!(Lab::reconfigure(&mut lab, &over).is_err());
    lab.set_param("cmp", "1").expect("within budget");
    let err = lab
        .set_param("rate", "10000000")
        .expect_err("over the budget");
    assert!(matches!(err, ConfigError::Invalid(_)), "{err}");
    assert_eq!(lab.scenario().config.rate, before.config.rate);
    assert!(lab.scenario().config.compare);
    assert_eq!(lab.scenario().steps, before.steps);
}

/// `hc=0&tick=100&l7=1&spool=3&dur=15000&ev=45000:1:slow2` used to decode to `dur=15000`
/// alone: a change after the end of the run threw away health checks, the step, L7 and the
/// pool. Only `ev` falls back now.
#[test]
fn a_change_after_the_run_drops_only_the_changes() {
    let (scenario, notices) = from_link("hc=0&tick=100&l7=1&spool=3&dur=15000&ev=45000:1:slow2");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].param, "ev");
    assert!(notices[0].message.contains("45000 ms"), "{notices:?}");
    assert_eq!(
        to_params(&scenario),
        [
            pair("l7", "1"),
            pair("spool", "3"),
            pair("hc", "0"),
            pair("dur", "15000"),
            pair("tick", "100"),
        ]
    );
    assert!(scenario.config.changes.is_empty());
}

/// `ev=1:0:down` subtracted 1 from server 0 before checking it (a panic in debug builds).
#[test]
fn a_server_numbered_zero_is_a_notice_not_a_panic() {
    for link in [
        "ev=1:0:down",
        "ev=1:-1:down",
        "ev=1:4294967296:down",
        "ev=1:1:slow0.5",
        "ev=1:1:slowNaN",
        "ev=1:1:sideways",
        "ev=2000:1:down,1000:2:down",
        "ev=99999999999999999999:1:down",
        "ev=1:1",
    ] {
        let (scenario, notices) = from_link(link);
        assert_eq!(notices.len(), 1, "{link}: {notices:?}");
        assert_eq!(notices[0].param, "ev", "{link}");
        assert!(scenario.config.changes.is_empty(), "{link}");
    }
    // Server 1 is the first server.
    let (scenario, notices) = from_link("ev=1:1:down");
    assert_eq!(notices, []);
    assert_eq!(scenario.config.changes[0].server, 0);
}

/// Rates were written with `trimmed(v, 12)`; they are written with `schema::number` now,
/// which reads back exactly.
#[test]
fn rates_round_trip_exactly() {
    for rate in [
        "10000.5",
        "8996.548163",
        "0.001",
        "800000",
        "0.000000000001",
    ] {
        let (scenario, notices) = from_link(&format!("rate={rate}"));
        assert_eq!(notices, [], "{rate}");
        assert_eq!(to_params(&scenario), [pair("rate", rate)]);
        let (again, _) = <LoadBalancerLab as Lab>::from_params(&to_params(&scenario));
        assert_eq!(again.config.rate.to_bits(), scenario.config.rate.to_bits());
    }
    for bad in ["0", "-1", "10000000.5", "1e3", "0x10"] {
        let (scenario, notices) = from_link(&format!("rate={bad}"));
        assert_eq!(notices.len(), 1, "{bad}: {notices:?}");
        assert_eq!(notices[0].param, "rate");
        assert_eq!(scenario.config.rate, LbConfig::default().rate);
    }
}

#[test]
fn too_many_steps_are_clamped_with_a_notice() {
    let (scenario, notices) = from_link("dur=1000&tick=100&step=500");
    assert_eq!(scenario.steps, 11);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].param, "step");
}

#[test]
fn clicking_a_server_toggles_it_at_the_current_time() {
    let mut lab = <LoadBalancerLab as Lab>::new(&LbScenario::default()).expect("valid");
    for _ in 0..20 {
        Lab::step(&mut lab).expect("step");
    }
    let click = |lab: &mut LoadBalancerLab, server, up_becomes| {
        lab.apply(LbAction::ClickServer { server, up_becomes })
    };
    click(&mut lab, 2, ServerState::Slow(5.0)).expect("slow");
    assert_eq!(lab.server_state(2), Some(ServerState::Slow(5.0)));
    click(&mut lab, 3, ServerState::Down).expect("down");
    assert_eq!(lab.server_state(3), Some(ServerState::Down));
    // A server that is not up is restored, whatever the click mode.
    click(&mut lab, 2, ServerState::Down).expect("restore");
    assert_eq!(lab.server_state(2), Some(ServerState::Up));
    let changes = &lab.scenario().config.changes;
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.at_ms == 1_000));
    // Refused actions change nothing.
    let before = lab.scenario();
    assert!(click(&mut lab, 99, ServerState::Down).is_err());
    assert!(
        lab.apply(LbAction::SetServerState {
            server: 0,
            state: ServerState::Slow(0.5)
        })
        .is_err()
    );
    assert_eq!(lab.scenario(), before);
    // A config change keeps the simulated time and the clicks.
    let now = lab.now();
    lab.set_param("alg", "peak_ewma").expect("valid");
    assert_eq!(lab.now(), now);
    assert_eq!(lab.scenario().config.changes.len(), 3);
    assert!(lab.set_param("alg", "fastest").is_err());
    // Replaying the scenario gives the same lab.
    let replayed = <LoadBalancerLab as Lab>::new(&lab.scenario()).expect("valid");
    assert_eq!(replayed.view(), lab.view());
}

#[test]
fn the_registry_lists_the_presets_with_labels() {
    let listed = Scenario::presets("load-balancer").expect("registered");
    let labels: Vec<&str> = listed.iter().map(|(info, _)| info.label).collect();
    assert_eq!(
        labels,
        [
            "Uneven costs",
            "A server turns slow",
            "A server dies",
            "One proxy, IP hash",
            "A burst",
            "L7 pools"
        ]
    );
    let params = Scenario::params("load-balancer").expect("registered");
    assert_eq!(params.len(), LB_PARAMS.len());
    assert!(
        params
            .iter()
            .any(|p| p.key == "rate" && p.unit == "requests/s" && p.default == "2400")
    );
}

//! The registry and the boundaries: every ready lab's example survives JSON and the share-link
//! codec unchanged, and the same scenario always gives the same snapshot.

mod common;

use proptest::prelude::*;
use syslab_core::ring::{
    KeySpec, NodeSpec, Pin, RingConfig, RingEvent, RingLab, RingScenario, StrategyKind,
};
use syslab_core::{LABS, Lab, LabStatus, Scenario, lab_info, query};

fn scenario_to_params(scenario: &RingScenario) -> Vec<(String, String)> {
    <RingLab as Lab>::to_params(scenario)
}

fn scenario_from_params(pairs: &[(String, String)]) -> (RingScenario, Vec<syslab_core::Notice>) {
    <RingLab as Lab>::from_params(pairs)
}

/// Checks that `scenario` survives JSON, runs the same twice, and survives the URL codec
/// (as parameters and as a whole link) with no notices.
#[track_caller]
fn check_round_trips(scenario: &Scenario) {
    let id = scenario.lab_id();
    for json in [
        serde_json::to_string(scenario).expect("serialize"),
        serde_json::to_string_pretty(scenario).expect("serialize"),
    ] {
        assert!(json.contains("\"lab\":"), "{json}");
        assert_eq!(Scenario::from_json(&json).as_ref(), Ok(scenario), "{json}");
    }
    let first = scenario.run().expect("the scenario runs");
    let second = scenario.run().expect("the scenario runs");
    assert_eq!(first, second, "{id}: same scenario, different snapshots");
    assert_eq!(
        serde_json::to_string(&first).expect("serialize"),
        serde_json::to_string(&second).expect("serialize")
    );

    let params = scenario.to_params();
    let (decoded, notices) = Scenario::from_params(id, &params).expect("a ready lab");
    assert_eq!(notices, [], "{params:?}");
    assert_eq!(&decoded, scenario, "{params:?}");
    for url in [
        format!("/{id}?{}", query::encode_query(&params)),
        format!(
            "https://example.org/syslab/{id}?{}#top",
            query::encode_query(&params)
        ),
        format!("/embed.html?lab={id}&{}", query::encode_query(&params)),
    ] {
        let (decoded, notices) = Scenario::from_url(&url).expect("a ready lab");
        assert_eq!(notices, [], "{url}");
        assert_eq!(&decoded, scenario, "{url}");
    }
}

#[test]
fn every_ready_lab_round_trips_and_is_deterministic() {
    let ready: Vec<&str> = LABS
        .iter()
        .filter(|lab| lab.status == LabStatus::Ready)
        .map(|lab| lab.id)
        .collect();
    assert!(!ready.is_empty());
    for info in LABS {
        assert_eq!(lab_info(info.id), Some(info));
        assert!(!info.title.is_empty() && !info.summary.is_empty());
        let example = Scenario::example(info.id);
        // Every lab with a simulation (on the site or only in the CLI) has an example.
        assert_eq!(
            example.is_some(),
            info.status != LabStatus::Coming,
            "{}",
            info.id
        );
        match example {
            Some(example) => {
                assert_eq!(example.lab_id(), info.id);
                // An example has no parameter that differs from the defaults.
                assert_eq!(example.to_params(), []);
                check_round_trips(&example);
            }
            None => assert!(Scenario::from_url(&format!("/{}?seed=1", info.id)).is_err()),
        }
    }
    let mut ids: Vec<&str> = LABS.iter().map(|lab| lab.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), LABS.len(), "lab ids are unique");
    assert_eq!(lab_info("nope"), None);
    assert_eq!(Scenario::example("nope"), None);
}

/// The `Lab` trait's contract for the ring: `new(scenario())` is the same lab,
/// and stepping is deterministic.
#[test]
fn the_lab_trait_rebuilds_and_steps_deterministically() {
    fn run<L: Lab>(scenario: &L::Scenario, steps: usize) -> (String, L::Scenario) {
        let mut lab = L::new(scenario).expect("valid");
        for _ in 0..steps {
            lab.step().expect("step");
        }
        let again = L::new(&lab.scenario()).expect("valid");
        let snapshot = serde_json::to_string(&lab.snapshot()).expect("serialize");
        assert_eq!(
            serde_json::to_string(&again.snapshot()).expect("serialize"),
            snapshot
        );
        (snapshot, lab.scenario())
    }
    let scenario = RingScenario::default();
    let (first, after) = run::<RingLab>(&scenario, 12);
    let (second, _) = run::<RingLab>(&scenario, 12);
    assert_eq!(first, second);
    assert_eq!(after.steps, 12);
    assert_eq!(after.events.len(), 12);
}

/// A scenario that uses every parameter: custom keys, pinned tokens, weights, and one change of
/// each kind.
fn everything_scenario() -> RingScenario {
    RingScenario {
        config: RingConfig {
            seed: 9_876_543_210,
            vnodes: 40,
            replication: 2,
            keys: KeySpec::Custom {
                keys: ["alice", "bob", "carol:1", "dave/2", "é?&=#%", "x y"]
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            },
            nodes: vec![
                NodeSpec {
                    name: "db-1".to_owned(),
                    weight: 2,
                    pins: vec![
                        Pin {
                            vnode: 0,
                            position: 0x8000_0000_0000_0000,
                        },
                        Pin {
                            vnode: 3,
                            position: 0,
                        },
                    ],
                },
                NodeSpec::named("db_2"),
                NodeSpec {
                    name: "db.3".to_owned(),
                    weight: 3,
                    pins: vec![Pin {
                        vnode: 7,
                        position: u64::MAX,
                    }],
                },
            ],
            strategy: StrategyKind::Maglev,
            epsilon: 0.1,
        },
        events: vec![
            RingEvent::AddNode {
                name: "D".to_owned(),
                weight: 2,
            },
            RingEvent::MoveToken {
                name: "db_2".to_owned(),
                vnode: 5,
                position: 0x0123_4567_89AB_CDEF,
            },
            RingEvent::SetWeight {
                name: "db-1".to_owned(),
                weight: 1,
            },
            RingEvent::RemoveNode {
                name: "db.3".to_owned(),
            },
            RingEvent::SetVnodes { vnodes: 25 },
        ],
        steps: 3,
        ..RingScenario::default()
    }
}

#[test]
fn a_scenario_with_every_parameter_round_trips() {
    let scenario = everything_scenario();
    common::lab(&scenario);
    let params = scenario_to_params(&scenario);
    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "seed", "nodes", "vnodes", "r", "klist", "strategy", "eps", "ev", "step"
        ]
    );
    check_round_trips(&Scenario::Ring(scenario));

    // Generated keys with a custom prefix and count, and plain spreadsheet-named nodes.
    let generated = RingScenario {
        config: RingConfig {
            keys: KeySpec::Generated {
                count: 777,
                prefix: "order#".to_owned(),
            },
            nodes: common::nodes(7, &[1]),
            strategy: StrategyKind::Bounded,
            epsilon: 0.0,
            ..RingConfig::default()
        },
        ..RingScenario::default()
    };
    let params = scenario_to_params(&generated);
    assert!(
        params.contains(&("nodes".to_owned(), "7".to_owned())),
        "{params:?}"
    );
    check_round_trips(&Scenario::Ring(generated));
}

/// Builds a valid scenario from a random config and random changes, keeping those that apply.
fn arb_scenario() -> impl Strategy<Value = RingScenario> {
    let event = (
        0u8..5,
        any::<proptest::sample::Index>(),
        1u32..=3,
        any::<u64>(),
    );
    (
        common::arb_config(),
        proptest::sample::select(StrategyKind::ALL.to_vec()),
        "[a-z:_]{0,6}",
        proptest::option::of(proptest::collection::vec("[a-z0-9:/]{1,6}", 1..40)),
        proptest::collection::vec(event, 0..12),
        0u64..1000,
    )
        .prop_map(|(config, strategy, prefix, custom, events, steps)| {
            let keys = match (custom, &config.keys) {
                (Some(mut keys), _) => {
                    keys.sort();
                    keys.dedup();
                    KeySpec::Custom { keys }
                }
                (None, KeySpec::Generated { count, .. }) => KeySpec::Generated {
                    count: *count,
                    prefix,
                },
                (None, keys) => keys.clone(),
            };
            let config = RingConfig {
                strategy,
                keys,
                ..config
            };
            let mut lab = common::lab(&RingScenario {
                config,
                steps,
                ..RingScenario::default()
            });
            for (kind, which, small, position) in events {
                let names = common::names_of(&lab);
                let name = names[which.index(names.len())].clone();
                let event = match kind {
                    0 => RingEvent::AddNode {
                        name: lab.fresh_name(),
                        weight: small,
                    },
                    1 => RingEvent::RemoveNode { name },
                    2 => RingEvent::MoveToken {
                        name,
                        vnode: small - 1,
                        position,
                    },
                    3 => RingEvent::SetWeight {
                        name,
                        weight: small,
                    },
                    _ => RingEvent::SetVnodes { vnodes: small * 7 },
                };
                // Refused changes (the last node, too many tokens) are simply not recorded.
                let _ = lab.apply(event);
            }
            lab.scenario()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn share_links_round_trip_any_valid_scenario(scenario in arb_scenario()) {
        let params = scenario_to_params(&scenario);
        let (decoded, notices) = scenario_from_params(&params);
        prop_assert_eq!(notices, []);
        prop_assert_eq!(&decoded, &scenario);
        let json = serde_json::to_string(&Scenario::Ring(scenario.clone())).expect("serialize");
        prop_assert_eq!(Scenario::from_json(&json), Ok(Scenario::Ring(scenario)));
    }
}

/// What the JSON reader refuses, and what it fills in.
#[test]
fn json_scenarios_are_checked() {
    #[track_caller]
    fn check(json: &str, expected: Result<Scenario, &str>) {
        match (Scenario::from_json(json), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{json}"),
            (Err(err), Err(needle)) => {
                let message = err.to_string();
                assert!(message.contains(needle), "{json}: {message}");
            }
            (got, want) => panic!("{json}: got {got:?}, expected {want:?}"),
        }
    }
    let default = Scenario::Ring(RingScenario::default());
    check(r#"{"lab":"ring"}"#, Ok(default.clone()));
    check(r#"{"lab":"ring","config":{}}"#, Ok(default.clone()));
    let mut seven = RingScenario::default();
    seven.config.seed = 7;
    seven.config.nodes[0].weight = 2;
    check(
        r#"{"lab":"ring","config":{"seed":7"#,
        Err("could not read the scenario"),
    );
    check(
        &serde_json::to_string(&Scenario::Ring(seven.clone())).expect("serialize"),
        Ok(Scenario::Ring(seven)),
    );
    check("", Err("could not read the scenario"));
    check("{}", Err("could not read the scenario"));
    check(r#"{"lab":"queue"}"#, Err("could not read the scenario"));
    check(
        r#"{"lab":"cache"}"#,
        Ok(Scenario::Cache(syslab_core::cache::CacheScenario::default())),
    );
    check(
        r#"{"lab":"rate-limiter"}"#,
        Ok(Scenario::RateLimiter(
            syslab_core::ratelimit::RateLimitScenario::default(),
        )),
    );
    check(
        r#"{"lab":"ring","version":2}"#,
        Err("scenario version 2 is newer"),
    );
    check(
        r#"{"lab":"ring","config":{"vnodes":-1}}"#,
        Err("could not read"),
    );
    // Well-formed but invalid: refused when read, with the reason.
    check(
        r#"{"lab":"ring","config":{"vnodes":0}}"#,
        Err("virtual nodes per weight must be"),
    );
    // A byte-order mark is accepted.
    check("\u{feff}{\"lab\":\"ring\"}", Ok(default.clone()));
}

/// A JSON error names the field, with its line and column, even inside the lab's tagged
/// scenario (where serde_json itself knows neither); numbers past u64 are not saturated.
#[test]
fn json_errors_name_the_field() {
    #[track_caller]
    fn check(json: &str, needle: &str) {
        let message = Scenario::from_json(json).expect_err(json).to_string();
        assert!(message.contains(needle), "{json}: {message}");
        assert!(
            !message.contains("18446744073709551615"),
            "{json}: {message}"
        );
    }
    check(
        r#"{"lab":"ring","config":{"seed":"x"}}"#,
        "config.seed: invalid type: string \"x\", expected u64 at line 1 column 32",
    );
    check(
        "{\n  \"lab\": \"ring\",\n  \"config\": {\n    \"nodes\": [{\"name\": \"A\"}, {\"weight\": -1}]\n  }\n}",
        "config.nodes[1].weight: invalid value: integer `-1`, expected u32 at line 4 column 41",
    );
    check(
        r#"{"lab":"ring","config":{"nodes":[{"weight":-1},{"weight":-1}]}}"#,
        "config.nodes[0].weight:",
    );
    check(
        r#"{"lab":"ring","config":{"strategy":"rong"}}"#,
        "config.strategy: unknown variant `rong`",
    );
    check(
        r#"{"lab":"cache","config":{"workload":{"skew":true}}}"#,
        "config.workload.skew: invalid type: boolean `true`",
    );
    check(
        r#"{"lab":"ring","config":{"seed":1,,"vnodes":2}}"#,
        "at line 1 column 34 (near config.seed)",
    );
    check(
        r#"{"lab":"ring","config":{"epsilon":1.9e19}}"#,
        "(got 1.9e19)",
    );
    check(
        r#"{"lab":"load-balancer","config":{"rate":1e300}}"#,
        "(got 1e300)",
    );
}

//! Inputs the lab refuses: every bad config and change is an `Err` with a message, never a
//! panic, and no URL, however mangled, yields a scenario the lab cannot build.

mod common;

use common::{lab, nodes};
use proptest::prelude::*;
use syslab_core::ConfigError;
use syslab_core::ring::{
    KeySpec, MAX_KEYS, NodeSpec, RingConfig, RingEvent, RingLab, RingScenario,
};

/// Checks that `edit` applied to the default config makes the lab refuse it with `expected`.
#[track_caller]
fn check_config(edit: impl FnOnce(&mut RingConfig), expected: ConfigError) {
    let mut scenario = RingScenario::default();
    edit(&mut scenario.config);
    assert_eq!(scenario.config.validate().err(), Some(expected.clone()));
    match RingLab::new(&scenario) {
        Ok(_) => panic!("expected {expected:?}, the lab was built"),
        Err(err) => {
            assert_eq!(err, expected);
            assert!(!err.to_string().is_empty());
        }
    }
}

fn out_of_range(what: &'static str, value: &str, range: &'static str) -> ConfigError {
    ConfigError::OutOfRange {
        what,
        value: value.to_owned(),
        range,
    }
}

#[test]
fn invalid_configs_are_refused() {
    check_config(|c| c.nodes.clear(), ConfigError::NoNodes);
    check_config(
        |c| c.replication = 6,
        ConfigError::ReplicationTooLarge {
            replication: 6,
            n_nodes: 5,
        },
    );
    check_config(
        |c| c.replication = 0,
        out_of_range("the replication factor", "0", "at least 1"),
    );
    check_config(
        |c| c.vnodes = 0,
        out_of_range("virtual nodes per weight", "0", "1 to 1,000"),
    );
    check_config(
        |c| c.vnodes = 1001,
        out_of_range("virtual nodes per weight", "1001", "1 to 1,000"),
    );
    check_config(
        |c| {
            c.vnodes = 250;
            c.nodes[2].weight = 5;
        },
        out_of_range("tokens per node (weight × vnodes)", "1250", "1 to 1,000"),
    );
    check_config(
        |c| c.nodes[1].weight = 0,
        out_of_range("a node's weight", "0", "1 to 100"),
    );
    check_config(
        |c| {
            c.vnodes = 1;
            c.nodes[1].weight = 101;
        },
        out_of_range("a node's weight", "101", "1 to 100"),
    );
    check_config(
        |c| c.nodes[3].name = "A".to_owned(),
        ConfigError::DuplicateNode("A".to_owned()),
    );
    for bad in ["", "a b", "ünï", "x/y", "n,1", "n~1", &"n".repeat(33)] {
        check_config(
            |c| c.nodes[0].name = bad.to_owned(),
            ConfigError::BadNodeName(bad.to_owned()),
        );
    }
    check_config(
        |c| c.nodes = nodes(1001, &[1]),
        out_of_range("the number of nodes", "1001", "1 to 1,000"),
    );
    let generated = |count| KeySpec::Generated {
        count,
        prefix: "k".to_owned(),
    };
    check_config(
        |c| c.keys = generated(0),
        out_of_range("the number of keys", "0", "1 to 100,000"),
    );
    check_config(
        |c| c.keys = generated(MAX_KEYS + 1),
        out_of_range("the number of keys", "100001", "1 to 100,000"),
    );
    check_config(
        |c| {
            c.keys = KeySpec::Generated {
                count: 10,
                prefix: "p".repeat(65),
            }
        },
        out_of_range("the key prefix", "65 bytes", "at most 64 bytes"),
    );
    for (epsilon, shown) in [
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (-0.01, "-0.01"),
        (10.5, "10.5"),
    ] {
        check_config(
            |c| c.epsilon = epsilon,
            out_of_range("ε", shown, "a number from 0 to 10"),
        );
    }
    let custom = |keys: &[&str]| KeySpec::Custom {
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
    };
    check_config(
        |c| c.keys = custom(&[]),
        out_of_range("the number of keys", "0", "1 to 100,000"),
    );
    check_config(
        |c| c.keys = custom(&["a", "b", "a"]),
        ConfigError::BadKey {
            line: 3,
            reason: "repeats an earlier key",
        },
    );
    check_config(
        |c| c.keys = custom(&["a", ""]),
        ConfigError::BadKey {
            line: 2,
            reason: "is empty",
        },
    );
    let long = "x".repeat(257);
    check_config(
        |c| c.keys = custom(&["a", &long]),
        ConfigError::BadKey {
            line: 2,
            reason: "is longer than 256 bytes",
        },
    );
    let many: Vec<String> = (0..=MAX_KEYS).map(|i| i.to_string()).collect();
    check_config(
        |c| c.keys = KeySpec::Custom { keys: many },
        out_of_range("the number of keys", "100001", "1 to 100,000"),
    );
    // A pasted list skips blank lines and accepts Windows line endings, but refuses padded
    // keys (a share link could not carry them) and names the line as pasted.
    assert_eq!(
        KeySpec::parse_custom("a\r\n\n b\r\n"),
        Err(syslab_core::ConfigError::BadKey {
            line: 3,
            reason: "starts or ends with a space"
        })
    );
    assert_eq!(
        KeySpec::parse_custom("a\r\n\nb\r\n"),
        Ok(custom(&["a", "b"]))
    );
    assert!(KeySpec::parse_custom("a\n a").is_err());
    assert!(KeySpec::parse_custom("\n \n").is_err());
    // A scenario from a newer syslab.
    let future = RingScenario {
        version: syslab_core::SCENARIO_VERSION + 1,
        ..RingScenario::default()
    };
    assert!(matches!(
        RingLab::new(&future),
        Err(ConfigError::UnsupportedVersion(_))
    ));
}

/// Checks that `event` is refused with `expected` by a lab built from `config`, both applied to
/// a running lab (which stays as it was) and inside a scenario.
#[track_caller]
fn check_event(config: &RingConfig, event: RingEvent, expected: ConfigError) {
    let scenario = RingScenario {
        config: config.clone(),
        ..RingScenario::default()
    };
    let mut running = lab(&scenario);
    let before = running.snapshot();
    assert_eq!(
        running.apply(event.clone()).err(),
        Some(expected.clone()),
        "{event:?}"
    );
    assert_eq!(running.snapshot(), before, "{event:?} changed the lab");
    assert!(running.events().is_empty());
    let with_event = RingScenario {
        events: vec![event],
        ..scenario
    };
    assert_eq!(RingLab::new(&with_event).err(), Some(expected));
}

#[test]
fn invalid_changes_are_refused() {
    let default = RingConfig::default();
    let unknown = || ConfigError::UnknownNode("Z".to_owned());
    let z = || "Z".to_owned();
    check_event(&default, RingEvent::RemoveNode { name: z() }, unknown());
    check_event(
        &default,
        RingEvent::MoveToken {
            name: z(),
            vnode: 0,
            position: 1,
        },
        unknown(),
    );
    check_event(
        &default,
        RingEvent::SetWeight {
            name: z(),
            weight: 2,
        },
        unknown(),
    );
    check_event(
        &default,
        RingEvent::MoveToken {
            name: "A".to_owned(),
            vnode: 10,
            position: 1,
        },
        out_of_range("the token number", "10", "less than the node's token count"),
    );
    check_event(
        &default,
        RingEvent::AddNode {
            name: "A".to_owned(),
            weight: 1,
        },
        ConfigError::DuplicateNode("A".to_owned()),
    );
    check_event(
        &default,
        RingEvent::AddNode {
            name: "no spaces".to_owned(),
            weight: 1,
        },
        ConfigError::BadNodeName("no spaces".to_owned()),
    );
    check_event(
        &default,
        RingEvent::AddNode {
            name: "F".to_owned(),
            weight: 0,
        },
        out_of_range("a node's weight", "0", "1 to 100"),
    );
    check_event(
        &default,
        RingEvent::AddNode {
            name: "F".to_owned(),
            weight: 101,
        },
        out_of_range("a node's weight", "101", "1 to 100"),
    );
    check_event(
        &default,
        RingEvent::SetWeight {
            name: "A".to_owned(),
            weight: 101,
        },
        out_of_range("a node's weight", "101", "1 to 100"),
    );
    check_event(
        &RingConfig {
            vnodes: 20,
            ..RingConfig::default()
        },
        RingEvent::SetWeight {
            name: "A".to_owned(),
            weight: 51,
        },
        out_of_range("tokens per node (weight × vnodes)", "1020", "1 to 1,000"),
    );
    check_event(
        &default,
        RingEvent::SetVnodes { vnodes: 0 },
        out_of_range("virtual nodes per weight", "0", "1 to 1,000"),
    );
    let heavy = RingConfig {
        nodes: vec![
            NodeSpec {
                weight: 4,
                ..NodeSpec::named("A")
            },
            NodeSpec::named("B"),
            NodeSpec::named("C"),
        ],
        ..RingConfig::default()
    };
    check_event(
        &heavy,
        RingEvent::SetVnodes { vnodes: 251 },
        out_of_range("tokens per node (weight × vnodes)", "1004", "1 to 1,000"),
    );
    // Removing below the replication factor, and removing the last node.
    check_event(
        &RingConfig {
            nodes: nodes(3, &[1]),
            ..RingConfig::default()
        },
        RingEvent::RemoveNode {
            name: "B".to_owned(),
        },
        ConfigError::ReplicationTooLarge {
            replication: 3,
            n_nodes: 2,
        },
    );
    check_event(
        &RingConfig {
            nodes: nodes(1, &[1]),
            replication: 1,
            ..RingConfig::default()
        },
        RingEvent::RemoveNode {
            name: "A".to_owned(),
        },
        ConfigError::NoNodes,
    );
    // Adding past the largest ring.
    check_event(
        &RingConfig {
            nodes: nodes(1000, &[1]),
            vnodes: 1,
            keys: KeySpec::Generated {
                count: 10,
                prefix: String::new(),
            },
            ..RingConfig::default()
        },
        RingEvent::AddNode {
            name: "new".to_owned(),
            weight: 1,
        },
        out_of_range("the number of nodes", "1001", "1 to 1,000"),
    );
}

/// Values a parameter might plausibly carry, mangled ones included, kept small enough that the
/// lab they build stays quick to simulate.
fn arb_value(param: &'static str) -> BoxedStrategy<String> {
    let plausible: BoxedStrategy<String> = match param {
        "seed" | "step" => "-?[0-9]{0,21}".boxed(),
        "vnodes" | "r" => "-?[0-9]{0,5}".boxed(),
        "keys" => "[0-9]{0,4}|0|100001|-1".boxed(),
        "prefix" => ".{0,70}".boxed(),
        "klist" => "([a-c ]{0,3}\\n){0,6}".boxed(),
        "strategy" => "ring|maglev|bounded|jump|modulo|rendezvous|Ring|".boxed(),
        "eps" => "-?[0-9]{0,2}(\\.[0-9]{0,3})?|NaN|inf|-inf|1e3|1e-3".boxed(),
        "nodes" => {
            "[0-9]{1,2}|([A-Ea-e_.~@: -]{0,4}(:[0-9]{0,3})?(@[0-9]{0,2}~[0-9a-fA-F]{0,17})?,?){0,5}"
                .boxed()
        }
        "ev" => "((add|rm|mv|w|vn)(~[A-G]{0,2}|~[0-9]{0,4}|~[0-9a-f]{0,17}){0,3},?){0,6}".boxed(),
        _ => ".{0,10}".boxed(),
    };
    prop_oneof![3 => plausible, 1 => any::<String>()].boxed()
}

fn arb_params() -> impl Strategy<Value = Vec<(String, String)>> {
    let params = [
        "seed", "nodes", "vnodes", "r", "keys", "prefix", "klist", "strategy", "eps", "ev", "step",
        "lab", "bogus",
    ];
    let pairs: Vec<BoxedStrategy<Option<(String, String)>>> = params
        .into_iter()
        .map(|param| {
            proptest::option::of(arb_value(param).prop_map(move |v| (param.to_owned(), v))).boxed()
        })
        .collect();
    (pairs, any::<proptest::sample::Index>()).prop_map(|(pairs, rotate)| {
        let mut pairs: Vec<(String, String)> = pairs.into_iter().flatten().collect();
        // The order of parameters must not matter for safety either.
        if !pairs.is_empty() {
            let by = rotate.index(pairs.len());
            pairs.rotate_left(by);
        }
        pairs
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any query gives a scenario the lab builds; every unusable parameter gets a notice.
    #[test]
    fn any_query_yields_a_buildable_scenario(pairs in arb_params()) {
        let (scenario, notices) = <RingLab as syslab_core::Lab>::from_params(&pairs);
        let lab = RingLab::new(&scenario);
        prop_assert!(lab.is_ok(), "{:?} from {:?}: {:?}", scenario, pairs, lab.err());
        for notice in &notices {
            prop_assert!(!notice.message.is_empty());
        }
        let bogus = pairs.iter().any(|(k, _)| k == "bogus");
        prop_assert_eq!(bogus, notices.iter().any(|n| n.param == "bogus"));
        // The same query through the registry, as a URL.
        // (`lab` picks the lab in a URL, so it is left out there.)
        let scenario_pairs: Vec<(String, String)> =
            pairs.iter().filter(|(k, _)| k != "lab").cloned().collect();
        let url = format!("/ring?{}", syslab_core::query::encode_query(&scenario_pairs));
        let (from_url, _) = syslab_core::Scenario::from_url(&url).expect("ring is a lab");
        prop_assert_eq!(from_url, syslab_core::Scenario::Ring(scenario));
    }
}

/// Hand-picked hostile queries, each of which once looked like it might slip through.
#[test]
fn hostile_queries_yield_buildable_scenarios() {
    #[track_caller]
    fn check(query: &str, noticed: &[&str]) {
        let pairs = syslab_core::query::parse_query(query);
        let (scenario, notices) = <RingLab as syslab_core::Lab>::from_params(&pairs);
        if let Err(err) = RingLab::new(&scenario) {
            panic!("{query}: {err}");
        }
        let params: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
        assert_eq!(params, noticed, "{query}: {notices:?}");
    }
    check("", &[]);
    check("nodes=0", &["nodes"]);
    check("nodes=1001", &["nodes"]);
    check("nodes=&r=1", &["nodes"]);
    check("nodes=A:0,B,C", &["nodes"]);
    // The bad weight is reported once, against the nodes; vnodes is then fine as it is.
    check("nodes=A:500,B,C&vnodes=10", &["nodes"]);
    check("nodes=A:2,B,C&vnodes=1000", &["vnodes"]);
    check("nodes=A@0~zz", &["nodes"]);
    check("nodes=A,B,A", &["nodes"]);
    check("r=0", &["r"]);
    check("r=4294967295", &["r"]);
    check("nodes=2&r=3", &["r"]);
    // A repeated parameter: the last value counts, and only its problem is reported.
    check("eps=NaN&eps=inf&eps=-1", &["eps"]);
    check("keys=0&keys=100001", &["keys"]);
    check("klist=%0A%0A", &["klist"]);
    check("klist=a%0Aa", &["klist"]);
    check("ev=rm~A,rm~B,rm~C", &["ev"]);
    check("nodes=3&r=1&ev=rm~A,rm~B,rm~C", &["ev"]);
    // A change that cannot be read refuses the list; changes that do not apply are skipped
    // one by one.
    check("ev=vn~0,vn~1001,w~A~0,mv~A~10~0,add~A~1,zz", &["ev"]);
    check("ev=vn~0,vn~1001,w~A~0,mv~A~10~0,add~A~1", &["ev"; 5]);
    check("step=18446744073709551615", &[]);
    check("step=18446744073709551616", &["step"]);
    check("seed=-1", &["seed"]);
    // Unknown parameters make one notice, however many there are.
    check("%zz=%zz&=&&", &["parameters"]);
}

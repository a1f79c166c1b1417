//! Builders and independent reference computations shared by the ring lab's integration tests.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use proptest::prelude::*;
use syslab_core::hash::hash_str;
use syslab_core::ring::{
    KeySpec, NodeSpec, RingConfig, RingEvent, RingLab, RingScenario, spreadsheet_name,
};

/// `n` nodes named A, B, C, … with the given weights (cycled), like the lab names them.
pub fn nodes(n: usize, weights: &[u32]) -> Vec<NodeSpec> {
    (0..n)
        .map(|i| NodeSpec {
            weight: weights[i % weights.len()],
            ..NodeSpec::named(&spreadsheet_name(i as u32))
        })
        .collect()
}

/// A scenario with `n_nodes` equal nodes, `vnodes` tokens each, `n_keys` generated keys and
/// replication 1, so that any node may be removed down to the last one.
pub fn scenario(n_nodes: usize, vnodes: u32, n_keys: u32, seed: u64) -> RingScenario {
    RingScenario {
        config: RingConfig {
            seed,
            vnodes,
            replication: 1,
            keys: KeySpec::Generated {
                count: n_keys,
                prefix: "key-".to_owned(),
            },
            nodes: nodes(n_nodes, &[1]),
            ..RingConfig::default()
        },
        ..RingScenario::default()
    }
}

/// Builds a lab that the test expects to be valid.
#[track_caller]
pub fn lab(scenario: &RingScenario) -> RingLab {
    match RingLab::new(scenario) {
        Ok(lab) => lab,
        Err(err) => panic!("expected a valid scenario, got {err}: {scenario:?}"),
    }
}

/// Applies a change the test expects to be valid.
#[track_caller]
pub fn apply(lab: &mut RingLab, event: RingEvent) {
    if let Err(err) = lab.apply(event.clone()) {
        panic!("expected {event:?} to apply, got {err}");
    }
}

/// The ring owner of a position, straight from the definition: the first token at or after
/// it, wrapping past the top to the first token. A linear scan, independent of the lab's index.
pub fn ring_owner_by_scan(positions: &[u64], owners: &[u32], key: u64) -> u32 {
    positions
        .iter()
        .position(|&p| p >= key)
        .map_or(owners[0], |i| owners[i])
}

/// The lab's current node names, in join order.
pub fn names_of(lab: &RingLab) -> Vec<String> {
    lab.node_names().map(str::to_owned).collect()
}

/// XXH64 of a node name with the seed, as every name-hashing strategy uses it.
pub fn name_hash(name: &str, seed: u64) -> u64 {
    hash_str(name, seed)
}

/// A random valid base config: 1 to 19 nodes, 1 to 49 vnodes, weights 1 to 4, 1 to 2,999 keys.
pub fn arb_config() -> impl Strategy<Value = RingConfig> {
    (
        1usize..20,
        1u32..50,
        proptest::collection::vec(1u32..=4, 1..20),
        1u32..3000,
        any::<u64>(),
        0u32..=200,
    )
        .prop_map(
            |(n_nodes, vnodes, weights, n_keys, seed, eps_pct)| RingConfig {
                seed,
                vnodes,
                replication: 1,
                keys: KeySpec::Generated {
                    count: n_keys,
                    prefix: "k".to_owned(),
                },
                nodes: nodes(n_nodes, &weights),
                epsilon: f64::from(eps_pct) / 100.0,
                ..RingConfig::default()
            },
        )
}

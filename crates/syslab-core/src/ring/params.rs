//! The ring lab in a URL: readable parameters (`nodes=A,B:2&vnodes=50&r=3`) that round-trip
//! the whole scenario exactly, and that embeds reuse as `data-*` attributes.
//!
//! | param      | meaning                                   | example                     |
//! |------------|-------------------------------------------|-----------------------------|
//! | `seed`     | hash seed                                 | `seed=7`                    |
//! | `nodes`    | a count, or names with `:weight` and pins | `nodes=5`, `nodes=A,B:2@0~8000000000000000` |
//! | `vnodes`   | virtual nodes per unit of weight          | `vnodes=50`                 |
//! | `r`        | replication factor                        | `r=3`                       |
//! | `keys`     | number of generated keys                  | `keys=10000`                |
//! | `prefix`   | generated key prefix                      | `prefix=user:`              |
//! | `klist`    | custom keys, one per line                 | `klist=a%0Ab`               |
//! | `strategy` | strategy shown on the ring                | `strategy=maglev`           |
//! | `eps`      | ε for bounded loads                       | `eps=0.25`                  |
//! | `ev`       | changes, comma-separated                  | `ev=add~F~1,rm~B,mv~A~0~4000000000000000,w~C~3,vn~20` |
//! | `step`     | churn steps taken                         | `step=4`                    |

use super::config::{KeySpec, NodeSpec, Pin, RingConfig, StrategyKind};
use super::event::RingEvent;
use super::lab::{RingLab, RingScenario, spreadsheet_name};
use crate::query::Notice;

/// Parameters that belong to the page around the lab, not to the scenario.
const SHELL_PARAMS: [&str; 6] = ["lab", "key", "bench", "theme", "controls", "height"];

/// Reads a scenario from decoded query pairs. Every bad parameter is reported and replaced by
/// its default; the result always builds a lab.
pub fn scenario_from_params(pairs: &[(String, String)]) -> (RingScenario, Vec<Notice>) {
    let mut notices = Vec::new();
    let mut scenario = RingScenario::default();
    let defaults = RingConfig::default();
    let config = &mut scenario.config;
    let mut events_text = None;
    for (key, value) in pairs {
        // Free text (a key prefix, a key list) is kept exactly; everything else may be padded.
        let value = if matches!(key.as_str(), "prefix" | "klist") {
            value.as_str()
        } else {
            value.trim()
        };
        let mut bad = |what: &str| {
            notices.push(Notice::new(
                key,
                format!("{value:?} is not {what}; using the default"),
            ))
        };
        match key.as_str() {
            "seed" => match value.parse() {
                Ok(v) => config.seed = v,
                Err(_) => bad("a whole number from 0 to 18446744073709551615"),
            },
            "vnodes" => match value.parse::<u32>() {
                Ok(v) if (1..=1000).contains(&v) => config.vnodes = v,
                _ => bad("a whole number from 1 to 1000"),
            },
            "r" => match value.parse::<u32>() {
                Ok(v) if v >= 1 => config.replication = v,
                _ => bad("a whole number of at least 1"),
            },
            "keys" => match value.parse::<u32>() {
                Ok(v) if (1..=100_000).contains(&v) => {
                    if let KeySpec::Generated { count, .. } = &mut config.keys {
                        *count = v;
                    }
                }
                _ => bad("a whole number from 1 to 100000"),
            },
            "prefix" => {
                if value.len() <= 64 {
                    if let KeySpec::Generated { prefix, .. } = &mut config.keys {
                        *prefix = value.to_owned();
                    }
                } else {
                    bad("a prefix of at most 64 bytes");
                }
            }
            "klist" => match KeySpec::parse_custom(value) {
                Ok(spec) => config.keys = spec,
                Err(err) => notices.push(Notice::new(key, format!("{err}; using generated keys"))),
            },
            "strategy" => match StrategyKind::from_id(value) {
                Some(s) => config.strategy = s,
                None => bad("one of modulo, ring, rendezvous, jump, maglev, bounded"),
            },
            "eps" => match crate::format::parse_decimal(value) {
                Some(v) if v.is_finite() && (0.0..=10.0).contains(&v) => config.epsilon = v,
                _ => bad("a number from 0 to 10"),
            },
            "nodes" => match parse_nodes(value) {
                Ok(nodes) => config.nodes = nodes,
                Err(msg) => {
                    notices.push(Notice::new(key, format!("{msg}; using the default nodes")))
                }
            },
            "ev" => events_text = Some(value.to_owned()),
            "step" => match value.parse() {
                Ok(v) => scenario.steps = v,
                Err(_) => bad("a whole number"),
            },
            _ if SHELL_PARAMS.contains(&key.as_str()) => {}
            _ => notices.push(Notice::new(key, "is not a parameter of this lab; ignored")),
        }
    }

    // Cross-parameter checks, each with a targeted fallback. Nodes first: the other checks
    // depend on them.
    if let Err(err) = config.nodes.iter().enumerate().try_for_each(|(idx, node)| {
        super::config::validate_node_name(&node.name)?;
        crate::error::check_range("a node's weight", node.weight, 1, 100, "1 to 100")?;
        if config.nodes[..idx].iter().any(|n| n.name == node.name) {
            return Err(crate::ConfigError::DuplicateNode(node.name.clone()));
        }
        Ok(())
    }) {
        notices.push(Notice::new(
            "nodes",
            format!("{err}; using the default nodes"),
        ));
        config.nodes = defaults.nodes.clone();
    }
    if config
        .nodes
        .iter()
        .any(|n| u64::from(n.weight) * u64::from(config.vnodes) > 1000)
    {
        notices.push(Notice::new(
            "vnodes",
            format!(
                "weight × vnodes must be at most 1000 per node; using {} vnodes",
                defaults
                    .vnodes
                    .min(1000 / config.nodes.iter().map(|n| n.weight).max().unwrap_or(1))
            ),
        ));
        let max_weight = config.nodes.iter().map(|n| n.weight).max().unwrap_or(1);
        config.vnodes = defaults.vnodes.min(1000 / max_weight).max(1);
    }
    if config.replication as usize > config.nodes.len() {
        notices.push(Notice::new(
            "r",
            format!(
                "replication factor {} needs that many nodes, but there are {}; using {}",
                config.replication,
                config.nodes.len(),
                config.nodes.len()
            ),
        ));
        config.replication = config.nodes.len() as u32;
    }
    if let Err(err) = config.validate() {
        notices.push(Notice::new(
            "nodes",
            format!("{err}; using the default ring"),
        ));
        scenario.config = defaults;
    }

    // Events are replayed one by one; a bad one is reported and skipped.
    if let Some(text) = events_text {
        let base = RingScenario {
            events: Vec::new(),
            ..scenario.clone()
        };
        if let Ok(mut lab) = RingLab::new(&base) {
            for (idx, item) in text.split(',').filter(|s| !s.is_empty()).enumerate() {
                match parse_event(item) {
                    Ok(event) => match lab.apply(event.clone()) {
                        Ok(_) => scenario.events.push(event),
                        Err(err) => notices.push(Notice::new(
                            "ev",
                            format!("change {} ({item}) skipped: {err}", idx + 1),
                        )),
                    },
                    Err(msg) => notices.push(Notice::new(
                        "ev",
                        format!("change {} ({item}) skipped: {msg}", idx + 1),
                    )),
                }
            }
        }
    }
    (scenario, notices)
}

/// The query pairs for a scenario; parameters equal to their defaults are left out.
pub fn scenario_to_params(scenario: &RingScenario) -> Vec<(String, String)> {
    let d = RingConfig::default();
    let c = &scenario.config;
    let mut out = Vec::new();
    let mut push = |k: &str, v: String| out.push((k.to_owned(), v));
    if c.seed != d.seed {
        push("seed", c.seed.to_string());
    }
    if c.nodes != d.nodes {
        push("nodes", format_nodes(&c.nodes));
    }
    if c.vnodes != d.vnodes {
        push("vnodes", c.vnodes.to_string());
    }
    if c.replication != d.replication {
        push("r", c.replication.to_string());
    }
    match (&c.keys, &d.keys) {
        (
            KeySpec::Generated { count, prefix },
            KeySpec::Generated {
                count: dc,
                prefix: dp,
            },
        ) => {
            if count != dc {
                push("keys", count.to_string());
            }
            if prefix != dp {
                push("prefix", prefix.clone());
            }
        }
        (KeySpec::Custom { keys }, _) => push("klist", keys.join("\n")),
        _ => {}
    }
    if c.strategy != d.strategy {
        push("strategy", c.strategy.id().to_owned());
    }
    if c.epsilon != d.epsilon {
        push("eps", crate::format::trimmed(c.epsilon, 12));
    }
    if !scenario.events.is_empty() {
        push(
            "ev",
            scenario
                .events
                .iter()
                .map(format_event)
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    if scenario.steps != 0 {
        push("step", scenario.steps.to_string());
    }
    out
}

fn parse_nodes(text: &str) -> Result<Vec<NodeSpec>, String> {
    if let Ok(count) = text.parse::<u32>() {
        if !(1..=1000).contains(&count) {
            return Err(format!("{count} nodes is outside 1 to 1000"));
        }
        return Ok((0..count)
            .map(|i| NodeSpec::named(&spreadsheet_name(i)))
            .collect());
    }
    text.split(',')
        .map(|item| {
            let mut parts = item.split('@');
            let head = parts.next().unwrap_or("");
            let (name, weight) = match head.split_once(':') {
                Some((name, w)) => (
                    name,
                    w.parse::<u32>().map_err(|_| {
                        format!("weight {w:?} of node {name:?} is not a whole number")
                    })?,
                ),
                None => (head, 1),
            };
            let pins = parts
                .map(|pin| {
                    let (vnode, pos) = pin.split_once('~').ok_or_else(|| {
                        format!("pin {pin:?} should look like 0~8000000000000000")
                    })?;
                    Ok(Pin {
                        vnode: vnode
                            .parse()
                            .map_err(|_| format!("token number {vnode:?} is not a whole number"))?,
                        position: u64::from_str_radix(pos, 16)
                            .map_err(|_| format!("position {pos:?} is not 16 hex digits"))?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(NodeSpec {
                name: name.to_owned(),
                weight,
                pins,
            })
        })
        .collect()
}

fn format_nodes(nodes: &[NodeSpec]) -> String {
    let plain = nodes
        .iter()
        .enumerate()
        .all(|(i, n)| n.weight == 1 && n.pins.is_empty() && n.name == spreadsheet_name(i as u32));
    if plain {
        return nodes.len().to_string();
    }
    nodes
        .iter()
        .map(|n| {
            let mut s = n.name.clone();
            if n.weight != 1 {
                s.push_str(&format!(":{}", n.weight));
            }
            for pin in &n.pins {
                s.push_str(&format!("@{}~{:016x}", pin.vnode, pin.position));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_event(item: &str) -> Result<RingEvent, String> {
    let parts: Vec<&str> = item.split('~').collect();
    let num = |s: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("{s:?} is not a whole number"))
    };
    match parts.as_slice() {
        ["add", name, weight] => Ok(RingEvent::AddNode {
            name: (*name).to_owned(),
            weight: num(weight)?,
        }),
        ["rm", name] => Ok(RingEvent::RemoveNode {
            name: (*name).to_owned(),
        }),
        ["mv", name, vnode, pos] => Ok(RingEvent::MoveToken {
            name: (*name).to_owned(),
            vnode: num(vnode)?,
            position: u64::from_str_radix(pos, 16)
                .map_err(|_| format!("position {pos:?} is not 16 hex digits"))?,
        }),
        ["w", name, weight] => Ok(RingEvent::SetWeight {
            name: (*name).to_owned(),
            weight: num(weight)?,
        }),
        ["vn", vnodes] => Ok(RingEvent::SetVnodes {
            vnodes: num(vnodes)?,
        }),
        _ => Err(
            "expected add~NAME~WEIGHT, rm~NAME, mv~NAME~TOKEN~HEX, w~NAME~WEIGHT or vn~COUNT"
                .to_owned(),
        ),
    }
}

fn format_event(event: &RingEvent) -> String {
    match event {
        RingEvent::AddNode { name, weight } => format!("add~{name}~{weight}"),
        RingEvent::RemoveNode { name } => format!("rm~{name}"),
        RingEvent::MoveToken {
            name,
            vnode,
            position,
        } => format!("mv~{name}~{vnode}~{position:016x}"),
        RingEvent::SetWeight { name, weight } => format!("w~{name}~{weight}"),
        RingEvent::SetVnodes { vnodes } => format!("vn~{vnodes}"),
    }
}

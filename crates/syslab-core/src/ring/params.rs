//! The ring lab's parameters, declared once ([`RING_PARAMS`]): readable links
//! (`nodes=A,B:2&vnodes=50&r=3`) that round-trip the whole scenario exactly, `data-*`
//! attributes for embeds, the settings form and `syslab params ring`.

use super::config::{KeySpec, NodeSpec, Pin, StrategyKind, validate_node};
use super::event::RingEvent;
use super::lab::{MAX_EVENTS, RingLab, RingScenario, spreadsheet_name};
use crate::error::ConfigError;
use crate::query::Notice;
use crate::schema::{Kind, Param, Show};
use crate::{LabScenario, choice_param, int_param, num_param};

/// Every parameter of the ring lab. Dependent parameters come after what they depend on.
pub static RING_PARAMS: &[Param<RingScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds every hash: token positions, key positions, churn.",
        config.seed
    ),
    Param {
        key: "nodes",
        label: "Nodes",
        help: "A count (A, B, C, …), or names with an optional :weight and pinned tokens, \
               such as A,B:2,C@0~8000000000000000.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.nodes = parse_nodes(t)
                .map_err(|m| format!("a node count from 1 to 1000 or a list of nodes ({m})"))?;
            Ok(())
        },
        write: |s| format_nodes(&s.config.nodes),
    },
    int_param!(
        "vnodes",
        "Virtual nodes",
        "per weight",
        1,
        1_000,
        "Tokens each node places on the ring per unit of weight; weight × vnodes is at most 1,000.",
        config.vnodes
    ),
    int_param!(
        "r",
        "Replication",
        "copies",
        1,
        1_000,
        "How many distinct nodes, clockwise from a key, hold a copy of it.",
        config.replication
    ),
    Param {
        key: "keys",
        label: "Keys",
        help: "How many generated keys are placed (a pasted key list replaces them).",
        unit: "keys",
        kind: Kind::Int {
            min: 1,
            max: 100_000,
        },
        show: Show::Form,
        read: |s, t| {
            let count = crate::schema::read_int(t, 1, 100_000)?;
            s.config.keys = KeySpec::Generated {
                count,
                prefix: generated_prefix(&s.config.keys),
            };
            Ok(())
        },
        write: |s| match &s.config.keys {
            KeySpec::Generated { count, .. } => count.to_string(),
            KeySpec::Custom { .. } => default_key_count().to_string(),
        },
    },
    Param {
        key: "prefix",
        label: "Key prefix",
        help: "The text before each generated key's number.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            if t.len() > 64 {
                return Err("a prefix of at most 64 bytes".to_owned());
            }
            if let KeySpec::Generated { prefix, .. } = &mut s.config.keys {
                *prefix = t.to_owned();
            }
            Ok(())
        },
        write: |s| generated_prefix(&s.config.keys),
    },
    Param {
        key: "klist",
        label: "Key list",
        help: "Your own keys, one per line (1 to 100,000, each 1 to 256 bytes, no duplicates).",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.keys =
                KeySpec::parse_custom(t).map_err(|e| format!("a list of keys ({e})"))?;
            Ok(())
        },
        write: |s| match &s.config.keys {
            KeySpec::Custom { keys } => keys.join("\n"),
            KeySpec::Generated { .. } => String::new(),
        },
    },
    choice_param!(
        "strategy",
        "Strategy shown",
        StrategyKind,
        "The placement drawn on the ring; every strategy is computed and compared in the table.",
        config.strategy
    ),
    num_param!(
        "eps",
        "ε (bounded loads)",
        "",
        0.0,
        10.0,
        "Bounded loads caps each node at ⌈(1 + ε) × the mean load⌉.",
        config.epsilon
    ),
    Param {
        key: "ev",
        label: "Changes",
        help: "Changes after the start, comma-separated: add~NAME~WEIGHT, rm~NAME, \
               mv~NAME~TOKEN~HEX, w~NAME~WEIGHT, vn~COUNT (at most 32: the lab keeps the latest).",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.events = parse_events(t)?;
            Ok(())
        },
        write: |s| {
            s.events
                .iter()
                .map(format_event)
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    int_param!(
        "step",
        "Churn steps",
        "steps",
        0,
        u64::MAX,
        "How many seeded churn steps (Play, Step) were taken; it seeds the next one.",
        steps
    ),
];

fn default_key_count() -> u32 {
    match KeySpec::default() {
        KeySpec::Generated { count, .. } => count,
        KeySpec::Custom { .. } => 0,
    }
}

fn generated_prefix(keys: &KeySpec) -> String {
    match keys {
        KeySpec::Generated { prefix, .. } => prefix.clone(),
        KeySpec::Custom { .. } => match KeySpec::default() {
            KeySpec::Generated { prefix, .. } => prefix,
            KeySpec::Custom { .. } => String::new(),
        },
    }
}

impl LabScenario for RingScenario {
    fn version(&self) -> u32 {
        self.version
    }

    fn check(&self) -> Result<(), ConfigError> {
        self.config.validate()?;
        if self.events.len() > MAX_EVENTS {
            return Err(ConfigError::Invalid(format!(
                "a scenario holds at most {MAX_EVENTS} changes (it has {})",
                self.events.len()
            )));
        }
        Ok(())
    }

    /// A replication factor above the node count is clamped to it.
    fn adjust(&mut self) -> Option<Notice> {
        let n_nodes = self.config.nodes.len();
        (n_nodes > 0 && self.config.replication as usize > n_nodes).then(|| {
            let notice = Notice::new(
                "r",
                format!(
                    "replication factor {} needs that many nodes, but there are {n_nodes}; using {n_nodes}",
                    self.config.replication
                ),
            );
            self.config.replication = n_nodes as u32;
            notice
        })
    }

    /// Changes that do not apply (a node that is not there, a weight too large) are dropped
    /// one by one, each with a notice, as the lab would refuse them.
    fn settle(&mut self, notices: &mut Vec<Notice>) {
        if self.events.is_empty() {
            return;
        }
        let events = std::mem::take(&mut self.events);
        let Ok(mut lab) = RingLab::new(self) else {
            return;
        };
        for (idx, event) in events.into_iter().enumerate() {
            match lab.apply(event.clone()) {
                Ok(_) => self.events.push(event),
                Err(err) => notices.push(Notice::new(
                    "ev",
                    format!(
                        "change {} ({}) skipped: {err}",
                        idx + 1,
                        format_event(&event)
                    ),
                )),
            }
        }
    }
}

/// Reads the `nodes` parameter: a count, or names with weights and pins, each node valid and
/// named once.
fn parse_nodes(text: &str) -> Result<Vec<NodeSpec>, String> {
    let nodes = parse_node_list(text)?;
    for (idx, node) in nodes.iter().enumerate() {
        validate_node(node, 1).map_err(|e| e.to_string())?;
        if nodes[..idx].iter().any(|n| n.name == node.name) {
            return Err(ConfigError::DuplicateNode(node.name.clone()).to_string());
        }
    }
    Ok(nodes)
}

fn parse_node_list(text: &str) -> Result<Vec<NodeSpec>, String> {
    if text.len() > 64 * 1024 {
        return Err("a node list of at most 64 KB".to_owned());
    }
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

fn parse_events(text: &str) -> Result<Vec<RingEvent>, String> {
    let items: Vec<&str> = text.split(',').filter(|s| !s.is_empty()).collect();
    if items.len() > MAX_EVENTS {
        return Err(format!(
            "a list of at most {MAX_EVENTS} changes (it has {})",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(idx, item)| {
            parse_event(item).map_err(|msg| {
                format!(
                    "a list of changes (change {}, {}: {msg})",
                    idx + 1,
                    crate::schema::quote(item)
                )
            })
        })
        .collect()
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

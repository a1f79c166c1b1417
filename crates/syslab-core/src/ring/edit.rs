//! Validating a `RingEvent` against the current nodes and applying it to them (nodes, tokens,
//! pins); `lab.rs` then rebuilds the table and the placements.

use super::config::{
    MAX_NODES, MAX_VNODES_PER_NODE, MAX_WEIGHT, validate_node_name, validate_replication,
};
use super::event::RingEvent;
use super::lab::{Node, RingLab};
use crate::error::{ConfigError, check_range};
use crate::hash::hash_str;

impl RingLab {
    pub(super) fn make_node(&mut self, name: &str, weight: u32) -> Node {
        let n_tokens = (weight * self.vnodes) as usize;
        let mut buf = String::with_capacity(name.len() + 5);
        let tokens = (0..n_tokens)
            .map(|i| {
                use std::fmt::Write;
                buf.clear();
                let _ = write!(buf, "{name}#{i}");
                hash_str(&buf, self.config.seed)
            })
            .collect();
        let uid = self.uid_names.len() as u32;
        self.uid_names.push(name.to_owned());
        Node {
            uid,
            name: name.to_owned(),
            weight,
            tokens,
            pinned: vec![false; n_tokens],
            name_hash: hash_str(name, self.config.seed),
            ticks: String::new(),
        }
    }

    /// Validates `event` against the current state without changing anything.
    pub(super) fn check(&self, event: &RingEvent) -> Result<(), ConfigError> {
        let tokens_ok = |weight: u32, vnodes: u32| {
            check_range(
                "tokens per node (weight × vnodes)",
                u64::from(weight) * u64::from(vnodes),
                1,
                u64::from(MAX_VNODES_PER_NODE),
                "1 to 1,000",
            )
        };
        let existing = |name: &str| {
            self.node_idx(name)
                .ok_or_else(|| ConfigError::UnknownNode(name.to_owned()))
        };
        match event {
            RingEvent::AddNode { name, weight } => {
                validate_node_name(name)?;
                if self.node_idx(name).is_some() {
                    return Err(ConfigError::DuplicateNode(name.clone()));
                }
                check_range(
                    "the number of nodes",
                    self.nodes.len() + 1,
                    1,
                    MAX_NODES,
                    "1 to 1,000",
                )?;
                check_range("a node's weight", *weight, 1, MAX_WEIGHT, "1 to 100")?;
                tokens_ok(*weight, self.vnodes)
            }
            RingEvent::RemoveNode { name } => {
                existing(name)?;
                if self.nodes.len() == 1 {
                    return Err(ConfigError::NoNodes);
                }
                validate_replication(self.config.replication, self.nodes.len() - 1)
            }
            RingEvent::MoveToken { name, vnode, .. } => {
                let idx = existing(name)?;
                let count = self.nodes[idx].tokens.len();
                if *vnode as usize >= count {
                    return Err(ConfigError::OutOfRange {
                        what: "the token number",
                        value: vnode.to_string(),
                        range: "less than the node's token count",
                    });
                }
                Ok(())
            }
            RingEvent::SetWeight { name, weight } => {
                existing(name)?;
                check_range("a node's weight", *weight, 1, MAX_WEIGHT, "1 to 100")?;
                tokens_ok(*weight, self.vnodes)
            }
            RingEvent::SetVnodes { vnodes } => {
                check_range(
                    "virtual nodes per weight",
                    *vnodes,
                    1,
                    MAX_VNODES_PER_NODE,
                    "1 to 1,000",
                )?;
                self.nodes
                    .iter()
                    .try_for_each(|node| tokens_ok(node.weight, *vnodes))
            }
        }
    }

    /// Changes the nodes; `check` must have accepted `event`.
    pub(super) fn mutate(&mut self, event: &RingEvent) {
        match event {
            RingEvent::AddNode { name, weight } => {
                let mut node = self.make_node(name, *weight);
                node.refresh();
                self.nodes.push(node);
            }
            RingEvent::RemoveNode { name } => {
                if let Some(idx) = self.node_idx(name) {
                    self.nodes.remove(idx);
                }
            }
            RingEvent::MoveToken {
                name,
                vnode,
                position,
            } => {
                if let Some(idx) = self.node_idx(name) {
                    let node = &mut self.nodes[idx];
                    node.tokens[*vnode as usize] = *position;
                    node.pinned[*vnode as usize] = true;
                    node.refresh();
                }
            }
            RingEvent::SetWeight { name, weight } => {
                if let Some(idx) = self.node_idx(name) {
                    let pins = self.pins_of(idx);
                    let mut node = self.make_node(name, *weight);
                    node.uid = self.nodes[idx].uid;
                    self.uid_names.pop();
                    apply_pins(&mut node, &pins);
                    node.refresh();
                    self.nodes[idx] = node;
                }
            }
            RingEvent::SetVnodes { vnodes } => {
                self.vnodes = *vnodes;
                for idx in 0..self.nodes.len() {
                    let pins = self.pins_of(idx);
                    let (name, weight, uid) = {
                        let n = &self.nodes[idx];
                        (n.name.clone(), n.weight, n.uid)
                    };
                    let mut node = self.make_node(&name, weight);
                    node.uid = uid;
                    self.uid_names.pop();
                    apply_pins(&mut node, &pins);
                    node.refresh();
                    self.nodes[idx] = node;
                }
            }
        }
    }

    pub(super) fn pins_of(&self, idx: usize) -> Vec<(usize, u64)> {
        let node = &self.nodes[idx];
        node.pinned
            .iter()
            .enumerate()
            .filter(|(_, p)| **p)
            .map(|(i, _)| (i, node.tokens[i]))
            .collect()
    }
}

fn apply_pins(node: &mut Node, pins: &[(usize, u64)]) {
    for &(i, position) in pins {
        if let Some(slot) = node.tokens.get_mut(i) {
            *slot = position;
            node.pinned[i] = true;
        }
    }
}

//! The running ring lab: the current nodes and tokens, every strategy's placement of every key,
//! and the report of what each change moved.

use serde::{Deserialize, Serialize};

use super::config::{
    MAX_NODES, MAX_VNODES_PER_NODE, MAX_WEIGHT, RingConfig, StrategyKind, validate_node_name,
    validate_replication,
};
use super::event::RingEvent;
use super::strategies::{self, NodeKey};
use super::table::TokenTable;
use crate::error::{ConfigError, check_range};
use crate::hash::hash_str;
use crate::rng::{SplitMix64, mix64};

/// A ring lab's whole state: a base config and the changes applied to it, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RingScenario {
    /// Format version of this scenario (see `SCENARIO_VERSION`).
    pub version: u32,
    /// The ring before any change.
    pub config: RingConfig,
    /// Changes applied in order; the last one is the change the lab highlights.
    pub events: Vec<RingEvent>,
    /// How many churn steps (play / step) have been taken; it seeds the next one.
    pub steps: u64,
}

impl Default for RingScenario {
    fn default() -> Self {
        Self {
            version: crate::SCENARIO_VERSION,
            config: RingConfig::default(),
            events: Vec::new(),
            steps: 0,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) uid: u32,
    pub(crate) name: String,
    pub(crate) weight: u32,
    pub(crate) tokens: Vec<u64>,
    pub(crate) pinned: Vec<bool>,
    pub(crate) name_hash: u64,
    /// The view's tick path of `tokens`, kept in step by `Node::refresh` so a drag frame only
    /// redraws the dragged node's ticks.
    pub(crate) ticks: String,
}

impl Node {
    /// Recomputes what derives from the tokens; call after changing them.
    fn refresh(&mut self) {
        // Token 0 is drawn as the node's handle, not as a tick.
        self.ticks = super::view::tick_path(self.tokens.get(1..).unwrap_or_default());
    }
}

/// Keys, their hashes, and the hash order used by the ring's merge walk.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyIndex {
    pub(crate) hashes: Vec<u64>,
    /// Where each key is drawn; keys never move, so this is computed once.
    pub(crate) points: Vec<super::view::Point>,
    /// Every key's dot as path text, back to back, and where each one ends: drawing a frame
    /// is then copying bytes, not formatting numbers.
    dots: String,
    dot_ends: Vec<u32>,
    sorted_hashes: Vec<u64>,
    sorted_idx: Vec<u32>,
}

impl KeyIndex {
    /// Key `key`'s dot as path text.
    pub(crate) fn dot(&self, key: usize) -> &str {
        let start = if key == 0 {
            0
        } else {
            self.dot_ends[key - 1] as usize
        };
        &self.dots[start..self.dot_ends[key] as usize]
    }

    fn new(config: &RingConfig) -> Self {
        let n = config.keys.len();
        let hashes: Vec<u64> = match &config.keys {
            super::config::KeySpec::Generated { prefix, .. } => {
                let mut buf = String::with_capacity(prefix.len() + 8);
                (0..n)
                    .map(|idx| {
                        use std::fmt::Write;
                        buf.clear();
                        buf.push_str(prefix);
                        let _ = write!(buf, "{idx}");
                        hash_str(&buf, config.seed)
                    })
                    .collect()
            }
            super::config::KeySpec::Custom { keys } => {
                keys.iter().map(|k| hash_str(k, config.seed)).collect()
            }
        };
        let mut order: Vec<(u64, u32)> = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        order.sort_unstable();
        let (sorted_hashes, sorted_idx) = order.into_iter().unzip();
        let points: Vec<super::view::Point> =
            hashes.iter().map(|&h| super::view::key_point(h)).collect();
        let mut dots = String::with_capacity(points.len() * 12);
        let dot_ends = points
            .iter()
            .map(|&p| {
                super::view::push_dot(&mut dots, p);
                dots.len() as u32
            })
            .collect();
        Self {
            points,
            dots,
            dot_ends,
            hashes,
            sorted_hashes,
            sorted_idx,
        }
    }
}

/// The state a change is compared against: who owned what before it.
#[derive(Clone, Debug)]
pub(crate) struct Baseline {
    pub(crate) uids: Vec<u32>,
    pub(crate) placements: Vec<Vec<u32>>,
    weights: Vec<(u32, u32)>,
    arcs: Vec<(u32, f64)>,
}

/// What one change did, for every strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeReport {
    /// The change, in words.
    pub description: String,
    /// Keys that changed owner, per strategy, in [`StrategyKind::ALL`] order.
    pub moved: Vec<u32>,
    /// The least fraction of keys any scheme must move to reach the new shares.
    pub ideal_fraction: f64,
    /// The number of keys.
    pub n_keys: u32,
}

impl ChangeReport {
    /// Keys the strategy moved.
    pub fn moved_by(&self, strategy: StrategyKind) -> u32 {
        self.moved.get(strategy.index()).copied().unwrap_or(0)
    }

    /// The fraction of keys the strategy moved.
    pub fn moved_fraction(&self, strategy: StrategyKind) -> f64 {
        f64::from(self.moved_by(strategy)) / f64::from(self.n_keys.max(1))
    }

    /// The ideal number of keys to move.
    pub fn ideal_keys(&self) -> f64 {
        self.ideal_fraction * f64::from(self.n_keys)
    }
}

/// How many history entries a lab keeps (older changes are folded into the base config).
pub const MAX_EVENTS: usize = 32;

/// A consistent-hash ring lab.
#[derive(Clone, Debug)]
pub struct RingLab {
    pub(crate) config: RingConfig,
    pub(crate) events: Vec<RingEvent>,
    pub(crate) steps: u64,
    pub(crate) nodes: Vec<Node>,
    /// Names of every node that ever existed, indexed by uid, so moves from removed nodes can be named.
    pub(crate) uid_names: Vec<String>,
    pub(crate) vnodes: u32,
    pub(crate) table: TokenTable,
    pub(crate) keys: KeyIndex,
    /// `placements[strategy][key]` is the index into `nodes` of the key's owner.
    pub(crate) placements: Vec<Vec<u32>>,
    /// Slots of the Maglev lookup table each node holds, in node order: its share of the hash
    /// space is this over `maglev_size`.
    pub(crate) maglev_slots: Vec<u32>,
    /// The Maglev lookup table's size.
    pub(crate) maglev_size: u64,
    pub(crate) history: Vec<ChangeReport>,
    /// The state before the last change, to list its moves.
    pub(crate) last_baseline: Option<Baseline>,
    /// The state before a drag that is still in progress.
    pub(crate) drag: Option<Baseline>,
    /// The token that drag moves, as (node name, token number).
    drag_token: Option<(String, u32)>,
    /// Where that token was before the drag, and whether it was pinned.
    drag_origin: Option<(u64, bool)>,
    scratch: Vec<u32>,
    /// The key whose replica set the view shows (page state: not part of the scenario).
    pub(crate) selected_key: usize,
}

/// Which strategies a rebuild must recompute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    /// Only those that depend on token positions (after a drag).
    TokenBased,
}

impl RingLab {
    /// Builds the lab from a scenario: validates the config, then replays its events.
    pub fn new(scenario: &RingScenario) -> Result<Self, ConfigError> {
        if scenario.version > crate::SCENARIO_VERSION {
            return Err(ConfigError::UnsupportedVersion(scenario.version));
        }
        let config = &scenario.config;
        config.validate()?;
        let mut lab = RingLab::skeleton(config, KeyIndex::new(config), scenario.steps);
        lab.rebuild(Scope::All);
        for event in &scenario.events {
            lab.apply(event.clone())?;
        }
        Ok(lab)
    }

    /// The nodes of a valid config, with keys but nothing placed yet.
    fn skeleton(config: &RingConfig, keys: KeyIndex, steps: u64) -> Self {
        let mut lab = RingLab {
            config: config.clone(),
            events: Vec::new(),
            steps,
            nodes: Vec::new(),
            uid_names: Vec::new(),
            vnodes: config.vnodes,
            table: TokenTable::default(),
            keys,
            placements: vec![Vec::new(); StrategyKind::ALL.len()],
            maglev_slots: Vec::new(),
            maglev_size: 0,
            history: Vec::new(),
            last_baseline: None,
            drag: None,
            drag_token: None,
            drag_origin: None,
            scratch: Vec::new(),
            selected_key: 0,
        };
        for spec in &config.nodes {
            let mut node = lab.make_node(&spec.name, spec.weight);
            for pin in &spec.pins {
                if let Some(slot) = node.tokens.get_mut(pin.vnode as usize) {
                    *slot = pin.position;
                    node.pinned[pin.vnode as usize] = true;
                }
            }
            node.refresh();
            lab.nodes.push(node);
        }
        lab
    }

    /// The lab's current state as a scenario; `RingLab::new` of it gives the same lab.
    pub fn scenario(&self) -> RingScenario {
        RingScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config.clone(),
            events: self.events.clone(),
            steps: self.steps,
        }
    }

    /// The base config.
    pub fn config(&self) -> &RingConfig {
        &self.config
    }

    /// The changes applied so far.
    pub fn events(&self) -> &[RingEvent] {
        &self.events
    }

    /// One report per applied change, oldest first.
    pub fn history(&self) -> &[ChangeReport] {
        &self.history
    }

    /// The number of keys.
    pub fn n_keys(&self) -> usize {
        self.keys.hashes.len()
    }

    /// The current nodes' names, in join order.
    pub fn node_names(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.name.as_str())
    }

    /// The current number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// The current virtual nodes per unit of weight.
    pub fn vnodes(&self) -> u32 {
        self.vnodes
    }

    /// The token table of the ring as it is now.
    pub fn table(&self) -> &TokenTable {
        &self.table
    }

    /// The position of a node's token, if both exist.
    pub fn token_position(&self, name: &str, vnode: u32) -> Option<u64> {
        self.node_idx(name)
            .and_then(|idx| self.nodes[idx].tokens.get(vnode as usize).copied())
    }

    /// The owner of every key under `strategy`, as node names, in key order.
    pub fn owners(&self, strategy: StrategyKind) -> Vec<&str> {
        self.placements[strategy.index()]
            .iter()
            .map(|&idx| self.nodes[idx as usize].name.as_str())
            .collect()
    }

    /// The owner of key `key_idx` under `strategy`.
    pub fn owner(&self, strategy: StrategyKind, key_idx: usize) -> Option<&str> {
        let idx = *self.placements[strategy.index()].get(key_idx)?;
        Some(self.nodes[idx as usize].name.as_str())
    }

    /// The replica set of a key on the ring: the next R distinct nodes clockwise.
    pub fn replicas(&self, key_idx: usize) -> Vec<&str> {
        let Some(&h) = self.keys.hashes.get(key_idx) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.table
            .distinct_owners_from(h, self.config.replication as usize, &mut out);
        out.iter()
            .map(|&idx| self.nodes[idx as usize].name.as_str())
            .collect()
    }

    /// The name of key `key_idx`.
    pub fn key_name(&self, key_idx: usize) -> String {
        self.config.keys.name(key_idx)
    }

    /// Finds a key by name (linear for custom keys; direct for generated ones).
    pub fn find_key(&self, name: &str) -> Option<usize> {
        match &self.config.keys {
            super::config::KeySpec::Generated { count, prefix } => name
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.parse::<u32>().ok())
                .filter(|idx| idx < count && name == format!("{prefix}{idx}"))
                .map(|idx| idx as usize),
            super::config::KeySpec::Custom { keys } => keys.iter().position(|k| k == name),
        }
    }

    /// The ring position of key `key_idx`.
    pub fn key_position(&self, key_idx: usize) -> Option<u64> {
        self.keys.hashes.get(key_idx).copied()
    }

    /// Applies one change, validating it first; on `Err` the lab is unchanged.
    pub fn apply(&mut self, event: RingEvent) -> Result<&ChangeReport, ConfigError> {
        let ends_drag = matches!(&event, RingEvent::MoveToken { name, vnode, .. }
            if self.drag_token.as_ref().is_some_and(|(n, v)| n == name && v == vnode));
        if self.drag.is_some() && !ends_drag {
            // Any other change while dragging, including a move of another token: drop the drag
            // first, so that the events alone rebuild the lab.
            self.cancel_drag();
        }
        self.check(&event)?;
        self.drag_token = None;
        let baseline = self.drag.take().unwrap_or_else(|| self.capture());
        self.drag_origin = None;
        self.mutate(&event);
        // Moving tokens changes nothing for the strategies that ignore them.
        let scope = if event.ideal_by_arc() {
            Scope::TokenBased
        } else {
            Scope::All
        };
        self.build_table();
        self.place(scope);
        let report = self.report(&event, &baseline);
        self.events.push(event);
        self.history.push(report);
        self.last_baseline = Some(baseline);
        if self.events.len() > MAX_EVENTS {
            self.fold_oldest();
        }
        Ok(self.history.last().expect("just pushed"))
    }

    /// Moves a token while it is being dragged: only token-based strategies are recomputed, and
    /// moves are measured from where the drag started. Finish with [`RingLab::apply`] of a
    /// `MoveToken`, or [`RingLab::cancel_drag`].
    pub fn drag_to(&mut self, name: &str, vnode: u32, position: u64) -> Result<(), ConfigError> {
        let event = RingEvent::MoveToken {
            name: name.to_owned(),
            vnode,
            position,
        };
        self.check(&event)?;
        if self
            .drag_token
            .as_ref()
            .is_some_and(|(n, v)| n != name || *v != vnode)
        {
            // A drag moves one token: dragging another abandons the first.
            self.cancel_drag();
        }
        let node_idx = self.node_idx(name).expect("checked");
        let node = &self.nodes[node_idx];
        let old = node.tokens[vnode as usize];
        if self.drag.is_none() {
            self.drag_origin = Some((old, node.pinned[vnode as usize]));
            self.drag = Some(self.capture());
            self.drag_token = Some((name.to_owned(), vnode));
        }
        self.mutate(&event);
        let idx = node_idx as u32;
        if !self.table.replace((old, idx), (position, idx)) {
            self.build_table();
        }
        self.place(Scope::TokenBased);
        Ok(())
    }

    /// Whether a drag is in progress.
    pub fn dragging(&self) -> bool {
        self.drag.is_some()
    }

    /// Abandons a drag, putting the token back where it was.
    pub fn cancel_drag(&mut self) {
        let token = self.drag_token.take();
        let origin = self.drag_origin.take();
        let Some(baseline) = self.drag.take() else {
            return;
        };
        // Put the token back and restore the placements saved when the drag started.
        if let (Some((name, vnode)), Some((position, pinned))) = (token, origin)
            && let Some(idx) = self.node_idx(&name)
        {
            let node = &mut self.nodes[idx];
            let moved_to = node.tokens[vnode as usize];
            node.tokens[vnode as usize] = position;
            node.pinned[vnode as usize] = pinned;
            node.refresh();
            let idx = idx as u32;
            if !self.table.replace((moved_to, idx), (position, idx)) {
                self.build_table();
            }
        }
        self.placements = baseline.placements;
    }

    /// The change being shown: the drag in progress, else the last applied change.
    pub fn current_change(&self) -> Option<ChangeReport> {
        if let Some(baseline) = &self.drag {
            let event = RingEvent::MoveToken {
                name: String::new(),
                vnode: 0,
                position: 0,
            };
            let mut report = self.report(&event, baseline);
            report.description = "dragging".to_owned();
            Some(report)
        } else {
            self.history.last().cloned()
        }
    }

    /// The keys that moved in the current change under `strategy`: (key index, from, to) as names.
    pub fn moves(&self, strategy: StrategyKind) -> Vec<(u32, &str, &str)> {
        let Some(baseline) = self.drag.as_ref().or(self.last_baseline.as_ref()) else {
            return Vec::new();
        };
        let before = &baseline.placements[strategy.index()];
        let after = &self.placements[strategy.index()];
        let mut out = Vec::new();
        for (key, (&b, &a)) in before.iter().zip(after).enumerate() {
            let from = baseline.uids[b as usize];
            let to = self.nodes[a as usize].uid;
            if from != to {
                out.push((
                    key as u32,
                    self.uid_names[from as usize].as_str(),
                    self.uid_names[to as usize].as_str(),
                ));
            }
        }
        out
    }

    /// Calls `f` with every key that moved in the current change under `strategy`, in key
    /// order, without allocating (the view calls this on every drag frame).
    pub(crate) fn for_each_moved_key(&self, strategy: StrategyKind, mut f: impl FnMut(usize)) {
        let Some(baseline) = self.drag.as_ref().or(self.last_baseline.as_ref()) else {
            return;
        };
        let before = &baseline.placements[strategy.index()];
        let after = &self.placements[strategy.index()];
        for (key, (&b, &a)) in before.iter().zip(after).enumerate() {
            if baseline.uids[b as usize] != self.nodes[a as usize].uid {
                f(key);
            }
        }
    }

    /// One seeded churn step: a node joins, leaves, has a token moved or its weight changed.
    pub fn step(&mut self) -> Result<&ChangeReport, ConfigError> {
        let event = self.churn_event();
        // Wrapping: a scenario may carry any step count, and the count only seeds the next step.
        self.steps = self.steps.wrapping_add(1);
        match self.apply(event) {
            Ok(_) => Ok(self.history.last().expect("applied")),
            Err(err) => {
                self.steps = self.steps.wrapping_sub(1);
                Err(err)
            }
        }
    }

    /// Shows another strategy on the ring. Every strategy's placement is always computed, so
    /// this changes only what is drawn and summarised.
    pub fn set_strategy(&mut self, strategy: StrategyKind) {
        self.config.strategy = strategy;
    }

    /// Changes settings that do not move nodes (keys, seed, replication, ε), rebuilding the lab
    /// from its scenario so the history is recomputed too. On `Err` the lab is unchanged.
    pub fn reconfigure(&mut self, edit: impl FnOnce(&mut RingConfig)) -> Result<(), ConfigError> {
        let mut scenario = self.scenario();
        edit(&mut scenario.config);
        *self = RingLab::new(&scenario)?;
        Ok(())
    }

    fn churn_event(&self) -> RingEvent {
        let mut rng = SplitMix64::new(mix64(
            self.config.seed ^ self.steps.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ));
        let n = self.nodes.len();
        let min_nodes = (self.config.replication as usize).max(2);
        let roll = rng.below(10);
        let name_of = |rng: &mut SplitMix64| self.nodes[rng.below(n as u64) as usize].name.clone();
        if n <= min_nodes || (roll < 4 && n < 16) {
            RingEvent::AddNode {
                name: self.fresh_name(),
                weight: 1,
            }
        } else if roll < 7 || n >= 16 {
            RingEvent::RemoveNode {
                name: name_of(&mut rng),
            }
        } else if roll < 9 {
            RingEvent::MoveToken {
                name: name_of(&mut rng),
                vnode: 0,
                position: rng.next_u64(),
            }
        } else {
            let name = name_of(&mut rng);
            let max_weight = (MAX_VNODES_PER_NODE / self.vnodes).clamp(1, 3);
            RingEvent::SetWeight {
                name,
                weight: 1 + rng.below(u64::from(max_weight)) as u32,
            }
        }
    }

    /// The first unused name in A, B, …, Z, AA, AB, …
    pub fn fresh_name(&self) -> String {
        (0u32..)
            .map(spreadsheet_name)
            .find(|candidate| self.node_idx(candidate).is_none())
            .expect("names are unbounded")
    }

    fn node_idx(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    fn make_node(&mut self, name: &str, weight: u32) -> Node {
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
    fn check(&self, event: &RingEvent) -> Result<(), ConfigError> {
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
    fn mutate(&mut self, event: &RingEvent) {
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

    fn pins_of(&self, idx: usize) -> Vec<(usize, u64)> {
        let node = &self.nodes[idx];
        node.pinned
            .iter()
            .enumerate()
            .filter(|(_, p)| **p)
            .map(|(i, _)| (i, node.tokens[i]))
            .collect()
    }

    fn rebuild(&mut self, scope: Scope) {
        self.build_table();
        self.place(scope);
    }

    fn build_table(&mut self) {
        let tokens: Vec<(u64, u32)> = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(idx, node)| node.tokens.iter().map(move |&t| (t, idx as u32)))
            .collect();
        self.table = TokenTable::new(tokens);
    }

    /// Recomputes the placements of the strategies in `scope` from the current table.
    fn place(&mut self, scope: Scope) {
        let hashes = &self.keys.hashes;
        let n_nodes = self.nodes.len();

        // The ring: one merge walk in hash order, scattered back to key order.
        self.table
            .owners_of_sorted(&self.keys.sorted_hashes, &mut self.scratch);
        let ring = &mut self.placements[StrategyKind::Ring.index()];
        ring.clear();
        ring.resize(hashes.len(), 0);
        for (&key, &owner) in self.keys.sorted_idx.iter().zip(&self.scratch) {
            ring[key as usize] = owner;
        }

        let weights: Vec<u32> = self.nodes.iter().map(|n| n.weight).collect();
        let capacities =
            strategies::bounded_capacities(&weights, hashes.len(), self.config.epsilon);
        strategies::bounded(
            &self.table,
            &capacities,
            hashes,
            &mut self.placements[StrategyKind::Bounded.index()],
        );
        if scope == Scope::TokenBased {
            return;
        }
        let node_keys: Vec<NodeKey> = self
            .nodes
            .iter()
            .map(|n| NodeKey {
                name_hash: n.name_hash,
                weight: n.weight,
            })
            .collect();
        strategies::modulo(
            n_nodes,
            hashes,
            &mut self.placements[StrategyKind::Modulo.index()],
        );
        strategies::jump(
            n_nodes,
            hashes,
            &mut self.placements[StrategyKind::Jump.index()],
        );
        strategies::rendezvous(
            &node_keys,
            hashes,
            &mut self.placements[StrategyKind::Rendezvous.index()],
        );
        self.maglev_size = strategies::maglev_table_size(n_nodes);
        let maglev = strategies::maglev_table(&node_keys, self.maglev_size);
        strategies::maglev(
            &maglev,
            hashes,
            &mut self.placements[StrategyKind::Maglev.index()],
        );
        self.maglev_slots.clear();
        self.maglev_slots.resize(n_nodes, 0);
        for &owner in &maglev {
            self.maglev_slots[owner as usize] += 1;
        }
    }

    fn capture(&self) -> Baseline {
        let shares = self.table.arc_shares(self.nodes.len());
        Baseline {
            uids: self.nodes.iter().map(|n| n.uid).collect(),
            placements: self.placements.clone(),
            weights: self.nodes.iter().map(|n| (n.uid, n.weight)).collect(),
            arcs: self
                .nodes
                .iter()
                .zip(shares)
                .map(|(n, s)| (n.uid, s))
                .collect(),
        }
    }

    fn report(&self, event: &RingEvent, baseline: &Baseline) -> ChangeReport {
        let moved = (0..StrategyKind::ALL.len())
            .map(|s| {
                let before = &baseline.placements[s];
                let after = &self.placements[s];
                before
                    .iter()
                    .zip(after)
                    .filter(|&(&b, &a)| baseline.uids[b as usize] != self.nodes[a as usize].uid)
                    .count() as u32
            })
            .collect();
        let ideal_fraction = if event.ideal_by_arc() {
            let shares = self.table.arc_shares(self.nodes.len());
            let after: Vec<(u32, f64)> = self.nodes.iter().map(|n| n.uid).zip(shares).collect();
            half_l1(&baseline.arcs, &after)
        } else {
            let normalise = |w: &[(u32, u32)]| {
                let total: f64 = w.iter().map(|&(_, w)| f64::from(w)).sum();
                w.iter()
                    .map(|&(uid, w)| (uid, f64::from(w) / total))
                    .collect::<Vec<_>>()
            };
            let after: Vec<(u32, u32)> = self.nodes.iter().map(|n| (n.uid, n.weight)).collect();
            half_l1(&normalise(&baseline.weights), &normalise(&after))
        };
        ChangeReport {
            description: event.describe(),
            moved,
            ideal_fraction,
            n_keys: self.keys.hashes.len() as u32,
        }
    }

    /// Folds the oldest half of the events into the base config so the history stays bounded.
    /// Replaying the new base and the kept events gives exactly the current state.
    fn fold_oldest(&mut self) {
        let keep = self.events.split_off(self.events.len() - MAX_EVENTS / 2);
        // Replay only the node changes of the folded events: no keys, no placements.
        let mut base = RingLab::skeleton(&self.config, KeyIndex::default(), self.steps);
        for event in &self.events {
            if base.check(event).is_err() {
                self.events.extend(keep);
                return;
            }
            base.mutate(event);
        }
        self.config.vnodes = base.vnodes;
        self.config.nodes = base.current_node_specs();
        self.history.drain(..self.history.len() - keep.len());
        self.events = keep;
    }

    /// The nodes as they are now, as specs with their dragged tokens pinned.
    pub fn current_node_specs(&self) -> Vec<super::config::NodeSpec> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(idx, n)| super::config::NodeSpec {
                name: n.name.clone(),
                weight: n.weight,
                pins: self
                    .pins_of(idx)
                    .into_iter()
                    .map(|(vnode, position)| super::config::Pin {
                        vnode: vnode as u32,
                        position,
                    })
                    .collect(),
            })
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

/// Half the L1 distance between two share vectors keyed by node uid: the least mass that must
/// move to turn one distribution into the other.
fn half_l1<T: Copy + Into<f64>>(before: &[(u32, T)], after: &[(u32, T)]) -> f64 {
    let mut total = 0.0;
    for &(uid, b) in before {
        let a = after
            .iter()
            .find(|(u, _)| *u == uid)
            .map_or(0.0, |&(_, a)| a.into());
        total += (b.into() - a).abs();
    }
    for &(uid, a) in after {
        if !before.iter().any(|(u, _)| *u == uid) {
            total += a.into();
        }
    }
    total / 2.0
}

/// 0 → A, 25 → Z, 26 → AA, …
pub fn spreadsheet_name(mut n: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

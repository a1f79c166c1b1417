//! The running ring lab: the current nodes and tokens, every strategy's placement of every key,
//! and the report of what each change moved.

use serde::{Deserialize, Serialize};

pub use super::change::ChangeReport;
use super::change::{Baseline, Drag, Pending, half_l1};
use super::config::{KeySpec, NodeSpec, Pin, RingConfig, StrategyKind};
use super::event::RingEvent;
use super::geometry::tick_path;
use super::keys::KeyIndex;
use super::strategies;
use super::table::TokenTable;
use crate::error::ConfigError;

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
    pub(super) fn refresh(&mut self) {
        // Token 0 is drawn as the node's handle, not as a tick.
        self.ticks = tick_path(self.tokens.get(1..).unwrap_or_default());
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
    /// A drag still in progress.
    pub(crate) drag: Option<Drag>,
    scratch: Vec<u32>,
    /// Whether the strategies the drawing does not need are placed later, in pieces (the
    /// page's lab: see `pending.rs`); a lab from [`RingLab::new`] places everything at once.
    pub(crate) defer: bool,
    /// Placements still to compute.
    pub(crate) pending: Pending,
    /// The key whose replica set the view shows (page state: not part of the scenario).
    pub(crate) selected_key: usize,
}

/// Which strategies a rebuild must recompute.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    All,
    /// Only those that depend on token positions (after a drag).
    TokenBased,
}

impl RingLab {
    /// Builds the lab from a scenario: validates the config, then replays its events.
    pub fn new(scenario: &RingScenario) -> Result<Self, ConfigError> {
        RingLab::build(scenario, false)
    }

    /// [`RingLab::new`], leaving the comparison strategies the drawing does not need to be
    /// placed in pieces by [`RingLab::place_piece`] (the page's lab). Results are the same
    /// once placed; until then [`RingLab::placing_strategy`] says which are incomplete.
    pub fn new_deferred(scenario: &RingScenario) -> Result<Self, ConfigError> {
        RingLab::build(scenario, true)
    }

    /// A lab from `scenario` that defers like this one.
    pub(super) fn rebuilt(&self, scenario: &RingScenario) -> Result<Self, ConfigError> {
        RingLab::build(scenario, self.defer)
    }

    fn build(scenario: &RingScenario, defer: bool) -> Result<Self, ConfigError> {
        if scenario.version > crate::SCENARIO_VERSION {
            return Err(ConfigError::UnsupportedVersion(scenario.version));
        }
        let config = &scenario.config;
        config.validate()?;
        let mut lab = RingLab::skeleton(config, KeyIndex::new(config), scenario.steps);
        lab.defer = defer;
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
            scratch: Vec::new(),
            defer: false,
            pending: Pending::default(),
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
            KeySpec::Generated { count, prefix } => name
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.parse::<u32>().ok())
                .filter(|idx| idx < count && name == format!("{prefix}{idx}"))
                .map(|idx| idx as usize),
            KeySpec::Custom { keys } => keys.iter().position(|k| k == name),
        }
    }

    /// The ring position of key `key_idx`.
    pub fn key_position(&self, key_idx: usize) -> Option<u64> {
        self.keys.hashes.get(key_idx).copied()
    }

    /// Applies one change, validating it first; on `Err` the lab is unchanged.
    pub fn apply(&mut self, event: RingEvent) -> Result<&ChangeReport, ConfigError> {
        let ends_drag = matches!(&event, RingEvent::MoveToken { name, vnode, .. }
            if self.drag.as_ref().is_some_and(|d| d.moves(name, *vnode)));
        if self.drag.is_some() && !ends_drag {
            // Any other change while dragging, including a move of another token: drop the drag
            // first, so that the events alone rebuild the lab.
            self.cancel_drag();
        }
        self.check(&event)?;
        // The baseline needs every strategy's placement.
        self.finish_pending();
        let baseline = match self.drag.take() {
            Some(drag) => drag.baseline,
            None => self.capture(),
        };
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
        self.pending.report_due = self.placing();
        if self.events.len() > MAX_EVENTS {
            self.fold_oldest();
        }
        Ok(self.history.last().expect("just pushed"))
    }

    /// Shows another strategy on the ring. Every strategy's placement is always computed, so
    /// this changes only what is drawn and summarised.
    pub fn set_strategy(&mut self, strategy: StrategyKind) {
        self.finish_strategy(strategy);
        self.config.strategy = strategy;
    }

    /// Changes settings that do not move nodes (keys, seed, replication, ε), rebuilding the lab
    /// from its scenario so the history is recomputed too. On `Err` the lab is unchanged.
    pub fn reconfigure(&mut self, edit: impl FnOnce(&mut RingConfig)) -> Result<(), ConfigError> {
        let mut scenario = self.scenario();
        edit(&mut scenario.config);
        *self = self.rebuilt(&scenario)?;
        Ok(())
    }

    pub(super) fn node_idx(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    fn rebuild(&mut self, scope: Scope) {
        self.build_table();
        self.place(scope);
    }

    pub(super) fn build_table(&mut self) {
        let tokens: Vec<(u64, u32)> = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(idx, node)| node.tokens.iter().map(move |&t| (t, idx as u32)))
            .collect();
        self.table = TokenTable::new(tokens);
    }

    /// Recomputes the placements of the strategies in `scope` from the current table.
    pub(super) fn place(&mut self, scope: Scope) {
        let hashes = &self.keys.hashes;

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
        if scope == Scope::All {
            self.place_node_based();
        }
    }

    pub(super) fn capture(&self) -> Baseline {
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

    pub(super) fn report(&self, event: &RingEvent, baseline: &Baseline) -> ChangeReport {
        // A strategy still being placed gets its count when its placement is complete.
        let moved = StrategyKind::ALL
            .into_iter()
            .map(|s| self.moved_since(baseline, s))
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

    /// Keys whose owner under `strategy` changed since `baseline` (0 while it is being placed).
    pub(super) fn moved_since(&self, baseline: &Baseline, strategy: StrategyKind) -> u32 {
        if self.placing_strategy(strategy) {
            return 0;
        }
        let before = &baseline.placements[strategy.index()];
        let after = &self.placements[strategy.index()];
        before
            .iter()
            .zip(after)
            .filter(|&(&b, &a)| baseline.uids[b as usize] != self.nodes[a as usize].uid)
            .count() as u32
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
    pub fn current_node_specs(&self) -> Vec<NodeSpec> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(idx, n)| NodeSpec {
                name: n.name.clone(),
                weight: n.weight,
                pins: self
                    .pins_of(idx)
                    .into_iter()
                    .map(|(vnode, position)| Pin {
                        vnode: vnode as u32,
                        position,
                    })
                    .collect(),
            })
            .collect()
    }
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
    out.into_iter().map(char::from).collect()
}

//! The ring lab behind the [`Lab`] contract: its actions (drag, nudge, add, set the node
//! count, paste keys, select a key), each atomic.

use super::config::{KeySpec, MAX_NODES, StrategyKind};
use super::event::RingEvent;
use super::lab::{RingLab, RingScenario};
use super::params::RING_PARAMS;
use super::snapshot::RingSnapshot;
use super::view::RingView;
use crate::error::ConfigError;
use crate::hash::{position_at, ring_fraction};
use crate::schema::Param;
use crate::{Lab, Preset};

/// What a user can do to the ring lab beyond what every lab can.
#[derive(Clone, Debug, PartialEq)]
pub enum RingAction {
    /// A node's first token is being dragged to a fraction of the ring (a drag frame: only
    /// token-based strategies are recomputed).
    DragTo {
        /// The node's name.
        node: String,
        /// Where on the ring, as a fraction of a turn.
        fraction: f64,
    },
    /// The drag ended where it is: it becomes a change.
    DragEnd {
        /// The node's name.
        node: String,
    },
    /// The drag was cancelled (the browser took the pointer): the token goes back.
    DragCancel,
    /// Moves a node's first token by a fraction of a turn (keyboard).
    Nudge {
        /// The node's name.
        node: String,
        /// By how much, in turns (negative is counter-clockwise).
        turns: f64,
    },
    /// Applies a change that reports moved keys.
    Change(RingEvent),
    /// Adds a node with a fresh name.
    AddNode,
    /// Adds or removes the newest nodes until there are this many: all or nothing.
    SetNodeCount(usize),
    /// Shows another strategy on the ring.
    SetStrategy(StrategyKind),
    /// Replaces the keys with a pasted list; empty text returns to generated keys.
    SetCustomKeys(String),
    /// Shows the replica set of key number `.0`.
    SelectKey(usize),
    /// Shows the replica set of the key with this name.
    FindKey(String),
}

impl RingLab {
    /// The key whose replica set is shown.
    pub fn selected_key(&self) -> usize {
        self.selected_key
    }

    /// Adds or removes the newest nodes until there are `target`, as one action: the target is
    /// checked first (at least one node and at least the replication factor, at most
    /// [`MAX_NODES`]), so either every change applies or none does.
    pub fn set_node_count(&mut self, target: usize) -> Result<(), ConfigError> {
        let replication = self.config.replication as usize;
        let min = replication.max(1);
        if target < min || target > MAX_NODES {
            return Err(ConfigError::OutOfRange {
                what: "the number of nodes",
                value: target.to_string(),
                range: if replication > 1 {
                    "at least the replication factor and at most 1,000"
                } else {
                    "1 to 1,000"
                },
            });
        }
        let before = self.scenario();
        let result = (|| {
            while self.n_nodes() < target {
                let name = self.fresh_name();
                self.apply(RingEvent::AddNode { name, weight: 1 })?;
            }
            while self.n_nodes() > target {
                let name = self.node_names().last().unwrap_or_default().to_owned();
                self.apply(RingEvent::RemoveNode { name })?;
            }
            Ok(())
        })();
        if result.is_err() {
            // Not reachable after the checks above; if it were, the lab goes back whole.
            let selected = self.selected_key;
            *self = self.rebuilt(&before)?;
            self.selected_key = selected;
        }
        result
    }
}

impl Lab for RingLab {
    const ID: &'static str = "ring";
    const TITLE: &'static str = "Consistent hashing";
    const SUMMARY: &'static str = "Drag nodes around a hash ring and watch which keys move; compare the ring with modulo, rendezvous, jump, Maglev and bounded loads.";
    type Scenario = RingScenario;
    type Snapshot = RingSnapshot;
    type View = RingView;
    type Action = RingAction;

    fn schema() -> &'static [Param<RingScenario>] {
        RING_PARAMS
    }
    fn page_params() -> &'static [&'static str] {
        &["key"]
    }
    /// `key=NAME` selects the key whose replica set is shown.
    fn read_page(&mut self, pairs: &[(String, String)]) -> Vec<crate::Notice> {
        let mut notices = Vec::new();
        for (k, v) in pairs.iter().filter(|(k, _)| k == "key") {
            match self.find_key(v) {
                Some(idx) => self.selected_key = idx,
                None => notices.push(crate::Notice::new(
                    k,
                    format!(
                        "{} is not one of the keys; showing the first",
                        crate::schema::quote(v)
                    ),
                )),
            }
        }
        notices
    }
    fn write_page(&self) -> Vec<(String, String)> {
        if self.selected_key == 0 {
            Vec::new()
        } else {
            vec![("key".to_owned(), self.key_name(self.selected_key))]
        }
    }
    fn is_transient(action: &RingAction) -> bool {
        matches!(action, RingAction::DragTo { .. } | RingAction::DragCancel)
    }
    fn presets() -> Vec<Preset<RingScenario>> {
        Vec::new()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }
    fn new(scenario: &RingScenario) -> Result<Self, ConfigError> {
        RingLab::new(scenario)
    }
    fn new_deferred(scenario: &RingScenario) -> Result<Self, ConfigError> {
        RingLab::new_deferred(scenario)
    }
    fn scenario(&self) -> RingScenario {
        RingLab::scenario(self)
    }
    /// The comparison strategies still being placed after a change.
    fn background_pending(&self) -> bool {
        self.placing()
    }
    /// The view changes when a strategy's placement completes (its row fills in).
    fn background_step(&mut self) -> bool {
        let before = self.n_placing();
        self.place_piece();
        self.n_placing() != before
    }
    fn default_speed() -> f64 {
        2.0
    }

    fn apply(&mut self, action: RingAction) -> Result<(), ConfigError> {
        let unknown = |node: &str| ConfigError::UnknownNode(node.to_owned());
        match action {
            RingAction::DragTo { node, fraction } => {
                if !fraction.is_finite() {
                    return Err(ConfigError::Invalid(
                        "a drag needs a finite position".to_owned(),
                    ));
                }
                self.drag_to(&node, 0, position_at(fraction))
            }
            RingAction::DragEnd { node } => {
                if !self.dragging() {
                    return Ok(());
                }
                let position = self
                    .token_position(&node, 0)
                    .ok_or_else(|| unknown(&node))?;
                RingLab::apply(
                    self,
                    RingEvent::MoveToken {
                        name: node,
                        vnode: 0,
                        position,
                    },
                )
                .map(|_| ())
            }
            RingAction::DragCancel => {
                self.cancel_drag();
                Ok(())
            }
            RingAction::Nudge { node, turns } => {
                if !turns.is_finite() {
                    return Err(ConfigError::Invalid(
                        "a move needs a finite distance".to_owned(),
                    ));
                }
                let position = self
                    .token_position(&node, 0)
                    .ok_or_else(|| unknown(&node))?;
                let fraction = ring_fraction(position) + turns;
                RingLab::apply(
                    self,
                    RingEvent::MoveToken {
                        name: node,
                        vnode: 0,
                        position: position_at(fraction),
                    },
                )
                .map(|_| ())
            }
            RingAction::Change(event) => RingLab::apply(self, event).map(|_| ()),
            RingAction::AddNode => {
                let name = self.fresh_name();
                RingLab::apply(self, RingEvent::AddNode { name, weight: 1 }).map(|_| ())
            }
            RingAction::SetNodeCount(target) => self.set_node_count(target),
            RingAction::SetStrategy(strategy) => {
                self.set_strategy(strategy);
                Ok(())
            }
            RingAction::SetCustomKeys(text) => {
                let keys = if text.trim().is_empty() {
                    KeySpec::default()
                } else {
                    KeySpec::parse_custom(&text)?
                };
                self.reconfigure(|c| c.keys = keys)?;
                self.selected_key = 0;
                Ok(())
            }
            RingAction::SelectKey(key) => {
                if key < self.n_keys() {
                    self.selected_key = key;
                    Ok(())
                } else {
                    Err(ConfigError::OutOfRange {
                        what: "the selected key",
                        value: key.to_string(),
                        range: "one of the keys",
                    })
                }
            }
            RingAction::FindKey(name) => {
                let key = self.find_key(name.trim()).ok_or_else(|| {
                    ConfigError::Invalid(format!(
                        "there is no key named {}",
                        crate::schema::quote(name.trim())
                    ))
                })?;
                self.selected_key = key;
                Ok(())
            }
        }
    }

    /// One seeded churn step: a node joins, leaves, moves or changes weight.
    fn step(&mut self) -> Result<(), ConfigError> {
        RingLab::step(self).map(|_| ())
    }

    /// Rebuilds from the scenario, keeping the selected key when it still exists.
    fn reconfigure(&mut self, scenario: &RingScenario) -> Result<(), ConfigError> {
        let selected = self.selected_key;
        *self = self.rebuilt(scenario)?;
        if selected < self.n_keys() {
            self.selected_key = selected;
        }
        Ok(())
    }

    fn view(&self) -> RingView {
        RingLab::view(self, Some(self.selected_key))
    }
    fn snapshot(&self) -> RingSnapshot {
        RingLab::snapshot(self)
    }
}

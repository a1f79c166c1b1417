//! The ring lab's actions: user intent in, a changed `RingLab` out, errors kept as messages.

use syslab_core::ConfigError;
use syslab_core::hash::position_at;
use syslab_core::ring::{RingEvent, RingLab, RingScenario, StrategyKind};

use super::session::{Change, LabModel, Session};

/// The ring lab's `use_reducer` state.
pub type RingState = Session<RingLab>;

/// What the page keeps beside the simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RingUi {
    /// Key whose replica set is shown.
    pub selected_key: usize,
}

/// What a user can do to the ring lab (besides what every lab can do).
pub enum RingAction {
    /// A node's handle is being dragged to a fraction of the ring.
    DragTo {
        node: String,
        fraction: f64,
    },
    /// The drag ended where it is.
    DragEnd {
        node: String,
    },
    /// The drag was cancelled (for example by the browser taking the pointer).
    DragCancel,
    /// Move a node's handle by a fraction of a turn (keyboard).
    Nudge {
        node: String,
        turns: f64,
    },
    /// Apply a change that reports moved keys.
    Apply(RingEvent),
    /// Add a node with a fresh name.
    AddNode,
    /// Change the number of nodes by adding or removing the newest ones.
    SetNodeCount(usize),
    /// Settings that rebuild the lab without a "moved keys" report.
    SetKeys(u32),
    SetReplication(u32),
    SetStrategy(StrategyKind),
    SetEpsilon(f64),
    /// Replace the custom key list (pasted text); empty text returns to generated keys.
    SetCustomKeys(String),
    SelectKey(usize),
    /// Select a key by name (typed by the user).
    FindKey(String),
}

/// A committed change, or the core's refusal as a sentence.
fn committed<T>(result: Result<T, ConfigError>) -> Result<Change, String> {
    result
        .map(|_| Change::Committed)
        .map_err(|e| super::sentence(&e))
}

impl LabModel for RingLab {
    type Scenario = RingScenario;
    type Action = RingAction;
    type Extra = RingUi;
    const SPEED: f64 = 2.0;

    fn build(scenario: &RingScenario) -> Result<Self, ConfigError> {
        RingLab::new(scenario)
    }
    fn scenario(&self) -> RingScenario {
        RingLab::scenario(self)
    }
    /// One seeded churn step: a node joins, leaves, moves or changes weight.
    fn step(&mut self) -> Result<(), ConfigError> {
        RingLab::step(self).map(|_| ())
    }
    fn set_seed(&mut self, seed: u64) -> Result<(), ConfigError> {
        self.reconfigure(|c| c.seed = seed)
    }

    fn act(s: &mut RingState, action: RingAction) -> Result<Change, String> {
        let lab = &mut s.lab;
        match action {
            RingAction::DragTo { node, fraction } => lab
                .drag_to(&node, 0, position_at(fraction))
                .map(|()| Change::Shown)
                .map_err(|e| super::sentence(&e)),
            RingAction::DragEnd { node } => {
                if !lab.dragging() {
                    return Ok(Change::Silent);
                }
                committed(match lab.token_position(&node, 0) {
                    Some(position) => lab.apply(RingEvent::MoveToken {
                        name: node,
                        vnode: 0,
                        position,
                    }),
                    None => Err(ConfigError::UnknownNode(node)),
                })
            }
            RingAction::DragCancel => {
                lab.cancel_drag();
                Ok(Change::Shown)
            }
            RingAction::Nudge { node, turns } => committed(match lab.token_position(&node, 0) {
                Some(position) => {
                    let fraction = syslab_core::hash::ring_fraction(position) + turns;
                    lab.apply(RingEvent::MoveToken {
                        name: node,
                        vnode: 0,
                        position: position_at(fraction),
                    })
                }
                None => Err(ConfigError::UnknownNode(node)),
            }),
            RingAction::Apply(event) => committed(lab.apply(event)),
            RingAction::AddNode => {
                let name = lab.fresh_name();
                committed(lab.apply(RingEvent::AddNode { name, weight: 1 }))
            }
            RingAction::SetNodeCount(target) => {
                let mut r = Ok(());
                while r.is_ok() && lab.n_nodes() < target {
                    let name = lab.fresh_name();
                    r = lab
                        .apply(RingEvent::AddNode { name, weight: 1 })
                        .map(|_| ());
                }
                while r.is_ok() && lab.n_nodes() > target {
                    let name = lab.node_names().last().unwrap_or_default().to_owned();
                    r = lab.apply(RingEvent::RemoveNode { name }).map(|_| ());
                }
                committed(r)
            }
            RingAction::SetKeys(count) => committed(lab.reconfigure(|c| {
                c.keys = syslab_core::ring::KeySpec::Generated {
                    count,
                    prefix: match &c.keys {
                        syslab_core::ring::KeySpec::Generated { prefix, .. } => prefix.clone(),
                        _ => "user:".to_owned(),
                    },
                }
            })),
            RingAction::SetReplication(r) => committed(lab.reconfigure(|c| c.replication = r)),
            RingAction::SetStrategy(strategy) => {
                lab.set_strategy(strategy);
                Ok(Change::Committed)
            }
            RingAction::SetEpsilon(eps) => committed(lab.reconfigure(|c| c.epsilon = eps)),
            RingAction::SetCustomKeys(text) => {
                let r = if text.trim().is_empty() {
                    lab.reconfigure(|c| c.keys = Default::default())
                } else {
                    syslab_core::ring::KeySpec::parse_custom(&text)
                        .and_then(|spec| lab.reconfigure(|c| c.keys = spec))
                };
                if r.is_ok() {
                    s.extra.selected_key = 0;
                }
                committed(r)
            }
            RingAction::SelectKey(key) => {
                if key < lab.n_keys() {
                    s.extra.selected_key = key;
                    Ok(Change::Shown)
                } else {
                    Ok(Change::Silent)
                }
            }
            RingAction::FindKey(name) => match lab.find_key(name.trim()) {
                Some(key) => {
                    s.extra.selected_key = key;
                    s.error = None;
                    Ok(Change::Shown)
                }
                None => Err(format!("There is no key named {:?}", name.trim())),
            },
        }
    }

    /// The selected key stays one of the keys.
    fn settle(s: &mut RingState) {
        if s.extra.selected_key >= s.lab.n_keys() {
            s.extra.selected_key = 0;
        }
    }
}

//! The ring lab's reducer: user intent in, a new `RingLab` out, errors kept as messages.

use std::rc::Rc;

use syslab_core::hash::position_at;
use syslab_core::ring::{RingEvent, RingLab, RingScenario, StrategyKind};
use syslab_core::{ConfigError, Notice};
use yew::Reducible;

/// Everything the ring lab's components draw from.
#[derive(Clone)]
pub struct RingState {
    /// The simulation.
    pub lab: RingLab,
    /// The scenario the lab started from, for Reset.
    pub initial: RingScenario,
    /// Key whose replica set is shown.
    pub selected_key: usize,
    /// Messages about bad URL parameters or attributes.
    pub notices: Vec<Notice>,
    /// The last refused action, shown until the next successful one.
    pub error: Option<String>,
    /// Whether the churn simulation runs.
    pub playing: bool,
    /// Churn steps per second.
    pub speed: f64,
    /// Bumped on every change, so memoised views know when to recompute.
    pub revision: u64,
    /// Bumped when a change is committed (not while dragging), to update the URL.
    pub committed: u64,
}

/// What a user can do to the ring lab.
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
    SetSeed(u64),
    /// Replace the custom key list (pasted text); empty text returns to generated keys.
    SetCustomKeys(String),
    /// One churn step.
    Step,
    /// Start or stop the churn simulation.
    TogglePlay,
    SetSpeed(f64),
    /// Back to the scenario the lab started with.
    Reset,
    SelectKey(usize),
    /// Select a key by name (typed by the user).
    FindKey(String),
    DismissMessages,
    /// Input the shell could not even parse (text in a number field): shown, nothing changes.
    Error(String),
}

impl RingState {
    /// A state from a scenario that parsing already made valid; falls back to the default
    /// scenario (with a notice) if the core still refuses it.
    pub fn new(scenario: RingScenario, mut notices: Vec<Notice>) -> Self {
        let lab = match RingLab::new(&scenario) {
            Ok(lab) => lab,
            Err(err) => {
                notices.push(Notice::new(
                    "scenario",
                    format!("{err}; showing the default ring"),
                ));
                RingLab::new(&RingScenario::default()).expect("the default scenario is valid")
            }
        };
        Self {
            initial: lab.scenario(),
            lab,
            selected_key: 0,
            notices,
            error: None,
            playing: false,
            speed: 2.0,
            revision: 0,
            committed: 0,
        }
    }

    fn result(&mut self, result: Result<(), ConfigError>, committed: bool) {
        match result {
            Ok(()) => {
                self.error = None;
                self.revision += 1;
                if committed {
                    self.committed += 1;
                }
            }
            Err(err) => self.error = Some(super::sentence(&err)),
        }
    }
}

impl Reducible for RingState {
    type Action = RingAction;

    fn reduce(self: Rc<Self>, action: RingAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            RingAction::DragTo { node, fraction } => {
                let r = s.lab.drag_to(&node, 0, position_at(fraction));
                s.result(r, false);
            }
            RingAction::DragEnd { node } => {
                if s.lab.dragging() {
                    let r = match s.lab.token_position(&node, 0) {
                        Some(position) => s
                            .lab
                            .apply(RingEvent::MoveToken {
                                name: node,
                                vnode: 0,
                                position,
                            })
                            .map(|_| ()),
                        None => Err(ConfigError::UnknownNode(node)),
                    };
                    s.result(r, true);
                }
            }
            RingAction::DragCancel => {
                s.lab.cancel_drag();
                s.revision += 1;
            }
            RingAction::Nudge { node, turns } => {
                let r = match s.lab.token_position(&node, 0) {
                    Some(position) => {
                        let fraction = syslab_core::hash::ring_fraction(position) + turns;
                        s.lab
                            .apply(RingEvent::MoveToken {
                                name: node,
                                vnode: 0,
                                position: position_at(fraction),
                            })
                            .map(|_| ())
                    }
                    None => Err(ConfigError::UnknownNode(node)),
                };
                s.result(r, true);
            }
            RingAction::Apply(event) => {
                let r = s.lab.apply(event).map(|_| ());
                s.result(r, true);
            }
            RingAction::AddNode => {
                let name = s.lab.fresh_name();
                let r = s
                    .lab
                    .apply(RingEvent::AddNode { name, weight: 1 })
                    .map(|_| ());
                s.result(r, true);
            }
            RingAction::SetNodeCount(target) => {
                let mut r = Ok(());
                while r.is_ok() && s.lab.n_nodes() < target {
                    let name = s.lab.fresh_name();
                    r = s
                        .lab
                        .apply(RingEvent::AddNode { name, weight: 1 })
                        .map(|_| ());
                }
                while r.is_ok() && s.lab.n_nodes() > target {
                    let name = s.lab.node_names().last().unwrap_or_default().to_owned();
                    r = s.lab.apply(RingEvent::RemoveNode { name }).map(|_| ());
                }
                s.result(r, true);
            }
            RingAction::SetKeys(count) => {
                let r = s.lab.reconfigure(|c| {
                    c.keys = syslab_core::ring::KeySpec::Generated {
                        count,
                        prefix: match &c.keys {
                            syslab_core::ring::KeySpec::Generated { prefix, .. } => prefix.clone(),
                            _ => "user:".to_owned(),
                        },
                    }
                });
                s.result(r, true);
            }
            RingAction::SetReplication(r) => {
                let res = s.lab.reconfigure(|c| c.replication = r);
                s.result(res, true);
            }
            RingAction::SetStrategy(strategy) => {
                s.lab.set_strategy(strategy);
                s.result(Ok(()), true);
            }
            RingAction::SetEpsilon(eps) => {
                let r = s.lab.reconfigure(|c| c.epsilon = eps);
                s.result(r, true);
            }
            RingAction::SetSeed(seed) => {
                let r = s.lab.reconfigure(|c| c.seed = seed);
                s.result(r, true);
            }
            RingAction::SetCustomKeys(text) => {
                let r = if text.trim().is_empty() {
                    s.lab.reconfigure(|c| c.keys = Default::default())
                } else {
                    syslab_core::ring::KeySpec::parse_custom(&text)
                        .and_then(|spec| s.lab.reconfigure(|c| c.keys = spec))
                };
                if r.is_ok() {
                    s.selected_key = 0;
                }
                s.result(r, true);
            }
            RingAction::Step => {
                let r = s.lab.step().map(|_| ());
                if r.is_err() {
                    s.playing = false;
                }
                s.result(r, true);
            }
            RingAction::TogglePlay => s.playing = !s.playing,
            RingAction::SetSpeed(speed) => {
                if speed.is_finite() && speed > 0.0 {
                    s.speed = speed.clamp(0.25, 20.0);
                }
            }
            RingAction::Reset => {
                let r = RingLab::new(&s.initial).map(|lab| {
                    s.lab = lab;
                    s.playing = false;
                    s.selected_key = 0;
                });
                s.result(r, true);
            }
            RingAction::SelectKey(key) => {
                if key < s.lab.n_keys() {
                    s.selected_key = key;
                    s.revision += 1;
                }
            }
            RingAction::FindKey(name) => match s.lab.find_key(name.trim()) {
                Some(key) => {
                    s.selected_key = key;
                    s.error = None;
                    s.revision += 1;
                }
                None => s.error = Some(format!("There is no key named {:?}", name.trim())),
            },
            RingAction::Error(message) => s.error = Some(message),
            RingAction::DismissMessages => {
                s.notices.clear();
                s.error = None;
            }
        }
        if s.selected_key >= s.lab.n_keys() {
            s.selected_key = 0;
        }
        Rc::new(s)
    }
}

//! What a change did: the baseline it is measured against, the report of moved keys per
//! strategy, the drag in progress (a change not yet applied), and the strategies still to be
//! placed after a change (`Pending`, worked off by `pending.rs`).

use serde::{Deserialize, Serialize};

use super::config::StrategyKind;
use super::strategies::NodeKey;

/// The state a change is compared against: who owned what before it.
#[derive(Clone, Debug)]
pub(crate) struct Baseline {
    pub(crate) uids: Vec<u32>,
    pub(crate) placements: Vec<Vec<u32>>,
    pub(crate) weights: Vec<(u32, u32)>,
    pub(crate) arcs: Vec<(u32, f64)>,
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

/// A drag in progress: one token moved live, measured against the state before it began. The
/// token, where it was and the baseline are one value, so they cannot disagree.
#[derive(Clone, Debug)]
pub(crate) struct Drag {
    /// Who owned what when the drag began: the drag's moves are measured from it.
    pub(crate) baseline: Baseline,
    /// The dragged token's node.
    pub(crate) name: String,
    /// The dragged token's number within its node.
    pub(crate) vnode: u32,
    /// Where the token was before the drag.
    pub(crate) origin: u64,
    /// Whether the token was pinned before the drag.
    pub(crate) was_pinned: bool,
}

impl Drag {
    /// Whether this drag moves token `vnode` of node `name`.
    pub(crate) fn moves(&self, name: &str, vnode: u32) -> bool {
        self.name == name && self.vnode == vnode
    }
}

/// Half the L1 distance between two share vectors keyed by node uid: the least mass that must
/// move to turn one distribution into the other.
pub(crate) fn half_l1<T: Copy + Into<f64>>(before: &[(u32, T)], after: &[(u32, T)]) -> f64 {
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

/// Placements not computed yet.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pending {
    /// Strategies still to place, in order. Each one's placement holds the keys placed so far.
    pub(crate) queue: Vec<StrategyKind>,
    /// The nodes as the strategies see them, in node order.
    pub(crate) node_keys: Vec<NodeKey>,
    /// The Maglev lookup table while Maglev is being placed.
    pub(crate) maglev: Vec<u32>,
    /// Whether the last change's report still lacks the moves of the queued strategies (it
    /// was made while they were pending).
    pub(crate) report_due: bool,
}

impl Pending {
    /// Whether `strategy`'s placement is still incomplete.
    pub(crate) fn contains(&self, strategy: StrategyKind) -> bool {
        self.queue.contains(&strategy)
    }
}

//! The change being shown (the drag in progress, else the last applied change) and the keys
//! it moved.

use super::change::{Baseline, ChangeReport};
use super::config::StrategyKind;
use super::event::RingEvent;
use super::lab::RingLab;

impl RingLab {
    /// The state the shown change is measured against: the drag's, else the last change's.
    pub(crate) fn shown_baseline(&self) -> Option<&Baseline> {
        self.drag
            .as_ref()
            .map(|drag| &drag.baseline)
            .or(self.last_baseline.as_ref())
    }

    /// The change being shown: the drag in progress, else the last applied change.
    pub fn current_change(&self) -> Option<ChangeReport> {
        if let Some(drag) = &self.drag {
            let event = RingEvent::MoveToken {
                name: String::new(),
                vnode: 0,
                position: 0,
            };
            let mut report = self.report(&event, &drag.baseline);
            report.description = "dragging".to_owned();
            Some(report)
        } else {
            self.history.last().cloned()
        }
    }

    /// The keys that moved in the current change under `strategy`: (key index, from, to) as names.
    pub fn moves(&self, strategy: StrategyKind) -> Vec<(u32, &str, &str)> {
        let Some(baseline) = self.shown_baseline() else {
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
        let Some(baseline) = self.shown_baseline() else {
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
}

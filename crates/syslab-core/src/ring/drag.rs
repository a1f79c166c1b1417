//! Dragging a token: the live preview of a `MoveToken` change. Only the token-based
//! strategies are recomputed per frame, and moves are measured from where the drag began.

use super::change::Drag;
use super::event::RingEvent;
use super::lab::{RingLab, Scope};
use crate::error::ConfigError;

impl RingLab {
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
        if self.drag.as_ref().is_some_and(|d| !d.moves(name, vnode)) {
            // A drag moves one token: dragging another abandons the first.
            self.cancel_drag();
        }
        let node_idx = self.node_idx(name).expect("checked");
        let node = &self.nodes[node_idx];
        let old = node.tokens[vnode as usize];
        if self.drag.is_none() {
            // The baseline needs every strategy's placement.
            self.finish_pending();
            let node = &self.nodes[node_idx];
            self.drag = Some(Drag {
                baseline: self.capture(),
                name: name.to_owned(),
                vnode,
                origin: old,
                was_pinned: node.pinned[vnode as usize],
            });
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
        let Some(drag) = self.drag.take() else {
            return;
        };
        // Put the token back and restore the placements saved when the drag started.
        if let Some(idx) = self.node_idx(&drag.name) {
            let (vnode, position) = (drag.vnode as usize, drag.origin);
            let node = &mut self.nodes[idx];
            let moved_to = node.tokens[vnode];
            node.tokens[vnode] = position;
            node.pinned[vnode] = drag.was_pinned;
            node.refresh();
            let idx = idx as u32;
            if !self.table.replace((moved_to, idx), (position, idx)) {
                self.build_table();
            }
        }
        self.placements = drag.baseline.placements;
    }
}

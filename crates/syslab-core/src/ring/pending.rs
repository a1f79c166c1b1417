//! The comparison strategies a page places later. After a change the ring, bounded loads, modulo
//! and the strategy the ring is coloured by are placed at once (what the drawing needs); in a
//! lab built with [`Lab::new_deferred`](crate::Lab::new_deferred) the others (jump, rendezvous,
//! Maglev) are placed here in bounded pieces between frames, so no task blocks the page for
//! long. Each key's owner depends only on the key and the nodes, so placing the keys in pieces
//! gives exactly what one pass gives. The queue itself, [`Pending`], lives in `change.rs`.

use super::change::Pending;
use super::config::StrategyKind;
use super::lab::RingLab;
use super::strategies::{self, NodeKey};

/// Node-key evaluations per piece: about 2–4 ms of rendezvous in the browser.
const PIECE_WORK: usize = 1 << 18;

/// The strategies that ignore token positions and cost more than one cheap pass over the keys.
const DEFERRABLE: [StrategyKind; 3] = [
    StrategyKind::Jump,
    StrategyKind::Rendezvous,
    StrategyKind::Maglev,
];

impl RingLab {
    /// Places the strategies that ignore token positions for the current nodes: all of them at
    /// once, or, in a deferred lab, all but the shown one later (see [`RingLab::place_piece`]).
    pub(super) fn place_node_based(&mut self) {
        let node_keys: Vec<NodeKey> = self
            .nodes
            .iter()
            .map(|n| NodeKey {
                name_hash: n.name_hash,
                weight: n.weight,
            })
            .collect();
        strategies::modulo(
            node_keys.len(),
            &self.keys.hashes,
            &mut self.placements[StrategyKind::Modulo.index()],
        );
        self.maglev_size = strategies::maglev_table_size(node_keys.len());
        self.maglev_slots.clear();
        self.maglev_slots.resize(node_keys.len(), 0);
        self.pending = Pending {
            queue: Vec::new(),
            node_keys,
            maglev: Vec::new(),
            report_due: false,
        };
        for strategy in DEFERRABLE {
            self.placements[strategy.index()].clear();
            self.pending.queue.push(strategy);
        }
        if self.defer {
            self.finish_strategy(self.config.strategy);
        } else {
            self.finish_pending();
        }
    }

    /// Whether some strategy's placement is still being computed.
    pub fn placing(&self) -> bool {
        !self.pending.queue.is_empty()
    }

    /// How many strategies are still being placed.
    pub fn n_placing(&self) -> usize {
        self.pending.queue.len()
    }

    /// Whether `strategy`'s placement is still being computed (its row shows "computing").
    pub fn placing_strategy(&self, strategy: StrategyKind) -> bool {
        self.pending.contains(strategy)
    }

    /// Places the next piece of keys of the first pending strategy (at most about
    /// [`PIECE_WORK`] node-key evaluations); returns whether any work is left.
    pub fn place_piece(&mut self) -> bool {
        let Some(&strategy) = self.pending.queue.first() else {
            return false;
        };
        let done = self.placements[strategy.index()].len();
        let cost = match strategy {
            StrategyKind::Rendezvous => self.pending.node_keys.len().max(1),
            _ => 8,
        };
        let end = (done + (PIECE_WORK / cost).max(64)).min(self.keys.hashes.len());
        self.place_keys(strategy, end);
        self.placing()
    }

    /// Completes every pending placement now.
    pub(crate) fn finish_pending(&mut self) {
        while let Some(&strategy) = self.pending.queue.first() {
            self.finish_strategy(strategy);
        }
    }

    /// Completes `strategy`'s placement now, if it is pending.
    pub(super) fn finish_strategy(&mut self, strategy: StrategyKind) {
        if self.pending.contains(strategy) {
            self.place_keys(strategy, self.keys.hashes.len());
        }
    }

    /// Places the keys of pending `strategy` up to key `end`; once every key is placed it
    /// leaves the queue and the last change's count of keys it moved is filled in.
    fn place_keys(&mut self, strategy: StrategyKind, end: usize) {
        let out = &mut self.placements[strategy.index()];
        let hashes = &self.keys.hashes[out.len().min(end)..end];
        let nodes = &self.pending.node_keys;
        let mut piece = Vec::with_capacity(hashes.len());
        match strategy {
            StrategyKind::Jump => strategies::jump(nodes.len(), hashes, &mut piece),
            StrategyKind::Rendezvous => strategies::rendezvous(nodes, hashes, &mut piece),
            StrategyKind::Maglev => {
                if self.pending.maglev.is_empty() && !nodes.is_empty() {
                    self.pending.maglev = strategies::maglev_table(nodes, self.maglev_size);
                    for &owner in &self.pending.maglev {
                        self.maglev_slots[owner as usize] += 1;
                    }
                }
                strategies::maglev(&self.pending.maglev, hashes, &mut piece);
            }
            // Placed whole by `rebuild`: never queued.
            StrategyKind::Ring | StrategyKind::Modulo | StrategyKind::Bounded => {}
        }
        out.extend_from_slice(&piece);
        if out.len() < self.keys.hashes.len() {
            return;
        }
        self.pending.queue.retain(|&s| s != strategy);
        if strategy == StrategyKind::Maglev {
            self.pending.maglev = Vec::new();
        }
        // The last change was reported before this strategy was placed: count its moves now.
        if self.pending.report_due {
            let moved = self
                .last_baseline
                .as_ref()
                .map(|baseline| self.moved_since(baseline, strategy));
            if let (Some(moved), Some(report)) = (moved, self.history.last_mut()) {
                report.moved[strategy.index()] = moved;
            }
        }
    }
}

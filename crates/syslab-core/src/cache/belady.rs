//! Bélády's optimum (MIN, 1966): the offline limit no online policy can beat.
//!
//! Given the whole stream, each access knows when its key is next used (precomputed backwards
//! in one pass). On a miss in a full cache, the entry used farthest in the future leaves; if the
//! missing key itself is used later than every cached one (or never), it bypasses the cache.
//! A max-heap of (next use, slot) with lazy deletion finds the victim in O(log n).

use std::collections::BinaryHeap;

use super::keymap::KeyMap;
use super::table::{Access, NO_SLOT, Table};

/// A next use that never comes.
pub const NEVER: u32 = u32::MAX;

/// For each position of `stream`, the position of the next request of the same key, or
/// [`NEVER`].
pub fn next_uses(stream: &[u64]) -> Vec<u32> {
    let mut next = vec![NEVER; stream.len()];
    let mut seen = KeyMap::with_capacity(1024);
    for (pos, &key) in stream.iter().enumerate().rev() {
        if let Some(later) = seen.insert(key, pos as u32) {
            next[pos] = later;
        }
    }
    next
}

/// Bélády's optimum over `capacity` slots for one known stream.
#[derive(Clone, Debug)]
pub struct Belady {
    pub(super) table: Table,
    stream: Vec<u64>,
    next: Vec<u32>,
    slot_next: Vec<u32>,
    heap: BinaryHeap<(u32, u32)>,
}

impl Belady {
    /// An empty cache of `capacity` slots that will see `stream`.
    pub fn new(capacity: u32, stream: &[u64]) -> Self {
        Self {
            table: Table::new(capacity),
            stream: stream.to_vec(),
            next: next_uses(stream),
            slot_next: vec![NEVER; capacity as usize],
            heap: BinaryHeap::with_capacity(capacity as usize * 2),
        }
    }

    /// When `key`, requested at `pos`, is requested next.
    #[inline]
    fn next_use(&self, key: u64, pos: u32) -> u32 {
        match self.stream.get(pos as usize) {
            Some(&k) if k == key => self.next[pos as usize],
            _ => NEVER,
        }
    }

    fn set(&mut self, slot: u32, next: u32) {
        self.slot_next[slot as usize] = next;
        self.heap.push((next, slot));
        if self.heap.len() > 4 * self.slot_next.len() + 64 {
            // Drop the stale entries the lazy deletion left behind.
            let occupied = self.table.occupied();
            self.heap = self
                .slot_next
                .iter()
                .enumerate()
                .filter(|(s, _)| occupied[*s])
                .map(|(s, &n)| (n, s as u32))
                .collect();
        }
    }

    /// The occupied slot used farthest in the future, and when.
    fn farthest(&mut self) -> (u32, u32) {
        loop {
            let (next, slot) = *self.heap.peek().expect("a full cache has heap entries");
            if self.table.occupied()[slot as usize] && self.slot_next[slot as usize] == next {
                return (next, slot);
            }
            self.heap.pop();
        }
    }

    /// Accesses `key`, the stream's `pos`-th request.
    pub fn access(&mut self, key: u64, pos: u32) -> Access {
        let next = self.next_use(key, pos);
        if let Some(slot) = self.table.lookup(key) {
            self.set(slot, next);
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            let (far, victim) = self.farthest();
            if next >= far {
                return Access::miss(NO_SLOT, None);
            }
            self.heap.pop();
            evicted = Some((self.table.release(victim), victim));
        }
        let slot = self.table.alloc(key);
        self.set(slot, next);
        Access::miss(slot, evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache, keeping the stream.
    pub fn clear(&mut self) {
        self.table = Table::new(self.table.capacity());
        self.slot_next.fill(NEVER);
        self.heap.clear();
    }
}

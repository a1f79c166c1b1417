//! ARC, the Adaptive Replacement Cache (Megiddo and Modha, FAST 2003).
//!
//! Resident entries live in T1 (seen once recently) and T2 (seen at least twice); the keys they
//! evict are remembered in the ghost lists B1 and B2. A miss that hits a ghost in B1 says T1 was
//! too small, so the target size `p` of T1 grows; a ghost hit in B2 shrinks it.

use super::keymap::KeyMap;
use super::list::{Links, List};
use super::table::{Access, Table};

/// ARC over `capacity` resident slots and as many ghost nodes.
#[derive(Clone, Debug)]
pub struct ArcPolicy {
    pub(super) table: Table,
    /// Nodes `0..c` are resident slots, `c..2c` ghost nodes.
    links: Links,
    t1: List,
    t2: List,
    b1: List,
    b2: List,
    in_t1: Vec<bool>,
    ghost_keys: Vec<u64>,
    ghost_in_b1: Vec<bool>,
    ghosts: KeyMap,
    free_ghosts: Vec<u32>,
    /// The target size of T1.
    p: u32,
    c: u32,
}

impl ArcPolicy {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32) -> Self {
        let c = capacity;
        Self {
            table: Table::new(c),
            links: Links::new(2 * c as usize),
            t1: List::default(),
            t2: List::default(),
            b1: List::default(),
            b2: List::default(),
            in_t1: vec![false; c as usize],
            ghost_keys: vec![0; c as usize],
            ghost_in_b1: vec![false; c as usize],
            ghosts: KeyMap::with_capacity(c as usize),
            free_ghosts: (c..2 * c).rev().collect(),
            p: 0,
            c,
        }
    }

    /// Accesses `key`.
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        if let Some(slot) = self.table.lookup(key) {
            if self.in_t1[slot as usize] {
                self.links.unlink(&mut self.t1, slot);
                self.in_t1[slot as usize] = false;
                self.links.push_front(&mut self.t2, slot);
            } else {
                self.links.move_to_front(&mut self.t2, slot);
            }
            return Access::hit(slot);
        }
        let mut evicted = None;
        if let Some(ghost) = self.ghosts.get(key) {
            let in_b1 = self.ghost_in_b1[(ghost - self.c) as usize];
            if in_b1 {
                let delta = (self.b2.len / self.b1.len.max(1)).max(1);
                self.p = (self.p + delta).min(self.c);
            } else {
                let delta = (self.b1.len / self.b2.len.max(1)).max(1);
                self.p = self.p.saturating_sub(delta);
            }
            self.drop_ghost(ghost);
            if self.table.is_full() {
                evicted = Some(self.replace(!in_b1));
            }
            let slot = self.table.alloc(key);
            self.in_t1[slot as usize] = false;
            self.links.push_front(&mut self.t2, slot);
            return Access::miss(slot, evicted);
        }
        let total = self.t1.len + self.t2.len + self.b1.len + self.b2.len;
        if self.t1.len + self.b1.len >= self.c {
            if self.t1.len < self.c {
                let oldest = self.b1.tail;
                self.drop_ghost(oldest);
                if self.table.is_full() {
                    evicted = Some(self.replace(false));
                }
            } else {
                // T1 holds the whole cache: its oldest entry leaves without a ghost.
                let victim = self.t1.tail;
                self.links.unlink(&mut self.t1, victim);
                evicted = Some((self.table.release(victim), victim));
            }
        } else if total >= self.c {
            if total >= 2 * self.c {
                let oldest = self.b2.tail;
                self.drop_ghost(oldest);
            }
            if self.table.is_full() {
                evicted = Some(self.replace(false));
            }
        }
        let slot = self.table.alloc(key);
        self.in_t1[slot as usize] = true;
        self.links.push_front(&mut self.t1, slot);
        Access::miss(slot, evicted)
    }

    /// Evicts the oldest entry of T1 or T2 (as `p` says) into its ghost list.
    fn replace(&mut self, key_in_b2: bool) -> (u64, u32) {
        let from_t1 = self.t1.len >= 1
            && (self.t1.len > self.p || (key_in_b2 && self.t1.len == self.p) || self.t2.len == 0);
        let victim = if from_t1 {
            let v = self.t1.tail;
            self.links.unlink(&mut self.t1, v);
            v
        } else {
            let v = self.t2.tail;
            self.links.unlink(&mut self.t2, v);
            v
        };
        let key = self.table.release(victim);
        self.add_ghost(key, from_t1);
        (key, victim)
    }

    fn add_ghost(&mut self, key: u64, to_b1: bool) {
        if self.free_ghosts.is_empty() {
            // Only reachable after removals shrank the resident lists; keep the ghosts bounded.
            let oldest = if self.b2.len > 0 {
                self.b2.tail
            } else {
                self.b1.tail
            };
            self.drop_ghost(oldest);
        }
        let Some(node) = self.free_ghosts.pop() else {
            return;
        };
        let g = (node - self.c) as usize;
        self.ghost_keys[g] = key;
        self.ghost_in_b1[g] = to_b1;
        self.ghosts.insert(key, node);
        let list = if to_b1 { &mut self.b1 } else { &mut self.b2 };
        self.links.push_front(list, node);
    }

    fn drop_ghost(&mut self, node: u32) {
        let g = (node - self.c) as usize;
        let list = if self.ghost_in_b1[g] {
            &mut self.b1
        } else {
            &mut self.b2
        };
        self.links.unlink(list, node);
        self.ghosts.remove(self.ghost_keys[g]);
        self.free_ghosts.push(node);
    }

    /// Drops `key` (its ghost, if any, stays).
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        let list = if self.in_t1[slot as usize] {
            &mut self.t1
        } else {
            &mut self.t2
        };
        self.links.unlink(list, slot);
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache and forgets the ghosts.
    pub fn clear(&mut self) {
        *self = Self::new(self.c);
    }
}

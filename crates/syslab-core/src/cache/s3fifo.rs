//! S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023).
//!
//! New keys enter a small FIFO (10% of the slots). When the small queue evicts, a key hit while
//! in it moves to the main FIFO, others leave and are remembered in a ghost FIFO; a miss on a
//! remembered key goes straight to main. Main is a FIFO with reinsertion: an entry with hits left
//! goes back to the head with one fewer. Most one-hit wonders thus never reach main.

use super::keymap::KeyMap;
use super::list::{Links, List};
use super::table::{Access, Table};

/// The most hits an entry remembers (two bits, as in the paper).
const MAX_FREQ: u8 = 3;

/// A FIFO of recently evicted keys (no values), with O(1) membership.
#[derive(Clone, Debug)]
pub struct Ghost {
    ring: Vec<u64>,
    next: usize,
    filled: usize,
    map: KeyMap,
}

impl Ghost {
    /// A ghost queue remembering `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            ring: vec![0; capacity],
            next: 0,
            filled: 0,
            map: KeyMap::with_capacity(capacity),
        }
    }

    /// Remembers `key`, forgetting the oldest key if full.
    pub fn push(&mut self, key: u64) {
        if self.filled == self.ring.len() {
            let old = self.ring[self.next];
            if self.map.get(old) == Some(self.next as u32) {
                self.map.remove(old);
            }
        } else {
            self.filled += 1;
        }
        self.ring[self.next] = key;
        self.map.insert(key, self.next as u32);
        self.next = (self.next + 1) % self.ring.len();
    }

    /// Forgets `key`, returning whether it was remembered.
    pub fn take(&mut self, key: u64) -> bool {
        self.map.remove(key).is_some()
    }
}

/// S3-FIFO over `capacity` slots.
#[derive(Clone, Debug)]
pub struct S3Fifo {
    pub(super) table: Table,
    links: Links,
    small: List,
    main: List,
    in_small: Vec<bool>,
    freq: Vec<u8>,
    small_cap: u32,
    ghost: Ghost,
}

impl S3Fifo {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32) -> Self {
        let small_cap = (capacity / 10).max(1);
        Self {
            table: Table::new(capacity),
            links: Links::new(capacity as usize),
            small: List::default(),
            main: List::default(),
            in_small: vec![false; capacity as usize],
            freq: vec![0; capacity as usize],
            small_cap,
            ghost: Ghost::new((capacity - small_cap.min(capacity)).max(1) as usize),
        }
    }

    /// Accesses `key`.
    #[inline]
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        if let Some(slot) = self.table.lookup(key) {
            let f = &mut self.freq[slot as usize];
            *f = (*f + 1).min(MAX_FREQ);
            return Access::hit(slot);
        }
        let evicted = if self.table.is_full() {
            Some(self.evict())
        } else {
            None
        };
        let slot = self.table.alloc(key);
        self.freq[slot as usize] = 0;
        if self.ghost.take(key) {
            self.in_small[slot as usize] = false;
            self.links.push_front(&mut self.main, slot);
        } else {
            self.in_small[slot as usize] = true;
            self.links.push_front(&mut self.small, slot);
        }
        Access::miss(slot, evicted)
    }

    /// Evicts exactly one entry, moving survivors of the small queue to main on the way.
    fn evict(&mut self) -> (u64, u32) {
        loop {
            // A full cache has an entry in one of the queues, so the chosen one is not empty.
            if self.small.len > 0 && (self.small.len >= self.small_cap || self.main.len == 0) {
                let node = self.small.tail;
                self.links.unlink(&mut self.small, node);
                if self.freq[node as usize] > 0 {
                    self.freq[node as usize] = 0;
                    self.in_small[node as usize] = false;
                    self.links.push_front(&mut self.main, node);
                } else {
                    let key = self.table.release(node);
                    self.ghost.push(key);
                    return (key, node);
                }
            } else {
                let node = self.main.tail;
                if self.freq[node as usize] > 0 {
                    self.freq[node as usize] -= 1;
                    self.links.move_to_front(&mut self.main, node);
                } else {
                    self.links.unlink(&mut self.main, node);
                    return (self.table.release(node), node);
                }
            }
        }
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        let list = if self.in_small[slot as usize] {
            &mut self.small
        } else {
            &mut self.main
        };
        self.links.unlink(list, slot);
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache and the ghost queue.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity());
    }
}

//! The single-queue policies: LRU, MRU and FIFO (one list), LFU (an indexed heap), random
//! eviction, CLOCK (a hand over the slots) and SIEVE (a hand over a FIFO list).

use super::list::{Links, List, NIL};
use super::table::{Access, Table};
use crate::rng::SplitMix64;

/// Which end of the list a [`ListPolicy`] evicts from, and whether hits reorder it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListMode {
    /// Hits move to the head; evict the tail.
    Lru,
    /// Hits move to the head; evict the head.
    Mru,
    /// Hits change nothing; evict the tail.
    Fifo,
}

/// LRU, MRU or FIFO.
#[derive(Clone, Debug)]
pub struct ListPolicy {
    pub(super) table: Table,
    links: Links,
    list: List,
    mode: ListMode,
}

impl ListPolicy {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32, mode: ListMode) -> Self {
        Self {
            table: Table::new(capacity),
            links: Links::new(capacity as usize),
            list: List::default(),
            mode,
        }
    }

    /// Accesses `key`.
    #[inline]
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        if let Some(slot) = self.table.lookup(key) {
            if self.mode != ListMode::Fifo {
                self.links.move_to_front(&mut self.list, slot);
            }
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            let victim = match self.mode {
                ListMode::Lru | ListMode::Fifo => self.list.tail,
                ListMode::Mru => self.list.head,
            };
            self.links.unlink(&mut self.list, victim);
            evicted = Some((self.table.release(victim), victim));
        }
        let slot = self.table.alloc(key);
        self.links.push_front(&mut self.list, slot);
        Access::miss(slot, evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        self.links.unlink(&mut self.list, slot);
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity(), self.mode);
    }
}

/// LFU: evicts the entry with the fewest hits since it was inserted, the least recently used
/// among equals. An indexed binary min-heap gives O(log n) per access; each heap entry carries
/// its priority, (count << 40) | last use, so sifting compares plain integers in one array.
#[derive(Clone, Debug)]
pub struct LfuPolicy {
    pub(super) table: Table,
    /// (priority, slot), a min-heap on priority.
    heap: Vec<(u64, u32)>,
    /// Each slot's index in `heap`.
    pos: Vec<u32>,
    clock: u64,
}

/// Bits of the last-use stamp in a priority (2^40 accesses, far beyond any run).
const STAMP_BITS: u32 = 40;

impl LfuPolicy {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32) -> Self {
        let n = capacity as usize;
        Self {
            table: Table::new(capacity),
            heap: Vec::with_capacity(n),
            pos: vec![0; n],
            clock: 0,
        }
    }

    #[inline]
    fn priority(count: u64, stamp: u64) -> u64 {
        (count.min((1 << (64 - STAMP_BITS)) - 1) << STAMP_BITS) | (stamp & ((1 << STAMP_BITS) - 1))
    }

    #[inline]
    fn place(&mut self, i: usize, entry: (u64, u32)) {
        self.heap[i] = entry;
        self.pos[entry.1 as usize] = i as u32;
    }

    fn sift_up(&mut self, mut i: usize) {
        let entry = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.heap[parent].0 <= entry.0 {
                break;
            }
            self.place(i, self.heap[parent]);
            i = parent;
        }
        self.place(i, entry);
    }

    fn sift_down(&mut self, mut i: usize) {
        let entry = self.heap[i];
        let n = self.heap.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let child = if r < n && self.heap[r].0 < self.heap[l].0 {
                r
            } else {
                l
            };
            if self.heap[child].0 >= entry.0 {
                break;
            }
            self.place(i, self.heap[child]);
            i = child;
        }
        self.place(i, entry);
    }

    fn remove_at(&mut self, i: usize) {
        let last = self.heap.pop().expect("remove_at on a non-empty heap");
        if i < self.heap.len() {
            self.place(i, last);
            self.sift_down(i);
            self.sift_up(self.pos[last.1 as usize] as usize);
        }
    }

    /// Accesses `key`.
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        self.clock += 1;
        if let Some(slot) = self.table.lookup(key) {
            let i = self.pos[slot as usize] as usize;
            let count = (self.heap[i].0 >> STAMP_BITS) + 1;
            self.heap[i].0 = Self::priority(count, self.clock);
            self.sift_down(i);
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            let victim = self.heap[0].1;
            self.remove_at(0);
            evicted = Some((self.table.release(victim), victim));
        }
        let slot = self.table.alloc(key);
        self.heap.push((Self::priority(1, self.clock), slot));
        let last = self.heap.len() - 1;
        self.pos[slot as usize] = last as u32;
        self.sift_up(last);
        Access::miss(slot, evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        self.remove_at(self.pos[slot as usize] as usize);
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity());
    }
}

/// Random eviction with the lab's seeded RNG.
#[derive(Clone, Debug)]
pub struct RandomPolicy {
    pub(super) table: Table,
    rng: SplitMix64,
    seed: u64,
}

impl RandomPolicy {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32, seed: u64) -> Self {
        Self {
            table: Table::new(capacity),
            rng: SplitMix64::new(seed ^ 0x5EED_CACE),
            seed,
        }
    }

    /// Accesses `key`.
    #[inline]
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        if let Some(slot) = self.table.lookup(key) {
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            // A full table has every slot occupied.
            let victim = self.rng.below(u64::from(self.table.capacity())) as u32;
            evicted = Some((self.table.release(victim), victim));
        }
        Access::miss(self.table.alloc(key), evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity(), self.seed);
    }
}

/// CLOCK: a reference bit per slot and a hand that clears set bits until it finds a clear one.
#[derive(Clone, Debug)]
pub struct ClockPolicy {
    pub(super) table: Table,
    referenced: Vec<bool>,
    hand: u32,
}

impl ClockPolicy {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32) -> Self {
        Self {
            table: Table::new(capacity),
            referenced: vec![false; capacity as usize],
            hand: 0,
        }
    }

    /// Accesses `key`.
    #[inline]
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        if let Some(slot) = self.table.lookup(key) {
            self.referenced[slot as usize] = true;
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            let cap = self.table.capacity();
            while self.referenced[self.hand as usize] {
                self.referenced[self.hand as usize] = false;
                self.hand = if self.hand + 1 == cap {
                    0
                } else {
                    self.hand + 1
                };
            }
            let victim = self.hand;
            self.hand = if self.hand + 1 == cap {
                0
            } else {
                self.hand + 1
            };
            evicted = Some((self.table.release(victim), victim));
        }
        let slot = self.table.alloc(key);
        self.referenced[slot as usize] = false;
        Access::miss(slot, evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        self.referenced[slot as usize] = false;
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity());
    }
}

/// SIEVE: new entries enter at the head of a FIFO; hits only set a visited bit; the hand walks
/// from the tail towards the head, clearing visited bits, and evicts the first unvisited entry.
/// Survivors stay where they are, which is what sets SIEVE apart from CLOCK on a list.
#[derive(Clone, Debug)]
pub struct SievePolicy {
    pub(super) table: Table,
    links: Links,
    list: List,
    visited: Vec<bool>,
    hand: u32,
}

impl SievePolicy {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32) -> Self {
        Self {
            table: Table::new(capacity),
            links: Links::new(capacity as usize),
            list: List::default(),
            visited: vec![false; capacity as usize],
            hand: NIL,
        }
    }

    /// Accesses `key`.
    #[inline]
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        if let Some(slot) = self.table.lookup(key) {
            self.visited[slot as usize] = true;
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            let mut node = if self.hand == NIL {
                self.list.tail
            } else {
                self.hand
            };
            while self.visited[node as usize] {
                self.visited[node as usize] = false;
                node = self.links.prev(node);
                if node == NIL {
                    node = self.list.tail;
                }
            }
            self.hand = self.links.prev(node);
            self.links.unlink(&mut self.list, node);
            evicted = Some((self.table.release(node), node));
        }
        let slot = self.table.alloc(key);
        self.visited[slot as usize] = false;
        self.links.push_front(&mut self.list, slot);
        Access::miss(slot, evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        if self.hand == slot {
            self.hand = self.links.prev(slot);
        }
        self.links.unlink(&mut self.list, slot);
        self.visited[slot as usize] = false;
        self.table.release(slot);
        Some(slot)
    }

    /// Empties the cache.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity());
    }
}

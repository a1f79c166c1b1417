//! W-TinyLFU (Einziger, Friedman and Manes, "TinyLFU: a highly efficient cache admission
//! policy", 2017), laid out as in Caffeine.
//!
//! New keys enter a window LRU of 1% of the slots. The window's oldest entry is a candidate
//! for the main cache, a segmented LRU (a probation segment, and a protected segment of 80% of
//! main for keys hit again). When the cache is full the candidate is admitted only if a
//! frequency sketch estimates it more popular than main's victim, the oldest probation entry.
//! The sketch is a count-min sketch of 4-bit counters behind a doorkeeper bloom filter, so a key
//! seen once costs one bit; every 10 × capacity accesses all counts are halved (aging).
//! Caffeine also adapts the window size by hill climbing; this one keeps it fixed at 1%.

use super::list::{Links, List};
use super::table::{Access, Table};
use crate::rng::mix64;

const WINDOW: u8 = 0;
const PROBATION: u8 = 1;
const PROTECTED: u8 = 2;

/// A count-min sketch of 4-bit counters (4 rows) behind a doorkeeper bloom filter.
#[derive(Clone, Debug)]
pub struct FrequencySketch {
    counters: Vec<u8>,
    mask: u64,
    door: Vec<u64>,
    door_mask: u64,
    additions: u32,
    sample: u32,
}

impl FrequencySketch {
    /// A sketch sized for a cache of `capacity` entries.
    pub fn new(capacity: u32) -> Self {
        let width = (u64::from(capacity).max(16)).next_power_of_two() * 4;
        let door_bits = (u64::from(capacity).max(64) * 8).next_power_of_two();
        Self {
            counters: vec![0; width as usize],
            mask: width - 1,
            door: vec![0; (door_bits / 64) as usize],
            door_mask: door_bits - 1,
            additions: 0,
            sample: capacity.saturating_mul(10).max(16),
        }
    }

    #[inline]
    fn indices(&self, hash: u64) -> [usize; 4] {
        let (h1, h2) = (hash, (hash >> 32) | 1);
        std::array::from_fn(|i| {
            (h1.wrapping_add(h2.wrapping_mul(i as u64 + 1)) & self.mask) as usize
        })
    }

    #[inline]
    fn door_bits(&self, hash: u64) -> [u64; 2] {
        let h = hash.rotate_left(29);
        [h & self.door_mask, (h >> 32) & self.door_mask]
    }

    #[inline]
    fn in_door(&self, hash: u64) -> bool {
        self.door_bits(hash)
            .iter()
            .all(|&b| self.door[(b / 64) as usize] & (1 << (b % 64)) != 0)
    }

    /// Records one access of `key`.
    #[inline]
    pub fn increment(&mut self, key: u64) {
        let hash = mix64(key);
        if self.in_door(hash) {
            for i in self.indices(hash) {
                if self.counters[i] < 15 {
                    self.counters[i] += 1;
                }
            }
        } else {
            for b in self.door_bits(hash) {
                self.door[(b / 64) as usize] |= 1 << (b % 64);
            }
        }
        self.additions += 1;
        if self.additions >= self.sample {
            self.age();
        }
    }

    /// The estimated number of recent accesses of `key`.
    #[inline]
    pub fn frequency(&self, key: u64) -> u32 {
        let hash = mix64(key);
        let counted = self
            .indices(hash)
            .iter()
            .map(|&i| self.counters[i])
            .min()
            .unwrap_or(0);
        u32::from(counted) + u32::from(self.in_door(hash))
    }

    /// Halves every counter and clears the doorkeeper, so old popularity fades.
    fn age(&mut self) {
        for c in &mut self.counters {
            *c >>= 1;
        }
        self.door.fill(0);
        self.additions /= 2;
    }
}

/// W-TinyLFU over `capacity` slots.
#[derive(Clone, Debug)]
pub struct TinyLfu {
    pub(super) table: Table,
    links: Links,
    window: List,
    probation: List,
    protected: List,
    region: Vec<u8>,
    window_cap: u32,
    protected_cap: u32,
    sketch: FrequencySketch,
}

impl TinyLfu {
    /// An empty cache of `capacity` slots.
    pub fn new(capacity: u32) -> Self {
        let window_cap = (capacity / 100).max(1);
        let main_cap = capacity - window_cap.min(capacity);
        Self {
            table: Table::new(capacity),
            links: Links::new(capacity as usize),
            window: List::default(),
            probation: List::default(),
            protected: List::default(),
            region: vec![WINDOW; capacity as usize],
            window_cap,
            protected_cap: main_cap * 4 / 5,
            sketch: FrequencySketch::new(capacity),
        }
    }

    fn list(&mut self, region: u8) -> &mut List {
        match region {
            WINDOW => &mut self.window,
            PROBATION => &mut self.probation,
            _ => &mut self.protected,
        }
    }

    /// Takes `node` off its segment and frees its slot.
    fn evict(&mut self, node: u32) -> (u64, u32) {
        let region = self.region[node as usize];
        let mut list = *self.list(region);
        self.links.unlink(&mut list, node);
        *self.list(region) = list;
        (self.table.release(node), node)
    }

    /// Main's victim: the oldest probation entry, else the oldest protected one.
    fn main_victim(&self) -> Option<u32> {
        [self.probation.tail, self.protected.tail]
            .into_iter()
            .find(|&n| n != super::list::NIL)
    }

    /// Accesses `key`.
    #[inline]
    pub fn access(&mut self, key: u64, _pos: u32) -> Access {
        self.sketch.increment(key);
        if let Some(slot) = self.table.lookup(key) {
            match self.region[slot as usize] {
                WINDOW => self.links.move_to_front(&mut self.window, slot),
                PROBATION => {
                    self.links.unlink(&mut self.probation, slot);
                    self.links.push_front(&mut self.protected, slot);
                    self.region[slot as usize] = PROTECTED;
                    if self.protected.len > self.protected_cap {
                        let demoted = self.protected.tail;
                        self.links.unlink(&mut self.protected, demoted);
                        self.links.push_front(&mut self.probation, demoted);
                        self.region[demoted as usize] = PROBATION;
                    }
                }
                _ => self.links.move_to_front(&mut self.protected, slot),
            }
            return Access::hit(slot);
        }
        let mut evicted = None;
        if self.table.is_full() {
            if self.window.len >= self.window_cap && self.window.len > 0 {
                let candidate = self.window.tail;
                match self.main_victim() {
                    Some(victim)
                        if self.sketch.frequency(self.table.key(candidate))
                            > self.sketch.frequency(self.table.key(victim)) =>
                    {
                        evicted = Some(self.evict(victim));
                        self.links.unlink(&mut self.window, candidate);
                        self.links.push_front(&mut self.probation, candidate);
                        self.region[candidate as usize] = PROBATION;
                    }
                    _ => evicted = Some(self.evict(candidate)),
                }
            } else {
                let victim = self.main_victim().unwrap_or(self.window.tail);
                evicted = Some(self.evict(victim));
            }
        }
        let slot = self.table.alloc(key);
        self.region[slot as usize] = WINDOW;
        self.links.push_front(&mut self.window, slot);
        if self.window.len > self.window_cap {
            // Filling up: the window's overflow enters probation without a contest.
            let moved = self.window.tail;
            self.links.unlink(&mut self.window, moved);
            self.links.push_front(&mut self.probation, moved);
            self.region[moved as usize] = PROBATION;
        }
        Access::miss(slot, evicted)
    }

    /// Drops `key`.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let slot = self.table.lookup(key)?;
        self.evict(slot);
        Some(slot)
    }

    /// Empties the cache and forgets the sketch.
    pub fn clear(&mut self) {
        *self = Self::new(self.table.capacity());
    }
}

//! S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023), step for
//! step as libCacheSim's `S3FIFO.c` runs it.
//!
//! Three queues: a small FIFO (10% of the slots) where new keys start, a main FIFO (the other
//! 90%) with reinsertion, and a ghost FIFO of evicted keys (ids only, no slot) that remembers as
//! many keys as main holds. In detail:
//! - A hit adds one to the entry's frequency, capped at 3 (two bits, as in the paper).
//! - A miss on a key the ghost remembers takes it out of the ghost and inserts it into main;
//!   other misses go to small. The ghost is checked before anything is evicted for the miss, so
//!   the eviction cannot push the key out of the ghost first.
//! - While the cache fills up (nothing evicted yet), keys that find small full go to main, as in
//!   libCacheSim's current version (its `S3FIFOv0.c` fills small first instead).
//! - Eviction takes from main while main holds more than its share or small is empty, else from
//!   small. Small's tail moves to main (frequency reset) when it was hit at least twice while in
//!   small (libCacheSim's `move-to-main-threshold=2`, the paper's "accessed more than once");
//!   otherwise it leaves and the ghost remembers it. Small keeps moving entries until one leaves
//!   or it is empty; main then catches up over later evictions.
//! - Main's tail with a frequency above zero goes back to main's head with one less; the first
//!   with zero leaves.
//!
//! Most one-hit wonders thus leave through small without ever reaching main.

use super::keymap::KeyMap;
use super::list::{Links, List, NIL};
use super::table::{Access, Table};

/// The most hits an entry remembers (two bits, as in the paper).
const MAX_FREQ: u8 = 3;

/// Hits in small that earn a move to main when the entry reaches small's tail.
const MOVE_TO_MAIN: u8 = 2;

/// A FIFO of recently evicted keys (ids only, no values, no cache slots) with O(1) membership and
/// removal: remembering a key takes one of `capacity` ghost entries, and forgetting it (a ghost
/// hit) frees that entry at once, so the ghost always remembers the newest `capacity` evicted
/// keys that have not come back.
#[derive(Clone, Debug)]
pub struct Ghost {
    keys: Vec<u64>,
    links: Links,
    queue: List,
    free: Vec<u32>,
    map: KeyMap,
    capacity: u32,
}

impl Ghost {
    /// A ghost queue remembering up to `capacity` keys (0 remembers none).
    pub fn new(capacity: u32) -> Self {
        Self {
            keys: vec![0; capacity as usize],
            links: Links::new(capacity as usize),
            queue: List::default(),
            // Entries are handed out from the end, so the first push uses entry 0.
            free: (0..capacity).rev().collect(),
            map: KeyMap::with_capacity(capacity as usize),
            capacity,
        }
    }

    /// Remembers `key` (not remembered yet), forgetting the oldest key if full.
    pub fn push(&mut self, key: u64) {
        if self.capacity == 0 {
            return;
        }
        if self.queue.len == self.capacity {
            let oldest = self.queue.tail;
            self.links.unlink(&mut self.queue, oldest);
            self.map.remove(self.keys[oldest as usize]);
            self.free.push(oldest);
        }
        // The ghost is not full here, so an entry is free.
        let entry = self.free.pop().unwrap_or(NIL);
        self.keys[entry as usize] = key;
        self.links.push_front(&mut self.queue, entry);
        self.map.insert(key, entry);
    }

    /// Forgets `key`, returning whether it was remembered.
    pub fn take(&mut self, key: u64) -> bool {
        match self.map.remove(key) {
            Some(entry) => {
                self.links.unlink(&mut self.queue, entry);
                self.free.push(entry);
                true
            }
            None => false,
        }
    }

    /// Keys remembered now.
    #[cfg(test)]
    pub fn len(&self) -> u32 {
        self.queue.len
    }

    /// The most keys it remembers.
    #[cfg(test)]
    pub fn capacity(&self) -> u32 {
        self.capacity
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
    main_cap: u32,
    /// Whether anything has been evicted since the cache was empty: until then a key that finds
    /// small full goes to main.
    has_evicted: bool,
    ghost: Ghost,
}

impl S3Fifo {
    /// An empty cache of `capacity` (≥ 1) slots: small gets a tenth (at least one), main the
    /// rest, and the ghost remembers as many keys as main holds.
    pub fn new(capacity: u32) -> Self {
        let small_cap = (capacity / 10).max(1).min(capacity);
        let main_cap = capacity - small_cap;
        Self {
            table: Table::new(capacity),
            links: Links::new(capacity as usize),
            small: List::default(),
            main: List::default(),
            in_small: vec![false; capacity as usize],
            freq: vec![0; capacity as usize],
            small_cap,
            main_cap,
            has_evicted: false,
            ghost: Ghost::new(main_cap),
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
        // The ghost is asked before evicting: the eviction may push a key into a full ghost and
        // so forget the oldest, which could be this one.
        let ghost_hit = self.ghost.take(key);
        let evicted = if self.table.is_full() {
            Some(self.evict())
        } else {
            None
        };
        // Asked after evicting, as libCacheSim's insert does: the first eviction ends the fill.
        let to_main = ghost_hit || (!self.has_evicted && self.small.len >= self.small_cap);
        let slot = self.table.alloc(key);
        self.freq[slot as usize] = 0;
        self.in_small[slot as usize] = !to_main;
        let queue = if to_main {
            &mut self.main
        } else {
            &mut self.small
        };
        self.links.push_front(queue, slot);
        Access::miss(slot, evicted)
    }

    /// Evicts exactly one entry, moving survivors of the small queue to main on the way.
    fn evict(&mut self) -> (u64, u32) {
        self.has_evicted = true;
        loop {
            // A full cache has an entry in one of the queues, so the chosen one is not empty.
            if self.main.len > self.main_cap || self.small.len == 0 {
                return self.evict_main();
            }
            if let Some(evicted) = self.evict_small() {
                return evicted;
            }
            // Every entry of small moved to main: main is now over its share and gives one up.
        }
    }

    /// Takes small's tail: to main if it was hit enough, else out (remembered by the ghost).
    /// Repeats until one leaves, or returns `None` once small is empty.
    fn evict_small(&mut self) -> Option<(u64, u32)> {
        while self.small.len > 0 {
            let node = self.small.tail;
            self.links.unlink(&mut self.small, node);
            if self.freq[node as usize] >= MOVE_TO_MAIN {
                self.freq[node as usize] = 0;
                self.in_small[node as usize] = false;
                self.links.push_front(&mut self.main, node);
            } else {
                let key = self.table.release(node);
                self.ghost.push(key);
                return Some((key, node));
            }
        }
        None
    }

    /// Takes main's tail: back to the head with one hit fewer while it has any, else out.
    fn evict_main(&mut self) -> (u64, u32) {
        loop {
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

    /// Drops `key`: from its queue if cached, otherwise from the ghost (as libCacheSim's
    /// `S3FIFO_remove` does, so an invalidated key is not admitted to main later).
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let Some(slot) = self.table.lookup(key) else {
            self.ghost.take(key);
            return None;
        };
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

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use crate::cache::Zipf;
    use crate::rng::SplitMix64;

    /// Which queue holds `key`: `Some(true)` small, `Some(false)` main, `None` not cached.
    fn queue_of(s: &S3Fifo, key: u64) -> Option<bool> {
        s.table.lookup(key).map(|slot| s.in_small[slot as usize])
    }

    /// Accesses every key of `keys` in turn, returning the keys evicted.
    fn run(s: &mut S3Fifo, keys: &[u64]) -> Vec<u64> {
        keys.iter()
            .filter_map(|&k| s.access(k, 0).evicted.map(|(key, _)| key))
            .collect()
    }

    #[test]
    fn a_ghost_hit_goes_to_main_and_holds_no_slot() {
        // Ten slots: small 1, main 9, the ghost remembers 9 keys.
        let mut s = S3Fifo::new(10);
        assert_eq!((s.small_cap, s.main_cap, s.ghost.capacity()), (1, 9, 9));
        // Key 0 fills small; 1..=9 find it full before anything was evicted and go to main.
        assert!(run(&mut s, &(0..10).collect::<Vec<_>>()).is_empty());
        assert_eq!(queue_of(&s, 0), Some(true));
        assert!((1..10).all(|k| queue_of(&s, k) == Some(false)));
        // 10 and 11 each push small's unhit tail out to the ghost.
        assert_eq!(run(&mut s, &[10, 11]), [0, 10]);
        assert_eq!(queue_of(&s, 11), Some(true));
        assert_eq!(s.ghost.len(), 2);
        // 0 is remembered: it goes to main (11 leaves small for the ghost to make room), and
        // the ghost forgets it, freeing its entry rather than keeping it taken.
        assert_eq!(run(&mut s, &[0]), [11]);
        assert_eq!(queue_of(&s, 0), Some(false));
        assert_eq!(s.ghost.len(), 2);
        assert!(!s.ghost.take(0));
        assert_eq!((s.small.len, s.main.len, s.table.len()), (0, 10, 10));
        // Main is over its share, so the next miss evicts main's oldest, key 1.
        assert_eq!(run(&mut s, &[12]), [1]);
        assert_eq!(queue_of(&s, 12), Some(true));
    }

    #[test]
    fn small_moves_an_entry_to_main_after_two_hits() {
        let mut s = S3Fifo::new(10);
        run(&mut s, &(0..10).collect::<Vec<_>>());
        // 20 is hit once in small: at small's tail it leaves for the ghost.
        assert_eq!(run(&mut s, &[20, 20, 21]), [0, 20]);
        // 21 is hit twice: it moves to main, small is then empty, and main (now over its share)
        // gives up its oldest, key 1.
        assert_eq!(run(&mut s, &[21, 21, 22]), [1]);
        assert_eq!(queue_of(&s, 21), Some(false));
        assert_eq!(queue_of(&s, 22), Some(true));
    }

    #[test]
    fn main_reinserts_with_one_hit_less() {
        let mut s = S3Fifo::new(10);
        run(&mut s, &(0..10).collect::<Vec<_>>());
        // Main is 1..=9, oldest first. Key 1 is hit five times (counted up to 3), key 2 once.
        run(&mut s, &[1, 1, 1, 1, 1, 2]);
        assert_eq!(s.freq[s.table.lookup(1).unwrap() as usize], MAX_FREQ);
        // 0, 100 and 101 leave through small for the ghost.
        assert_eq!(run(&mut s, &[100, 101, 102]), [0, 100, 101]);
        // 100 comes back into main (102 leaves small to make room), so main holds 10 > 9 and
        // the next miss takes from main: 1 and 2 go back to its head (3 → 2, 1 → 0 hits) and
        // 3, never hit, leaves.
        assert_eq!(run(&mut s, &[100]), [102]);
        assert_eq!(run(&mut s, &[103]), [3]);
        assert_eq!(s.freq[s.table.lookup(1).unwrap() as usize], 2);
        assert_eq!(s.freq[s.table.lookup(2).unwrap() as usize], 0);
    }

    #[test]
    fn the_ghost_remembers_as_many_keys_as_main_holds() {
        for capacity in [10u32, 50, 100, 1_000, 2_500] {
            let mut s = S3Fifo::new(capacity);
            let main_cap = capacity - capacity / 10;
            assert_eq!(s.ghost.capacity(), main_cap);
            // Keys seen once all leave through small, so the ghost fills with them.
            let n = 3 * u64::from(capacity);
            let evicted = run(&mut s, &(0..n).collect::<Vec<_>>());
            assert_eq!(s.ghost.len(), main_cap, "capacity {capacity}");
            // The newest `main_cap` evicted keys are remembered, the one before is not.
            let oldest_remembered = evicted[evicted.len() - main_cap as usize];
            let forgotten = evicted[evicted.len() - main_cap as usize - 1];
            run(&mut s, &[oldest_remembered, forgotten]);
            assert_eq!(queue_of(&s, oldest_remembered), Some(false));
            assert_eq!(queue_of(&s, forgotten), Some(true));
        }
    }

    #[test]
    fn a_ghost_hit_frees_its_entry() {
        let mut ghost = Ghost::new(3);
        for key in [1, 2, 3] {
            ghost.push(key);
        }
        assert!(ghost.take(2));
        // Two keys remembered: a new one fits without forgetting 1.
        ghost.push(4);
        assert_eq!(ghost.len(), 3);
        assert!(ghost.take(1));
        ghost.push(5);
        ghost.push(6);
        // Now 4, 5, 6 (3 was the oldest and went when 6 came).
        assert!(!ghost.take(3));
        assert!(ghost.take(4) && ghost.take(5) && ghost.take(6));
        assert_eq!(ghost.len(), 0);
        let mut none = Ghost::new(0);
        none.push(1);
        assert!(!none.take(1));
    }

    /// libCacheSim's `S3FIFO.c` (`S3FIFO_find`, `_insert`, `_evict`, `_evict_small`,
    /// `_evict_main`) written plainly over `VecDeque`s (front = oldest) and linear searches, with
    /// unit object sizes, small = ⌊c/10⌋ and the ghost sized like main.
    struct Reference {
        small: VecDeque<(u64, u32)>,
        main: VecDeque<(u64, u32)>,
        ghost: VecDeque<u64>,
        small_cap: usize,
        main_cap: usize,
        has_evicted: bool,
    }

    impl Reference {
        fn new(capacity: usize) -> Self {
            let small_cap = (capacity / 10).max(1);
            Self {
                small: VecDeque::new(),
                main: VecDeque::new(),
                ghost: VecDeque::new(),
                small_cap,
                main_cap: capacity - small_cap,
                has_evicted: false,
            }
        }

        fn get(&mut self, key: u64) -> bool {
            for queue in [&mut self.small, &mut self.main] {
                if let Some(e) = queue.iter_mut().find(|e| e.0 == key) {
                    e.1 += 1;
                    return true;
                }
            }
            let ghost_hit = match self.ghost.iter().position(|&k| k == key) {
                Some(i) => {
                    self.ghost.remove(i);
                    true
                }
                None => false,
            };
            while self.small.len() + self.main.len() >= self.small_cap + self.main_cap {
                self.evict();
            }
            if ghost_hit || (!self.has_evicted && self.small.len() >= self.small_cap) {
                self.main.push_back((key, 0));
            } else {
                self.small.push_back((key, 0));
            }
            false
        }

        fn evict(&mut self) {
            self.has_evicted = true;
            if self.main.len() > self.main_cap || self.small.is_empty() {
                while let Some((key, freq)) = self.main.pop_front() {
                    if freq >= 1 {
                        self.main.push_back((key, freq.min(3) - 1));
                    } else {
                        return;
                    }
                }
            } else {
                while let Some((key, freq)) = self.small.pop_front() {
                    if freq >= 2 {
                        self.main.push_back((key, 0));
                    } else {
                        if self.main_cap > 0 {
                            if self.ghost.len() == self.main_cap {
                                self.ghost.pop_front();
                            }
                            self.ghost.push_back(key);
                        }
                        return;
                    }
                }
            }
        }
    }

    #[test]
    fn matches_a_plain_transcription_of_libcachesim_miss_for_miss() {
        let zipf = Zipf::new(2_000, 0.9).unwrap();
        let mut rng = SplitMix64::new(9);
        let stream: Vec<u64> = (0..60_000).map(|_| zipf.sample(&mut rng)).collect();
        for capacity in [1u32, 7, 10, 40, 150, 600] {
            let mut ours = S3Fifo::new(capacity);
            let mut reference = Reference::new(capacity as usize);
            for (pos, &key) in stream.iter().enumerate() {
                let hit = ours.access(key, pos as u32).hit;
                assert_eq!(
                    hit,
                    reference.get(key),
                    "capacity {capacity}, request {pos}"
                );
            }
        }
    }
}

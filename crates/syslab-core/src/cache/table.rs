//! The numbered slots every eviction policy stores its keys in ([`Table`]), and [`Access`], what
//! one access did. Every policy file builds on these; `policy.rs` dispatches over the policies.

use super::keymap::KeyMap;

/// The slot of an access that did not store its key (Bélády's optimum may bypass the cache).
pub const NO_SLOT: u32 = u32::MAX;

/// What one access did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The key was cached.
    pub hit: bool,
    /// The key's slot after the access, or [`NO_SLOT`] if a miss did not store it.
    pub slot: u32,
    /// The key evicted to make room, with the slot it left.
    pub evicted: Option<(u64, u32)>,
}

impl Access {
    /// A hit in `slot`.
    #[inline]
    pub fn hit(slot: u32) -> Self {
        Self {
            hit: true,
            slot,
            evicted: None,
        }
    }

    /// A miss stored in `slot`, after evicting `evicted`.
    #[inline]
    pub fn miss(slot: u32, evicted: Option<(u64, u32)>) -> Self {
        Self {
            hit: false,
            slot,
            evicted,
        }
    }
}

/// The slots every policy stores its keys in, and the key → slot map.
#[derive(Clone, Debug)]
pub struct Table {
    keys: Vec<u64>,
    occupied: Vec<bool>,
    map: KeyMap,
    free: Vec<u32>,
    fresh: u32,
    len: u32,
    capacity: u32,
}

impl Table {
    /// A table of `capacity` (≥ 1) empty slots.
    pub fn new(capacity: u32) -> Self {
        Self {
            keys: vec![0; capacity as usize],
            occupied: vec![false; capacity as usize],
            map: KeyMap::with_capacity(capacity as usize),
            free: Vec::new(),
            fresh: 0,
            len: 0,
            capacity,
        }
    }

    /// The slot holding `key`.
    #[inline]
    pub fn lookup(&self, key: u64) -> Option<u32> {
        self.map.get(key)
    }

    /// Whether every slot holds a key.
    #[inline]
    pub fn is_full(&self) -> bool {
        self.len == self.capacity
    }

    /// Stores `key` (not cached) in a free slot; the table must not be full. Slots are used in
    /// order 0, 1, 2, … until the first release, then released slots are reused.
    #[inline]
    pub fn alloc(&mut self, key: u64) -> u32 {
        debug_assert!(!self.is_full());
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.fresh += 1;
                self.fresh - 1
            }
        };
        self.keys[slot as usize] = key;
        self.occupied[slot as usize] = true;
        self.map.insert(key, slot);
        self.len += 1;
        slot
    }

    /// Frees `slot` and returns the key it held.
    #[inline]
    pub fn release(&mut self, slot: u32) -> u64 {
        let key = self.keys[slot as usize];
        self.map.remove(key);
        self.occupied[slot as usize] = false;
        self.free.push(slot);
        self.len -= 1;
        key
    }

    /// The key in `slot` (meaningful while it is occupied).
    #[inline]
    pub fn key(&self, slot: u32) -> u64 {
        self.keys[slot as usize]
    }

    /// Keys by slot.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// Whether each slot holds a key.
    pub fn occupied(&self) -> &[bool] {
        &self.occupied
    }

    /// Cached keys.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slots.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }
}

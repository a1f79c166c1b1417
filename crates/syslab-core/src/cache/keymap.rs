//! `KeyMap`: the id → slot index every policy looks keys up in.
//!
//! Open addressing with linear probing and backward-shift deletion over one `Vec`, hashed by a
//! Fibonacci multiply. It is deterministic (no random seed), never iterated by the policies, and
//! much faster than `std`'s SipHash map on the hot path (one multiply, usually one probe).

/// A value slot that holds no entry.
const EMPTY: u32 = u32::MAX;

/// A map from `u64` keys to `u32` values (any value but `u32::MAX`).
#[derive(Clone, Debug)]
pub struct KeyMap {
    keys: Vec<u64>,
    values: Vec<u32>,
    len: usize,
    /// `64 - log2(capacity)`: the shift that turns a product into a bucket index.
    shift: u32,
}

impl KeyMap {
    /// A map that holds `expected` entries without growing.
    pub fn with_capacity(expected: usize) -> Self {
        // Load stays at most one half, which keeps probe sequences short.
        let buckets = (expected.max(4) * 2).next_power_of_two();
        Self {
            keys: vec![0; buckets],
            values: vec![EMPTY; buckets],
            len: 0,
            shift: 64 - buckets.trailing_zeros(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn bucket(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    #[inline]
    fn mask(&self) -> usize {
        self.keys.len() - 1
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u32> {
        let mask = self.mask();
        let mut i = self.bucket(key);
        loop {
            let v = self.values[i];
            if v == EMPTY {
                return None;
            }
            if self.keys[i] == key {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }

    /// Sets `key` to `value` (not `u32::MAX`), returning the old value.
    #[inline]
    pub fn insert(&mut self, key: u64, value: u32) -> Option<u32> {
        debug_assert_ne!(value, EMPTY);
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let mask = self.mask();
        let mut i = self.bucket(key);
        loop {
            let v = self.values[i];
            if v == EMPTY {
                self.keys[i] = key;
                self.values[i] = value;
                self.len += 1;
                return None;
            }
            if self.keys[i] == key {
                self.values[i] = value;
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }

    /// Removes `key`, returning its value.
    #[inline]
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        let mask = self.mask();
        let mut i = self.bucket(key);
        loop {
            let v = self.values[i];
            if v == EMPTY {
                return None;
            }
            if self.keys[i] == key {
                break;
            }
            i = (i + 1) & mask;
        }
        let removed = self.values[i];
        // Backward-shift deletion: pull later entries of the cluster into the hole when their
        // home bucket lies at or before it, so lookups never need tombstones.
        let mut hole = i;
        let mut j = (i + 1) & mask;
        while self.values[j] != EMPTY {
            let home = self.bucket(self.keys[j]);
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.keys[hole] = self.keys[j];
                self.values[hole] = self.values[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.values[hole] = EMPTY;
        self.len -= 1;
        Some(removed)
    }

    /// Removes every entry, keeping the memory.
    pub fn clear(&mut self) {
        self.values.fill(EMPTY);
        self.len = 0;
    }

    fn grow(&mut self) {
        let mut bigger = KeyMap::with_capacity(self.keys.len());
        for (k, v) in self.keys.iter().zip(&self.values) {
            if *v != EMPTY {
                bigger.insert(*k, *v);
            }
        }
        *self = bigger;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    #[test]
    fn agrees_with_a_btree_map() {
        let mut rng = SplitMix64::new(3);
        let mut map = KeyMap::with_capacity(8);
        let mut reference = std::collections::BTreeMap::new();
        for step in 0..200_000u32 {
            let key = rng.below(500) * 0x1_0000_0001;
            match rng.below(3) {
                0 => assert_eq!(map.remove(key), reference.remove(&key)),
                _ => assert_eq!(map.insert(key, step), reference.insert(key, step)),
            }
            assert_eq!(map.get(key), reference.get(&key).copied());
            assert_eq!(map.len(), reference.len());
        }
    }
}

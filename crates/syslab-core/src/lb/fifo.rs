//! A first-in first-out ring of small `Copy` items, for the event loop's constant-delay queues
//! (the wire, the deadlines) and the servers' waiting lines.
//!
//! `VecDeque` does the same, but its `front`, `push_back` and `pop_front` handle a capacity of
//! any size and, in the size-optimised native build, stay out-of-line calls; the event loop
//! reads two fronts per event. Here the capacity is a power of two, so wrapping is a mask
//! (no division, no branch), and an empty ring has no storage at all.

/// A FIFO ring with a power-of-two capacity (or none yet).
#[derive(Clone, Debug)]
pub(crate) struct Fifo<T> {
    /// The slots; its length is 0 or a power of two.
    buf: Vec<T>,
    /// Where the oldest item is, below `buf.len()` (0 when empty of storage).
    head: usize,
    len: usize,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Self {
            buf: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

impl<T: Copy> Fifo<T> {
    /// Items waiting.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The oldest item.
    #[inline]
    pub(crate) fn front(&self) -> Option<&T> {
        if self.len == 0 {
            None
        } else {
            self.buf.get(self.head)
        }
    }

    /// Removes and returns the oldest item.
    #[inline]
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let item = *self.buf.get(self.head)?;
        self.head = (self.head + 1) & (self.buf.len() - 1);
        self.len -= 1;
        Some(item)
    }

    /// Adds `item` behind the others.
    #[inline]
    pub(crate) fn push_back(&mut self, item: T) {
        if self.len == self.buf.len() {
            self.grow(item);
        }
        let mask = self.buf.len() - 1;
        let at = (self.head + self.len) & mask;
        if let Some(slot) = self.buf.get_mut(at) {
            *slot = item;
        }
        self.len += 1;
    }

    /// Doubles the storage (at least 16 slots), oldest item first; `fill` fills the new slots.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, fill: T) {
        let cap = (self.buf.len() * 2).max(16);
        let mut buf = Vec::with_capacity(cap);
        let (back, front) = self.buf.split_at(self.head);
        buf.extend_from_slice(front);
        buf.extend_from_slice(back);
        buf.resize(cap, fill);
        self.buf = buf;
        self.head = 0;
    }

    /// Forgets every item (keeps the storage).
    pub(crate) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_vecdeque() {
        let mut fifo = Fifo::default();
        let mut reference = std::collections::VecDeque::new();
        let mut x = 1u64;
        for round in 0..5_000u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            if (x >> 33).is_multiple_of(3) {
                assert_eq!(fifo.pop_front(), reference.pop_front());
            } else {
                fifo.push_back(round);
                reference.push_back(round);
            }
            if (round + 1).is_multiple_of(1_000) {
                fifo.clear();
                reference.clear();
            }
            assert_eq!(fifo.len(), reference.len());
            assert_eq!(fifo.front(), reference.front());
        }
    }
}

//! A 4-ary min-heap of small `Copy` items keyed by a `u64`: half the depth of a binary heap,
//! and the four children of a node share a cache line or two, which is what the event loop's
//! hot path wants. Equal keys come out in an order fixed by the heap's history.

/// An item with a `u64` priority (smallest first).
pub(crate) trait HeapItem: Copy {
    /// The priority.
    fn key(&self) -> u64;
}

/// A min-heap on `Ord`.
#[derive(Clone, Debug)]
pub(crate) struct QuadHeap<T> {
    items: Vec<T>,
}

impl<T> Default for QuadHeap<T> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<T: HeapItem> QuadHeap<T> {
    /// The smallest item.
    #[inline]
    pub(crate) fn peek(&self) -> Option<&T> {
        self.items.first()
    }

    /// Adds `item`.
    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        let mut hole = self.items.len();
        self.items.push(item);
        while hole > 0 {
            let parent = (hole - 1) / 4;
            if self.items[parent].key() <= item.key() {
                break;
            }
            self.items[hole] = self.items[parent];
            hole = parent;
        }
        self.items[hole] = item;
    }

    /// Removes and returns the smallest item.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        let last = self.items.pop()?;
        let n = self.items.len();
        if n == 0 {
            return Some(last);
        }
        let top = self.items[0];
        let mut hole = 0;
        loop {
            let first = 4 * hole + 1;
            if first >= n {
                break;
            }
            let end = (first + 4).min(n);
            let mut child = first;
            let mut child_key = self.items[first].key();
            for c in first + 1..end {
                let k = self.items[c].key();
                if k < child_key {
                    child = c;
                    child_key = k;
                }
            }
            if last.key() <= child_key {
                break;
            }
            self.items[hole] = self.items[child];
            hole = child;
        }
        self.items[hole] = last;
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    impl HeapItem for (u64, u64) {
        fn key(&self) -> u64 {
            // Unique keys, so the order is total: value, then round.
            self.0 << 20 | self.1
        }
    }

    #[test]
    fn pops_in_order() {
        let mut rng = SplitMix64::new(3);
        let mut heap = QuadHeap::default();
        let mut reference = Vec::new();
        for round in 0..2_000u64 {
            let v = rng.below(500);
            heap.push((v, round));
            reference.push((v, round));
            if round % 3 == 0 {
                reference.sort_unstable_by(|a, b| b.cmp(a));
                assert_eq!(heap.pop(), reference.pop());
            }
        }
        reference.sort_unstable_by(|a, b| b.cmp(a));
        while let Some(expected) = reference.pop() {
            assert_eq!(heap.peek(), Some(&expected));
            assert_eq!(heap.pop(), Some(expected));
        }
        assert_eq!(heap.pop(), None);
    }
}

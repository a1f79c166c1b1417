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
        // A slice, so the moves are plain indexing (no `Vec` index call in a size-optimised
        // build).
        let items = self.items.as_mut_slice();
        let key = item.key();
        while hole > 0 {
            let parent = (hole - 1) / 4;
            let up = items[parent];
            if up.key() <= key {
                break;
            }
            items[hole] = up;
            hole = parent;
        }
        items[hole] = item;
    }

    /// Removes and returns the smallest item.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        let last = self.items.pop()?;
        let items = self.items.as_mut_slice();
        let Some(&top) = items.first() else {
            return Some(last);
        };
        let n = items.len();
        let key = last.key();
        let mut hole = 0;
        loop {
            let first = 4 * hole + 1;
            // The smallest child, the first of equals. Most nodes on the way down have all
            // four children: compare them as two pairs and the pairs' winners (three compares
            // that do not depend on one another's outcome, instead of a loop of three).
            let (child, child_key) = if let Some(kids) = items.get(first..first + 4) {
                let (k0, k1, k2, k3) = (kids[0].key(), kids[1].key(), kids[2].key(), kids[3].key());
                let (a, ka) = if k1 < k0 { (1, k1) } else { (0, k0) };
                let (b, kb) = if k3 < k2 { (3, k3) } else { (2, k2) };
                if kb < ka {
                    (first + b, kb)
                } else {
                    (first + a, ka)
                }
            } else if first < n {
                let mut child = first;
                let mut child_key = items[first].key();
                for (c, item) in items.iter().enumerate().skip(first + 1) {
                    let k = item.key();
                    if k < child_key {
                        child = c;
                        child_key = k;
                    }
                }
                (child, child_key)
            } else {
                break;
            };
            if key <= child_key {
                break;
            }
            items[hole] = items[child];
            hole = child;
        }
        items[hole] = last;
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

    /// An item whose key has many ties, told apart by its payload.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct Tied(u64, u64);

    impl HeapItem for Tied {
        fn key(&self) -> u64 {
            self.0
        }
    }

    /// The earlier sift-down (a loop over the children, the first smallest wins): the order
    /// of equal keys, which the simulation's decisions depend on, must not change.
    fn reference_pop(items: &mut Vec<Tied>) -> Option<Tied> {
        let last = items.pop()?;
        let n = items.len();
        if n == 0 {
            return Some(last);
        }
        let top = items[0];
        let mut hole = 0;
        loop {
            let first = 4 * hole + 1;
            if first >= n {
                break;
            }
            let end = (first + 4).min(n);
            let mut child = first;
            for c in first + 1..end {
                if items[c].key() < items[child].key() {
                    child = c;
                }
            }
            if last.key() <= items[child].key() {
                break;
            }
            items[hole] = items[child];
            hole = child;
        }
        items[hole] = last;
        Some(top)
    }

    #[test]
    fn ties_come_out_as_before() {
        let mut rng = SplitMix64::new(5);
        let mut heap = QuadHeap::default();
        let mut reference = QuadHeap::default();
        for round in 0..20_000u64 {
            if rng.below(5) < 3 {
                let item = Tied(rng.below(8), round);
                heap.push(item);
                reference.push(item);
            } else {
                assert_eq!(heap.pop(), reference_pop(&mut reference.items));
            }
            assert_eq!(heap.items, reference.items);
        }
    }
}

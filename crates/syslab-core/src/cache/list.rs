//! Intrusive doubly linked lists over slot indices: the queues of LRU, FIFO, SIEVE, ARC,
//! S3-FIFO and W-TinyLFU without a heap allocation per entry.
//!
//! `Links` holds `prev` / `next` per node; several `List`s (heads, tails, lengths) share one
//! `Links`, and a node is on at most one list at a time. The head is the newest (most recently
//! inserted or used) node, the tail the oldest.

/// No node.
pub const NIL: u32 = u32::MAX;

/// The `prev` / `next` links of every node.
#[derive(Clone, Debug)]
pub struct Links {
    prev: Vec<u32>,
    next: Vec<u32>,
}

/// One list's ends and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct List {
    /// The newest node, or `NIL`.
    pub head: u32,
    /// The oldest node, or `NIL`.
    pub tail: u32,
    /// Nodes on the list.
    pub len: u32,
}

impl Default for List {
    fn default() -> Self {
        Self {
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }
}

impl Links {
    /// Links for nodes `0..n`.
    pub fn new(n: usize) -> Self {
        Self {
            prev: vec![NIL; n],
            next: vec![NIL; n],
        }
    }

    /// The node after `node` (towards the tail), or `NIL`.
    #[cfg(test)]
    pub fn next(&self, node: u32) -> u32 {
        self.next[node as usize]
    }

    /// The node before `node` (towards the head), or `NIL`.
    #[inline]
    pub fn prev(&self, node: u32) -> u32 {
        self.prev[node as usize]
    }

    /// Puts `node` (on no list) at the head of `list`.
    #[inline]
    pub fn push_front(&mut self, list: &mut List, node: u32) {
        let n = node as usize;
        self.prev[n] = NIL;
        self.next[n] = list.head;
        if list.head != NIL {
            self.prev[list.head as usize] = node;
        } else {
            list.tail = node;
        }
        list.head = node;
        list.len += 1;
    }

    /// Takes `node` off `list`.
    #[inline]
    pub fn unlink(&mut self, list: &mut List, node: u32) {
        let n = node as usize;
        let (p, x) = (self.prev[n], self.next[n]);
        if p != NIL {
            self.next[p as usize] = x;
        } else {
            list.head = x;
        }
        if x != NIL {
            self.prev[x as usize] = p;
        } else {
            list.tail = p;
        }
        list.len -= 1;
    }

    /// Moves `node`, on `list`, to its head.
    #[inline]
    pub fn move_to_front(&mut self, list: &mut List, node: u32) {
        if list.head != node {
            self.unlink(list, node);
            self.push_front(list, node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(links: &Links, list: &List) -> Vec<u32> {
        let mut out = Vec::new();
        let mut node = list.head;
        while node != NIL {
            out.push(node);
            node = links.next(node);
        }
        out
    }

    #[test]
    fn pushes_moves_and_pops() {
        let mut links = Links::new(5);
        let mut list = List::default();
        for node in 0..5 {
            links.push_front(&mut list, node);
        }
        assert_eq!(collect(&links, &list), [4, 3, 2, 1, 0]);
        links.move_to_front(&mut list, 1);
        assert_eq!(collect(&links, &list), [1, 4, 3, 2, 0]);
        links.unlink(&mut list, 0);
        links.unlink(&mut list, 3);
        assert_eq!(collect(&links, &list), [1, 4, 2]);
        assert_eq!(list.len, 3);
        assert_eq!(links.prev(2), 4);
    }
}

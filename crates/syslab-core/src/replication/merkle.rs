//! Merkle trees for anti-entropy (Dynamo's, after Merkle 1987): each replica hashes every
//! key's version into a leaf and every pair of nodes into their parent, so two replicas find
//! the keys on which they differ by comparing hashes from the root down, and descend only
//! where the hashes differ. When few keys differ that is a few comparisons per differing key
//! and tree level, against one per key for comparing every key.

use crate::hash::hash_bytes;
use serde::{Deserialize, Serialize};

/// A version of a key: the writing coordinator's clock reading (ns, may be negative with
/// skew) and the write's number, which breaks ties. Newer is greater.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Version {
    pub ts: i64,
    pub write: u32,
}

/// A binary hash tree over a replica's keys, stored as a heap: node 1 is the root, the
/// children of node i are 2i and 2i + 1, and the leaves are nodes `width..2 * width` (key k
/// at `width + k`; keys past the last are empty leaves).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    width: usize,
    nodes: Vec<u64>,
}

/// What comparing two trees found, and what it cost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MerkleDiff {
    /// The keys whose versions differ, in order.
    pub keys: Vec<u32>,
    /// Hash comparisons made.
    pub comparisons: u64,
}

/// The hash of an empty leaf (a key no write has reached) and of one key's version.
fn leaf(key: usize, version: Option<Version>) -> u64 {
    match version {
        None => 0,
        Some(v) => {
            let mut bytes = [0u8; 20];
            bytes[..8].copy_from_slice(&(key as u64).to_le_bytes());
            bytes[8..16].copy_from_slice(&v.ts.to_le_bytes());
            bytes[16..].copy_from_slice(&v.write.to_le_bytes());
            hash_bytes(&bytes, 0x6d65_726b_6c65)
        }
    }
}

fn parent(left: u64, right: u64) -> u64 {
    if left == 0 && right == 0 {
        return 0;
    }
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&left.to_le_bytes());
    bytes[8..].copy_from_slice(&right.to_le_bytes());
    hash_bytes(&bytes, 0x7061_7265_6e74)
}

impl MerkleTree {
    /// The tree of one replica's versions, one per key.
    pub fn build(versions: &[Option<Version>]) -> MerkleTree {
        let width = versions.len().max(1).next_power_of_two();
        let mut nodes = vec![0u64; 2 * width];
        for (k, v) in versions.iter().enumerate() {
            nodes[width + k] = leaf(k, *v);
        }
        for i in (1..width).rev() {
            nodes[i] = parent(nodes[2 * i], nodes[2 * i + 1]);
        }
        MerkleTree { width, nodes }
    }

    /// Sets key `key`'s version and rehashes the path to the root (a no-op past the keys).
    pub fn set(&mut self, key: usize, version: Option<Version>) {
        if key >= self.width {
            return;
        }
        let mut i = self.width + key;
        self.nodes[i] = leaf(key, version);
        while i > 1 {
            i /= 2;
            self.nodes[i] = parent(self.nodes[2 * i], self.nodes[2 * i + 1]);
        }
    }

    /// The root hash: equal roots mean equal versions (up to a 64-bit collision).
    pub fn root(&self) -> u64 {
        self.nodes[1]
    }

    /// Compares two trees over the same keys from the root down; trees of different widths
    /// are compared as if every key differed.
    pub fn diff(&self, other: &MerkleTree) -> MerkleDiff {
        let mut out = MerkleDiff::default();
        if self.width != other.width {
            out.keys = (0..self.width.min(other.width) as u32).collect();
            return out;
        }
        let mut stack = vec![1usize];
        while let Some(i) = stack.pop() {
            out.comparisons += 1;
            if self.nodes[i] == other.nodes[i] {
                continue;
            }
            if i >= self.width {
                out.keys.push((i - self.width) as u32);
            } else {
                // Right first, so the left child pops first and keys come out in order.
                stack.push(2 * i + 1);
                stack.push(2 * i);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    fn v(ts: i64, write: u32) -> Option<Version> {
        Some(Version { ts, write })
    }

    #[test]
    fn equal_replicas_cost_one_comparison() {
        let a: Vec<_> = (0..100).map(|k| v(k, k as u32)).collect();
        let d = MerkleTree::build(&a).diff(&MerkleTree::build(&a));
        assert_eq!(
            d,
            MerkleDiff {
                keys: vec![],
                comparisons: 1
            }
        );
    }

    #[test]
    fn one_differing_key_costs_two_comparisons_per_level() {
        let a: Vec<_> = (0..1024).map(|k| v(k, 1)).collect();
        let mut b = a.clone();
        b[700] = v(700, 2);
        let d = MerkleTree::build(&a).diff(&MerkleTree::build(&b));
        assert_eq!(d.keys, vec![700]);
        // The root, then both children at each of the 10 levels below it.
        assert_eq!(d.comparisons, 1 + 2 * 10);
        // A key that one replica has never seen differs too.
        b[3] = None;
        let d = MerkleTree::build(&a).diff(&MerkleTree::build(&b));
        assert_eq!(d.keys, vec![3, 700]);
    }

    /// Over random stores and random changes, the diff finds exactly the keys that differ,
    /// and never compares more than every node of the tree.
    #[test]
    fn the_diff_finds_exactly_the_differing_keys() {
        let mut rng = SplitMix64::new(11);
        for round in 0..500 {
            let keys = 1 + rng.below(300) as usize;
            let a: Vec<_> = (0..keys)
                .map(|_| {
                    (rng.below(4) > 0).then(|| Version {
                        ts: rng.below(50) as i64,
                        write: rng.below(9) as u32,
                    })
                })
                .collect();
            let mut b = a.clone();
            for _ in 0..rng.below(6) {
                let k = rng.below(keys as u64) as usize;
                b[k] = v(rng.below(50) as i64, rng.below(9) as u32);
            }
            // A tree kept up to date key by key equals one built from scratch.
            let mut kept = MerkleTree::build(&a);
            for (k, version) in b.iter().enumerate() {
                kept.set(k, *version);
            }
            assert_eq!(kept, MerkleTree::build(&b), "round {round}");
            let truth: Vec<u32> = (0..keys as u32)
                .filter(|&k| a[k as usize] != b[k as usize])
                .collect();
            let d = MerkleTree::build(&a).diff(&MerkleTree::build(&b));
            assert_eq!(d.keys, truth, "round {round}");
            let width = keys.next_power_of_two() as u64;
            assert!(d.comparisons < 2 * width, "round {round}");
            assert_eq!(d.comparisons == 1, truth.is_empty(), "round {round}");
        }
    }
}

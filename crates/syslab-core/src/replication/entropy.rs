//! Anti-entropy rounds of the leaderless mode: each replica compares its Merkle tree with a
//! peer's and sends the newer version of every key that differs.

use super::sim::Sim;
use super::wire::MsgKind;

impl Sim {
    /// One round: replica i compares its tree with replica i + 1 + (round mod (N − 1))'s
    /// (every other replica in turn), unless a cut blocks either way between them. The
    /// comparison itself is taken as instant; each key found to differ is then sent, newer
    /// version to the replica behind, as a repair message over the network (delays, loss
    /// and cuts apply).
    pub(super) fn anti_entropy(&mut self, round: u32) {
        let n = self.cfg.n;
        for a in 0..n {
            let b = (a + 1 + round % (n - 1)) % n;
            if self.is_cut(a, b, self.now) || self.is_cut(b, a, self.now) {
                continue;
            }
            let diff = self.trees[a as usize].diff(&self.trees[b as usize]);
            self.counts.ae_sessions += 1;
            self.counts.ae_comparisons += diff.comparisons;
            self.counts.ae_naive += u64::from(self.cfg.keys);
            for key in diff.keys {
                let (va, vb) = (
                    self.store[a as usize][key as usize],
                    self.store[b as usize][key as usize],
                );
                let (from, to, ver) = if va > vb { (a, b, va) } else { (b, a, vb) };
                if let Some(ver) = ver {
                    self.counts.ae_repairs += 1;
                    self.send(from, to, MsgKind::Repair { key, ver });
                }
            }
        }
    }
}

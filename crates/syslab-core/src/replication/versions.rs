//! How a replica keeps the versions of one key: last-write-wins by timestamp, or dotted
//! version vectors that keep concurrent writes as siblings for the client to merge.
//!
//! Version vectors as Dynamo-style stores use them (Riak since 2.0) need the dotted form
//! (Preguiça et al., "Dotted Version Vectors: Logical Clocks for Optimistic Replication",
//! 2010): each stored value carries its own event, a *dot* (the coordinating replica and
//! its counter), and the *context* the client read before writing. A write replaces exactly
//! the values whose dots its context covers; everything else it did not see stays beside it
//! as a sibling. A plain version vector incremented at the coordinator cannot tell two blind
//! writes through the same replica apart, and silently drops one of them.
//!
//! Replicas exchange whole registers, as Riak sends whole objects: a replica that merged
//! the registers it received (`sync`) has, for every event its vector covers, either the
//! value or the write that replaced it. Shipping single writes instead would let a later
//! dot of a replica arrive before an earlier one, and the vector would then claim the
//! earlier one too and drop it on arrival.
//!
//! Last-write-wins keeps one value: the greatest (timestamp, write id). It loses every
//! concurrent write with a lower timestamp, and with skewed clocks also a causally later
//! write stamped earlier than what it overwrote.

/// A version vector over the replicas: entry i counts the writes replica i coordinated that
/// this vector has seen (events 1..=entry).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionVector(pub Vec<u64>);

impl VersionVector {
    /// The entry of replica `i` (0 when the vector is shorter).
    pub fn get(&self, i: u32) -> u64 {
        self.0.get(i as usize).copied().unwrap_or(0)
    }

    /// Whether this vector has seen event `dot`.
    pub fn covers(&self, dot: Dot) -> bool {
        self.get(dot.replica) >= dot.counter
    }

    /// Entry-wise maximum with `other`.
    pub fn merge(&mut self, other: &VersionVector) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }

    /// Adds event `dot` (and, as vectors do, every earlier event of its replica).
    pub fn add(&mut self, dot: Dot) {
        let i = dot.replica as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] = self.0[i].max(dot.counter);
    }

    /// Whether this vector has seen everything `other` has.
    pub fn descends(&self, other: &VersionVector) -> bool {
        other
            .0
            .iter()
            .enumerate()
            .all(|(i, &c)| self.get(i as u32) >= c)
    }
}

/// One write event: the replica that coordinated it and its counter there (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dot {
    pub replica: u32,
    pub counter: u64,
}

/// A value as a replica stores it under version vectors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sibling {
    pub dot: Dot,
    /// What the writing client had read (the versions this write replaces).
    pub context: VersionVector,
    /// The write's id (the value).
    pub write: u32,
}

/// What a read returns under version vectors: every sibling's value and the context a
/// client sends back with its next write to merge them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadResult {
    pub writes: Vec<u32>,
    pub context: VersionVector,
}

/// One key at one replica under dotted version vectors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VvRegister {
    /// Sorted by dot, so equal states compare equal.
    siblings: Vec<Sibling>,
}

impl VvRegister {
    /// Every event this replica has seen for the key: the siblings' dots and contexts.
    pub fn known(&self) -> VersionVector {
        let mut vv = VersionVector::default();
        for s in &self.siblings {
            vv.merge(&s.context);
            vv.add(s.dot);
        }
        vv
    }

    pub fn siblings(&self) -> &[Sibling] {
        &self.siblings
    }

    /// A read: the siblings' values (in dot order) and the context that covers them.
    pub fn read(&self) -> ReadResult {
        ReadResult {
            writes: self.siblings.iter().map(|s| s.write).collect(),
            context: self.known(),
        }
    }

    /// Replica `replica` coordinates write `write` from a client that read `context` (empty
    /// for a blind write): the write gets the next dot of this replica and replaces what the
    /// context covers. The register is then sent to the other replicas, which `sync` it.
    pub fn coordinate(&mut self, replica: u32, context: VersionVector, write: u32) -> Sibling {
        let dot = Dot {
            replica,
            counter: self.known().get(replica) + 1,
        };
        let sibling = Sibling {
            dot,
            context,
            write,
        };
        self.siblings.retain(|s| !sibling.context.covers(s.dot));
        let at = self.siblings.partition_point(|s| s.dot < sibling.dot);
        self.siblings.insert(at, sibling.clone());
        sibling
    }

    /// Merges another replica's register into this one (a replicated write, a read repair,
    /// anti-entropy): a sibling survives if both have it, or if the other replica has not
    /// seen its dot yet.
    pub fn sync(&mut self, other: &VvRegister) {
        let (mine, theirs) = (self.known(), other.known());
        let mut out: Vec<Sibling> = self
            .siblings
            .iter()
            .filter(|s| other.siblings.contains(s) || !theirs.covers(s.dot))
            .cloned()
            .collect();
        for s in &other.siblings {
            if !mine.covers(s.dot) {
                out.push(s.clone());
            }
        }
        crate::sort::sort_vec_by_key(&mut out, |s| s.dot);
        self.siblings = out;
    }
}

/// One key at one replica under last-write-wins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LwwRegister {
    /// The kept write: (timestamp, write id), greatest wins; `None` before any write.
    pub kept: Option<(i64, u32)>,
}

impl LwwRegister {
    /// A write stamped `ts` by its coordinator's clock: kept if it is the greatest so far.
    pub fn apply(&mut self, ts: i64, write: u32) {
        if self.kept.is_none_or(|k| (ts, write) > k) {
            self.kept = Some((ts, write));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::rng::SplitMix64;

    fn vv(entries: &[u64]) -> VersionVector {
        VersionVector(entries.to_vec())
    }

    #[test]
    fn vectors_compare_and_merge() {
        let a = vv(&[2, 0, 1]);
        let b = vv(&[1, 1]);
        assert!(!a.descends(&b) && !b.descends(&a), "concurrent");
        let mut m = a.clone();
        m.merge(&b);
        assert_eq!(m, vv(&[2, 1, 1]));
        assert!(m.descends(&a) && m.descends(&b));
        assert!(m.covers(Dot {
            replica: 1,
            counter: 1
        }));
        assert!(!m.covers(Dot {
            replica: 1,
            counter: 2
        }));
        assert!(vv(&[]).descends(&vv(&[0, 0])));
    }

    #[test]
    fn two_blind_writes_through_one_replica_are_siblings() {
        // The case a plain vector incremented at the coordinator gets wrong.
        let mut r = VvRegister::default();
        r.coordinate(0, VersionVector::default(), 1);
        r.coordinate(0, VersionVector::default(), 2);
        assert_eq!(r.read().writes, vec![1, 2]);
        // A write that read both merges them: one value again.
        let ctx = r.read().context;
        r.coordinate(0, ctx, 3);
        assert_eq!(r.read().writes, vec![3]);
    }

    #[test]
    fn a_write_that_read_the_previous_one_replaces_it() {
        let mut a = VvRegister::default();
        let mut b = VvRegister::default();
        a.coordinate(0, VersionVector::default(), 1);
        let sent1 = a.clone();
        b.sync(&sent1);
        b.coordinate(1, b.read().context, 2);
        a.sync(&b);
        assert_eq!(a.read().writes, vec![2]);
        assert_eq!(b.read().writes, vec![2]);
        // The old write arriving late (a retry, a repair) does not come back.
        a.sync(&sent1);
        b.sync(&sent1);
        assert_eq!(a.read().writes, vec![2]);
        assert_eq!(a, b);
    }

    #[test]
    fn lww_keeps_the_greatest_timestamp_even_when_it_is_causally_older() {
        // Replica clocks 100 ms apart: write 2 read write 1, but its coordinator's clock is
        // behind, so it is stamped earlier.
        let mut lww = LwwRegister::default();
        lww.apply(1_000, 1);
        lww.apply(950, 2);
        assert_eq!(lww.kept, Some((1_000, 1)), "the later write is lost");
        let mut vvr = VvRegister::default();
        vvr.coordinate(0, VersionVector::default(), 1);
        let mut other = VvRegister::default();
        other.sync(&vvr);
        other.coordinate(1, other.read().context, 2);
        vvr.sync(&other);
        assert_eq!(
            vvr.read().writes,
            vec![2],
            "version vectors keep the later one"
        );
    }

    /// A random history: clients write through random replicas, some after reading there
    /// (their write then follows what they read), some blind; messages between replicas
    /// arrive late, in random order, and anti-entropy runs between random pairs. Ground
    /// truth is tracked apart from the vectors: the writes each write saw, transitively.
    struct History {
        n: u32,
        vv: Vec<VvRegister>,
        lww: Vec<LwwRegister>,
        /// Per write: the writes it saw (transitively), its timestamp.
        saw: Vec<BTreeSet<u32>>,
        ts: Vec<i64>,
        /// Per replica: the writes it has (ground truth of what a read there returns).
        has: Vec<BTreeSet<u32>>,
        /// Registers on their way: (to, the sender's register, what it had, its LWW state).
        in_flight: Vec<(u32, VvRegister, BTreeSet<u32>, LwwRegister)>,
    }

    impl History {
        fn new(n: u32) -> History {
            History {
                n,
                vv: vec![VvRegister::default(); n as usize],
                lww: vec![LwwRegister::default(); n as usize],
                saw: Vec::new(),
                ts: Vec::new(),
                has: vec![BTreeSet::new(); n as usize],
                in_flight: Vec::new(),
            }
        }

        /// What a read at `r` returns, checked against the ground truth: exactly the writes
        /// there that no other write there saw.
        fn read(&self, r: usize) -> ReadResult {
            let got = self.vv[r].read();
            let truth: Vec<u32> = self.has[r]
                .iter()
                .copied()
                .filter(|w| {
                    !self.has[r]
                        .iter()
                        .any(|o| self.saw[*o as usize].contains(w))
                })
                .collect();
            let mut sorted = got.writes.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, truth, "replica {r}");
            got
        }

        fn write(&mut self, rng: &mut SplitMix64, t: i64) {
            let r = rng.below(u64::from(self.n)) as usize;
            let id = self.saw.len() as u32;
            let (context, saw) = if rng.below(2) == 0 {
                let read = self.read(r);
                let mut saw = BTreeSet::new();
                for w in &read.writes {
                    saw.insert(*w);
                    saw.extend(self.saw[*w as usize].iter().copied());
                }
                (read.context, saw)
            } else {
                (VersionVector::default(), BTreeSet::new())
            };
            self.saw.push(saw);
            self.ts.push(t);
            self.has[r].insert(id);
            let s = self.vv[r].coordinate(r as u32, context, id);
            assert_eq!(s.write, id);
            self.lww[r].apply(t, id);
            for to in 0..self.n {
                if to as usize != r {
                    let sent = (to, self.vv[r].clone(), self.has[r].clone(), self.lww[r]);
                    self.in_flight.push(sent);
                }
            }
        }

        fn deliver(&mut self, rng: &mut SplitMix64) {
            if self.in_flight.is_empty() {
                return;
            }
            let i = rng.below(self.in_flight.len() as u64) as usize;
            let (to, reg, has, lww) = self.in_flight.swap_remove(i);
            let to = to as usize;
            self.has[to].extend(has);
            if let Some((t, w)) = lww.kept {
                self.lww[to].apply(t, w);
            }
            self.vv[to].sync(&reg);
        }

        fn sync(&mut self, rng: &mut SplitMix64) {
            let a = rng.below(u64::from(self.n)) as usize;
            let b = rng.below(u64::from(self.n)) as usize;
            if a == b {
                return;
            }
            let theirs = self.vv[b].clone();
            self.vv[a].sync(&theirs);
            let mine = self.vv[a].clone();
            self.vv[b] = mine;
            let union: BTreeSet<u32> = self.has[a].union(&self.has[b]).copied().collect();
            self.has[a] = union.clone();
            self.has[b] = union;
            let best = self.lww[a].kept.max(self.lww[b].kept);
            self.lww[a].kept = best;
            self.lww[b].kept = best;
        }
    }

    #[test]
    fn siblings_are_exactly_the_concurrent_writes_and_lww_keeps_one_of_them() {
        let mut with_siblings = 0;
        for seed in 0..300 {
            let mut rng = SplitMix64::new(seed);
            let n = 2 + rng.below(4) as u32;
            let mut h = History::new(n);
            let mut t = 0;
            for _ in 0..(5 + rng.below(25)) {
                t += 1 + rng.below(10) as i64;
                match rng.below(4) {
                    0 | 1 => h.write(&mut rng, t),
                    2 => h.deliver(&mut rng),
                    _ => h.sync(&mut rng),
                }
                for r in 0..n as usize {
                    h.read(r);
                }
            }
            while !h.in_flight.is_empty() {
                h.deliver(&mut rng);
            }
            // Every replica has every write: they agree, whatever the delivery order.
            let all: BTreeSet<u32> = (0..h.saw.len() as u32).collect();
            for r in 0..n as usize {
                assert_eq!(h.has[r], all);
                assert_eq!(
                    h.vv[r].read(),
                    h.vv[0].read(),
                    "seed {seed}: replicas agree"
                );
                assert_eq!(h.lww[r], h.lww[0]);
            }
            if h.saw.is_empty() {
                continue;
            }
            // The siblings: the writes no other write saw (pairwise concurrent).
            let siblings = h.read(0).writes;
            for a in &siblings {
                for b in &siblings {
                    assert!(!h.saw[*a as usize].contains(b), "seed {seed}");
                }
            }
            // Last-write-wins keeps the sibling with the greatest timestamp (timestamps
            // here follow causality: no skew) and loses exactly the other siblings: the
            // concurrent writes with a lower timestamp.
            let kept = h.lww[0].kept.map(|(_, w)| w).expect("a write");
            let best = siblings
                .iter()
                .copied()
                .max_by_key(|w| (h.ts[*w as usize], *w));
            assert_eq!(Some(kept), best, "seed {seed}");
            with_siblings += u32::from(siblings.len() > 1);
        }
        // The histories do produce concurrent writes (not only chains).
        assert!(
            with_siblings > 50,
            "{with_siblings} of 300 histories ended with siblings"
        );
    }

    #[test]
    fn sync_is_commutative_and_idempotent() {
        let mut a = VvRegister::default();
        let mut b = VvRegister::default();
        a.coordinate(0, VersionVector::default(), 1);
        b.coordinate(1, VersionVector::default(), 2);
        b.sync(&a);
        a.coordinate(0, a.read().context, 3);
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.sync(&b);
        ba.sync(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.read().writes, vec![3, 2]);
        let again = ab.clone();
        ab.sync(&again);
        assert_eq!(ab, again);
    }
}

//! Client reads in three modes (the Raft thesis, §6.4): ReadIndex (the leader notes its
//! commit index, confirms it still leads with a round of heartbeats acknowledged by a
//! majority, then answers), a lease (the leader answers at once while a majority acknowledged
//! a heartbeat it sent less than a minimum election timeout ago; followers then ignore
//! campaigns for that long), and stale (any server answers from what it has applied). Every
//! write and read goes into the client history the linearizability checker reads.

use super::config::ReadMode;
use super::sim::{KEY, Role, Sim, Status};
use crate::linearizability::{Op, OpKind};
use crate::time::Nanos;

/// Reads a leader holds: (history index, when its confirming round was sent).
type Waiting = Vec<(usize, Nanos)>;

impl Sim {
    /// What server `n` has applied: the write of its last committed entry.
    pub(super) fn applied_value(&self, n: u8) -> Option<u64> {
        let node = &self.nodes[usize::from(n)];
        node.commit.checked_sub(1).map(|i| node.log[i].value)
    }

    pub(super) fn client_read(&mut self) {
        let now = self.now;
        let up: Vec<u8> = (0..self.cfg.nodes)
            .filter(|&i| self.nodes[usize::from(i)].status == Status::Up)
            .filter(|&i| {
                self.cfg.read_mode == ReadMode::Stale
                    || self.nodes[usize::from(i)].role == Role::Leader
            })
            .collect();
        if up.is_empty() {
            self.stats.reads_refused += 1;
            return;
        }
        let n = up[self.rng.below(up.len() as u64) as usize];
        match self.cfg.read_mode {
            ReadMode::Stale => {
                let value = self.applied_value(n);
                self.served(n, now, value);
            }
            ReadMode::Lease => {
                if self.lease_valid(n) {
                    let value = self.applied_value(n);
                    self.served(n, now, value);
                } else {
                    self.stats.reads_refused += 1;
                }
            }
            ReadMode::ReadIndex => {
                let node = &self.nodes[usize::from(n)];
                // A new leader knows what is committed only once an entry of its own term is.
                let ready = node
                    .commit
                    .checked_sub(1)
                    .is_some_and(|i| node.log[i].term == node.term);
                if !ready {
                    self.stats.reads_refused += 1;
                    return;
                }
                let op = self.history.len();
                self.history.push(Op {
                    key: KEY,
                    kind: OpKind::Read(None),
                    call: now,
                    ret: None,
                });
                self.nodes[usize::from(n)].reads.push((op, now));
                self.log(|| format!("S{} confirms its leadership for a read", n + 1));
                for f in 0..self.cfg.nodes {
                    if f != n {
                        self.send_append(n, f);
                    }
                }
            }
        }
    }

    fn served(&mut self, n: u8, now: Nanos, value: Option<u64>) {
        self.stats.reads_served += 1;
        self.history.push(Op {
            key: KEY,
            kind: OpKind::Read(value),
            call: now,
            ret: Some(now),
        });
        self.log(|| {
            format!(
                "S{} answers a read: {}",
                n + 1,
                value.map_or("nothing written".to_owned(), |v| format!("write {v}"))
            )
        });
    }

    /// Whether leader `n`'s lease holds: a majority (itself included) acknowledged a
    /// heartbeat it sent less than a minimum election timeout ago.
    pub(super) fn lease_valid(&self, n: u8) -> bool {
        let node = &self.nodes[usize::from(n)];
        let mut acked: Vec<Nanos> = node
            .ack_at
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                if i == usize::from(n) {
                    Some(self.now)
                } else {
                    *a
                }
            })
            .collect();
        crate::sort::sort_by(&mut acked, |a, b| a > b);
        let min = Nanos::from_ms(u64::from(self.cfg.elect_min_ms));
        acked
            .get(self.cfg.majority() - 1)
            .is_some_and(|start| self.now < start.plus(min))
    }

    /// Follower `f` acknowledged an AppendEntries that leader `l` sent at `at` in `term`.
    pub(super) fn read_ack(&mut self, l: u8, f: u8, term: u64, at: Nanos) {
        let majority = self.cfg.majority();
        let node = &mut self.nodes[usize::from(l)];
        if node.role != Role::Leader || node.term != term || node.status != Status::Up {
            return;
        }
        let slot = &mut node.ack_at[usize::from(f)];
        *slot = Some(slot.map_or(at, |t| t.max(at)));
        if node.reads.is_empty() {
            return;
        }
        let acks = &node.ack_at;
        let (done, wait): (Waiting, Waiting) = node.reads.iter().partition(|&&(_, round)| {
            1 + acks
                .iter()
                .enumerate()
                .filter(|&(i, a)| i != usize::from(l) && a.is_some_and(|t| t >= round))
                .count()
                >= majority
        });
        node.reads = wait;
        let value = self.applied_value(l);
        for (op, _) in done {
            self.stats.reads_served += 1;
            self.history[op].kind = OpKind::Read(value);
            self.history[op].ret = Some(self.now);
        }
    }
}

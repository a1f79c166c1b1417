//! Elections and leadership (the paper's Figure 2, "Rules for Servers"): a timeout starts a
//! pre-vote or an election, a majority makes a leader, a higher term makes a follower, and the
//! leader's heartbeats carry AppendEntries to every follower.

use super::config::ReadMode;
use super::sim::{Ev, MAX_BATCH, Msg, Role, Sim, Status};
use crate::time::Nanos;

impl Sim {
    pub(super) fn election_timeout(&mut self, n: u8) {
        if self.cfg.prevote {
            let node = &mut self.nodes[usize::from(n)];
            node.role = Role::PreCandidate;
            node.votes = 1 << n;
            let (last_idx, last_term) = node.last();
            let term = node.term + 1;
            self.log(|| {
                format!(
                    "S{} times out and asks for pre-votes for term {term}",
                    n + 1
                )
            });
            self.reset_timer(n);
            self.broadcast(
                n,
                &Msg::Vote {
                    term,
                    last_idx,
                    last_term,
                    pre: true,
                },
            );
        } else {
            self.start_election(n);
        }
    }

    pub(super) fn start_election(&mut self, n: u8) {
        let node = &mut self.nodes[usize::from(n)];
        node.term += 1;
        node.role = Role::Candidate;
        node.voted_for = Some(n);
        node.votes = 1 << n;
        node.leader_contact = None;
        let term = node.term;
        let (last_idx, last_term) = node.last();
        self.stats.elections += 1;
        self.stats.terms.entry(term).or_default().0 += 1;
        self.log(|| format!("S{} starts an election for term {term}", n + 1));
        self.reset_timer(n);
        self.broadcast(
            n,
            &Msg::Vote {
                term,
                last_idx,
                last_term,
                pre: false,
            },
        );
    }

    pub(super) fn become_follower(&mut self, n: u8, term: u64) {
        let node = &mut self.nodes[usize::from(n)];
        let was_leader = node.role == Role::Leader;
        if term > node.term {
            node.term = term;
            node.voted_for = None;
        }
        node.role = Role::Follower;
        node.votes = 0;
        node.reads.clear();
        if was_leader {
            node.hb_epoch += 1;
            self.note_leader_loss_at(term);
            self.reset_timer(n);
        }
    }

    /// A leader that steps down leaves the cluster without one just as a crash does.
    pub(super) fn note_leader_loss_at(&mut self, _term: u64) {
        if self.leader_lost_at.is_none() && self.leader().is_none() {
            self.leader_lost_at = Some((self.now, self.max_term()));
        }
    }

    pub(super) fn become_leader(&mut self, n: u8) {
        let i = usize::from(n);
        let size = usize::from(self.cfg.nodes);
        let node = &mut self.nodes[i];
        node.role = Role::Leader;
        node.hb_epoch += 1;
        let len = node.log.len();
        node.next = vec![len + 1; size];
        node.matched = vec![0; size];
        node.matched[i] = len;
        node.acks = 1 << n;
        node.ack_at = vec![None; size];
        node.reads.clear();
        let (term, epoch) = (node.term, node.hb_epoch);
        self.stats.terms.entry(term).or_default().1 = true;
        if let Some((at, lost_term)) = self.leader_lost_at
            && term > lost_term
        {
            self.stats.election_times.push(self.now.since(at));
            self.leader_lost_at = None;
        }
        self.log(|| format!("S{} becomes leader of term {term}", n + 1));
        let now = self.now;
        if let Err(v) = self.safety.on_leader(n, term, &self.nodes[i].chain, now) {
            self.stop(v);
            return;
        }
        if self.cfg.check_quorum {
            let at = now.plus(Nanos::from_ms(u64::from(self.cfg.elect_min_ms)));
            self.push(at, Ev::CheckQuorum { node: n, epoch });
        }
        self.heartbeat(n);
    }

    pub(super) fn heartbeat(&mut self, n: u8) {
        for f in 0..self.cfg.nodes {
            if f != n {
                self.send_append(n, f);
            }
        }
        let node = &self.nodes[usize::from(n)];
        let epoch = node.hb_epoch;
        let at = self
            .now
            .plus(Nanos::from_ms(u64::from(self.cfg.heartbeat_ms)));
        self.push(at, Ev::Heartbeat { node: n, epoch });
    }

    /// The leader sends every follower what it is missing (a heartbeat if nothing) now, and
    /// its next heartbeat is one interval later: the synchronized broadcast of Figure 16.
    pub fn broadcast_now(&mut self, n: u8) {
        let node = &mut self.nodes[usize::from(n)];
        if node.role != Role::Leader || node.status != Status::Up {
            return;
        }
        node.hb_epoch += 1;
        self.heartbeat(n);
    }

    pub(super) fn send_append(&mut self, l: u8, f: u8) {
        let node = &self.nodes[usize::from(l)];
        let next = node.next[usize::from(f)].clamp(1, node.log.len() + 1);
        let prev_idx = next - 1;
        let end = node.log.len().min(prev_idx + MAX_BATCH);
        let msg = Msg::Append {
            term: node.term,
            prev_idx,
            prev_term: node.term_at(prev_idx),
            entries: node.log[prev_idx..end].to_vec(),
            commit: node.commit,
        };
        self.send(l, f, msg);
    }

    /// Whether servers ignore campaigns while they hear from a leader (check-quorum, and
    /// leases, which rely on it).
    pub(super) fn sticky(&self) -> bool {
        self.cfg.check_quorum || self.cfg.read_mode == ReadMode::Lease && self.cfg.read_rate > 0.0
    }

    pub(super) fn heard_leader_recently(&self, n: u8) -> bool {
        let min = Nanos::from_ms(u64::from(self.cfg.elect_min_ms));
        let node = &self.nodes[usize::from(n)];
        node.role == Role::Leader || node.leader_contact.is_some_and(|t| self.now.since(t) < min)
    }
}

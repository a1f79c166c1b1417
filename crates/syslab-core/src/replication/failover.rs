//! Leader and followers, the control path: heartbeats, the failure detector, failover (the
//! most up-to-date follower that a majority of suspecting replicas can reach is promoted in a
//! new epoch), replicas rejoining the current leader's history (their divergent entries
//! discarded), scheduled crashes and restarts, and the count of acknowledged writes the
//! current history no longer holds.
//!
//! The detector and the promotion are taken as instant and well informed (an orchestrator
//! that sees which links are cut), so what the lab shows is the cost of the replication and
//! fencing choices, not of a particular election protocol (the consensus lab has Raft's).

use super::modes::{Mode, Target};
use super::sim::{Event, Sim};
use super::wire::MsgKind;

impl Sim {
    /// The current leader (leader mode), the one it replaced last, and the epoch.
    pub fn leader(&self) -> Option<(u32, Option<u32>, u32)> {
        (self.cfg.mode == Mode::Leader).then_some((
            self.roles.leader,
            self.roles.deposed,
            self.roles.epoch,
        ))
    }

    /// Whether replica `i` is down.
    pub fn is_down(&self, i: u32) -> bool {
        self.down.get(i as usize).copied().unwrap_or(false)
    }

    /// Replica `i`'s log length, its epoch, and whether it believes it leads (leader mode).
    pub fn replica_state(&self, i: u32) -> (usize, u32, bool) {
        let r = &self.roles.replicas[i as usize];
        (r.log.len(), r.epoch, r.leads)
    }

    /// Whether replicas `a` and `b` are both up and can reach each other both ways now.
    fn reachable(&self, a: u32, b: u32) -> bool {
        !self.down[a as usize]
            && !self.down[b as usize]
            && !self.is_cut(a, b, self.now)
            && !self.is_cut(b, a, self.now)
    }

    /// Every heartbeat interval: each replica that believes it leads sends a heartbeat; then
    /// the failure detector may promote a follower, and replicas the current leader can reach
    /// rejoin its history.
    pub(super) fn beat(&mut self) {
        let n = self.cfg.n;
        for l in 0..n {
            let r = &self.roles.replicas[l as usize];
            if self.down[l as usize] || !r.leads {
                continue;
            }
            let (epoch, len) = (r.epoch, r.log.len() as u32);
            for f in 0..n {
                if f != l {
                    self.send(l, f, MsgKind::Heartbeat { epoch, len });
                }
            }
        }
        self.detect();
        self.reconcile();
    }

    /// Followers that have not heard from their leader for `detect_ms` suspect it; if a
    /// majority of the cluster suspects it, the most up-to-date suspect that can reach a
    /// majority of suspects (itself included) is promoted.
    fn detect(&mut self) {
        let n = self.cfg.n;
        let detect = u64::from(self.cfg.detect_ms) * 1_000_000;
        let majority = (n / 2 + 1) as usize;
        let suspects: Vec<u32> = (0..n)
            .filter(|&i| {
                let r = &self.roles.replicas[i as usize];
                !self.down[i as usize]
                    && !r.leads
                    && self.now.saturating_sub(r.last_heard) >= detect
            })
            .collect();
        if suspects.len() < majority {
            return;
        }
        let mut candidates = suspects.clone();
        crate::sort::sort_by_key(&mut candidates, |&i| {
            let (epoch, len) = self.roles.replicas[i as usize].freshness();
            (std::cmp::Reverse((epoch, len)), i)
        });
        for x in candidates {
            let group: Vec<u32> = suspects
                .iter()
                .copied()
                .filter(|&y| y == x || self.reachable(x, y))
                .collect();
            if group.len() >= majority {
                self.promote(x, &group);
                return;
            }
        }
    }

    /// Replica `x` leads a new epoch; the rest of `group` follow it.
    fn promote(&mut self, x: u32, group: &[u32]) {
        let old = self.roles.leader;
        self.roles.epoch += 1;
        if old != x {
            self.roles.deposed = Some(old);
        }
        self.roles.leader = x;
        self.counts.failovers += 1;
        let epoch = self.roles.epoch;
        let r = &mut self.roles.replicas[x as usize];
        r.leads = true;
        r.epoch = epoch;
        r.following = x;
        r.last_heard = self.now;
        r.reset_leader_state();
        for &y in group {
            if y != x {
                self.rejoin(y, x);
                // The promotion itself was acknowledged by the group: the new lease starts.
                self.roles.replicas[x as usize].beat_ok[y as usize] = self.now;
            }
        }
        self.recount_lost();
    }

    /// Replicas the current leader can reach that still follow another history (a deposed
    /// leader, its followers, a replica back from a crash) rejoin the leader's.
    fn reconcile(&mut self) {
        let l = self.roles.leader;
        if self.down[l as usize] || !self.roles.replicas[l as usize].leads {
            return;
        }
        for i in 0..self.cfg.n {
            let r = &self.roles.replicas[i as usize];
            let apart = r.epoch < self.roles.epoch || r.leads || r.following != l;
            if i != l && apart && self.reachable(l, i) {
                self.rejoin(i, l);
            }
        }
    }

    /// Replica `y` follows leader `x`: it keeps the part of its log it shares with `x`'s,
    /// drops the rest (counted as discarded), and is sent what it lacks.
    fn rejoin(&mut self, y: u32, x: u32) {
        let common = self.roles.common_prefix(y, x);
        let epoch = self.roles.replicas[x as usize].epoch;
        let r = &mut self.roles.replicas[y as usize];
        if common < r.log.len() {
            self.counts.discarded += (r.log.len() - common) as u64;
            r.log.truncate(common);
            let store = &mut self.store[y as usize];
            store.fill(None);
            for e in &r.log {
                store[e.key as usize] = Some(e.ver);
            }
        }
        r.leads = false;
        r.epoch = epoch;
        r.following = x;
        r.last_heard = self.now;
        r.reset_leader_state();
        let leader = &mut self.roles.replicas[x as usize];
        leader.matched[y as usize] = common as u32;
        leader.reported[y as usize] = common as u32;
        self.send_entries(x, y, common as u32);
    }

    /// Marks which writes the current leader's log holds, and counts every acknowledged
    /// write it does not hold as lost (a write can come back if a later leader has it).
    fn recount_lost(&mut self) {
        let mut held = vec![false; self.ops.len()];
        for e in &self.roles.replicas[self.roles.leader as usize].log {
            held[e.op as usize] = true;
        }
        let mut newly = 0;
        for (o, &h) in self.ops.iter_mut().zip(&held) {
            o.in_auth = h;
            if o.is_write && o.outcome == super::counts::Outcome::Ok && o.lost == h {
                o.lost = !h;
                if o.lost {
                    self.counts.acked_lost += 1;
                    newly += 1;
                } else {
                    self.counts.acked_lost -= 1;
                }
            }
        }
        self.tick_counts().lost += newly;
    }

    /// The scheduled crash or restart `idx`.
    pub(super) fn fault(&mut self, idx: u32) {
        let f = self.cfg.faults[idx as usize];
        if f.target == Target::Leader && self.cfg.mode == Mode::Leaderless {
            return;
        }
        let who = match (f.target, f.crash) {
            (Target::Replica(i), _) => i,
            (Target::Leader, true) => self.roles.leader,
            (Target::Leader, false) => match self.roles.crashed_leader {
                Some(i) => i,
                None => return,
            },
        };
        let i = who as usize;
        if f.crash == self.down[i] {
            return;
        }
        self.down[i] = f.crash;
        if f.crash {
            // What it had not delivered dies with it: a message's delay stands for its send
            // queue (a leader's unshipped log) as much as for the wire.
            let before = self.events.len();
            self.events
                .retain(|_, e| !matches!(e, Event::Deliver(m) if m.from == who));
            self.counts.dropped += (before - self.events.len()) as u64;
            if f.target == Target::Leader {
                self.roles.crashed_leader = Some(who);
            }
            self.roles.replicas[i].reset_leader_state();
        } else if self.cfg.mode == Mode::Leader {
            self.roles.replicas[i].last_heard = self.now;
        }
    }
}

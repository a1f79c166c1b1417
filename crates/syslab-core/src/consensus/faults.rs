//! The fault schedule's effects on the cluster and its network ([`FaultKind`]): crashes and
//! restarts, pauses and resumes, forced timeouts, cut and healed links, partitions and
//! client writes, each applied at its moment (after every event at or before it).

use super::config::{Fault, FaultKind, Target};
use super::sim::{Role, Sim, Status};
use crate::time::Nanos;

impl Sim {
    /// Applies `fault` now: a live click. The caller has run to now and records the fault
    /// in the scenario after the ones already applied.
    pub fn apply_now(&mut self, fault: &Fault) {
        self.faults.insert(self.next_fault, fault.clone());
        let at = self.now;
        self.fire_fault(at);
    }

    pub(super) fn fire_fault(&mut self, at: Nanos) {
        self.now = self.now.max(at);
        let kind = self.faults[self.next_fault].kind.clone();
        self.next_fault += 1;
        match kind {
            FaultKind::Crash(t) => {
                if let Some(n) = self.target(t) {
                    self.crash(n);
                }
            }
            FaultKind::Pause(t) => {
                if let Some(n) = self.target(t) {
                    self.pause(n);
                }
            }
            FaultKind::Restart(n) => self.restart(n),
            FaultKind::Resume(n) => self.resume(n),
            FaultKind::Timeout(n) => {
                let node = &self.nodes[usize::from(n)];
                if node.status == Status::Up && node.role != Role::Leader {
                    self.log(|| format!("S{} is forced to time out", n + 1));
                    self.election_timeout(n);
                }
            }
            FaultKind::Cut { from, to, both } => self.set_link(from, to, both, true),
            FaultKind::Heal { from, to, both } => self.set_link(from, to, both, false),
            FaultKind::Partition(groups) => {
                let n = usize::from(self.cfg.nodes);
                let group = |i: usize| groups.get(i).copied().unwrap_or(u8::MAX);
                for a in 0..n {
                    for b in 0..n {
                        self.cut[a][b] = a != b && group(a) != group(b);
                    }
                }
                self.log(|| format!("partition {groups:?}"));
            }
            FaultKind::HealAll => {
                for row in &mut self.cut {
                    row.fill(false);
                }
                self.log(|| "every link healed".to_owned());
            }
            FaultKind::Write => self.client_write(),
        }
    }

    pub(super) fn target(&self, t: Target) -> Option<u8> {
        match t {
            Target::Node(n) => Some(n),
            Target::Leader => self.leader(),
        }
    }

    pub(super) fn set_link(&mut self, from: u8, to: u8, both: bool, cut: bool) {
        let (a, b) = (usize::from(from), usize::from(to));
        if a == b {
            return;
        }
        self.cut[a][b] = cut;
        if both {
            self.cut[b][a] = cut;
        }
        let verb = if cut { "cut" } else { "healed" };
        let arrow = if both { "—" } else { "→" };
        self.log(|| format!("link S{}{arrow}S{} {verb}", from + 1, to + 1));
    }

    /// Crashes node `n`: volatile state is lost, term, vote and log are kept.
    pub fn crash(&mut self, n: u8) {
        let i = usize::from(n);
        if self.nodes[i].status == Status::Crashed {
            return;
        }
        self.note_leader_loss(n);
        let node = &mut self.nodes[i];
        node.status = Status::Crashed;
        node.role = Role::Follower;
        node.commit = 0;
        node.votes = 0;
        node.acks = 0;
        node.leader_contact = None;
        node.due_while_paused = false;
        node.reads.clear();
        node.timer_epoch += 1;
        node.hb_epoch += 1;
        self.log(|| format!("S{} crashes", n + 1));
    }

    pub(super) fn restart(&mut self, n: u8) {
        if self.nodes[usize::from(n)].status != Status::Crashed {
            return;
        }
        self.nodes[usize::from(n)].status = Status::Up;
        self.log(|| format!("S{} restarts", n + 1));
        self.reset_timer(n);
    }

    pub(super) fn pause(&mut self, n: u8) {
        if self.nodes[usize::from(n)].status != Status::Up {
            return;
        }
        self.note_leader_loss(n);
        self.nodes[usize::from(n)].status = Status::Paused;
        self.log(|| format!("S{} pauses", n + 1));
    }

    pub(super) fn resume(&mut self, n: u8) {
        let i = usize::from(n);
        if self.nodes[i].status != Status::Paused {
            return;
        }
        self.nodes[i].status = Status::Up;
        self.log(|| format!("S{} resumes", n + 1));
        if std::mem::take(&mut self.nodes[i].due_while_paused) {
            if self.nodes[i].role == Role::Leader {
                self.heartbeat(n);
            } else {
                self.election_timeout(n);
            }
        }
    }

    pub(super) fn note_leader_loss(&mut self, n: u8) {
        if self.leader() == Some(n) {
            self.leader_lost_at = Some((self.now, self.nodes[usize::from(n)].term));
        }
    }
}

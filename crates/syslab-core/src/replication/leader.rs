//! Leader and followers, the data path: a client's replica forwards its write to the leader
//! it knows; the leader appends it to its log, streams the entry to every follower, and
//! acknowledges it at once (asynchronous), after `acks` followers have it
//! (semi-synchronous) or after all of them (synchronous). Reads go to the leader or are
//! answered by the client's own replica from what it holds. With fencing a leader serves
//! only while it holds its lease, and followers tell a leader of an older epoch so. The
//! leader's reads see a write once it is acknowledged; a follower's, once it has it.

use super::modes::ReadFrom;
use super::sim::Sim;
use super::wire::{Entry, Msg, MsgKind, Version};

/// The most entries a leader sends again to a follower that made no progress in a heartbeat.
const RESEND_MAX: u32 = 512;

impl Sim {
    /// Leader mode: operation `id` (just recorded) starts at its client's replica.
    pub(super) fn leader_start(&mut self, id: u32) {
        let o = &self.ops[id as usize];
        let (home, key, is_write) = (o.coord, o.key, o.is_write);
        if self.down[home as usize] {
            return;
        }
        let target = self.roles.replicas[home as usize].following;
        if !is_write && self.cfg.read_from == ReadFrom::Followers {
            let ver = self.store[home as usize][key as usize];
            self.ops[id as usize].ver = ver;
            self.finish(id, true);
        } else if target != home {
            let kind = if is_write {
                MsgKind::ClientWrite { op: id, key }
            } else {
                MsgKind::ReadReq { op: id, key }
            };
            self.send(home, target, kind);
        } else if is_write {
            self.leader_write(home, id);
        } else {
            self.leader_read(home, id);
        }
    }

    /// Whether replica `at` may serve clients as the leader now.
    fn serves(&self, at: u32) -> bool {
        let r = &self.roles.replicas[at as usize];
        r.leads
            && (!self.cfg.fence
                || self.roles.lease_held(
                    at,
                    self.now,
                    u64::from(self.cfg.detect_ms) * 1_000_000,
                    self.cfg.n,
                ))
    }

    /// Tells the client's replica (or the client, if it is this one) that `op` is refused.
    fn refuse(&mut self, at: u32, op: u32) {
        let home = self.ops[op as usize].coord;
        if home == at {
            self.end_pending(op, false);
        } else {
            self.send(at, home, MsgKind::Refuse { op });
        }
    }

    fn end_pending(&mut self, op: u32, ok: bool) {
        if self.ops[op as usize].outcome == super::counts::Outcome::Pending {
            self.finish(op, ok);
        }
    }

    fn leader_write(&mut self, at: u32, op: u32) {
        if !self.serves(at) {
            self.refuse(at, op);
            return;
        }
        let r = &mut self.roles.replicas[at as usize];
        let seq = r.log.len() as u32 + 1;
        let o = &mut self.ops[op as usize];
        let ver = Version {
            ts: (i64::from(r.epoch) << 32) | i64::from(seq),
            write: o.ver.map_or(0, |v| v.write),
        };
        o.ver = Some(ver);
        let entry = Entry {
            op,
            key: o.key,
            ver,
            epoch: r.epoch,
        };
        r.log.push(entry);
        o.in_auth = at == self.roles.leader && r.epoch == self.roles.epoch;
        // Reads at the leader see a write once it is acknowledged (MySQL's AFTER_SYNC): with
        // synchronous followers they never see one a failover could take back.
        if self.cfg.follower_acks() == 0 {
            self.store[at as usize][entry.key as usize] = Some(ver);
        }
        for to in 0..self.cfg.n {
            if to != at {
                self.send(at, to, MsgKind::Replicate { seq, entry });
            }
        }
        if self.cfg.follower_acks() == 0 {
            self.acknowledge(at, op);
        } else {
            self.roles.replicas[at as usize]
                .pending
                .push_back((seq, op));
        }
    }

    fn leader_read(&mut self, at: u32, op: u32) {
        if !self.serves(at) {
            self.refuse(at, op);
            return;
        }
        let key = self.ops[op as usize].key;
        let ver = self.store[at as usize][key as usize];
        let home = self.ops[op as usize].coord;
        if home == at {
            self.ops[op as usize].ver = ver;
            self.end_pending(op, true);
        } else {
            self.send(at, home, MsgKind::ReadResp { op, ver });
        }
    }

    /// The leader acknowledges write `op` to its client's replica.
    fn acknowledge(&mut self, at: u32, op: u32) {
        if self.roles.replicas[at as usize].epoch < self.roles.epoch || at != self.roles.leader {
            self.counts.deposed_acks += 1;
        }
        let o = &self.ops[op as usize];
        let (home, key) = (o.coord, o.key);
        self.store[at as usize][key as usize] = o.ver;
        if home == at {
            self.end_pending(op, true);
        } else {
            self.send(at, home, MsgKind::WriteAck { op });
        }
    }

    /// Leader `at` learns that follower `from` holds `len` entries: writes that now have
    /// enough followers are acknowledged, in log order.
    fn matched(&mut self, at: u32, from: u32, len: u32) {
        let r = &mut self.roles.replicas[at as usize];
        let m = &mut r.matched[from as usize];
        *m = (*m).max(len);
        let need = self.cfg.follower_acks();
        while let Some(&(seq, op)) = self.roles.replicas[at as usize].pending.front() {
            if self.roles.holding(at, seq) < need {
                break;
            }
            self.roles.replicas[at as usize].pending.pop_front();
            self.acknowledge(at, op);
        }
    }

    /// Whether follower `to` takes messages from `from` as its leader's; if not, with
    /// fencing, it tells a sender of an older epoch about the newer one.
    fn takes_from(&mut self, to: u32, from: u32, epoch: u32) -> bool {
        let r = &self.roles.replicas[to as usize];
        if r.following == from && !r.leads {
            return true;
        }
        if self.cfg.fence && epoch < r.epoch {
            let epoch = r.epoch;
            self.send(to, from, MsgKind::Reject { epoch });
        }
        false
    }

    /// Sends follower `to` entries `from_len + 1 ..` of leader `at`'s log (at most
    /// [`RESEND_MAX`]).
    pub(super) fn send_entries(&mut self, at: u32, to: u32, from_len: u32) {
        let len = self.roles.replicas[at as usize].log.len() as u32;
        for seq in from_len + 1..=len.min(from_len + RESEND_MAX) {
            let entry = self.roles.replicas[at as usize].log[seq as usize - 1];
            self.send(at, to, MsgKind::Replicate { seq, entry });
        }
    }

    /// Leader mode: a message arrives at a replica that is up.
    pub(super) fn leader_deliver(&mut self, msg: Msg) {
        let (at, from) = (msg.to, msg.from);
        match msg.kind {
            MsgKind::ClientWrite { op, .. } => self.leader_write(at, op),
            MsgKind::ReadReq { op, .. } => self.leader_read(at, op),
            MsgKind::WriteAck { op } => self.end_pending(op, true),
            MsgKind::Refuse { op } => self.end_pending(op, false),
            MsgKind::ReadResp { op, ver } => {
                if self.ops[op as usize].outcome == super::counts::Outcome::Pending {
                    self.ops[op as usize].ver = ver;
                    self.finish(op, true);
                }
            }
            MsgKind::Replicate { seq, entry } => {
                if !self.takes_from(at, from, entry.epoch) {
                    return;
                }
                let r = &mut self.roles.replicas[at as usize];
                r.last_heard = self.now;
                let len = r.log.len() as u32;
                if seq == len + 1 {
                    r.log.push(entry);
                    self.store[at as usize][entry.key as usize] = Some(entry.ver);
                }
                // A gap (an entry lost on the way) waits for the next heartbeat's resend.
                let len = self.roles.replicas[at as usize].log.len() as u32;
                if seq <= len {
                    self.send(at, from, MsgKind::ReplAck { len });
                }
            }
            MsgKind::ReplAck { len } => {
                if self.roles.replicas[at as usize].leads {
                    self.matched(at, from, len);
                }
            }
            MsgKind::Heartbeat { epoch, .. } => {
                if !self.takes_from(at, from, epoch) {
                    return;
                }
                let r = &mut self.roles.replicas[at as usize];
                r.last_heard = self.now;
                let len = r.log.len() as u32;
                self.send(
                    at,
                    from,
                    MsgKind::HeartbeatAck {
                        echo: msg.sent,
                        len,
                    },
                );
            }
            MsgKind::HeartbeatAck { echo, len } => {
                if !self.roles.replicas[at as usize].leads {
                    return;
                }
                let r = &mut self.roles.replicas[at as usize];
                let f = from as usize;
                r.beat_ok[f] = r.beat_ok[f].max(echo);
                let stuck = len == r.reported[f] && (len as usize) < r.log.len();
                r.reported[f] = len;
                self.matched(at, from, len);
                if stuck {
                    self.send_entries(at, from, len);
                }
            }
            MsgKind::Reject { epoch } => {
                let r = &mut self.roles.replicas[at as usize];
                if epoch > r.epoch && r.leads {
                    // Fenced: it steps down and refuses clients until it rejoins.
                    r.leads = false;
                    r.epoch = epoch;
                    r.reset_leader_state();
                }
            }
            MsgKind::WriteReq { .. } | MsgKind::Repair { .. } => {}
        }
    }
}

//! The traffic simulation: clients, coordinators and replicas exchanging messages over the
//! lossy, partitionable network, leaderless (Dynamo style) with N, R, W, last-write-wins by
//! the coordinator's skewed clock, and read repair; and the accounting of what each client
//! saw. With a leader (`mode=leader`) the same clients, network, crashes and accounting
//! drive the leader's data path (`leader.rs`) and its failover (`failover.rs`).
//!
//! Client c talks to replica c mod N, which coordinates its operations: it applies a write
//! locally with a timestamp from its own clock and sends it to every other replica, and
//! answers once W replicas (itself included) have it; a read asks every replica and answers
//! with the newest of the first R replies. Events are processed in time order, ties by the
//! order they were scheduled, so a run is a function of its config.

use std::collections::BTreeMap;

use super::config::{Policy, ReplConfig, Route};
use super::counts::{Counts, Outcome, TickCounts};
use super::latency::{Leg, exponential};
use super::merkle::MerkleTree;
use super::modes::Mode;
use super::roles::Roles;
use super::wire::{Msg, MsgKind, Version};
use crate::linearizability as lin;
use crate::rng::SplitMix64;
use crate::time::Nanos;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Event {
    Arrival {
        client: u32,
    },
    /// A round of anti-entropy: every replica compares trees with one peer.
    AntiEntropy {
        round: u32,
    },
    Deliver(Msg),
    Timeout {
        op: u32,
    },
    /// With a leader: heartbeats, then the failure detector and failover.
    Beat,
    /// The scheduled crash or restart `idx` of the `fail` list.
    Fault {
        idx: u32,
    },
}

#[derive(Clone, Debug)]
pub(super) struct Op {
    pub(super) client: u32,
    /// The replica that coordinates it (leaderless) or that the client talks to (leader).
    pub(super) coord: u32,
    pub(super) key: u32,
    pub(super) is_write: bool,
    pub(super) outcome: Outcome,
    /// Writes: its version. Reads: the newest version seen so far.
    pub(super) ver: Option<Version>,
    replies: u32,
    /// Reads: who replied with what (for read repair).
    answers: Vec<(u32, Option<Version>)>,
    /// With a leader: whether the write is in the current leader's log, and whether it was
    /// counted as acknowledged then lost.
    pub(super) in_auth: bool,
    pub(super) lost: bool,
    /// Snapshots at the start: the newest version of a write that had ended (writes), the
    /// last write acknowledged (reads), this client's own last acknowledged write and last
    /// read value on the key (reads).
    ended_before: Option<Version>,
    acked_before: Option<Version>,
    own_before: Option<Version>,
    read_before: Option<Version>,
    /// When the client called it and when it got its answer, ns (`ret` is 0 while pending).
    call: u64,
    ret: u64,
}

/// The simulation.
#[derive(Clone, Debug)]
pub struct Sim {
    pub(super) cfg: ReplConfig,
    pub(super) rng: SplitMix64,
    pub(super) now: u64,
    pub(super) seq: u64,
    pub(super) events: BTreeMap<(u64, u64), Event>,
    pub(super) ops: Vec<Op>,
    /// Each replica's newest version of each key.
    pub(super) store: Vec<Vec<Option<Version>>>,
    /// Each replica's Merkle tree over `store`, kept up to date (with anti-entropy only).
    pub(super) trees: Vec<MerkleTree>,
    /// Per key: the newest version of writes that have ended; the last acknowledged write.
    pub(super) ended: Vec<Option<Version>>,
    pub(super) acked: Vec<Option<Version>>,
    pub(super) own: BTreeMap<(u32, u32), Version>,
    pub(super) seen: BTreeMap<(u32, u32), Version>,
    pub counts: Counts,
    /// Operations (stale reads, refusals, lost writes) per tick, for the chart.
    pub series: Vec<TickCounts>,
    pub(super) writes_made: u32,
    /// Replicas that are down (crashed): they send nothing and lose what reaches them.
    pub(super) down: Vec<bool>,
    /// With a leader: roles, epochs, logs.
    pub(super) roles: Roles,
    /// With a leader: when the last log entry sent on each link arrives (streams are ordered).
    pub(super) link_free: Vec<u64>,
}

const MS: f64 = 1e6;

impl Sim {
    /// A run of `cfg` (which should be valid) at time 0.
    pub fn new(cfg: &ReplConfig) -> Sim {
        let n = cfg.n as usize;
        let mut sim = Sim {
            cfg: cfg.clone(),
            rng: SplitMix64::new(cfg.seed),
            now: 0,
            seq: 0,
            events: BTreeMap::new(),
            ops: Vec::new(),
            store: vec![vec![None; cfg.keys as usize]; n],
            trees: if cfg.anti_entropy_ms > 0 {
                vec![MerkleTree::build(&vec![None; cfg.keys as usize]); n]
            } else {
                Vec::new()
            },
            ended: vec![None; cfg.keys as usize],
            acked: vec![None; cfg.keys as usize],
            own: BTreeMap::new(),
            seen: BTreeMap::new(),
            counts: Counts::default(),
            series: Vec::new(),
            writes_made: 0,
            down: vec![false; n],
            roles: Roles::new(cfg.n),
            link_free: if cfg.mode == Mode::Leader {
                vec![0; n * n]
            } else {
                Vec::new()
            },
        };
        for client in 0..cfg.clients {
            let gap = sim.gap();
            sim.schedule(gap, Event::Arrival { client });
        }
        if cfg.anti_entropy_ms > 0 {
            let every = u64::from(cfg.anti_entropy_ms) * 1_000_000;
            sim.schedule(every, Event::AntiEntropy { round: 0 });
        }
        if cfg.mode == Mode::Leader {
            sim.schedule(cfg.heartbeat_ns(), Event::Beat);
        }
        for (idx, f) in cfg.faults.iter().enumerate() {
            sim.schedule(f.at_ms * 1_000_000, Event::Fault { idx: idx as u32 });
        }
        sim
    }

    /// Simulated time, ns.
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn config(&self) -> &ReplConfig {
        &self.cfg
    }

    /// Replica `i`'s clock offset, ns: spread evenly from −skew to +skew.
    pub fn offset(&self, i: u32) -> i64 {
        let spread = f64::from(i) / f64::from(self.cfg.n - 1) * 2.0 - 1.0;
        libm::round(spread * self.cfg.skew_ms * MS) as i64
    }

    /// Each replica's version of key `key`.
    pub fn versions(&self, key: u32) -> Vec<Option<Version>> {
        self.store.iter().map(|s| s[key as usize]).collect()
    }

    /// How many keys replica `i` holds at the newest version any replica has.
    pub fn up_to_date(&self, i: usize) -> u32 {
        (0..self.cfg.keys as usize)
            .filter(|&k| {
                let best = self.store.iter().map(|s| s[k]).max().flatten();
                self.store[i][k] == best
            })
            .count() as u32
    }

    /// What the clients saw, as a history for the linearizability checker, with each entry's
    /// operation number. A write's value is its write number; a refused or unanswered write
    /// may still have reached replicas, so it is pending (it may or may not have taken
    /// effect); a read that was refused or not yet answered returned nothing and is left out.
    pub fn history(&self) -> (Vec<lin::Op>, Vec<u32>) {
        let mut ops = Vec::new();
        let mut ids = Vec::new();
        for (id, o) in self.ops.iter().enumerate() {
            let answered = o.outcome == Outcome::Ok;
            let op = if o.is_write {
                lin::Op {
                    key: o.key,
                    kind: lin::OpKind::Write(o.ver.map_or(0, |v| u64::from(v.write))),
                    call: Nanos(o.call),
                    ret: answered.then_some(Nanos(o.ret)),
                }
            } else if answered {
                lin::Op {
                    key: o.key,
                    kind: lin::OpKind::Read(o.ver.map(|v| u64::from(v.write))),
                    call: Nanos(o.call),
                    ret: Some(Nanos(o.ret)),
                }
            } else {
                continue;
            };
            ops.push(op);
            ids.push(id as u32);
        }
        (ops, ids)
    }

    /// Operation `id`'s client, and its call and return times, ns.
    pub fn op_times(&self, id: u32) -> Option<(u32, u64, u64)> {
        self.ops.get(id as usize).map(|o| (o.client, o.call, o.ret))
    }

    /// Messages on the wire now, oldest first.
    pub fn in_flight(&self) -> impl Iterator<Item = &Msg> {
        self.events.values().filter_map(|e| match e {
            Event::Deliver(m) => Some(m),
            _ => None,
        })
    }

    /// Whether a message from `a` to `b` sent now would be cut.
    pub fn is_cut(&self, a: u32, b: u32, at_ns: u64) -> bool {
        let ms = at_ns as f64 / MS;
        self.cfg.cuts.iter().any(|c| c.blocks(a, b, ms))
    }

    fn gap(&mut self) -> u64 {
        let per_client_ms = 1_000.0 * f64::from(self.cfg.clients) / self.cfg.rate;
        (exponential(&mut self.rng, per_client_ms) * MS) as u64
    }

    pub(super) fn schedule(&mut self, delay: u64, event: Event) {
        let at = self.now.saturating_add(delay);
        self.seq += 1;
        self.events.insert((at, self.seq), event);
    }

    pub(super) fn send(&mut self, from: u32, to: u32, kind: MsgKind) {
        if self.down[from as usize] {
            return;
        }
        self.counts.messages += 1;
        let leg = match kind {
            MsgKind::WriteReq { .. } | MsgKind::Replicate { .. } => Leg::Write,
            _ => Leg::Other,
        };
        let delay = self.cfg.delays().between(&mut self.rng, leg, from != to);
        let lost = self.cfg.loss > 0.0 && self.rng.unit_f64() < self.cfg.loss;
        if lost || self.is_cut(from, to, self.now) {
            self.counts.dropped += 1;
            return;
        }
        let mut d = (delay * MS) as u64;
        if !self.link_free.is_empty() && matches!(kind, MsgKind::Replicate { .. }) {
            // A leader's log stream is one ordered connection per follower, as TCP: an entry
            // never overtakes the one sent before it.
            let link = &mut self.link_free[(from * self.cfg.n + to) as usize];
            d = d.max(link.saturating_sub(self.now));
            *link = self.now + d;
        }
        let msg = Msg {
            from,
            to,
            sent: self.now,
            arrives: self.now.saturating_add(d),
            kind,
        };
        self.schedule(d, Event::Deliver(msg));
    }

    /// Processes every event up to `until` ns (inclusive), then sets the clock to it.
    pub fn run_until(&mut self, until: u64) {
        while let Some(entry) = self.events.first_entry() {
            if entry.key().0 > until {
                break;
            }
            let ((at, _), event) = entry.remove_entry();
            self.now = at;
            self.handle(event);
        }
        // Draining to the end leaves the clock at the last event.
        if until != u64::MAX {
            self.now = until;
        }
    }

    /// Whether nothing is left to happen (after the run's end, arrivals stop).
    pub fn idle(&self) -> bool {
        self.events.is_empty()
    }

    pub(super) fn end_ns(&self) -> u64 {
        u64::from(self.cfg.duration_ms) * 1_000_000
    }

    pub(super) fn tick_counts(&mut self) -> &mut TickCounts {
        let tick = (self.now / (u64::from(self.cfg.tick_ms) * 1_000_000)) as usize;
        let tick = tick.min(self.cfg.n_ticks() as usize);
        if self.series.len() <= tick {
            self.series.resize(tick + 1, TickCounts::default());
        }
        &mut self.series[tick]
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrival { client } => {
                if self.now >= self.end_ns() {
                    return;
                }
                self.start_op(client);
                let gap = self.gap();
                self.schedule(gap, Event::Arrival { client });
            }
            Event::Timeout { op } => {
                let o = &self.ops[op as usize];
                if o.outcome != Outcome::Pending {
                    return;
                }
                let leader = self.cfg.mode == Mode::Leader;
                let give_up = leader || o.replies == 0 || self.cfg.policy == Policy::Cp;
                self.finish(op, !give_up);
            }
            Event::Beat => {
                if self.now < self.end_ns() {
                    self.beat();
                    let every = self.cfg.heartbeat_ns();
                    self.schedule(every, Event::Beat);
                }
            }
            Event::Fault { idx } => self.fault(idx),
            Event::Deliver(msg) => self.deliver(msg),
            Event::AntiEntropy { round } => {
                if self.now >= self.end_ns() {
                    return;
                }
                self.anti_entropy(round);
                let every = u64::from(self.cfg.anti_entropy_ms) * 1_000_000;
                self.schedule(every, Event::AntiEntropy { round: round + 1 });
            }
        }
    }

    fn start_op(&mut self, client: u32) {
        let cfg = &self.cfg;
        let coord = match cfg.route {
            Route::Sticky => client % cfg.n,
            Route::Random => self.rng.below(u64::from(cfg.n)) as u32,
        };
        let cfg = &self.cfg;
        let is_write = self.rng.unit_f64() < cfg.write_share;
        let key = if self.rng.unit_f64() < cfg.hot {
            0
        } else {
            self.rng.below(u64::from(cfg.keys)) as u32
        };
        let id = self.ops.len() as u32;
        let k = key as usize;
        let mut op = Op {
            client,
            coord,
            key,
            is_write,
            outcome: Outcome::Pending,
            ver: None,
            replies: 0,
            answers: Vec::new(),
            ended_before: self.ended[k],
            acked_before: self.acked[k],
            own_before: self.own.get(&(client, key)).copied(),
            read_before: self.seen.get(&(client, key)).copied(),
            call: self.now,
            ret: 0,
            in_auth: false,
            lost: false,
        };
        let timeout = u64::from(self.cfg.timeout_ms) * 1_000_000;
        if self.cfg.mode == Mode::Leader {
            if is_write {
                self.counts.writes += 1;
                self.writes_made += 1;
                op.ver = Some(Version {
                    ts: 0,
                    write: self.writes_made,
                });
            } else {
                self.counts.reads += 1;
            }
            self.ops.push(op);
            self.schedule(timeout, Event::Timeout { op: id });
            self.leader_start(id);
            return;
        }
        if self.down[coord as usize] {
            // Its replica is down: nobody answers, and the timeout refuses it.
            self.counts.writes += u64::from(is_write);
            self.counts.reads += u64::from(!is_write);
            self.ops.push(op);
            self.schedule(timeout, Event::Timeout { op: id });
            return;
        }
        if is_write {
            self.counts.writes += 1;
            self.writes_made += 1;
            let ver = Version {
                ts: self.now as i64 + self.offset(coord),
                write: self.writes_made,
            };
            op.ver = Some(ver);
            self.ops.push(op);
            // The coordinator's own copy first, then every other replica.
            self.apply_write(coord, key, ver);
            self.on_write_ack(id);
            for to in 0..self.cfg.n {
                if to != coord {
                    self.send(coord, to, MsgKind::WriteReq { op: id, key, ver });
                }
            }
        } else {
            self.counts.reads += 1;
            self.ops.push(op);
            let local = self.store[coord as usize][k];
            self.on_read_resp(id, coord, local);
            for to in 0..self.cfg.n {
                if to != coord {
                    self.send(coord, to, MsgKind::ReadReq { op: id, key });
                }
            }
        }
        self.schedule(timeout, Event::Timeout { op: id });
    }

    pub(super) fn apply_write(&mut self, replica: u32, key: u32, ver: Version) {
        let slot = &mut self.store[replica as usize][key as usize];
        if slot.is_none_or(|v| ver > v) {
            *slot = Some(ver);
            if let Some(tree) = self.trees.get_mut(replica as usize) {
                tree.set(key as usize, Some((ver.ts, ver.write)));
            }
        }
    }

    fn deliver(&mut self, msg: Msg) {
        if self.down[msg.to as usize] {
            self.counts.dropped += 1;
            return;
        }
        if self.cfg.mode == Mode::Leader {
            self.leader_deliver(msg);
            return;
        }
        match msg.kind {
            MsgKind::WriteReq { op, key, ver } => {
                self.apply_write(msg.to, key, ver);
                self.send(msg.to, msg.from, MsgKind::WriteAck { op });
            }
            MsgKind::WriteAck { op } => self.on_write_ack(op),
            MsgKind::ReadReq { op, key } => {
                let ver = self.store[msg.to as usize][key as usize];
                self.send(msg.to, msg.from, MsgKind::ReadResp { op, ver });
            }
            MsgKind::ReadResp { op, ver } => self.on_read_resp(op, msg.from, ver),
            MsgKind::Repair { key, ver } => self.apply_write(msg.to, key, ver),
            // Only the leader mode sends the others.
            _ => {}
        }
    }

    fn on_write_ack(&mut self, op: u32) {
        let o = &mut self.ops[op as usize];
        o.replies += 1;
        if o.outcome == Outcome::Pending && o.replies >= self.cfg.w {
            self.finish(op, true);
        }
    }

    fn on_read_resp(&mut self, op: u32, from: u32, ver: Option<Version>) {
        let o = &mut self.ops[op as usize];
        o.replies += 1;
        o.answers.push((from, ver));
        if o.outcome == Outcome::Pending {
            o.ver = o.ver.max(ver);
            if o.replies >= self.cfg.r {
                self.finish(op, true);
            }
        } else if self.cfg.read_repair && o.outcome == Outcome::Ok {
            // A late reply: repair it if it is behind what the read returned.
            if let Some(best) = o.ver
                && ver < Some(best)
            {
                let (coord, key) = (o.coord, o.key);
                self.counts.repairs += 1;
                self.send(coord, from, MsgKind::Repair { key, ver: best });
            }
        }
    }

    pub(super) fn finish(&mut self, op: u32, ok: bool) {
        let o = &mut self.ops[op as usize];
        o.outcome = if ok { Outcome::Ok } else { Outcome::Refused };
        o.ret = self.now;
        let (key, client, ver) = (o.key, o.client, o.ver);
        let k = key as usize;
        if o.is_write {
            let ver = ver.unwrap_or(Version { ts: 0, write: 0 });
            self.ended[k] = self.ended[k].max(Some(ver));
            if ok {
                let lost = if self.cfg.mode == Mode::Leader {
                    !o.in_auth
                } else {
                    o.ended_before > Some(ver)
                };
                o.lost = lost;
                self.counts.writes_acked += 1;
                self.acked[k] = Some(ver);
                self.own.insert((client, key), ver);
                if lost {
                    self.counts.acked_lost += 1;
                    self.tick_counts().lost += 1;
                }
            } else {
                self.counts.writes_refused += 1;
                self.tick_counts().refused += 1;
            }
            return;
        }
        if !ok {
            self.counts.reads_refused += 1;
            self.tick_counts().refused += 1;
            return;
        }
        self.counts.reads_ok += 1;
        let stale = ver < o.acked_before;
        let ryw = ver < o.own_before;
        let mono = ver < o.read_before;
        let repairs: Vec<u32> = if self.cfg.read_repair {
            o.answers
                .iter()
                .filter(|(_, v)| *v < ver)
                .map(|(r, _)| *r)
                .collect()
        } else {
            Vec::new()
        };
        let coord = o.coord;
        self.counts.stale_reads += u64::from(stale);
        self.counts.ryw_violations += u64::from(ryw);
        self.counts.monotonic_violations += u64::from(mono);
        let t = self.tick_counts();
        t.ok += 1;
        t.stale += u32::from(stale);
        if let Some(v) = ver {
            let seen = self.seen.entry((client, key)).or_insert(v);
            *seen = (*seen).max(v);
            for to in repairs {
                self.counts.repairs += 1;
                if to == coord {
                    self.apply_write(to, key, v);
                } else {
                    self.send(coord, to, MsgKind::Repair { key, ver: v });
                }
            }
        }
    }
}

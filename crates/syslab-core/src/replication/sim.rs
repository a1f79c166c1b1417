//! The traffic simulation: clients, coordinators and replicas exchanging messages over the
//! lossy, partitionable network, leaderless (Dynamo style) with N, R, W, last-write-wins by
//! the coordinator's skewed clock, and read repair; and the accounting of what each client
//! saw.
//!
//! Client c talks to replica c mod N, which coordinates its operations: it applies a write
//! locally with a timestamp from its own clock and sends it to every other replica, and
//! answers once W replicas (itself included) have it; a read asks every replica and answers
//! with the newest of the first R replies. Events are processed in time order, ties by the
//! order they were scheduled, so a run is a function of its config.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::{Policy, ReplConfig, Route};
use super::latency::{Leg, exponential};
use super::merkle::MerkleTree;
pub use super::merkle::Version;
use crate::linearizability as lin;
use crate::rng::SplitMix64;
use crate::time::Nanos;

/// What a message carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgKind {
    WriteReq { op: u32, key: u32, ver: Version },
    WriteAck { op: u32 },
    ReadReq { op: u32, key: u32 },
    ReadResp { op: u32, ver: Option<Version> },
    Repair { key: u32, ver: Version },
}

/// A message on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg {
    pub from: u32,
    pub to: u32,
    /// When it was sent and when it arrives, ns.
    pub sent: u64,
    pub arrives: u64,
    pub kind: MsgKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
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
}

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Ok,
    Refused,
}

#[derive(Clone, Debug)]
struct Op {
    client: u32,
    coord: u32,
    key: u32,
    is_write: bool,
    outcome: Outcome,
    /// Writes: its version. Reads: the newest version seen so far.
    ver: Option<Version>,
    replies: u32,
    /// Reads: who replied with what (for read repair).
    answers: Vec<(u32, Option<Version>)>,
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

/// What the run counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub writes: u64,
    pub writes_acked: u64,
    /// Acknowledged, then hidden forever behind an older write with a later timestamp (clock
    /// skew under last-write-wins): no read can return it once replicas agree.
    pub acked_lost: u64,
    pub writes_refused: u64,
    pub reads: u64,
    pub reads_ok: u64,
    pub reads_refused: u64,
    /// Reads that returned something older than the last write acknowledged before they began.
    pub stale_reads: u64,
    /// Reads that missed the client's own acknowledged write.
    pub ryw_violations: u64,
    /// Reads older than what the same client had already read on the key.
    pub monotonic_violations: u64,
    pub messages: u64,
    pub dropped: u64,
    pub repairs: u64,
    /// Anti-entropy sessions held (a replica and a peer comparing trees; none over a cut).
    pub ae_sessions: u64,
    /// Hash comparisons those sessions made, and the keys they would have compared one by
    /// one without the trees.
    pub ae_comparisons: u64,
    pub ae_naive: u64,
    /// Versions anti-entropy sent to a replica that was behind.
    pub ae_repairs: u64,
}

/// The simulation.
#[derive(Clone, Debug)]
pub struct Sim {
    cfg: ReplConfig,
    rng: SplitMix64,
    now: u64,
    seq: u64,
    events: BTreeMap<(u64, u64), Event>,
    ops: Vec<Op>,
    /// Each replica's newest version of each key.
    store: Vec<Vec<Option<Version>>>,
    /// Each replica's Merkle tree over `store`, kept up to date (with anti-entropy only).
    trees: Vec<MerkleTree>,
    /// Per key: the newest version of writes that have ended; the last acknowledged write.
    ended: Vec<Option<Version>>,
    acked: Vec<Option<Version>>,
    own: BTreeMap<(u32, u32), Version>,
    seen: BTreeMap<(u32, u32), Version>,
    pub counts: Counts,
    /// Operations (stale reads, refusals, lost writes) per tick, for the chart.
    pub series: Vec<TickCounts>,
    writes_made: u32,
}

/// Counts of one tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickCounts {
    pub ok: u32,
    pub stale: u32,
    pub refused: u32,
    pub lost: u32,
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
        };
        for client in 0..cfg.clients {
            let gap = sim.gap();
            sim.schedule(gap, Event::Arrival { client });
        }
        if cfg.anti_entropy_ms > 0 {
            let every = u64::from(cfg.anti_entropy_ms) * 1_000_000;
            sim.schedule(every, Event::AntiEntropy { round: 0 });
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

    fn schedule(&mut self, delay: u64, event: Event) {
        let at = self.now.saturating_add(delay);
        self.seq += 1;
        self.events.insert((at, self.seq), event);
    }

    fn send(&mut self, from: u32, to: u32, kind: MsgKind) {
        self.counts.messages += 1;
        let leg = match kind {
            MsgKind::WriteReq { .. } => Leg::Write,
            _ => Leg::Other,
        };
        let delay = self.cfg.delays().between(&mut self.rng, leg, from != to);
        let lost = self.cfg.loss > 0.0 && self.rng.unit_f64() < self.cfg.loss;
        if lost || self.is_cut(from, to, self.now) {
            self.counts.dropped += 1;
            return;
        }
        let d = (delay * MS) as u64;
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

    fn end_ns(&self) -> u64 {
        u64::from(self.cfg.duration_ms) * 1_000_000
    }

    fn tick_counts(&mut self) -> &mut TickCounts {
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
                let give_up = o.replies == 0 || self.cfg.policy == Policy::Cp;
                self.finish(op, !give_up);
            }
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
        };
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
        let timeout = u64::from(self.cfg.timeout_ms) * 1_000_000;
        self.schedule(timeout, Event::Timeout { op: id });
    }

    fn apply_write(&mut self, replica: u32, key: u32, ver: Version) {
        let slot = &mut self.store[replica as usize][key as usize];
        if slot.is_none_or(|v| ver > v) {
            *slot = Some(ver);
            if let Some(tree) = self.trees.get_mut(replica as usize) {
                tree.set(key as usize, Some(ver));
            }
        }
    }

    /// One round: replica i compares its tree with replica i + 1 + (round mod (N − 1))'s
    /// (every other replica in turn), unless a cut blocks either way between them. The
    /// comparison itself is taken as instant; each key found to differ is then sent, newer
    /// version to the replica behind, as a repair message over the network (delays, loss
    /// and cuts apply).
    fn anti_entropy(&mut self, round: u32) {
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

    fn deliver(&mut self, msg: Msg) {
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

    fn finish(&mut self, op: u32, ok: bool) {
        let o = &mut self.ops[op as usize];
        o.outcome = if ok { Outcome::Ok } else { Outcome::Refused };
        o.ret = self.now;
        let (key, client, ver) = (o.key, o.client, o.ver);
        let k = key as usize;
        if o.is_write {
            let ver = ver.unwrap_or(Version { ts: 0, write: 0 });
            self.ended[k] = self.ended[k].max(Some(ver));
            if ok {
                let lost = o.ended_before > Some(ver);
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

//! The Raft cluster (Ongaro and Ousterhout, 2014, Figure 2) on a simulated network, driven by
//! one deterministic event queue ordered by (time, sequence number).
//!
//! Every random draw (election timeouts, delays, loss, duplication) comes from one seeded
//! [`SplitMix64`] in event order, so a scenario replays exactly. Scheduled faults at time T
//! take effect after every event at or before T, which is where a live click at T lands too,
//! so a click recorded in the schedule replays the same run.

use std::collections::{BTreeMap, VecDeque};

use super::config::{Fault, RaftConfig};
pub use super::safety::Entry;
use super::safety::{Safety, Violation, chain};
use crate::linearizability::Op;
use crate::rng::SplitMix64;
use crate::time::Nanos;

/// The one register the clients write and read.
pub const KEY: u32 = 0;

/// Entries one AppendEntries carries at most.
pub const MAX_BATCH: usize = 64;
/// Recent events kept for a violation's report.
pub const TRACE_LEN: usize = 24;

/// A server's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Follows a leader, or waits for one.
    Follower,
    /// Asks whether it could win before raising its term (pre-vote).
    PreCandidate,
    /// Asks for votes in a new term.
    Candidate,
    /// Leads its term.
    Leader,
}

/// Whether a server runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Running.
    Up,
    /// Stopped but with every bit of state (a long pause).
    Paused,
    /// Crashed: only the persistent state (term, vote, log) survives.
    Crashed,
}

/// One server.
#[derive(Clone, Debug)]
pub struct Node {
    /// Its role.
    pub role: Role,
    /// Whether it runs.
    pub status: Status,
    /// Persistent: the latest term it has seen.
    pub term: u64,
    /// Persistent: whom it voted for in `term`.
    pub voted_for: Option<u8>,
    /// Persistent: its log (index i is `log[i - 1]`).
    pub log: Vec<Entry>,
    /// `chain[i - 1]` is a hash of the log's first i entries (the log-matching check).
    pub chain: Vec<u64>,
    /// Volatile: the highest index it knows to be committed (and has applied).
    pub commit: usize,
    /// Votes (or pre-votes) received, as a bit set.
    pub votes: u16,
    /// Leader: next index to send to each server.
    pub next: Vec<usize>,
    /// Leader: highest index known replicated on each server.
    pub matched: Vec<usize>,
    /// Leader with check-quorum: servers heard from since the last check, as a bit set.
    pub acks: u16,
    /// When its election timer was last reset, and when it fires.
    pub timer_start: Nanos,
    /// See `timer_start`.
    pub deadline: Nanos,
    pub(super) timer_epoch: u64,
    pub(super) hb_epoch: u64,
    /// When it last heard from a current leader.
    pub leader_contact: Option<Nanos>,
    /// Timers that fired while it was paused.
    pub(super) due_while_paused: bool,
    /// Leader: the latest send time of an AppendEntries each server acknowledged.
    pub(super) ack_at: Vec<Option<Nanos>>,
    /// Leader, ReadIndex: reads waiting for a majority's acknowledgement, as (history
    /// index, when the confirming round was sent).
    pub(super) reads: Vec<(usize, Nanos)>,
}

impl Node {
    pub(super) fn new(n: usize) -> Self {
        Self {
            role: Role::Follower,
            status: Status::Up,
            term: 0,
            voted_for: None,
            log: Vec::new(),
            chain: Vec::new(),
            commit: 0,
            votes: 0,
            next: vec![1; n],
            matched: vec![0; n],
            acks: 0,
            timer_start: Nanos::ZERO,
            deadline: Nanos::ZERO,
            timer_epoch: 0,
            hb_epoch: 0,
            leader_contact: None,
            due_while_paused: false,
            ack_at: vec![None; n],
            reads: Vec::new(),
        }
    }

    /// The index and term of its last entry.
    pub fn last(&self) -> (usize, u64) {
        (self.log.len(), self.log.last().map_or(0, |e| e.term))
    }

    /// The term of entry `idx` (0 for index 0).
    pub fn term_at(&self, idx: usize) -> u64 {
        if idx == 0 {
            0
        } else {
            self.log.get(idx - 1).map_or(0, |e| e.term)
        }
    }

    pub(super) fn set_entry(&mut self, idx: usize, e: Entry) {
        self.log.truncate(idx - 1);
        self.chain.truncate(idx - 1);
        let prev = self.chain.last().copied().unwrap_or(0);
        self.log.push(e);
        self.chain.push(chain(prev, e));
    }
}

/// A Raft message.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// RequestVote (or a pre-vote, which changes no state at the receiver).
    Vote {
        term: u64,
        last_idx: usize,
        last_term: u64,
        pre: bool,
    },
    /// The answer to a vote request.
    VoteReply { term: u64, granted: bool, pre: bool },
    /// AppendEntries (a heartbeat when `entries` is empty).
    Append {
        term: u64,
        prev_idx: usize,
        prev_term: u64,
        entries: Vec<Entry>,
        commit: usize,
    },
    /// The answer to AppendEntries: on success the index now matched; on failure the
    /// follower's log length (a hint for the leader's next index).
    AppendReply {
        term: u64,
        ok: bool,
        index: usize,
        /// When the AppendEntries it answers was sent (leases and ReadIndex count on it).
        at: Nanos,
    },
}

impl Msg {
    /// A short name for views and traces.
    pub fn kind(&self) -> &'static str {
        match self {
            Msg::Vote { pre: true, .. } => "PreVote",
            Msg::Vote { .. } => "RequestVote",
            Msg::VoteReply { pre: true, .. } => "PreVote reply",
            Msg::VoteReply { .. } => "Vote reply",
            Msg::Append { entries, .. } if entries.is_empty() => "Heartbeat",
            Msg::Append { .. } => "AppendEntries",
            Msg::AppendReply { .. } => "Append reply",
        }
    }
}

/// A message on the wire.
#[derive(Clone, Debug)]
pub struct Packet {
    /// Sender.
    pub from: u8,
    /// Receiver.
    pub to: u8,
    /// When it was sent.
    pub sent: Nanos,
    /// When it arrives.
    pub arrive: Nanos,
    /// What it says.
    pub msg: Msg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ev {
    Deliver(u64),
    Election { node: u8, epoch: u64 },
    Heartbeat { node: u8, epoch: u64 },
    CheckQuorum { node: u8, epoch: u64 },
    ClientWrite,
    ClientRead,
}

/// Counters and measurements of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Messages sent (lost and cut ones included).
    pub sent: u64,
    /// Messages lost to the loss rate, a cut link or a stopped receiver.
    pub dropped: u64,
    /// Elections started (real ones, not pre-votes).
    pub elections: u64,
    /// Client writes the leader took.
    pub writes: u64,
    /// Client writes refused because no leader was up.
    pub refused: u64,
    /// Client reads answered.
    pub reads_served: u64,
    /// Client reads refused (no leader up, the lease lapsed, or the leader had not yet
    /// committed an entry of its term).
    pub reads_refused: u64,
    /// Time from a leader's crash or pause to the next leader, each time.
    pub election_times: Vec<Nanos>,
    /// Time from a write reaching the leader to that leader committing it.
    pub commit_latencies: Vec<Nanos>,
    /// Per term: candidates that ran, and whether someone won.
    pub terms: BTreeMap<u64, (u8, bool)>,
}

impl Stats {
    /// Terms whose election had several candidates and no winner (finished terms only).
    pub fn split_votes(&self, current: u64) -> u64 {
        self.terms
            .iter()
            .filter(|&(&t, &(c, won))| t < current && c >= 2 && !won)
            .count() as u64
    }
}

/// The cluster, its network and the safety checker.
#[derive(Clone, Debug)]
pub struct Sim {
    pub(super) cfg: RaftConfig,
    pub(super) rng: SplitMix64,
    /// Simulated time.
    pub now: Nanos,
    pub(super) seq: u64,
    pub(super) queue: BTreeMap<(Nanos, u64), Ev>,
    /// Messages in flight, by id.
    pub wire: BTreeMap<u64, Packet>,
    /// The servers.
    pub nodes: Vec<Node>,
    /// `cut[from][to]`: the link drops everything.
    pub cut: Vec<Vec<bool>>,
    pub(super) faults: Vec<Fault>,
    pub(super) next_fault: usize,
    pub(super) next_value: u64,
    pub(super) pending: BTreeMap<u64, Nanos>,
    pub(super) leader_lost_at: Option<(Nanos, u64)>,
    /// Counters.
    pub stats: Stats,
    /// The invariants.
    pub safety: Safety,
    pub(super) trace: Option<VecDeque<(Nanos, String)>>,
    /// Every client write and read, for the linearizability check.
    pub history: Vec<Op>,
    pub(super) write_ops: BTreeMap<u64, usize>,
    /// The send time of the message being delivered.
    pub(super) delivering: Nanos,
}

impl Sim {
    /// A cluster of followers with fresh election timers; `trace` keeps recent events for a
    /// violation's report (the Monte Carlo runs without).
    pub fn new(cfg: &RaftConfig, trace: bool) -> Self {
        let n = usize::from(cfg.nodes);
        let mut sim = Self {
            cfg: cfg.clone(),
            rng: SplitMix64::new(cfg.seed),
            now: Nanos::ZERO,
            seq: 0,
            queue: BTreeMap::new(),
            wire: BTreeMap::new(),
            nodes: (0..n).map(|_| Node::new(n)).collect(),
            cut: vec![vec![false; n]; n],
            faults: cfg.faults.clone(),
            next_fault: 0,
            next_value: 1,
            pending: BTreeMap::new(),
            leader_lost_at: None,
            stats: Stats::default(),
            safety: Safety::default(),
            trace: trace.then(VecDeque::new),
            history: Vec::new(),
            write_ops: BTreeMap::new(),
            delivering: Nanos::ZERO,
        };
        for i in 0..n {
            sim.reset_timer(i as u8);
        }
        if cfg.rate > 0.0 {
            let gap = sim.write_gap();
            sim.push(Nanos(gap), Ev::ClientWrite);
        }
        if cfg.read_rate > 0.0 {
            let gap = sim.read_gap();
            sim.push(Nanos(gap), Ev::ClientRead);
        }
        sim
    }

    /// The config.
    pub fn config(&self) -> &RaftConfig {
        &self.cfg
    }

    /// Whether a safety violation stopped the run.
    pub fn stopped(&self) -> bool {
        self.safety.violation.is_some()
    }

    /// The violation that stopped the run, if any.
    pub fn violation(&self) -> Option<&Violation> {
        self.safety.violation.as_ref()
    }

    /// The up leader of the highest term, if any.
    pub fn leader(&self) -> Option<u8> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.role == Role::Leader && n.status == Status::Up)
            .max_by_key(|(i, n)| (n.term, std::cmp::Reverse(*i)))
            .map(|(i, _)| i as u8)
    }

    /// The highest term any server has seen.
    pub fn max_term(&self) -> u64 {
        self.nodes.iter().map(|n| n.term).max().unwrap_or(0)
    }

    /// Runs every event and scheduled fault up to `end` (a fault at T after every event at
    /// or before T), then sets the clock to `end`. Does nothing once a violation stopped it.
    pub fn run_until(&mut self, end: Nanos) {
        while !self.stopped() {
            let next_event = self.queue.keys().next().map(|k| k.0);
            let next_fault = self
                .faults
                .get(self.next_fault)
                .map(|f| Nanos::from_ms(u64::from(f.at_ms)));
            match (next_event, next_fault) {
                (Some(te), Some(tf)) if tf <= end && tf < te => self.fire_fault(tf),
                (None, Some(tf)) if tf <= end => self.fire_fault(tf),
                (Some(te), _) if te <= end => {
                    let ((t, _), ev) = self.queue.pop_first().expect("a key was just seen");
                    self.now = t;
                    self.handle(ev);
                }
                _ => break,
            }
        }
        if !self.stopped() {
            self.now = self.now.max(end);
        }
    }

    /// Runs until some server becomes leader of a term above `term`, or until `limit`;
    /// returns when that happened.
    pub fn run_until_leader_above(&mut self, term: u64, limit: Nanos) -> Option<Nanos> {
        let won = |s: &Self| {
            s.nodes
                .iter()
                .any(|n| n.role == Role::Leader && n.term > term && n.status == Status::Up)
        };
        while !self.stopped() && !won(self) {
            match self.queue.pop_first() {
                Some(((t, _), ev)) if t <= limit => {
                    self.now = t;
                    self.handle(ev);
                }
                Some((key, ev)) => {
                    self.queue.insert(key, ev);
                    return None;
                }
                None => return None,
            }
        }
        won(self).then_some(self.now)
    }

    pub(super) fn push(&mut self, at: Nanos, ev: Ev) {
        self.seq += 1;
        self.queue.insert((at, self.seq), ev);
    }

    pub(super) fn log(&mut self, text: impl FnOnce() -> String) {
        if let Some(trace) = &mut self.trace {
            if trace.len() == TRACE_LEN {
                trace.pop_front();
            }
            trace.push_back((self.now, text()));
        }
    }

    /// The recent events, oldest first.
    pub fn recent(&self) -> Vec<(Nanos, String)> {
        self.trace
            .as_ref()
            .map_or_else(Vec::new, |t| t.iter().cloned().collect())
    }

    pub(super) fn read_gap(&self) -> u64 {
        (1e9 / self.cfg.read_rate).round().max(1.0) as u64
    }

    pub(super) fn write_gap(&self) -> u64 {
        (1e9 / self.cfg.rate).round().max(1.0) as u64
    }

    pub(super) fn reset_timer(&mut self, n: u8) {
        self.reset_timer_after(n, 0);
    }

    /// Resets node `n`'s election timer `after` ns from now (a vote is granted once it is on
    /// disk, and the timer restarts then).
    pub(super) fn reset_timer_after(&mut self, n: u8, after: u64) {
        let min = u64::from(self.cfg.elect_min_ms) * Nanos::MS;
        let max = u64::from(self.cfg.elect_max_ms) * Nanos::MS;
        let timeout = min + self.rng.below(max - min + 1);
        let now = self.now.plus(Nanos(after));
        let node = &mut self.nodes[usize::from(n)];
        node.timer_epoch += 1;
        node.timer_start = now;
        node.deadline = now.plus(Nanos(timeout));
        let (deadline, epoch) = (node.deadline, node.timer_epoch);
        self.push(deadline, Ev::Election { node: n, epoch });
    }

    pub(super) fn send(&mut self, from: u8, to: u8, msg: Msg) {
        self.stats.sent += 1;
        if self.cut[usize::from(from)][usize::from(to)] || self.lost() {
            self.stats.dropped += 1;
            return;
        }
        let copies = if self.cfg.dup > 0.0 && self.rng.unit_f64() < self.cfg.dup {
            2
        } else {
            1
        };
        let disk = match msg {
            Msg::VoteReply { .. } | Msg::AppendReply { .. } => {
                (self.cfg.disk_ms * 1e6).round() as u64
            }
            _ => 0,
        };
        for _ in 0..copies {
            let delay = self.delay() + disk;
            let arrive = self.now.plus(Nanos(delay));
            self.seq += 1;
            let id = self.seq;
            self.wire.insert(
                id,
                Packet {
                    from,
                    to,
                    sent: self.now,
                    arrive,
                    msg: msg.clone(),
                },
            );
            self.push(arrive, Ev::Deliver(id));
        }
    }

    pub(super) fn lost(&mut self) -> bool {
        self.cfg.loss > 0.0 && self.rng.unit_f64() < self.cfg.loss
    }

    pub(super) fn delay(&mut self) -> u64 {
        let base = (self.cfg.latency_ms * 1e6).round() as u64;
        let jitter = (self.cfg.jitter_ms * 1e6).round() as u64;
        base + if jitter > 0 {
            self.rng.below(jitter + 1)
        } else {
            0
        }
    }

    pub(super) fn broadcast(&mut self, from: u8, msg: &Msg) {
        for to in 0..self.cfg.nodes {
            if to != from {
                self.send(from, to, msg.clone());
            }
        }
    }

    pub(super) fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Deliver(id) => {
                let Some(p) = self.wire.remove(&id) else {
                    return;
                };
                let to = usize::from(p.to);
                if self.cut[usize::from(p.from)][to] || self.nodes[to].status != Status::Up {
                    self.stats.dropped += 1;
                    return;
                }
                self.delivering = p.sent;
                self.receive(p.from, p.to, p.msg);
            }
            Ev::Election { node, epoch } => {
                let n = &mut self.nodes[usize::from(node)];
                if n.timer_epoch != epoch || n.role == Role::Leader || n.status == Status::Crashed {
                    return;
                }
                if n.status == Status::Paused {
                    n.due_while_paused = true;
                    return;
                }
                self.election_timeout(node);
            }
            Ev::Heartbeat { node, epoch } => {
                let n = &mut self.nodes[usize::from(node)];
                if n.hb_epoch != epoch || n.role != Role::Leader || n.status == Status::Crashed {
                    return;
                }
                if n.status == Status::Paused {
                    n.due_while_paused = true;
                    return;
                }
                self.heartbeat(node);
            }
            Ev::CheckQuorum { node, epoch } => {
                let majority = self.cfg.majority();
                let n = &mut self.nodes[usize::from(node)];
                if n.hb_epoch != epoch || n.role != Role::Leader || n.status != Status::Up {
                    return;
                }
                let heard = n.acks.count_ones() as usize;
                n.acks = 1 << node;
                if heard < majority {
                    let term = n.term;
                    self.log(|| format!("S{} hears from no majority and steps down", node + 1));
                    self.become_follower(node, term);
                } else {
                    let at = self
                        .now
                        .plus(Nanos::from_ms(u64::from(self.cfg.elect_min_ms)));
                    self.push(at, Ev::CheckQuorum { node, epoch });
                }
            }
            Ev::ClientRead => {
                self.client_read();
                let gap = self.read_gap();
                let at = self.now.plus(Nanos(gap));
                self.push(at, Ev::ClientRead);
            }
            Ev::ClientWrite => {
                self.client_write();
                let gap = self.write_gap();
                let at = self.now.plus(Nanos(gap));
                self.push(at, Ev::ClientWrite);
            }
        }
    }

    pub(super) fn client_write(&mut self) {
        let Some(l) = self.leader() else {
            self.stats.refused += 1;
            return;
        };
        let value = self.next_value;
        self.next_value += 1;
        self.stats.writes += 1;
        let li = usize::from(l);
        let term = self.nodes[li].term;
        let idx = self.nodes[li].log.len() + 1;
        self.nodes[li].set_entry(idx, Entry { term, value });
        self.nodes[li].matched[li] = idx;
        self.pending.insert(value, self.now);
        self.write_ops.insert(value, self.history.len());
        self.history.push(Op {
            key: KEY,
            kind: crate::linearizability::OpKind::Write(value),
            call: self.now,
            ret: None,
        });
        self.log(|| format!("S{} takes write {value} at index {idx}", l + 1));
        self.check_entry(l, idx);
        for f in 0..self.cfg.nodes {
            if f != l && self.nodes[li].next[usize::from(f)] == idx {
                self.send_append(l, f);
            }
        }
        self.leader_commit(l);
    }

    pub(super) fn stop(&mut self, mut v: Violation) {
        self.log(|| format!("violation: {}", v.text));
        v.recent = self.recent();
        self.safety.violation = Some(v);
    }
}

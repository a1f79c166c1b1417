//! The Raft cluster (Ongaro and Ousterhout, 2014, Figure 2) on a simulated network, driven by
//! one deterministic event queue ordered by (time, sequence number).
//!
//! Every random draw (election timeouts, delays, loss, duplication) comes from one seeded
//! [`SplitMix64`] in event order, so a scenario replays exactly. Scheduled faults at time T
//! take effect after every event at or before T, which is where a live click at T lands too,
//! so a click recorded in the schedule replays the same run.

use std::collections::{BTreeMap, VecDeque};

use super::config::{Fault, FaultKind, RaftConfig, Target};
pub use super::safety::Entry;
use super::safety::{Safety, Violation, chain};
use crate::rng::SplitMix64;
use crate::time::Nanos;

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
    timer_epoch: u64,
    hb_epoch: u64,
    /// When it last heard from a current leader.
    pub leader_contact: Option<Nanos>,
    /// Timers that fired while it was paused.
    due_while_paused: bool,
}

impl Node {
    fn new(n: usize) -> Self {
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

    fn set_entry(&mut self, idx: usize, e: Entry) {
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
    AppendReply { term: u64, ok: bool, index: usize },
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
enum Ev {
    Deliver(u64),
    Election { node: u8, epoch: u64 },
    Heartbeat { node: u8, epoch: u64 },
    CheckQuorum { node: u8, epoch: u64 },
    ClientWrite,
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
    cfg: RaftConfig,
    rng: SplitMix64,
    /// Simulated time.
    pub now: Nanos,
    seq: u64,
    queue: BTreeMap<(Nanos, u64), Ev>,
    /// Messages in flight, by id.
    pub wire: BTreeMap<u64, Packet>,
    /// The servers.
    pub nodes: Vec<Node>,
    /// `cut[from][to]`: the link drops everything.
    pub cut: Vec<Vec<bool>>,
    faults: Vec<Fault>,
    next_fault: usize,
    next_value: u64,
    pending: BTreeMap<u64, Nanos>,
    leader_lost_at: Option<(Nanos, u64)>,
    /// Counters.
    pub stats: Stats,
    /// The invariants.
    pub safety: Safety,
    trace: Option<VecDeque<(Nanos, String)>>,
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
        };
        for i in 0..n {
            sim.reset_timer(i as u8);
        }
        if cfg.rate > 0.0 {
            let gap = sim.write_gap();
            sim.push(Nanos(gap), Ev::ClientWrite);
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

    /// Applies `fault` now: a live click. The caller has run to now and records the fault
    /// in the scenario after the ones already applied.
    pub fn apply_now(&mut self, fault: &Fault) {
        self.faults.insert(self.next_fault, fault.clone());
        let at = self.now;
        self.fire_fault(at);
    }

    fn fire_fault(&mut self, at: Nanos) {
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

    fn target(&self, t: Target) -> Option<u8> {
        match t {
            Target::Node(n) => Some(n),
            Target::Leader => self.leader(),
        }
    }

    fn set_link(&mut self, from: u8, to: u8, both: bool, cut: bool) {
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
        node.timer_epoch += 1;
        node.hb_epoch += 1;
        self.log(|| format!("S{} crashes", n + 1));
    }

    fn restart(&mut self, n: u8) {
        if self.nodes[usize::from(n)].status != Status::Crashed {
            return;
        }
        self.nodes[usize::from(n)].status = Status::Up;
        self.log(|| format!("S{} restarts", n + 1));
        self.reset_timer(n);
    }

    fn pause(&mut self, n: u8) {
        if self.nodes[usize::from(n)].status != Status::Up {
            return;
        }
        self.note_leader_loss(n);
        self.nodes[usize::from(n)].status = Status::Paused;
        self.log(|| format!("S{} pauses", n + 1));
    }

    fn resume(&mut self, n: u8) {
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

    fn note_leader_loss(&mut self, n: u8) {
        if self.leader() == Some(n) {
            self.leader_lost_at = Some((self.now, self.nodes[usize::from(n)].term));
        }
    }

    fn push(&mut self, at: Nanos, ev: Ev) {
        self.seq += 1;
        self.queue.insert((at, self.seq), ev);
    }

    fn log(&mut self, text: impl FnOnce() -> String) {
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

    fn write_gap(&self) -> u64 {
        (1e9 / self.cfg.rate).round().max(1.0) as u64
    }

    fn reset_timer(&mut self, n: u8) {
        self.reset_timer_after(n, 0);
    }

    /// Resets node `n`'s election timer `after` ns from now (a vote is granted once it is on
    /// disk, and the timer restarts then).
    fn reset_timer_after(&mut self, n: u8, after: u64) {
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

    fn send(&mut self, from: u8, to: u8, msg: Msg) {
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

    fn lost(&mut self) -> bool {
        self.cfg.loss > 0.0 && self.rng.unit_f64() < self.cfg.loss
    }

    fn delay(&mut self) -> u64 {
        let base = (self.cfg.latency_ms * 1e6).round() as u64;
        let jitter = (self.cfg.jitter_ms * 1e6).round() as u64;
        base + if jitter > 0 {
            self.rng.below(jitter + 1)
        } else {
            0
        }
    }

    fn broadcast(&mut self, from: u8, msg: &Msg) {
        for to in 0..self.cfg.nodes {
            if to != from {
                self.send(from, to, msg.clone());
            }
        }
    }

    fn handle(&mut self, ev: Ev) {
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
            Ev::ClientWrite => {
                self.client_write();
                let gap = self.write_gap();
                let at = self.now.plus(Nanos(gap));
                self.push(at, Ev::ClientWrite);
            }
        }
    }

    fn client_write(&mut self) {
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
        self.log(|| format!("S{} takes write {value} at index {idx}", l + 1));
        self.check_entry(l, idx);
        for f in 0..self.cfg.nodes {
            if f != l && self.nodes[li].next[usize::from(f)] == idx {
                self.send_append(l, f);
            }
        }
        self.leader_commit(l);
    }

    fn election_timeout(&mut self, n: u8) {
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

    fn start_election(&mut self, n: u8) {
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

    fn become_follower(&mut self, n: u8, term: u64) {
        let node = &mut self.nodes[usize::from(n)];
        let was_leader = node.role == Role::Leader;
        if term > node.term {
            node.term = term;
            node.voted_for = None;
        }
        node.role = Role::Follower;
        node.votes = 0;
        if was_leader {
            node.hb_epoch += 1;
            self.note_leader_loss_at(term);
            self.reset_timer(n);
        }
    }

    /// A leader that steps down leaves the cluster without one just as a crash does.
    fn note_leader_loss_at(&mut self, _term: u64) {
        if self.leader_lost_at.is_none() && self.leader().is_none() {
            self.leader_lost_at = Some((self.now, self.max_term()));
        }
    }

    fn become_leader(&mut self, n: u8) {
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

    fn heartbeat(&mut self, n: u8) {
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

    fn send_append(&mut self, l: u8, f: u8) {
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

    fn heard_leader_recently(&self, n: u8) -> bool {
        let min = Nanos::from_ms(u64::from(self.cfg.elect_min_ms));
        let node = &self.nodes[usize::from(n)];
        node.role == Role::Leader || node.leader_contact.is_some_and(|t| self.now.since(t) < min)
    }

    fn receive(&mut self, from: u8, to: u8, msg: Msg) {
        match msg {
            Msg::Vote {
                term,
                last_idx,
                last_term,
                pre,
            } => self.on_vote(from, to, term, (last_idx, last_term), pre),
            Msg::VoteReply { term, granted, pre } => {
                self.on_vote_reply(from, to, term, granted, pre)
            }
            Msg::Append {
                term,
                prev_idx,
                prev_term,
                entries,
                commit,
            } => self.on_append(from, to, term, prev_idx, prev_term, &entries, commit),
            Msg::AppendReply { term, ok, index } => self.on_append_reply(from, to, term, ok, index),
        }
    }

    fn on_vote(&mut self, c: u8, n: u8, term: u64, last: (usize, u64), pre: bool) {
        let node = &self.nodes[usize::from(n)];
        let (my_idx, my_term) = node.last();
        let log_ok = last.1 > my_term || (last.1 == my_term && last.0 >= my_idx);
        if pre {
            let granted = term > node.term && log_ok && !self.heard_leader_recently(n);
            let reply_term = if granted { term } else { node.term };
            self.send(
                n,
                c,
                Msg::VoteReply {
                    term: reply_term,
                    granted,
                    pre: true,
                },
            );
            return;
        }
        if self.cfg.check_quorum && term > node.term && self.heard_leader_recently(n) {
            // Leader stickiness: a server that hears from a leader ignores campaigns.
            let my = node.term;
            self.send(
                n,
                c,
                Msg::VoteReply {
                    term: my,
                    granted: false,
                    pre: false,
                },
            );
            return;
        }
        if term > node.term {
            self.become_follower(n, term);
        }
        let node = &mut self.nodes[usize::from(n)];
        let granted = term == node.term && node.voted_for.is_none_or(|v| v == c) && log_ok;
        if granted {
            node.voted_for = Some(c);
        }
        let reply_term = node.term;
        if granted {
            self.log(|| format!("S{} votes for S{} in term {term}", n + 1, c + 1));
            let disk = (self.cfg.disk_ms * 1e6).round() as u64;
            self.reset_timer_after(n, disk);
        }
        self.send(
            n,
            c,
            Msg::VoteReply {
                term: reply_term,
                granted,
                pre: false,
            },
        );
    }

    fn on_vote_reply(&mut self, v: u8, n: u8, term: u64, granted: bool, pre: bool) {
        let majority = self.cfg.majority();
        let node = &mut self.nodes[usize::from(n)];
        if pre {
            if !granted {
                if term > node.term {
                    self.become_follower(n, term);
                }
                return;
            }
            if node.role == Role::PreCandidate && term == node.term + 1 {
                node.votes |= 1 << v;
                if node.votes.count_ones() as usize >= majority {
                    self.start_election(n);
                }
            }
            return;
        }
        if term > node.term {
            self.become_follower(n, term);
            return;
        }
        if node.role == Role::Candidate && term == node.term && granted {
            node.votes |= 1 << v;
            if node.votes.count_ones() as usize >= majority {
                self.become_leader(n);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_append(
        &mut self,
        l: u8,
        n: u8,
        term: u64,
        prev_idx: usize,
        prev_term: u64,
        entries: &[Entry],
        commit: usize,
    ) {
        let i = usize::from(n);
        if term < self.nodes[i].term {
            let my = self.nodes[i].term;
            self.send(
                n,
                l,
                Msg::AppendReply {
                    term: my,
                    ok: false,
                    index: 0,
                },
            );
            return;
        }
        if term > self.nodes[i].term || self.nodes[i].role != Role::Follower {
            self.become_follower(n, term);
        }
        self.nodes[i].leader_contact = Some(self.now);
        self.reset_timer(n);
        let node = &self.nodes[i];
        if prev_idx > node.log.len() || node.term_at(prev_idx) != prev_term {
            let hint = node.log.len().min(prev_idx.saturating_sub(1));
            self.send(
                n,
                l,
                Msg::AppendReply {
                    term,
                    ok: false,
                    index: hint,
                },
            );
            return;
        }
        for (k, e) in entries.iter().enumerate() {
            let idx = prev_idx + 1 + k;
            let node = &mut self.nodes[i];
            if idx <= node.log.len() && node.log[idx - 1].term == e.term {
                continue;
            }
            if idx <= node.log.len() {
                let dropped = node.log.len() - idx + 1;
                self.log(|| {
                    format!(
                        "S{} drops {dropped} conflicting entr{} from index {idx}",
                        n + 1,
                        if dropped == 1 { "y" } else { "ies" }
                    )
                });
            }
            self.nodes[i].set_entry(idx, *e);
            if !self.check_entry(n, idx) {
                return;
            }
        }
        let last_new = prev_idx + entries.len();
        if commit > self.nodes[i].commit {
            let to = commit.min(last_new);
            if to > self.nodes[i].commit {
                self.advance_commit(n, to);
            }
        }
        self.send(
            n,
            l,
            Msg::AppendReply {
                term,
                ok: true,
                index: last_new,
            },
        );
    }

    fn on_append_reply(&mut self, f: u8, l: u8, term: u64, ok: bool, index: usize) {
        let (li, fi) = (usize::from(l), usize::from(f));
        if term > self.nodes[li].term {
            self.become_follower(l, term);
            return;
        }
        let node = &mut self.nodes[li];
        if node.role != Role::Leader || term != node.term {
            return;
        }
        node.acks |= 1 << f;
        let len = node.log.len();
        // Only a reply that moves the follower's indexes triggers another AppendEntries, so
        // duplicated or reordered replies do not multiply the messages.
        if ok {
            let advanced = index > node.matched[fi];
            node.matched[fi] = node.matched[fi].max(index);
            node.next[fi] = node.next[fi].max(index + 1);
            let more = advanced && node.next[fi] <= len;
            self.leader_commit(l);
            if more && !self.stopped() {
                self.send_append(l, f);
            }
        } else {
            let next = node.next[fi];
            let back = (index + 1).min(next.saturating_sub(1)).max(1);
            if back < next && back > node.matched[fi] {
                node.next[fi] = back;
                self.send_append(l, f);
            }
        }
    }

    fn leader_commit(&mut self, l: u8) {
        let majority = self.cfg.majority();
        let node = &self.nodes[usize::from(l)];
        let mut to = None;
        for idx in (node.commit + 1..=node.log.len()).rev() {
            let replicas = node.matched.iter().filter(|&&m| m >= idx).count();
            if replicas >= majority
                && (self.cfg.unsafe_commit || node.log[idx - 1].term == node.term)
            {
                to = Some(idx);
                break;
            }
        }
        if let Some(to) = to {
            self.advance_commit(l, to);
        }
    }

    fn advance_commit(&mut self, n: u8, to: usize) {
        let i = usize::from(n);
        let from = self.nodes[i].commit;
        self.nodes[i].commit = to;
        let leader = self.nodes[i].role == Role::Leader;
        if leader {
            for idx in from + 1..=to {
                let value = self.nodes[i].log[idx - 1].value;
                if let Some(t) = self.pending.remove(&value) {
                    self.stats.commit_latencies.push(self.now.since(t));
                }
            }
            self.log(|| format!("S{} commits up to index {to}", n + 1));
        }
        let now = self.now;
        if let Err(v) =
            self.safety
                .on_commit(n, (&self.nodes[i].log, &self.nodes[i].chain), from, to, now)
        {
            self.stop(v);
        }
    }

    /// Checks the entry just written at `idx` of node `n`'s log; false if that stopped the run.
    fn check_entry(&mut self, n: u8, idx: usize) -> bool {
        let now = self.now;
        let node = &self.nodes[usize::from(n)];
        match self.safety.on_entry(n, (&node.log, &node.chain), idx, now) {
            Ok(()) => true,
            Err(v) => {
                self.stop(v);
                false
            }
        }
    }

    fn stop(&mut self, mut v: Violation) {
        self.log(|| format!("violation: {}", v.text));
        v.recent = self.recent();
        self.safety.violation = Some(v);
    }
}

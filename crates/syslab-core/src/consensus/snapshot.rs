//! The consensus lab's numbers ([`RaftSnapshot`]): what the CLI prints and the tests read.

use serde::{Deserialize, Serialize};

use super::sim::{Role, Sim, Status};
use crate::linearizability::{OpKind, Verdict};
use crate::time::Nanos;

/// One server's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeSnapshot {
    /// S1 to S9.
    pub name: String,
    /// follower, pre-candidate, candidate or leader.
    pub role: String,
    /// up, paused or crashed.
    pub status: String,
    /// Its current term.
    pub term: u64,
    /// Its log's length.
    pub log: usize,
    /// Its commit index.
    pub commit: usize,
}

/// The first safety violation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViolationSnapshot {
    /// The property, as the paper names it.
    pub rule: String,
    /// When, in ms.
    pub at_ms: f64,
    /// What happened.
    pub text: String,
    /// The events that led to it, oldest first, each `t ms: text`.
    pub recent: Vec<String>,
}

/// Everything the lab measures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RaftSnapshot {
    /// Simulated time, in ms.
    pub time_ms: f64,
    /// The current leader (S1 to S9), if any.
    pub leader: Option<String>,
    /// The highest term.
    pub term: u64,
    /// Every server.
    pub nodes: Vec<NodeSnapshot>,
    /// Entries committed.
    pub committed: usize,
    /// Client writes a leader took.
    pub writes: u64,
    /// Client writes refused for want of a leader.
    pub refused: u64,
    /// Client reads answered.
    pub reads: u64,
    /// Client reads refused.
    pub reads_refused: u64,
    /// The linearizability check of the client history (`None` without reads, or before
    /// the run ends).
    pub linearizable: Option<String>,
    /// Messages sent.
    pub messages: u64,
    /// Messages lost (loss, cut links, stopped receivers).
    pub dropped: u64,
    /// Messages sent per committed entry.
    pub messages_per_commit: Option<f64>,
    /// Elections started.
    pub elections: u64,
    /// Terms with several candidates and no winner.
    pub split_votes: u64,
    /// Time from each leader loss (crash, pause, stepping down) to the next leader, in ms.
    pub election_ms: Vec<f64>,
    /// Mean time from a write reaching the leader to its commit there, in ms.
    pub commit_latency_ms: Option<f64>,
    /// The first safety violation, if any (the run stopped there).
    pub violation: Option<ViolationSnapshot>,
    /// What the config allows but a real cluster should avoid.
    pub warnings: Vec<String>,
}

/// The role's name.
pub fn role_name(r: Role) -> &'static str {
    match r {
        Role::Follower => "follower",
        Role::PreCandidate => "pre-candidate",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
    }
}

/// The status's name.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Up => "up",
        Status::Paused => "paused",
        Status::Crashed => "crashed",
    }
}

/// The mean of `xs` in ms.
pub fn mean_ms(xs: &[Nanos]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().map(|x| x.ms_f64()).sum::<f64>() / xs.len() as f64)
}

/// The linearizability verdict in words.
pub fn verdict_text(sim: &Sim, v: &Verdict) -> String {
    match v {
        Verdict::Linearizable => format!(
            "yes ({} operations)",
            crate::format::thousands(sim.history.len() as u64)
        ),
        Verdict::Violation { op, .. } => match sim.history.get(*op) {
            Some(o) => match o.kind {
                OpKind::Read(value) => format!(
                    "no: the read at {} ms returned {}",
                    crate::schema::number((o.call.ms_f64() * 10.0).round() / 10.0),
                    value.map_or("nothing".to_owned(), |v| format!("write {v}"))
                ),
                OpKind::Write(value) => format!(
                    "no: write {value} at {} ms cannot be placed",
                    crate::schema::number((o.call.ms_f64() * 10.0).round() / 10.0)
                ),
            },
            None => "no".to_owned(),
        },
        Verdict::GaveUp {
            steps,
            linearizable_until,
        } => format!(
            "gave up after {} steps{}",
            crate::format::thousands(*steps),
            linearizable_until.map_or(String::new(), |t| format!(
                " (linearizable until {} ms)",
                crate::schema::number(t.ms_f64().round())
            ))
        ),
    }
}

/// The snapshot of a simulation.
pub fn snapshot(sim: &Sim, verdict: Option<&Verdict>) -> RaftSnapshot {
    let committed = sim.safety.committed_len();
    RaftSnapshot {
        time_ms: sim.now.ms_f64(),
        leader: sim.leader().map(|l| format!("S{}", l + 1)),
        term: sim.max_term(),
        nodes: sim
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeSnapshot {
                name: format!("S{}", i + 1),
                role: role_name(n.role).to_owned(),
                status: status_name(n.status).to_owned(),
                term: n.term,
                log: n.log.len(),
                commit: n.commit,
            })
            .collect(),
        committed,
        writes: sim.stats.writes,
        refused: sim.stats.refused,
        reads: sim.stats.reads_served,
        reads_refused: sim.stats.reads_refused,
        linearizable: verdict.map(|v| verdict_text(sim, v)),
        messages: sim.stats.sent,
        dropped: sim.stats.dropped,
        messages_per_commit: (committed > 0).then(|| sim.stats.sent as f64 / committed as f64),
        elections: sim.stats.elections,
        split_votes: sim.stats.split_votes(sim.max_term()),
        election_ms: sim
            .stats
            .election_times
            .iter()
            .map(|t| t.ms_f64())
            .collect(),
        commit_latency_ms: mean_ms(&sim.stats.commit_latencies),
        violation: sim.violation().map(|v| ViolationSnapshot {
            rule: v.rule.name().to_owned(),
            at_ms: v.at.ms_f64(),
            text: v.text.clone(),
            recent: v
                .recent
                .iter()
                .map(|(t, s)| format!("{} ms: {s}", crate::schema::number(t.ms_f64())))
                .collect(),
        }),
        warnings: sim.config().warnings(),
    }
}

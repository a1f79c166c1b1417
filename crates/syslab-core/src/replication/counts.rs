//! What a run counts: each operation's outcome, the totals ([`Counts`]) and the per-tick
//! figures of the chart ([`TickCounts`]).

use serde::{Deserialize, Serialize};

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Ok,
    Refused,
}

/// What the run counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    pub writes: u64,
    pub writes_acked: u64,
    /// Acknowledged, then gone for good. Leaderless: hidden forever behind an older write
    /// with a later timestamp (clock skew under last-write-wins). With a leader: not in the
    /// current leader's log (a failover left it behind, or a deposed leader took it).
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
    /// With a leader: followers promoted after the leader went silent.
    pub failovers: u64,
    /// With a leader: writes acknowledged by a leader that had already been replaced (split
    /// brain); each is also counted as lost.
    pub deposed_acks: u64,
    /// With a leader: entries a replica dropped from its log when it rejoined the current
    /// leader's history (its own divergent suffix).
    pub discarded: u64,
}

/// Counts of one tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickCounts {
    pub ok: u32,
    pub stale: u32,
    pub refused: u32,
    pub lost: u32,
}

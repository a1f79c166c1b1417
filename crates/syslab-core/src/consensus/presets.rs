//! The consensus lab's presets: each a story of how Raft keeps (or, with the unsafe rule,
//! loses) its promises, written as the lab's own link parameters so that a preset is exactly
//! what its share link opens.

use super::lab::RaftScenario;
use super::params::RAFT_PARAMS;
use crate::Preset;
use crate::query::parse_query;
use crate::schema;

/// The paper's Figure 8, step by step (servers numbered from 1): S1 leads and gets an entry
/// to S2 only; S5 wins the next term with S3 and S4 and takes another entry at that index;
/// S1 returns, wins a later term and replicates its old entry to a majority; then S1 crashes
/// and S5 wins again, its last entry's term being the higher.
pub const FIGURE_8: &str = "emin=400&emax=500&jit=0&rate=0&dur=1000&fault=0:timeout:1,100:write,200:cut:1>3,200:cut:1>4,200:cut:1>5,210:write,250:crash:1,250:heal:all,260:timeout:5,290:cut:5>1,290:cut:5>2,290:cut:5>3,290:cut:5>4,300:write,320:crash:5,320:heal:all,320:restart:1,330:timeout:1,360:timeout:1,420:crash:1,420:restart:5,430:timeout:5,460:timeout:5";

/// (id, label, title, link parameters), in menu order.
const PRESETS: &[(&str, &str, &str, &str)] = &[
    (
        "steady",
        "Steady",
        "Five servers elect a leader and replicate five writes a second: the baseline every other preset disturbs.",
        "",
    ),
    (
        "leader-crash",
        "Leader crash",
        "The leader crashes at 3 s: the followers' election timers run out, one of them wins the next term, and writes commit again.",
        "fault=3000:crash:L,6000:restart:1,6000:restart:2,6000:restart:3,6000:restart:4,6000:restart:5",
    ),
    (
        "split-vote",
        "Split vote",
        "Election timeouts of 150–152 ms: followers that heard the same heartbeat time out together, vote for themselves, and the election has to be repeated.",
        "emin=150&emax=152&fault=3000:crash:L",
    ),
    (
        "minority",
        "Minority partition",
        "At 2 s the leader and one follower are cut off from the other three: the old leader keeps taking writes it can never commit, the majority elects a leader and commits; at 6 s the partition heals and the old leader's entries are replaced.",
        "fault=2000:part:14/235,6000:heal:all",
    ),
    (
        "disruptive",
        "Disruptive return",
        "A follower is cut off for 3 s and keeps raising its term; when it returns its higher term forces the healthy leader to step down.",
        "fault=2000:part:1/2345,5000:heal:all",
    ),
    (
        "prevote",
        "… with pre-vote",
        "The same follower cut off with pre-vote on: it cannot win a pre-vote while isolated, so its term stays put and its return disturbs nothing.",
        "prevote=1&fault=2000:part:1/2345,5000:heal:all",
    ),
    (
        "stale-read",
        "Stale reads",
        "Clients read from any server: followers answer before they hear of the latest commit, and the cut-off minority keeps answering with old data; the linearizability check of the client history fails.",
        "reads=20&rate=10&readmode=stale&fault=2000:part:14/235,6000:heal:all",
    ),
    (
        "read-index",
        "ReadIndex reads",
        "The same partition with ReadIndex: a leader answers only after a majority confirms it still leads, so the deposed leader's reads go unanswered and the history is linearizable.",
        "reads=20&rate=10&fault=2000:part:14/235,6000:heal:all",
    ),
    (
        "figure-8",
        "Figure 8 (unsafe)",
        "The paper's Figure 8 with the unsafe rule: a leader commits an entry of an earlier term by counting replicas, then a server without it is elected; the leader-completeness check stops the run.",
        "unsafe=1&emin=400&emax=500&jit=0&rate=0&dur=1000&fault=0:timeout:1,100:write,200:cut:1>3,200:cut:1>4,200:cut:1>5,210:write,250:crash:1,250:heal:all,260:timeout:5,290:cut:5>1,290:cut:5>2,290:cut:5>3,290:cut:5>4,300:write,320:crash:5,320:heal:all,320:restart:1,330:timeout:1,360:timeout:1,420:crash:1,420:restart:5,430:timeout:5,460:timeout:5",
    ),
    (
        "figure-8-safe",
        "Figure 8 (safe)",
        "The same history with Raft's rule: the old entry is not committed by counting, so S5 may overwrite it and every property holds.",
        "emin=400&emax=500&jit=0&rate=0&dur=1000&fault=0:timeout:1,100:write,200:cut:1>3,200:cut:1>4,200:cut:1>5,210:write,250:crash:1,250:heal:all,260:timeout:5,290:cut:5>1,290:cut:5>2,290:cut:5>3,290:cut:5>4,300:write,320:crash:5,320:heal:all,320:restart:1,330:timeout:1,360:timeout:1,420:crash:1,420:restart:5,430:timeout:5,460:timeout:5",
    ),
];

/// The scenario of link parameters `query`.
pub fn from_query(query: &str) -> RaftScenario {
    schema::decode(
        RAFT_PARAMS,
        &parse_query(query),
        RaftScenario::default(),
        &[],
    )
    .0
}

/// The presets, in menu order.
pub fn presets() -> Vec<Preset<RaftScenario>> {
    PRESETS
        .iter()
        .map(|&(id, label, title, query)| Preset {
            id,
            label,
            title,
            scenario: from_query(query),
        })
        .collect()
}

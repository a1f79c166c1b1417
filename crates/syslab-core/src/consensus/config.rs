//! The consensus lab's configuration: the cluster, its timing, the network, the toggles, the
//! client's writes and the fault schedule ([`Fault`]), with the checks that refuse what the
//! simulation cannot run and the warnings for what it runs but a real cluster should not do.

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::schema::Choice;

/// The smallest cluster.
pub const MIN_NODES: u8 = 3;
/// The largest cluster.
pub const MAX_NODES: u8 = 9;
/// The most scheduled faults a scenario holds (live clicks included).
pub const MAX_FAULTS: usize = 64;
/// The longest run, in ms (one minute of simulated time).
pub const MAX_DURATION_MS: u32 = 60_000;
/// The longest election timeout, in ms.
pub const MAX_TIMEOUT_MS: u32 = 10_000;
/// The longest one-way latency or jitter, in ms.
pub const MAX_LATENCY_MS: f64 = 1_000.0;
/// The most client writes per second.
pub const MAX_RATE: f64 = 1_000.0;

/// How the clients' reads are served (the Raft thesis, §6.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadMode {
    /// The leader confirms it still leads with a round of heartbeats, then answers.
    #[default]
    ReadIndex,
    /// The leader answers at once while its lease (a majority's recent acknowledgement)
    /// holds; followers ignore campaigns while they hear from a leader.
    Lease,
    /// Any server answers from what it has applied: fast, and stale.
    Stale,
}

impl ReadMode {
    pub const CHOICES: &'static [Choice] = &[
        Choice {
            id: "readindex",
            label: "ReadIndex: confirm leadership, then answer",
        },
        Choice {
            id: "lease",
            label: "Lease: the leader answers while its lease holds",
        },
        Choice {
            id: "stale",
            label: "Stale: any server answers from its own state",
        },
    ];

    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "readindex" => Some(Self::ReadIndex),
            "lease" => Some(Self::Lease),
            "stale" => Some(Self::Stale),
            _ => None,
        }
    }
}

/// Which node a crash or a pause hits: a fixed one, or whoever leads at that moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// Node `i` (0-based; written 1-based, S1 to S9).
    Node(u8),
    /// The current leader (the up leader of the highest term), if any.
    Leader,
}

/// One change to the cluster or the network at a moment of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultKind {
    /// The node stops: its volatile state (role, commit index, votes received) is lost; its
    /// term, vote and log are kept.
    Crash(Target),
    /// A crashed node starts again as a follower.
    Restart(u8),
    /// The node stops processing (a long GC pause): messages to it are lost and its timers
    /// wait; it keeps every bit of state.
    Pause(Target),
    /// A paused node goes on where it stopped: timers that expired meanwhile fire now.
    Resume(u8),
    /// The node's election timer fires now (a test harness forcing a campaign).
    Timeout(u8),
    /// The link from → to drops every message (and to → from as well when `both`).
    Cut { from: u8, to: u8, both: bool },
    /// The link from → to (and back when `both`) carries messages again.
    Heal { from: u8, to: u8, both: bool },
    /// Every link between nodes of different groups is cut; links inside a group are healed.
    /// `group[i]` is node i's group; servers past the end of the list form one more group.
    Partition(Vec<u8>),
    /// Every link is healed.
    HealAll,
    /// One client write, sent to the current leader.
    Write,
}

/// A fault at a moment of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// When, in ms from the start.
    pub at_ms: u32,
    /// What.
    pub kind: FaultKind,
}

impl FaultKind {
    /// The nodes it names (0-based), for the check against the cluster's size.
    pub fn nodes(&self) -> Vec<u8> {
        match self {
            Self::Crash(Target::Node(n))
            | Self::Pause(Target::Node(n))
            | Self::Restart(n)
            | Self::Resume(n)
            | Self::Timeout(n) => vec![*n],
            Self::Cut { from, to, .. } | Self::Heal { from, to, .. } => vec![*from, *to],
            Self::Partition(groups) => (0..groups.len() as u8).collect(),
            Self::Crash(Target::Leader)
            | Self::Pause(Target::Leader)
            | Self::HealAll
            | Self::Write => Vec::new(),
        }
    }
}

/// The whole configuration of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RaftConfig {
    /// Seeds the election timeouts and the network.
    pub seed: u64,
    /// Servers in the cluster, 3 to 9.
    pub nodes: u8,
    /// The election timeout is drawn uniformly from [min, max] each time it is reset, in ms.
    pub elect_min_ms: u32,
    /// See `elect_min_ms`.
    pub elect_max_ms: u32,
    /// How often a leader sends AppendEntries when it has nothing new, in ms.
    pub heartbeat_ms: u32,
    /// The smallest one-way message delay, in ms.
    pub latency_ms: f64,
    /// A uniformly random extra delay from 0 to this, in ms.
    pub jitter_ms: f64,
    /// Time a server takes to persist its term, vote and log before it answers a
    /// RequestVote or an AppendEntries, in ms (added to every reply's delay).
    pub disk_ms: f64,
    /// The share of messages lost.
    pub loss: f64,
    /// The share of messages delivered twice.
    pub dup: f64,
    /// Pre-vote (thesis §9.6): a would-be candidate first asks whether it could win, without
    /// raising its term.
    pub prevote: bool,
    /// Check-quorum: a leader that has not heard from a majority within an election timeout
    /// steps down, and a node that heard from a leader within the minimum election timeout
    /// ignores vote requests.
    pub check_quorum: bool,
    /// Deliberately unsafe: a leader commits an entry of an earlier term once a majority
    /// holds it (the rule the paper's Figure 8 shows to be wrong).
    pub unsafe_commit: bool,
    /// Client writes per second, sent to the current leader.
    pub rate: f64,
    /// Client reads per second.
    pub read_rate: f64,
    /// How reads are served.
    pub read_mode: ReadMode,
    /// Length of the run, in ms.
    pub duration_ms: u32,
    /// Simulated time one step advances, in ms.
    pub tick_ms: u32,
    /// The fault schedule, in time order.
    pub faults: Vec<Fault>,
}

impl Default for RaftConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            nodes: 5,
            elect_min_ms: 150,
            elect_max_ms: 300,
            heartbeat_ms: 50,
            latency_ms: 10.0,
            jitter_ms: 5.0,
            disk_ms: 0.0,
            loss: 0.0,
            dup: 0.0,
            prevote: false,
            check_quorum: false,
            unsafe_commit: false,
            rate: 5.0,
            read_rate: 0.0,
            read_mode: ReadMode::ReadIndex,
            duration_ms: 10_000,
            tick_ms: 2,
            faults: Vec::new(),
        }
    }
}

impl RaftConfig {
    /// Votes a candidate needs, and replicas an entry needs to be committed.
    pub fn majority(&self) -> usize {
        usize::from(self.nodes) / 2 + 1
    }

    /// Steps in the run.
    pub fn n_ticks(&self) -> u64 {
        u64::from(self.duration_ms).div_ceil(u64::from(self.tick_ms.max(1)))
    }

    /// The run's length in ns.
    pub fn duration_ns(&self) -> u64 {
        u64::from(self.duration_ms) * 1_000_000
    }

    /// Refuses what the simulation cannot run, naming the parameter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(MIN_NODES..=MAX_NODES).contains(&self.nodes) {
            return Err(ConfigError::OutOfRange {
                what: "the cluster size (nodes)",
                value: self.nodes.to_string(),
                range: "3 to 9 servers",
            });
        }
        if self.elect_min_ms == 0 || self.elect_min_ms > MAX_TIMEOUT_MS {
            return Err(ConfigError::OutOfRange {
                what: "the minimum election timeout (emin)",
                value: self.elect_min_ms.to_string(),
                range: "1 to 10,000 ms",
            });
        }
        if self.elect_max_ms < self.elect_min_ms || self.elect_max_ms > MAX_TIMEOUT_MS {
            return Err(ConfigError::Invalid(format!(
                "the maximum election timeout (emax, {} ms) must be at least the minimum (emin, {} ms) and at most 10,000 ms",
                self.elect_max_ms, self.elect_min_ms
            )));
        }
        if self.heartbeat_ms == 0 || self.heartbeat_ms > MAX_TIMEOUT_MS {
            return Err(ConfigError::OutOfRange {
                what: "the heartbeat interval (hb)",
                value: self.heartbeat_ms.to_string(),
                range: "1 to 10,000 ms",
            });
        }
        for (what, v) in [
            ("the latency (lat)", self.latency_ms),
            ("the jitter (jit)", self.jitter_ms),
            ("the disk write (disk)", self.disk_ms),
        ] {
            if !(0.0..=MAX_LATENCY_MS).contains(&v) {
                return Err(ConfigError::Invalid(format!(
                    "{what} must be from 0 to 1,000 ms (got {v}): a message cannot arrive before it is sent"
                )));
            }
        }
        for (what, v) in [
            ("the loss (loss)", self.loss),
            ("the duplication (dup)", self.dup),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(ConfigError::Invalid(format!(
                    "{what} must be a share from 0 to 1 (got {v})"
                )));
            }
        }
        if !(0.0..=MAX_RATE).contains(&self.rate) {
            return Err(ConfigError::Invalid(format!(
                "the client rate (rate) must be from 0 to 1,000 writes per second (got {})",
                self.rate
            )));
        }
        if !(0.0..=MAX_RATE).contains(&self.read_rate) {
            return Err(ConfigError::Invalid(format!(
                "the read rate (reads) must be from 0 to 1,000 reads per second (got {})",
                self.read_rate
            )));
        }
        if self.duration_ms == 0 || self.duration_ms > MAX_DURATION_MS {
            return Err(ConfigError::OutOfRange {
                what: "the run length (dur)",
                value: self.duration_ms.to_string(),
                range: "1 to 60,000 ms",
            });
        }
        if self.tick_ms == 0 || self.tick_ms > self.duration_ms {
            return Err(ConfigError::Invalid(format!(
                "the step (tick, {} ms) must be at least 1 ms and at most the run's length (dur, {} ms)",
                self.tick_ms, self.duration_ms
            )));
        }
        if self.n_ticks() > 30_000 {
            return Err(ConfigError::Invalid(format!(
                "the run would take {} steps, over 30,000: raise the step (tick) or shorten the run (dur)",
                self.n_ticks()
            )));
        }
        self.validate_faults(&self.faults)
    }

    /// Checks a fault list against this cluster: in time order, inside the run, naming only
    /// nodes that exist.
    pub fn validate_faults(&self, faults: &[Fault]) -> Result<(), ConfigError> {
        if faults.len() > MAX_FAULTS {
            return Err(ConfigError::Invalid(format!(
                "the fault schedule (fault) holds at most {MAX_FAULTS} faults (it has {})",
                faults.len()
            )));
        }
        for (i, f) in faults.iter().enumerate() {
            if i > 0 && f.at_ms < faults[i - 1].at_ms {
                return Err(ConfigError::Invalid(format!(
                    "the fault schedule (fault) must be in time order: fault {} at {} ms comes after one at {} ms",
                    i + 1,
                    f.at_ms,
                    faults[i - 1].at_ms
                )));
            }
            if f.at_ms > self.duration_ms {
                return Err(ConfigError::Invalid(format!(
                    "fault {} of the schedule (fault) is at {} ms, after the run's end (dur, {} ms)",
                    i + 1,
                    f.at_ms,
                    self.duration_ms
                )));
            }
            if let Some(n) = f.kind.nodes().into_iter().find(|&n| n >= self.nodes) {
                return Err(ConfigError::Invalid(format!(
                    "fault {} of the schedule (fault) names S{}, but the cluster has S1 to S{} (nodes)",
                    i + 1,
                    u32::from(n) + 1,
                    self.nodes
                )));
            }
        }
        Ok(())
    }

    /// What the run allows but a real cluster should avoid, in sentences.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.heartbeat_ms >= self.elect_min_ms {
            out.push(format!(
                "The heartbeat ({} ms) is not shorter than the minimum election timeout ({} ms): followers time out between heartbeats from a healthy leader and start needless elections, so leadership keeps changing.",
                self.heartbeat_ms, self.elect_min_ms
            ));
        }
        if self.nodes.is_multiple_of(2) {
            out.push(format!(
                "An even cluster of {} tolerates no more failures than one of {}: a majority is {} of {}.",
                self.nodes,
                self.nodes - 1,
                self.majority(),
                self.nodes
            ));
        }
        if self.elect_min_ms == self.elect_max_ms {
            out.push("The election timeout has no randomness: followers that hear the same heartbeat time out together and split their votes again and again.".to_owned());
        }
        out
    }
}

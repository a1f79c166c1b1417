//! The replication lab's settings ([`ReplConfig`]), its scheduled link cuts ([`Cut`]), the
//! limits, and validation.

use serde::{Deserialize, Serialize};

use super::latency::{Delays, LatencyModel};
use super::modes::{Fault, MAX_FAULTS, Mode, ReadFrom, SyncMode, Target};
use crate::error::ConfigError;
use crate::schema::Choice;

/// The fewest and most replicas.
pub const MIN_REPLICAS: u32 = 3;
pub const MAX_REPLICAS: u32 = 9;
/// The shortest anti-entropy interval, ms.
pub const MIN_ANTI_ENTROPY_MS: u32 = 10;
/// The most link cuts a scenario holds.
pub const MAX_CUTS: usize = 64;
/// The longest run, ms.
pub const MAX_DURATION_MS: u32 = 600_000;
/// The most steps a run is cut into.
pub const MAX_TICKS: u64 = 20_000;
/// The most writes the staleness experiment simulates.
pub const MAX_PROBES: u32 = 500_000;

/// What a coordinator does when fewer than R (or W) replicas answer before the timeout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Consistency first: refuse the operation (the client sees an error).
    #[default]
    Cp,
    /// Availability first: answer with what the replicas it reached said (at least its own).
    Ap,
}

impl Policy {
    pub const CHOICES: &'static [Choice] = &[
        Choice {
            id: "cp",
            label: "CP: refuse below the quorum",
        },
        Choice {
            id: "ap",
            label: "AP: answer from whoever replied",
        },
    ];

    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "cp" => Some(Policy::Cp),
            "ap" => Some(Policy::Ap),
            _ => None,
        }
    }
}

/// Which replica coordinates a client's operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Always the client's own replica (c mod N): a sticky session.
    #[default]
    Sticky,
    /// A replica chosen at random for each operation (a load balancer without affinity).
    Random,
}

impl Route {
    pub const CHOICES: &'static [Choice] = &[
        Choice {
            id: "sticky",
            label: "its own replica",
        },
        Choice {
            id: "random",
            label: "a random replica each time",
        },
    ];

    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "sticky" => Some(Route::Sticky),
            "random" => Some(Route::Random),
            _ => None,
        }
    }
}

/// Links cut during a window of time: every message sent on them in the window is lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cut {
    /// Replicas on one side (0-based).
    pub from: Vec<u32>,
    /// Replicas on the other side (0-based).
    pub to: Vec<u32>,
    /// Whether messages from `to` to `from` are lost too (a symmetric partition).
    pub both: bool,
    /// When it starts, ms.
    pub start_ms: u64,
    /// When it heals, ms (`None`: never).
    pub end_ms: Option<u64>,
}

impl Cut {
    /// Whether a message from `a` to `b` sent at `ms` is lost to this cut.
    pub fn blocks(&self, a: u32, b: u32, ms: f64) -> bool {
        let active = ms >= self.start_ms as f64 && self.end_ms.is_none_or(|e| ms < e as f64);
        active
            && ((self.from.contains(&a) && self.to.contains(&b))
                || (self.both && self.from.contains(&b) && self.to.contains(&a)))
    }
}

/// Everything the replication lab simulates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplConfig {
    /// Seeds the traffic, the delays and the staleness experiment.
    pub seed: u64,
    /// Replicas, each holding every key.
    pub n: u32,
    /// Replies a read waits for.
    pub r: u32,
    /// Acknowledgements a write waits for.
    pub w: u32,
    /// What a coordinator does below its quorum.
    pub policy: Policy,
    /// Whether a read sends the newest version it saw to replicas that answered with older.
    pub read_repair: bool,
    /// Whether the same traffic, faults and delays also run under the other quorum choices
    /// (R = W = 1; write all; read all; majorities), for the comparison table.
    pub compare: bool,
    /// Every this many ms each replica compares its Merkle tree with a peer's and sends the
    /// newer version of each key that differs (0: no anti-entropy).
    pub anti_entropy_ms: u32,
    /// Delay model of every link.
    pub latency: LatencyModel,
    /// Mean write-request delay (constant and exponential models), ms.
    pub wmean: f64,
    /// Mean delay of acknowledgements, reads and repairs (constant and exponential), ms.
    pub amean: f64,
    /// Share of messages lost at random.
    pub loss: f64,
    /// Clock skew: replica clocks run from −skew to +skew ms off true time, evenly spread.
    pub skew_ms: f64,
    /// How long a coordinator waits for its quorum, ms.
    pub timeout_ms: u32,
    /// Clients; client c talks to replica c mod N, which coordinates its operations.
    pub clients: u32,
    /// Which replica coordinates each operation.
    pub route: Route,
    /// Operations per second over all clients.
    pub rate: f64,
    /// Share of operations that are writes.
    pub write_share: f64,
    /// Distinct keys.
    pub keys: u32,
    /// Share of operations on key 0, the hot key (the rest are uniform).
    pub hot: f64,
    /// Length of the run, ms.
    pub duration_ms: u32,
    /// Simulated time one step advances, ms.
    pub tick_ms: u32,
    /// Scheduled link cuts.
    pub cuts: Vec<Cut>,
    /// Writes the staleness experiment simulates (0: none).
    pub probes: u32,
    /// The staleness curve's last t, ms (0: chosen from the data).
    pub tmax: f64,
    /// Leaderless quorums, or a leader and followers.
    pub mode: Mode,
    /// With a leader: when it acknowledges a write.
    pub sync: SyncMode,
    /// With a leader and semi-synchronous replication: the followers that must have a write
    /// before the leader acknowledges it.
    pub acks: u32,
    /// With a leader: which replica answers reads.
    pub read_from: ReadFrom,
    /// With a leader: how long followers go without hearing from it before one of them is
    /// promoted, ms. The leader sends a heartbeat every quarter of it.
    pub detect_ms: u32,
    /// With a leader: whether followers check the leader's epoch and the leader needs a
    /// lease (acknowledged heartbeats from a majority within `detect_ms`) to serve.
    pub fence: bool,
    /// Scheduled crashes and restarts, in time order.
    pub faults: Vec<Fault>,
}

impl Default for ReplConfig {
    fn default() -> Self {
        ReplConfig {
            seed: 1,
            n: 3,
            r: 1,
            w: 1,
            policy: Policy::Cp,
            read_repair: true,
            anti_entropy_ms: 0,
            compare: false,
            latency: LatencyModel::Exponential,
            wmean: 20.0,
            amean: 20.0,
            loss: 0.0,
            skew_ms: 0.0,
            timeout_ms: 500,
            clients: 6,
            route: Route::Sticky,
            rate: 100.0,
            write_share: 0.3,
            keys: 20,
            hot: 0.0,
            duration_ms: 10_000,
            tick_ms: 10,
            cuts: Vec::new(),
            probes: 20_000,
            tmax: 0.0,
            mode: Mode::Leaderless,
            sync: SyncMode::Async,
            acks: 1,
            read_from: ReadFrom::Leader,
            detect_ms: 1_000,
            fence: true,
            faults: Vec::new(),
        }
    }
}

impl ReplConfig {
    /// The delays of the links.
    pub fn delays(&self) -> Delays {
        Delays {
            model: self.latency,
            wmean: self.wmean,
            amean: self.amean,
        }
    }

    /// Steps in the run.
    pub fn n_ticks(&self) -> u64 {
        u64::from(self.duration_ms).div_ceil(u64::from(self.tick_ms.max(1)))
    }

    /// Anti-entropy rounds in the run (each replica starts one session a round).
    pub fn anti_entropy_rounds(&self) -> u64 {
        match self.anti_entropy_ms {
            0 => 0,
            every => u64::from(self.duration_ms) / u64::from(every),
        }
    }

    /// Followers whose acknowledgement the leader waits for before it acknowledges a write.
    pub fn follower_acks(&self) -> u32 {
        match self.sync {
            SyncMode::Sync => self.n - 1,
            SyncMode::Semi => self.acks.min(self.n - 1),
            SyncMode::Async => 0,
        }
    }

    /// The leader's heartbeat interval, ns: a quarter of the detection timeout.
    pub fn heartbeat_ns(&self) -> u64 {
        (u64::from(self.detect_ms) * 1_000_000 / 4).max(1)
    }

    /// The configurations compared with this one (`compare`): each quorum choice (or, with a
    /// leader, each replication mode) with every other setting kept, but the one this config
    /// already is, with its label.
    pub fn compared(&self) -> Vec<(String, ReplConfig)> {
        if !self.compare {
            return Vec::new();
        }
        if self.mode == Mode::Leader {
            return [SyncMode::Sync, SyncMode::Semi, SyncMode::Async]
                .into_iter()
                .filter(|&s| s != self.sync)
                .map(|sync| {
                    let config = ReplConfig {
                        sync,
                        compare: false,
                        probes: 0,
                        ..self.clone()
                    };
                    (config.sync_label(), config)
                })
                .collect();
        }
        let n = self.n;
        let majority = n / 2 + 1;
        [
            ("R = W = 1", 1, 1),
            ("write all (W = N)", 1, n),
            ("read all (R = N)", n, 1),
            ("majorities", majority, majority),
        ]
        .into_iter()
        .filter(|&(_, r, w)| (r, w) != (self.r, self.w))
        .map(|(label, r, w)| {
            let config = ReplConfig {
                r,
                w,
                compare: false,
                probes: 0,
                ..self.clone()
            };
            (format!("{label}: R={r} W={w}"), config)
        })
        .collect()
    }

    /// "asynchronous", "semi-synchronous (k = 1)", "synchronous".
    pub fn sync_label(&self) -> String {
        match self.sync {
            SyncMode::Sync => "synchronous".to_owned(),
            SyncMode::Semi => format!("semi-synchronous (k = {})", self.follower_acks()),
            SyncMode::Async => "asynchronous".to_owned(),
        }
    }

    /// Expected operations in the run.
    pub fn expected_ops(&self) -> f64 {
        self.rate * f64::from(self.duration_ms) / 1_000.0
    }

    /// Checks the settings alone and together, with a sentence naming what is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |s: String| Err(ConfigError::Invalid(s));
        if !(MIN_REPLICAS..=MAX_REPLICAS).contains(&self.n) {
            return bad(format!(
                "replicas (n) must be from {MIN_REPLICAS} to {MAX_REPLICAS} (got {})",
                self.n
            ));
        }
        for (name, key, v) in [("read quorum", "r", self.r), ("write quorum", "w", self.w)] {
            if v == 0 || v > self.n {
                return bad(format!(
                    "the {name} ({key}) must be from 1 to the number of replicas, {} (got {v})",
                    self.n
                ));
            }
        }
        let positive = [
            ("wmean", self.wmean),
            ("amean", self.amean),
            ("rate", self.rate),
        ];
        for (key, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return bad(format!("{key} must be a number above 0 (got {v})"));
            }
        }
        for (key, v, hi) in [
            ("loss", self.loss, 0.9),
            ("writes", self.write_share, 1.0),
            ("hot", self.hot, 1.0),
        ] {
            if !(v.is_finite() && (0.0..=hi).contains(&v)) {
                return bad(format!("{key} must be from 0 to {hi} (got {v})"));
            }
        }
        let finite = self.skew_ms.is_finite() && self.tmax.is_finite();
        if !(finite && self.skew_ms >= 0.0 && self.tmax >= 0.0) {
            return bad("skew and tmax must be numbers from 0".to_owned());
        }
        if self.clients == 0 || self.keys == 0 || self.timeout_ms == 0 {
            return bad("clients, keys and the timeout must be at least 1".to_owned());
        }
        if self.duration_ms == 0 || self.duration_ms > MAX_DURATION_MS {
            return bad(format!(
                "the run (dur) must be from 1 to {MAX_DURATION_MS} ms (got {})",
                self.duration_ms
            ));
        }
        if self.tick_ms == 0 || self.tick_ms > self.duration_ms {
            return bad("a step (tick) must be from 1 ms to the run's length".to_owned());
        }
        if self.n_ticks() > MAX_TICKS {
            return bad(format!(
                "the run would take {} steps, over {MAX_TICKS}: lengthen tick or shorten dur",
                self.n_ticks()
            ));
        }
        if self.anti_entropy_ms != 0 && self.anti_entropy_ms < MIN_ANTI_ENTROPY_MS {
            return bad(format!(
                "anti-entropy (ae) runs at most every {MIN_ANTI_ENTROPY_MS} ms, or 0 for none \
                 (got {})",
                self.anti_entropy_ms
            ));
        }
        if self.probes > MAX_PROBES {
            return bad(format!(
                "the staleness experiment (probes) simulates at most {MAX_PROBES} writes"
            ));
        }
        if self.cuts.len() > MAX_CUTS {
            return bad(format!(
                "at most {MAX_CUTS} link cuts (got {})",
                self.cuts.len()
            ));
        }
        for (i, cut) in self.cuts.iter().enumerate() {
            let side_ok = |side: &[u32]| !side.is_empty() && side.iter().all(|&x| x < self.n);
            if !side_ok(&cut.from) || !side_ok(&cut.to) {
                return bad(format!(
                    "cut {} names a replica that does not exist (there are {}, numbered from 1)",
                    i + 1,
                    self.n
                ));
            }
            if cut.from.iter().any(|x| cut.to.contains(x)) {
                return bad(format!("cut {} puts a replica on both sides", i + 1));
            }
            if cut.end_ms.is_some_and(|e| e <= cut.start_ms) {
                return bad(format!("cut {} heals before it starts", i + 1));
            }
        }
        self.validate_leader()
    }

    fn validate_leader(&self) -> Result<(), ConfigError> {
        let bad = |s: String| Err(ConfigError::Invalid(s));
        if self.acks == 0 || self.acks >= self.n {
            return bad(format!(
                "semi-synchronous acknowledgements (acks) must be from 1 to N − 1, {} (got {})",
                self.n - 1,
                self.acks
            ));
        }
        if !(10..=60_000).contains(&self.detect_ms) {
            return bad(format!(
                "the failure detection timeout (detect) must be from 10 to 60,000 ms (got {})",
                self.detect_ms
            ));
        }
        if self.faults.len() > MAX_FAULTS {
            return bad(format!(
                "at most {MAX_FAULTS} faults (got {})",
                self.faults.len()
            ));
        }
        for (i, f) in self.faults.iter().enumerate() {
            match f.target {
                Target::Replica(r) if r >= self.n => {
                    return bad(format!(
                        "fault {} names replica {} (there are {})",
                        i + 1,
                        r + 1,
                        self.n
                    ));
                }
                // A fault on the leader (L) does nothing without one: refusing it would
                // make a link that switches mode lose its crashes too.
                _ => {}
            }
        }
        Ok(())
    }
}

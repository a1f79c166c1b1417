//! syslab-core: pure, seeded, deterministic simulations of system-design concepts.
//!
//! The crate has no clock, no I/O, no ambient randomness and no web dependency: the same
//! [`Scenario`] gives the same [`Snapshot`] natively, in wasm, in the CLI and in the browser.
//! Each lab is one module behind the [`Lab`] trait, and [`LABS`] lists them all.

pub mod cache;
pub mod error;
pub mod format;
pub mod hash;
pub mod lb;
pub mod query;
pub mod ratelimit;
pub mod ring;
pub mod rng;
pub mod time;

use serde::{Deserialize, Serialize};

pub use error::ConfigError;
pub use query::Notice;

/// The scenario format version this build writes and the newest it reads.
pub const SCENARIO_VERSION: u32 = 1;

/// The shape every lab shares: a scenario in, changes in, a snapshot out.
pub trait Lab: Sized {
    /// The lab's whole state, as data.
    type Scenario: Serialize + for<'de> Deserialize<'de> + Default + Clone;
    /// The lab's numbers, as data.
    type Snapshot: Serialize;

    /// Builds the lab, refusing configs it cannot simulate.
    fn from_scenario(scenario: &Self::Scenario) -> Result<Self, ConfigError>;
    /// The lab's state as a scenario, such that `from_scenario` rebuilds it exactly.
    fn to_scenario(&self) -> Self::Scenario;
    /// One step of the lab's simulation (what "step" and "play" do).
    fn step(&mut self) -> Result<(), ConfigError>;
    /// Everything the lab shows, as numbers.
    fn snapshot(&self) -> Self::Snapshot;
}

impl Lab for ring::RingLab {
    type Scenario = ring::RingScenario;
    type Snapshot = ring::RingSnapshot;

    fn from_scenario(scenario: &Self::Scenario) -> Result<Self, ConfigError> {
        ring::RingLab::new(scenario)
    }
    fn to_scenario(&self) -> Self::Scenario {
        self.scenario()
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        ring::RingLab::step(self).map(|_| ())
    }
    fn snapshot(&self) -> Self::Snapshot {
        ring::RingLab::snapshot(self)
    }
}

impl Lab for cache::CacheLab {
    type Scenario = cache::CacheScenario;
    type Snapshot = cache::CacheSnapshot;

    fn from_scenario(scenario: &Self::Scenario) -> Result<Self, ConfigError> {
        cache::CacheLab::new(scenario)
    }
    fn to_scenario(&self) -> Self::Scenario {
        self.scenario()
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        cache::CacheLab::step(self)
    }
    fn snapshot(&self) -> Self::Snapshot {
        cache::CacheLab::snapshot(self)
    }
}

impl Lab for ratelimit::RateLimitLab {
    type Scenario = ratelimit::RateLimitScenario;
    type Snapshot = ratelimit::RateLimitSnapshot;

    fn from_scenario(scenario: &Self::Scenario) -> Result<Self, ConfigError> {
        ratelimit::RateLimitLab::new(scenario)
    }
    fn to_scenario(&self) -> Self::Scenario {
        self.scenario()
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        ratelimit::RateLimitLab::step(self)
    }
    fn snapshot(&self) -> Self::Snapshot {
        ratelimit::RateLimitLab::snapshot(self)
    }
}

impl Lab for lb::LoadBalancerLab {
    type Scenario = lb::LbScenario;
    type Snapshot = lb::LbSnapshot;

    fn from_scenario(scenario: &Self::Scenario) -> Result<Self, ConfigError> {
        lb::LoadBalancerLab::new(scenario)
    }
    fn to_scenario(&self) -> Self::Scenario {
        self.scenario()
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        lb::LoadBalancerLab::step(self)
    }
    fn snapshot(&self) -> Self::Snapshot {
        lb::LoadBalancerLab::snapshot(self)
    }
}

/// Whether a lab can be used yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabStatus {
    /// Built and tested.
    Ready,
    /// Simulated and tested in the core and the CLI; the site lists it as coming.
    Cli,
    /// Planned; listed so users know it is coming.
    Coming,
}

/// A lab's entry in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LabInfo {
    /// URL path segment and CLI name.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// One sentence on what it shows.
    pub summary: &'static str,
    /// Whether it is usable.
    pub status: LabStatus,
}

/// Every lab, in the order the landing page lists them.
pub const LABS: &[LabInfo] = &[
    LabInfo {
        id: "ring",
        title: "Consistent hashing",
        summary: "Drag nodes around a hash ring and watch which keys move; compare the ring with modulo, rendezvous, jump, Maglev and bounded loads.",
        status: LabStatus::Ready,
    },
    LabInfo {
        id: "rate-limiter",
        title: "Rate limiters",
        summary: "Token and leaky buckets, fixed and sliding windows, GCRA: see the fixed window's double burst and the cost of distributed counting.",
        status: LabStatus::Ready,
    },
    LabInfo {
        id: "cache",
        title: "Caches",
        summary: "LRU, LFU, ARC, SIEVE, S3-FIFO and Bélády's optimum on the same trace, and what each write strategy risks.",
        status: LabStatus::Ready,
    },
    LabInfo {
        id: "load-balancer",
        title: "Load balancers",
        summary: "Round robin to peak EWMA on the same traffic: why least connections wins when costs vary, and what a slow server does.",
        status: LabStatus::Ready,
    },
];

/// The error for a lab id that is not in the registry, or not ready yet.
pub fn not_a_lab(id: &str) -> ConfigError {
    let ready = LABS
        .iter()
        .filter(|l| l.status == LabStatus::Ready)
        .map(|l| l.id)
        .collect::<Vec<_>>()
        .join(", ");
    match lab_info(id) {
        Some(lab) => ConfigError::Parse(format!(
            "{id:?} is not a lab yet ({}: coming soon); the labs are: {ready}",
            lab.title
        )),
        None => ConfigError::Parse(format!("{id:?} is not a lab; the labs are: {ready}")),
    }
}

/// The registry entry of lab `id`.
pub fn lab_info(id: &str) -> Option<&'static LabInfo> {
    LABS.iter().find(|lab| lab.id == id)
}

/// A scenario of any lab, tagged with the lab's id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lab", rename_all = "kebab-case")]
pub enum Scenario {
    /// The consistent-hashing lab.
    Ring(ring::RingScenario),
    /// The rate-limiter lab.
    RateLimiter(ratelimit::RateLimitScenario),
    /// The load-balancer lab.
    LoadBalancer(lb::LbScenario),
    /// The cache lab.
    Cache(cache::CacheScenario),
}

/// A snapshot of any lab, tagged with the lab's id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lab", rename_all = "kebab-case")]
pub enum Snapshot {
    /// The consistent-hashing lab.
    Ring(Box<ring::RingSnapshot>),
    /// The rate-limiter lab.
    RateLimiter(ratelimit::RateLimitSnapshot),
    /// The load-balancer lab.
    LoadBalancer(lb::LbSnapshot),
    /// The cache lab.
    Cache(Box<cache::CacheSnapshot>),
}

impl Scenario {
    /// The lab's id.
    pub fn lab_id(&self) -> &'static str {
        match self {
            Scenario::Ring(_) => "ring",
            Scenario::RateLimiter(_) => "rate-limiter",
            Scenario::LoadBalancer(_) => "load-balancer",
            Scenario::Cache(_) => "cache",
        }
    }

    /// The default scenario of a ready lab.
    pub fn example(lab_id: &str) -> Option<Scenario> {
        match lab_id {
            "ring" => Some(Scenario::Ring(ring::RingScenario::default())),
            "rate-limiter" => Some(Scenario::RateLimiter(
                ratelimit::RateLimitScenario::default(),
            )),
            "load-balancer" => Some(Scenario::LoadBalancer(lb::LbScenario::default())),
            "cache" => Some(Scenario::Cache(cache::CacheScenario::default())),
            _ => None,
        }
    }

    /// Parses a scenario from JSON, checking its version.
    pub fn from_json(text: &str) -> Result<Scenario, ConfigError> {
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        let version = match &scenario {
            Scenario::Ring(s) => s.version,
            Scenario::RateLimiter(s) => s.version,
            Scenario::LoadBalancer(s) => s.version,
            Scenario::Cache(s) => s.version,
        };
        if version > SCENARIO_VERSION {
            return Err(ConfigError::UnsupportedVersion(version));
        }
        Ok(scenario)
    }

    /// Reads a scenario from a playground URL (`…/ring?…` or `…/embed.html?lab=ring&…`).
    /// Bad parameters become notices; an unknown lab is an error.
    pub fn from_url(url: &str) -> Result<(Scenario, Vec<Notice>), ConfigError> {
        let pairs = query::parse_query(query::query_of(url));
        let segment = query::last_segment(url);
        let lab = pairs
            .iter()
            .find(|(k, _)| k == "lab")
            .map(|(_, v)| v.as_str())
            .unwrap_or(segment);
        Scenario::from_params(lab, &pairs)
    }

    /// Reads lab `lab_id`'s scenario from decoded parameters.
    pub fn from_params(
        lab_id: &str,
        pairs: &[(String, String)],
    ) -> Result<(Scenario, Vec<Notice>), ConfigError> {
        match lab_id {
            "ring" => {
                let (s, notices) = ring::scenario_from_params(pairs);
                Ok((Scenario::Ring(s), notices))
            }
            "rate-limiter" => {
                let (s, notices) = ratelimit::scenario_from_params(pairs);
                Ok((Scenario::RateLimiter(s), notices))
            }
            "load-balancer" => {
                let (s, notices) = lb::scenario_from_params(pairs);
                Ok((Scenario::LoadBalancer(s), notices))
            }
            "cache" => {
                let (s, notices) = cache::scenario_from_params(pairs);
                Ok((Scenario::Cache(s), notices))
            }
            other => Err(not_a_lab(other)),
        }
    }

    /// The scenario's parameters for a share link.
    pub fn to_params(&self) -> Vec<(String, String)> {
        match self {
            Scenario::Ring(s) => ring::scenario_to_params(s),
            Scenario::RateLimiter(s) => ratelimit::scenario_to_params(s),
            Scenario::LoadBalancer(s) => lb::scenario_to_params(s),
            Scenario::Cache(s) => cache::scenario_to_params(s),
        }
    }

    /// Runs the scenario and returns its snapshot.
    pub fn run(&self) -> Result<Snapshot, ConfigError> {
        match self {
            Scenario::Ring(s) => Ok(Snapshot::Ring(Box::new(ring::RingLab::new(s)?.snapshot()))),
            Scenario::RateLimiter(s) => {
                // A run is reported whole: the scenario's steps say where the browser's
                // playhead was, the CLI prints the complete run.
                let mut lab = ratelimit::RateLimitLab::new(s)?;
                lab.run_to_end();
                Ok(Snapshot::RateLimiter(lab.snapshot()))
            }
            Scenario::LoadBalancer(s) => {
                // Reported whole, like the rate limiter: the run, then the drain.
                let mut lab = lb::LoadBalancerLab::new(s)?;
                lab.run_to_end();
                Ok(Snapshot::LoadBalancer(lab.snapshot()))
            }
            Scenario::Cache(s) => {
                // Like the rate limiter, the whole run (and the whole miss-ratio curve).
                let mut lab = cache::CacheLab::new(s)?;
                lab.run_to_end();
                Ok(Snapshot::Cache(Box::new(lab.snapshot())))
            }
        }
    }
}

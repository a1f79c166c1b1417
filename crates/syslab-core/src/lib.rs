//! syslab-core: pure, seeded, deterministic simulations of system-design concepts.
//!
//! The crate has no clock, no I/O, no ambient randomness and no web dependency: the same
//! [`Scenario`] gives the same [`Snapshot`] natively, in wasm, in the CLI and in the browser.
//! Each lab is one module behind the [`Lab`] trait, and [`LABS`] lists them all.

pub mod cache;
pub mod chart;
pub mod check;
pub mod consensus;
pub mod contract;
pub mod embed;
pub mod error;
pub mod format;
pub mod hash;
pub mod lb;
pub mod linearizability;
pub mod query;
pub mod ratelimit;
pub mod replication;
pub mod resilience;
pub mod ring;
pub mod rng;
pub mod schema;
pub mod sort;
pub mod story;
pub mod time;

use serde::Serialize;

pub use contract::{Lab, LabScenario, Preset};

/// The scenario format version this build writes and the newest it reads.
pub const SCENARIO_VERSION: u32 = 1;
pub use error::ConfigError;
pub use query::Notice;

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

contract::registry! {
    Ring => ring::RingLab,
    RateLimiter => ratelimit::RateLimitLab,
    Cache => cache::CacheLab,
    LoadBalancer => lb::LoadBalancerLab,
    Resilience => resilience::ResilienceLab,
    Replication => replication::ReplLab,
    Consensus => consensus::RaftLab,
}

impl Scenario {
    /// Reads a scenario from a playground URL (`…/ring?…` or `…/embed.html?lab=ring&…`).
    /// Bad parameters become notices; an unknown lab is an error. As on the site, `lab=`
    /// chooses the lab only on the embed page; elsewhere the path does.
    pub fn from_url(url: &str) -> Result<(Scenario, Vec<Notice>), ConfigError> {
        let pairs = query::parse_query(query::query_of(url));
        let segment = query::last_segment(url);
        let lab = match segment {
            "embed.html" | "embed" => pairs
                .iter()
                .find(|(k, _)| k == "lab")
                .map_or("", |(_, v)| v.as_str()),
            _ => segment,
        };
        Scenario::from_params(lab, &pairs)
    }
}

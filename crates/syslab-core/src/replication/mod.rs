//! Replication: N replicas on a simulated network with per-link delay distributions (the PBS
//! paper's production fits among them), message loss and scheduled or live link cuts;
//! leaderless N/R/W quorums with last-write-wins on skewed clocks and read repair; an honest
//! count of what clients saw; and the staleness curve measured by Monte Carlo next to the
//! closed form.
//!
//! # For the browser shell
//!
//! ```text
//! let mut lab = <ReplLab as Lab>::new(&scenario)?;      // or Scenario::from_url(…)
//! lab.step()?;                                          // one tick (Play, Step, Run to the end)
//! let view = lab.view();                                // ReplView: circle, links, dots, chart, table
//! lab.apply(ReplAction::ToggleLink { a: 0, b: 2 })?;    // a click on a link
//! lab.set_param("r", "2")?;                             // live controls (REPL_PARAMS)
//! ```

mod actions;
mod checks;
mod config;
mod counts;
mod entropy;
mod failover;
mod history;
mod lab;
mod latency;
mod leader;
mod merkle;
mod modes;
mod params;
mod presets;
mod roles;
mod sim;
mod snapshot;
mod staleness;
mod stories;
mod versions;
mod view;
mod wire;

pub use actions::ReplAction;
pub use config::{
    Cut, MAX_CUTS, MAX_DURATION_MS, MAX_PROBES, MAX_REPLICAS, MIN_ANTI_ENTROPY_MS, MIN_REPLICAS,
    Policy, ReplConfig, Route,
};
pub use counts::{Counts, Outcome, TickCounts};
pub use history::{LIN_BUDGET, LIN_PIECE, LinCheck, LinState};
pub use lab::{ReplLab, ReplScenario};
pub use latency::{Delays, LatencyModel, Leg, WAN_DELAY_MS};
pub use merkle::{MerkleDiff, MerkleTree, Stamp};
pub use modes::{Fault, MAX_FAULTS, Mode, ReadFrom, SyncMode, Target};
pub use params::{MAX_AE_COMPARISONS, MAX_WORK, REPL_PARAMS};
pub use presets::presets;
pub use sim::Sim;
pub use snapshot::{ComparedRun, ReplSnapshot, ReplicaRow};
pub use staleness::{
    CURVE_POINTS, ExpClosedForm, Staleness, StalenessSetup, binomial, quorum_miss,
};
pub use versions::{Dot, LwwRegister, ReadResult, Sibling, VersionVector, VvRegister};
pub use view::{
    CompareRowView, DotView, LinkView, MAX_DOTS, Point, ReplView, ReplicaView, RowView, VIEW_SIZE,
};
pub use wire::{Entry, Msg, MsgKind, Version};

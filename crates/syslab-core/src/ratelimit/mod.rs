//! Rate limiters: token and leaky buckets, fixed and sliding windows and GCRA, deciding the
//! same seeded traffic, per client key, alone or as a cluster behind a load balancer.
//!
//! A [`RateLimitLab`] replays a [`RateLimitScenario`] tick by tick behind the [`crate::Lab`]
//! contract; [`RateLimitLab::snapshot`] gives its numbers and [`RateLimitLab::view`] the
//! browser's view model. Its parameters are [`RATE_LIMIT_PARAMS`], its budget [`MAX_WORK`].
//! The algorithms themselves are plain data: [`LimitParams::decide`] on a [`KeyState`], with
//! time as an input.

mod actions;
mod algorithm;
mod arrivals;
mod checks;
mod cluster;
mod config;
mod decision;
mod kind;
mod lab;
mod limiter;
mod metrics;
mod params;
mod presets;
mod snapshot;
mod state;
mod stories;
mod traffic;
mod view;

pub use crate::time::Nanos;
pub use actions::RateLimitAction;
pub use algorithm::LimitParams;
pub use arrivals::{Arrival, MAX_ARRIVALS};
pub use cluster::{Balancer, Cluster, ClusterConfig, MAX_INSTANCES, MAX_RTT_US, StoreMode};
pub use config::{
    KeyKind, MAX_BURST, MAX_KEY_STATES, MAX_LIMIT, MAX_MS, MAX_QUEUE, MAX_RACY_LOG_LIMIT,
    MAX_TICKS, RateLimitConfig,
};
pub use decision::{Decision, Headers, Outcome, Verdict};
pub use kind::AlgorithmKind;
pub use lab::{RateLimitLab, RateLimitScenario, Response, compare};
pub use limiter::Limiter;
pub use metrics::{N_BUCKETS, jain, max_in_window, max_min_fair, percentile};
pub use params::{MAX_WORK, RATE_LIMIT_PARAMS, work};
pub use snapshot::{
    ClientRow, MAX_LISTED_CLIENTS, OutcomeCounts, RateLimitSnapshot, RunSnapshot, SeriesPoint,
    WaitStats,
};
pub use state::KeyState;
pub use traffic::{MAX_CLIENTS, MAX_RATE, Pattern, TrafficConfig};
pub use view::{LANE_HEIGHT, LaneView, MAX_MARKS, MarkLayer, RateLimitView, RowView, VIEW_WIDTH};

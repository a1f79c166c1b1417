//! Load balancers: clients, a balancer and servers in a seeded discrete-event simulation, with
//! ten algorithms from round robin to peak EWMA compared on identical traffic.
//!
//! A [`LoadBalancerLab`] replays an [`LbScenario`] tick by tick. Each algorithm runs its own
//! simulation of the same arrivals (same times, clients and costs): servers with a capacity, a
//! FIFO queue with a limit, a power (speed) and a state (up, down, slow); health checks that
//! take failed servers out and bring them back; per-attempt timeouts and retries within a
//! retry budget; L4 or L7 routing (L7 splits /api and /static into pools and hashes on the
//! user header instead of the source address, which matters behind a forward proxy). Every
//! generated request ends exactly once, as a success, a timeout or a rejection.
//!
//! # For the browser shell
//!
//! ```text
//! let mut lab = <LoadBalancerLab as Lab>::new(&scenario)?; // or Scenario::from_url(…)
//! lab.step()?;                                      // one tick (Play, Step, Run to the end)
//! let view = lab.view();                            // LbView: positions, dots, bars, chart, table
//! lab.apply(LbAction::ClickServer { server, up_becomes: ServerState::Down })?; // a click
//! lab.set_param("alg", "peak_ewma")?;               // live controls (LB_PARAMS)
//! LoadBalancerLab::to_params(&lab.scenario());      // share link
//! ```
//!
//! Errors leave the lab unchanged; show their text. [`LoadBalancerLab::snapshot`] is the same
//! numbers as plain data, what the CLI prints.

mod actions;
mod balancer;
mod checks;
mod config;
mod event;
mod fifo;
mod health;
mod heap;
mod lab;
mod metrics;
mod params;
mod presets;
mod request;
mod sim;
mod snapshot;
mod stories;
mod traffic;
mod view;
mod ziggurat;

pub use crate::time::Nanos;
pub use actions::LbAction;
pub use balancer::{
    Algorithm, Balancer, BalancerParams, Pool, VNODES_PER_WEIGHT, random_choice, two_choices,
};
pub use config::{
    HealthConfig, LbConfig, MAX_CAPACITY, MAX_CHANGES, MAX_CLIENTS, MAX_DURATION_MS, MAX_QUEUE,
    MAX_RATE, MAX_REQUESTS, MAX_RETRIES, MAX_SERVERS, MAX_SLOWDOWN, MAX_TICKS, ServerChange,
    ServerSpec, ServerState, ServiceDist,
};
pub use lab::{DRAIN_LIMIT_MS, LbScenario, LoadBalancerLab};
pub use metrics::{Counts, Histogram, Percentiles, ServerSample, TickPoint};
pub use params::{LB_PARAMS, LbWork, MAX_HELD, MAX_WORK};
pub use presets::presets;
pub use snapshot::{LbSnapshot, MAX_SERIES, RunSnapshot, ServerRow};
pub use view::{
    DotKind, LbView, MAX_CLIENT_GLYPHS, MAX_DOTS, Point, RowView, ServerView, TRIP_LEG_TICKS,
    TripView, VIEW_HEIGHT, VIEW_WIDTH,
};

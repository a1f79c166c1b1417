//! Resilience: a call chain (clients → A → B, optionally → C) under faults, with the policies
//! that keep it up or bring it down: per-attempt timeouts and a propagated deadline, retries
//! with backoff and jitter, retry budgets and quotas, circuit breakers, adaptive throttling
//! and hedged requests, compared on identical traffic.
//!
//! The simulation reuses the load balancer's discrete-event machinery (its event heap,
//! seeded arrivals with a burst, ziggurat exponentials and latency histogram). Every client
//! request ends exactly once: a success, an error, a timeout, shed, refused by a breaker or
//! throttled; every attempt is counted at its tier.
//!
//! # For the browser shell
//!
//! ```text
//! let mut lab = <ResilienceLab as Lab>::new(&scenario)?;
//! lab.step()?;                                       // one tick
//! let view = lab.view();                             // ResView: chain, charts, table
//! lab.apply(ResAction::ClickTier { tier: 1, kind: FaultKind::Down })?;
//! lab.set_param("ra", "3")?;                         // live controls (RES_PARAMS)
//! ```

mod actions;
mod cache;
mod cache_view;
mod checks;
mod config;
mod lab;
mod metrics;
mod params;
mod policy;
mod presets;
mod sim;
mod snapshot;
mod stampede;
mod stories;
mod view;

pub use actions::ResAction;
pub use cache::{CacheCounts, CacheFix, CacheSpec, MAX_KEYS};
pub use cache_view::CacheRowView;
pub use checks::{erlang_b, expected_peak_retries, xfetch_recomputes_per_refresh};
pub use config::{
    Backoff, BreakerAt, BreakerSpec, Fault, FaultKind, Jitter, MAX_DEPTH, MAX_FAULTS, MAX_RETRIES,
    ResConfig, TIER_NAMES, TierSpec,
};
pub use lab::{CLICK_FAULT_MS, DRAIN_LIMIT_MS, ResScenario, ResilienceLab};
pub use metrics::{Counts, TickPoint};
pub use params::{MAX_WORK, RES_PARAMS, ResWork};
pub use policy::{
    Breaker, BreakerState, RetryBudget, RetryQuota, Throttle, backoff_ns, reject_probability,
};
pub use presets::presets;
pub use sim::RETRY_WINDOW_NS;
pub use snapshot::{CacheSnapshot, MAX_SERIES, Recovery, ResSnapshot, RunSnapshot, recovery};
pub use view::{CLICK_MODES, LinkView, ResView, RowView, TierView, VIEW_HEIGHT, VIEW_WIDTH};

//! Caches: eleven eviction policies and five write strategies, on seeded workloads or a
//! replayed trace, measured side by side.
//!
//! # The parts
//! - [`Policy`] (one enum over every [`PolicyKind`]): `access(key, pos) -> Access` says hit or
//!   miss, the key's slot, and the key evicted from which slot. Keys are `u64` ids; each policy
//!   keeps its entries in numbered slots (index-based lists, no allocation per access).
//! - [`WorkloadConfig::stream`] makes the seeded request stream; [`Zipf`] is an exact
//!   rejection-inversion sampler. [`TraceParser`] reads a text or CSV trace incrementally.
//! - [`Sim`] puts the shown policy in front of a simulated database under a
//!   [`WriteStrategy`], with simulated time, latencies, TTL, crashes and outages.
//! - [`CacheLab`] runs a [`CacheScenario`]: the shown policy through the simulation, every
//!   compared policy on the identical stream, and the miss-ratio curve ([`MrcBuilder`]).
//!
//! # For the browser shell
//! - Build: `CacheLab::new(&scenario)` (generated workloads, or a trace given as text in the
//!   config), or parse a large file first with `TraceParser::new(mode)`, `feed(chunk)` per slice
//!   (show `progress()`), `finish()`, then `CacheLab::with_trace(&scenario, trace)`.
//! - Play: `step()` takes `config.batch` requests; `apply(EventKind::CrashCache | DbDown | DbUp)`
//!   happens before the next request; `reconfigure(|c| …)` replays to the same position;
//!   `advance_mrc(budget)` computes the miss-ratio curve a slice at a time (the page runs it
//!   between frames as the lab's `Lab::background_step`; `mrc_progress()` for its bar); `run_to_end()` finishes the run and the curve.
//! - Draw: `view()` returns [`CacheView`]: the slot strip (keys, per-slot flash of the last
//!   step), the recent accesses and a summary of the last step, the comparison rows, hit-ratio
//!   polylines per policy, database load, and the miss-ratio curves, all positioned and labelled.
//! - State: `scenario()` for the share link (`Lab::to_params`, from [`CACHE_PARAMS`]) or JSON;
//!   `snapshot()` for numbers. The user's own actions go through `Lab::apply` ([`CacheAction`]).
//!
//! Capacity counts objects; object sizes only weight the byte miss ratio. Compared policies
//! (and the miss-ratio curve) replay the stream as plain caches: every request, read or write,
//! is one access, without TTL or write strategy, so their rows compare eviction alone. The shown
//! policy's numbers under its write strategy, TTL and events are [`SimCounts`]; its read hit
//! ratio can differ from its own row (cache-aside counts a read of a key whose fill is still in
//! flight as a miss, writes invalidate, TTLs expire).

mod actions;
mod arc;
mod belady;
mod checks;
mod config;
mod keymap;
mod lab;
mod list;
mod metrics;
mod params;
mod policies;
mod policy;
mod presets;
mod s3fifo;
mod sim;
mod snapshot;
mod stories;
mod table;
mod tinylfu;
mod trace;
mod view;
mod workload;
mod zipf;

pub use actions::CacheAction;
pub use belady::{NEVER, next_uses};
pub use config::{CacheConfig, MAX_BATCH, MAX_CAPACITY, MAX_MS, MAX_TOTAL_SLOTS, WriteStrategy};
pub use keymap::KeyMap;
pub use lab::{CacheLab, CacheScenario, MAX_STEP_RECORDS, RECENT, SimBucket};
pub use metrics::{CompareRun, MRC_FRACTIONS, MrcBuilder, MrcPoint, N_POINTS, percentile};
pub use params::{CACHE_PARAMS, MAX_WORK};
pub use policy::{Policy, PolicyKind};
pub use presets::presets;
pub use sim::{CacheEvent, EventKind, Outcome, RequestRecord, Sim, SimCounts};
pub use snapshot::{CacheSnapshot, LatencyStats, MrcCurve, PolicyRow, TraceInfo};
pub use table::{Access, NO_SLOT, Table};
pub use tinylfu::FrequencySketch;
pub use trace::{
    BadLine, BadLines, MAX_KEY_BYTES, MAX_LINE_BYTES, MAX_OBJECT_SIZE, MAX_REPORTED,
    MAX_TRACE_REQUESTS, Trace, TraceError, TraceParser, TraceProgress,
};
pub use view::{
    CHART_WIDTH, CacheView, Flash, MAX_DRAWN_SLOTS, RecentView, RowView, SLOT_COLUMNS, SLOT_SIZE,
    SlotView, StatView,
};
pub use workload::{MAX_ITEMS, MAX_REQUESTS, MAX_SKEW, Stream, WorkloadConfig, WorkloadKind};
pub use zipf::Zipf;

/// One option of a choice parameter, for the `CHOICES` tables.
const fn choice(id: &'static str, label: &'static str) -> crate::schema::Choice {
    crate::schema::Choice { id, label }
}

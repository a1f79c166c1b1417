//! Caches: eviction policies and write strategies on seeded workloads and replayed traces.

mod arc;
mod belady;
mod keymap;
mod list;
mod policies;
mod policy;
mod s3fifo;
mod tinylfu;
mod zipf;

pub use belady::{NEVER, next_uses};
pub use keymap::KeyMap;
pub use policy::{Access, NO_SLOT, Policy, PolicyKind, Table};
pub use tinylfu::FrequencySketch;
pub use zipf::Zipf;

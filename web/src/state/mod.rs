//! Lab state for the shell: what `use_reducer` holds. The simulation itself lives in
//! syslab-core; these reducers only route user intent to it and keep messages for the UI.

pub mod ratelimit;
pub mod ring;

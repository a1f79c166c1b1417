//! Consistent hashing: the ring with virtual nodes, and the strategies it is compared with.
//!
//! A [`RingLab`] holds the nodes and keys, places every key with every [`StrategyKind`], and
//! reports what each change moved against the ideal. [`RingLab::view`] is the browser's view
//! model; [`RingLab::snapshot`] is the same numbers as plain data.

mod actions;
mod change;
mod checks;
mod churn;
mod config;
mod drag;
mod edit;
mod event;
mod geometry;
mod keys;
mod lab;
mod moves;
mod params;
mod pending;
mod snapshot;
mod stories;
pub mod strategies;
mod table;
mod view;

pub use actions::RingAction;
pub use change::ChangeReport;
pub use config::{
    KeySpec, MAX_EPSILON, MAX_KEYS, MAX_NODES, MAX_VNODES_PER_NODE, MAX_WEIGHT, NodeSpec, Pin,
    RingConfig, StrategyKind,
};
pub use event::RingEvent;
pub use geometry::{Point, RADIUS, fraction_of, polar};
pub use lab::{MAX_EVENTS, RingLab, RingScenario, spreadsheet_name};
pub use params::RING_PARAMS;
pub use snapshot::{
    ChangeSummary, Flow, HistoryPoint, KeyMove, LoadStats, MAX_LISTED_MOVES, NodeLoad, ReplicaSet,
    RingSnapshot, ShareSource, SpaceShare, StrategyRow,
};
pub use table::TokenTable;
pub use view::{DotLayer, MAX_DOTS, NodeView, ReplicaView, RingView, StrategyRowView, hue_of};

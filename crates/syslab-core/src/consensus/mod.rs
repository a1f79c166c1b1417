//! Consensus: a Raft cluster of 3 to 9 servers (Ongaro and Ousterhout, "In Search of an
//! Understandable Consensus Algorithm", 2014) on a simulated network with latency, loss,
//! duplication and cut links, with crashes, restarts and pauses, pre-vote and check-quorum
//! toggles and a deliberately unsafe commit rule, checked against the paper's safety
//! properties after every event.
//!
//! # For the browser shell
//!
//! ```text
//! let mut lab = <RaftLab as Lab>::new(&scenario)?;
//! lab.step()?;                                  // one tick
//! let view = lab.view();                        // RaftView: circle, logs, messages, stats
//! lab.apply(RaftAction::ClickNode(2))?;         // crash S3 (restart it if down)
//! lab.apply(RaftAction::ClickLink(0, 1))?;      // cut S1—S2 (heal it if cut)
//! ```

mod actions;
mod checks;
mod config;
pub mod election;
mod faults;
mod lab;
mod leadership;
mod params;
mod presets;
mod reads;
mod rpc;
mod safety;
mod sim;
mod snapshot;
mod stories;
mod view;

pub use actions::RaftAction;
pub use config::{
    Fault, FaultKind, MAX_DURATION_MS, MAX_FAULTS, MAX_NODES, MIN_NODES, RaftConfig, ReadMode,
    Target,
};
pub use lab::{RaftLab, RaftScenario, SLOW_MOTION};
pub use params::{MAX_WORK, RAFT_PARAMS, format_fault, parse_faults, work};
pub use presets::{FIGURE_8, presets};
pub use safety::{Rule, Safety, Violation};
pub use sim::{Entry, Msg, Node, Packet, Role, Sim, Stats, Status};
pub use snapshot::{
    NodeSnapshot, RaftSnapshot, ViolationSnapshot, role_name, snapshot, status_name,
};
pub use view::{
    CENTER, CellView, LinkView, LogView, MessageView, NODE_RADIUS, NodeView, RADIUS, RaftView,
    STRIP, SafetyView, VIEW_HEIGHT, VIEW_WIDTH,
};

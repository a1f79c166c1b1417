//! Changes a user (or the churn simulation) can make to a running ring.

use serde::{Deserialize, Serialize};

/// One change to the ring. Every change reports which keys moved and the ideal movement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingEvent {
    /// A node joins with hashed token positions.
    AddNode {
        /// The new node's name.
        name: String,
        /// The new node's weight.
        weight: u32,
    },
    /// A node leaves; its keys go to the next nodes clockwise.
    RemoveNode {
        /// The leaving node.
        name: String,
    },
    /// One token is dragged to a new position.
    MoveToken {
        /// The node that owns the token.
        name: String,
        /// Which of its tokens (0 is the node's handle in the lab).
        vnode: u32,
        /// The new position on the 64-bit ring.
        position: u64,
    },
    /// A node's weight changes, and with it its number of tokens.
    SetWeight {
        /// The node.
        name: String,
        /// Its new weight.
        weight: u32,
    },
    /// Every node's number of tokens per unit of weight changes.
    SetVnodes {
        /// The new number of virtual nodes per unit of weight.
        vnodes: u32,
    },
}

impl RingEvent {
    /// A short sentence describing the change.
    pub fn describe(&self) -> String {
        match self {
            RingEvent::AddNode { name, weight } if *weight == 1 => format!("added node {name}"),
            RingEvent::AddNode { name, weight } => {
                format!("added node {name} (weight {weight})")
            }
            RingEvent::RemoveNode { name } => format!("removed node {name}"),
            RingEvent::MoveToken {
                name,
                vnode,
                position,
            } => format!(
                "moved {name}#{vnode} to {}°",
                crate::format::fixed(crate::hash::ring_fraction(*position) * 360.0, 1)
            ),
            RingEvent::SetWeight { name, weight } => format!("set {name}'s weight to {weight}"),
            RingEvent::SetVnodes { vnodes } => format!("set vnodes to {vnodes} per weight"),
        }
    }

    /// Whether the change's ideal is measured against ring shares (true) or weight shares.
    pub(crate) fn ideal_by_arc(&self) -> bool {
        matches!(
            self,
            RingEvent::MoveToken { .. } | RingEvent::SetVnodes { .. }
        )
    }
}

//! What replicas send each other: versions, log entries and messages, shared by the
//! leaderless coordinators and the leader's replication stream.

use serde::{Deserialize, Serialize};

/// A version of a key. Leaderless: the writing coordinator's clock reading (ns, may be
/// negative with skew). With a leader: the leader's epoch in the high 32 bits and the entry's
/// place in its log below, so a later epoch is newer whatever the clocks say. The write's
/// number breaks ties. Newer is greater.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Version {
    pub ts: i64,
    pub write: u32,
}

/// One entry of a leader's replication log: a write and the epoch of the leader that
/// appended it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The client operation it came from.
    pub op: u32,
    pub key: u32,
    pub ver: Version,
    pub epoch: u32,
}

/// What a message carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgKind {
    WriteReq {
        op: u32,
        key: u32,
        ver: Version,
    },
    /// Leaderless: a replica's acknowledgement to the coordinator. With a leader: the leader's
    /// answer to the client's replica that the write is acknowledged.
    WriteAck {
        op: u32,
    },
    /// Leaderless: the coordinator asks a replica. With a leader: a client's read forwarded
    /// to the leader.
    ReadReq {
        op: u32,
        key: u32,
    },
    ReadResp {
        op: u32,
        ver: Option<Version>,
    },
    Repair {
        key: u32,
        ver: Version,
    },
    /// A client's write forwarded by its replica to the leader it knows.
    ClientWrite {
        op: u32,
        key: u32,
    },
    /// The leader (or a replica that no longer leads, or one without its lease) refuses.
    Refuse {
        op: u32,
    },
    /// Entry `seq` (from 1) of the sender's log.
    Replicate {
        seq: u32,
        entry: Entry,
    },
    /// A follower holds the first `len` entries of its leader's log.
    ReplAck {
        len: u32,
    },
    /// The leader is alive; its log has `len` entries.
    Heartbeat {
        epoch: u32,
        len: u32,
    },
    /// A follower's answer to the heartbeat sent at `echo` ns, with its log length.
    HeartbeatAck {
        echo: u64,
        len: u32,
    },
    /// Fencing: a follower tells a leader of an older epoch that epoch `epoch` exists.
    Reject {
        epoch: u32,
    },
}

/// A message on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg {
    pub from: u32,
    pub to: u32,
    /// When it was sent and when it arrives, ns.
    pub sent: u64,
    pub arrives: u64,
    pub kind: MsgKind,
}

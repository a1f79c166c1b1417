//! The simulation's scheduled work: heap events (service completions and health probes), and
//! the constant-delay network hops and timeout deadlines that wait in FIFO queues instead.

use super::heap::HeapItem;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    ServerArrive,
    Complete,
    ResponseOk,
    ResponseRefused,
    Probe,
    ProbeOk,
    ProbeFail,
}

/// An event of the heap: 24 bytes, keyed by its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Event {
    pub(super) at: u64,
    pub(super) slot: u32,
    pub(super) serial: u32,
    /// Server indices are below `MAX_SERVERS` (1,000), epochs below `MAX_CHANGES` (1,000).
    pub(super) server: u16,
    pub(super) epoch: u16,
    pub(super) kind: Kind,
}

impl HeapItem for Event {
    #[inline]
    fn key(&self) -> u64 {
        self.at
    }
}

/// A message on the wire between the balancer and a server (a request or its response).
#[derive(Clone, Copy, Debug)]
pub(super) struct Hop {
    pub(super) at: u64,
    pub(super) slot: u32,
    pub(super) serial: u32,
    pub(super) server: u32,
    pub(super) kind: Kind,
}

/// The deadline of an attempt: 8 bytes, as most of a second's worth of them wait in the queue.
/// The time is the attempt's start plus the timeout, read from the request while it is live;
/// a deadline whose attempt has ended is dropped unread.
#[derive(Clone, Copy, Debug)]
pub(super) struct Deadline {
    pub(super) slot: u32,
    pub(super) serial: u32,
}

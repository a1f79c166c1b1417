//! What a rate limiter answers for one request: allow, reject (HTTP 429) or delay, and the
//! `X-RateLimit-*` headers it would send with the answer.

use serde::{Deserialize, Serialize};

use crate::time::Nanos;

/// The limiter's decision for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// Forwarded at once.
    Allow,
    /// Refused with HTTP 429; `retry_after` is the `Retry-After` value: how long until the same
    /// request would be allowed (or queued) if nothing else arrived.
    Reject {
        /// Time until a retry can succeed.
        retry_after: Nanos,
    },
    /// Queued and forwarded after `wait` (the leaky bucket as a queue).
    Delay {
        /// Time the request waits in the queue.
        wait: Nanos,
    },
}

impl Decision {
    /// The decision's outcome without its numbers.
    pub fn outcome(self) -> Outcome {
        match self {
            Decision::Allow => Outcome::Allowed,
            Decision::Reject { .. } => Outcome::Rejected,
            Decision::Delay { .. } => Outcome::Delayed,
        }
    }

    /// Time the request waits before it is forwarded; zero if allowed or rejected.
    pub fn wait(self) -> Nanos {
        match self {
            Decision::Delay { wait } => wait,
            _ => Nanos::ZERO,
        }
    }
}

/// The three outcomes, for counting and colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Forwarded at once.
    Allowed,
    /// Queued, then forwarded.
    Delayed,
    /// Refused with 429.
    Rejected,
}

impl Outcome {
    /// Every outcome, in legend order.
    pub const ALL: [Outcome; 3] = [Outcome::Allowed, Outcome::Delayed, Outcome::Rejected];

    /// A short identifier, also used as a CSS class.
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Delayed => "delayed",
            Outcome::Rejected => "rejected",
        }
    }
}

/// The `X-RateLimit-*` response headers a limiter sends with a decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headers {
    /// `X-RateLimit-Limit`: requests allowed per window (for the queue: its size).
    pub limit: u32,
    /// `X-RateLimit-Remaining`: requests that would still be allowed right now.
    pub remaining: u32,
    /// `X-RateLimit-Reset`: time until the limiter is back to its full allowance (the end of
    /// the window, a full bucket, an empty queue).
    pub reset: Nanos,
}

/// A decision and the headers sent with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Allow, reject or delay.
    pub decision: Decision,
    /// The `X-RateLimit-*` values.
    pub headers: Headers,
}

//! The rate-limiting algorithms by name: identifiers for URLs and JSON, labels for the UI.

use serde::{Deserialize, Serialize};

/// A rate-limiting algorithm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlgorithmKind {
    /// A bucket of `burst` tokens refilled at `limit / window`; each request takes a token.
    #[default]
    TokenBucket,
    /// A queue of `queue` requests drained at `limit / window`: requests wait instead of failing.
    LeakyQueue,
    /// A bucket of capacity `burst` leaking at `limit / window`; each request adds one unit, and
    /// a request that would overflow it is rejected (equivalent to the token bucket).
    LeakyMeter,
    /// A counter per aligned window of `limit` requests; allows twice the limit across a boundary.
    FixedWindow,
    /// The timestamps of allowed requests in the last `window`: exact, but memory grows with the limit.
    SlidingLog,
    /// The current and previous window's counters, the previous one weighted by its overlap.
    SlidingCounter,
    /// The generic cell rate algorithm: one timestamp (the theoretical arrival time) per key.
    Gcra,
}

impl AlgorithmKind {
    /// Every algorithm, in the order the comparison table lists them.
    pub const ALL: [AlgorithmKind; 7] = [
        AlgorithmKind::TokenBucket,
        AlgorithmKind::LeakyQueue,
        AlgorithmKind::LeakyMeter,
        AlgorithmKind::FixedWindow,
        AlgorithmKind::SlidingLog,
        AlgorithmKind::SlidingCounter,
        AlgorithmKind::Gcra,
    ];

    /// Every algorithm's id (in URLs and JSON) and name, in the order of [`AlgorithmKind::ALL`].
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "token_bucket",
            label: "Token bucket",
        },
        crate::schema::Choice {
            id: "leaky_queue",
            label: "Leaky bucket (queue)",
        },
        crate::schema::Choice {
            id: "leaky_meter",
            label: "Leaky bucket (meter)",
        },
        crate::schema::Choice {
            id: "fixed_window",
            label: "Fixed window",
        },
        crate::schema::Choice {
            id: "sliding_log",
            label: "Sliding log",
        },
        crate::schema::Choice {
            id: "sliding_counter",
            label: "Sliding counter",
        },
        crate::schema::Choice {
            id: "gcra",
            label: "GCRA",
        },
    ];

    /// The short identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The algorithm with identifier `id`.
    pub fn from_id(id: &str) -> Option<AlgorithmKind> {
        AlgorithmKind::ALL.into_iter().find(|a| a.id() == id)
    }

    /// A human-readable name.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// What the algorithm's level (see [`KeyState::level`]) counts.
    pub fn level_label(self) -> &'static str {
        match self {
            AlgorithmKind::TokenBucket | AlgorithmKind::Gcra => "tokens left",
            AlgorithmKind::LeakyQueue => "queued",
            AlgorithmKind::LeakyMeter => "bucket level",
            AlgorithmKind::FixedWindow | AlgorithmKind::SlidingLog => "in window",
            AlgorithmKind::SlidingCounter => "estimate",
        }
    }

    /// Whether the algorithm counts in aligned windows (whose boundaries a view draws).
    pub fn windowed(self) -> bool {
        matches!(
            self,
            AlgorithmKind::FixedWindow | AlgorithmKind::SlidingCounter
        )
    }
}

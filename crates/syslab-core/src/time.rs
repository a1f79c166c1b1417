//! Simulated time, shared by every lab: the core never reads a clock, every time-dependent call
//! takes `now` as a `Nanos`.

use serde::{Deserialize, Serialize};

/// A point in simulated time, or a duration, in whole nanoseconds since the simulation began.
///
/// Integer nanoseconds keep every algorithm exact: the token bucket and GCRA agree decision by
/// decision because neither ever rounds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Nanos(pub u64);

impl Nanos {
    /// The beginning of the simulation, or no time at all.
    pub const ZERO: Nanos = Nanos(0);
    /// The end of time: later than any simulated instant (a deadline that never comes).
    pub const MAX: Nanos = Nanos(u64::MAX);
    /// One microsecond.
    pub const US: u64 = 1_000;
    /// One millisecond.
    pub const MS: u64 = 1_000_000;
    /// One second.
    pub const SECOND: u64 = 1_000_000_000;

    /// `ms` milliseconds.
    pub const fn from_ms(ms: u64) -> Nanos {
        Nanos(ms.saturating_mul(Self::MS))
    }

    /// `us` microseconds.
    pub const fn from_us(us: u64) -> Nanos {
        Nanos(us.saturating_mul(Self::US))
    }

    /// The time in whole microseconds, rounded down (the cache lab reports latencies in µs).
    pub const fn whole_us(self) -> u64 {
        self.0 / Self::US
    }

    /// The time in seconds, for charts and rates.
    pub fn secs_f64(self) -> f64 {
        self.0 as f64 / Self::SECOND as f64
    }

    /// The time in milliseconds, for charts and labels.
    pub fn ms_f64(self) -> f64 {
        self.0 as f64 / Self::MS as f64
    }

    /// `self - earlier`, or zero if `earlier` is later.
    pub fn since(self, earlier: Nanos) -> Nanos {
        Nanos(self.0.saturating_sub(earlier.0))
    }

    /// `self + d`, saturating.
    pub fn plus(self, d: Nanos) -> Nanos {
        Nanos(self.0.saturating_add(d.0))
    }
}

//! The arrival processes traffic is built from (evenly spaced and thinned Poisson, capped at
//! [`MAX_ARRIVALS`]), and [`Arrival`], one request reaching the limiter.

use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;
use crate::time::Nanos;

/// The most arrivals one run may hold.
pub const MAX_ARRIVALS: u64 = 1_000_000;

/// One request reaching the rate limiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Arrival {
    /// When it arrives.
    pub at: Nanos,
    /// Which client sent it (0-based).
    pub client: u32,
}

pub(crate) fn ms(ms: u32) -> f64 {
    f64::from(ms) * Nanos::MS as f64
}

pub(crate) struct Generator {
    pub(crate) rng: SplitMix64,
    pub(crate) out: Vec<Arrival>,
    /// The end of the run, in nanoseconds.
    pub(crate) end: f64,
}

impl Generator {
    pub(crate) fn new(seed: u64, duration: Nanos) -> Self {
        Self {
            rng: SplitMix64::new(seed),
            out: Vec::new(),
            end: duration.0 as f64,
        }
    }

    fn push(&mut self, at: f64, client: u32) -> bool {
        if self.out.len() as u64 >= MAX_ARRIVALS {
            return false;
        }
        self.out.push(Arrival {
            at: Nanos(at as u64),
            client,
        });
        true
    }

    /// Evenly spaced arrivals at `rate` per second in `[from, to)` (clipped to the run).
    pub(crate) fn even(
        &mut self,
        from: f64,
        to: f64,
        rate: f64,
        mut client: impl FnMut(u64, &mut SplitMix64) -> u32,
    ) {
        if rate <= 0.0 {
            return;
        }
        let gap = Nanos::SECOND as f64 / rate;
        let (from, to) = (from.max(0.0), to.min(self.end));
        let mut i = 0u64;
        loop {
            let at = from + i as f64 * gap;
            if at >= to {
                break;
            }
            let c = client(i, &mut self.rng);
            if !self.push(at, c) {
                break;
            }
            i += 1;
        }
    }

    /// A Poisson process at `top` per second, each point kept with probability
    /// `keep(i, t)` (thinning), its client drawn by `client`.
    pub(crate) fn poisson(
        &mut self,
        top: f64,
        keep: impl Fn(u64, f64) -> f64,
        mut client: impl FnMut(&mut SplitMix64) -> u32,
    ) {
        if top <= 0.0 {
            return;
        }
        let mean_gap = Nanos::SECOND as f64 / top;
        let mut t = 0.0;
        let mut i = 0u64;
        loop {
            t += -libm::log(1.0 - self.rng.unit_f64()) * mean_gap;
            if t >= self.end {
                break;
            }
            i += 1;
            if self.rng.unit_f64() >= keep(i, t) {
                continue;
            }
            let c = client(&mut self.rng);
            if !self.push(t, c) {
                break;
            }
        }
    }
}

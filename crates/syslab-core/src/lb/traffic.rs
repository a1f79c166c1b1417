//! The seeded arrivals of the load-balancer simulation: when requests come, from which client,
//! to which L7 pool, and the work each costs (constant, exponential or log-normal). Every
//! algorithm of a lab draws an identical copy.

use super::balancer::below32;
use super::config::{LbConfig, ServiceDist};
use super::ziggurat::ExpZiggurat;
use crate::rng::{SplitMix64, mix64};

/// The seeded arrivals: every algorithm of a lab gets an identical copy.
#[derive(Clone, Debug)]
pub(crate) struct Traffic {
    pub(super) rng: SplitMix64,
    pub(super) exp: ExpZiggurat,
    pub(crate) next_at: u64,
    /// The mean gap between arrivals in ns, outside and during the burst.
    pub(super) mean_gap_ns: f64,
    pub(super) burst_gap_ns: f64,
    pub(super) rate_cv: f64,
    pub(super) cost_ns: f64,
    pub(super) cost_cv: f64,
    pub(super) service: ServiceDist,
    pub(super) sigma: f64,
    pub(super) clients: u32,
    pub(super) l7: bool,
    pub(super) static_share: f64,
    pub(super) burst: (u64, u64),
}

/// A non-negative duration in ns, rounded to the nearest (the cast saturates at the top).
#[inline]
pub(crate) fn to_ns(x: f64) -> u64 {
    (x + 0.5) as u64
}

/// A standard normal draw (Box–Muller, one of the pair).
fn normal(rng: &mut SplitMix64) -> f64 {
    let u1 = 1.0 - rng.unit_f64();
    let u2 = rng.unit_f64();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}

/// A log-normal draw with mean 1 and log-spread `sigma`. Kept out of line: it is the rare
/// case, and inlined it would keep `unit_with_cv`'s common cases (constant, exponential) from
/// being inlined into the arrival.
#[inline(never)]
fn lognormal_unit(rng: &mut SplitMix64, sigma: f64) -> f64 {
    libm::exp(sigma * normal(rng) - sigma * sigma / 2.0)
}

/// A draw with mean 1 and coefficient of variation `cv`: constant at 0, exponential at 1,
/// log-normal otherwise.
#[inline]
fn unit_with_cv(rng: &mut SplitMix64, exp: &ExpZiggurat, cv: f64) -> f64 {
    if cv == 0.0 {
        1.0
    } else if cv == 1.0 {
        exp.sample(rng)
    } else {
        lognormal_unit(rng, libm::sqrt(libm::log(1.0 + cv * cv)))
    }
}

/// One arrival's draws.
pub(super) struct Arrival {
    pub(super) client: u32,
    pub(super) path: u8,
    pub(super) base: f64,
}

impl Traffic {
    pub(crate) fn new(c: &LbConfig) -> Self {
        let mut t = Self {
            rng: SplitMix64::new(mix64(c.seed ^ 0x0074_7261_6666_6963)),
            exp: ExpZiggurat::default(),
            next_at: 0,
            mean_gap_ns: 1e9 / c.rate,
            burst_gap_ns: 1e9 / (c.rate * c.burst_factor),
            rate_cv: c.rate_cv,
            cost_ns: c.cost_ms * 1e6,
            cost_cv: c.cost_cv,
            service: c.service,
            sigma: c.sigma,
            clients: c.clients.max(1),
            l7: c.l7,
            static_share: c.static_share,
            burst: (
                u64::from(c.burst_at_ms) * 1_000_000,
                u64::from(c.burst_at_ms.saturating_add(c.burst_ms)) * 1_000_000,
            ),
        };
        t.next_at = t.gap(0);
        t
    }

    pub(crate) fn gap(&mut self, at: u64) -> u64 {
        let (start, end) = self.burst;
        let mean = if at >= start && at < end {
            self.burst_gap_ns
        } else {
            self.mean_gap_ns
        };
        to_ns(unit_with_cv(&mut self.rng, &self.exp, self.rate_cv) * mean)
    }

    pub(super) fn draw(&mut self) -> Arrival {
        let client = below32(&mut self.rng, self.clients);
        let path = u8::from(self.l7 && self.rng.unit_f64() < self.static_share);
        let cost = self.cost_ns * unit_with_cv(&mut self.rng, &self.exp, self.cost_cv);
        let factor = match self.service {
            ServiceDist::Constant => 1.0,
            ServiceDist::Exponential => self.exp.sample(&mut self.rng),
            ServiceDist::LogNormal => lognormal_unit(&mut self.rng, self.sigma),
        };
        Arrival {
            client,
            path,
            base: cost * factor,
        }
    }
}

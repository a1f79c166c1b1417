//! One-way message delays: constant, exponential, and the production fits of the PBS paper
//! (Bailis et al., "Probabilistically Bounded Staleness for Practical Partial Quorums",
//! VLDB 2012), with the constants of the authors' published simulator (`Simulator.java`:
//! `LinkedSSDDelay`, `LinkedDiskDelay`, `YammerDelayModel`, and `WAN` as LNKD-DISK with 75 ms
//! to every replica outside the coordinator's datacenter), except YMMR's write shape (below).
//!
//! The paper's WARS model gives each replica four delays: W (the write request reaching it),
//! A (its acknowledgement coming back), R (a read request reaching it) and S (its response
//! coming back). The fits give W its own distribution and A, R and S one shared one, each a
//! mixture of a Pareto body and an exponential tail. Every figure is in milliseconds.

use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;
use crate::schema::Choice;

/// The one-way delay added to every link between two datacenters in the `wan` model (the
/// paper's WAN scenario: LNKD-DISK inside a datacenter, 75 ms between them).
pub const WAN_DELAY_MS: f64 = 75.0;

/// Which delays messages take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LatencyModel {
    /// Every message takes exactly its mean (`wmean` for write requests, `amean` for the rest).
    Constant,
    /// Exponential delays with means `wmean` (write requests) and `amean` (the rest): the
    /// model with a closed form for the staleness curve.
    #[default]
    Exponential,
    /// LinkedIn's Voldemort on SSDs: 91.22% Pareto(xm 0.235, α 10), 8.78% exponential
    /// (λ 1.66/ms), for W, A, R and S alike.
    LnkdSsd,
    /// LinkedIn's Voldemort on spinning disks: W is 38% Pareto(1.05, 1.51), 62% exponential
    /// (λ 0.183/ms); A, R and S as LNKD-SSD.
    LnkdDisk,
    /// Yammer's Riak: W is 93.9% Pareto(3, 3.35), 6.1% exponential (λ 0.0028/ms); A, R and S
    /// are 98.2% Pareto(1.5, 3.8), 1.8% exponential (λ 0.0217/ms). The write shape 3.35 is
    /// the paper's fit (and what later re-implementations use); the authors' simulator has 3.5.
    Ymmr,
    /// LNKD-DISK with every replica in its own datacenter: 75 ms more on every link between
    /// two of them.
    Wan,
}

impl LatencyModel {
    pub const CHOICES: &'static [Choice] = &[
        Choice {
            id: "constant",
            label: "constant",
        },
        Choice {
            id: "exponential",
            label: "exponential",
        },
        Choice {
            id: "lnkd-ssd",
            label: "LNKD-SSD (LinkedIn, SSD)",
        },
        Choice {
            id: "lnkd-disk",
            label: "LNKD-DISK (LinkedIn, disk)",
        },
        Choice {
            id: "ymmr",
            label: "YMMR (Yammer Riak)",
        },
        Choice {
            id: "wan",
            label: "WAN (LNKD-DISK + 75 ms)",
        },
    ];

    const ALL: [LatencyModel; 6] = [
        LatencyModel::Constant,
        LatencyModel::Exponential,
        LatencyModel::LnkdSsd,
        LatencyModel::LnkdDisk,
        LatencyModel::Ymmr,
        LatencyModel::Wan,
    ];

    /// Its id in links.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The model with link id `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.id() == id)
    }

    /// Whether `wmean` and `amean` are used (the fitted models have their own parameters).
    pub fn uses_means(self) -> bool {
        matches!(self, LatencyModel::Constant | LatencyModel::Exponential)
    }

    /// The extra delay between two distinct datacenters.
    pub fn remote_ms(self) -> f64 {
        if self == LatencyModel::Wan {
            WAN_DELAY_MS
        } else {
            0.0
        }
    }
}

/// Which of the WARS delays a message takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leg {
    /// A write request on its way to a replica (W).
    Write,
    /// Anything else: an acknowledgement, a read request or response, a repair (A, R, S).
    Other,
}

/// A model with its means: draws delays.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Delays {
    pub model: LatencyModel,
    /// Mean write-request delay for the constant and exponential models, ms.
    pub wmean: f64,
    /// Mean delay of the other legs for the constant and exponential models, ms.
    pub amean: f64,
}

/// An exponential draw with mean `mean`.
pub fn exponential(rng: &mut SplitMix64, mean: f64) -> f64 {
    // 1 − u is in (0, 1], so the logarithm is finite.
    -libm::log(1.0 - rng.unit_f64()) * mean
}

/// A Pareto draw with scale `xm` and shape `alpha`.
fn pareto(rng: &mut SplitMix64, xm: f64, alpha: f64) -> f64 {
    xm / libm::pow(1.0 - rng.unit_f64(), 1.0 / alpha)
}

/// A mixture: with probability `p_pareto` a Pareto(xm, α), otherwise exponential with rate λ.
fn mixture(rng: &mut SplitMix64, p_pareto: f64, xm: f64, alpha: f64, lambda: f64) -> f64 {
    if rng.unit_f64() < p_pareto {
        pareto(rng, xm, alpha)
    } else {
        exponential(rng, 1.0 / lambda)
    }
}

impl Delays {
    /// One delay of leg `leg` within a datacenter, in ms (`wan` adds [`WAN_DELAY_MS`] between
    /// datacenters: see [`Delays::between`]).
    pub fn draw(&self, rng: &mut SplitMix64, leg: Leg) -> f64 {
        use LatencyModel::*;
        let ssd = |rng: &mut SplitMix64| mixture(rng, 0.9122, 0.235, 10.0, 1.66);
        match (self.model, leg) {
            (Constant, Leg::Write) => self.wmean,
            (Constant, Leg::Other) => self.amean,
            (Exponential, Leg::Write) => exponential(rng, self.wmean),
            (Exponential, Leg::Other) => exponential(rng, self.amean),
            (LnkdSsd, _) | (LnkdDisk | Wan, Leg::Other) => ssd(rng),
            (LnkdDisk | Wan, Leg::Write) => mixture(rng, 0.38, 1.05, 1.51, 0.183),
            (Ymmr, Leg::Write) => mixture(rng, 0.939, 3.0, 3.35, 0.0028),
            (Ymmr, Leg::Other) => mixture(rng, 0.982, 1.5, 3.8, 0.0217),
        }
    }

    /// One delay of leg `leg` on a link between two datacenters when `remote`.
    pub fn between(&self, rng: &mut SplitMix64, leg: Leg, remote: bool) -> f64 {
        let extra = if remote { self.model.remote_ms() } else { 0.0 };
        self.draw(rng, leg) + extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for m in LatencyModel::ALL {
            assert_eq!(LatencyModel::from_id(m.id()), Some(m));
        }
    }

    #[test]
    fn means_match_the_fits() {
        // The mixture's mean is p·xm·α/(α − 1) + (1 − p)/λ (finite when α > 1).
        let mean = |p: f64, xm: f64, a: f64, l: f64| p * xm * a / (a - 1.0) + (1.0 - p) / l;
        let cases = [
            (
                LatencyModel::LnkdSsd,
                Leg::Write,
                mean(0.9122, 0.235, 10.0, 1.66),
            ),
            (
                LatencyModel::Ymmr,
                Leg::Other,
                mean(0.982, 1.5, 3.8, 0.0217),
            ),
            (LatencyModel::Exponential, Leg::Write, 3.0),
        ];
        for (model, leg, expected) in cases {
            let d = Delays {
                model,
                wmean: 3.0,
                amean: 1.0,
            };
            let mut rng = SplitMix64::new(1);
            let n = 400_000;
            let got = (0..n).map(|_| d.draw(&mut rng, leg)).sum::<f64>() / f64::from(n);
            assert!(
                (got - expected).abs() < 0.02 * expected,
                "{model:?}: {got} vs {expected}"
            );
        }
    }
}

//! The staleness curve: the probability that a read issued t ms after a write was
//! acknowledged does not return it, by Monte Carlo over many seeded writes in the PBS
//! paper's WARS model, next to its closed form for exponential delays.
//!
//! WARS (Bailis et al., VLDB 2012): a coordinator sends a write to all N replicas; replica
//! i receives it after Wᵢ and its acknowledgement returns after Aᵢ, so the write commits at
//! w = the W-th smallest Wᵢ + Aᵢ. A read sent t after commit reaches replica j after Rⱼ and
//! returns after Sⱼ; the coordinator takes the R fastest responses (smallest Rⱼ + Sⱼ), and the
//! read is consistent if one of them had the write when the request arrived: Wⱼ ≤ w + t + Rⱼ.
//! So each simulated write has a threshold t* = max(0, min over the R readers of
//! Wⱼ − w − Rⱼ) after which a read sees it, and P(stale at t) = P(t* > t): one draw of the
//! delays gives the whole curve.
//!
//! The closed form for exponential delays (W with rate a, A, R and S with rate c) is derived
//! here from the same model. Given the commit time s, the W committed replicas are fresh; the
//! others are independent with Wⱼ conditioned on Wⱼ + Aⱼ > s, and since Wⱼ > s + t + Rⱼ
//! implies it, P(stale) = e^(−a(s + t + Rⱼ)) / P(X > s) for each. The readers are a uniformly
//! random set independent of the committed one, so
//!
//! P(stale at t) = C(N−W, R)/C(N, R) · E[(e^(−as)/P(X > s))^R] · E[e^(−a Σ Rⱼ)] · e^(−aRt),
//!
//! the first expectation over the W-th order statistic of X = W + A, the second over the
//! R fastest readers' request delays. Both are one-dimensional integrals, computed by
//! Simpson's rule. Missing delay memory makes the curve decay as exactly e^(−aRt): every
//! stale reader's replica is still waiting for a memoryless write request. With R + W > N
//! the first factor is zero: a strict quorum is never stale.

use serde::{Deserialize, Serialize};

use super::latency::{Delays, LatencyModel, Leg};
use crate::rng::SplitMix64;

/// Points on the staleness curve.
pub const CURVE_POINTS: usize = 41;

/// C(n, k) as a float (small n).
pub fn binomial(n: u32, k: u32) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |acc, i| acc * f64::from(n - i) / f64::from(i + 1))
}

/// The probability that a read quorum of R replicas misses every one of the W replicas that
/// acknowledged a write, when nothing else has it yet: C(N−W, R)/C(N, R) (PBS k-staleness's closed form with k = 1).
pub fn quorum_miss(n: u32, r: u32, w: u32) -> f64 {
    binomial(n.saturating_sub(w), r) / binomial(n, r)
}

/// Composite Simpson's rule over `[lo, hi]` with `intervals` (even) pieces.
fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, intervals: u32) -> f64 {
    let h = (hi - lo) / f64::from(intervals);
    let mut sum = f(lo) + f(hi);
    for i in 1..intervals {
        let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * f(lo + h * f64::from(i));
    }
    sum * h / 3.0
}

/// The closed form of the WARS model with exponential delays, as its two parts: P(stale at
/// t) = `p0` · e^(−`decay`·t).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExpClosedForm {
    /// The probability of a stale read at t = 0.
    pub p0: f64,
    /// The decay rate R / mean(W), per ms.
    pub decay: f64,
}

impl ExpClosedForm {
    /// For N, R, W and the means of W and of A, R, S (ms, above 0).
    pub fn new(n: u32, r: u32, w: u32, wmean: f64, amean: f64) -> ExpClosedForm {
        let (a, c) = (1.0 / wmean, 1.0 / amean);
        let decay = f64::from(r) / wmean;
        let miss = quorum_miss(n, r, w);
        if miss == 0.0 {
            return ExpClosedForm { p0: 0.0, decay };
        }
        // X = W + A: hypoexponential with rates a (W) and c (A), or Erlang-2 when equal.
        let equal = (a - c).abs() <= 1e-9 * a.max(c);
        let pdf = |s: f64| {
            if equal {
                a * a * s * libm::exp(-a * s)
            } else {
                a * c / (c - a) * (libm::exp(-a * s) - libm::exp(-c * s))
            }
        };
        let cdf = |s: f64| {
            if equal {
                1.0 - libm::exp(-a * s) * (1.0 + a * s)
            } else {
                1.0 - (c * libm::exp(-a * s) - a * libm::exp(-c * s)) / (c - a)
            }
        };
        // e^(−as) / P(X > s), written so that it stays finite for large s.
        let ratio = |s: f64| {
            if equal {
                1.0 / (1.0 + a * s)
            } else {
                (c - a) / (c - a * libm::exp((a - c) * s))
            }
        };
        let (nf, wf) = (f64::from(n), f64::from(w));
        let order = nf * binomial(n - 1, w - 1);
        let j = simpson(
            |s| {
                let (f, big_f) = (pdf(s), cdf(s));
                order
                    * libm::pow(big_f, wf - 1.0)
                    * libm::pow(1.0 - big_f, nf - wf)
                    * f
                    * libm::pow(ratio(s), f64::from(r))
            },
            0.0,
            60.0 / a.min(c),
            20_000,
        );
        // The R fastest of N reads (Y = R + S, Erlang-2 with rate c): E[e^(−a Σ Rⱼ)].
        let m_prime = |y: f64| c * c * libm::exp(-c * y) * (1.0 - libm::exp(-a * y)) / a;
        let m = |y: f64| {
            c * c / a * ((1.0 - libm::exp(-c * y)) / c - (1.0 - libm::exp(-(a + c) * y)) / (a + c))
        };
        let surv = |y: f64| libm::exp(-c * y) * (1.0 + c * y);
        let readers = nf * binomial(n - 1, r - 1);
        let k = simpson(
            |y| {
                readers
                    * m_prime(y)
                    * libm::pow(m(y), f64::from(r) - 1.0)
                    * libm::pow(surv(y), nf - f64::from(r))
            },
            0.0,
            60.0 / c,
            20_000,
        );
        ExpClosedForm {
            p0: miss * j * k,
            decay,
        }
    }

    /// P(stale) for a read issued `t` ms after the write was acknowledged.
    pub fn at(&self, t: f64) -> f64 {
        self.p0 * libm::exp(-self.decay * t)
    }
}

/// The Monte Carlo staleness experiment's result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Staleness {
    /// Writes simulated.
    pub probes: u32,
    /// Each write's threshold t* (ms), sorted: a read t ms after commit is stale iff t < t*.
    #[serde(skip)]
    pub thresholds: Vec<f64>,
    /// The curve's last t, ms.
    pub tmax: f64,
    /// (t ms, P(stale)) measured.
    pub measured: Vec<(f64, f64)>,
    /// (t ms, P(stale)) from the closed form (exponential delays only).
    pub closed: Vec<(f64, f64)>,
    /// The share of writes whose read quorum held none of the W replicas that acknowledged.
    pub quorum_miss: f64,
    /// C(N−W, R)/C(N, R).
    pub quorum_miss_closed: f64,
    /// Mean and 99th percentile of the write latency (commit time), ms.
    pub write_mean_ms: f64,
    pub write_p99_ms: f64,
    /// Mean and 99th percentile of the read latency (the R-th fastest response), ms.
    pub read_mean_ms: f64,
    pub read_p99_ms: f64,
}

/// The settings the experiment depends on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StalenessSetup {
    pub n: u32,
    pub r: u32,
    pub w: u32,
    pub delays: Delays,
    pub probes: u32,
    /// The curve's last t, ms; 0 picks the 99.9th percentile of the thresholds.
    pub tmax: f64,
    pub seed: u64,
}

/// Indices 0..n sorted by `key`, ties broken by a seeded random order (constant delays tie).
fn order_by(key: &[f64], tie: &[u64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..key.len()).collect();
    crate::sort::sort_by_cmp(&mut idx, |&i, &j| {
        key[i].total_cmp(&key[j]).then(tie[i].cmp(&tie[j]))
    });
    idx
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = ((sorted.len() - 1) as f64 * q) as usize;
    sorted[pos.min(sorted.len() - 1)]
}

impl Staleness {
    /// Runs the experiment: `probes` writes, each with fresh WARS delays.
    pub fn run(setup: &StalenessSetup) -> Staleness {
        let StalenessSetup {
            n, r, w, delays, ..
        } = *setup;
        let nu = n as usize;
        let mut rng = SplitMix64::new(crate::rng::mix64(setup.seed ^ 0x5741_5253));
        let mut thresholds = Vec::with_capacity(setup.probes as usize);
        let mut writes = Vec::with_capacity(setup.probes as usize);
        let mut reads = Vec::with_capacity(setup.probes as usize);
        let mut misses = 0u64;
        let (mut ws, mut xs, mut rs, mut ys) =
            (vec![0.0; nu], vec![0.0; nu], vec![0.0; nu], vec![0.0; nu]);
        let (mut tie_w, mut tie_r) = (vec![0u64; nu], vec![0u64; nu]);
        let wan = delays.model == LatencyModel::Wan;
        for _ in 0..setup.probes {
            // In the WAN model the coordinator shares a datacenter with one replica, chosen
            // at random for the write and for the read, as in the paper.
            let (local_w, local_r) = if wan {
                (
                    rng.below(u64::from(n)) as usize,
                    rng.below(u64::from(n)) as usize,
                )
            } else {
                (usize::MAX, usize::MAX)
            };
            for i in 0..nu {
                let remote_w = wan && i != local_w;
                let remote_r = wan && i != local_r;
                ws[i] = delays.between(&mut rng, Leg::Write, remote_w);
                xs[i] = ws[i] + delays.between(&mut rng, Leg::Other, remote_w);
                rs[i] = delays.between(&mut rng, Leg::Other, remote_r);
                ys[i] = rs[i] + delays.between(&mut rng, Leg::Other, remote_r);
                tie_w[i] = rng.next_u64();
                tie_r[i] = rng.next_u64();
            }
            let by_x = order_by(&xs, &tie_w);
            let by_y = order_by(&ys, &tie_r);
            let commit = xs[by_x[w as usize - 1]];
            let readers = &by_y[..r as usize];
            let t_star = readers
                .iter()
                .map(|&j| ws[j] - commit - rs[j])
                .fold(f64::INFINITY, f64::min)
                .max(0.0);
            let committed = &by_x[..w as usize];
            if !readers.iter().any(|j| committed.contains(j)) {
                misses += 1;
            }
            thresholds.push(t_star);
            writes.push(commit);
            reads.push(ys[by_y[r as usize - 1]]);
        }
        crate::sort::sort_by_cmp(&mut thresholds, f64::total_cmp);
        crate::sort::sort_by_cmp(&mut writes, f64::total_cmp);
        crate::sort::sort_by_cmp(&mut reads, f64::total_cmp);
        let probes = setup.probes.max(1);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / f64::from(probes);
        let tmax = if setup.tmax > 0.0 {
            setup.tmax
        } else {
            let auto = percentile(&thresholds, 0.999);
            if auto > 0.0 {
                auto
            } else {
                mean(&writes).max(1.0)
            }
        };
        let mut out = Staleness {
            probes: setup.probes,
            thresholds,
            tmax,
            quorum_miss: misses as f64 / f64::from(probes),
            quorum_miss_closed: quorum_miss(n, r, w),
            write_mean_ms: mean(&writes),
            write_p99_ms: percentile(&writes, 0.99),
            read_mean_ms: mean(&reads),
            read_p99_ms: percentile(&reads, 0.99),
            ..Staleness::default()
        };
        let ts: Vec<f64> = (0..CURVE_POINTS)
            .map(|i| tmax * i as f64 / (CURVE_POINTS - 1) as f64)
            .collect();
        out.measured = ts.iter().map(|&t| (t, out.stale_at(t))).collect();
        if delays.model == LatencyModel::Exponential {
            let form = ExpClosedForm::new(n, r, w, delays.wmean, delays.amean);
            out.closed = ts.iter().map(|&t| (t, form.at(t))).collect();
        }
        out
    }

    /// The measured P(stale) for a read `t` ms after commit.
    pub fn stale_at(&self, t: f64) -> f64 {
        if self.thresholds.is_empty() {
            return 0.0;
        }
        let fresh = self.thresholds.partition_point(|&x| x <= t);
        (self.thresholds.len() - fresh) as f64 / self.thresholds.len() as f64
    }

    /// The largest gap between the measured curve and the closed form, in probability.
    pub fn max_gap(&self) -> Option<f64> {
        if self.closed.is_empty() {
            return None;
        }
        Some(
            self.measured
                .iter()
                .zip(&self.closed)
                .map(|(m, c)| (m.1 - c.1).abs())
                .fold(0.0, f64::max),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(n: u32, r: u32, w: u32, wmean: f64, amean: f64) -> StalenessSetup {
        StalenessSetup {
            n,
            r,
            w,
            delays: Delays {
                model: LatencyModel::Exponential,
                wmean,
                amean,
            },
            probes: 200_000,
            tmax: 0.0,
            seed: 3,
        }
    }

    #[test]
    fn binomials() {
        assert_eq!(binomial(5, 2), 10.0);
        assert_eq!(binomial(3, 4), 0.0);
        assert!((quorum_miss(3, 1, 1) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(quorum_miss(3, 2, 2), 0.0);
    }

    #[test]
    fn strict_quorums_are_never_stale() {
        let s = Staleness::run(&setup(5, 3, 3, 1.0, 1.0));
        assert!(s.thresholds.iter().all(|&t| t == 0.0));
        assert_eq!(ExpClosedForm::new(5, 3, 3, 1.0, 1.0).p0, 0.0);
    }

    #[test]
    fn monte_carlo_matches_the_closed_form() {
        for (n, r, w, wm, am) in [
            (3, 1, 1, 1.0, 1.0),
            (5, 1, 2, 2.0, 0.5),
            (3, 1, 1, 10.0, 10.0),
        ] {
            let s = Staleness::run(&setup(n, r, w, wm, am));
            let gap = s.max_gap().unwrap();
            assert!(
                gap < 0.01,
                "N={n} R={r} W={w}: gap {gap}: {:?} vs {:?}",
                s.measured[0],
                s.closed[0]
            );
        }
    }
}

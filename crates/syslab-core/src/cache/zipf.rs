//! An exact Zipf sampler: rank k in 1..=n with probability proportional to 1 / k^s.
//!
//! Rejection-inversion (Hörmann and Derflinger, "Rejection-inversion to generate variates from
//! monotone discrete distributions", 1996), the method of Apache Commons' `ZipfDistribution`
//! and of the `zipf` crate that TinyUFO's hit-ratio benchmark uses. It needs O(1) memory and
//! about one uniform per sample, for any s ≥ 0 (s = 1 included) and any n. All floating point
//! goes through `libm`, so a seed gives the same ranks natively and in wasm.

use crate::rng::SplitMix64;

/// A Zipf(n, s) distribution over ranks `1..=n`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zipf {
    n: f64,
    s: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    threshold: f64,
}

impl Zipf {
    /// Zipf over `1..=n` (n ≥ 1) with exponent `s` (finite, ≥ 0); `None` otherwise.
    pub fn new(n: u64, s: f64) -> Option<Zipf> {
        if n == 0 || !s.is_finite() || s < 0.0 {
            return None;
        }
        let n = n as f64;
        let h_integral_x1 = h_integral(1.5, s) - 1.0;
        let h_integral_n = h_integral(n + 0.5, s);
        let threshold = 2.0 - h_integral_inv(h_integral(2.5, s) - h(2.0, s), s);
        Some(Zipf {
            n,
            s,
            h_integral_x1,
            h_integral_n,
            threshold,
        })
    }

    /// One rank in `1..=n`.
    pub fn sample(&self, rng: &mut SplitMix64) -> u64 {
        loop {
            let u = self.h_integral_n + rng.unit_f64() * (self.h_integral_x1 - self.h_integral_n);
            let x = h_integral_inv(u, self.s);
            // `max`/`min`, not `clamp`: with a bound that is not a constant, clamp's panic
            // message formats floats, which links float printing into the wasm bundle
            // (about 20 KB gzipped). The result is the same for every number.
            let k = libm::round(x).max(1.0).min(self.n);
            if k - x <= self.threshold || u >= h_integral(k + 0.5, self.s) - h(k, self.s) {
                return k as u64;
            }
        }
    }

    /// The exact probability of rank `k`, for tests and the view: k^-s / H(n, s).
    pub fn probability(&self, k: u64) -> f64 {
        let norm: f64 = (1..=self.n as u64).map(|i| h(i as f64, self.s)).sum();
        h(k as f64, self.s) / norm
    }
}

/// x^-s.
fn h(x: f64, s: f64) -> f64 {
    libm::exp(-s * libm::log(x))
}

/// The integral of h: (x^(1−s) − 1) / (1 − s), or ln x when s = 1, computed stably.
fn h_integral(x: f64, s: f64) -> f64 {
    let log_x = libm::log(x);
    helper2((1.0 - s) * log_x) * log_x
}

/// The inverse of `h_integral`.
fn h_integral_inv(x: f64, s: f64) -> f64 {
    let t = (x * (1.0 - s)).max(-1.0);
    libm::exp(helper1(t) * x)
}

/// ln(1 + x) / x, continuous at 0.
fn helper1(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// (e^x − 1) / x, continuous at 0.
fn helper2(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample frequencies of the first ranks match k^-s / H within a few standard errors.
    #[test]
    fn matches_the_zipf_probabilities() {
        for (n, s) in [
            (10_000u64, 1.0),
            (1_000, 0.7),
            (100, 1.4),
            (50, 0.0),
            (5, 2.5),
        ] {
            let zipf = Zipf::new(n, s).unwrap();
            let mut rng = SplitMix64::new(11);
            let draws = 400_000;
            let mut counts = [0u32; 6];
            for _ in 0..draws {
                let k = zipf.sample(&mut rng);
                assert!((1..=n).contains(&k));
                if k <= 5 {
                    counts[k as usize] += 1;
                }
            }
            for k in 1..=5.min(n) {
                let p = zipf.probability(k);
                let observed = f64::from(counts[k as usize]) / f64::from(draws);
                let se = (p * (1.0 - p) / f64::from(draws)).sqrt();
                assert!(
                    (observed - p).abs() < 5.0 * se + 1e-9,
                    "n={n} s={s} k={k}: {observed} vs {p}"
                );
            }
        }
        assert!(Zipf::new(0, 1.0).is_none());
        assert!(Zipf::new(10, f64::NAN).is_none());
        assert!(Zipf::new(10, -0.5).is_none());
    }
}

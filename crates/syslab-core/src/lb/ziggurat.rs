//! Exponential random numbers by the ziggurat method (Marsaglia and Tsang, "The Ziggurat Method
//! for Generating Random Variables", 2000): one table lookup and one multiplication for 98.9% of
//! draws, a logarithm only in the rare tail and wedges. Every request draws one or two
//! exponentials (its arrival gap and its service time), and `ln` was the event loop's largest
//! single cost.
//!
//! The tables are built with `libm`, so the stream is the same natively and in wasm.

use crate::rng::SplitMix64;

/// Layers of the ziggurat.
const N: usize = 256;
/// Where the base layer's tail starts.
const R: f64 = 7.697_117_470_131_487;
/// The area of each layer.
const V: f64 = 3.949_659_822_581_572e-3;
/// 2³².
const M: f64 = 4_294_967_296.0;

/// The ziggurat's tables for the standard exponential distribution (mean 1).
#[derive(Clone, Debug)]
pub(crate) struct ExpZiggurat {
    /// Acceptance thresholds: a 32-bit draw below `k[i]` is inside layer i's rectangle.
    k: Box<[u32; N]>,
    /// Scale of a 32-bit draw to x in layer i.
    w: Box<[f64; N]>,
    /// The density at each layer's edge.
    f: Box<[f64; N]>,
}

impl Default for ExpZiggurat {
    fn default() -> Self {
        let mut k = Box::new([0u32; N]);
        let mut w = Box::new([0f64; N]);
        let mut f = Box::new([0f64; N]);
        let mut de = R;
        let mut te = R;
        let q = V / libm::exp(-de);
        k[0] = ((de / q) * M) as u32;
        k[1] = 0;
        w[0] = q / M;
        w[N - 1] = de / M;
        f[0] = 1.0;
        f[N - 1] = libm::exp(-de);
        for i in (1..N - 1).rev() {
            de = -libm::log(V / de + libm::exp(-de));
            k[i + 1] = ((de / te) * M) as u32;
            te = de;
            f[i] = libm::exp(-de);
            w[i] = de / M;
        }
        Self { k, w, f }
    }
}

impl ExpZiggurat {
    /// A standard exponential draw (mean 1).
    #[inline]
    pub(crate) fn sample(&self, rng: &mut SplitMix64) -> f64 {
        let bits = rng.next_u64();
        let j = bits as u32;
        let i = (bits >> 56) as usize;
        if j < self.k[i] {
            f64::from(j) * self.w[i]
        } else {
            self.sample_slow(rng, j, i)
        }
    }

    /// The rare rest of [`ExpZiggurat::sample`]: the tail, the wedges, and fresh tries.
    #[cold]
    fn sample_slow(&self, rng: &mut SplitMix64, mut j: u32, mut i: usize) -> f64 {
        loop {
            if i == 0 {
                // The tail beyond R is itself exponential: R plus a fresh draw.
                return R - libm::log(1.0 - rng.unit_f64());
            }
            let x = f64::from(j) * self.w[i];
            if self.f[i] + rng.unit_f64() * (self.f[i - 1] - self.f[i]) < libm::exp(-x) {
                return x;
            }
            let bits = rng.next_u64();
            j = bits as u32;
            i = (bits >> 56) as usize;
            if j < self.k[i] {
                return f64::from(j) * self.w[i];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_and_tail_match_the_exponential() {
        let z = ExpZiggurat::default();
        let mut rng = SplitMix64::new(5);
        let n = 2_000_000;
        let (mut sum, mut sq, mut above3) = (0.0, 0.0, 0u32);
        for _ in 0..n {
            let x = z.sample(&mut rng);
            assert!(x >= 0.0 && x.is_finite());
            sum += x;
            sq += x * x;
            above3 += u32::from(x > 3.0);
        }
        let mean = sum / f64::from(n);
        let var = sq / f64::from(n) - mean * mean;
        assert!((mean - 1.0).abs() < 0.003, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "variance {var}");
        let tail = f64::from(above3) / f64::from(n);
        assert!(
            (tail / libm::exp(-3.0) - 1.0).abs() < 0.02,
            "P(X > 3) {tail}"
        );
    }
}

//! The one hash function of syslab: XXH64.
//!
//! Every position on a ring, every key placement and every strategy derives from XXH64
//! (Yann Collet's xxHash, 64-bit variant) with the scenario's seed. It is pure integer
//! arithmetic, so native and wasm builds give bit-identical results.

use xxhash_rust::xxh64::xxh64;

/// XXH64 of `bytes` with `seed`.
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    xxh64(bytes, seed)
}

/// XXH64 of a string with `seed`.
pub fn hash_str(s: &str, seed: u64) -> u64 {
    xxh64(s.as_bytes(), seed)
}

/// A position on the ring as a fraction of a full turn, in `[0, 1)`.
pub fn ring_fraction(position: u64) -> f64 {
    position as f64 / 18_446_744_073_709_551_616.0
}

/// The ring position at a fraction of a full turn (taken modulo one turn).
pub fn position_at(fraction: f64) -> u64 {
    let f = if fraction.is_finite() {
        fraction - libm::floor(fraction)
    } else {
        0.0
    };
    // `as` saturates, so 1.0 - tiny maps to u64::MAX rather than overflowing.
    (f * 18_446_744_073_709_551_616.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxh64_reference_vectors() {
        // Published XXH64 test vectors (seed 0).
        assert_eq!(hash_bytes(b"", 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(hash_bytes(b"a", 0), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(hash_bytes(b"abc", 0), 0x44BC_2CF5_AD77_0999);
    }

    #[test]
    fn fraction_round_trips() {
        for f in [0.0, 0.25, 0.5, 0.999_999] {
            assert!((ring_fraction(position_at(f)) - f).abs() < 1e-12);
        }
        assert_eq!(position_at(1.25), position_at(0.25));
        assert_eq!(position_at(-0.75), position_at(0.25));
        assert_eq!(position_at(f64::NAN), 0);
    }
}

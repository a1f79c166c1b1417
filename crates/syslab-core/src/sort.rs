//! One small stable sort for every list the core orders, instead of the standard library's.
//!
//! `slice::sort*` and `select_nth_unstable` are fast but large: each element type and
//! comparison they are instantiated for adds 3–8 KB of wasm (driftsort or ipnsort with their
//! small-sort networks), and a lab page linked five to ten of them (25 KB on the replication
//! page; BENCHMARKS.md "Bundle size"). This merge sort is a few hundred bytes per
//! instantiation. It is stable, so it gives exactly what `sort_by` gives; where the standard
//! library's unstable sort was used, the elements that compare equal are identical (whole
//! tuples, integers, `f64::total_cmp`), so the result is the same there too.
//!
//! It is about 2.5 times slower than `sort_unstable` on a million elements (natively), so the
//! largest sorts keep the standard library's: the ring's tokens and keys (one shared
//! instantiation for `(u64, u32)`, up to a million tokens) and the rate limiter's arrivals.

use std::cmp::Ordering;

/// Elements sorted by insertion before merging starts.
const RUN: usize = 16;

/// Sorts `v` stably: `less(a, b)` says whether `a` goes strictly before `b` (a strict weak
/// order); equal elements keep their order. Insertion-sorted runs of 16, then bottom-up
/// merges between `v` and one buffer, skipping a merge when its halves are already in order
/// (so sorted input costs one pass per level and no comparisons past the first).
pub fn sort_by<T: Copy>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let x = v[i];
            let mut j = i;
            while j > start && less(&x, &v[j - 1]) {
                v[j] = v[j - 1];
                j -= 1;
            }
            v[j] = x;
        }
    }
    if n <= RUN {
        return;
    }
    let mut buf = v.to_vec();
    let mut in_buf = false;
    let mut width = RUN;
    while width < n {
        let (src, dst): (&[T], &mut [T]) = if in_buf {
            (&buf, &mut *v)
        } else {
            (&*v, &mut buf)
        };
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            merge(
                &src[start..mid],
                &src[mid..end],
                &mut dst[start..end],
                &mut less,
            );
        }
        in_buf = !in_buf;
        width *= 2;
    }
    if in_buf {
        v.copy_from_slice(&buf);
    }
}

/// Merges sorted `a` and `b` into `out` (as long as both), taking from `a` on ties.
fn merge<T: Copy>(a: &[T], b: &[T], out: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    if let (Some(last), Some(first)) = (a.last(), b.first())
        && !less(first, last)
    {
        out[..a.len()].copy_from_slice(a);
        out[a.len()..].copy_from_slice(b);
        return;
    }
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if less(&b[j], &a[i]) {
            out[k] = b[j];
            j += 1;
        } else {
            out[k] = a[i];
            i += 1;
        }
        k += 1;
    }
    let rest = if i < a.len() { &a[i..] } else { &b[j..] };
    out[k..].copy_from_slice(rest);
}

/// Sorts `v` ascending, like `sort` (and, for these element types, `sort_unstable`).
pub fn sort<T: Copy + Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a < b);
}

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by_cmp<T: Copy>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    sort_by(v, |a, b| cmp(a, b) == Ordering::Less);
}

/// Sorts `v` stably by `key`, like `slice::sort_by_key`.
pub fn sort_by_key<T: Copy, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a) < key(b));
}

/// Sorts a vector of any elements stably by `key`, like `slice::sort_by_key`: their order is
/// found on indices, then the elements are moved once into it.
pub fn sort_vec_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_by(&mut order, |&a, &b| key(&v[a]) < key(&v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    #[test]
    fn agrees_with_the_standard_library_on_every_length_and_shape() {
        let mut rng = SplitMix64::new(3);
        for n in (0..100).chain([127, 128, 129, 255, 256, 257, 1000, 4097]) {
            for range in [3, 1000, u64::MAX] {
                let mut v: Vec<(u64, u32)> =
                    (0..n).map(|i| (rng.next_u64() % range, i as u32)).collect();
                // Stable by the first field only: the second records the original order.
                let mut expected = v.clone();
                expected.sort_by_key(|p| p.0);
                sort_by_key(&mut v, |p| p.0);
                assert_eq!(v, expected, "n = {n}, range = {range}");
                // Already sorted, reversed.
                sort(&mut v);
                let mut expected = v.clone();
                expected.sort_unstable();
                assert_eq!(v, expected);
                v.reverse();
                sort(&mut v);
                assert_eq!(v, expected);
            }
        }
    }

    #[test]
    fn sorts_floats_like_total_cmp_and_moves_owned_elements() {
        let mut v = vec![3.5, -0.0, f64::INFINITY, 0.0, -2.0, f64::NAN, 1e-300];
        let mut expected = v.clone();
        expected.sort_by(f64::total_cmp);
        sort_by_cmp(&mut v, f64::total_cmp);
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            expected.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let mut words: Vec<String> = ["pear", "fig", "apple", "kiwi", "date"]
            .map(String::from)
            .to_vec();
        sort_vec_by_key(&mut words, String::len);
        assert_eq!(words, ["fig", "pear", "kiwi", "date", "apple"]);
    }
}

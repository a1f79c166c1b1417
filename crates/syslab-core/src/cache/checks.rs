//! The published results the cache lab reproduces, as [`Check`]s: LRU's hit ratios in
//! TinyUFO's benchmark (Zipf 1.0 over 10,000 keys) at five cache sizes.

use crate::check::{Check, Tolerance};

use super::CacheLab;

const TINYUFO: &str = "TinyUFO (Cloudflare Pingora's tinyufo crate), README benchmark: LRU hit \
                       ratio on Zipf(1.0) requests over 10,000 keys (5,000,000 requests there; \
                       2,000,000 here, the lab's most)";

/// Every check of the lab.
pub fn checks() -> Vec<Check<CacheLab>> {
    let lru = |id, name, query, published| Check {
        id,
        name,
        source: TINYUFO,
        query,
        expected: published,
        tolerance: Tolerance::Abs(0.5),
        unit: "% hits",
        // The shown policy's read hits (no snapshot: the miss-ratio curves are not needed).
        measure: |lab: &CacheLab| {
            let c = &lab.sim().counts;
            Ok(c.hits as f64 / c.reads.max(1) as f64 * 100.0)
        },
    };
    vec![
        lru(
            "tinyufo-lru-0.5pct",
            "LRU hit ratio, cache of 0.5% of the keys",
            "workload=zipf&items=10000&skew=1&n=2000000&size=50&policy=lru&cmp=",
            31.08,
        ),
        lru(
            "tinyufo-lru-1pct",
            "LRU hit ratio, cache of 1% of the keys",
            "workload=zipf&items=10000&skew=1&n=2000000&size=100&policy=lru&cmp=",
            39.17,
        ),
        lru(
            "tinyufo-lru-5pct",
            "LRU hit ratio, cache of 5% of the keys",
            "workload=zipf&items=10000&skew=1&n=2000000&size=500&policy=lru&cmp=",
            58.71,
        ),
        lru(
            "tinyufo-lru-10pct",
            "LRU hit ratio, cache of 10% of the keys",
            "workload=zipf&items=10000&skew=1&n=2000000&size=1000&policy=lru&cmp=",
            67.59,
        ),
        lru(
            "tinyufo-lru-25pct",
            "LRU hit ratio, cache of 25% of the keys",
            "workload=zipf&items=10000&skew=1&n=2000000&size=2500&policy=lru&cmp=",
            79.94,
        ),
    ]
}

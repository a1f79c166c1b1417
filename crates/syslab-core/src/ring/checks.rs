//! The published results the ring lab reproduces, as [`Check`]s: jump hash against published
//! reference outputs, the share of keys a new node takes (1/(N + 1) of them), and Maglev's
//! balance.

use crate::check::{Check, Tolerance};
use crate::error::ConfigError;

use super::strategies::jump_bucket;
use super::{RingLab, StrategyKind};

/// `jumpConsistentHash(key, buckets)` and its result, from ClickHouse's test of its
/// implementation of the paper's function (tests/queries/0_stateless/
/// 00580_consistent_hashing_functions.reference).
const JUMP_REFERENCE: [(u64, u32, u32); 6] = [
    (1, 1, 0),
    (42, 57, 43),
    (256, 1024, 520),
    (3_735_883_980, 1, 0),
    (3_735_883_980, 666, 361),
    (16_045_690_984_833_335_023, 255, 237),
];

/// Every check of the lab.
pub fn checks() -> Vec<Check<RingLab>> {
    vec![
        Check {
            id: "jump-reference",
            name: "Jump hash gives the published buckets",
            source: "Lamping and Veach, A Fast, Minimal Memory, Consistent Hash Algorithm (2014), \
                     the paper's function; reference outputs from ClickHouse's \
                     jumpConsistentHash test",
            query: "strategy=jump",
            expected: JUMP_REFERENCE.len() as f64,
            tolerance: Tolerance::Abs(0.0),
            unit: "of 6",
            measure: |_| {
                Ok(JUMP_REFERENCE
                    .iter()
                    .filter(|&&(key, buckets, bucket)| jump_bucket(key, buckets) == bucket)
                    .count() as f64)
            },
        },
        Check {
            id: "ring-add-node-moves-1-in-n",
            name: "An 11th node on a ring of 10 takes 1/11 of the keys",
            source: "Karger et al., Consistent Hashing and Random Trees (1997): a new node \
                     takes only its own share, 1/(N + 1); with 1,000 tokens a node its share \
                     is within a few percent of that",
            query: "nodes=10&vnodes=1000&r=1&keys=100000&ev=add~K~1",
            expected: 1.0 / 11.0,
            tolerance: Tolerance::Rel(0.1),
            unit: "",
            measure: |lab| moved_share(lab, StrategyKind::Ring),
        },
        Check {
            id: "jump-add-bucket-moves-1-in-n",
            name: "An 11th jump-hash bucket takes 1/11 of the keys",
            source: "Lamping and Veach (2014): growing from N to N + 1 buckets moves 1/(N + 1) \
                     of the keys, all to the new bucket",
            query: "nodes=10&r=1&keys=100000&strategy=jump&ev=add~K~1",
            expected: 1.0 / 11.0,
            tolerance: Tolerance::Rel(0.03),
            unit: "",
            measure: |lab| moved_share(lab, StrategyKind::Jump),
        },
        Check {
            id: "maglev-balance",
            name: "Maglev's table is balanced within 1% for 37 nodes",
            source: "Eisenbud et al., Maglev: A Fast and Reliable Software Network Load \
                     Balancer (NSDI 2016), §3.4: with a prime table size M above 100·N, \
                     entries differ by at most 1% between backends",
            query: "nodes=37&r=1&strategy=maglev",
            expected: 1.0,
            tolerance: Tolerance::Abs(0.01),
            unit: "× fair",
            measure: |lab: &RingLab| Ok(row(lab, StrategyKind::Maglev)?.space.max_over_fair),
        },
    ]
}

/// The share of keys `strategy` moved at the scenario's last change.
fn moved_share(lab: &RingLab, strategy: StrategyKind) -> Result<f64, ConfigError> {
    let moved = row(lab, strategy)?
        .moved
        .ok_or_else(|| ConfigError::Invalid("the scenario has no change to measure".into()))?;
    Ok(f64::from(moved) / lab.n_keys().max(1) as f64)
}

/// The strategy table's row for `strategy` (what the page shows; no full snapshot).
fn row(lab: &RingLab, strategy: StrategyKind) -> Result<super::StrategyRow, ConfigError> {
    lab.strategy_rows()
        .into_iter()
        .find(|r| r.strategy == strategy)
        .ok_or_else(|| ConfigError::Invalid(format!("no {strategy:?} row in the table")))
}

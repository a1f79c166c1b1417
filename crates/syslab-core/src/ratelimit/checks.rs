//! The published results the rate-limiter lab reproduces, as [`Check`]s: the fixed window's
//! double burst at a window boundary (and the sliding log's exact limit on the same traffic),
//! and GCRA deciding exactly as a token bucket does.

use crate::check::{Check, Tolerance};
use crate::error::ConfigError;

use super::{AlgorithmKind, RateLimitLab};

/// A burst of 100 requests per second for 400 ms, placed across a window boundary, against a
/// global limit of 10 a second.
const BOUNDARY_SPIKE: &str =
    "alg=fixed_window&cmp=sliding_log&by=global&traffic=spike&rate=0&peak=100&on=400&dur=10000";

/// Every check of the lab.
pub fn checks() -> Vec<Check<RateLimitLab>> {
    vec![
        Check {
            id: "fixed-window-double-burst",
            name: "A fixed window lets twice its limit through a boundary",
            source: "Cloudflare, How we built rate limiting capable of scaling to millions of \
                     domains (2017): a fixed window admits up to 2× the limit within one \
                     window's length, the limit at the end of one window and again at the \
                     start of the next",
            query: BOUNDARY_SPIKE,
            expected: 2.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "× limit",
            measure: |lab| most_in_a_window(lab, AlgorithmKind::FixedWindow),
        },
        Check {
            id: "sliding-log-exact",
            name: "A sliding log never exceeds its limit in any window",
            source: "The sliding log's definition: a request is admitted only if fewer than \
                     limit requests were admitted in the window before it (same traffic)",
            query: BOUNDARY_SPIKE,
            expected: 1.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "× limit",
            measure: |lab| most_in_a_window(lab, AlgorithmKind::SlidingLog),
        },
        Check {
            id: "gcra-is-a-token-bucket",
            name: "GCRA decides every request as a token bucket does",
            source: "The ATM Forum's Generic Cell Rate Algorithm (Traffic Management 4.0, 1996) \
                     as redis-cell implements it: emission interval T = window / limit and \
                     tolerance τ = (burst − 1)·T make it a token bucket of capacity burst",
            query: "alg=token_bucket&cmp=gcra&by=global&limit=10&window=1000&burst=5&traffic=poisson&rate=12&dur=600000&tick=1000",
            expected: 1.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "agree",
            measure: |lab| {
                let (a, b) = (lab.outcomes(0), lab.outcomes(1));
                if a.is_empty() || a.len() != b.len() {
                    return Err(ConfigError::Invalid(
                        "the two runs decided different numbers of requests".into(),
                    ));
                }
                let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
                Ok(same as f64 / a.len() as f64)
            },
        },
    ]
}

/// The most requests `kind` admitted within any window's length, over the limit.
fn most_in_a_window(lab: &RateLimitLab, kind: AlgorithmKind) -> Result<f64, ConfigError> {
    let row = lab
        .snapshot()
        .runs
        .into_iter()
        .find(|r| r.algorithm == kind)
        .ok_or_else(|| ConfigError::Invalid(format!("{} did not run", kind.id())))?;
    Ok(row.max_over_limit)
}

//! The results the replication lab reproduces, as [`Check`]s: the PBS paper's WARS model
//! against its closed form for exponential delays (derived in `staleness.rs`), the
//! non-intersection probability C(N−W, R)/C(N, R), and strict quorums never returning
//! stale data.

use super::ReplLab;
use super::staleness::{ExpClosedForm, quorum_miss};
use crate::check::{Check, Tolerance};
use crate::error::ConfigError;

const PBS: &str = "WARS model of Bailis et al., Probabilistically Bounded Staleness for Practical Partial Quorums (VLDB 2012); its closed form for exponential delays, derived in replication/staleness.rs";

/// The paper's figure for LinkedIn's disks, read off its production fits by the authors'
/// simulator: the chance that a read issued at the moment a write commits sees it.
const PBS_LNKD_DISK: &str = "Bailis et al., VLDB 2012: \"immediately after write commit, LNKD-DISK had only a 43.9% probability of consistent reads\" (N=3, R=W=1; the fits as in the authors' simulator)";

fn gap(lab: &ReplLab) -> Result<f64, ConfigError> {
    lab.staleness()
        .max_gap()
        .map(|g| g * 100.0)
        .ok_or_else(|| ConfigError::Invalid("no closed form for these delays".to_owned()))
}

/// Every check of the lab.
pub fn checks() -> Vec<Check<ReplLab>> {
    vec![
        Check {
            id: "pbs-exp-t0",
            name: "N=3 R=W=1, exponential delays: P(stale) right after the write",
            source: PBS,
            query: "lat=exponential&wmean=1&amean=1&probes=200000&dur=100&rate=10&seed=5",
            expected: ExpClosedForm::new(3, 1, 1, 1.0, 1.0).at(0.0),
            tolerance: Tolerance::Abs(0.01),
            unit: "",
            measure: |lab| Ok(lab.staleness().stale_at(0.0)),
        },
        Check {
            id: "pbs-exp-curve-n3",
            name: "N=3 R=W=1, equal means: largest gap over the curve",
            source: PBS,
            query: "lat=exponential&wmean=1&amean=1&probes=200000&dur=100&rate=10&seed=5",
            expected: 0.0,
            tolerance: Tolerance::Abs(1.0),
            unit: "points",
            measure: gap,
        },
        Check {
            id: "pbs-exp-curve-n5",
            name: "N=5 R=1 W=2, slow writes, fast acks: largest gap over the curve",
            source: PBS,
            query: "n=5&w=2&lat=exponential&wmean=4&amean=0.5&probes=200000&dur=100&rate=10&seed=5",
            expected: 0.0,
            tolerance: Tolerance::Abs(1.0),
            unit: "points",
            measure: gap,
        },
        Check {
            id: "pbs-lnkd-disk-at-commit",
            name: "N=3 R=W=1, LinkedIn disk delays: P(a read at commit sees the write)",
            source: PBS_LNKD_DISK,
            query: "lat=lnkd-disk&probes=200000&dur=100&rate=10&seed=5",
            expected: 0.439,
            tolerance: Tolerance::Abs(0.01),
            unit: "",
            measure: |lab| Ok(1.0 - lab.staleness().stale_at(0.0)),
        },
        Check {
            id: "quorum-miss-ymmr",
            name: "N=5 R=W=2, Yammer delays: read quorum misses every acknowledging replica",
            source: "PBS k-staleness closed form with k = 1 (Bailis et al., VLDB 2012): a read quorum of R misses a write quorum of W with probability C(N−W,R)/C(N,R), whatever the delays",
            query: "n=5&r=2&w=2&lat=ymmr&probes=200000&dur=100&rate=10&seed=5",
            expected: quorum_miss(5, 2, 2),
            tolerance: Tolerance::Abs(0.01),
            unit: "",
            measure: |lab| Ok(lab.staleness().quorum_miss),
        },
        Check {
            id: "strict-quorum-never-stale",
            name: "N=3 R=W=2, no faults: stale reads in 120,000 operations",
            source: "Quorum intersection: R + W > N makes every read quorum share a replica with every write quorum (Gifford, Weighted Voting for Replicated Data, SOSP 1979)",
            query: "r=2&w=2&rate=2000&dur=60000&tick=100&keys=50&writes=0.5&probes=0&seed=5",
            expected: 0.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "reads",
            measure: |lab| {
                let c = lab.sim().counts;
                if c.reads_ok < 50_000 {
                    return Err(ConfigError::Invalid(format!(
                        "only {} reads answered",
                        c.reads_ok
                    )));
                }
                Ok(c.stale_reads as f64)
            },
        },
    ]
}

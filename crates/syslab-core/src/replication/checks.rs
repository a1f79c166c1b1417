//! The results the replication lab reproduces, as [`Check`]s: the PBS paper's WARS model
//! against its closed form for exponential delays (derived in `staleness.rs`), the
//! non-intersection probability C(N−W, R)/C(N, R), strict quorums never returning
//! stale data; with a leader, asynchronous failover losing write rate × replication lag
//! acknowledged writes, and synchronous failover losing none.
//!
//! The async loss, derived: the leader appends writes at rate λ (a Poisson stream: every
//! client's write reaches it) and acknowledges each at once; each entry then takes the
//! replication lag d to reach a follower (constant delays: the same d for every entry and
//! follower). When the leader crashes at T, every follower holds exactly the entries appended
//! before T − d, so the promoted one lacks those appended in (T − d, T], all acknowledged:
//! E[lost] = λ·d, Little's law (L = λW) for the entries in flight on the stream.

use super::ReplLab;
use super::staleness::{ExpClosedForm, quorum_miss};
use crate::check::{Check, Tolerance};
use crate::error::ConfigError;

const PBS: &str = "WARS model of Bailis et al., Probabilistically Bounded Staleness for Practical Partial Quorums (VLDB 2012); its closed form for exponential delays, derived in replication/staleness.rs";

/// The paper's figure for LinkedIn's disks, read off its production fits by the authors'
/// simulator: the chance that a read issued at the moment a write commits sees it.
const PBS_LNKD_DISK: &str = "Bailis et al., VLDB 2012: \"immediately after write commit, LNKD-DISK had only a 43.9% probability of consistent reads\" (N=3, R=W=1; the fits as in the authors' simulator)";

/// Async failover: λ = 20,000 writes/s (rate × write share), d = 50 ms of constant
/// replication delay, answers and forwarding near-instant; the leader crashes at 1 s and
/// comes back at 2.5 s (rejoining, it discards what the new leader never got).
const FAILOVER: &str = "mode=leader&lat=constant&wmean=50&amean=0.001&rate=20000&writes=1&dur=3000&fail=1000:crash:L,2500:restart:L&probes=0&seed=5";

const ASYNC_LOSS: &str = "Little's law, L = λW (Little, A Proof for the Queuing Formula L = λW, Operations Research 9(3), 1961), for the log entries in flight on an asynchronous stream, derived in replication/checks.rs; that an async source's crash loses committed transactions not yet sent is the MySQL Reference Manual's case for semisynchronous replication (section 19.4.10)";

/// Acknowledged-then-lost writes of a run that had exactly one failover.
fn lost_in_one_failover(lab: &ReplLab) -> Result<f64, ConfigError> {
    let c = lab.sim().counts;
    if c.failovers != 1 || c.writes_acked < 10_000 {
        return Err(ConfigError::Invalid(format!(
            "expected one failover and at least 10,000 acknowledged writes (got {} and {})",
            c.failovers, c.writes_acked
        )));
    }
    Ok(c.acked_lost as f64)
}

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
        Check {
            id: "async-failover-loss",
            name: "Leader, async, 20,000 writes/s, 50 ms replication lag: acknowledged writes lost at failover",
            source: ASYNC_LOSS,
            query: FAILOVER,
            expected: 20_000.0 * 0.050,
            tolerance: Tolerance::Rel(0.1),
            unit: "writes",
            measure: lost_in_one_failover,
        },
        Check {
            id: "sync-failover-no-loss",
            name: "Leader, sync, the same crash: acknowledged writes lost at failover",
            source: "Synchronous replication acknowledges a write only once every follower has it, so whichever follower is promoted holds every acknowledged write (the MySQL Reference Manual, section 19.4.10, on what semisynchronous replication protects)",
            query: "mode=leader&sync=sync&lat=constant&wmean=50&amean=0.001&rate=20000&writes=1&dur=3000&fail=1000:crash:L,2500:restart:L&probes=0&seed=5",
            expected: 0.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "writes",
            measure: lost_in_one_failover,
        },
    ]
}

//! The queueing results the load-balancer lab reproduces, as [`Check`]s: M/M/1's mean time in
//! system at three loads, M/M/c's waiting time against Erlang C, and Mitzenmacher's supermarket
//! model with one and two random choices.

use crate::check::{Check, Tolerance};
use crate::error::ConfigError;

use super::LoadBalancerLab;

/// Simulated milliseconds left out of every average: the queue starts empty, and the first
/// seconds of a run are lighter than its steady state.
const WARMUP_MS: u64 = 10_000;

/// The setup of Linkerd's experiment (see `checks`), shared by its four checks, which differ
/// only in the algorithm.
macro_rules! linkerd_setup {
    () => {
        "servers=11&cap=10000&queue=0&dist=lognormal&sigma=0.03&cost=167&rate=1000&hop=0&timeout=0&retries=0&hc=0&dur=60000&tick=100&ev=15000:6:slow12,45000:6:up&seed=2016"
    };
}

/// Every check of the lab.
pub fn checks() -> Vec<Check<LoadBalancerLab>> {
    let mm1 = |id, name, query, load: f64, tolerance| Check {
        id,
        name,
        source: "M/M/1 queue: mean time in system 1/(μ − λ) (Kleinrock, Queueing Systems, vol. 1, 1975, §3.2)",
        query,
        expected: 1.0 / (1.0 - load),
        tolerance: Tolerance::Rel(tolerance),
        unit: "ms",
        measure: mean_time_in_system,
    };
    // Linkerd's "Beyond Round Robin" (Jenson and Oanta, 2016): 11 servers whose latency does
    // not depend on load (median 167 ms, σ 5 ms: log-normal with σ 0.03 about a 167 ms mean,
    // and more slots than requests ever in flight), one client at 1,000 requests a second for
    // one minute, and at 15 s one server fixed at 2 s (167 ms × 12) for 30 s. The post reads
    // the share of requests a caller with a 1 s timeout would see succeed off its latency
    // plot: about 95% round robin, 99% least loaded, 99.9% peak EWMA. Finagle's peak EWMA
    // forgets over 10 s (`decay=10000`; the lab's default is 1 s).
    let linkerd = |id, name, query, expected, tolerance| Check {
        id,
        name,
        source: "Linkerd, Beyond Round Robin: Load Balancing for Latency (Jenson and Oanta, 2016): success within 1 s with one server 2 s slow for 30 s of 60",
        query,
        expected,
        tolerance: Tolerance::Abs(tolerance),
        unit: "%",
        measure: within_one_second,
    };
    vec![
        linkerd(
            "linkerd-2016-round-robin",
            "Slow server, round robin: success within 1 s",
            concat!("alg=round_robin&", linkerd_setup!()),
            95.0,
            1.0,
        ),
        linkerd(
            "linkerd-2016-least-loaded",
            "Slow server, least loaded: success within 1 s",
            concat!("alg=least_connections&", linkerd_setup!()),
            99.0,
            1.0,
        ),
        linkerd(
            "linkerd-2016-p2c",
            "Slow server, P2C least loaded: success within 1 s",
            concat!("alg=power_of_two&", linkerd_setup!()),
            99.0,
            1.0,
        ),
        linkerd(
            "linkerd-2016-peak-ewma",
            "Slow server, peak EWMA (10 s decay): success within 1 s",
            concat!("alg=peak_ewma&decay=10000&", linkerd_setup!()),
            99.9,
            0.1,
        ),
        mm1(
            "mm1-load-0.5",
            "M/M/1 mean latency at load 0.5",
            "servers=1&cap=1&queue=1000&dist=exponential&cost=1&rate=500&hop=0&timeout=0&retries=0&hc=0&dur=400000&tick=1000&seed=7",
            0.5,
            0.03,
        ),
        mm1(
            "mm1-load-0.8",
            "M/M/1 mean latency at load 0.8",
            "servers=1&cap=1&queue=1000&dist=exponential&cost=1&rate=800&hop=0&timeout=0&retries=0&hc=0&dur=1000000&tick=1000&seed=7",
            0.8,
            0.04,
        ),
        mm1(
            "mm1-load-0.9",
            "M/M/1 mean latency at load 0.9",
            "servers=1&cap=1&queue=1000&dist=exponential&cost=1&rate=900&hop=0&timeout=0&retries=0&hc=0&dur=2000000&tick=1000&seed=7",
            0.9,
            0.05,
        ),
        Check {
            id: "mmc-erlang-c",
            name: "M/M/4 mean wait in queue at load 0.8",
            source: "M/M/c queue: W_q = C(c, λ/μ) / (cμ − λ), C the Erlang C formula (Erlang, 1917; Kleinrock 1975, §3.5)",
            query: "servers=1&cap=4&queue=1000&dist=exponential&cost=1&rate=3200&hop=0&timeout=0&retries=0&hc=0&dur=1000000&tick=1000&seed=7",
            expected: erlang_c(4, 3.2) / (4.0 - 3.2),
            tolerance: Tolerance::Rel(0.05),
            unit: "ms",
            // Every request costs 1 ms on average: the wait is the time in system less that.
            measure: |lab| Ok(mean_time_in_system(lab)? - lab.config().cost_ms),
        },
        Check {
            id: "supermarket-random",
            name: "100 servers, random choice, load 0.9: each server an M/M/1",
            source: "Mitzenmacher, The Power of Two Choices in Randomized Load Balancing (2001), d = 1: 1/(1 − λ) service times",
            query: "alg=random&servers=100&cap=1&queue=1000&dist=exponential&cost=1&rate=90000&hop=0&timeout=0&retries=0&hc=0&dur=110000&tick=1000&seed=2024",
            expected: supermarket(0.9, 1),
            tolerance: Tolerance::Rel(0.03),
            unit: "ms",
            measure: mean_time_in_system,
        },
        Check {
            id: "supermarket-two-choices",
            name: "100 servers, power of two choices, load 0.9",
            source: "Mitzenmacher (2001), fixed point for d = 2: Σ λ^((dⁱ − d)/(d − 1)) service times",
            query: "alg=power_of_two&servers=100&cap=1&queue=1000&dist=exponential&cost=1&rate=90000&hop=0&timeout=0&retries=0&hc=0&dur=110000&tick=1000&seed=2024",
            expected: supermarket(0.9, 2),
            tolerance: Tolerance::Rel(0.03),
            unit: "ms",
            measure: mean_time_in_system,
        },
    ]
}

/// Mean time in system of the shown algorithm's successes after [`WARMUP_MS`], in ms, of a
/// lab run to its end.
fn mean_time_in_system(lab: &LoadBalancerLab) -> Result<f64, ConfigError> {
    let tick_ms = u64::from(lab.config().tick_ms.max(1));
    let warmup = usize::try_from(WARMUP_MS / tick_ms).unwrap_or(usize::MAX);
    let series = lab.series(0).get(warmup..).unwrap_or(&[]);
    let n: u64 = series.iter().map(|p| p.counts.successes).sum();
    if n == 0 {
        return Err(ConfigError::Invalid(
            "no request succeeded after the warm-up".to_owned(),
        ));
    }
    let total: f64 = series
        .iter()
        .map(|p| p.mean_ms * p.counts.successes as f64)
        .sum();
    Ok(total / n as f64)
}

/// The share of the shown algorithm's requests, in percent, that took at most one second, of a
/// lab run to its end.
fn within_one_second(lab: &LoadBalancerLab) -> Result<f64, ConfigError> {
    let run = lab
        .runs
        .first()
        .ok_or_else(|| ConfigError::Invalid("the lab has no run".to_owned()))?;
    if run.hist.total() == 0 {
        return Err(ConfigError::Invalid("no request succeeded".to_owned()));
    }
    Ok(100.0 * run.hist.share_at_most(1_000_000_000))
}

/// Erlang's C formula: the probability that an arrival waits in an M/M/c queue with offered
/// load `a` = λ/μ erlangs (a < c).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    // Σ_{k<c} aᵏ/k! and a^c/c!, by the running term.
    let mut term = 1.0;
    let mut below = 0.0;
    for k in 0..c {
        below += term;
        term *= a / f64::from(k + 1);
    }
    let top = term * f64::from(c) / (f64::from(c) - a);
    top / (below + top)
}

/// Mitzenmacher's fixed point for the supermarket model with `d` choices at load `lambda`: the
/// share of servers holding at least i requests is λ^((dⁱ − 1)/(d − 1)), so by Little's law the
/// mean time in system, in service times, is Σ_{i≥1} λ^((dⁱ − d)/(d − 1)); d = 1 is M/M/1's
/// 1/(1 − λ).
pub fn supermarket(lambda: f64, d: u32) -> f64 {
    if d == 1 {
        return 1.0 / (1.0 - lambda);
    }
    let d = f64::from(d);
    (1..40)
        .map(|i| lambda.powf((d.powi(i) - d) / (d - 1.0)))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_match_textbook_values() {
        // M/M/1 as M/M/c with one server: C(1, a) = a.
        assert!((erlang_c(1, 0.8) - 0.8).abs() < 1e-12);
        // A textbook value: c = 2, a = 1: C = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((supermarket(0.9, 1) - 10.0).abs() < 1e-9);
        assert!((supermarket(0.9, 2) - 2.614).abs() < 0.001);
    }
}

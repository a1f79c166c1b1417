//! The paper's leader-election experiment (Ongaro and Ousterhout 2014, §9.3 and Figure 16):
//! a cluster of five servers with a broadcast time of about 15 ms; the leader sends a
//! synchronized heartbeat to every follower, is crashed at a uniformly random moment within
//! its heartbeat interval (half the minimum election timeout), and the time until a new leader
//! is elected is measured, over many seeded trials.
//!
//! Here a message takes 2 ms plus up to 1 ms of uniform jitter each way and a server spends
//! 10 ms writing its term, vote and log to disk before it answers (`disk`), so a broadcast
//! takes 14 to 16 ms, most of it on the reply path, as with the paper's servers, which
//! persist before answering. A vote counts from the moment it is on disk, so the voter's
//! timer restarts then. The paper's servers also had logs of different lengths; these start
//! with empty logs, so every candidate is eligible.

use super::config::RaftConfig;
use super::sim::Sim;
use crate::rng::{SplitMix64, mix64};
use crate::time::Nanos;

/// How long a trial waits for a new leader before it gives up (the paper reports that
/// without randomness elections "consistently took longer than 10 seconds").
pub const TRIAL_LIMIT_MS: u64 = 12_000;

/// The paper's setup with election timeouts in [min, max] ms, from `base` (its seed, latency
/// and jitter are kept; the heartbeat is half the minimum timeout).
pub fn trial_config(base: &RaftConfig, min_ms: u32, max_ms: u32) -> RaftConfig {
    // The broadcast time comes from the scenario (`lat`, `jit`, `disk`); the checks' links
    // set the paper's.
    RaftConfig {
        nodes: 5,
        elect_min_ms: min_ms,
        elect_max_ms: max_ms,
        heartbeat_ms: (min_ms / 2).max(1),
        rate: 0.0,
        read_rate: 0.0,
        loss: 0.0,
        dup: 0.0,
        prevote: false,
        check_quorum: false,
        unsafe_commit: false,
        faults: Vec::new(),
        ..base.clone()
    }
}

/// One trial: the time from the leader's crash to the next leader, or `None` past
/// [`TRIAL_LIMIT_MS`].
pub fn trial(cfg: &RaftConfig, trial: u64) -> Option<Nanos> {
    let seed = mix64(cfg.seed ^ mix64(trial.wrapping_add(1)));
    let mut sim = Sim::new(
        &RaftConfig {
            seed,
            ..cfg.clone()
        },
        false,
    );
    let mut rng = SplitMix64::new(mix64(seed));
    let limit = Nanos::from_ms(60_000);
    sim.run_until_leader_above(0, limit)?;
    // Let the cluster settle into steady heartbeats.
    let settle = Nanos::from_ms(u64::from(cfg.elect_max_ms) * 2);
    let at = sim.now.plus(settle);
    sim.run_until(at);
    let leader = sim.leader()?;
    let term = sim.nodes[usize::from(leader)].term;
    sim.broadcast_now(leader);
    let hb = u64::from(cfg.heartbeat_ms) * Nanos::MS;
    let crash_at = sim.now.plus(Nanos(rng.below(hb.max(1))));
    sim.run_until(crash_at);
    sim.crash(leader);
    let t0 = sim.now;
    let won = sim.run_until_leader_above(term, t0.plus(Nanos::from_ms(TRIAL_LIMIT_MS)))?;
    Some(won.since(t0))
}

/// `n` trials; each is `Some(ms)` or `None` (no leader within the limit).
pub fn trials(cfg: &RaftConfig, n: u64) -> Vec<Option<f64>> {
    (0..n).map(|i| trial(cfg, i).map(Nanos::ms_f64)).collect()
}

/// The `q` quantile (0 to 1) of the trials, counting a trial that gave up as longer than any.
pub fn quantile(xs: &[Option<f64>], q: f64) -> f64 {
    let mut v: Vec<f64> = xs.iter().map(|x| x.unwrap_or(f64::INFINITY)).collect();
    crate::sort::sort_by_cmp(&mut v, f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i.min(v.len() - 1)]
}

/// The mean of the trials that elected a leader.
pub fn mean(xs: &[Option<f64>]) -> f64 {
    let done: Vec<f64> = xs.iter().flatten().copied().collect();
    done.iter().sum::<f64>() / done.len() as f64
}

/// The share of trials longer than `ms` (or that gave up).
pub fn share_over(xs: &[Option<f64>], ms: f64) -> f64 {
    xs.iter().filter(|x| x.is_none_or(|v| v > ms)).count() as f64 / xs.len() as f64
}

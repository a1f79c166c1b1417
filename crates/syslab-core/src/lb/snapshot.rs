//! The load-balancer lab's numbers as plain data: what the CLI prints and the browser shows.

use serde::{Deserialize, Serialize};

use super::balancer::Algorithm;
use super::config::ServerState;
use super::lab::LoadBalancerLab;
use super::metrics::{Counts, Percentiles, TickPoint};
use super::sim::Sim;

/// The most points of a run's series a snapshot lists (evenly sampled ticks).
pub const MAX_SERIES: usize = 200;

/// One server in one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerRow {
    /// Its name, "s1" upwards.
    pub name: String,
    /// Relative speed.
    pub power: f64,
    /// Weight of the weighted algorithms.
    pub weight: u32,
    /// Its state now.
    pub state: ServerState,
    /// Whether the balancer's health checks consider it up.
    pub healthy: bool,
    /// Requests in service now.
    pub active: u32,
    /// Requests waiting now.
    pub queued: u32,
    /// The longest its queue has been.
    pub max_queue: u32,
    /// Requests it has finished serving (including ones whose client had given up).
    pub served: u64,
    /// Its share of everything served, 0 to 1.
    pub share: f64,
    /// Busy share of its capacity during the last tick, 0 to 1.
    pub utilisation: f64,
}

/// One algorithm's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSnapshot {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Requests by outcome; `generated − successes − timeouts − rejections` are in flight.
    pub counts: Counts,
    /// Requests still in flight.
    pub in_flight: u64,
    /// Latency percentiles of successful requests, from the client's send to its response.
    pub latency: Percentiles,
    /// Mean latency of successful requests, in ms.
    pub mean_ms: f64,
    /// Successful requests per simulated second.
    pub rps: f64,
    /// Every server.
    pub servers: Vec<ServerRow>,
    /// The run's ticks, evenly sampled down to at most [`MAX_SERIES`].
    pub series: Vec<TickPoint>,
}

/// Everything the lab reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LbSnapshot {
    /// Simulated time, in ms.
    pub now_ms: f64,
    /// Steps taken, and in the whole run (the final drain included).
    pub steps: u64,
    /// Steps of the whole run.
    pub total_steps: u64,
    /// One run per algorithm, the shown one first.
    pub runs: Vec<RunSnapshot>,
}

pub(crate) fn sampled<T: Clone>(items: &[T], max: usize) -> Vec<T> {
    if items.len() <= max {
        return items.to_vec();
    }
    let n = items.len();
    (0..max).map(|i| items[(i * n) / max].clone()).collect()
}

impl RunSnapshot {
    pub(crate) fn of(sim: &Sim) -> Self {
        let served: u64 = sim.servers.iter().map(|s| s.served).sum();
        let servers = sim
            .servers
            .iter()
            .enumerate()
            .map(|(i, s)| ServerRow {
                name: format!("s{}", i + 1),
                power: s.spec.power,
                weight: s.spec.weight,
                state: s.state,
                healthy: s.healthy,
                active: s.in_service,
                queued: s.queued(),
                max_queue: s.max_queue,
                served: s.served,
                share: if served == 0 {
                    0.0
                } else {
                    s.served as f64 / served as f64
                },
                utilisation: f64::from(s.utilisation),
            })
            .collect();
        let c = sim.counts;
        let secs = sim.now as f64 / 1e9;
        Self {
            algorithm: sim.balancer.algorithm(),
            counts: c,
            in_flight: c.in_flight(),
            latency: sim.hist.quantiles_ms(),
            mean_ms: if c.successes == 0 {
                0.0
            } else {
                sim.latency_sum as f64 / c.successes as f64 / 1e6
            },
            rps: if secs > 0.0 {
                c.successes as f64 / secs
            } else {
                0.0
            },
            servers,
            series: sampled(&sim.series, MAX_SERIES),
        }
    }
}

impl LoadBalancerLab {
    /// The lab's numbers now.
    pub fn snapshot(&self) -> LbSnapshot {
        LbSnapshot {
            now_ms: self.now.ms_f64(),
            steps: self.steps(),
            total_steps: self.total_steps(),
            runs: self.runs.iter().map(RunSnapshot::of).collect(),
        }
    }
}

//! The load-balancer lab's benchmarks: simulated requests per second of the discrete-event
//! simulation with 100 servers, for a cheap, a scanning and the two sampling algorithms and the
//! ring, and the cost of one animation frame of the lab at 50,000 requests per simulated second.
//!
//! The request workload: 100 servers of capacity 4, exponential service of mean 1 ms, Poisson
//! arrivals at 80% of capacity (320,000 per simulated second), 100 µs network hops each way,
//! 1 s timeouts, one retry, health checks every 500 ms. A round builds the lab and runs 1 s of
//! simulated time plus the drain (about 320,000 requests); the figure is generated requests
//! divided by the round's wall time.

use std::hint::black_box;

use syslab_core::lb::{Algorithm, LbConfig, LbScenario, LoadBalancerLab, ServiceDist};

use crate::measure::{Budget, Clock, Figure, median, percentile, time_rounds};

/// The benchmark's config for `algorithm`.
fn config(algorithm: Algorithm) -> LbConfig {
    LbConfig {
        seed: 11,
        algorithm,
        servers: 100,
        capacity: 4,
        queue_limit: 1_000,
        service: ServiceDist::Exponential,
        cost_ms: 1.0,
        rate: 320_000.0,
        hop_us: 100,
        duration_ms: 1_000,
        tick_ms: 100,
        ..LbConfig::default()
    }
}

fn run(config: &LbConfig) -> u64 {
    let mut lab = LoadBalancerLab::new(&LbScenario {
        config: config.clone(),
        ..LbScenario::default()
    })
    .expect("the benchmark's config is valid");
    lab.run_to_end();
    let snapshot = lab.snapshot();
    black_box(&snapshot);
    snapshot.runs[0].counts.generated
}

/// Millions of simulated requests per second of wall time under `algorithm`.
fn requests(algorithm: Algorithm, name: &'static str, clock: Clock<'_>, budget: &Budget) -> Figure {
    debug_assert_eq!(name, format!("lb/requests-{}-100", algorithm.id()));
    let config = config(algorithm);
    let generated = run(&config);
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(run(black_box(&config)));
    });
    (
        name,
        generated as f64 / median(&rounds) / 1_000.0,
        "Mrequests/s",
    )
}

/// `lb/requests-round_robin-100`.
pub fn round_robin(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "lb/requests-round_robin-100";
    vec![requests(Algorithm::RoundRobin, name, clock, budget)]
}

/// `lb/requests-least_connections-100`: a scan of all 100 servers per request.
pub fn least_connections(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "lb/requests-least_connections-100";
    vec![requests(Algorithm::LeastConnections, name, clock, budget)]
}

/// `lb/requests-power_of_two-100`.
pub fn power_of_two(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "lb/requests-power_of_two-100";
    vec![requests(Algorithm::PowerOfTwo, name, clock, budget)]
}

/// `lb/requests-peak_ewma-100`.
pub fn peak_ewma(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "lb/requests-peak_ewma-100";
    vec![requests(Algorithm::PeakEwma, name, clock, budget)]
}

/// `lb/requests-ring_bounded-100`.
pub fn ring_bounded(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "lb/requests-ring_bounded-100";
    vec![requests(Algorithm::RingBounded, name, clock, budget)]
}

/// `lb/frame-50k-rps` (median and p95): one animation frame of the lab, the shown algorithm
/// only: step 16 ms of simulated time at 50,000 requests per simulated second (8 servers of
/// capacity 64, 5 ms requests) and build the view model. Under 16.7 ms leaves room for 60 fps.
pub fn frame(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let config = LbConfig {
        algorithm: Algorithm::PeakEwma,
        servers: 8,
        capacity: 64,
        cost_ms: 5.0,
        rate: 50_000.0,
        duration_ms: 160_000,
        tick_ms: 16,
        ..LbConfig::default()
    };
    let mut lab = LoadBalancerLab::new(&LbScenario {
        config,
        ..LbScenario::default()
    })
    .expect("the benchmark's config is valid");
    // Warm the lab up to a steady state first.
    for _ in 0..60 {
        lab.step().expect("step");
    }
    let min_frames = budget.min_frames;
    let rounds = time_rounds(clock, budget, min_frames, &mut || {
        lab.step().expect("step");
        black_box(lab.view());
    });
    vec![
        ("lb/frame-50k-rps", median(&rounds), "ms"),
        ("lb/frame-50k-rps-p95", percentile(&rounds, 0.95), "ms"),
    ]
}

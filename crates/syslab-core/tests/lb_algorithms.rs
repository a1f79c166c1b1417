//! The load balancer's selection code against known sequences and queueing theory: smooth
//! weighted round robin's order, balls into bins, and the supermarket model.

use syslab_core::lb::{
    Algorithm, Balancer, BalancerParams, HealthConfig, LbConfig, LbScenario, LoadBalancerLab, Pool,
    ServiceDist,
};

#[test]
fn smooth_weighted_round_robin_spreads_the_heavy_server() {
    let weights = [5, 1, 1];
    let mut balancer = Balancer::new(
        Algorithm::WeightedRoundRobin,
        &weights,
        BalancerParams::default(),
        1,
    );
    let pool = Pool::new(0, 3, vec![0, 1, 2], &weights);
    let names: String = (0..14)
        .map(|_| {
            let s = balancer.pick(&pool, 0, 0).expect("a server");
            ["a", "b", "c"][s as usize]
        })
        .collect();
    // nginx's sequence for {a: 5, b: 1, c: 1}, twice over.
    assert_eq!(names, "aabacaaaabacaa");
}

/// The most loaded of `n` bins after `n` balls placed by `algorithm`, with no departures.
fn max_load(algorithm: Algorithm, n: usize, seed: u64) -> u32 {
    let mut balancer = Balancer::new(algorithm, &vec![1; n], BalancerParams::default(), seed);
    let pool = Pool::all(n);
    for _ in 0..n {
        let s = balancer.pick(&pool, 0, 0).expect("a bin");
        balancer.on_dispatch(s);
    }
    balancer.outstanding().iter().copied().max().unwrap_or(0)
}

#[test]
fn balls_into_bins_two_choices_cut_the_maximum() {
    const N: usize = 1_000_000;
    let random = max_load(Algorithm::Random, N, 7);
    let two = max_load(Algorithm::PowerOfTwo, N, 7);
    // Random choice: ln n / ln ln n · (1 + o(1)), about 8 to 10 at n = 10⁶.
    // Two choices: ln ln n / ln 2 + O(1), about 4.
    println!("balls into bins, n = {N}: random max {random}, two choices max {two}");
    assert!((7..=12).contains(&random), "random: {random}");
    assert!((3..=5).contains(&two), "two choices: {two}");
    assert!(two + 3 <= random, "random {random}, two {two}");
}

/// The supermarket model: `servers` FIFO servers, Poisson arrivals at `load` per server,
/// exponential service of mean 1 ms, no queue limit, no timeouts, no network delay.
fn supermarket(algorithm: Algorithm, load: f64) -> LbConfig {
    LbConfig {
        seed: 2024,
        algorithm,
        servers: 100,
        capacity: 1,
        queue_limit: 10_000_000,
        service: ServiceDist::Exponential,
        cost_ms: 1.0,
        cost_cv: 0.0,
        rate: load * 100.0 * 1_000.0,
        rate_cv: 1.0,
        hop_us: 0,
        timeout_ms: 0,
        retries: 0,
        health: HealthConfig {
            interval_ms: 0,
            ..HealthConfig::default()
        },
        duration_ms: 110_000,
        tick_ms: 1_000,
        ..LbConfig::default()
    }
}

/// Mean time in system in units of the mean service time, after a warm-up of `warmup` ticks.
fn mean_time_in_system(config: LbConfig, warmup: usize) -> f64 {
    let mut lab = LoadBalancerLab::new(&LbScenario {
        config,
        ..LbScenario::default()
    })
    .expect("valid");
    for _ in 0..lab.config().n_ticks() {
        lab.step().expect("step");
    }
    let series = &lab.series(0)[warmup..];
    let n: u64 = series.iter().map(|p| p.counts.successes).sum();
    let total: f64 = series
        .iter()
        .map(|p| p.mean_ms * p.counts.successes as f64)
        .sum();
    total / n as f64
}

/// Mitzenmacher's fixed point for the supermarket model with d choices. In equilibrium the
/// share of servers holding at least i requests is s_i = λ^((dⁱ − 1)/(d − 1)); by Little's law
/// the mean time in system is (1/λ) Σ_{i≥1} s_i = Σ_{i≥1} λ^((dⁱ − d)/(d − 1)).
/// (d = 1 gives Σ λ^(i−1) = 1/(1 − λ), M/M/1, as it must.)
fn supermarket_theory(lambda: f64, d: u32) -> f64 {
    let d = f64::from(d);
    (1..40)
        .map(|i| lambda.powf((d.powi(i) - d) / (d - 1.0)))
        .sum::<f64>()
}

#[test]
fn supermarket_model_matches_theory() {
    let lambda = 0.9;
    let random = mean_time_in_system(supermarket(Algorithm::Random, lambda), 10);
    let two = mean_time_in_system(supermarket(Algorithm::PowerOfTwo, lambda), 10);
    let mm1 = 1.0 / (1.0 - lambda);
    let fixed_point = supermarket_theory(lambda, 2);
    println!(
        "supermarket λ = {lambda}: random {random:.4} (M/M/1 {mm1:.4}), two choices {two:.4} (theory {fixed_point:.4})"
    );
    assert!((mm1 - 10.0).abs() < 1e-9);
    assert!((fixed_point - 2.614).abs() < 0.001, "{fixed_point}");
    assert!(
        (random / mm1 - 1.0).abs() < 0.03,
        "random {random} vs {mm1}"
    );
    assert!(
        (two / fixed_point - 1.0).abs() < 0.03,
        "two choices {two} vs {fixed_point}"
    );
}

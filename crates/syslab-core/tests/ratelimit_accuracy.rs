//! The sliding window counter measured against the exact sliding log on a synthetic workload.
//!
//! Workload: one key limited to L = 100 requests per W = 1 s; Poisson arrivals (seeded) at
//! 0.9, 1.1 and 2 times the limit for 600 s each. Every request is decided by both algorithms
//! on the *same* history (the exact log's admitted requests), so each disagreement is one
//! decision the counter's estimate got wrong, not an echo of an earlier one.

use syslab_core::ratelimit::{
    AlgorithmKind, Decision, KeyState, LimitParams, Nanos, max_in_window,
};
use syslab_core::rng::SplitMix64;

struct Measured {
    requests: u64,
    wrongly_allowed: u64,
    wrongly_rejected: u64,
    /// Mean |estimate − exact count in (t − W, t]| over requests, relative to L.
    mean_rate_error: f64,
    /// Requests the log admits when deciding alone.
    log_admitted: u64,
    /// Requests the counter admits when deciding alone.
    counter_admitted: u64,
    /// The most the counter alone admits in any window.
    counter_max_in_window: u32,
}

fn measure(load: f64, seconds: u64, seed: u64) -> Measured {
    let (limit, window) = (100u32, Nanos::from_ms(1_000));
    let log = LimitParams::new(AlgorithmKind::SlidingLog, limit, window, 1, 1).expect("params");
    let counter =
        LimitParams::new(AlgorithmKind::SlidingCounter, limit, window, 1, 1).expect("params");
    let mut log_state = log.new_state();
    let mut counter_state = counter.new_state();
    let mut rng = SplitMix64::new(seed);
    let mean_gap = 1e9 / (load * f64::from(limit));
    let end = seconds as f64 * 1e9;
    let mut t = 0.0;
    let mut m = Measured {
        requests: 0,
        wrongly_allowed: 0,
        wrongly_rejected: 0,
        mean_rate_error: 0.0,
        log_admitted: 0,
        counter_admitted: 0,
        counter_max_in_window: 0,
    };
    let mut error_sum = 0.0;
    let mut times = Vec::new();
    loop {
        t += -libm::log(1.0 - rng.unit_f64()) * mean_gap;
        if t >= end {
            break;
        }
        let now = Nanos(t as u64);
        // The counter's decision on the shared history, without recording it.
        let estimate = counter_state.level(&counter, now);
        let counter_allows =
            counter.decide(&mut counter_state.clone(), now).decision == Decision::Allow;
        let exact = log_state.level(&log, now);
        let log_allows = log.decide(&mut log_state, now).decision == Decision::Allow;
        error_sum += (estimate - exact).abs() / f64::from(limit);
        m.requests += 1;
        match (counter_allows, log_allows) {
            (true, false) => m.wrongly_allowed += 1,
            (false, true) => m.wrongly_rejected += 1,
            _ => {}
        }
        // Both follow the exact log: the counter counts what the log allowed.
        if log_allows {
            let _ = counter.decide(&mut counter_state, now);
            if let KeyState::SlidingCounter { cur, .. } = &mut counter_state
                && !counter_allows
            {
                *cur += 1;
            }
        }
        times.push(now);
    }
    m.mean_rate_error = error_sum / m.requests as f64;
    // The same arrivals through each algorithm alone: throughput and the worst window.
    let alone = |p: &LimitParams| {
        let mut state = p.new_state();
        let admitted: Vec<Nanos> = times
            .iter()
            .copied()
            .filter(|&t| p.decide(&mut state, t).decision == Decision::Allow)
            .collect();
        (admitted.len() as u64, max_in_window(&admitted, window))
    };
    (m.log_admitted, _) = alone(&log);
    (m.counter_admitted, m.counter_max_in_window) = alone(&counter);
    m
}

#[test]
fn sliding_counter_error_against_the_exact_log() {
    for (load, seed) in [(0.5, 4), (0.9, 1), (1.1, 2), (2.0, 3)] {
        let m = measure(load, 600, seed);
        let share = |n: u64| 100.0 * n as f64 / m.requests as f64;
        let wrong = share(m.wrongly_allowed + m.wrongly_rejected);
        let throughput = m.counter_admitted as f64 / m.log_admitted as f64 - 1.0;
        eprintln!(
            "load {load}x: {} requests; wrongly allowed {:.3}%, wrongly rejected {:.3}%, wrong {:.3}%; \
             mean rate error {:.2}% of L; alone: log admits {}, counter {} ({:+.2}%), counter's max in a window {}",
            m.requests,
            share(m.wrongly_allowed),
            share(m.wrongly_rejected),
            wrong,
            100.0 * m.mean_rate_error,
            m.log_admitted,
            m.counter_admitted,
            100.0 * throughput,
            m.counter_max_in_window,
        );
        assert!(m.requests > 25_000);
        // The estimate assumes the previous window's requests were spread evenly. With Poisson
        // arrivals the count in any second fluctuates by about √L = 10 requests, and the
        // estimate misses the part that depends on where in the previous window they fell:
        // an error of a few percent of L (Cloudflare measured 6% on real traffic).
        assert!(
            m.mean_rate_error > 0.005 && m.mean_rate_error < 0.06,
            "mean rate error {}",
            m.mean_rate_error
        );
        // An error of a few requests decides a request only when the exact count is within
        // it of L. Below the limit that is a few percent of requests, far above Cloudflare's
        // 0.003% on real traffic, where most keys stay well under their limit. Above the limit
        // the exact count sits at L all the time and the two disagree on a large share of
        // requests: they admit about as many, but not the same ones.
        // At half the limit the count almost never gets near L and nothing is decided wrongly.
        let bound = if load < 1.0 { 8.0 } else { 60.0 };
        assert!(wrong < bound, "wrong decisions {wrong}% at {load}x");
        assert_eq!(
            wrong > 0.0,
            load > 0.6,
            "wrong decisions {wrong}% at {load}x"
        );
        // Alone, the counter lets through about as much as the exact log ...
        assert!(
            throughput.abs() < 0.05,
            "throughput differs by {throughput}"
        );
        // ... but it is not exact: with enough load, some window holds more than L.
        if load > 1.0 {
            assert!(
                m.counter_max_in_window > 100,
                "max in window {}",
                m.counter_max_in_window
            );
        }
    }
}

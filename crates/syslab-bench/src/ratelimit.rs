//! The rate-limiter lab's benchmarks: decisions per second of every algorithm on one client
//! key, of the token bucket spread over 10,000 keys, and (natively only) of the `governor`
//! crate's GCRA on the same arrivals, with how often it agrees with ours.
//!
//! Every benchmark replays the same 1,000,000 pre-generated arrivals: exponential gaps (a
//! Poisson process) at twice the limit, so about half the requests are allowed and half refused
//! and both paths of every algorithm run. Only the decisions are timed; each verdict goes
//! through `black_box`, so the `Retry-After` and `X-RateLimit-*` values are really computed.

use std::hint::black_box;

use syslab_core::ratelimit::{AlgorithmKind, LimitParams, Limiter, Nanos};
use syslab_core::rng::SplitMix64;

use crate::measure::{Budget, Clock, Figure, median, time_rounds};

/// Requests allowed per window, L.
const LIMIT: u32 = 100;
/// The window, W: 100 requests per second, so the emission interval T is 10 ms.
const WINDOW: Nanos = Nanos(Nanos::SECOND);
/// Bucket capacity (token bucket, meter) or burst (GCRA), C.
const BURST: u32 = 10;
/// Queue size of the leaky bucket as a queue, Q.
const QUEUE: u32 = 10;
/// Offered load as a multiple of the limit.
const OVERLOAD: f64 = 2.0;
/// Arrivals per round of every benchmark.
const N_ARRIVALS: usize = 1_000_000;
/// Client keys of the per-key benchmark.
const N_KEYS: u32 = 10_000;
/// Seed of the arrival times.
const ARRIVALS_SEED: u64 = 4;
/// Seed of the per-key benchmark's arrivals (times and keys).
const KEYED_SEED: u64 = 5;

/// The benchmark's limit for `kind`.
fn params(kind: AlgorithmKind) -> LimitParams {
    LimitParams::new(kind, LIMIT, WINDOW, BURST, QUEUE).expect("the benchmark's limit is valid")
}

/// `n` sorted arrival times of a Poisson process with a mean gap of `mean_gap` nanoseconds.
fn poisson_times(rng: &mut SplitMix64, n: usize, mean_gap: f64) -> Vec<Nanos> {
    let mut at = 0u64;
    (0..n)
        .map(|_| {
            // `unit_f64` is in [0, 1), so `1 − u` is in (0, 1] and its logarithm is finite.
            let gap = -(1.0 - rng.unit_f64()).ln() * mean_gap;
            at += gap as u64;
            Nanos(at)
        })
        .collect()
}

/// The arrivals every single-key benchmark replays: Poisson at `OVERLOAD` × the limit.
fn arrivals() -> Vec<Nanos> {
    let mean_gap = params(AlgorithmKind::Gcra).interval() as f64 / OVERLOAD;
    poisson_times(&mut SplitMix64::new(ARRIVALS_SEED), N_ARRIVALS, mean_gap)
}

/// Decisions per second, in millions, of `n` decisions taking `ms`.
fn mdecisions_per_s(n: usize, ms: f64) -> f64 {
    n as f64 / ms / 1_000.0
}

/// Decides every arrival of one key with a fresh state; the verdicts are only `black_box`ed.
/// `params` comes through `black_box` so that the emission interval is not a constant the
/// optimiser could fold into the divisions, as it never is in a configurable limiter.
fn decide_all(params: &LimitParams, arrivals: &[Nanos]) {
    let params = black_box(params);
    let mut state = params.new_state();
    for &now in black_box(arrivals) {
        black_box(params.decide(&mut state, now));
    }
    black_box(&state);
}

/// `ratelimit/decisions-<id>`: `LimitParams::decide` for one key on the shared arrivals.
fn decisions(kind: AlgorithmKind, name: &'static str, clock: Clock<'_>, budget: &Budget) -> Figure {
    debug_assert_eq!(name, format!("ratelimit/decisions-{}", kind.id()));
    let params = params(kind);
    let arrivals = arrivals();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        decide_all(&params, &arrivals);
    });
    (
        name,
        mdecisions_per_s(arrivals.len(), median(&rounds)),
        "Mdecisions/s",
    )
}

/// `ratelimit/decisions-token_bucket`.
pub fn token_bucket(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-token_bucket";
    vec![decisions(AlgorithmKind::TokenBucket, name, clock, budget)]
}

/// `ratelimit/decisions-leaky_queue`.
pub fn leaky_queue(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-leaky_queue";
    vec![decisions(AlgorithmKind::LeakyQueue, name, clock, budget)]
}

/// `ratelimit/decisions-leaky_meter`.
pub fn leaky_meter(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-leaky_meter";
    vec![decisions(AlgorithmKind::LeakyMeter, name, clock, budget)]
}

/// `ratelimit/decisions-fixed_window`.
pub fn fixed_window(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-fixed_window";
    vec![decisions(AlgorithmKind::FixedWindow, name, clock, budget)]
}

/// `ratelimit/decisions-sliding_log`.
pub fn sliding_log(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-sliding_log";
    vec![decisions(AlgorithmKind::SlidingLog, name, clock, budget)]
}

/// `ratelimit/decisions-sliding_counter`.
pub fn sliding_counter(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-sliding_counter";
    vec![decisions(
        AlgorithmKind::SlidingCounter,
        name,
        clock,
        budget,
    )]
}

/// `ratelimit/decisions-gcra`.
pub fn gcra(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let name = "ratelimit/decisions-gcra";
    vec![decisions(AlgorithmKind::Gcra, name, clock, budget)]
}

/// `ratelimit/decisions-token_bucket-10k-keys`: the token bucket through the core's
/// [`Limiter`], 1,000,000 arrivals each from a random one of 10,000 client keys, every key at
/// `OVERLOAD` × the limit. Against the single-key figure this is the cost of finding a key's
/// state (a random access into 10,000 states, 320 KB natively) and of the limiter's memory
/// accounting.
pub fn token_bucket_keyed(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let params = params(AlgorithmKind::TokenBucket);
    let mut rng = SplitMix64::new(KEYED_SEED);
    // A Poisson process split uniformly at random over the keys gives each key a Poisson
    // process of 1 / N_KEYS the rate.
    let mean_gap = params.interval() as f64 / OVERLOAD / f64::from(N_KEYS);
    let times = poisson_times(&mut rng, N_ARRIVALS, mean_gap);
    let arrivals: Vec<(u32, Nanos)> = times
        .into_iter()
        .map(|at| (rng.below(u64::from(N_KEYS)) as u32, at))
        .collect();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        // A fresh limiter every round (allocating and filling 320 KB natively, a fraction of a
        // percent of the round), so every round decides the same requests from the same states.
        let mut limiter = Limiter::new(*black_box(&params), N_KEYS);
        for &(key, now) in black_box(arrivals.as_slice()) {
            black_box(limiter.decide(key, now));
        }
        black_box(&limiter);
    });
    vec![(
        "ratelimit/decisions-token_bucket-10k-keys",
        mdecisions_per_s(arrivals.len(), median(&rounds)),
        "Mdecisions/s",
    )]
}

/// Whether each arrival is allowed by our algorithm `params` on one key.
#[cfg(not(target_arch = "wasm32"))]
fn allowed(params: &LimitParams, arrivals: &[Nanos]) -> Vec<bool> {
    let mut state = params.new_state();
    arrivals
        .iter()
        .map(|&now| {
            params.decide(&mut state, now).decision == syslab_core::ratelimit::Decision::Allow
        })
        .collect()
}

/// The `governor` crate's GCRA, the reference our GCRA is compared with. Native only: it is a
/// benchmark dependency, never part of what the lab ships.
#[cfg(not(target_arch = "wasm32"))]
mod reference {
    use std::cell::Cell;
    use std::num::NonZeroU32;
    use std::time::Duration;

    use governor::clock::Clock;
    use governor::middleware::NoOpMiddleware;
    use governor::nanos::Nanos as GovNanos;
    use governor::state::{InMemoryState, NotKeyed};
    use governor::{Quota, RateLimiter};
    use syslab_core::ratelimit::{LimitParams, Nanos};

    /// A clock that reads the arrival being decided, set before each `check`.
    ///
    /// governor's `FakeRelativeClock` can only be advanced by a `Duration` through an atomic
    /// compare-and-swap loop; setting it once per arrival would time that loop along with the
    /// decision. A plain `Cell` read is as close as a clock gets to our decisions, which take
    /// `now` as an argument. Zero at construction, so the limiter's `start` is time zero, like
    /// ours.
    #[derive(Debug, Default)]
    pub(super) struct ArrivalClock(Cell<u64>);

    impl ArrivalClock {
        pub(super) fn set(&self, now: Nanos) {
            self.0.set(now.0);
        }
    }

    impl Clock for ArrivalClock {
        type Instant = GovNanos;

        fn now(&self) -> GovNanos {
            GovNanos::from(self.0.get())
        }
    }

    /// A direct (one-key) governor limiter on the arrival clock.
    pub(super) type Governor =
        RateLimiter<NotKeyed, InMemoryState, ArrivalClock, NoOpMiddleware<GovNanos>>;

    /// The quota that makes governor decide exactly like our GCRA with `params`.
    ///
    /// governor's GCRA (gcra.rs) has the emission interval `t = quota.replenish_interval()` and
    /// the tolerance `tau = t × (max_burst − 1)`, refuses a cell at `t0` iff
    /// `t0 < tat − tau` (saturating), and otherwise sets `tat = max(tat, t0) + t`, with an
    /// unset `tat` read as `t0`. Ours has `T = ⌊W / L⌋`, `τ = (C − 1) × T`, refuses iff
    /// `now + τ < tat` and otherwise sets `tat = max(tat, now) + T`, starting from `tat = 0`.
    /// These are the same test in integer nanoseconds when the period of one cell is `T` and
    /// the burst is `C`: `Quota::with_period(T).allow_burst(C)`. (`Quota::per_second(L)` would
    /// give the same `T` only because `Duration / u32` also rounds down to whole nanoseconds.)
    pub(super) fn quota(params: &LimitParams) -> Quota {
        let burst = NonZeroU32::new(params.burst()).expect("LimitParams has burst ≥ 1");
        Quota::with_period(Duration::from_nanos(params.interval()))
            .expect("LimitParams has T ≥ 1 ns")
            .allow_burst(burst)
    }

    /// A fresh governor limiter for `params`, its state at time zero.
    pub(super) fn limiter(params: &LimitParams) -> Governor {
        RateLimiter::direct_with_clock(quota(params), ArrivalClock::default())
    }

    /// Whether governor allows each arrival, from a fresh limiter.
    pub(super) fn allowed(params: &LimitParams, arrivals: &[Nanos]) -> Vec<bool> {
        let limiter = limiter(params);
        arrivals
            .iter()
            .map(|&now| {
                limiter.clock().set(now);
                limiter.check().is_ok()
            })
            .collect()
    }
}

/// `ratelimit/decisions-governor-gcra`: governor's direct GCRA limiter, `check()` on the same
/// arrivals with the corresponding quota; and `ratelimit/governor-agreement`: the share of
/// arrivals, in percent, that governor and our GCRA both allow or both refuse.
///
/// The two do different amounts of work per decision: governor's `check()` is thread-safe (an
/// atomic compare-and-swap of its state on every allowed request) but returns only allow or
/// "not until"; our `decide` is single-threaded but also computes the `X-RateLimit-Remaining`
/// and `-Reset` headers (a division) for every request.
#[cfg(not(target_arch = "wasm32"))]
pub fn governor_gcra(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let params = params(AlgorithmKind::Gcra);
    let arrivals = arrivals();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        let limiter = reference::limiter(black_box(&params));
        for &now in black_box(arrivals.as_slice()) {
            limiter.clock().set(now);
            let _ = black_box(limiter.check());
        }
        black_box(&limiter);
    });
    let ours = allowed(&params, &arrivals);
    let theirs = reference::allowed(&params, &arrivals);
    let same = ours.iter().zip(&theirs).filter(|(a, b)| a == b).count();
    vec![
        (
            "ratelimit/decisions-governor-gcra",
            mdecisions_per_s(arrivals.len(), median(&rounds)),
            "Mdecisions/s",
        ),
        (
            "ratelimit/governor-agreement",
            100.0 * same as f64 / arrivals.len() as f64,
            "%",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use syslab_core::ratelimit::Decision;

    use super::*;

    #[test]
    fn the_arrivals_run_both_paths_of_every_algorithm() {
        let arrivals = &arrivals()[..20_000];
        for kind in AlgorithmKind::ALL {
            let p = params(kind);
            let mut state = p.new_state();
            let refused = arrivals
                .iter()
                .filter(|&&now| {
                    matches!(p.decide(&mut state, now).decision, Decision::Reject { .. })
                })
                .count() as f64
                / arrivals.len() as f64;
            // At twice the limit about half the requests are refused (the leaky queue delays
            // rather than allows the others).
            assert!(
                (0.3..0.7).contains(&refused),
                "{}: {refused} of the arrivals refused",
                kind.id()
            );
        }
    }

    #[test]
    fn the_keyed_arrivals_are_twice_the_limit_per_key() {
        let p = params(AlgorithmKind::TokenBucket);
        let mean_gap = p.interval() as f64 / OVERLOAD / f64::from(N_KEYS);
        let times = poisson_times(&mut SplitMix64::new(KEYED_SEED), 100_000, mean_gap);
        let per_key_rate = times.len() as f64 / times[times.len() - 1].secs_f64() / 10_000.0;
        let target = OVERLOAD * f64::from(LIMIT);
        assert!(
            (per_key_rate - target).abs() < 0.02 * target,
            "{per_key_rate}/s per key"
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn governor_and_our_gcra_agree_on_every_arrival() {
        let mut rng = SplitMix64::new(6);
        for (limit, window_ms, burst) in [(LIMIT, 1_000, BURST), (7, 3, 1), (1_000, 60_000, 25)] {
            let p = LimitParams::new(
                AlgorithmKind::Gcra,
                limit,
                Nanos::from_ms(window_ms),
                burst,
                1,
            )
            .expect("valid params");
            let arrivals = poisson_times(&mut rng, 100_000, p.interval() as f64 / OVERLOAD);
            let ours = allowed(&p, &arrivals);
            assert_eq!(
                ours,
                reference::allowed(&p, &arrivals),
                "{limit} per {window_ms} ms, burst {burst}"
            );
            let n_allowed = ours.iter().filter(|&&a| a).count();
            assert!((30_000..70_000).contains(&n_allowed), "{n_allowed} allowed");
        }
    }
}

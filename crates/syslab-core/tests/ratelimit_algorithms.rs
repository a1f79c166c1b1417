//! The rate-limiting algorithms on their own: GCRA and the token bucket agree exactly, the
//! sliding log is exact, the fixed window lets twice the limit through at a boundary, the
//! leaky queue's waits are as computed by hand, and `Retry-After` is never wrong.

use proptest::prelude::*;
use syslab_core::ratelimit::{
    AlgorithmKind, Decision, KeyState, LimitParams, Nanos, Verdict, max_in_window,
};
use syslab_core::rng::SplitMix64;

fn params(kind: AlgorithmKind, limit: u32, window_ms: u64, burst: u32, queue: u32) -> LimitParams {
    LimitParams::new(kind, limit, Nanos::from_ms(window_ms), burst, queue).expect("valid params")
}

/// Decides `times` (sorted) for one key and returns the verdicts.
fn decide_all(p: &LimitParams, times: &[u64]) -> Vec<Verdict> {
    let mut state = p.new_state();
    times
        .iter()
        .map(|&t| p.decide(&mut state, Nanos(t)))
        .collect()
}

/// Times with random gaps of 0 to `max_gap` ns, and some exact repeats.
fn random_times(rng: &mut SplitMix64, n: usize, max_gap: u64) -> Vec<u64> {
    let mut t = 0u64;
    (0..n)
        .map(|_| {
            if rng.below(8) != 0 {
                t += rng.below(max_gap + 1);
            }
            t
        })
        .collect()
}

#[test]
fn gcra_and_token_bucket_decide_identically_on_a_million_arrivals() {
    // The correspondence: a token bucket of capacity C refilled one token every T, and GCRA
    // with emission interval T and burst tolerance τ = (C − 1) × T. Both count in integer
    // nanoseconds, so they agree on every decision, Retry-After and header.
    let mut rng = SplitMix64::new(42);
    let cases = [
        (10, 1_000, 10),
        (10, 1_000, 1),
        (7, 3, 25),
        (1, 1_000, 3),
        (100, 60_000, 1),
    ];
    let per_case = 1_000_000 / cases.len();
    let mut rejects = 0;
    for (limit, window_ms, burst) in cases {
        let tb = params(AlgorithmKind::TokenBucket, limit, window_ms, burst, 1);
        let gcra = params(AlgorithmKind::Gcra, limit, window_ms, burst, 1);
        // Gaps up to 2T keep the offered load near the rate, so both outcomes are common.
        let times = random_times(&mut rng, per_case, 2 * tb.interval());
        let (a, b) = (decide_all(&tb, &times), decide_all(&gcra, &times));
        for (idx, (x, y)) in a.iter().zip(&b).enumerate() {
            assert_eq!(
                x, y,
                "limit {limit}/{window_ms} ms, burst {burst}: request {idx} at {}",
                times[idx]
            );
        }
        rejects += a
            .iter()
            .filter(|v| matches!(v.decision, Decision::Reject { .. }))
            .count();
    }
    assert!(
        rejects > 100_000 && rejects < 900_000,
        "{rejects} rejections: the test must exercise both outcomes"
    );
}

#[test]
fn the_leaky_meter_is_the_token_bucket_upside_down() {
    let mut rng = SplitMix64::new(7);
    let tb = params(AlgorithmKind::TokenBucket, 10, 1_000, 4, 1);
    let meter = params(AlgorithmKind::LeakyMeter, 10, 1_000, 4, 1);
    let times = random_times(&mut rng, 50_000, 2 * tb.interval());
    let same = |v: &Verdict| (v.decision, v.headers.remaining);
    let a: Vec<_> = decide_all(&tb, &times).iter().map(same).collect();
    let b: Vec<_> = decide_all(&meter, &times).iter().map(same).collect();
    assert_eq!(a, b);
}

#[track_caller]
fn check_queue(times_ms: &[u64], expected: &[Decision]) {
    // 10 per second drains one request every 100 ms; two may wait.
    let p = params(AlgorithmKind::LeakyQueue, 10, 1_000, 1, 2);
    let times: Vec<u64> = times_ms.iter().map(|&ms| ms * 1_000_000).collect();
    let got: Vec<Decision> = decide_all(&p, &times).iter().map(|v| v.decision).collect();
    assert_eq!(got, expected);
}

#[test]
fn leaky_queue_waits_are_as_computed_by_hand() {
    let ms = |n: u64| Nanos::from_ms(n);
    check_queue(
        &[0, 0, 0, 0, 150, 250, 600],
        &[
            // Forwarded at once; the queue's next slot is 100 ms.
            Decision::Allow,
            Decision::Delay { wait: ms(100) },
            Decision::Delay { wait: ms(200) },
            // Two are waiting: full. The first of them leaves at 100 ms.
            Decision::Reject {
                retry_after: ms(100),
            },
            // At 150 one waits (leaving at 200); this one leaves at 300.
            Decision::Delay { wait: ms(150) },
            // At 250 one waits (leaving at 300); this one leaves at 400.
            Decision::Delay { wait: ms(150) },
            // The queue emptied at 400.
            Decision::Allow,
        ],
    );
}

/// Checks that a rejection's Retry-After is exact: one nanosecond earlier the request is still
/// refused, at Retry-After it is accepted.
#[track_caller]
fn check_retry_after(p: &LimitParams, state: &KeyState, now: u64, retry: u64) {
    let mut early = state.clone();
    if retry > 1 {
        let v = p.decide(&mut early, Nanos(now + retry - 1));
        assert!(
            matches!(v.decision, Decision::Reject { .. }),
            "{:?} {state:?}: early retry at {} accepted",
            p.kind(),
            retry - 1
        );
    }
    let mut later = state.clone();
    let v = p.decide(&mut later, Nanos(now + retry));
    assert!(
        !matches!(v.decision, Decision::Reject { .. }),
        "{:?} {state:?}: retry after {retry} refused",
        p.kind()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn sliding_log_never_exceeds_the_limit_and_only_refuses_when_full(
        limit in 1u32..20,
        window_ms in 1u64..50,
        gaps in prop::collection::vec(0u64..3_000_000, 1..400),
    ) {
        let p = params(AlgorithmKind::SlidingLog, limit, window_ms, 1, 1);
        let times: Vec<u64> = gaps.iter().scan(0, |t, g| { *t += g; Some(*t) }).collect();
        let verdicts = decide_all(&p, &times);
        let mut admitted = Vec::new();
        for (&t, v) in times.iter().zip(&verdicts) {
            let in_window = admitted.iter().filter(|&&a: &&u64| a + p.window() > t).count() as u32;
            match v.decision {
                Decision::Allow => admitted.push(t),
                // Refused only with exactly `limit` allowed in (t − W, t].
                _ => prop_assert_eq!(in_window, limit),
            }
        }
        let admitted: Vec<Nanos> = admitted.into_iter().map(Nanos).collect();
        prop_assert!(max_in_window(&admitted, Nanos(p.window())) <= limit);
    }

    #[test]
    fn retry_after_is_exact(
        kind in prop::sample::select(vec![
            AlgorithmKind::TokenBucket, AlgorithmKind::Gcra, AlgorithmKind::LeakyMeter,
            AlgorithmKind::LeakyQueue, AlgorithmKind::FixedWindow, AlgorithmKind::SlidingLog,
            AlgorithmKind::SlidingCounter,
        ]),
        limit in 1u32..12,
        burst in 1u32..6,
        queue in 1u32..4,
        gaps in prop::collection::vec(0u64..400_000, 1..120),
    ) {
        let p = params(kind, limit, 1, burst, queue);
        let mut state = p.new_state();
        let mut t = 0;
        for g in gaps {
            t += g;
            let before = state.clone();
            let v = p.decide(&mut state, Nanos(t));
            if let Decision::Reject { retry_after } = v.decision {
                // A rejection may refill or roll the state, but never moves the retry time.
                check_retry_after(&p, &before, t, retry_after.0);
                check_retry_after(&p, &state, t, retry_after.0);
            }
            prop_assert!(v.headers.remaining <= p.level_max());
        }
    }
}

#[test]
fn fixed_window_admits_twice_the_limit_around_a_boundary() {
    // 10 per second; 20 requests 10 ms apart straddle the boundary at 1 s.
    let times: Vec<u64> = (0..20).map(|i| 900_000_000 + i * 10_000_000).collect();
    let allowed = |kind| {
        let p = params(kind, 10, 1_000, 10, 1);
        let verdicts = decide_all(&p, &times);
        let admitted: Vec<Nanos> = times
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| v.decision == Decision::Allow)
            .map(|(&t, _)| Nanos(t))
            .collect();
        max_in_window(&admitted, Nanos(p.window()))
    };
    assert_eq!(allowed(AlgorithmKind::FixedWindow), 20);
    assert_eq!(allowed(AlgorithmKind::SlidingLog), 10);
}

#[test]
fn max_in_window_counts_half_open_windows() {
    let t = |v: &[u64]| v.iter().map(|&x| Nanos(x)).collect::<Vec<_>>();
    assert_eq!(max_in_window(&[], Nanos(10)), 0);
    assert_eq!(max_in_window(&t(&[0, 10, 20]), Nanos(10)), 1);
    assert_eq!(max_in_window(&t(&[0, 9, 10, 19]), Nanos(10)), 2);
    assert_eq!(max_in_window(&t(&[5, 5, 5, 14]), Nanos(10)), 4);
}

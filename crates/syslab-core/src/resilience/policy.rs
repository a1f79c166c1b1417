//! The caller-side policies as small state machines, each driven by the simulation with the
//! time as an argument: backoff with jitter, the circuit breaker, the retry budget, the
//! token-bucket retry quota and adaptive throttling.

use serde::{Deserialize, Serialize};

use super::config::{Backoff, BreakerSpec, Jitter};
use crate::rng::SplitMix64;

const MS: f64 = 1e6;

/// The wait before retry `retry` (1 is the first retry), in ns. `prev` is the previous wait
/// (decorrelated jitter grows from it; the first is the base).
pub fn backoff_ns(
    backoff: Backoff,
    jitter: Jitter,
    base_ms: f64,
    cap_ms: f64,
    retry: u32,
    prev_ns: u64,
    rng: &mut SplitMix64,
) -> u64 {
    let (base, cap) = (base_ms * MS, cap_ms * MS);
    let raw = match backoff {
        Backoff::None => return 0,
        Backoff::Fixed => base,
        Backoff::Exponential => {
            (base * libm::pow(2.0, f64::from(retry.saturating_sub(1).min(60)))).min(cap)
        }
    };
    let wait = match jitter {
        Jitter::None => raw,
        Jitter::Full => rng.unit_f64() * raw,
        Jitter::Equal => raw / 2.0 + rng.unit_f64() * raw / 2.0,
        Jitter::Decorrelated => {
            let prev = if prev_ns == 0 { base } else { prev_ns as f64 };
            let hi = (prev * 3.0).max(base);
            (base + rng.unit_f64() * (hi - base)).min(cap)
        }
    };
    (wait + 0.5) as u64
}

/// A circuit breaker's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls pass; outcomes fill the sliding window.
    #[default]
    Closed,
    /// Calls are refused at once until the wait is over.
    Open,
    /// A few trial calls pass; their outcome closes or reopens it.
    HalfOpen,
}

impl BreakerState {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half-open",
        }
    }

    /// 0, 1 or 0.5 for a chart (open is up).
    pub fn level(self) -> f64 {
        match self {
            BreakerState::Closed => 0.0,
            BreakerState::Open => 1.0,
            BreakerState::HalfOpen => 0.5,
        }
    }
}

/// A count-based circuit breaker with resilience4j's state machine: closed, it records each
/// outcome in a window of the last `window` calls and opens once at least `min_calls` are
/// recorded and the failure rate (or slow-call rate) reaches its threshold; open, it refuses
/// calls until `wait` has passed, then the next call moves it to half-open; half-open, it lets
/// `half_open` trial calls through and, when they have all ended, reopens if their failure
/// rate reaches the threshold or closes (with an empty window) otherwise.
#[derive(Clone, Debug)]
pub struct Breaker {
    spec: BreakerSpec,
    state: BreakerState,
    /// Outcomes of the last calls: bit 0 failed, bit 1 slow.
    ring: Vec<u8>,
    pos: usize,
    filled: u32,
    fails: u32,
    slows: u32,
    opened_at: u64,
    trials_sent: u32,
    trials_done: u32,
    trial_fails: u32,
    trial_slows: u32,
    /// Times it opened.
    pub opens: u32,
}

impl Breaker {
    pub fn new(spec: BreakerSpec) -> Self {
        Self {
            spec,
            state: BreakerState::Closed,
            ring: vec![0; spec.window.max(1) as usize],
            pos: 0,
            filled: 0,
            fails: 0,
            slows: 0,
            opened_at: 0,
            trials_sent: 0,
            trials_done: 0,
            trial_fails: 0,
            trial_slows: 0,
            opens: 0,
        }
    }

    /// The state (an open breaker whose wait is over stays open until a call comes).
    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// Asks to send a call at `now`: `None` refuses it; `Some(trial)` lets it through, and
    /// says whether it is a half-open trial.
    pub fn allow(&mut self, now: u64) -> Option<bool> {
        if self.state == BreakerState::Open {
            if now
                < self
                    .opened_at
                    .saturating_add(u64::from(self.spec.wait_ms) * 1_000_000)
            {
                return None;
            }
            self.state = BreakerState::HalfOpen;
            self.trials_sent = 0;
            self.trials_done = 0;
            self.trial_fails = 0;
            self.trial_slows = 0;
        }
        match self.state {
            BreakerState::Closed => Some(false),
            BreakerState::HalfOpen if self.trials_sent < self.spec.half_open => {
                self.trials_sent += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// Records the outcome of a call let through (`trial` as `allow` said) at `now`.
    pub fn record(&mut self, now: u64, trial: bool, failed: bool, slow_ns: u64) {
        let slow = self.spec.slow_ms > 0 && slow_ns > u64::from(self.spec.slow_ms) * 1_000_000;
        let over = |fails: u32, slows: u32, n: u32, spec: &BreakerSpec| {
            let n = f64::from(n.max(1));
            f64::from(fails) / n * 100.0 >= spec.failure_pct
                || f64::from(slows) / n * 100.0 >= spec.slow_pct
        };
        match self.state {
            BreakerState::Closed if !trial => {
                let bits = u8::from(failed) | (u8::from(slow) << 1);
                if self.filled as usize == self.ring.len() {
                    let old = self.ring[self.pos];
                    self.fails -= u32::from(old & 1);
                    self.slows -= u32::from(old >> 1);
                } else {
                    self.filled += 1;
                }
                self.ring[self.pos] = bits;
                self.pos = (self.pos + 1) % self.ring.len();
                self.fails += u32::from(failed);
                self.slows += u32::from(slow);
                let needed = self.spec.min_calls.min(self.ring.len() as u32);
                if self.filled >= needed && over(self.fails, self.slows, self.filled, &self.spec) {
                    self.open(now);
                }
            }
            BreakerState::HalfOpen if trial => {
                self.trials_done += 1;
                self.trial_fails += u32::from(failed);
                self.trial_slows += u32::from(slow);
                if self.trials_done >= self.spec.half_open {
                    if over(
                        self.trial_fails,
                        self.trial_slows,
                        self.trials_done,
                        &self.spec,
                    ) {
                        self.open(now);
                    } else {
                        self.close();
                    }
                }
            }
            // Outcomes of calls sent in another state are not recorded (as resilience4j
            // ignores them while open).
            _ => {}
        }
    }

    fn open(&mut self, now: u64) {
        self.state = BreakerState::Open;
        self.opened_at = now;
        self.opens += 1;
    }

    fn close(&mut self) {
        self.state = BreakerState::Closed;
        self.ring.fill(0);
        self.pos = 0;
        self.filled = 0;
        self.fails = 0;
        self.slows = 0;
    }
}

/// Counts in one-second buckets over a sliding window of whole seconds.
#[derive(Clone, Debug)]
struct Window {
    /// (second, a, b) per bucket; the bucket of second s is s % len.
    buckets: Vec<(u64, f64, f64)>,
    sum_a: f64,
    sum_b: f64,
}

impl Window {
    fn new(seconds: u64) -> Self {
        Self {
            buckets: vec![(u64::MAX, 0.0, 0.0); seconds.max(1) as usize],
            sum_a: 0.0,
            sum_b: 0.0,
        }
    }

    /// The bucket of `now`, forgetting what is older than the window.
    fn at(&mut self, now: u64) -> &mut (u64, f64, f64) {
        let second = now / 1_000_000_000;
        let len = self.buckets.len() as u64;
        let idx = (second % len) as usize;
        let b = &mut self.buckets[idx];
        if b.0 != second {
            self.sum_a -= b.1;
            self.sum_b -= b.2;
            *b = (second, 0.0, 0.0);
        }
        &mut self.buckets[idx]
    }

    /// Sums over the window ending at `now`.
    fn sums(&mut self, now: u64) -> (f64, f64) {
        let second = now / 1_000_000_000;
        let len = self.buckets.len() as u64;
        for b in &mut self.buckets {
            if b.0 != u64::MAX && b.0 + len <= second {
                self.sum_a -= b.1;
                self.sum_b -= b.2;
                *b = (u64::MAX, 0.0, 0.0);
            }
        }
        (self.sum_a.max(0.0), self.sum_b.max(0.0))
    }

    fn add(&mut self, now: u64, a: f64, b: f64) {
        let bucket = self.at(now);
        bucket.1 += a;
        bucket.2 += b;
        self.sum_a += a;
        self.sum_b += b;
    }
}

/// A retry budget as Finagle's `RetryBudget`: every request deposits, and a retry may be sent
/// while the retries of the last ttl seconds stay within `ratio` × the requests plus `min` per
/// second of ttl.
#[derive(Clone, Debug)]
pub struct RetryBudget {
    ratio: f64,
    reserve: f64,
    /// a: requests deposited, b: retries withdrawn.
    window: Window,
}

impl RetryBudget {
    pub fn new(ratio: f64, min_per_s: f64, ttl_s: u64) -> Self {
        Self {
            ratio,
            reserve: min_per_s * ttl_s as f64,
            window: Window::new(ttl_s),
        }
    }

    /// A request (a first attempt) was sent.
    pub fn deposit(&mut self, now: u64) {
        self.window.add(now, 1.0, 0.0);
    }

    /// Whether a retry may be sent now; if so it is withdrawn.
    pub fn withdraw(&mut self, now: u64) -> bool {
        let (requests, retries) = self.window.sums(now);
        if retries + 1.0 <= requests * self.ratio + self.reserve {
            self.window.add(now, 0.0, 1.0);
            true
        } else {
            false
        }
    }
}

/// gRPC's retry throttling: a bucket of `max` tokens, one taken by each failed call and
/// `ratio` put back by each success; retries are allowed while more than half remain.
#[derive(Clone, Debug)]
pub struct RetryQuota {
    max: f64,
    ratio: f64,
    tokens: f64,
}

impl RetryQuota {
    pub fn new(max: u32, ratio: f64) -> Self {
        let max = f64::from(max);
        Self {
            max,
            ratio,
            tokens: max,
        }
    }

    pub fn failure(&mut self) {
        self.tokens = (self.tokens - 1.0).max(0.0);
    }

    pub fn success(&mut self) {
        self.tokens = (self.tokens + self.ratio).min(self.max);
    }

    pub fn allows(&self) -> bool {
        self.tokens > self.max / 2.0
    }

    pub fn tokens(&self) -> f64 {
        self.tokens
    }
}

/// Client-side adaptive throttling (Google SRE book, "Handling Overload"): over a window, a
/// call is rejected locally with probability max(0, (requests − K × accepts) / (requests + 1)).
#[derive(Clone, Debug)]
pub struct Throttle {
    k: f64,
    /// a: requests (locally rejected included), b: accepts.
    window: Window,
}

impl Throttle {
    pub fn new(k: f64, window_s: u64) -> Self {
        Self {
            k,
            window: Window::new(window_s),
        }
    }

    /// The probability that a request is rejected locally now.
    pub fn reject_probability(&mut self, now: u64) -> f64 {
        let (requests, accepts) = self.window.sums(now);
        reject_probability(requests, accepts, self.k)
    }

    /// A request was made (sent or rejected locally).
    pub fn request(&mut self, now: u64) {
        self.window.add(now, 1.0, 0.0);
    }

    /// The tier below accepted a request (answered it, with a result or an error of its own,
    /// rather than refusing it or timing out).
    pub fn accept(&mut self, now: u64) {
        self.window.add(now, 0.0, 1.0);
    }
}

/// The SRE book's formula: max(0, (requests − K × accepts) / (requests + 1)).
pub fn reject_probability(requests: f64, accepts: f64, k: f64) -> f64 {
    ((requests - k * accepts) / (requests + 1.0)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(window: u32, min_calls: u32, half: u32) -> BreakerSpec {
        BreakerSpec {
            window,
            min_calls,
            half_open: half,
            wait_ms: 1_000,
            ..BreakerSpec::default()
        }
    }

    const S: u64 = 1_000_000_000;

    #[test]
    fn breaker_follows_its_transition_table() {
        let mut b = Breaker::new(spec(4, 4, 2));
        // Closed: three outcomes are not enough to judge.
        for failed in [true, true, false] {
            assert_eq!(b.allow(0), Some(false));
            b.record(0, false, failed, 0);
            assert_eq!(b.state(), BreakerState::Closed);
        }
        // The fourth: 3 of 4 failed, 75% ≥ 50%: open.
        assert_eq!(b.allow(0), Some(false));
        b.record(0, false, true, 0);
        assert_eq!(b.state(), BreakerState::Open);
        assert_eq!(b.allow(S / 2), None, "open refuses during the wait");
        // After the wait the next call is a trial: half-open, two trials, the third refused.
        assert_eq!(b.allow(S), Some(true));
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert_eq!(b.allow(S), Some(true));
        assert_eq!(b.allow(S), None);
        // One of two trials failed: 50% ≥ 50%: open again.
        b.record(S, true, true, 0);
        assert_eq!(b.state(), BreakerState::HalfOpen);
        b.record(S, true, false, 0);
        assert_eq!(b.state(), BreakerState::Open);
        // Next time both trials succeed: closed, with an empty window.
        assert_eq!(b.allow(2 * S), Some(true));
        assert_eq!(b.allow(2 * S), Some(true));
        b.record(2 * S, true, false, 0);
        b.record(2 * S, true, false, 0);
        assert_eq!(b.state(), BreakerState::Closed);
        // A late outcome of a closed-era call during half-open is ignored; failures under
        // the threshold keep it closed.
        for failed in [true, false, false, false, true, false] {
            b.allow(3 * S);
            b.record(3 * S, false, failed, 0);
        }
        assert_eq!(b.state(), BreakerState::Closed);
        assert_eq!(b.opens, 2);
    }

    #[test]
    fn slow_calls_open_the_breaker() {
        let mut b = Breaker::new(BreakerSpec {
            slow_ms: 100,
            slow_pct: 50.0,
            ..spec(2, 2, 1)
        });
        b.record(0, false, false, 200 * 1_000_000);
        b.record(0, false, false, 10);
        assert_eq!(b.state(), BreakerState::Open);
    }

    #[test]
    fn throttle_formula_on_known_counts() {
        assert_eq!(reject_probability(0.0, 0.0, 2.0), 0.0);
        assert_eq!(reject_probability(100.0, 50.0, 2.0), 0.0);
        assert!((reject_probability(100.0, 25.0, 2.0) - 50.0 / 101.0).abs() < 1e-12);
        assert!((reject_probability(1000.0, 0.0, 2.0) - 1000.0 / 1001.0).abs() < 1e-12);
        let mut t = Throttle::new(2.0, 10);
        for _ in 0..100 {
            t.request(0);
        }
        for _ in 0..25 {
            t.accept(0);
        }
        assert!((t.reject_probability(S) - 50.0 / 101.0).abs() < 1e-12);
        // Ten seconds later the window has forgotten them.
        assert_eq!(t.reject_probability(10 * S), 0.0);
    }

    #[test]
    fn budget_allows_its_ratio_plus_the_reserve() {
        let mut b = RetryBudget::new(0.2, 0.0, 10);
        for _ in 0..100 {
            b.deposit(0);
        }
        let allowed = (0..100).filter(|_| b.withdraw(0)).count();
        assert_eq!(allowed, 20);
        let mut b = RetryBudget::new(0.2, 10.0, 10);
        assert_eq!((0..1000).filter(|_| b.withdraw(0)).count(), 100);
    }

    #[test]
    fn quota_stops_retries_below_half() {
        // gRPC's own test: max 4, ratio 1.6.
        let mut q = RetryQuota::new(4, 1.6);
        q.failure();
        assert!(q.allows());
        q.success();
        q.failure();
        assert!(q.allows());
        q.failure();
        assert!(!q.allows(), "at the threshold, no retries");
        q.success();
        assert!(q.allows());
    }

    #[test]
    fn backoff_strategies_stay_in_their_ranges() {
        let mut rng = SplitMix64::new(1);
        let ms = 1_000_000;
        assert_eq!(
            backoff_ns(Backoff::None, Jitter::Full, 100.0, 1e3, 1, 0, &mut rng),
            0
        );
        assert_eq!(
            backoff_ns(
                Backoff::Exponential,
                Jitter::None,
                100.0,
                1e3,
                3,
                0,
                &mut rng
            ),
            400 * ms
        );
        assert_eq!(
            backoff_ns(
                Backoff::Exponential,
                Jitter::None,
                100.0,
                1e3,
                9,
                0,
                &mut rng
            ),
            1_000 * ms
        );
        for retry in 1..6 {
            let f = backoff_ns(
                Backoff::Exponential,
                Jitter::Full,
                100.0,
                1e3,
                retry,
                0,
                &mut rng,
            );
            assert!(f <= 1_000 * ms);
            let e = backoff_ns(
                Backoff::Fixed,
                Jitter::Equal,
                100.0,
                1e3,
                retry,
                0,
                &mut rng,
            );
            assert!((50 * ms..=100 * ms).contains(&e));
            let d = backoff_ns(
                Backoff::Exponential,
                Jitter::Decorrelated,
                100.0,
                1e3,
                retry,
                300 * ms,
                &mut rng,
            );
            assert!((100 * ms..=900 * ms).contains(&d));
        }
    }
}

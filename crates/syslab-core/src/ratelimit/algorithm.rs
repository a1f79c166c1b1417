//! The seven rate-limiting algorithms behind one interface: a [`KeyState`] per client key,
//! and [`LimitParams::decide`], which answers one request at time `now`.
//!
//! All arithmetic is on integer nanoseconds. The bucket algorithms measure their level in
//! nanoseconds of the emission interval `T = window / limit`, so one token is `T` and refilling
//! at the rate is adding one nanosecond per nanosecond: nothing is ever rounded.

use std::collections::VecDeque;

use super::decision::{Decision, Headers, Verdict};
use super::kind::AlgorithmKind;
use super::state::{KeyState, queue_len, roll_counter};
use crate::time::Nanos;

/// An algorithm with its limit, in the integer form the decisions use. Build it with
/// [`LimitParams::new`], which the lab's config validation guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitParams {
    /// The algorithm.
    pub(crate) kind: AlgorithmKind,
    /// Requests per window, L.
    pub(crate) limit: u32,
    /// The window, W, in nanoseconds.
    pub(crate) window: u64,
    /// Bucket capacity (token bucket, meter) or burst (GCRA), C.
    pub(crate) burst: u32,
    /// Queue size (leaky bucket as a queue), Q.
    pub(crate) queue: u32,
    /// The emission interval T = ⌊W / L⌋: the time one token takes to refill.
    pub(crate) interval: u64,
    /// The bucket's full level C × T (saturating), computed once: in wasm a 64-bit
    /// multiplication checked for overflow is a call to a 128-bit multiply (`__multi3`), which
    /// per decision cost the token bucket a quarter and GCRA almost half of their speed there.
    capacity: u64,
    /// GCRA's burst tolerance τ = (C − 1) × T (saturating), computed once for the same reason.
    tau: u64,
}

impl LimitParams {
    /// The algorithm.
    pub fn kind(&self) -> AlgorithmKind {
        self.kind
    }

    /// Requests allowed per window.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The window in nanoseconds.
    pub fn window(&self) -> u64 {
        self.window
    }

    /// Bucket capacity and GCRA burst.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The leaky bucket's queue size.
    pub fn queue(&self) -> u32 {
        self.queue
    }

    /// The emission interval T = ⌊W / L⌋ in nanoseconds.
    pub fn interval(&self) -> u64 {
        self.interval
    }

    /// The integer parameters of `kind` limited to `limit` requests per `window`, with bucket
    /// capacity or burst `burst` and queue size `queue`. Returns `None` unless all are at least
    /// 1 and `limit` is at most `window` in nanoseconds (so that T ≥ 1 ns).
    pub fn new(
        kind: AlgorithmKind,
        limit: u32,
        window: Nanos,
        burst: u32,
        queue: u32,
    ) -> Option<LimitParams> {
        if limit == 0 || burst == 0 || queue == 0 || u64::from(limit) > window.0 {
            return None;
        }
        let interval = window.0 / u64::from(limit);
        Some(LimitParams {
            kind,
            limit,
            window: window.0,
            burst,
            queue,
            interval,
            capacity: u64::from(burst).saturating_mul(interval),
            tau: u64::from(burst - 1).saturating_mul(interval),
        })
    }

    /// The bucket's full level, C × T, in nanoseconds.
    pub(crate) fn capacity(&self) -> u64 {
        self.capacity
    }

    /// GCRA's burst tolerance τ = (C − 1) × T. With this τ, GCRA makes exactly the decisions of
    /// a token bucket of capacity C refilled one token per T (see the crate's tests).
    pub fn tau(&self) -> u64 {
        self.tau
    }

    /// The most the level of [`KeyState::level`] can reach.
    pub fn level_max(&self) -> u32 {
        match self.kind {
            AlgorithmKind::TokenBucket | AlgorithmKind::Gcra | AlgorithmKind::LeakyMeter => {
                self.burst
            }
            AlgorithmKind::LeakyQueue => self.queue,
            _ => self.limit,
        }
    }

    /// The state of a key that has never been seen: a full bucket, an empty queue, empty windows.
    pub fn new_state(&self) -> KeyState {
        match self.kind {
            AlgorithmKind::TokenBucket => KeyState::TokenBucket {
                credit: self.capacity(),
                last: 0,
            },
            AlgorithmKind::LeakyQueue => KeyState::LeakyQueue { next: 0 },
            AlgorithmKind::LeakyMeter => KeyState::LeakyMeter { level: 0, last: 0 },
            AlgorithmKind::FixedWindow => KeyState::FixedWindow {
                window: 0,
                count: 0,
            },
            AlgorithmKind::SlidingLog => KeyState::SlidingLog {
                log: VecDeque::new(),
            },
            AlgorithmKind::SlidingCounter => KeyState::SlidingCounter {
                window: 0,
                prev: 0,
                cur: 0,
            },
            AlgorithmKind::Gcra => KeyState::Gcra { tat: 0 },
        }
    }

    /// Decides one request of the key whose state is `state`, at `now`, and updates the state.
    /// Requests of one key must come in time order; an earlier `now` is treated as no time passing.
    /// A state of another algorithm is replaced by a fresh one first.
    ///
    /// Always inlined, and kept small for it: the token bucket and GCRA, the algorithms with the
    /// throughput target (≥ 100 M decisions/s in wasm, BENCHMARKS.md), are decided right here
    /// in the caller's loop, the five others out of line in `decide_other`. As one large
    /// function for all seven, which LLVM does not inline, they ran at about three quarters of
    /// that speed, natively and in wasm.
    #[inline(always)]
    pub fn decide(&self, state: &mut KeyState, now: Nanos) -> Verdict {
        if state.kind() != self.kind {
            self.reset(state);
        }
        match state {
            KeyState::TokenBucket { credit, last } => self.token_bucket(credit, last, now.0),
            KeyState::Gcra { tat } => self.gcra(tat, now.0),
            _ => self.decide_other(state, now.0),
        }
    }

    /// Replaces a state of another algorithm by a fresh one: only when a key changes algorithm.
    #[cold]
    #[inline(never)]
    fn reset(&self, state: &mut KeyState) {
        *state = self.new_state();
    }

    /// The `X-RateLimit-*` headers for `remaining` requests and a reset `reset` ns away.
    #[inline(always)]
    fn headers(&self, remaining: u64, reset: u64) -> Headers {
        Headers {
            limit: self.level_max(),
            remaining: remaining.min(u64::from(u32::MAX)) as u32,
            reset: Nanos(reset),
        }
    }

    /// The token bucket: credit in nanoseconds of refill, one token = T.
    #[inline(always)]
    fn token_bucket(&self, credit: &mut u64, last: &mut u64, now: u64) -> Verdict {
        let t = self.interval;
        let cap = self.capacity();
        *credit = credit.saturating_add(now.saturating_sub(*last)).min(cap);
        *last = (*last).max(now);
        let decision = if *credit >= t {
            *credit -= t;
            Decision::Allow
        } else {
            reject(t - *credit)
        };
        Verdict {
            decision,
            headers: self.headers(*credit / t, cap - *credit),
        }
    }

    /// GCRA: the theoretical arrival time, allowing requests up to τ ahead of it.
    #[inline(always)]
    fn gcra(&self, tat: &mut u64, now: u64) -> Verdict {
        let t = self.interval;
        let cap = self.capacity();
        let decision = if now.saturating_add(self.tau()) < *tat {
            reject(*tat - self.tau() - now)
        } else {
            *tat = (*tat).max(now) + t;
            Decision::Allow
        };
        let ahead = tat.saturating_sub(now);
        Verdict {
            decision,
            headers: self.headers(cap.saturating_sub(ahead) / t, ahead),
        }
    }

    /// The algorithms `decide` does not inline. Never inlined itself, so that `decide` stays
    /// small wherever it is inlined.
    #[inline(never)]
    fn decide_other(&self, state: &mut KeyState, now: u64) -> Verdict {
        let t = self.interval;
        let headers = |remaining: u64, reset: u64| self.headers(remaining, reset);
        match state {
            KeyState::TokenBucket { credit, last } => self.token_bucket(credit, last, now),
            KeyState::Gcra { tat } => self.gcra(tat, now),
            KeyState::LeakyMeter { level, last } => {
                let cap = self.capacity();
                *level = level.saturating_sub(now.saturating_sub(*last));
                *last = (*last).max(now);
                let decision = if *level + t <= cap {
                    *level += t;
                    Decision::Allow
                } else {
                    reject(*level + t - cap)
                };
                Verdict {
                    decision,
                    headers: headers((cap - *level) / t, *level),
                }
            }
            KeyState::LeakyQueue { next } => {
                let waiting = queue_len(*next, now, t);
                let decision = if *next <= now {
                    *next = now + t;
                    Decision::Allow
                } else if waiting < u64::from(self.queue) {
                    let wait = *next - now;
                    *next += t;
                    Decision::Delay { wait: Nanos(wait) }
                } else {
                    reject(*next - u64::from(self.queue) * t - now)
                };
                let waiting = queue_len(*next, now, t);
                Verdict {
                    decision,
                    headers: headers(
                        u64::from(self.queue).saturating_sub(waiting),
                        next.saturating_sub(t).saturating_sub(now),
                    ),
                }
            }
            KeyState::FixedWindow { window, count } => {
                let current = now / self.window;
                if *window != current {
                    *window = current;
                    *count = 0;
                }
                let reset = (current + 1) * self.window - now;
                let decision = if *count < self.limit {
                    *count += 1;
                    Decision::Allow
                } else {
                    reject(reset)
                };
                Verdict {
                    decision,
                    headers: headers(u64::from(self.limit - *count), reset),
                }
            }
            KeyState::SlidingLog { log } => {
                while log.front().is_some_and(|&at| at + self.window <= now) {
                    log.pop_front();
                }
                let decision = if log.len() < self.limit as usize {
                    log.push_back(now);
                    Decision::Allow
                } else {
                    reject(log.front().map_or(1, |&at| at + self.window - now))
                };
                let reset = log
                    .back()
                    .map_or(0, |&at| (at + self.window).saturating_sub(now));
                Verdict {
                    decision,
                    headers: headers(
                        (self.limit as usize).saturating_sub(log.len()) as u64,
                        reset,
                    ),
                }
            }
            KeyState::SlidingCounter { window, prev, cur } => {
                roll_counter(window, prev, cur, now / self.window);
                let w = u128::from(self.window);
                let elapsed = now - *window * self.window;
                let (p, c, l) = (u128::from(*prev), u128::from(*cur), u128::from(self.limit));
                // The estimate of requests in (now − W, now], times W: the previous window's
                // count weighted by how much of it the sliding window still covers.
                let scaled = p * (w - u128::from(elapsed)) + c * w;
                let decision = if scaled + w <= l * w {
                    *cur += 1;
                    Decision::Allow
                } else {
                    reject(counter_retry(self, *prev, *cur, elapsed))
                };
                let scaled = p * (w - u128::from(elapsed)) + u128::from(*cur) * w;
                Verdict {
                    decision,
                    headers: headers(
                        ((l * w).saturating_sub(scaled) / w) as u64,
                        self.window - elapsed,
                    ),
                }
            }
        }
    }
}

/// A refusal whose `Retry-After` is `retry`, at least 1 ns.
#[inline(always)]
fn reject(retry: u64) -> Decision {
    Decision::Reject {
        retry_after: Nanos(retry.max(1)),
    }
}

/// The sliding counter's `Retry-After`: the first moment the estimate leaves room for one more
/// request, either later in this window (the previous window's weight fades) or in the next.
fn counter_retry(p: &LimitParams, prev: u32, cur: u32, elapsed: u64) -> u64 {
    let w = u128::from(p.window);
    let l = u64::from(p.limit);
    if u64::from(cur) < l && prev > 0 {
        // prev × (W − e) ≤ (L − 1 − cur) × W  ⇔  e ≥ W − ⌊(L − 1 − cur) × W / prev⌋.
        let room = u128::from(l - 1 - u64::from(cur)) * w / u128::from(prev);
        let at = w.saturating_sub(room) as u64;
        if at < p.window {
            return at.saturating_sub(elapsed).max(1);
        }
    }
    // In the next window the current count becomes the previous one.
    let at = if cur == 0 {
        0
    } else {
        w.saturating_sub(u128::from(l - 1) * w / u128::from(cur)) as u64
    };
    p.window - elapsed + at
}

impl KeyState {
    /// The level a chart draws at `now`, in requests (see [`AlgorithmKind::level_label`]):
    /// tokens left, requests queued, the meter's level, or the requests counted in the window.
    pub fn level(&self, p: &LimitParams, now: Nanos) -> f64 {
        let now = now.0;
        let t = p.interval as f64;
        let cap = p.capacity();
        match self {
            KeyState::TokenBucket { credit, last } => {
                credit.saturating_add(now.saturating_sub(*last)).min(cap) as f64 / t
            }
            KeyState::Gcra { tat } => cap.saturating_sub(tat.saturating_sub(now)) as f64 / t,
            KeyState::LeakyMeter { level, last } => {
                level.saturating_sub(now.saturating_sub(*last)) as f64 / t
            }
            KeyState::LeakyQueue { next } => queue_len(*next, now, p.interval) as f64,
            KeyState::FixedWindow { window, count } => {
                if *window == now / p.window {
                    f64::from(*count)
                } else {
                    0.0
                }
            }
            KeyState::SlidingLog { log } => {
                log.iter().filter(|&&at| at + p.window > now).count() as f64
            }
            KeyState::SlidingCounter { window, prev, cur } => {
                let (mut w, mut pr, mut cu) = (*window, *prev, *cur);
                roll_counter(&mut w, &mut pr, &mut cu, now / p.window);
                let elapsed = (now - w * p.window) as f64;
                let full = p.window as f64;
                f64::from(pr) * (full - elapsed) / full + f64::from(cu)
            }
        }
    }
}

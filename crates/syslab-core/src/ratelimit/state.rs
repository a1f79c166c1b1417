//! One client key's limiter state for each algorithm, its memory and its level for charts.

use std::collections::VecDeque;

use super::algorithm::LimitParams;
use super::kind::AlgorithmKind;
use crate::time::Nanos;

/// One client key's limiter state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Credit in nanoseconds of refill (one token = T) and when it was last topped up.
    TokenBucket {
        /// Credit, 0 ..= C × T.
        credit: u64,
        /// Time of the last refill.
        last: u64,
    },
    /// The next free departure slot of the queue.
    LeakyQueue {
        /// When the next request could be forwarded.
        next: u64,
    },
    /// The bucket's level in nanoseconds of leak (one request = T).
    LeakyMeter {
        /// Level, 0 ..= C × T.
        level: u64,
        /// Time of the last leak.
        last: u64,
    },
    /// The current window's number and count.
    FixedWindow {
        /// Window number, ⌊now / W⌋.
        window: u64,
        /// Requests allowed in it.
        count: u32,
    },
    /// Times of the allowed requests not yet older than the window.
    SlidingLog {
        /// The log, oldest first.
        log: VecDeque<u64>,
    },
    /// The current window's number and the previous and current counts.
    SlidingCounter {
        /// Window number, ⌊now / W⌋.
        window: u64,
        /// Requests allowed in the previous window.
        prev: u32,
        /// Requests allowed in this one.
        cur: u32,
    },
    /// The theoretical arrival time.
    Gcra {
        /// TAT: when the next request would be exactly on schedule.
        tat: u64,
    },
}

impl KeyState {
    /// The algorithm this state belongs to.
    pub fn kind(&self) -> AlgorithmKind {
        match self {
            KeyState::TokenBucket { .. } => AlgorithmKind::TokenBucket,
            KeyState::LeakyQueue { .. } => AlgorithmKind::LeakyQueue,
            KeyState::LeakyMeter { .. } => AlgorithmKind::LeakyMeter,
            KeyState::FixedWindow { .. } => AlgorithmKind::FixedWindow,
            KeyState::SlidingLog { .. } => AlgorithmKind::SlidingLog,
            KeyState::SlidingCounter { .. } => AlgorithmKind::SlidingCounter,
            KeyState::Gcra { .. } => AlgorithmKind::Gcra,
        }
    }

    /// Numbers the state holds: its counters and timestamps, plus one per log entry.
    pub fn memory_words(&self) -> u64 {
        match self {
            KeyState::LeakyQueue { .. } | KeyState::Gcra { .. } => 1,
            KeyState::TokenBucket { .. }
            | KeyState::LeakyMeter { .. }
            | KeyState::FixedWindow { .. } => 2,
            KeyState::SlidingCounter { .. } => 3,
            KeyState::SlidingLog { log } => log.len() as u64,
        }
    }

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

/// Requests waiting in a leaky-bucket queue whose next free slot is `next`, at `now`.
///
/// While the queue is busy its departures are spaced exactly `t` apart and end at `next − t`,
/// so the ones still ahead of `now` are `⌊(next − now − 1) / t⌋`.
pub(crate) fn queue_len(next: u64, now: u64, t: u64) -> u64 {
    if next > now { (next - now - 1) / t } else { 0 }
}

/// Moves a sliding counter to window `current`.
pub(crate) fn roll_counter(window: &mut u64, prev: &mut u32, cur: &mut u32, current: u64) {
    if current == *window + 1 {
        *prev = *cur;
        *cur = 0;
    } else if current != *window {
        *prev = 0;
        *cur = 0;
    }
    *window = current;
}

//! One client key's limiter state for each algorithm, its memory and its level for charts.

use std::collections::VecDeque;

use super::kind::AlgorithmKind;

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

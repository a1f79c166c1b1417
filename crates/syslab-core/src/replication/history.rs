//! The run's client history checked for linearizability once the run has ended: whether some
//! order of the operations, each taking effect between its call and its return, explains
//! every read (crate::linearizability). Quorums with R + W > N are not enough for it: a read
//! can see a write still in progress and a later read miss it.

use serde::{Deserialize, Serialize};

use super::sim::Sim;
use crate::format::thousands;
use crate::linearizability::{Checker, Verdict};

/// The most search steps the check takes: about 0.15 s natively at the worst, run by the page
/// in pieces between frames; most presets' histories need a few thousand.
pub const LIN_BUDGET: u64 = 200_000;

/// Search steps per piece of background work (a few milliseconds).
pub const LIN_PIECE: u64 = 5_000;

/// Where the check of a run is.
#[derive(Clone, Debug)]
pub enum LinState {
    /// The run has not ended.
    NotYet,
    /// Searching, with each history entry's operation number.
    Checking(Box<Checker>, Vec<u32>),
    /// The answer.
    Done(LinCheck),
}

impl LinState {
    /// Starts the check of a run that has ended.
    pub fn start(sim: &Sim) -> LinState {
        let (history, ids) = sim.history();
        LinState::Checking(Box::new(Checker::new(history, LIN_BUDGET)), ids)
    }

    /// Takes at most `steps` search steps; whether the check is still going.
    pub fn advance(&mut self, sim: &Sim, steps: u64) -> bool {
        let LinState::Checking(checker, ids) = self else {
            return false;
        };
        let len = checker.history_len();
        match checker.advance(steps) {
            Some(verdict) => {
                let check = LinCheck::of(sim, ids, len, verdict);
                *self = LinState::Done(check);
                false
            }
            None => true,
        }
    }

    /// The answer, searching to the end on a copy if it is still going (the CLI and tests).
    pub fn answer(&self, sim: &Sim) -> Option<LinCheck> {
        match self {
            LinState::NotYet => None,
            LinState::Done(check) => Some(check.clone()),
            LinState::Checking(..) => {
                let mut copy = self.clone();
                while copy.advance(sim, u64::MAX) {}
                match copy {
                    LinState::Done(check) => Some(check),
                    _ => None,
                }
            }
        }
    }
}

/// The check's answer, as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum LinCheck {
    /// Every key's history is linearizable.
    Linearizable { operations: u64 },
    /// One is not: the operation that could not be placed.
    Violation {
        operations: u64,
        key: u32,
        /// The client and the operation's call and return, ms.
        client: u32,
        call_ms: f64,
        ret_ms: f64,
    },
    /// The search ran out of steps.
    GaveUp {
        operations: u64,
        steps: u64,
        /// The operations called before this time were linearizable, ms.
        linearizable_until_ms: Option<f64>,
    },
}

impl LinCheck {
    /// The check's verdict on the history of `sim` (`ids`: each entry's operation number).
    fn of(sim: &Sim, ids: &[u32], len: usize, verdict: &Verdict) -> LinCheck {
        let operations = len as u64;
        match *verdict {
            Verdict::Linearizable => LinCheck::Linearizable { operations },
            Verdict::GaveUp {
                steps,
                linearizable_until,
            } => LinCheck::GaveUp {
                operations,
                steps,
                linearizable_until_ms: linearizable_until.map(|t| t.0 as f64 / 1e6),
            },
            Verdict::Violation { key, op } => {
                let (client, call, ret) = ids
                    .get(op)
                    .and_then(|&id| sim.op_times(id))
                    .unwrap_or_default();
                LinCheck::Violation {
                    operations,
                    key,
                    client,
                    call_ms: call as f64 / 1e6,
                    ret_ms: ret as f64 / 1e6,
                }
            }
        }
    }

    /// Whether it found a history no order explains.
    pub fn violated(&self) -> bool {
        matches!(self, LinCheck::Violation { .. })
    }

    /// The table's words for it.
    pub fn describe(&self) -> String {
        match self {
            LinCheck::Linearizable { operations } => {
                format!("yes ({} operations)", thousands(*operations))
            }
            LinCheck::Violation {
                key,
                client,
                call_ms,
                ret_ms,
                ..
            } => format!(
                "no: client {} on key {key} at {call_ms:.0}–{ret_ms:.0} ms",
                client + 1
            ),
            LinCheck::GaveUp {
                steps,
                linearizable_until_ms,
                ..
            } => match linearizable_until_ms {
                Some(ms) => format!(
                    "yes up to {ms:.0} ms; gave up after {} steps",
                    thousands(*steps)
                ),
                None => format!("not decided (gave up after {} steps)", thousands(*steps)),
            },
        }
    }
}

//! Raft's safety properties (the paper's Figure 3), checked as the state changes: a leader
//! elected, an entry written to a log, a commit index advanced are the only events that can
//! break one, so checking at each of them is checking after every event.
//!
//! - Election safety: at most one leader per term.
//! - Log matching: two logs with an entry of the same index and term hold the same entries up
//!   to it. Each log keeps a chained hash of its prefix; the first prefix hash seen for each
//!   (index, term) is remembered, and any other is a violation.
//! - Leader completeness: a new leader's log holds every entry committed so far.
//! - State machine safety: no two servers apply different entries at one index.

use std::collections::BTreeMap;

use crate::rng::mix64;
use crate::time::Nanos;

/// A log entry: the term it was created in and the client write it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The leader's term when the entry was created.
    pub term: u64,
    /// The client write (numbered from 1).
    pub value: u64,
}

/// The hash of a log prefix ending with `e`, given the prefix before it.
pub fn chain(prev: u64, e: Entry) -> u64 {
    mix64(prev ^ mix64(e.term.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ e.value.rotate_left(32)))
}

/// Which property broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Two leaders in one term.
    ElectionSafety,
    /// Same index and term, different prefixes.
    LogMatching,
    /// A leader without a committed entry.
    LeaderCompleteness,
    /// Different entries applied at one index.
    StateMachineSafety,
}

impl Rule {
    /// The property's name, as the paper writes it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::ElectionSafety => "Election Safety",
            Rule::LogMatching => "Log Matching",
            Rule::LeaderCompleteness => "Leader Completeness",
            Rule::StateMachineSafety => "State Machine Safety",
        }
    }
}

/// The first violation of a run, with the events that led to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The property.
    pub rule: Rule,
    /// When.
    pub at: Nanos,
    /// What happened, in a sentence.
    pub text: String,
    /// The recent events, oldest first (the last is the violation).
    pub recent: Vec<(Nanos, String)>,
}

/// What the checker remembers.
#[derive(Clone, Debug, Default)]
pub struct Safety {
    leaders: BTreeMap<u64, u8>,
    entries: BTreeMap<(usize, u64), (u64, u8)>,
    committed: Vec<(u64, Entry, u8)>,
    /// The first violation, which stops the run.
    pub violation: Option<Violation>,
}

fn violation(rule: Rule, at: Nanos, text: String) -> Violation {
    Violation {
        rule,
        at,
        text,
        recent: Vec::new(),
    }
}

impl Safety {
    /// Entries committed anywhere so far (the longest committed prefix).
    pub fn committed_len(&self) -> usize {
        self.committed.len()
    }

    /// The committed entry at index `idx` (1-based), if any.
    pub fn committed_at(&self, idx: usize) -> Option<Entry> {
        idx.checked_sub(1)
            .and_then(|i| self.committed.get(i))
            .map(|c| c.1)
    }

    /// Node `n` became leader of `term`.
    pub fn on_leader(
        &mut self,
        n: u8,
        term: u64,
        chain: &[u64],
        at: Nanos,
    ) -> Result<(), Violation> {
        if let Some(&other) = self.leaders.get(&term)
            && other != n
        {
            return Err(violation(
                Rule::ElectionSafety,
                at,
                format!("S{} and S{} both lead term {term}", other + 1, n + 1),
            ));
        }
        self.leaders.insert(term, n);
        if let Some(missing) = (1..=self.committed.len())
            .find(|&idx| chain.get(idx - 1) != Some(&self.committed[idx - 1].0))
        {
            let (_, e, by) = self.committed[missing - 1];
            return Err(violation(
                Rule::LeaderCompleteness,
                at,
                format!(
                    "S{} leads term {term} without the entry committed at index {missing} (write {}, term {}, committed by S{})",
                    n + 1,
                    e.value,
                    e.term,
                    by + 1
                ),
            ));
        }
        Ok(())
    }

    /// Node `n` wrote the entry at `idx` of its log.
    pub fn on_entry(
        &mut self,
        n: u8,
        (log, chain): (&[Entry], &[u64]),
        idx: usize,
        at: Nanos,
    ) -> Result<(), Violation> {
        let e = log[idx - 1];
        let hash = chain[idx - 1];
        match self.entries.get(&(idx, e.term)) {
            Some(&(h, other)) if h != hash => Err(violation(
                Rule::LogMatching,
                at,
                format!(
                    "S{} and S{} hold an entry of term {} at index {idx} but their logs differ before it",
                    other + 1,
                    n + 1,
                    e.term
                ),
            )),
            Some(_) => Ok(()),
            None => {
                self.entries.insert((idx, e.term), (hash, n));
                Ok(())
            }
        }
    }

    /// Node `n` advanced its commit index from `from` to `to` (applying those entries).
    pub fn on_commit(
        &mut self,
        n: u8,
        (log, chain): (&[Entry], &[u64]),
        from: usize,
        to: usize,
        at: Nanos,
    ) -> Result<(), Violation> {
        for idx in from + 1..=to {
            let hash = chain[idx - 1];
            let e = log[idx - 1];
            match self.committed.get(idx - 1) {
                Some(&(h, other, by)) if h != hash => {
                    return Err(violation(
                        Rule::StateMachineSafety,
                        at,
                        format!(
                            "S{} applies write {} (term {}) at index {idx}, where S{} applied write {} (term {})",
                            n + 1,
                            e.value,
                            e.term,
                            by + 1,
                            other.value,
                            other.term
                        ),
                    ));
                }
                Some(_) => {}
                None => self.committed.push((hash, e, n)),
            }
        }
        Ok(())
    }
}

//! A linearizability checker for histories of reads and writes on keyed registers, shared by
//! the labs whose clients read and write through replicas (consensus, replication).
//!
//! A history is linearizable when every operation can be given one instant between its call
//! and its return such that, in that order, every read returns the latest write of its key
//! (Herlihy and Wing, 1990). Linearizability is local: a history is linearizable exactly when
//! each key's sub-history is, so each key is checked on its own.
//!
//! The search is Wing and Gong's (1993) with Lowe's memoisation (2017), the algorithm of
//! Porcupine and Knossos: walk the history's calls and returns in time order, try each
//! operation whose call comes before the first return still pending as the next one to take
//! effect, and back out when a return is reached whose operation could not take effect; a
//! cache of (set of operations done, register value) pairs already explored keeps the search
//! from repeating itself. Operations that never returned (a client timed out) may take effect
//! at any time after their call, or never. The search is exponential in the worst case, so
//! it runs within a budget of steps and says when it gave up rather than answering wrongly.

use std::collections::BTreeSet;

use crate::time::Nanos;

/// What one client operation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    /// Wrote this value.
    Write(u64),
    /// Read and returned this value (`None`: the key had never been written).
    Read(Option<u64>),
}

/// One client operation: a call, and its return unless it never came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    /// The key it read or wrote.
    pub key: u32,
    /// What it did.
    pub kind: OpKind,
    /// When the client sent it.
    pub call: Nanos,
    /// When the client got its answer; `None` if it never did (it may or may not have
    /// taken effect).
    pub ret: Option<Nanos>,
}

impl Op {
    /// A completed write.
    pub fn write(key: u32, value: u64, call: u64, ret: u64) -> Op {
        Op {
            key,
            kind: OpKind::Write(value),
            call: Nanos(call),
            ret: Some(Nanos(ret)),
        }
    }

    /// A completed read that returned `value`.
    pub fn read(key: u32, value: Option<u64>, call: u64, ret: u64) -> Op {
        Op {
            key,
            kind: OpKind::Read(value),
            call: Nanos(call),
            ret: Some(Nanos(ret)),
        }
    }
}

/// The checker's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Some order of the operations, each within its call and return, explains every read.
    Linearizable,
    /// No order does. `op` is the index (in the history given) of the operation that could
    /// not be placed at the deepest point the search reached: usually the stale read.
    Violation {
        /// The key whose sub-history is not linearizable.
        key: u32,
        /// The operation that could not be placed.
        op: usize,
    },
    /// The search used its budget of steps without an answer.
    GaveUp {
        /// Steps taken.
        steps: u64,
        /// The operations called before this instant were found linearizable (`None`: not
        /// even the first prefix was decided).
        linearizable_until: Option<Nanos>,
    },
}

/// Checks a history, taking at most `budget` search steps over all keys (see [`Checker`]).
pub fn check(history: &[Op], budget: u64) -> Verdict {
    let mut checker = Checker::new(history.to_vec(), budget);
    loop {
        if let Some(verdict) = checker.advance(u64::MAX) {
            return verdict.clone();
        }
    }
}

/// One round of the check: every key's search over one history, smallest key first, each
/// with an equal share of the budget left, so one key whose search explodes does not hide a
/// violation in another; a violation anywhere is the answer (the earliest called, if several
/// keys have one).
#[derive(Clone, Debug)]
struct Stage {
    history: Vec<Op>,
    /// Each key with its operations, smallest history first.
    keys: Vec<(u32, Vec<usize>)>,
    next_key: usize,
    search: Option<(u32, Search)>,
    budget: u64,
    used: u64,
    gave_up: bool,
    /// The earliest-called operation that could not be placed so far: (call, key, index).
    found: Option<(Nanos, u32, usize)>,
    verdict: Option<Verdict>,
}

impl Stage {
    fn new(history: Vec<Op>, budget: u64) -> Stage {
        let mut by_key: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (i, op) in history.iter().enumerate() {
            by_key.entry(op.key).or_default().push(i);
        }
        let mut keys: Vec<(u32, Vec<usize>)> = by_key.into_iter().collect();
        crate::sort::sort_vec_by_key(&mut keys, |(key, ops)| (ops.len(), *key));
        Stage {
            history,
            keys,
            next_key: 0,
            search: None,
            budget,
            used: 0,
            gave_up: false,
            found: None,
            verdict: None,
        }
    }

    /// Takes at most `steps` more search steps; the verdict, once there is one.
    fn advance(&mut self, steps: u64) -> Option<&Verdict> {
        let mut left = steps;
        while self.verdict.is_none() && left > 0 {
            let Some((key, search)) = self.search.as_mut() else {
                let i = self.next_key;
                let Some((key, ops)) = self.keys.get(i) else {
                    self.verdict = Some(match self.found {
                        Some((_, key, op)) => Verdict::Violation { key, op },
                        None if self.gave_up => Verdict::GaveUp {
                            steps: self.used,
                            linearizable_until: None,
                        },
                        None => Verdict::Linearizable,
                    });
                    break;
                };
                let share = (self.budget - self.used) / (self.keys.len() - i) as u64;
                self.search = Some((*key, Search::new(&self.history, ops.clone(), share)));
                self.next_key += 1;
                continue;
            };
            let before = search.steps;
            let result = search.run(&self.history, left);
            left = left.saturating_sub(search.steps - before);
            let Some(result) = result else { continue };
            self.used += search.steps.min(search.limit);
            match result {
                KeyVerdict::Ok => {}
                KeyVerdict::Violation(op) => {
                    let at = self.history[op].call;
                    if self.found.is_none_or(|(t, _, _)| at < t) {
                        self.found = Some((at, *key, op));
                    }
                }
                KeyVerdict::GaveUp => self.gave_up = true,
            }
            self.search = None;
        }
        self.verdict.as_ref()
    }

    /// The steps taken so far.
    fn steps(&self) -> u64 {
        self.used + self.search.as_ref().map_or(0, |(_, s)| s.steps)
    }
}

/// A check that can be run in pieces (a page runs one between frames).
///
/// It checks growing prefixes of the history: the operations called before an instant, those
/// that had not returned by then counted as pending (a write) or left out (a read). A prefix
/// of a linearizable history is linearizable, so a violation in a prefix is one in the whole,
/// found on a small history, early in time; and when the search runs out of steps it can
/// still say up to when the history was linearizable. Prefixes double in size (64
/// operations, 128, …, all of them), so the whole costs at most about twice the last.
#[derive(Clone, Debug)]
pub struct Checker {
    history: Vec<Op>,
    /// Operation indices by call time.
    by_call: Vec<usize>,
    /// The prefix sizes still to check, smallest first.
    sizes: Vec<usize>,
    /// The prefix being checked, with each of its entries' index in `history`, and the
    /// instant it ends at (`None`: the whole history).
    stage: Option<(Stage, Vec<usize>, Option<Nanos>)>,
    /// The end of the last prefix found linearizable.
    passed: Option<Nanos>,
    budget: u64,
    used: u64,
    verdict: Option<Verdict>,
}

/// The first prefix checked, in operations.
const FIRST_PREFIX: usize = 64;

impl Checker {
    /// A check of `history` within `budget` steps, not started.
    pub fn new(history: Vec<Op>, budget: u64) -> Checker {
        let mut by_call: Vec<usize> = (0..history.len()).collect();
        crate::sort::sort_by_key(&mut by_call, |&i| (history[i].call, i));
        let mut sizes = Vec::new();
        let mut size = FIRST_PREFIX;
        while size < history.len() {
            sizes.push(size);
            size *= 2;
        }
        sizes.push(history.len());
        sizes.reverse();
        Checker {
            history,
            by_call,
            sizes,
            stage: None,
            passed: None,
            budget,
            used: 0,
            verdict: None,
        }
    }

    /// The prefix of the first `size` operations by call time (`None`: all of them).
    fn prefix(&self, size: usize) -> (Vec<Op>, Vec<usize>, Option<Nanos>) {
        let Some(&first_out) = self.by_call.get(size) else {
            return (
                self.history.clone(),
                (0..self.history.len()).collect(),
                None,
            );
        };
        let end = self.history[first_out].call;
        let mut ops = Vec::new();
        let mut map = Vec::new();
        for (i, op) in self.history.iter().enumerate() {
            if op.call >= end {
                continue;
            }
            let mut op = *op;
            if op.ret.is_some_and(|r| r > end) {
                match op.kind {
                    OpKind::Write(_) => op.ret = None,
                    OpKind::Read(_) => continue,
                }
            }
            ops.push(op);
            map.push(i);
        }
        (ops, map, Some(end))
    }

    /// Takes at most `steps` more search steps; the verdict, once there is one.
    pub fn advance(&mut self, steps: u64) -> Option<&Verdict> {
        let mut left = steps;
        while self.verdict.is_none() && left > 0 {
            let Some((stage, map, end)) = self.stage.as_mut() else {
                let Some(size) = self.sizes.pop() else {
                    self.verdict = Some(Verdict::Linearizable);
                    break;
                };
                let (ops, map, end) = self.prefix(size);
                let stage = Stage::new(ops, self.budget - self.used);
                self.stage = Some((stage, map, end));
                continue;
            };
            let before = stage.steps();
            let verdict = stage.advance(left).cloned();
            let taken = stage.steps() - before;
            left = left.saturating_sub(taken.max(1));
            let Some(verdict) = verdict else { continue };
            self.used += stage.steps().min(stage.budget);
            match verdict {
                Verdict::Linearizable => {
                    if end.is_none() {
                        self.verdict = Some(Verdict::Linearizable);
                    }
                    self.passed = *end;
                }
                Verdict::Violation { key, op } => {
                    let op = map.get(op).copied().unwrap_or_default();
                    self.verdict = Some(Verdict::Violation { key, op });
                }
                Verdict::GaveUp { .. } => {
                    self.verdict = Some(Verdict::GaveUp {
                        steps: self.used,
                        linearizable_until: self.passed,
                    });
                }
            }
            self.stage = None;
        }
        self.verdict.as_ref()
    }

    /// How many operations the history holds.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// The verdict, once the check is over.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// How far the check has come, from 0 to 1 (a progress bar's): the larger of the share
    /// of the budget used and of the prefixes checked.
    pub fn progress(&self) -> f64 {
        if self.verdict.is_some() {
            return 1.0;
        }
        let current = self.stage.as_ref().map_or(0, |(s, _, _)| s.steps());
        let steps = (self.used + current) as f64 / self.budget.max(1) as f64;
        let checked = self.passed.map_or(0.0, |end| {
            let ended = self
                .by_call
                .partition_point(|&i| self.history[i].call < end);
            ended as f64 / self.history.len().max(1) as f64
        });
        steps.max(checked).min(0.99)
    }
}

enum KeyVerdict {
    Ok,
    Violation(usize),
    GaveUp,
}

/// One entry of the time-ordered list: the call or the return of operation `op` (an index
/// into the key's operations).
#[derive(Clone, Copy, Debug)]
struct Entry {
    op: usize,
    is_call: bool,
}

/// The list of calls and returns, doubly linked so an operation's two entries can be lifted
/// out when it takes effect and put back when the search backs out. Index 0 is the head
/// sentinel.
#[derive(Clone, Debug)]
struct Events {
    entries: Vec<Entry>,
    next: Vec<usize>,
    prev: Vec<usize>,
    /// For each operation, the index of its call and of its return (`NONE` if pending).
    call_at: Vec<usize>,
    ret_at: Vec<usize>,
    /// How many operations that returned are still in the list (not yet taken): the search
    /// is done when none is.
    completed_left: usize,
}

const NONE: usize = usize::MAX;

impl Events {
    fn new(history: &[Op], ops: &[usize]) -> Events {
        // (time, order): returns before calls at the same instant, so two operations that
        // only touch are concurrent in neither direction (one returned as the other began).
        let mut timed: Vec<(u64, u8, usize)> = Vec::with_capacity(ops.len() * 2);
        for (i, &h) in ops.iter().enumerate() {
            let op = &history[h];
            timed.push((op.call.0, 1, i));
            if let Some(ret) = op.ret {
                timed.push((ret.0.max(op.call.0), 0, i));
            }
        }
        // A return at the same instant as its own call must come after it.
        crate::sort::sort(&mut timed);
        let mut entries = vec![Entry {
            op: NONE,
            is_call: false,
        }];
        let mut call_at = vec![NONE; ops.len()];
        let mut ret_at = vec![NONE; ops.len()];
        for &(_, kind, i) in &timed {
            let is_call = kind == 1;
            if is_call {
                call_at[i] = entries.len();
            } else {
                ret_at[i] = entries.len();
            }
            entries.push(Entry { op: i, is_call });
        }
        // An operation whose return sorts before its call (return == call): swap them.
        for i in 0..ops.len() {
            if ret_at[i] != NONE && ret_at[i] < call_at[i] {
                let (c, r) = (call_at[i], ret_at[i]);
                entries.swap(c, r);
                call_at[i] = r;
                ret_at[i] = c;
            }
        }
        let n = entries.len();
        let next = (0..n)
            .map(|i| if i + 1 < n { i + 1 } else { NONE })
            .collect();
        let prev = (0..n).map(|i| if i == 0 { NONE } else { i - 1 }).collect();
        let completed_left = ret_at.iter().filter(|&&r| r != NONE).count();
        Events {
            entries,
            next,
            prev,
            call_at,
            ret_at,
            completed_left,
        }
    }

    fn unlink(&mut self, at: usize) {
        let (p, n) = (self.prev[at], self.next[at]);
        self.next[p] = n;
        if n != NONE {
            self.prev[n] = p;
        }
    }

    /// Puts back an entry unlinked last-in first-out: its neighbours still point past it.
    fn relink(&mut self, at: usize) {
        let (p, n) = (self.prev[at], self.next[at]);
        self.next[p] = at;
        if n != NONE {
            self.prev[n] = at;
        }
    }

    fn lift(&mut self, op: usize) {
        self.unlink(self.call_at[op]);
        if self.ret_at[op] != NONE {
            self.unlink(self.ret_at[op]);
            self.completed_left -= 1;
        }
    }

    fn unlift(&mut self, op: usize) {
        if self.ret_at[op] != NONE {
            self.relink(self.ret_at[op]);
            self.completed_left += 1;
        }
        self.relink(self.call_at[op]);
    }
}

/// The search over one key's operations, resumable between steps.
#[derive(Clone, Debug)]
struct Search {
    ops: Vec<usize>,
    events: Events,
    /// The operations taken, as a bit set over `ops`.
    done: Vec<u64>,
    /// The register's value after the operations taken.
    state: Option<u64>,
    /// (operations taken, value) pairs already explored.
    seen: BTreeSet<(Vec<u64>, Option<u64>)>,
    /// The operations taken, in order, with the value before each and whether it was a read
    /// taken at once.
    stack: Vec<(usize, Option<u64>, bool)>,
    /// Whether the search has just reached this set of operations taken.
    fresh: bool,
    /// The deepest point reached: how many operations were taken, and the one whose return
    /// stopped the search there.
    deepest: (usize, usize),
    /// The entry the search looks at next.
    at: usize,
    steps: u64,
    limit: u64,
}

impl Search {
    fn new(history: &[Op], ops: Vec<usize>, limit: u64) -> Search {
        let events = Events::new(history, &ops);
        let at = events.next[0];
        Search {
            done: vec![0; ops.len().div_ceil(64)],
            ops,
            events,
            state: None,
            seen: BTreeSet::new(),
            stack: Vec::new(),
            deepest: (0, NONE),
            fresh: true,
            at,
            steps: 0,
            limit,
        }
    }

    /// Takes at most `max` steps; `None` if it has not finished.
    fn run(&mut self, history: &[Op], max: u64) -> Option<KeyVerdict> {
        for _ in 0..max {
            self.steps += 1;
            if self.steps > self.limit {
                return Some(KeyVerdict::GaveUp);
            }
            if let Some(verdict) = self.step(history) {
                return Some(verdict);
            }
        }
        None
    }

    fn step(&mut self, history: &[Op]) -> Option<KeyVerdict> {
        let ev = &mut self.events;
        // Done when no completed operation is left: pending ones may never take effect.
        if ev.completed_left == 0 {
            return Some(KeyVerdict::Ok);
        }
        if self.fresh {
            // A read that can take effect now and returns the register's value is taken at
            // once and tried nowhere else: reads change nothing, and every operation that
            // must come before it already has, so any order that places it later still works
            // with it moved here. Concurrent reads then cost one order, not all of them.
            self.fresh = false;
            let mut at = ev.next[0];
            while at != NONE && ev.entries[at].is_call {
                let op = ev.entries[at].op;
                if history[self.ops[op]].kind == OpKind::Read(self.state) {
                    self.done[op / 64] |= 1 << (op % 64);
                    if !self.seen.insert((self.done.clone(), self.state)) {
                        // Explored from here before, and it failed: so does this.
                        self.done[op / 64] &= !(1 << (op % 64));
                        return self.back_out(NONE);
                    }
                    self.stack.push((op, self.state, true));
                    ev.lift(op);
                    self.at = ev.next[0];
                    self.fresh = true;
                    return None;
                }
                at = ev.next[at];
            }
        }
        // Past the last entry cannot happen (a completed operation's return is still ahead
        // of every call tried), but is handled as a return would be.
        let entry = ev.entries.get(self.at).copied().unwrap_or(Entry {
            op: NONE,
            is_call: false,
        });
        if !entry.is_call {
            // A return whose operation has not taken effect: this order fails.
            return self.back_out(entry.op);
        }
        let op = entry.op;
        if let OpKind::Write(v) = history[self.ops[op]].kind {
            self.done[op / 64] |= 1 << (op % 64);
            if self.seen.insert((self.done.clone(), Some(v))) {
                self.stack.push((op, self.state, false));
                self.state = Some(v);
                ev.lift(op);
                self.at = ev.next[0];
                self.fresh = true;
                return None;
            }
            self.done[op / 64] &= !(1 << (op % 64));
        }
        self.at = ev.next[self.at];
        None
    }

    /// Backs out of the current order, stopped by the return of `blocked` (`NONE`: by an
    /// order explored before): undoes the last operation taken, and every read taken at
    /// once before it (their place was forced, so there is nothing else to try there).
    fn back_out(&mut self, blocked: usize) -> Option<KeyVerdict> {
        if blocked != NONE && self.stack.len() >= self.deepest.0 {
            self.deepest = (self.stack.len(), blocked);
        }
        loop {
            let Some((op, before, forced)) = self.stack.pop() else {
                let op = self.ops.get(self.deepest.1).copied().unwrap_or_default();
                return Some(KeyVerdict::Violation(op));
            };
            self.state = before;
            self.done[op / 64] &= !(1 << (op % 64));
            self.events.unlift(op);
            if !forced {
                self.at = self.events.next[self.events.call_at[op]];
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending_write(key: u32, value: u64, call: u64) -> Op {
        Op {
            key,
            kind: OpKind::Write(value),
            call: Nanos(call),
            ret: None,
        }
    }

    const BUDGET: u64 = 1_000_000;

    #[test]
    fn empty_and_sequential_histories_are_linearizable() {
        assert_eq!(check(&[], BUDGET), Verdict::Linearizable);
        let h = [
            Op::read(0, None, 0, 1),
            Op::write(0, 1, 2, 3),
            Op::read(0, Some(1), 4, 5),
            Op::write(0, 2, 6, 7),
            Op::read(0, Some(2), 8, 9),
        ];
        assert_eq!(check(&h, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn a_stale_read_after_a_completed_write_is_caught() {
        // The write of 2 returned before the read began, yet the read saw 1.
        let h = [
            Op::write(0, 1, 0, 1),
            Op::write(0, 2, 2, 3),
            Op::read(0, Some(1), 4, 5),
        ];
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 2 });
    }

    #[test]
    fn a_read_concurrent_with_a_write_may_see_either_value() {
        for seen in [Some(1), Some(2)] {
            let h = [
                Op::write(0, 1, 0, 1),
                Op::write(0, 2, 2, 10),
                Op::read(0, seen, 3, 4),
            ];
            assert_eq!(check(&h, BUDGET), Verdict::Linearizable, "{seen:?}");
        }
        // But never a value nobody wrote.
        let h = [Op::write(0, 1, 0, 1), Op::read(0, Some(7), 2, 3)];
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 1 });
    }

    #[test]
    fn reads_may_not_go_back_in_time() {
        // Concurrent with the write, a first read sees the new value; a later read that
        // starts after the first one returned must not see the old value again.
        let h = [
            Op::write(0, 1, 0, 1),
            Op::write(0, 2, 2, 20),
            Op::read(0, Some(2), 3, 4),
            Op::read(0, Some(1), 5, 6),
        ];
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 3 });
    }

    #[test]
    fn a_write_that_never_returned_may_or_may_not_have_taken_effect() {
        let took = [pending_write(0, 5, 0), Op::read(0, Some(5), 10, 11)];
        assert_eq!(check(&took, BUDGET), Verdict::Linearizable);
        let lost = [pending_write(0, 5, 0), Op::read(0, None, 10, 11)];
        assert_eq!(check(&lost, BUDGET), Verdict::Linearizable);
        // Once seen it stays: a later read cannot go back to the old value.
        let flicker = [
            pending_write(0, 5, 0),
            Op::read(0, Some(5), 10, 11),
            Op::read(0, None, 12, 13),
        ];
        assert_eq!(
            check(&flicker, BUDGET),
            Verdict::Violation { key: 0, op: 2 }
        );
    }

    #[test]
    fn concurrent_writes_take_effect_in_either_order_but_one_order() {
        // Needs the search to back out: the first order tried (1 then 2) fails.
        let h = [
            Op::write(0, 1, 0, 10),
            Op::write(0, 2, 0, 10),
            Op::read(0, Some(1), 11, 12),
        ];
        assert_eq!(check(&h, BUDGET), Verdict::Linearizable);
        // Both values cannot be last.
        let h = [
            Op::write(0, 1, 0, 10),
            Op::write(0, 2, 0, 10),
            Op::read(0, Some(2), 11, 12),
            Op::read(0, Some(1), 13, 14),
        ];
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 3 });
    }

    #[test]
    fn keys_are_checked_apart() {
        let h = [
            Op::write(1, 1, 0, 1),
            Op::write(2, 9, 0, 1),
            Op::read(2, Some(9), 2, 3),
            Op::read(1, Some(1), 2, 3),
            Op::read(1, None, 4, 5),
        ];
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 1, op: 4 });
        assert_eq!(check(&h[..4], BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn a_violation_is_found_beside_a_key_the_search_gives_up_on() {
        // Key 0: many concurrent writes, more than a small budget can order. Key 1: a stale
        // read, found at once.
        let mut h: Vec<Op> = (0..14).map(|v| Op::write(0, v, 0, 100)).collect();
        h.push(Op::read(0, Some(99), 101, 102));
        h.push(Op::write(1, 1, 0, 1));
        h.push(Op::read(1, None, 2, 3));
        assert_eq!(check(&h, 200), Verdict::Violation { key: 1, op: 16 });
        assert_eq!(
            check(&h[..15], 200),
            Verdict::GaveUp {
                steps: 200,
                linearizable_until: None
            }
        );
    }

    #[test]
    fn a_check_in_pieces_gives_the_same_answer() {
        let mut h: Vec<Op> = (0..8).map(|v| Op::write(0, v, 0, 100)).collect();
        h.push(Op::read(0, Some(3), 101, 102));
        h.push(Op::write(1, 1, 0, 1));
        h.push(Op::read(1, None, 2, 3));
        let whole = check(&h, BUDGET);
        assert_eq!(whole, Verdict::Violation { key: 1, op: 10 });
        let mut checker = Checker::new(h.clone(), BUDGET);
        let mut pieces = 0;
        while checker.advance(3).is_none() {
            pieces += 1;
            assert!(checker.progress() < 1.0);
        }
        assert!(pieces > 3, "{pieces}");
        assert_eq!(checker.verdict(), Some(&whole));
        assert_eq!(checker.progress(), 1.0);
    }

    /// A sequential history of `n` writes and reads on key 0, one every 10 ns.
    fn sequential(n: u64) -> Vec<Op> {
        (0..n)
            .map(|i| {
                if i % 2 == 0 {
                    Op::write(0, i, 10 * i, 10 * i + 5)
                } else {
                    Op::read(0, Some(i - 1), 10 * i, 10 * i + 5)
                }
            })
            .collect()
    }

    #[test]
    fn a_long_history_is_checked_in_growing_prefixes() {
        let mut h = sequential(1_000);
        assert_eq!(check(&h, BUDGET), Verdict::Linearizable);
        // A stale read at operation 301 is found, and named.
        h[301].kind = OpKind::Read(Some(100));
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 301 });
        // A write still running when a prefix ends is pending in it, a read left out: the
        // read at 64 that sees the write at 63 (which returns late) is no violation.
        let mut h = sequential(200);
        h[63].ret = Some(Nanos(10_000));
        h[64].kind = OpKind::Read(Some(63));
        h[65].kind = OpKind::Read(Some(63));
        h[63].kind = OpKind::Write(63);
        assert_eq!(check(&h, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn giving_up_says_up_to_when_the_history_was_linearizable() {
        // 100 sequential operations, then 12 concurrent writes and a read no order explains.
        let mut h = sequential(100);
        h.extend((0..12).map(|v| Op::write(0, 1_000 + v, 2_000, 3_000)));
        h.push(Op::read(0, Some(7), 3_001, 3_002));
        let Verdict::GaveUp {
            linearizable_until, ..
        } = check(&h, 20_000)
        else {
            panic!("expected the search to give up");
        };
        // The first prefix (64 operations) passed: it ends where operation 64 was called.
        assert_eq!(linearizable_until, Some(Nanos(640)));
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 112 });
    }

    #[test]
    fn operations_that_only_touch_are_ordered() {
        // The write returns at 5 exactly when the read is called: the read must see it.
        let h = [Op::write(0, 1, 0, 5), Op::read(0, None, 5, 6)];
        assert_eq!(check(&h, BUDGET), Verdict::Violation { key: 0, op: 1 });
        // An instantaneous operation (return == call) is fine.
        let h = [Op::write(0, 1, 3, 3), Op::read(0, Some(1), 3, 3)];
        assert_eq!(check(&h, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn the_budget_is_reported_rather_than_a_wrong_answer() {
        // Many concurrent writes and reads: a tiny budget gives up.
        let mut h: Vec<Op> = (0..12).map(|v| Op::write(0, v, 0, 100)).collect();
        h.push(Op::read(0, Some(3), 101, 102));
        assert_eq!(
            check(&h, 5),
            Verdict::GaveUp {
                steps: 5,
                linearizable_until: None
            }
        );
        assert_eq!(check(&h, BUDGET), Verdict::Linearizable);
    }

    /// Histories generated from a real sequential register, with each operation's interval
    /// stretched around its instant, are always linearizable; changing one read's value to
    /// one never written never is.
    #[test]
    fn generated_histories_agree_with_their_generator() {
        let mut rng = crate::rng::SplitMix64::new(7);
        for round in 0..300 {
            let n = 2 + (rng.next_u64() % 14) as usize;
            let mut value: Option<u64> = None;
            let mut h = Vec::new();
            for i in 0..n {
                let at = 10 * i as u64 + 5;
                let before = rng.next_u64() % 12;
                let after = rng.next_u64() % 12;
                let (call, ret) = (at - before.min(at), at + after);
                if rng.next_u64().is_multiple_of(2) {
                    value = Some(i as u64);
                    h.push(Op::write(0, i as u64, call, ret));
                } else {
                    h.push(Op::read(0, value, call, ret));
                }
            }
            assert_eq!(check(&h, BUDGET), Verdict::Linearizable, "round {round}");
            if let Some(i) = h.iter().position(|op| matches!(op.kind, OpKind::Read(_))) {
                h[i].kind = OpKind::Read(Some(999));
                assert_eq!(
                    check(&h, BUDGET),
                    Verdict::Violation { key: 0, op: i },
                    "round {round}"
                );
            }
        }
    }
}

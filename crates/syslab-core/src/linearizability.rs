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
    },
}

/// Checks a history, taking at most `budget` search steps over all keys. A history with an
/// operation that returns before it is called is checked as if its return were its call.
pub fn check(history: &[Op], budget: u64) -> Verdict {
    let mut keys: Vec<u32> = history.iter().map(|op| op.key).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut steps = 0u64;
    for key in keys {
        let ops: Vec<usize> = (0..history.len())
            .filter(|&i| history[i].key == key)
            .collect();
        match check_key(history, &ops, budget, &mut steps) {
            KeyVerdict::Ok => {}
            KeyVerdict::Violation(op) => return Verdict::Violation { key, op },
            KeyVerdict::GaveUp => return Verdict::GaveUp { steps },
        }
    }
    Verdict::Linearizable
}

enum KeyVerdict {
    Ok,
    Violation(usize),
    GaveUp,
}

/// One entry of the time-ordered list: the call or the return of operation `op` (an index
/// into the key's operations).
#[derive(Clone, Copy)]
struct Entry {
    op: usize,
    is_call: bool,
}

/// The list of calls and returns, doubly linked so an operation's two entries can be lifted
/// out when it takes effect and put back when the search backs out. Index 0 is the head
/// sentinel.
struct Events {
    entries: Vec<Entry>,
    next: Vec<usize>,
    prev: Vec<usize>,
    /// For each operation, the index of its call and of its return (`NONE` if pending).
    call_at: Vec<usize>,
    ret_at: Vec<usize>,
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
        timed.sort_unstable_by_key(|&(t, kind, i)| (t, kind, i));
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
        Events {
            entries,
            next,
            prev,
            call_at,
            ret_at,
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
        }
    }

    fn unlift(&mut self, op: usize) {
        if self.ret_at[op] != NONE {
            self.relink(self.ret_at[op]);
        }
        self.relink(self.call_at[op]);
    }
}

fn check_key(history: &[Op], ops: &[usize], budget: u64, steps: &mut u64) -> KeyVerdict {
    let mut events = Events::new(history, ops);
    let words = ops.len().div_ceil(64);
    let mut done = vec![0u64; words];
    let mut state: Option<u64> = None;
    let mut seen: BTreeSet<(Vec<u64>, Option<u64>)> = BTreeSet::new();
    // The operations taken, with the register value before each.
    let mut stack: Vec<(usize, Option<u64>)> = Vec::new();
    let mut deepest = (0usize, NONE);
    let mut at = events.next[0];
    loop {
        *steps += 1;
        if *steps > budget {
            return KeyVerdict::GaveUp;
        }
        // Done when no completed operation is left: pending ones may never take effect.
        let mut probe = events.next[0];
        while probe != NONE && events.entries[probe].is_call {
            let op = events.entries[probe].op;
            if events.ret_at[op] != NONE {
                break;
            }
            probe = events.next[probe];
        }
        if probe == NONE {
            return KeyVerdict::Ok;
        }
        // Past the last entry cannot happen (a completed operation's return is still ahead
        // of every call tried: see `lift`), but is handled as a return would be.
        let entry = events.entries.get(at).copied().unwrap_or(Entry {
            op: NONE,
            is_call: false,
        });
        if entry.is_call {
            let op = entry.op;
            let next_state = match history[ops[op]].kind {
                OpKind::Write(v) => Some(Some(v)),
                OpKind::Read(r) => (r == state).then_some(state),
            };
            if let Some(next_state) = next_state {
                done[op / 64] |= 1 << (op % 64);
                if seen.insert((done.clone(), next_state)) {
                    stack.push((op, state));
                    state = next_state;
                    events.lift(op);
                    at = events.next[0];
                    continue;
                }
                done[op / 64] &= !(1 << (op % 64));
            }
            at = events.next[at];
        } else {
            // A return whose operation has not taken effect: this order fails.
            if stack.len() >= deepest.0 && entry.op != NONE {
                deepest = (stack.len(), entry.op);
            }
            let Some((op, before)) = stack.pop() else {
                return KeyVerdict::Violation(ops.get(deepest.1).copied().unwrap_or_default());
            };
            state = before;
            done[op / 64] &= !(1 << (op % 64));
            events.unlift(op);
            at = events.next[events.call_at[op]];
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
        assert!(matches!(check(&h, 5), Verdict::GaveUp { steps: 6 }));
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

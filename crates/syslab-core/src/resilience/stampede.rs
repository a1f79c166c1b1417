//! The cache in front of B inside the simulation: A reads the cache when it has served a
//! call and would call B; the cache's decision ([`Lookup`]) answers the call at once, makes
//! it recompute the value at B (a call to B like any other, with the recompute time), joins
//! it to the recomputation in flight, or has it poll a lock. A recomputation's end writes
//! the value and answers its waiters.

use super::cache::Lookup;
use super::sim::{CallState, Kind, NONE, Op, Outcome, Sim};

impl Sim {
    /// A reads the cache for call `id` (served at A, about to call B). Returns false when
    /// the call does not read a cached key (it calls B as without a cache).
    pub(super) fn cache_read(&mut self, id: u32) -> bool {
        let now = self.now;
        let Some(cache) = &mut self.cache else {
            return false;
        };
        let Some(key) = cache.pick() else {
            return false;
        };
        let decision = cache.decide(key, now, None);
        let call = &mut self.calls[id as usize];
        call.key = key;
        call.looked = now;
        self.act(id, key, decision);
        true
    }

    /// A lock waiter looks again (the call's propagated deadline ends the wait).
    pub(super) fn cache_poll(&mut self, id: u32, key: u32, deadline: u64) {
        let now = self.now;
        if now >= deadline {
            self.respond(id, Outcome::Expired);
            return;
        }
        let since = self.calls[id as usize].looked;
        let Some(cache) = &mut self.cache else {
            return;
        };
        let decision = cache.decide(key, now, Some(since));
        if decision == Lookup::Hit {
            cache.waited.record(now - since);
        }
        self.act(id, key, decision);
    }

    fn act(&mut self, id: u32, key: u32, decision: Lookup) {
        match decision {
            Lookup::Hit => self.respond(id, Outcome::Ok),
            Lookup::Stale { revalidate } => {
                if revalidate {
                    self.recompute_in_background(key);
                }
                self.respond(id, Outcome::Ok);
            }
            Lookup::Recompute => self.call_below(id, key),
            Lookup::Join => {
                self.calls[id as usize].state = CallState::Waiting;
                if let Some(cache) = &mut self.cache {
                    cache.join(key, id);
                }
            }
            Lookup::Wait => {
                let call = &mut self.calls[id as usize];
                call.state = CallState::Waiting;
                let epoch = call.epoch;
                let poll = self
                    .cache
                    .as_ref()
                    .map_or(1, |c| u64::from(c.spec.poll_ms) * 1_000_000);
                self.push(self.now + poll, id, epoch, Kind::CachePoll);
            }
        }
    }

    /// Recomputation `op` ended with `outcome`: the cache is written (on success), the
    /// caller's wait is recorded, and every caller that joined it gets its result.
    pub(super) fn recomputed(&mut self, op: Op, outcome: Outcome) {
        let now = self.now;
        let ok = outcome == Outcome::Ok;
        let Some(cache) = &mut self.cache else {
            return;
        };
        let waiters = cache.finished(op.key, now, ok, now - op.start);
        if ok && op.parent != NONE {
            cache
                .waited
                .record(now - self.calls[op.parent as usize].looked);
        }
        for w in waiters {
            if ok && let Some(cache) = &mut self.cache {
                cache.waited.record(now - self.calls[w as usize].looked);
            }
            self.respond(w, if ok { Outcome::Ok } else { Outcome::Error });
        }
    }
}

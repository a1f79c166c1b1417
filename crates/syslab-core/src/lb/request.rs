//! A request's life in the simulation: arrival, dispatch over the wire, a server's queue and
//! slots, completion, the response or the timeout, retries within the budget, and the end that
//! frees its slot.

use super::config::ServerState;
use super::event::{Deadline, Kind};
use super::metrics::Histogram;
use super::sim::{
    Failure, MIN_RETRIES, PROXY_ADDR, Req, Sim, Stage, TRACES, Trace, TraceEnd, client_addr,
};
use super::traffic::to_ns;
use crate::rng::mix64;

impl Sim {
    pub(super) fn arrive(&mut self, now: u64) {
        let a = self.traffic.draw();
        let gap = self.traffic.gap(now);
        self.traffic.next_at = now.saturating_add(gap.max(1));
        self.counts.generated += 1;
        self.recent_countdown -= 1;
        let sampled = self.recent_countdown == 0;
        // L7 hashes the client's X-User header; L4 sees only the source address, which is the
        // proxy's for every client behind it.
        let key = if self.p.l7 {
            mix64(u64::from(a.client) ^ self.p.seed.rotate_left(17) ^ 0x5553_4552)
        } else {
            let addr = if self.p.proxy {
                PROXY_ADDR
            } else {
                client_addr(a.client)
            };
            mix64(u64::from(addr) ^ self.p.seed.rotate_left(17))
        };
        let req = Req {
            arrived: now,
            attempt_at: now,
            key,
            base: a.base,
            serial: 0,
            server: 0,
            attempts: 1,
            path: a.path,
            stage: Stage::ToServer,
            trace: 0,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.reqs[slot as usize] = req;
                slot
            }
            None => {
                self.reqs.push(req);
                (self.reqs.len() - 1) as u32
            }
        };
        if sampled {
            self.recent_countdown = self.recent_every;
            let at = self.recent_next;
            self.traces[at] = Trace {
                arrived: now,
                slot,
                client: a.client,
                ..Trace::default()
            };
            self.reqs[slot as usize].trace = at as u8 + 1;
            self.recent_next = (at + 1) % TRACES;
        }
        self.dispatch(slot, now);
    }

    #[inline]
    pub(super) fn live(&self, slot: u32, serial: u32) -> bool {
        self.reqs[slot as usize].serial == serial
    }

    pub(super) fn dispatch(&mut self, slot: u32, now: u64) {
        let path = if self.p.l7 {
            usize::from(self.reqs[slot as usize].path)
        } else {
            0
        };
        let key = self.reqs[slot as usize].key;
        let picked = self.balancer.pick(&self.pools[path], key, now);
        if let Some(t) = self.trace_of(slot) {
            t.server = picked.unwrap_or(u32::MAX);
        }
        let Some(s) = picked else {
            // No healthy server in the pool: the balancer answers 503 itself.
            self.fail(slot, now, Failure::Refused);
            return;
        };
        self.balancer.on_dispatch(s);
        self.serial = self.serial.wrapping_add(1).max(1);
        let serial = self.serial;
        let r = &mut self.reqs[slot as usize];
        r.serial = serial;
        r.server = s;
        r.stage = Stage::ToServer;
        r.attempt_at = now;
        if self.p.timeout > 0 {
            self.timeouts.push_back(Deadline { slot, serial });
        }
        if self.p.hop == 0 {
            self.server_arrive(s, slot, serial, now);
        } else {
            self.push_hop(now + self.p.hop, Kind::ServerArrive, s, slot, serial);
        }
    }

    pub(super) fn server_arrive(&mut self, s: u32, slot: u32, serial: u32, now: u64) {
        if !self.live(slot, serial) {
            return;
        }
        self.reqs[slot as usize].stage = Stage::AtServer;
        let srv = &mut self.servers[s as usize];
        if srv.state == ServerState::Down {
            if self.p.timeout == 0 {
                // Nothing would ever end the request: the dead host resets the connection.
                self.respond(s, slot, serial, now, false);
            }
            return;
        }
        if srv.in_service < srv.spec.capacity {
            self.start(s, slot, serial, now);
        } else if srv.queue.len() < srv.spec.queue_limit as usize {
            srv.queue.push_back((slot, serial));
            srv.max_queue = srv.max_queue.max(srv.queue.len() as u32);
        } else {
            self.respond(s, slot, serial, now, false);
        }
    }

    #[inline]
    pub(super) fn start(&mut self, s: u32, slot: u32, serial: u32, now: u64) {
        let base = self.reqs[slot as usize].base;
        let srv = &mut self.servers[s as usize];
        srv.account(now);
        srv.in_service += 1;
        let service = to_ns(base * srv.time_factor);
        let epoch = u32::from(srv.epoch);
        // A long-tailed draw on a very slow server can be astronomically long: saturate.
        self.push_heap(
            now.saturating_add(service),
            Kind::Complete,
            s,
            slot,
            serial,
            epoch,
        );
    }

    pub(super) fn complete(&mut self, s: u32, slot: u32, serial: u32, epoch: u32, now: u64) {
        let srv = &mut self.servers[s as usize];
        if epoch != u32::from(srv.epoch) {
            return;
        }
        srv.account(now);
        srv.in_service -= 1;
        srv.served += 1;
        self.respond(s, slot, serial, now, true);
        // Take the next waiting request whose client is still waiting.
        while let Some((next, next_serial)) = self.servers[s as usize].queue.pop_front() {
            if self.live(next, next_serial) {
                self.start(s, next, next_serial, now);
                break;
            }
        }
    }

    pub(super) fn respond(&mut self, s: u32, slot: u32, serial: u32, now: u64, ok: bool) {
        if !self.live(slot, serial) {
            return;
        }
        self.reqs[slot as usize].stage = Stage::Returning;
        if self.p.hop == 0 {
            self.on_response(slot, serial, now, ok);
        } else {
            let kind = if ok {
                Kind::ResponseOk
            } else {
                Kind::ResponseRefused
            };
            self.push_hop(now + self.p.hop, kind, s, slot, serial);
        }
    }

    pub(super) fn on_response(&mut self, slot: u32, serial: u32, now: u64, ok: bool) {
        if !self.live(slot, serial) {
            return;
        }
        let r = self.reqs[slot as usize];
        self.balancer.on_done(r.server, now - r.attempt_at, now);
        if ok {
            let latency = now - r.arrived;
            Histogram::record_both(&mut self.hist, &mut self.tick_hist, latency);
            self.latency_sum += u128::from(latency);
            self.tick_latency_sum += u128::from(latency);
            self.counts.successes += 1;
            self.end_trace(slot, now, TraceEnd::Answered);
            self.free_slot(slot);
        } else {
            self.reqs[slot as usize].serial = 0;
            self.fail(slot, now, Failure::Refused);
        }
    }

    pub(super) fn on_timeout(&mut self, slot: u32, serial: u32, now: u64) {
        if !self.live(slot, serial) {
            return;
        }
        let server = self.reqs[slot as usize].server;
        self.balancer.on_done(server, self.p.timeout, now);
        self.reqs[slot as usize].serial = 0;
        self.fail(slot, now, Failure::Timeout);
    }

    /// An attempt failed: retry within the limits and the budget, or end the request.
    pub(super) fn fail(&mut self, slot: u32, now: u64, failure: Failure) {
        let attempts = self.reqs[slot as usize].attempts;
        let budget = self.p.budget * self.counts.generated as f64 + MIN_RETRIES;
        if attempts <= self.p.retries && (self.counts.retries as f64) < budget {
            self.reqs[slot as usize].attempts += 1;
            self.counts.retries += 1;
            self.dispatch(slot, now);
            return;
        }
        let end = match failure {
            Failure::Timeout => {
                self.counts.timeouts += 1;
                TraceEnd::TimedOut
            }
            Failure::Refused => {
                self.counts.rejections += 1;
                TraceEnd::Refused
            }
        };
        self.end_trace(slot, now, end);
        self.free_slot(slot);
    }

    #[inline]
    pub(super) fn free_slot(&mut self, slot: u32) {
        let r = &mut self.reqs[slot as usize];
        r.serial = 0;
        r.stage = Stage::Free;
        self.free.push(slot);
    }

    /// The trace of the request in `slot`, if it is sampled and its trace not yet overwritten.
    #[inline]
    fn trace_of(&mut self, slot: u32) -> Option<&mut Trace> {
        let r = &self.reqs[slot as usize];
        let index = usize::from(r.trace.checked_sub(1)?);
        let arrived = r.arrived;
        let t = &mut self.traces[index];
        (t.slot == slot && t.arrived == arrived).then_some(t)
    }

    #[inline]
    fn end_trace(&mut self, slot: u32, now: u64, end: TraceEnd) {
        if let Some(t) = self.trace_of(slot) {
            t.ended = now;
            t.end = end;
        }
    }
}

//! Server states and health checks in the simulation: taking a server down, slowing it or
//! bringing it back, and the probes that mark servers unhealthy and healthy again.

use super::config::ServerState;
use super::event::Kind;
use super::sim::{PROBE_WORK_NS, Sim, Stage};

impl Sim {
    /// Sets server `s`'s state now. A server that goes down loses what it was serving and
    /// holding: those requests time out (or, with no timeout, are reset and refused).
    pub(crate) fn set_state(&mut self, s: u32, state: ServerState, now: u64) {
        let Some(srv) = self.servers.get_mut(s as usize) else {
            return;
        };
        let was_down = srv.state == ServerState::Down;
        srv.state = state;
        srv.time_factor = state.slowdown() / srv.spec.power;
        if state == ServerState::Down && !was_down {
            srv.account(now);
            srv.epoch = srv.epoch.wrapping_add(1);
            srv.in_service = 0;
            srv.queue.clear();
            if self.p.timeout == 0 {
                let lost: Vec<(u32, u32)> = self
                    .reqs
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.stage == Stage::AtServer && r.server == s)
                    .map(|(i, r)| (i as u32, r.serial))
                    .collect();
                for (slot, serial) in lost {
                    self.respond(s, slot, serial, now, false);
                }
            }
        }
    }

    pub(super) fn probe(&mut self, s: u32, now: u64) {
        let next = now + self.p.health_interval;
        self.push_heap(next, Kind::Probe, s, 0, 0, 0);
        let srv = &self.servers[s as usize];
        let timeout = self.p.health_timeout;
        let (at, kind) = if srv.state == ServerState::Down {
            (now + timeout, Kind::ProbeFail)
        } else {
            let work = libm::round(PROBE_WORK_NS as f64 * srv.state.slowdown()) as u64;
            let latency = 2 * self.p.hop + work;
            if latency > timeout {
                (now + timeout, Kind::ProbeFail)
            } else {
                (now + latency, Kind::ProbeOk)
            }
        };
        self.push_heap(at, kind, s, 0, 0, 0);
    }

    pub(super) fn probe_result(&mut self, s: u32, ok: bool) {
        let (fall, rise) = (self.p.fall, self.p.rise);
        let srv = &mut self.servers[s as usize];
        let mut changed = false;
        if ok {
            srv.succs += 1;
            srv.fails = 0;
            if !srv.healthy && srv.succs >= rise {
                srv.healthy = true;
                changed = true;
            }
        } else {
            srv.fails += 1;
            srv.succs = 0;
            if srv.healthy && srv.fails >= fall {
                srv.healthy = false;
                changed = true;
            }
        }
        if changed {
            self.rebuild_pools();
        }
    }
}

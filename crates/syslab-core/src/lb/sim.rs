//! The discrete-event simulation of one algorithm: seeded clients, the balancer, and the
//! servers with their slots and FIFO queues, in integer-nanosecond simulated time.
//!
//! Only service completions and health probes need a priority queue, a 4-ary heap of 24-byte
//! `Copy` events keyed by time alone. Everything else is already in order: the next arrival is
//! a single number, server changes are a sorted list, and network hops and timeouts have
//! constant delays, so they are due in the order they were scheduled and wait in FIFO queues.
//! At equal times, server changes go first, then the heap, the arrival, the wire and the
//! deadlines; ties inside the heap are broken by its structure, which depends only on the
//! events pushed and popped before. So the same scenario repeats every decision, and a server
//! change made live and the same change replayed from the scenario give identical runs. The
//! request table is a slab with a free list; after warm-up the hot path allocates nothing.
//!
//! This file holds the state and the event loop; `traffic.rs` draws the arrivals, `event.rs`
//! defines the scheduled work, `request.rs` follows a request from arrival to its end and
//! `health.rs` handles server states and health checks.

use std::collections::VecDeque;

use super::balancer::{Balancer, BalancerParams, Pool};
use super::config::{LbConfig, ServerChange, ServerSpec, ServerState};
use super::event::{Deadline, Event, Hop, Kind};
use super::fifo::Fifo;
use super::heap::QuadHeap;
use super::metrics::{Counts, Histogram, ServerSample, TickPoint};
use super::traffic::Traffic;

/// How long a health probe takes a server at normal speed, in ns.
pub(super) const PROBE_WORK_NS: u64 = 1_000_000;
/// How many sampled requests the view remembers, to draw each along its whole path.
pub(crate) const TRACES: usize = 128;
/// About how many arrivals per tick are sampled into [`Sim::traces`].
pub(crate) const TRACES_PER_TICK: f64 = 12.0;
/// The most per-server samples a run keeps.
const MAX_SERVER_SAMPLES: u64 = 1_000_000;
/// Retries always allowed on top of the budget's share, so a quiet run can still retry.
pub(super) const MIN_RETRIES: f64 = 10.0;
/// The source address of the forward proxy (10.255.255.254).
pub(crate) const PROXY_ADDR: u32 = 0x0AFF_FFFE;

/// The source address of client `client`: 10.0.0.1 upwards.
pub(crate) fn client_addr(client: u32) -> u32 {
    0x0A00_0001 + client
}

/// Where a request is, for the view's dots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The slot is free.
    #[default]
    Free,
    /// On the wire from the balancer to `server`.
    ToServer,
    /// Queued or in service at `server`.
    AtServer,
    /// The response is on the wire back to the balancer.
    Returning,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Req {
    pub(crate) arrived: u64,
    pub(super) attempt_at: u64,
    pub(super) key: u64,
    /// Service time on a server of power 1, in ns (cost × the distribution's draw).
    pub(super) base: f64,
    pub(super) serial: u32,
    pub(crate) server: u32,
    pub(super) attempts: u8,
    pub(super) path: u8,
    pub(crate) stage: Stage,
    /// 1 + its index in [`Sim::traces`] if it is sampled for the drawing, else 0.
    pub(super) trace: u8,
}

/// How a sampled request ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum TraceEnd {
    /// Still in flight.
    #[default]
    Pending,
    /// Answered by its server.
    Answered,
    /// Refused (503) by the server or, with no healthy server, by the balancer.
    Refused,
    /// Its client gave up waiting.
    TimedOut,
}

/// A request sampled for the drawing: who sent it, the server chosen last and how it ended.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Trace {
    /// Its arrival, in ns; `u64::MAX` for an unused entry.
    pub(crate) arrived: u64,
    /// When it ended, in ns (meaningful once `end` is not `Pending`).
    pub(crate) ended: u64,
    /// Its slot in `reqs`, so a reused slot does not update an overwritten trace.
    pub(super) slot: u32,
    /// The sending client.
    pub(crate) client: u32,
    /// The server its latest attempt went to; `u32::MAX` if the balancer found none.
    pub(crate) server: u32,
    pub(crate) end: TraceEnd,
}

impl Default for Trace {
    fn default() -> Self {
        Self {
            arrived: u64::MAX,
            ended: 0,
            slot: 0,
            client: 0,
            server: u32::MAX,
            end: TraceEnd::Pending,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Server {
    pub(crate) spec: ServerSpec,
    pub(crate) state: ServerState,
    pub(super) epoch: u16,
    pub(crate) in_service: u32,
    pub(super) queue: Fifo<(u32, u32)>,
    pub(super) busy: u64,
    pub(super) last_change: u64,
    pub(crate) served: u64,
    pub(crate) max_queue: u32,
    /// The balancer's view: whether health checks consider it up.
    pub(crate) healthy: bool,
    pub(super) fails: u32,
    pub(super) succs: u32,
    pub(crate) utilisation: f32,
    /// Service time per unit of cost: slow-down / power, kept in step with the state.
    pub(super) time_factor: f64,
}

impl Server {
    pub(crate) fn queued(&self) -> u32 {
        self.queue.len() as u32
    }

    #[inline]
    pub(super) fn account(&mut self, now: u64) {
        let dt = now.saturating_sub(self.last_change);
        // At most 10,000 slots × about 2 hours in ns: far below 2⁶⁴, so a plain product (a
        // saturating one is a 128-bit multiply call in wasm, on every start and completion).
        self.busy = self.busy.saturating_add(u64::from(self.in_service) * dt);
        self.last_change = now;
    }
}

/// The scalar settings the hot path reads.
#[derive(Clone, Copy, Debug)]
pub(super) struct Params {
    pub(super) hop: u64,
    pub(super) timeout: u64,
    pub(super) retries: u8,
    pub(super) budget: f64,
    pub(super) l7: bool,
    pub(super) proxy: bool,
    pub(super) seed: u64,
    pub(super) duration: u64,
    pub(super) health_interval: u64,
    pub(super) health_timeout: u64,
    pub(super) fall: u32,
    pub(super) rise: u32,
}

/// How an attempt ended badly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Failure {
    Timeout,
    Refused,
}

/// One algorithm's simulation.
#[derive(Clone, Debug)]
pub(crate) struct Sim {
    pub(super) p: Params,
    pub(crate) balancer: Balancer,
    pub(crate) servers: Vec<Server>,
    pub(super) weights: Vec<u32>,
    pub(super) pools: [Pool; 2],
    pub(super) heap: QuadHeap<Event>,
    pub(super) hops: Fifo<Hop>,
    pub(super) timeouts: Fifo<Deadline>,
    /// Pending server changes as (time, server, state), in time order.
    pub(super) changes: VecDeque<(u64, u32, ServerState)>,
    /// When the first pending change is due (`u64::MAX` if none): most runs have none, and the
    /// event loop reads this on every event.
    pub(super) change_at: u64,
    pub(super) serial: u32,
    pub(crate) reqs: Vec<Req>,
    pub(super) free: Vec<u32>,
    pub(super) traffic: Traffic,
    pub(crate) counts: Counts,
    pub(crate) hist: Histogram,
    pub(super) tick_hist: Histogram,
    pub(crate) latency_sum: u128,
    pub(super) tick_latency_sum: u128,
    pub(super) last_counts: Counts,
    pub(super) last_tick: u64,
    pub(crate) series: Vec<TickPoint>,
    /// Per-server samples, every `server_stride`-th tick (`servers.len()` per sampled tick),
    /// if recorded.
    pub(crate) server_series: Option<Vec<ServerSample>>,
    pub(crate) server_stride: u64,
    pub(super) ticks: u64,
    pub(crate) now: u64,
    /// Sampled requests, oldest overwritten first: every `recent_every`-th arrival, about
    /// [`TRACES_PER_TICK`] per tick, so they cover the last ten ticks or so.
    pub(crate) traces: [Trace; TRACES],
    pub(crate) recent_next: usize,
    pub(super) recent_every: u32,
    /// Arrivals until the next one is sampled.
    pub(super) recent_countdown: u32,
}

impl Sim {
    /// A simulation of `algorithm` on `config`'s traffic; `record_servers` keeps per-server
    /// samples every tick (the shown algorithm only).
    pub(crate) fn new(
        config: &LbConfig,
        algorithm: super::balancer::Algorithm,
        record_servers: bool,
    ) -> Self {
        let specs = config.server_specs();
        let weights: Vec<u32> = specs.iter().map(|s| s.weight).collect();
        let params = BalancerParams {
            decay_ns: f64::from(config.decay_ms) * 1e6,
            epsilon: config.epsilon,
            vnodes_per_weight: super::balancer::VNODES_PER_WEIGHT,
            ring_seed: config.seed,
        };
        let servers = specs
            .iter()
            .map(|&spec| Server {
                spec,
                state: ServerState::Up,
                epoch: 0,
                in_service: 0,
                queue: Fifo::default(),
                busy: 0,
                last_change: 0,
                served: 0,
                max_queue: 0,
                healthy: true,
                fails: 0,
                succs: 0,
                utilisation: 0.0,
                time_factor: 1.0 / spec.power,
            })
            .collect();
        let mut sim = Self {
            p: Params {
                hop: u64::from(config.hop_us) * 1_000,
                timeout: u64::from(config.timeout_ms) * 1_000_000,
                retries: config.retries as u8,
                budget: config.retry_budget,
                l7: config.l7,
                proxy: config.proxy,
                seed: config.seed,
                duration: config.duration().0,
                health_interval: if config.health.enabled() {
                    u64::from(config.health.interval_ms) * 1_000_000
                } else {
                    0
                },
                health_timeout: u64::from(config.health.timeout_ms) * 1_000_000,
                fall: config.health.fall,
                rise: config.health.rise,
            },
            balancer: Balancer::new(algorithm, &weights, params, config.seed),
            servers,
            weights,
            pools: [Pool::default(), Pool::default()],
            heap: QuadHeap::default(),
            hops: Fifo::default(),
            timeouts: Fifo::default(),
            changes: VecDeque::new(),
            change_at: u64::MAX,
            serial: 0,
            reqs: Vec::new(),
            free: Vec::new(),
            traffic: Traffic::new(config),
            counts: Counts::default(),
            hist: Histogram::default(),
            tick_hist: Histogram::default(),
            latency_sum: 0,
            tick_latency_sum: 0,
            last_counts: Counts::default(),
            last_tick: 0,
            series: Vec::new(),
            server_series: record_servers.then(Vec::new),
            // At most about a million samples: 1,000 servers × 10,000 ticks would be 120 MB.
            server_stride: (u64::from(config.servers) * (config.n_ticks() + 1))
                .div_ceil(MAX_SERVER_SAMPLES)
                .max(1),
            ticks: 0,
            now: 0,
            traces: [Trace::default(); TRACES],
            recent_next: 0,
            recent_every: (config.rate * f64::from(config.tick_ms) / 1_000.0 / TRACES_PER_TICK)
                .max(1.0) as u32,
            recent_countdown: 1,
        };
        sim.rebuild_pools();
        for change in &config.changes {
            sim.schedule_change(change);
        }
        if sim.p.health_interval > 0 {
            let n = sim.servers.len() as u64;
            for s in 0..n {
                let at = sim.p.health_interval * s / n;
                sim.push_heap(at, Kind::Probe, s as u32, 0, 0, 0);
            }
        }
        sim
    }

    /// Schedules a server change (at or after the current time).
    pub(crate) fn schedule_change(&mut self, change: &ServerChange) {
        let at = (change.at_ms * 1_000_000).max(self.now);
        // After every pending change due at or before it, as the lab inserts it in the config.
        let idx = self.changes.partition_point(|c| c.0 <= at);
        self.changes.insert(idx, (at, change.server, change.state));
        self.change_at = self.changes.front().map_or(u64::MAX, |c| c.0);
    }

    /// Applies the server changes due now at once, so a change made between ticks shows before
    /// the next one. A replay applies them at the same point (the lab calls this at the end of
    /// every tick), so live and replayed runs stay identical.
    pub(crate) fn apply_due_changes(&mut self) {
        while let Some(&(at, server, state)) = self.changes.front() {
            if at > self.now {
                break;
            }
            self.changes.pop_front();
            self.change_at = self.changes.front().map_or(u64::MAX, |c| c.0);
            self.set_state(server, state, at);
        }
    }

    #[inline]
    pub(super) fn push_heap(
        &mut self,
        at: u64,
        kind: Kind,
        server: u32,
        slot: u32,
        serial: u32,
        epoch: u32,
    ) {
        self.heap.push(Event {
            at,
            kind,
            server: server as u16,
            slot,
            serial,
            epoch: epoch as u16,
        });
    }

    #[inline]
    pub(super) fn push_hop(&mut self, at: u64, kind: Kind, server: u32, slot: u32, serial: u32) {
        self.hops.push_back(Hop {
            at,
            slot,
            serial,
            server,
            kind,
        });
    }

    pub(super) fn rebuild_pools(&mut self) {
        let n = self.servers.len();
        for (p, pool) in self.pools.iter_mut().enumerate() {
            let members = self
                .servers
                .iter()
                .enumerate()
                .filter(|(_, s)| s.healthy && (!self.p.l7 || usize::from(s.spec.pool) == p))
                .map(|(i, _)| i as u32)
                .collect();
            *pool = Pool::new(p as u8, n, members, &self.weights);
        }
    }

    /// Requests generated and not ended yet.
    pub(crate) fn in_flight(&self) -> u64 {
        self.counts.in_flight()
    }

    /// Handles the earliest pending event if it is due before `end`; false if there is none.
    ///
    /// At equal times the heap goes first (server changes first of all), then the next arrival,
    /// then the wire, then deadlines: a fixed rule, so replaying a scenario repeats every decision.
    // Always inlined into the two loops that call it: a call per event would save and restore
    // a dozen registers around a body that is mostly a few compares.
    #[inline(always)]
    pub(super) fn next_before(&mut self, end: u64) -> bool {
        let h = self.heap.peek().map_or(u64::MAX, |e| e.at);
        // The next arrival waits outside the heap: there is only ever one.
        let a = if self.traffic.next_at < self.p.duration {
            self.traffic.next_at
        } else {
            u64::MAX
        };
        let p = self.hops.front().map_or(u64::MAX, |e| e.at);
        let q = self.next_deadline();
        let c = self.change_at;
        if c <= h && c <= a && c <= p && c <= q {
            if c >= end {
                return false;
            }
            let Some((at, server, state)) = self.changes.pop_front() else {
                return false;
            };
            self.change_at = self.changes.front().map_or(u64::MAX, |c| c.0);
            self.now = at;
            self.set_state(server, state, at);
        } else if a < h && a <= p && a <= q {
            if a >= end {
                return false;
            }
            self.now = a;
            self.arrive(a);
        } else if h <= p && h <= q {
            if h >= end {
                return false;
            }
            let Some(ev) = self.heap.pop() else {
                return false;
            };
            self.now = ev.at;
            self.handle(ev);
        } else if p <= q {
            if p >= end {
                return false;
            }
            let Some(hop) = self.hops.pop_front() else {
                return false;
            };
            self.now = hop.at;
            match hop.kind {
                Kind::ServerArrive => self.server_arrive(hop.server, hop.slot, hop.serial, hop.at),
                kind => self.on_response(hop.slot, hop.serial, hop.at, kind == Kind::ResponseOk),
            }
        } else {
            if q >= end {
                return false;
            }
            let Some(d) = self.timeouts.pop_front() else {
                return false;
            };
            self.now = q;
            self.on_timeout(d.slot, d.serial, q);
        }
        true
    }

    /// The time of the earliest deadline whose attempt is still on. Most deadlines are of
    /// attempts that have ended: they are dropped here, without a turn of the loop each, and
    /// the attempt's start is read in the same look at the request as its liveness.
    #[inline]
    pub(super) fn next_deadline(&mut self) -> u64 {
        let reqs = self.reqs.as_slice();
        while let Some(d) = self.timeouts.front() {
            if let Some(r) = reqs.get(d.slot as usize)
                && r.serial == d.serial
            {
                return r.attempt_at + self.p.timeout;
            }
            self.timeouts.pop_front();
        }
        u64::MAX
    }

    /// Processes every event due before `end` and moves the clock to `end`.
    pub(crate) fn run_until(&mut self, end: u64) {
        self.run_events(end, false);
        self.now = self.now.max(end);
    }

    /// Processes events until every generated request has ended (arrivals stop at the
    /// duration), or `limit` is reached.
    pub(crate) fn drain(&mut self, limit: u64) {
        self.run_events(limit, true);
    }

    /// The event loop: events due before `end`, and with `drain` only while requests are in
    /// flight or still to come. One loop for both, so the event handling is inlined once.
    #[inline(never)]
    pub(super) fn run_events(&mut self, end: u64, drain: bool) {
        while (!drain || self.in_flight() > 0 || self.traffic.next_at < self.p.duration)
            && self.next_before(end)
        {}
    }

    pub(super) fn handle(&mut self, ev: Event) {
        let now = ev.at;
        let server = u32::from(ev.server);
        match ev.kind {
            Kind::Complete => self.complete(server, ev.slot, ev.serial, u32::from(ev.epoch), now),
            Kind::Probe => self.probe(server, now),
            Kind::ProbeOk => self.probe_result(server, true),
            Kind::ProbeFail => self.probe_result(server, false),
            // Wire events live in their own queue.
            Kind::ServerArrive | Kind::ResponseOk | Kind::ResponseRefused => {}
        }
    }

    /// Closes the tick ending now: appends its point (and server samples) to the series.
    pub(crate) fn end_tick(&mut self) {
        let now = self.now;
        let span = now.saturating_sub(self.last_tick).max(1);
        for srv in &mut self.servers {
            srv.account(now);
            srv.utilisation =
                (srv.busy as f64 / (f64::from(srv.spec.capacity) * span as f64)).min(1.0) as f32;
            srv.busy = 0;
        }
        self.ticks += 1;
        if let Some(samples) = &mut self.server_series
            && (self.ticks - 1).is_multiple_of(self.server_stride)
        {
            samples.extend(self.servers.iter().map(|s| ServerSample {
                active: s.in_service,
                queued: s.queued(),
                utilisation: s.utilisation,
            }));
        }
        let counts = self.counts.since(&self.last_counts);
        let mean_ms = if counts.successes > 0 {
            (self.tick_latency_sum as f64 / counts.successes as f64) / 1e6
        } else {
            0.0
        };
        self.series.push(TickPoint {
            at_ms: now as f64 / 1e6,
            counts,
            rps: counts.successes as f64 / (span as f64 / 1e9),
            mean_ms,
            latency: self.tick_hist.quantiles_ms(),
        });
        self.tick_hist.clear();
        self.tick_latency_sum = 0;
        self.last_counts = self.counts;
        self.last_tick = now;
    }
}

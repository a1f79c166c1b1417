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

use std::collections::VecDeque;

use super::balancer::{Balancer, BalancerParams, Pool, below32};
use super::config::{LbConfig, ServerChange, ServerSpec, ServerState, ServiceDist};
use super::fifo::Fifo;
use super::heap::{HeapItem, QuadHeap};
use super::metrics::{Counts, Histogram, ServerSample, TickPoint};
use super::ziggurat::ExpZiggurat;
use crate::rng::{SplitMix64, mix64};

/// How long a health probe takes a server at normal speed, in ns.
const PROBE_WORK_NS: u64 = 1_000_000;
/// How many recent arrivals the view remembers, to draw them on their way from the clients.
pub(crate) const RECENT: usize = 64;
/// The most per-server samples a run keeps.
const MAX_SERVER_SAMPLES: u64 = 1_000_000;
/// Retries always allowed on top of the budget's share, so a quiet run can still retry.
const MIN_RETRIES: f64 = 10.0;
/// The source address of the forward proxy (10.255.255.254).
pub(crate) const PROXY_ADDR: u32 = 0x0AFF_FFFE;

/// The source address of client `client`: 10.0.0.1 upwards.
pub(crate) fn client_addr(client: u32) -> u32 {
    0x0A00_0001 + client
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    ServerArrive,
    Complete,
    ResponseOk,
    ResponseRefused,
    Probe,
    ProbeOk,
    ProbeFail,
}

/// An event of the heap: 24 bytes, keyed by its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Event {
    at: u64,
    slot: u32,
    serial: u32,
    /// Server indices are below `MAX_SERVERS` (1,000), epochs below `MAX_CHANGES` (1,000).
    server: u16,
    epoch: u16,
    kind: Kind,
}

impl HeapItem for Event {
    #[inline]
    fn key(&self) -> u64 {
        self.at
    }
}

/// A message on the wire between the balancer and a server (a request or its response).
#[derive(Clone, Copy, Debug)]
struct Hop {
    at: u64,
    slot: u32,
    serial: u32,
    server: u32,
    kind: Kind,
}

/// The deadline of an attempt: 8 bytes, as most of a second's worth of them wait in the queue.
/// The time is the attempt's start plus the timeout, read from the request while it is live;
/// a deadline whose attempt has ended is dropped unread.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    slot: u32,
    serial: u32,
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
    attempt_at: u64,
    pub(crate) stage_at: u64,
    key: u64,
    /// Service time on a server of power 1, in ns (cost × the distribution's draw).
    base: f64,
    serial: u32,
    pub(crate) server: u32,
    attempts: u8,
    path: u8,
    pub(crate) stage: Stage,
    pub(crate) ok: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Server {
    pub(crate) spec: ServerSpec,
    pub(crate) state: ServerState,
    epoch: u16,
    pub(crate) in_service: u32,
    queue: Fifo<(u32, u32)>,
    busy: u64,
    last_change: u64,
    pub(crate) served: u64,
    pub(crate) max_queue: u32,
    /// The balancer's view: whether health checks consider it up.
    pub(crate) healthy: bool,
    fails: u32,
    succs: u32,
    pub(crate) utilisation: f32,
    /// Service time per unit of cost: slow-down / power, kept in step with the state.
    time_factor: f64,
}

impl Server {
    pub(crate) fn queued(&self) -> u32 {
        self.queue.len() as u32
    }

    #[inline]
    fn account(&mut self, now: u64) {
        let dt = now.saturating_sub(self.last_change);
        // At most 10,000 slots × about 2 hours in ns: far below 2⁶⁴, so a plain product (a
        // saturating one is a 128-bit multiply call in wasm, on every start and completion).
        self.busy = self.busy.saturating_add(u64::from(self.in_service) * dt);
        self.last_change = now;
    }
}

/// The scalar settings the hot path reads.
#[derive(Clone, Copy, Debug)]
struct Params {
    hop: u64,
    timeout: u64,
    retries: u8,
    budget: f64,
    l7: bool,
    proxy: bool,
    seed: u64,
    duration: u64,
    health_interval: u64,
    health_timeout: u64,
    fall: u32,
    rise: u32,
}

/// The seeded arrivals: every algorithm of a lab gets an identical copy.
#[derive(Clone, Debug)]
struct Traffic {
    rng: SplitMix64,
    exp: ExpZiggurat,
    next_at: u64,
    /// The mean gap between arrivals in ns, outside and during the burst.
    mean_gap_ns: f64,
    burst_gap_ns: f64,
    rate_cv: f64,
    cost_ns: f64,
    cost_cv: f64,
    service: ServiceDist,
    sigma: f64,
    clients: u32,
    l7: bool,
    static_share: f64,
    burst: (u64, u64),
}

/// A non-negative duration in ns, rounded to the nearest (the cast saturates at the top).
#[inline]
fn to_ns(x: f64) -> u64 {
    (x + 0.5) as u64
}

/// A standard normal draw (Box–Muller, one of the pair).
fn normal(rng: &mut SplitMix64) -> f64 {
    let u1 = 1.0 - rng.unit_f64();
    let u2 = rng.unit_f64();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}

/// A log-normal draw with mean 1 and log-spread `sigma`. Kept out of line: it is the rare
/// case, and inlined it would keep `unit_with_cv`'s common cases (constant, exponential) from
/// being inlined into the arrival.
#[inline(never)]
fn lognormal_unit(rng: &mut SplitMix64, sigma: f64) -> f64 {
    libm::exp(sigma * normal(rng) - sigma * sigma / 2.0)
}

/// A draw with mean 1 and coefficient of variation `cv`: constant at 0, exponential at 1,
/// log-normal otherwise.
#[inline]
fn unit_with_cv(rng: &mut SplitMix64, exp: &ExpZiggurat, cv: f64) -> f64 {
    if cv == 0.0 {
        1.0
    } else if cv == 1.0 {
        exp.sample(rng)
    } else {
        lognormal_unit(rng, libm::sqrt(libm::log(1.0 + cv * cv)))
    }
}

/// One arrival's draws.
struct Arrival {
    client: u32,
    path: u8,
    base: f64,
}

impl Traffic {
    fn new(c: &LbConfig) -> Self {
        let mut t = Self {
            rng: SplitMix64::new(mix64(c.seed ^ 0x0074_7261_6666_6963)),
            exp: ExpZiggurat::default(),
            next_at: 0,
            mean_gap_ns: 1e9 / c.rate,
            burst_gap_ns: 1e9 / (c.rate * c.burst_factor),
            rate_cv: c.rate_cv,
            cost_ns: c.cost_ms * 1e6,
            cost_cv: c.cost_cv,
            service: c.service,
            sigma: c.sigma,
            clients: c.clients.max(1),
            l7: c.l7,
            static_share: c.static_share,
            burst: (
                u64::from(c.burst_at_ms) * 1_000_000,
                u64::from(c.burst_at_ms.saturating_add(c.burst_ms)) * 1_000_000,
            ),
        };
        t.next_at = t.gap(0);
        t
    }

    fn gap(&mut self, at: u64) -> u64 {
        let (start, end) = self.burst;
        let mean = if at >= start && at < end {
            self.burst_gap_ns
        } else {
            self.mean_gap_ns
        };
        to_ns(unit_with_cv(&mut self.rng, &self.exp, self.rate_cv) * mean)
    }

    fn draw(&mut self) -> Arrival {
        let client = below32(&mut self.rng, self.clients);
        let path = u8::from(self.l7 && self.rng.unit_f64() < self.static_share);
        let cost = self.cost_ns * unit_with_cv(&mut self.rng, &self.exp, self.cost_cv);
        let factor = match self.service {
            ServiceDist::Constant => 1.0,
            ServiceDist::Exponential => self.exp.sample(&mut self.rng),
            ServiceDist::LogNormal => lognormal_unit(&mut self.rng, self.sigma),
        };
        Arrival {
            client,
            path,
            base: cost * factor,
        }
    }
}

/// How an attempt ended badly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    Timeout,
    Refused,
}

/// One algorithm's simulation.
#[derive(Clone, Debug)]
pub(crate) struct Sim {
    p: Params,
    pub(crate) balancer: Balancer,
    pub(crate) servers: Vec<Server>,
    weights: Vec<u32>,
    pools: [Pool; 2],
    heap: QuadHeap<Event>,
    hops: Fifo<Hop>,
    timeouts: Fifo<Deadline>,
    /// Pending server changes as (time, server, state), in time order.
    changes: VecDeque<(u64, u32, ServerState)>,
    /// When the first pending change is due (`u64::MAX` if none): most runs have none, and the
    /// event loop reads this on every event.
    change_at: u64,
    serial: u32,
    pub(crate) reqs: Vec<Req>,
    free: Vec<u32>,
    traffic: Traffic,
    pub(crate) counts: Counts,
    pub(crate) hist: Histogram,
    tick_hist: Histogram,
    pub(crate) latency_sum: u128,
    tick_latency_sum: u128,
    last_counts: Counts,
    last_tick: u64,
    pub(crate) series: Vec<TickPoint>,
    /// Per-server samples, every `server_stride`-th tick (`servers.len()` per sampled tick),
    /// if recorded.
    pub(crate) server_series: Option<Vec<ServerSample>>,
    pub(crate) server_stride: u64,
    ticks: u64,
    pub(crate) now: u64,
    /// Recent arrivals as (time, client), oldest overwritten first: every `recent_every`-th
    /// one, so that they spread over about one tick.
    pub(crate) recent: [(u64, u32); RECENT],
    pub(crate) recent_next: usize,
    recent_every: u32,
    /// Arrivals until the next one is remembered.
    recent_countdown: u32,
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
            recent: [(u64::MAX, 0); RECENT],
            recent_next: 0,
            recent_every: (config.rate * f64::from(config.tick_ms) / 1_000.0 / RECENT as f64)
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
    fn push_heap(&mut self, at: u64, kind: Kind, server: u32, slot: u32, serial: u32, epoch: u32) {
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
    fn push_hop(&mut self, at: u64, kind: Kind, server: u32, slot: u32, serial: u32) {
        self.hops.push_back(Hop {
            at,
            slot,
            serial,
            server,
            kind,
        });
    }

    fn rebuild_pools(&mut self) {
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
    fn next_before(&mut self, end: u64) -> bool {
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
    fn next_deadline(&mut self) -> u64 {
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
    fn run_events(&mut self, end: u64, drain: bool) {
        while (!drain || self.in_flight() > 0 || self.traffic.next_at < self.p.duration)
            && self.next_before(end)
        {}
    }

    fn handle(&mut self, ev: Event) {
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

    fn arrive(&mut self, now: u64) {
        let a = self.traffic.draw();
        let gap = self.traffic.gap(now);
        self.traffic.next_at = now.saturating_add(gap.max(1));
        self.counts.generated += 1;
        self.recent_countdown -= 1;
        if self.recent_countdown == 0 {
            self.recent_countdown = self.recent_every;
            self.recent[self.recent_next] = (now, a.client);
            self.recent_next = (self.recent_next + 1) % RECENT;
        }
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
            stage_at: now,
            key,
            base: a.base,
            serial: 0,
            server: 0,
            attempts: 1,
            path: a.path,
            stage: Stage::ToServer,
            ok: false,
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
        self.dispatch(slot, now);
    }

    #[inline]
    fn live(&self, slot: u32, serial: u32) -> bool {
        self.reqs[slot as usize].serial == serial
    }

    fn dispatch(&mut self, slot: u32, now: u64) {
        let path = if self.p.l7 {
            usize::from(self.reqs[slot as usize].path)
        } else {
            0
        };
        let key = self.reqs[slot as usize].key;
        let Some(s) = self.balancer.pick(&self.pools[path], key, now) else {
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
        r.stage_at = now;
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

    fn server_arrive(&mut self, s: u32, slot: u32, serial: u32, now: u64) {
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
    fn start(&mut self, s: u32, slot: u32, serial: u32, now: u64) {
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

    fn complete(&mut self, s: u32, slot: u32, serial: u32, epoch: u32, now: u64) {
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

    fn respond(&mut self, s: u32, slot: u32, serial: u32, now: u64, ok: bool) {
        if !self.live(slot, serial) {
            return;
        }
        let r = &mut self.reqs[slot as usize];
        r.stage = Stage::Returning;
        r.stage_at = now;
        r.ok = ok;
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

    fn on_response(&mut self, slot: u32, serial: u32, now: u64, ok: bool) {
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
            self.free_slot(slot);
        } else {
            self.reqs[slot as usize].serial = 0;
            self.fail(slot, now, Failure::Refused);
        }
    }

    fn on_timeout(&mut self, slot: u32, serial: u32, now: u64) {
        if !self.live(slot, serial) {
            return;
        }
        let server = self.reqs[slot as usize].server;
        self.balancer.on_done(server, self.p.timeout, now);
        self.reqs[slot as usize].serial = 0;
        self.fail(slot, now, Failure::Timeout);
    }

    /// An attempt failed: retry within the limits and the budget, or end the request.
    fn fail(&mut self, slot: u32, now: u64, failure: Failure) {
        let attempts = self.reqs[slot as usize].attempts;
        let budget = self.p.budget * self.counts.generated as f64 + MIN_RETRIES;
        if attempts <= self.p.retries && (self.counts.retries as f64) < budget {
            self.reqs[slot as usize].attempts += 1;
            self.counts.retries += 1;
            self.dispatch(slot, now);
            return;
        }
        match failure {
            Failure::Timeout => self.counts.timeouts += 1,
            Failure::Refused => self.counts.rejections += 1,
        }
        self.free_slot(slot);
    }

    #[inline]
    fn free_slot(&mut self, slot: u32) {
        let r = &mut self.reqs[slot as usize];
        r.serial = 0;
        r.stage = Stage::Free;
        self.free.push(slot);
    }

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

    fn probe(&mut self, s: u32, now: u64) {
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

    fn probe_result(&mut self, s: u32, ok: bool) {
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

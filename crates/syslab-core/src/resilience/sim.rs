//! One policy set's discrete-event simulation of the chain, on the load balancer's machinery:
//! its 4-ary event heap, its seeded arrivals (with the spike as its burst), its ziggurat
//! exponential draws and its latency histogram.
//!
//! A client request is an *op* at level 0: a logical call into tier A that sends *calls*
//! (attempts, retries, hedges). A call that A serves and that needs B becomes an op at level
//! 1, and so on. An op ends once (a result, or a failure after its retries); a call ends once
//! at its tier (served, refused, dropped) and once at its caller (answered, timed out,
//! abandoned). Results go back to callers through zero-delay events, so no handler ever runs
//! inside another.

use std::collections::VecDeque;

use super::cache::Cache;
use super::config::{FaultKind, ResConfig};
use super::metrics::{Counts, TickPoint};
use super::policy::{Breaker, BreakerState, RetryBudget, RetryQuota, Throttle, backoff_ns};
use crate::lb::heap::{HeapItem, QuadHeap};
use crate::lb::traffic::Traffic;
use crate::lb::ziggurat::ExpZiggurat;
use crate::lb::{Histogram, LbConfig, ServiceDist};
use crate::rng::{SplitMix64, mix64};

pub(super) const NONE: u32 = u32::MAX;
pub(super) const NEVER: u64 = u64::MAX;
/// Width of the windows in which retries into A are counted, in ns (10 ms).
pub const RETRY_WINDOW_NS: u64 = 10_000_000;

/// What became of one attempt, as its caller sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    /// The tier answered with an error (a fault's error share, or a failure below it).
    Error,
    /// Refused at once: the tier is down or its queue is full.
    Refused,
    /// The caller stopped waiting (per-attempt timeout or deadline).
    Timeout,
    /// Dropped by the tier because its propagated deadline had passed.
    Expired,
    /// Refused locally by an open breaker.
    Broken,
    /// Rejected locally by adaptive throttling.
    Throttled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CallState {
    Queued,
    Serving,
    /// Served, waiting for its own call to the tier below.
    Waiting,
    Done,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Call {
    pub(super) epoch: u32,
    op: u32,
    tier: u8,
    pub(super) state: CallState,
    outcome: Outcome,
    /// Whether its caller still waits for it.
    caller_waits: bool,
    /// Whether its caller (or any caller above) has given up: its work is wasted.
    abandoned: bool,
    /// Whether the tier has been told to skip it (a hedge that lost).
    cancelled: bool,
    trial: bool,
    sent: u64,
    /// The deadline the tier knows (propagated), or never.
    deadline: u64,
    service_ns: u64,
    /// The op it started at the tier below while waiting.
    child: u32,
    /// The cached key A read for it, or NONE.
    pub(super) key: u32,
    /// When A read the cache for it, in ns.
    pub(super) looked: u64,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Op {
    epoch: u32,
    level: u8,
    /// The call it serves at the tier above, or NONE for a client request (or a background
    /// recomputation, at level 1).
    pub(super) parent: u32,
    pub(super) start: u64,
    /// The deadline this caller knows, or never.
    deadline: u64,
    live: [u32; 2],
    retries: u32,
    prev_wait: u64,
    retry_pending: bool,
    hedged: bool,
    idempotent: bool,
    abandoned: bool,
    done: bool,
    /// The cached key it recomputes at B, or NONE.
    pub(super) key: u32,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    ServiceDone,
    Deliver,
    AttemptTimeout,
    Retry,
    Hedge,
    OpDeadline,
    /// A lock waiter looks at the cache again.
    CachePoll,
}

#[derive(Clone, Copy, Debug)]
struct Ev {
    at: u64,
    id: u32,
    epoch: u32,
    kind: Kind,
}

impl HeapItem for Ev {
    #[inline]
    fn key(&self) -> u64 {
        self.at
    }
}

#[derive(Clone, Debug)]
struct Tier {
    slots: u32,
    busy: u32,
    queue: VecDeque<u32>,
    queue_limit: u32,
    mean_ns: f64,
    /// Slot-nanoseconds held since the tick began, and when that was last brought up to date.
    held: f64,
    last: u64,
}

impl Tier {
    fn account(&mut self, now: u64) {
        self.held += f64::from(self.busy) * now.saturating_sub(self.last) as f64;
        self.last = now;
    }
}

/// The policies of the callers into one tier.
#[derive(Clone, Debug)]
struct Link {
    breaker: Option<Breaker>,
    budget: Option<RetryBudget>,
    quota: Option<RetryQuota>,
    throttle: Option<Throttle>,
    retries: u32,
    timeout_ns: u64,
}

/// One policy set's run.
#[derive(Clone, Debug)]
pub(crate) struct Sim {
    pub(crate) label: &'static str,
    pub(crate) cfg: ResConfig,
    depth: usize,
    rng: SplitMix64,
    exp: ExpZiggurat,
    traffic: Traffic,
    herd_left: u32,
    herd_at: u64,
    duration: u64,
    heap: QuadHeap<Ev>,
    pub(crate) now: u64,
    tiers: Vec<Tier>,
    links: Vec<Link>,
    pub(super) calls: Vec<Call>,
    free_calls: Vec<u32>,
    pub(super) ops: Vec<Op>,
    free_ops: Vec<u32>,
    pub(crate) counts: Counts,
    last_counts: Counts,
    pub(crate) hist: Histogram,
    tick_hist: Histogram,
    tick_latency_ns: f64,
    last_tick: u64,
    pub(crate) series: Vec<TickPoint>,
    /// Retries sent into A per 10 ms window of the run.
    pub(crate) retry_windows: Vec<u32>,
    /// Requests in flight (client ops not ended).
    in_flight: u64,
    /// The cache in front of B, when it is on (and there is a B).
    pub(crate) cache: Option<Cache>,
}

impl Sim {
    pub(crate) fn new(label: &'static str, cfg: &ResConfig) -> Self {
        let lb = LbConfig {
            seed: cfg.seed,
            rate: cfg.rate,
            rate_cv: cfg.rate_cv,
            burst_at_ms: cfg.spike_at_ms,
            burst_ms: cfg.spike_ms,
            burst_factor: cfg.spike_factor,
            ..LbConfig::default()
        };
        let depth = cfg.depth();
        let tiers = cfg.tiers[..depth]
            .iter()
            .map(|t| Tier {
                slots: t.slots(),
                busy: 0,
                queue: VecDeque::new(),
                queue_limit: t.queue,
                mean_ns: t.service_ms * 1e6,
                held: 0.0,
                last: 0,
            })
            .collect();
        let links = (0..depth)
            .map(|tier| Link {
                breaker: cfg
                    .breaker
                    .at
                    .covers(tier)
                    .then(|| Breaker::new(cfg.breaker)),
                budget: cfg.budget.then(|| {
                    RetryBudget::new(
                        cfg.budget_ratio,
                        cfg.budget_min,
                        super::config::BUDGET_TTL_S,
                    )
                }),
                quota: (cfg.quota > 0).then(|| RetryQuota::new(cfg.quota, cfg.quota_ratio)),
                throttle: cfg
                    .throttle
                    .then(|| Throttle::new(cfg.throttle_k, u64::from(cfg.throttle_window_s))),
                retries: cfg.retries[tier],
                timeout_ns: u64::from(cfg.timeouts_ms[tier]) * 1_000_000,
            })
            .collect();
        let duration = cfg.duration_ns();
        Self {
            label,
            cfg: cfg.clone(),
            depth,
            rng: SplitMix64::new(mix64(cfg.seed ^ 0x7265_7369_6c69_656e)),
            exp: ExpZiggurat::default(),
            traffic: Traffic::new(&lb),
            herd_left: cfg.herd,
            herd_at: u64::from(cfg.herd_at_ms) * 1_000_000,
            duration,
            heap: QuadHeap::default(),
            now: 0,
            tiers,
            links,
            calls: Vec::new(),
            free_calls: Vec::new(),
            ops: Vec::new(),
            free_ops: Vec::new(),
            counts: Counts::default(),
            last_counts: Counts::default(),
            hist: Histogram::default(),
            tick_hist: Histogram::default(),
            tick_latency_ns: 0.0,
            last_tick: 0,
            series: Vec::new(),
            retry_windows: vec![0; duration.div_ceil(RETRY_WINDOW_NS) as usize + 1],
            in_flight: 0,
            cache: (cfg.cache.on && depth >= 2)
                .then(|| Cache::new(cfg.cache, cfg.seed, cfg.tick_ms, cfg.n_ticks())),
        }
    }

    /// Client requests not ended yet.
    pub(crate) fn in_flight(&self) -> u64 {
        self.in_flight
    }

    /// The breaker state on the calls into each tier.
    pub(crate) fn breakers(&self) -> [BreakerState; 3] {
        let mut out = [BreakerState::Closed; 3];
        for (i, l) in self.links.iter().enumerate() {
            if let Some(b) = &l.breaker {
                out[i] = b.state();
            }
        }
        out
    }

    /// Requests in service (or waiting below) and queued, per tier.
    pub(crate) fn occupancy(&self) -> [(u32, u32); 3] {
        let mut out = [(0, 0); 3];
        for (i, t) in self.tiers.iter().enumerate() {
            out[i] = (t.busy, t.queue.len() as u32);
        }
        out
    }

    fn next_arrival(&self) -> u64 {
        let mut next = NEVER;
        if self.traffic.next_at < self.duration {
            next = self.traffic.next_at;
        }
        if self.herd_left > 0 {
            next = next.min(self.herd_at);
        }
        next
    }

    /// Processes every event before `end` (events at `end` wait for the next step, so a fault
    /// added live at `end` applies to them, as in a replay).
    pub(crate) fn run_until(&mut self, end: u64) {
        loop {
            let heap_at = self.heap.peek().map_or(NEVER, |e| e.at);
            let arrival = self.next_arrival();
            let at = heap_at.min(arrival);
            if at >= end {
                break;
            }
            self.now = at;
            if heap_at <= arrival {
                if let Some(ev) = self.heap.pop() {
                    self.handle(ev);
                }
            } else if self.herd_left > 0 && self.herd_at == at {
                let n = self.herd_left;
                self.herd_left = 0;
                for _ in 0..n {
                    self.request();
                }
            } else {
                let gap = self.traffic.gap(at);
                self.traffic.next_at = at.saturating_add(gap.max(1));
                self.request();
            }
        }
        self.now = self.now.max(end);
    }

    /// After the run: processes events until every request has ended or `limit` ns.
    pub(crate) fn drain(&mut self, limit: u64) {
        self.run_until(self.duration);
        while self.in_flight > 0 {
            let Some(ev) = self.heap.pop() else { break };
            if ev.at > limit {
                break;
            }
            self.now = ev.at;
            self.handle(ev);
        }
    }

    pub(super) fn push(&mut self, at: u64, id: u32, epoch: u32, kind: Kind) {
        self.heap.push(Ev {
            at,
            id,
            epoch,
            kind,
        });
    }

    fn handle(&mut self, ev: Ev) {
        match ev.kind {
            Kind::ServiceDone => {
                if self.calls[ev.id as usize].epoch == ev.epoch {
                    self.service_done(ev.id);
                }
            }
            Kind::Deliver => {
                let c = self.calls[ev.id as usize];
                if c.epoch == ev.epoch {
                    if c.caller_waits {
                        self.result(ev.id, c.outcome);
                    }
                    self.maybe_free_call(ev.id);
                }
            }
            Kind::AttemptTimeout => {
                let c = self.calls[ev.id as usize];
                if c.epoch == ev.epoch && c.caller_waits {
                    self.abandon(ev.id);
                    self.result(ev.id, Outcome::Timeout);
                    self.maybe_free_call(ev.id);
                }
            }
            Kind::Retry => {
                let op = self.ops[ev.id as usize];
                if op.epoch == ev.epoch && !op.done {
                    self.ops[ev.id as usize].retry_pending = false;
                    self.send(ev.id, Send::Retry);
                }
            }
            Kind::Hedge => {
                let op = self.ops[ev.id as usize];
                let live = op.live.iter().filter(|&&c| c != NONE).count();
                if op.epoch == ev.epoch && !op.done && !op.retry_pending && live == 1 && !op.hedged
                {
                    self.ops[ev.id as usize].hedged = true;
                    if self.retry_allowed(usize::from(op.level)) {
                        self.send(ev.id, Send::Hedge);
                    }
                }
            }
            Kind::OpDeadline => {
                let op = self.ops[ev.id as usize];
                if op.epoch == ev.epoch && !op.done {
                    self.finish(ev.id, Outcome::Timeout);
                }
            }
            Kind::CachePoll => {
                let c = self.calls[ev.id as usize];
                if c.epoch == ev.epoch && c.state == CallState::Waiting && c.child == NONE {
                    self.cache_poll(ev.id, c.key, c.deadline);
                }
            }
        }
    }

    /// A client request arrives.
    fn request(&mut self) {
        self.counts.generated += 1;
        self.in_flight += 1;
        let deadline = match self.cfg.deadline_ms {
            0 => NEVER,
            d => self.now + u64::from(d) * 1_000_000,
        };
        let idempotent = self.cfg.idempotent >= 1.0 || self.rng.unit_f64() < self.cfg.idempotent;
        let op = self.new_op(0, NONE, deadline, idempotent, false);
        self.send(op, Send::First);
    }

    fn new_op(
        &mut self,
        level: u8,
        parent: u32,
        deadline: u64,
        idempotent: bool,
        abandoned: bool,
    ) -> u32 {
        let op = Op {
            epoch: 0,
            level,
            parent,
            start: self.now,
            deadline,
            live: [NONE; 2],
            retries: 0,
            prev_wait: 0,
            retry_pending: false,
            hedged: false,
            idempotent,
            abandoned,
            done: false,
            key: NONE,
        };
        let id = match self.free_ops.pop() {
            Some(id) => {
                let epoch = self.ops[id as usize].epoch.wrapping_add(1);
                self.ops[id as usize] = Op { epoch, ..op };
                id
            }
            None => {
                self.ops.push(op);
                (self.ops.len() - 1) as u32
            }
        };
        if deadline != NEVER {
            let epoch = self.ops[id as usize].epoch;
            self.push(deadline, id, epoch, Kind::OpDeadline);
        }
        id
    }

    /// Whether a retry (or hedge) into tier `level` may go now: the budget and the quota.
    fn retry_allowed(&mut self, level: usize) -> bool {
        let now = self.now;
        let link = &mut self.links[level];
        if let Some(q) = &link.quota
            && !q.allows()
        {
            return false;
        }
        if let Some(b) = &mut link.budget
            && !b.withdraw(now)
        {
            return false;
        }
        true
    }

    /// Sends an attempt of op `op`; a local refusal (breaker, throttle, a passed deadline)
    /// ends the op if no other attempt is live.
    fn send(&mut self, op_id: u32, kind: Send) {
        let now = self.now;
        let op = self.ops[op_id as usize];
        let level = usize::from(op.level);
        let lone = op.live.iter().all(|&c| c == NONE);
        if op.deadline != NEVER && now >= op.deadline {
            if lone {
                self.finish(op_id, Outcome::Timeout);
            }
            return;
        }
        let link = &mut self.links[level];
        let trial = match &mut link.breaker {
            Some(b) => match b.allow(now) {
                Some(trial) => trial,
                None => {
                    if lone {
                        self.finish(op_id, Outcome::Broken);
                    }
                    return;
                }
            },
            None => false,
        };
        if let Some(t) = &mut link.throttle {
            let p = t.reject_probability(now);
            t.request(now);
            if p > 0.0 && self.rng.unit_f64() < p {
                if lone {
                    self.finish(op_id, Outcome::Throttled);
                }
                return;
            }
        }
        if kind == Send::First
            && let Some(b) = &mut self.links[level].budget
        {
            b.deposit(now);
        }
        let timeout = self.links[level].timeout_ns;
        let deadline = if self.cfg.propagate {
            let own = if timeout > 0 { now + timeout } else { NEVER };
            own.min(op.deadline)
        } else {
            NEVER
        };
        let call = Call {
            epoch: 0,
            op: op_id,
            tier: op.level,
            state: CallState::Queued,
            outcome: Outcome::Ok,
            caller_waits: true,
            abandoned: op.abandoned,
            cancelled: false,
            trial,
            sent: now,
            deadline,
            service_ns: 0,
            child: NONE,
            key: NONE,
            looked: 0,
        };
        let id = match self.free_calls.pop() {
            Some(id) => {
                let epoch = self.calls[id as usize].epoch.wrapping_add(1);
                self.calls[id as usize] = Call { epoch, ..call };
                id
            }
            None => {
                self.calls.push(call);
                (self.calls.len() - 1) as u32
            }
        };
        let epoch = self.calls[id as usize].epoch;
        let o = &mut self.ops[op_id as usize];
        if o.live[0] == NONE {
            o.live[0] = id;
        } else {
            o.live[1] = id;
        }
        self.counts.attempts[level] += 1;
        match kind {
            Send::First => {}
            Send::Retry => {
                self.counts.retries[level] += 1;
                if level == 0 {
                    let w = (now / RETRY_WINDOW_NS) as usize;
                    if let Some(slot) = self.retry_windows.get_mut(w) {
                        *slot += 1;
                    }
                }
            }
            Send::Hedge => self.counts.hedges[level] += 1,
        }
        if timeout > 0 {
            self.push(now + timeout, id, epoch, Kind::AttemptTimeout);
        }
        if kind == Send::First && self.cfg.hedge_ms > 0 && op.idempotent {
            let og = self.ops[op_id as usize].epoch;
            self.push(
                now + u64::from(self.cfg.hedge_ms) * 1_000_000,
                op_id,
                og,
                Kind::Hedge,
            );
        }
        self.arrive(id);
    }

    /// The fault on tier `tier` now, if any (the first active one in the list).
    fn fault(&self, tier: u8) -> Option<FaultKind> {
        let now = self.now;
        self.cfg
            .faults
            .iter()
            .find(|f| f.tier == tier && f.active(now))
            .map(|f| f.kind)
    }

    /// A call reaches its tier.
    fn arrive(&mut self, id: u32) {
        let tier = self.calls[id as usize].tier;
        let t = usize::from(tier);
        if self.fault(tier) == Some(FaultKind::Down) {
            self.counts.refused[t] += 1;
            self.end_at_tier(id, Outcome::Refused);
            return;
        }
        if self.tiers[t].busy < self.tiers[t].slots {
            self.serve(id);
        } else if (self.tiers[t].queue.len() as u64) < u64::from(self.tiers[t].queue_limit) {
            self.tiers[t].queue.push_back(id);
        } else {
            self.counts.refused[t] += 1;
            self.end_at_tier(id, Outcome::Refused);
        }
    }

    /// Takes a slot and starts serving call `id`, unless its propagated deadline has passed.
    fn serve(&mut self, id: u32) {
        let now = self.now;
        let c = self.calls[id as usize];
        let t = usize::from(c.tier);
        if now >= c.deadline {
            self.counts.dropped[t] += 1;
            self.end_at_tier(id, Outcome::Expired);
            return;
        }
        let slow = match self.fault(c.tier) {
            Some(FaultKind::Slow(m)) => m,
            _ => 1.0,
        };
        let unit = match self.cfg.service {
            ServiceDist::Constant => 1.0,
            ServiceDist::Exponential => self.exp.sample(&mut self.rng),
            ServiceDist::LogNormal => {
                let s = self.cfg.sigma;
                let u1 = 1.0 - self.rng.unit_f64();
                let u2 = self.rng.unit_f64();
                let z =
                    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2);
                libm::exp(s * z - s * s / 2.0)
            }
        };
        let mean = match &self.cache {
            Some(cache) if self.ops[c.op as usize].key != NONE => cache.spec.recompute_ns(),
            _ => self.tiers[t].mean_ns,
        };
        let service = ((unit * mean * slow) + 0.5) as u64;
        let tier = &mut self.tiers[t];
        tier.account(now);
        tier.busy += 1;
        let call = &mut self.calls[id as usize];
        call.state = CallState::Serving;
        call.service_ns = service;
        let epoch = call.epoch;
        self.push(now + service, id, epoch, Kind::ServiceDone);
    }

    fn service_done(&mut self, id: u32) {
        let now = self.now;
        let c = self.calls[id as usize];
        let t = usize::from(c.tier);
        self.counts.work_ns[t] += c.service_ns;
        if c.abandoned {
            self.counts.wasted_ns[t] += c.service_ns;
        }
        if let Some(FaultKind::Errors(p)) = self.fault(c.tier)
            && self.rng.unit_f64() < p
        {
            self.respond(id, Outcome::Error);
            return;
        }
        if t + 1 >= self.depth {
            self.respond(id, Outcome::Ok);
            return;
        }
        if now >= c.deadline {
            self.respond(id, Outcome::Expired);
            return;
        }
        if t == 0 && self.cache.is_some() && self.cache_read(id) {
            return;
        }
        self.call_below(id, NONE);
    }

    /// Call `id`, served, calls the tier below and waits; `key` is the cached key the call
    /// recomputes there, or NONE.
    pub(super) fn call_below(&mut self, id: u32, key: u32) {
        let c = self.calls[id as usize];
        let idempotent = self.ops[c.op as usize].idempotent;
        let child_deadline = if self.cfg.propagate {
            c.deadline
        } else {
            NEVER
        };
        let child = self.new_op(c.tier + 1, id, child_deadline, idempotent, c.abandoned);
        if key != NONE {
            self.ops[child as usize].key = key;
            if let Some(cache) = &mut self.cache {
                cache.started(key);
            }
        }
        let call = &mut self.calls[id as usize];
        call.state = CallState::Waiting;
        call.child = child;
        self.send(child, Send::First);
    }

    /// A background recomputation of `key` at B (stale-while-revalidate): an op with no
    /// caller, whose result only refreshes the cache.
    pub(super) fn recompute_in_background(&mut self, key: u32) {
        let op = self.new_op(1, NONE, NEVER, true, false);
        self.ops[op as usize].key = key;
        if let Some(cache) = &mut self.cache {
            cache.started(key);
        }
        self.send(op, Send::First);
    }

    /// Call `id` ends at its tier without having held a slot (refused, dropped, skipped).
    fn end_at_tier(&mut self, id: u32, outcome: Outcome) {
        let call = &mut self.calls[id as usize];
        call.state = CallState::Done;
        call.outcome = outcome;
        let epoch = call.epoch;
        if call.caller_waits {
            let now = self.now;
            self.push(now, id, epoch, Kind::Deliver);
        } else {
            self.maybe_free_call(id);
        }
    }

    /// Call `id` ends at its tier after holding a slot: the slot goes to the queue.
    pub(super) fn respond(&mut self, id: u32, outcome: Outcome) {
        let t = usize::from(self.calls[id as usize].tier);
        let now = self.now;
        let tier = &mut self.tiers[t];
        tier.account(now);
        tier.busy -= 1;
        self.calls[id as usize].child = NONE;
        self.end_at_tier(id, outcome);
        self.pull(t);
    }

    /// Fills tier `t`'s free slots from its queue.
    fn pull(&mut self, t: usize) {
        while self.tiers[t].busy < self.tiers[t].slots {
            let Some(next) = self.tiers[t].queue.pop_front() else {
                break;
            };
            if self.calls[next as usize].cancelled {
                self.end_at_tier(next, Outcome::Timeout);
            } else {
                self.serve(next);
            }
        }
    }

    /// Marks call `id` and everything it started below as work nobody waits for.
    fn abandon(&mut self, id: u32) {
        let c = &mut self.calls[id as usize];
        if c.abandoned {
            return;
        }
        c.abandoned = true;
        if c.state == CallState::Waiting && c.child != NONE {
            let child = c.child as usize;
            self.ops[child].abandoned = true;
            for live in self.ops[child].live {
                if live != NONE {
                    self.abandon(live);
                }
            }
        }
    }

    /// The caller of call `id` learns its outcome.
    fn result(&mut self, id: u32, outcome: Outcome) {
        let now = self.now;
        let c = self.calls[id as usize];
        self.calls[id as usize].caller_waits = false;
        let op_id = c.op;
        let level = usize::from(c.tier);
        {
            let o = &mut self.ops[op_id as usize];
            for l in &mut o.live {
                if *l == id {
                    *l = NONE;
                }
            }
        }
        let failed = outcome != Outcome::Ok;
        let link = &mut self.links[level];
        if let Some(b) = &mut link.breaker {
            b.record(now, c.trial, failed, now - c.sent);
        }
        if let Some(t) = &mut link.throttle
            && matches!(outcome, Outcome::Ok | Outcome::Error)
        {
            t.accept(now);
        }
        if let Some(q) = &mut link.quota {
            if failed {
                q.failure();
            } else {
                q.success();
            }
        }
        let op = self.ops[op_id as usize];
        if op.done {
            return;
        }
        if outcome == Outcome::Ok {
            self.finish(op_id, Outcome::Ok);
            return;
        }
        if op.live.iter().any(|&l| l != NONE) {
            return;
        }
        let link = &self.links[level];
        if op.idempotent && op.retries < link.retries && self.retry_allowed(level) {
            let wait = backoff_ns(
                self.cfg.backoff,
                self.cfg.jitter,
                self.cfg.base_ms,
                self.cfg.cap_ms,
                op.retries + 1,
                op.prev_wait,
                &mut self.rng,
            );
            if op.deadline != NEVER && now + wait >= op.deadline {
                self.finish(op_id, outcome);
                return;
            }
            let o = &mut self.ops[op_id as usize];
            o.retries += 1;
            o.prev_wait = wait;
            if wait == 0 {
                self.send(op_id, Send::Retry);
            } else {
                o.retry_pending = true;
                let epoch = o.epoch;
                self.push(now + wait, op_id, epoch, Kind::Retry);
            }
        } else {
            self.finish(op_id, outcome);
        }
    }

    /// Op `op_id` ends with `outcome`: its other attempts are abandoned (a hedge that lost is
    /// cancelled), and its caller learns the result.
    fn finish(&mut self, op_id: u32, outcome: Outcome) {
        let now = self.now;
        let op = self.ops[op_id as usize];
        self.ops[op_id as usize].done = true;
        for live in op.live {
            if live != NONE {
                self.calls[live as usize].caller_waits = false;
                if outcome == Outcome::Ok {
                    self.calls[live as usize].cancelled = true;
                }
                self.abandon(live);
                self.maybe_free_call(live);
            }
        }
        self.ops[op_id as usize].live = [NONE; 2];
        if op.key != NONE {
            self.recomputed(op, outcome);
        }
        if op.parent == NONE && op.level > 0 {
            // A background recomputation: nobody waits for it.
        } else if op.parent == NONE {
            self.in_flight -= 1;
            match outcome {
                Outcome::Ok => {
                    self.counts.successes += 1;
                    let latency = now - op.start;
                    Histogram::record_both(&mut self.hist, &mut self.tick_hist, latency);
                    self.tick_latency_ns += latency as f64;
                }
                Outcome::Error => self.counts.errors += 1,
                Outcome::Refused => self.counts.shed += 1,
                Outcome::Timeout | Outcome::Expired => self.counts.timeouts += 1,
                Outcome::Broken => self.counts.broken += 1,
                Outcome::Throttled => self.counts.throttled += 1,
            }
        } else {
            let up = if outcome == Outcome::Ok {
                Outcome::Ok
            } else {
                Outcome::Error
            };
            self.respond(op.parent, up);
        }
        self.free_ops.push(op_id);
    }

    fn maybe_free_call(&mut self, id: u32) {
        let c = &self.calls[id as usize];
        if !c.caller_waits && c.state == CallState::Done {
            // Mark it so a second free is a no-op: a fresh generation with nothing pending.
            let call = &mut self.calls[id as usize];
            call.epoch = call.epoch.wrapping_add(1);
            call.state = CallState::Queued;
            call.caller_waits = true;
            self.free_calls.push(id);
        }
    }

    /// Closes the tick ending now: the series point.
    pub(crate) fn end_tick(&mut self) {
        let now = self.now;
        let span = now.saturating_sub(self.last_tick).max(1);
        let mut utilisation = [0f32; 3];
        let mut queued = [0u32; 3];
        for (i, t) in self.tiers.iter_mut().enumerate() {
            t.account(now);
            utilisation[i] = (t.held / (f64::from(t.slots) * span as f64)).min(1.0) as f32;
            queued[i] = t.queue.len() as u32;
            t.held = 0.0;
        }
        let mut recomputing = 0;
        if let Some(cache) = &mut self.cache {
            self.counts.cache = cache.counts;
            recomputing = cache.take_tick_peak();
        }
        let counts = self.counts.since(&self.last_counts);
        let secs = span as f64 / 1e9;
        self.series.push(TickPoint {
            at_ms: now as f64 / 1e6,
            counts,
            offered: counts.generated as f64 / secs,
            goodput: counts.successes as f64 / secs,
            mean_ms: if counts.successes > 0 {
                self.tick_latency_ns / counts.successes as f64 / 1e6
            } else {
                0.0
            },
            latency: self.tick_hist.quantiles_ms(),
            utilisation,
            queued,
            breaker: self.breakers(),
            recomputing,
        });
        self.tick_hist.clear();
        self.tick_latency_ns = 0.0;
        self.last_counts = self.counts;
        self.last_tick = now;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Send {
    First,
    Retry,
    Hedge,
}

impl Sim {
    /// Replaces the fault list (a fault added or ended live): the run sees it from now on.
    pub(crate) fn set_faults(&mut self, faults: &[super::config::Fault]) {
        self.cfg.faults = faults.to_vec();
    }

    /// The breaker that opened most often's count of openings, over every link.
    pub(crate) fn breaker_opens(&self) -> u32 {
        self.links
            .iter()
            .filter_map(|l| l.breaker.as_ref().map(|b| b.opens))
            .sum()
    }
}

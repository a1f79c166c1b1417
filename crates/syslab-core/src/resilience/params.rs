//! The resilience lab's parameters, declared once ([`RES_PARAMS`]): readable links
//! (`/resilience?ra=3&rb=3&fault=b:slow10:10000:10000`) that round-trip the whole scenario,
//! `data-*` attributes for embeds, the settings form and `syslab params resilience`; and the
//! lab's work budget ([`MAX_WORK`]).

use super::cache::CacheFix;
use super::config::{
    Backoff, BreakerAt, Fault, FaultKind, Jitter, MAX_DURATION_MS, MAX_FAULTS, MAX_SLOWDOWN,
    ResConfig,
};
use super::lab::ResScenario;
use crate::error::ConfigError;
use crate::format::thousands;
use crate::lb::ServiceDist;
use crate::query::Notice;
use crate::schema::{self, Kind, Param, Show, number};
use crate::{LabScenario, choice_param, flag_param, int_param, num_param};

/// A whole-number field of tier `$t`.
macro_rules! tier_int {
    ($key:literal, $label:literal, $unit:literal, $min:expr, $max:expr, $help:literal, $t:literal, $field:ident) => {
        Param {
            key: $key,
            label: $label,
            help: $help,
            unit: $unit,
            kind: Kind::Int {
                min: $min,
                max: $max,
            },
            show: Show::Form,
            read: |s, t| {
                s.config.tiers[$t].$field = schema::read_int(t, $min, $max)?;
                Ok(())
            },
            write: |s| s.config.tiers[$t].$field.to_string(),
        }
    };
}

/// A tier's mean service time.
macro_rules! tier_ms {
    ($key:literal, $label:literal, $help:literal, $t:literal) => {
        Param {
            key: $key,
            label: $label,
            help: $help,
            unit: "ms",
            kind: Kind::Num {
                min: 0.001,
                max: 60_000.0,
            },
            show: Show::Form,
            read: |s, t| {
                s.config.tiers[$t].service_ms = schema::read_num(t, 0.001, 60_000.0)?;
                Ok(())
            },
            write: |s| number(s.config.tiers[$t].service_ms),
        }
    };
}

/// One element of a `[u32; 3]` field.
macro_rules! array_int {
    ($key:literal, $label:literal, $unit:literal, $min:expr, $max:expr, $help:literal, $field:ident, $i:literal) => {
        Param {
            key: $key,
            label: $label,
            help: $help,
            unit: $unit,
            kind: Kind::Int {
                min: $min,
                max: $max,
            },
            show: Show::Form,
            read: |s, t| {
                s.config.$field[$i] = schema::read_int(t, $min, $max)?;
                Ok(())
            },
            write: |s| s.config.$field[$i].to_string(),
        }
    };
}

/// Every parameter of the resilience lab. Dependent parameters come after what they depend on
/// (the tiers after `depth`, `cap` after `base`, `herdat`, `tick` and `fault` after `dur`).
pub static RES_PARAMS: &[Param<ResScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds the traffic, the service times and every random decision (jitter, errors, throttling).",
        config.seed
    ),
    flag_param!(
        "cmp",
        "Compare",
        "Also run the ladder of policy sets (no retries; 3 retries; with backoff and jitter; plus a budget; plus a breaker) on identical traffic and faults.",
        config.compare
    ),
    int_param!(
        "depth",
        "Tiers",
        "",
        1,
        3,
        "Tiers in the chain: 1 (clients → A), 2 (→ B) or 3 (→ C).",
        config.depth
    ),
    tier_int!(
        "an",
        "A servers",
        "",
        1,
        1_000,
        "Servers in tier A.",
        0,
        servers
    ),
    tier_int!(
        "acap",
        "A capacity",
        "requests",
        1,
        1_000,
        "Requests one A server works on at once; a request holds its slot while it waits for B.",
        0,
        capacity
    ),
    tier_int!(
        "aq",
        "A queue limit",
        "requests",
        0,
        100_000,
        "Requests tier A lets wait; more are shed at once.",
        0,
        queue
    ),
    tier_ms!(
        "ams",
        "A service time",
        "Mean time A works on a request (before calling B).",
        0
    ),
    tier_int!(
        "bn",
        "B servers",
        "",
        1,
        1_000,
        "Servers in tier B.",
        1,
        servers
    ),
    tier_int!(
        "bcap",
        "B capacity",
        "requests",
        1,
        1_000,
        "Requests one B server works on at once.",
        1,
        capacity
    ),
    tier_int!(
        "bq",
        "B queue limit",
        "requests",
        0,
        100_000,
        "Requests tier B lets wait; more are shed at once.",
        1,
        queue
    ),
    tier_ms!(
        "bms",
        "B service time",
        "Mean time B works on a request.",
        1
    ),
    tier_int!(
        "cn",
        "C servers",
        "",
        1,
        1_000,
        "Servers in tier C.",
        2,
        servers
    ),
    tier_int!(
        "ccap",
        "C capacity",
        "requests",
        1,
        1_000,
        "Requests one C server works on at once.",
        2,
        capacity
    ),
    tier_int!(
        "cq",
        "C queue limit",
        "requests",
        0,
        100_000,
        "Requests tier C lets wait; more are shed at once.",
        2,
        queue
    ),
    tier_ms!(
        "cms",
        "C service time",
        "Mean time C works on a request.",
        2
    ),
    choice_param!(
        "dist",
        "Service time",
        ServiceDist,
        "How service times vary around their mean: constant, exponential, or log-normal (a long tail).",
        config.service
    ),
    num_param!(
        "sigma",
        "Log-normal σ",
        "",
        0.0,
        3.0,
        "The spread of the log-normal service time's logarithm.",
        config.sigma
    ),
    Param {
        key: "rate",
        label: "Request rate",
        help: "Requests per second the clients send (above 0).",
        unit: "requests/s",
        kind: Kind::Num {
            min: 0.0,
            max: 1_000_000.0,
        },
        show: Show::Form,
        read: |s, t| {
            let rate = schema::read_num(t, 0.0, 1_000_000.0)?;
            if rate == 0.0 {
                return Err("a number above 0 and at most 1000000".to_owned());
            }
            s.config.rate = rate;
            Ok(())
        },
        write: |s| number(s.config.rate),
    },
    num_param!(
        "rvar",
        "Rate variability",
        "",
        0.0,
        10.0,
        "Coefficient of variation of the gaps between requests: 0 is a steady beat, 1 is Poisson.",
        config.rate_cv
    ),
    array_int!(
        "toa",
        "Timeout into A",
        "ms",
        0,
        600_000,
        "How long a client waits for one attempt at A; 0 waits forever.",
        timeouts_ms,
        0
    ),
    array_int!(
        "tob",
        "Timeout into B",
        "ms",
        0,
        600_000,
        "How long A waits for one attempt at B; 0 waits forever.",
        timeouts_ms,
        1
    ),
    array_int!(
        "toc",
        "Timeout into C",
        "ms",
        0,
        600_000,
        "How long B waits for one attempt at C; 0 waits forever.",
        timeouts_ms,
        2
    ),
    int_param!(
        "deadline",
        "Deadline",
        "ms",
        0,
        600_000,
        "The client's overall deadline per request (0: none): after it the request has timed out, whatever is still running.",
        config.deadline_ms
    ),
    flag_param!(
        "prop",
        "Propagate deadline",
        "Each call carries its deadline down the chain: a tier drops queued work whose caller has given up, and stops calling below.",
        config.propagate
    ),
    array_int!(
        "ra",
        "Retries into A",
        "",
        0,
        10,
        "Retries of a failed or timed-out attempt at A, by the client.",
        retries,
        0
    ),
    array_int!(
        "rb",
        "Retries into B",
        "",
        0,
        10,
        "Retries of a failed or timed-out attempt at B, by A.",
        retries,
        1
    ),
    array_int!(
        "rc",
        "Retries into C",
        "",
        0,
        10,
        "Retries of a failed or timed-out attempt at C, by B.",
        retries,
        2
    ),
    num_param!(
        "idem",
        "Idempotent share",
        "",
        0.0,
        1.0,
        "Share of requests that are idempotent: only those are retried or hedged.",
        config.idempotent
    ),
    choice_param!(
        "backoff",
        "Backoff",
        Backoff,
        "How long a caller waits before a retry: not at all, a fixed base, or base × 2^(retry − 1) up to the cap.",
        config.backoff
    ),
    num_param!(
        "base",
        "Backoff base",
        "ms",
        0.001,
        600_000.0,
        "The backoff's base delay.",
        config.base_ms
    ),
    num_param!(
        "cap",
        "Backoff cap",
        "ms",
        0.001,
        600_000.0,
        "The longest backoff (at least the base).",
        config.cap_ms
    ),
    choice_param!(
        "jitter",
        "Jitter",
        Jitter,
        "How the backoff is randomised (AWS Architecture Blog, 2015): none, full (0 to the backoff), equal (half plus up to half) or decorrelated.",
        config.jitter
    ),
    flag_param!(
        "budget",
        "Retry budget",
        "Each caller keeps a retry budget as Finagle does: retries within a ratio of the requests of the last 10 s, plus a minimum per second.",
        config.budget
    ),
    num_param!(
        "bratio",
        "Budget ratio",
        "",
        0.0,
        1.0,
        "Retries allowed per request (Finagle's default 0.2, 20%).",
        config.budget_ratio
    ),
    num_param!(
        "bfloor",
        "Budget minimum",
        "retries/s",
        0.0,
        10_000.0,
        "Retries per second always allowed (Finagle's default 10).",
        config.budget_min
    ),
    int_param!(
        "quota",
        "Retry quota",
        "tokens",
        0,
        100_000,
        "gRPC-style retry throttling: a bucket of this many tokens, one taken per failed attempt; retries only while more than half remain (0: off).",
        config.quota
    ),
    num_param!(
        "qratio",
        "Quota token ratio",
        "",
        0.001,
        100.0,
        "Tokens a successful attempt puts back (gRPC's tokenRatio).",
        config.quota_ratio
    ),
    choice_param!(
        "brk",
        "Circuit breaker",
        BreakerAt,
        "Which calls go through a circuit breaker (closed, open, half-open; resilience4j's defaults).",
        config.breaker.at
    ),
    num_param!(
        "bfail",
        "Failure threshold",
        "%",
        1.0,
        100.0,
        "Failure rate at or above which the breaker opens (resilience4j: 50%).",
        config.breaker.failure_pct
    ),
    int_param!(
        "bwin",
        "Breaker window",
        "calls",
        1,
        10_000,
        "Calls in the breaker's count-based sliding window (resilience4j: 100).",
        config.breaker.window
    ),
    int_param!(
        "bmin",
        "Minimum calls",
        "calls",
        1,
        10_000,
        "Calls recorded before the breaker judges a rate (resilience4j: 100).",
        config.breaker.min_calls
    ),
    int_param!(
        "bwait",
        "Wait in open",
        "ms",
        1,
        3_600_000,
        "How long the breaker stays open before trial calls (resilience4j: 60 s).",
        config.breaker.wait_ms
    ),
    int_param!(
        "bhalf",
        "Trial calls",
        "calls",
        1,
        1_000,
        "Calls let through in half-open (resilience4j: 10).",
        config.breaker.half_open
    ),
    int_param!(
        "bslow",
        "Slow call",
        "ms",
        0,
        3_600_000,
        "A call slower than this counts as slow (resilience4j: 60 s; 0: never).",
        config.breaker.slow_ms
    ),
    num_param!(
        "bslowrate",
        "Slow-call threshold",
        "%",
        1.0,
        100.0,
        "Slow-call rate at or above which the breaker opens (resilience4j: 100%).",
        config.breaker.slow_pct
    ),
    flag_param!(
        "thr",
        "Adaptive throttling",
        "Each caller rejects locally with probability max(0, (requests − K × accepts) / (requests + 1)) (Google SRE book).",
        config.throttle
    ),
    num_param!(
        "k",
        "Throttle K",
        "",
        1.0,
        10.0,
        "The throttle's multiplier: it sends up to K times what the tier below accepts (SRE book: 2).",
        config.throttle_k
    ),
    int_param!(
        "twin",
        "Throttle window",
        "s",
        1,
        600,
        "The window the throttle counts requests and accepts over (SRE book: 2 minutes).",
        config.throttle_window_s
    ),
    int_param!(
        "hedge",
        "Hedge after",
        "ms",
        0,
        600_000,
        "Send a second copy of an idempotent call still unanswered after this long, and cancel the loser (0: no hedging).",
        config.hedge_ms
    ),
    Param {
        key: "spike",
        label: "Traffic spike",
        help: "START:LENGTH:FACTOR: from START ms, for LENGTH ms, the request rate is multiplied by FACTOR (1 to 100; 1 is no spike).",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            let (at, len, factor) = schema::read_window_factor(
                t,
                MAX_DURATION_MS,
                "a whole number of ms up to one hour",
            )?;
            (
                s.config.spike_at_ms,
                s.config.spike_ms,
                s.config.spike_factor,
            ) = (at, len, factor);
            Ok(())
        },
        write: |s| {
            let c = &s.config;
            format!(
                "{}:{}:{}",
                c.spike_at_ms,
                c.spike_ms,
                number(c.spike_factor)
            )
        },
    },
    int_param!(
        "herd",
        "Herd",
        "requests",
        0,
        1_000_000,
        "Extra requests all sent at one instant (a launch, clients reconnecting together).",
        config.herd
    ),
    int_param!(
        "dur",
        "Run length",
        "ms",
        1,
        3_600_000,
        "Length of the run.",
        config.duration_ms
    ),
    int_param!(
        "herdat",
        "Herd time",
        "ms",
        0,
        3_600_000,
        "When the herd arrives (inside the run).",
        config.herd_at_ms
    ),
    int_param!(
        "tick",
        "Step",
        "ms",
        1,
        3_600_000,
        "Simulated time one step advances; at most the run's length and 10,000 steps a run.",
        config.tick_ms
    ),
    Param {
        key: "fault",
        label: "Faults",
        help: "Faults in time order, comma-separated: TIER:KIND:START:LENGTH, TIER a, b or c, KIND slowN (N times slower), errP (a share P of requests fail) or down, times in ms, such as b:slow10:10000:5000.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.faults = parse_faults(t)?;
            Ok(())
        },
        write: |s| {
            s.config
                .faults
                .iter()
                .map(format_fault)
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    flag_param!(
        "cache",
        "Cache in front of B",
        "A reads a cache before calling B: a share of its calls read hot keys whose values expire after the TTL, and a miss recomputes the value at B.",
        config.cache.on
    ),
    choice_param!(
        "fix",
        "Stampede fix",
        CacheFix,
        "What keeps an expiring hot key from sending every reader to B at once: none, request coalescing (single-flight), a lock with waiters, stale-while-revalidate, probabilistic early expiration (XFetch) or TTL jitter.",
        config.cache.fix
    ),
    flag_param!(
        "fixcmp",
        "Compare fixes",
        "With the cache on, also run every other stampede fix on identical traffic, side by side.",
        config.compare_fixes
    ),
    int_param!(
        "ttl",
        "TTL",
        "ms",
        1,
        3_600_000,
        "How long a written value stays fresh.",
        config.cache.ttl_ms
    ),
    num_param!(
        "hot",
        "Hot-key share",
        "",
        0.0,
        1.0,
        "Share of A's calls to B that read the cached keys; the others go to B as without a cache.",
        config.cache.hot
    ),
    int_param!(
        "keys",
        "Cached keys",
        "keys",
        1,
        100_000,
        "Keys the hot share is spread over, evenly (1: one hot key). Every key is written at the start.",
        config.cache.keys
    ),
    num_param!(
        "rms",
        "Recompute time",
        "ms",
        0.001,
        60_000.0,
        "Mean time B takes to recompute a cached value (with B's service-time distribution).",
        config.cache.recompute_ms
    ),
    num_param!(
        "beta",
        "XFetch β",
        "",
        0.01,
        100.0,
        "XFetch recomputes when now − δ·β·ln(rand) ≥ expiry, δ the last recompute time: above 1 earlier, below 1 later (the paper's default 1).",
        config.cache.beta
    ),
    num_param!(
        "tjit",
        "TTL jitter",
        "",
        0.0,
        1.0,
        "With TTL jitter, each value lives TTL × (1 − tjit × U), U uniform from 0 to 1, so keys written together expire apart.",
        config.cache.jitter
    ),
    int_param!(
        "stale",
        "Stale window",
        "ms",
        0,
        3_600_000,
        "Stale-while-revalidate: how long after expiry the old value is still served while one background recomputation refreshes it.",
        config.cache.stale_ms
    ),
    int_param!(
        "lease",
        "Lock lease",
        "ms",
        1,
        3_600_000,
        "A lock not released by then is free again, and a waiter that has waited this long recomputes itself.",
        config.cache.lease_ms
    ),
    int_param!(
        "poll",
        "Lock poll",
        "ms",
        1,
        3_600_000,
        "How often a caller waiting on the lock looks at the cache again.",
        config.cache.poll_ms
    ),
    int_param!(
        "step",
        "Steps taken",
        "steps",
        0,
        u64::MAX,
        "How many steps of the run were taken; one more than the run's steps includes the final drain.",
        steps
    ),
];

/// The most simulated attempts one run may send, summed over the compared policy sets
/// ([`ResWork::work`]).
///
/// It bounds time and memory: the estimate is an upper bound (every request retried and
/// hedged as often as allowed at every layer), and every attempt held costs about 80 bytes.
/// Every preset is far below it.
pub const MAX_WORK: f64 = 8_000_000.0;

/// What a run will cost at most, estimated from its config before it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResWork {
    /// Policy sets run side by side: 1, plus 5 comparing policies, plus 5 comparing fixes.
    pub runs: u32,
    /// Requests the clients send (the spike and the herd included).
    pub requests: f64,
    /// Attempts at the deepest tier if every request were retried and hedged as often as
    /// allowed at every layer, summed over the tiers, per run.
    pub attempts: f64,
    /// Whether a run's waiters poll a lock (their polls are in `attempts`).
    pub polls: bool,
    /// Whether the cache's fixes are compared.
    pub fixes: bool,
}

impl ResWork {
    /// The estimate for `c` (which should be valid).
    pub fn of(c: &ResConfig) -> Self {
        let duration = f64::from(c.duration_ms);
        let spike_end = c.spike_at_ms.saturating_add(c.spike_ms).min(c.duration_ms);
        let spike = f64::from(spike_end.saturating_sub(c.spike_at_ms));
        let requests =
            c.rate / 1_000.0 * (duration + (c.spike_factor - 1.0) * spike) + f64::from(c.herd);
        let mut runs = vec![c.clone()];
        if c.compare {
            runs.extend(c.ladder().into_iter().map(|(_, r)| r));
        }
        let fixes = c.fixes();
        let compares_fixes = !fixes.is_empty();
        runs.extend(fixes.into_iter().map(|(_, r)| r));
        let polls = runs
            .iter()
            .any(|r| r.cache.on && r.cache.fix == CacheFix::Lock);
        let attempts_of = |r: &ResConfig| {
            let hedge = if r.hedge_ms > 0 { 1.0 } else { 0.0 };
            let mut per_request = 1.0;
            let mut total = 0.0;
            for tier in 0..r.depth() {
                per_request *= 1.0 + f64::from(r.retries[tier]) + hedge;
                total += per_request;
            }
            // A lock's waiters look at the cache once per poll for up to a lease each.
            let k = &r.cache;
            let polls = if k.on && k.fix == CacheFix::Lock {
                k.hot * k.polls_per_wait()
            } else {
                0.0
            };
            (total + polls) * requests
        };
        let attempts = runs.iter().map(attempts_of).fold(0.0, f64::max);
        Self {
            runs: runs.len() as u32,
            requests,
            attempts,
            polls,
            fixes: compares_fixes,
        }
    }

    /// Attempts over every run: what [`MAX_WORK`] bounds.
    pub fn work(&self) -> f64 {
        f64::from(self.runs) * self.attempts
    }

    /// Checks the budget, with a sentence naming the parameters and the numbers.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.work() > MAX_WORK {
            let n = |x: f64| thousands(x.round() as u64);
            return Err(ConfigError::Invalid(format!(
                "the run could send {} attempts ({} run(s) × {} requests, every retry and \
                 hedge at every tier{}), over the budget of {}: lower rate, dur, spike or herd, \
                 retry less (ra, rb, rc){}, or compare less (cmp{})",
                n(self.work()),
                self.runs,
                n(self.requests),
                if self.polls { ", lock polls" } else { "" },
                n(MAX_WORK),
                if self.polls { ", poll less" } else { "" },
                if self.fixes { ", fixcmp" } else { "" },
            )));
        }
        Ok(())
    }
}

impl LabScenario for ResScenario {
    fn version(&self) -> u32 {
        self.version
    }

    /// The config's own checks, then the work budget.
    fn check(&self) -> Result<(), ConfigError> {
        self.config.validate()?;
        ResWork::of(&self.config).check()
    }

    /// A step count past the run's end is clamped to it.
    fn settle(&mut self, notices: &mut Vec<Notice>) {
        let total = self.config.n_ticks() + 1;
        schema::clamp_steps(
            &mut self.steps,
            total,
            " (the final drain included)",
            notices,
        );
    }
}

fn format_fault(f: &Fault) -> String {
    format!(
        "{}:{}:{}:{}",
        ["a", "b", "c"][usize::from(f.tier.min(2))],
        f.kind.id(),
        f.at_ms,
        f.len_ms
    )
}

/// Reads the `fault` list: each fault well formed, in time order, at most [`MAX_FAULTS`].
/// Whether the tiers exist and the windows fall inside the run is checked with the whole
/// scenario.
fn parse_faults(text: &str) -> Result<Vec<Fault>, String> {
    let faults = schema::read_list(text, MAX_FAULTS, "faults", |i, item| {
        parse_fault(item).map_err(|why| {
            schema::list_item_error("TIER:KIND:START:LENGTH faults", "fault", i, item, &why)
        })
    })?;
    schema::in_time_order(&faults, "faults", "fault", |f| u64::from(f.at_ms))?;
    Ok(faults)
}

fn parse_fault(item: &str) -> Result<Fault, String> {
    let parts: Vec<&str> = item.split(':').collect();
    let [tier, kind, at, len] = parts.as_slice() else {
        return Err("expected TIER:KIND:START:LENGTH".to_owned());
    };
    let tier = match *tier {
        "a" => 0,
        "b" => 1,
        "c" => 2,
        other => {
            return Err(format!(
                "the tier {} is not a, b or c",
                schema::quote(other)
            ));
        }
    };
    let ms = |t: &str, what: &str| {
        t.parse::<u32>()
            .ok()
            .filter(|&v| v <= MAX_DURATION_MS)
            .ok_or_else(|| {
                format!(
                    "the {what} {} is not a whole number of ms up to one hour",
                    schema::quote(t)
                )
            })
    };
    let kind = if *kind == "down" {
        FaultKind::Down
    } else if let Some(m) = kind.strip_prefix("slow") {
        FaultKind::Slow(
            schema::read_num(m, 1.0, MAX_SLOWDOWN)
                .map_err(|e| format!("the slow-down is not {e}"))?,
        )
    } else if let Some(p) = kind.strip_prefix("err") {
        FaultKind::Errors(
            schema::read_num(p, 0.0, 1.0).map_err(|e| format!("the error share is not {e}"))?,
        )
    } else {
        return Err(format!(
            "the kind {} is not slowN, errP or down",
            schema::quote(kind)
        ));
    };
    Ok(Fault {
        tier,
        kind,
        at_ms: ms(at, "start")?,
        len_ms: ms(len, "length")?,
    })
}

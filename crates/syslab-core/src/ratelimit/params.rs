//! The rate-limiter lab's parameters, declared once ([`RATE_LIMIT_PARAMS`]): readable links
//! (`/rate-limiter?alg=gcra&limit=10&traffic=spike`) that round-trip the whole scenario, the
//! `data-*` attributes of embeds, the settings form and `syslab params rate-limiter`; and the
//! checks a scenario must pass, with the lab's work budget ([`MAX_WORK`]).

use super::cluster::{Balancer, MAX_INSTANCES, MAX_RTT_US, StoreMode};
use super::config::{KeyKind, MAX_BURST, MAX_LIMIT, MAX_MS, MAX_QUEUE, RateLimitConfig};
use super::kind::AlgorithmKind;
use super::lab::RateLimitScenario;
use super::traffic::{MAX_CLIENTS, MAX_RATE, Pattern};
use crate::error::ConfigError;
use crate::format::thousands;
use crate::query::Notice;
use crate::schema::{self, Kind, Param, Show};
use crate::{LabScenario, choice_param, int_param, num_param};

/// The most work one run may take, in simulated decisions: the expected requests (the highest
/// rate of the traffic × the run's length, as the arrival bound counts them) × the algorithms
/// deciding them, where a sliding log in a non-atomic store counts `1 + limit / 1,000` per
/// request because every decision copies its log.
///
/// It bounds the time a link, a file or a settings change can make the lab compute: the
/// browser replays the run on every change, and the CLI runs it whole. A decision costs about
/// 0.1 µs with a few client keys and up to about 1 µs with 100,000 key states, and copying a
/// racy 10,000-entry log about 4 µs. The heaviest runs 2,000,000 admits, measured natively in
/// release: a million requests over 100,000 key states with two algorithms, 1.7 s; all seven
/// algorithms on 285,000 requests, 1.3 s; a racy 10,000-entry log on 181,000 requests, 0.4 s.
/// The largest preset needs 18,000. Together with the arrival bound ([`super::MAX_ARRIVALS`],
/// per algorithm) it allows a million requests with one or two algorithms, or all seven on
/// 285,000.
pub const MAX_WORK: u64 = 2_000_000;

/// The algorithms' ids, for messages.
fn algorithm_ids() -> String {
    let ids: Vec<&str> = AlgorithmKind::CHOICES.iter().map(|c| c.id).collect();
    ids.join(", ")
}

/// Every parameter of the rate-limiter lab. Dependent parameters come after what they depend
/// on: the step after the run's length, and the traffic's rates after the run's length, so
/// that a rate too high for the run is what falls back, not the run.
pub static RATE_LIMIT_PARAMS: &[Param<RateLimitScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds the traffic and a random balancer: a new seed gives new arrivals.",
        config.seed
    ),
    choice_param!(
        "alg",
        "Algorithm",
        AlgorithmKind,
        "The algorithm the lab shows; it always has a row in the comparison.",
        config.algorithm
    ),
    Param {
        key: "cmp",
        label: "Compared algorithms",
        help: "The algorithms run on the identical traffic for the comparison table, \
               comma-separated (sliding_log,gcra); each at most once.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.compare = parse_algorithms(t).ok_or_else(|| {
                format!(
                    "a comma-separated list of algorithms from {}",
                    algorithm_ids()
                )
            })?;
            Ok(())
        },
        write: |s| {
            s.config
                .compare
                .iter()
                .map(|k| k.id())
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    int_param!(
        "limit",
        "Limit",
        "requests per window",
        1,
        MAX_LIMIT as u64,
        "Requests allowed per window and key. The buckets and GCRA refill or drain at limit / \
         window.",
        config.limit
    ),
    int_param!(
        "window",
        "Window",
        "ms",
        1,
        MAX_MS as u64,
        "The window the limit counts in (1 ms to 1 hour), also the span of the \"most in any \
         window\" metric.",
        config.window_ms
    ),
    int_param!(
        "burst",
        "Burst / capacity",
        "requests",
        1,
        MAX_BURST as u64,
        "Token-bucket and leaky-meter capacity and GCRA's burst: requests allowed at once.",
        config.burst
    ),
    int_param!(
        "queue",
        "Queue size",
        "requests",
        1,
        MAX_QUEUE as u64,
        "Requests the leaky bucket (queue) may hold waiting.",
        config.queue
    ),
    choice_param!(
        "by",
        "Counted per",
        KeyKind,
        "What the limit is counted per: all traffic, API key, user or IP address.",
        config.key
    ),
    int_param!(
        "per",
        "Clients per user / IP",
        "clients",
        1,
        MAX_CLIENTS as u64,
        "API keys per user, or clients behind one IP address.",
        config.clients_per_key
    ),
    int_param!(
        "inst",
        "Limiter instances",
        "instances",
        1,
        MAX_INSTANCES as u64,
        "Limiter instances behind the load balancer.",
        config.cluster.instances
    ),
    choice_param!(
        "lb",
        "Balancer",
        Balancer,
        "How the load balancer picks an instance for each request.",
        config.cluster.balancer
    ),
    choice_param!(
        "store",
        "Counters",
        StoreMode,
        "Whether instances count on their own or share a central store, updated atomically \
         or read then written.",
        config.cluster.store
    ),
    int_param!(
        "rtt",
        "Store round trip",
        "µs",
        0,
        MAX_RTT_US as u64,
        "Round trip from an instance to the central store (0 to 10 s).",
        config.cluster.rtt_us
    ),
    int_param!(
        "dur",
        "Run length",
        "ms",
        1,
        MAX_MS as u64,
        "Length of the run (1 ms to 1 hour).",
        config.duration_ms
    ),
    int_param!(
        "tick",
        "Step",
        "ms",
        1,
        MAX_MS as u64,
        "Simulated time one step advances: at most the run's length, and at most 100,000 steps \
         per run.",
        config.tick_ms
    ),
    choice_param!(
        "traffic",
        "Traffic pattern",
        Pattern,
        "The shape of the traffic over time.",
        config.traffic.pattern
    ),
    num_param!(
        "rate",
        "Rate",
        "requests/s",
        0.0,
        MAX_RATE,
        "The base rate of all well-behaved clients together.",
        config.traffic.rate
    ),
    num_param!(
        "peak",
        "Peak",
        "requests/s",
        0.0,
        MAX_RATE,
        "The rate during bursts and the spike, at the end of the ramp, and of each abusive \
         client of the mix.",
        config.traffic.peak
    ),
    int_param!(
        "clients",
        "Clients",
        "clients",
        1,
        MAX_CLIENTS as u64,
        "How many well-behaved clients send the traffic.",
        config.traffic.clients
    ),
    int_param!(
        "abusers",
        "Abusive clients",
        "clients",
        0,
        1_000,
        "Abusive clients in the mix, each sending the peak rate.",
        config.traffic.abusers
    ),
    int_param!(
        "on",
        "Burst length",
        "ms",
        1,
        MAX_MS as u64,
        "Length of each burst, and of the spike.",
        config.traffic.on_ms
    ),
    int_param!(
        "off",
        "Pause",
        "ms",
        0,
        MAX_MS as u64,
        "Quiet time between bursts.",
        config.traffic.off_ms
    ),
    Param {
        key: "step",
        label: "Steps taken",
        help: "How many steps (Play, Step) were taken; the lab replays them.",
        unit: "steps",
        kind: Kind::Int {
            min: 0,
            max: u64::MAX,
        },
        show: Show::LinkOnly,
        read: |s, t| {
            s.steps = crate::schema::read_int(t, 0, u64::MAX)?;
            Ok(())
        },
        write: |s| s.steps.to_string(),
    },
];

/// Reads a comma-separated list of algorithm ids (empty items are skipped); `None` if one is
/// not an algorithm. Repeats are kept here and dropped, with a notice, by
/// [`LabScenario::adjust`].
fn parse_algorithms(text: &str) -> Option<Vec<AlgorithmKind>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(AlgorithmKind::from_id)
        .collect()
}

/// The work a run of `config` takes, in the units of [`MAX_WORK`].
pub fn work(config: &RateLimitConfig) -> u64 {
    let requests = expected_requests(config);
    let per_request: u64 = config
        .algorithms()
        .into_iter()
        .map(|kind| {
            let copies_log =
                kind == AlgorithmKind::SlidingLog && config.cluster.store == StoreMode::Racy;
            1 + if copies_log {
                u64::from(config.limit) / 1_000
            } else {
                0
            }
        })
        .sum();
    requests.saturating_mul(per_request)
}

/// The requests the arrival bound counts: the traffic's highest rate × the run's length.
fn expected_requests(config: &RateLimitConfig) -> u64 {
    let expected = config.traffic.max_rate() * config.duration().secs_f64();
    if expected.is_finite() && expected > 0.0 {
        libm::ceil(expected).min(u64::MAX as f64) as u64
    } else {
        0
    }
}

/// Checks `config` against [`MAX_WORK`], naming the parameters that set the work.
fn check_work(config: &RateLimitConfig) -> Result<(), ConfigError> {
    let work = work(config);
    if work <= MAX_WORK {
        return Ok(());
    }
    let n_algorithms = config.algorithms().len();
    let racy_log = config.cluster.store == StoreMode::Racy
        && config.algorithms().contains(&AlgorithmKind::SlidingLog);
    Err(ConfigError::Invalid(format!(
        "this run needs {} decisions, more than the lab's budget of {}: {} requests (the \
         highest rate from rate, peak and abusers × dur) decided by {} (alg and cmp){}; lower \
         the rate, shorten dur or compare fewer algorithms",
        thousands(work),
        thousands(MAX_WORK),
        thousands(expected_requests(config)),
        if n_algorithms == 1 {
            "1 algorithm".to_owned()
        } else {
            format!("{n_algorithms} algorithms")
        },
        if racy_log {
            ", a sliding log in a racy store counting 1 + limit / 1,000"
        } else {
            ""
        },
    )))
}

impl LabScenario for RateLimitScenario {
    fn version(&self) -> u32 {
        self.version
    }

    /// The config's own checks, then the work budget ([`MAX_WORK`]).
    fn check(&self) -> Result<(), ConfigError> {
        self.config.validate()?;
        check_work(&self.config)
    }

    /// Two repairs are better than a revert: a comparison that repeats an algorithm drops the
    /// repeats, and a step longer than the run becomes the run.
    fn adjust(&mut self) -> Option<Notice> {
        let c = &mut self.config;
        let mut seen = Vec::new();
        let mut repeats = Vec::new();
        let mut compare = Vec::new();
        for kind in &c.compare {
            if seen.contains(kind) {
                if !repeats.contains(&kind.id()) {
                    repeats.push(kind.id());
                }
            } else {
                seen.push(*kind);
                compare.push(*kind);
            }
        }
        if !repeats.is_empty() {
            c.compare = compare;
            return Some(Notice::new(
                "cmp",
                format!(
                    "lists {} more than once; dropped the repeats",
                    repeats.join(", ")
                ),
            ));
        }
        if c.duration_ms >= 1 && c.tick_ms > c.duration_ms {
            let notice = Notice::new(
                "tick",
                format!(
                    "a step of {} ms is longer than the {} ms run; using {} ms",
                    c.tick_ms, c.duration_ms, c.duration_ms
                ),
            );
            c.tick_ms = c.duration_ms;
            return Some(notice);
        }
        None
    }

    /// Steps beyond the run's end are clamped to it.
    fn settle(&mut self, notices: &mut Vec<Notice>) {
        let c = &self.config;
        let total = u64::from(c.duration_ms).div_ceil(u64::from(c.tick_ms.max(1)));
        schema::clamp_steps(&mut self.steps, total, "", notices);
    }
}

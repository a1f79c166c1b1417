//! The load-balancer lab's parameters, declared once ([`LB_PARAMS`]): readable links
//! (`/load-balancer?alg=peak_ewma&cmp=1&ev=3000:3:slow10`) that round-trip the whole
//! scenario exactly, `data-*` attributes for embeds, the settings form and
//! `syslab params load-balancer`; and the lab's work budget ([`MAX_WORK`], [`MAX_HELD`]).

use super::balancer::Algorithm;
use super::config::{
    LbConfig, MAX_CHANGES, MAX_DURATION_MS, MAX_RATE, MAX_SLOWDOWN, ServerChange, ServerState,
    ServiceDist,
};
use super::lab::LbScenario;
use crate::error::ConfigError;
use crate::format::thousands;
use crate::query::Notice;
use crate::schema::{self, Kind, Param, Show, number};
use crate::{LabScenario, choice_param, flag_param, int_param, num_param};

/// Every parameter of the load-balancer lab. Dependent parameters come after what they depend
/// on (`spool` after `servers` and `l7`, `hct` after `hc`, `tick` and `ev` after `dur`), so
/// that when a link's parameters do not fit together, the dependent one falls back.
pub static LB_PARAMS: &[Param<LbScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds the traffic (arrival times, clients, costs) and the random algorithms.",
        config.seed
    ),
    choice_param!(
        "alg",
        "Algorithm",
        Algorithm,
        "The algorithm the lab shows; in comparison mode it is the first row of the table.",
        config.algorithm
    ),
    flag_param!(
        "cmp",
        "Compare",
        "Also run every other algorithm on the identical traffic, for the comparison table.",
        config.compare
    ),
    int_param!(
        "servers",
        "Servers",
        "",
        1,
        1_000,
        "Servers behind the balancer.",
        config.servers
    ),
    num_param!(
        "spread",
        "Power spread",
        "",
        0.0,
        0.9,
        "Server powers run evenly from 1 − spread to 1 + spread; the weighted algorithms \
         weight servers by their power.",
        config.spread
    ),
    int_param!(
        "cap",
        "Capacity",
        "requests",
        1,
        10_000,
        "Requests a server serves at once.",
        config.capacity
    ),
    int_param!(
        "queue",
        "Queue limit",
        "requests",
        0,
        10_000_000,
        "Requests a server lets wait when all its slots are busy; more are refused (503).",
        config.queue_limit
    ),
    choice_param!(
        "dist",
        "Service time",
        ServiceDist,
        "How a server's service time varies around the request's cost: exactly the cost, \
         exponential (M/M/c) or log-normal (a long tail).",
        config.service
    ),
    num_param!(
        "sigma",
        "Log-normal σ",
        "",
        0.0,
        3.0,
        "The spread of the log-normal service time's logarithm; larger is a longer tail.",
        config.sigma
    ),
    Param {
        key: "rate",
        label: "Request rate",
        help: "Requests per second arriving at the balancer (above 0).",
        unit: "requests/s",
        kind: Kind::Num {
            min: 0.0,
            max: MAX_RATE,
        },
        show: Show::Form,
        read: |s, t| {
            let rate = schema::read_num(t, 0.0, MAX_RATE)?;
            if rate == 0.0 {
                return Err(format!("a number above 0 and at most {}", number(MAX_RATE)));
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
        "Coefficient of variation of the gaps between arrivals: 0 is a steady beat, 1 is \
         Poisson, above 1 is bursty.",
        config.rate_cv
    ),
    Param {
        key: "burst",
        label: "Burst",
        help: "START:LENGTH:FACTOR: from START ms, for LENGTH ms, the request rate is \
               multiplied by FACTOR (1 to 100; 1 is no burst).",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            let (at, len, factor) =
                schema::read_window_factor(t, u32::MAX, "a whole number of ms")?;
            (
                s.config.burst_at_ms,
                s.config.burst_ms,
                s.config.burst_factor,
            ) = (at, len, factor);
            Ok(())
        },
        write: |s| {
            let c = &s.config;
            format!(
                "{}:{}:{}",
                c.burst_at_ms,
                c.burst_ms,
                number(c.burst_factor)
            )
        },
    },
    num_param!(
        "cost",
        "Request cost",
        "ms",
        0.001,
        60_000.0,
        "Mean cost of a request: its service time on an average server.",
        config.cost_ms
    ),
    num_param!(
        "cvar",
        "Cost variability",
        "",
        0.0,
        10.0,
        "Coefficient of variation of request costs: 0 makes every request equally expensive, \
         3 makes a few very expensive.",
        config.cost_cv
    ),
    int_param!(
        "clients",
        "Clients",
        "",
        1,
        100_000,
        "Distinct clients sending the requests.",
        config.clients
    ),
    flag_param!(
        "proxy",
        "One proxy",
        "Put every client behind one forward proxy: the balancer sees one source address.",
        config.proxy
    ),
    flag_param!(
        "l7",
        "Layer 7",
        "Route at layer 7: /static to the static pool, /api to the rest, hashing on the \
         X-User header instead of the source address.",
        config.l7
    ),
    num_param!(
        "static",
        "Static share",
        "",
        0.0,
        1.0,
        "Share of requests for /static (the rest are /api).",
        config.static_share
    ),
    int_param!(
        "spool",
        "Static pool",
        "servers",
        1,
        999,
        "Servers in the static pool at layer 7 (the last ones); fewer than all servers.",
        config.static_servers
    ),
    int_param!(
        "hop",
        "Network delay",
        "µs",
        0,
        1_000_000,
        "One-way delay between the balancer and a server.",
        config.hop_us
    ),
    int_param!(
        "timeout",
        "Timeout",
        "ms",
        0,
        600_000,
        "How long the balancer waits for a response before giving up on an attempt; 0 waits \
         forever.",
        config.timeout_ms
    ),
    int_param!(
        "retries",
        "Retries",
        "",
        0,
        10,
        "Retries of a request after a timeout or a refusal.",
        config.retries
    ),
    num_param!(
        "budget",
        "Retry budget",
        "",
        0.0,
        1.0,
        "Retries may be at most this share of requests (plus 10).",
        config.retry_budget
    ),
    int_param!(
        "hc",
        "Health-check interval",
        "ms",
        0,
        3_600_000,
        "Time between two health probes of a server; 0 turns health checks off.",
        config.health.interval_ms
    ),
    int_param!(
        "hct",
        "Health-check timeout",
        "ms",
        1,
        3_600_000,
        "How long a probe may take before it counts as failed; at most the interval.",
        config.health.timeout_ms
    ),
    int_param!(
        "fall",
        "Failures to mark down",
        "",
        1,
        100,
        "Consecutive failed probes that take a healthy server out.",
        config.health.fall
    ),
    int_param!(
        "rise",
        "Successes to mark up",
        "",
        1,
        100,
        "Consecutive successful probes that bring a server back.",
        config.health.rise
    ),
    int_param!(
        "decay",
        "Peak EWMA decay",
        "ms",
        1,
        600_000,
        "How fast peak EWMA forgets a past latency spike.",
        config.decay_ms
    ),
    num_param!(
        "eps",
        "ε (bounded loads)",
        "",
        0.01,
        10.0,
        "Consistent hashing with bounded loads caps each server at (1 + ε) × the mean load.",
        config.epsilon
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
        "tick",
        "Step",
        "ms",
        1,
        3_600_000,
        "Simulated time one step advances; at most the run's length and 10,000 steps a run.",
        config.tick_ms
    ),
    Param {
        key: "ev",
        label: "Server changes",
        help: "Server changes in time order, comma-separated: MS:SERVER:STATE, where SERVER \
               counts from 1 and STATE is up, down or slowN (N times slower, 1 to 1,000), \
               such as 3000:3:slow10.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.changes = parse_changes(t)?;
            Ok(())
        },
        write: |s| {
            s.config
                .changes
                .iter()
                .map(format_change)
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    int_param!(
        "step",
        "Steps taken",
        "steps",
        0,
        u64::MAX,
        "How many steps (ticks) of the run were taken; one more than the run's steps includes \
         the final drain.",
        steps
    ),
];

/// The most simulated work one run may take, in request attempts and health probes summed
/// over the compared algorithms ([`LbWork::work`]).
///
/// It bounds the time a run takes. Runs at the limit (`rate=83000&cmp=1`, or 330,000
/// requests/s to 1,000 servers for 25 s) took 5.4 s natively in release on a 2-core machine
/// shared with four other builds (load average 10), so a few seconds on an idle one; a page
/// playing the run spreads that over its ticks. Every preset (at most about 250,000) and the
/// default (about 29,000) are far below it, and so is the settings form's top rate (50,000
/// requests/s for 10 s in comparison mode, 6,000,000). Without it a link such as
/// `rate=10000000&cmp=1` asked for 1.2 billion attempts.
pub const MAX_WORK: f64 = 10_000_000.0;

/// The most requests one run may hold at once, summed over the compared algorithms
/// ([`LbWork::held`]).
///
/// It bounds memory: every request held costs about a hundred bytes (its slot, a wire or
/// queue entry, its deadline), so this is about 100 MB at most. Without it
/// `rate=10000000&hop=1000000` put twenty million requests on the wire at once (2 GB).
pub const MAX_HELD: f64 = 1_000_000.0;

/// What a run will cost, estimated from its config before it runs (per algorithm, except the
/// totals).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LbWork {
    /// Algorithms run side by side: 1, or 10 in comparison mode.
    pub algorithms: u32,
    /// Requests generated (the rate over the run, the burst included).
    pub requests: f64,
    /// Attempts: the requests plus the retries the retry budget allows.
    pub attempts: f64,
    /// Health probes over the run and the drain after it (which, with a timeout, ends by
    /// (1 + retries) × timeout; without one it ends when the last request does, and is not
    /// counted).
    pub probes: f64,
    /// Requests held at once: at most the peak rate × the round trip on the wire, plus what
    /// the servers hold (slots and queues), and never more than the attempts.
    pub held: f64,
}

impl LbWork {
    /// The estimate for `config` (which should be valid).
    pub fn of(c: &LbConfig) -> Self {
        let algorithms = c.algorithms().len() as u32;
        let duration = f64::from(c.duration_ms);
        let burst_end = c.burst_at_ms.saturating_add(c.burst_ms).min(c.duration_ms);
        let burst = f64::from(burst_end.saturating_sub(c.burst_at_ms));
        let requests = c.rate / 1_000.0 * (duration + (c.burst_factor - 1.0) * burst);
        let retry_share = if c.retries > 0 { c.retry_budget } else { 0.0 };
        let attempts = requests * (1.0 + retry_share);
        let probes = if c.health.enabled() {
            let drain = f64::from(c.retries + 1) * f64::from(c.timeout_ms);
            f64::from(c.servers) * ((duration + drain) / f64::from(c.health.interval_ms)).ceil()
        } else {
            0.0
        };
        let peak = c.rate * c.burst_factor;
        let wire = peak * 2.0 * f64::from(c.hop_us) / 1e6;
        let at_servers = f64::from(c.servers) * (f64::from(c.capacity) + f64::from(c.queue_limit));
        Self {
            algorithms,
            requests,
            attempts,
            probes,
            held: (wire + at_servers).min(attempts),
        }
    }

    /// Attempts and probes over every algorithm: what [`MAX_WORK`] bounds.
    pub fn work(&self) -> f64 {
        f64::from(self.algorithms) * (self.attempts + self.probes)
    }

    /// Requests held at once over every algorithm: what [`MAX_HELD`] bounds.
    pub fn held_total(&self) -> f64 {
        f64::from(self.algorithms) * self.held
    }

    /// Checks both budgets, with a sentence naming the parameters and the numbers.
    pub fn check(&self) -> Result<(), ConfigError> {
        let n = |x: f64| thousands(x.round() as u64);
        let (times, close) = if self.algorithms > 1 {
            (format!("{} algorithms (cmp) × (", self.algorithms), ")")
        } else {
            (String::new(), "")
        };
        if self.work() > MAX_WORK {
            return Err(ConfigError::Invalid(format!(
                "the run would simulate about {} request attempts and health probes \
                 ({times}{} attempts + {} probes{close}), over the lab's budget of {}: lower \
                 rate, dur or burst, probe less often (hc), or compare fewer algorithms (cmp)",
                n(self.work()),
                n(self.attempts),
                n(self.probes),
                n(MAX_WORK),
            )));
        }
        if self.held_total() > MAX_HELD {
            return Err(ConfigError::Invalid(format!(
                "the run would hold up to {} requests at once ({times}{} on the wire and at \
                 the servers{close}), over the lab's budget of {}: lower rate, the network \
                 delay (hop), servers, cap or queue, or compare fewer algorithms (cmp)",
                n(self.held_total()),
                n(self.held),
                n(MAX_HELD),
            )));
        }
        Ok(())
    }
}

impl LabScenario for LbScenario {
    fn version(&self) -> u32 {
        self.version
    }

    /// The config's own checks, then the work budget.
    fn check(&self) -> Result<(), ConfigError> {
        self.config.validate()?;
        LbWork::of(&self.config).check()
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

fn state_id(state: ServerState) -> String {
    match state {
        ServerState::Up => "up".to_owned(),
        ServerState::Down => "down".to_owned(),
        ServerState::Slow(m) => format!("slow{}", number(m)),
    }
}

fn format_change(change: &ServerChange) -> String {
    format!(
        "{}:{}:{}",
        change.at_ms,
        u64::from(change.server) + 1,
        state_id(change.state)
    )
}

/// Reads the `ev` list: each change well formed, the list in time order and at most
/// [`MAX_CHANGES`] long. Whether the servers exist and the times fall within the run is
/// checked with the whole scenario.
fn parse_changes(text: &str) -> Result<Vec<ServerChange>, String> {
    let changes = schema::read_list(text, MAX_CHANGES, "changes", |i, item| {
        parse_change(item).map_err(|why| {
            schema::list_item_error("MS:SERVER:STATE changes", "change", i, item, &why)
        })
    })?;
    schema::in_time_order(&changes, "changes", "change", |c| c.at_ms)?;
    Ok(changes)
}

fn parse_change(item: &str) -> Result<ServerChange, String> {
    let parts: Vec<&str> = item.split(':').collect();
    let [at, server, state] = parts.as_slice() else {
        return Err("expected MS:SERVER:STATE".to_owned());
    };
    let at_ms = at
        .parse::<u64>()
        .ok()
        .filter(|&ms| ms <= u64::from(MAX_DURATION_MS))
        .ok_or_else(|| {
            format!(
                "the time {} is not a whole number of ms up to one hour",
                schema::quote(at)
            )
        })?;
    // The server counts from 1 in links; 0 is refused here, before anything subtracts 1.
    let server = server
        .parse::<u32>()
        .ok()
        .and_then(|s| s.checked_sub(1))
        .ok_or_else(|| {
            format!(
                "the server {} is not a whole number from 1",
                schema::quote(server)
            )
        })?;
    let state = match *state {
        "up" => ServerState::Up,
        "down" => ServerState::Down,
        other => {
            let multiplier = other.strip_prefix("slow").ok_or_else(|| {
                format!(
                    "the state {} is not up, down or slowN",
                    schema::quote(other)
                )
            })?;
            ServerState::Slow(
                schema::read_num(multiplier, 1.0, MAX_SLOWDOWN)
                    .map_err(|e| format!("the slow-down is not {e}"))?,
            )
        }
    };
    Ok(ServerChange {
        at_ms,
        server,
        state,
    })
}

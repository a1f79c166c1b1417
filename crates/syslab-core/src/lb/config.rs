//! The load-balancer lab's configuration: the servers, the traffic, the balancer's algorithm,
//! health checks, timeouts and retries, with the validation that keeps every run simulable.

use serde::{Deserialize, Serialize};

use super::balancer::Algorithm;
use crate::error::{ConfigError, check_f64, check_range};
use crate::time::Nanos;

/// The most servers behind the balancer.
pub const MAX_SERVERS: u32 = 1_000;
/// The most concurrent requests one server serves.
pub const MAX_CAPACITY: u32 = 10_000;
/// The longest queue a server may hold.
pub const MAX_QUEUE: u32 = 10_000_000;
/// The most clients.
pub const MAX_CLIENTS: u32 = 100_000;
/// The highest request rate, per simulated second.
pub const MAX_RATE: f64 = 10_000_000.0;
/// The most requests a run may generate (rate × duration).
pub const MAX_REQUESTS: f64 = 100_000_000.0;
/// The longest run, in milliseconds (one hour).
pub const MAX_DURATION_MS: u32 = 3_600_000;
/// The most steps (ticks) a run may take.
pub const MAX_TICKS: u32 = 10_000;
/// The most retries of one request.
pub const MAX_RETRIES: u32 = 10;
/// The most scheduled server changes in a scenario.
pub const MAX_CHANGES: usize = 1_000;
/// The largest slow-down a slow server may have.
pub const MAX_SLOWDOWN: f64 = 1_000.0;

/// How a server's service time varies around the request's cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceDist {
    /// Exactly the request's cost.
    Constant,
    /// Exponentially distributed with the cost as mean (a memoryless server, M/M/c).
    #[default]
    Exponential,
    /// Log-normal with the cost as mean and `sigma` as the log's spread (a long tail).
    LogNormal,
}

impl ServiceDist {
    /// Every distribution, in menu order.
    pub const ALL: [ServiceDist; 3] = [
        ServiceDist::Constant,
        ServiceDist::Exponential,
        ServiceDist::LogNormal,
    ];

    /// Every distribution's id in links and JSON and its name for people, in menu order.
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "constant",
            label: "Constant",
        },
        crate::schema::Choice {
            id: "exponential",
            label: "Exponential",
        },
        crate::schema::Choice {
            id: "lognormal",
            label: "Log-normal",
        },
    ];

    /// The identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The distribution with identifier `id`.
    pub fn from_id(id: &str) -> Option<ServiceDist> {
        ServiceDist::ALL.into_iter().find(|d| d.id() == id)
    }
}

/// A server's state, as the operator (or the UI) sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerState {
    /// Serving normally.
    #[default]
    Up,
    /// Crashed or unreachable: it never answers, so requests sent to it time out.
    Down,
    /// Serving, but every request takes this many times longer (at least 1).
    Slow(f64),
}

impl ServerState {
    /// The service-time multiplier in this state (1 when up; down servers never serve).
    pub fn slowdown(self) -> f64 {
        match self {
            ServerState::Slow(m) => m,
            ServerState::Up | ServerState::Down => 1.0,
        }
    }

    /// A short label: "up", "down", "slow ×3".
    pub fn label(self) -> String {
        match self {
            ServerState::Up => "up".to_owned(),
            ServerState::Down => "down".to_owned(),
            ServerState::Slow(m) => format!("slow ×{}", crate::format::trimmed(m, 2)),
        }
    }

    pub(crate) fn validate(self) -> Result<(), ConfigError> {
        if let ServerState::Slow(m) = self
            && !(m.is_finite() && (1.0..=MAX_SLOWDOWN).contains(&m))
        {
            return Err(ConfigError::OutOfRange {
                what: "a slow server's multiplier",
                value: crate::format::trimmed(m, 6),
                range: "1 to 1,000",
            });
        }
        Ok(())
    }
}

/// A change of one server's state at a point of the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerChange {
    /// When, in milliseconds since the start of the run.
    pub at_ms: u64,
    /// The server, by index (0 is the first).
    pub server: u32,
    /// Its new state.
    pub state: ServerState,
}

/// Active health checks: the balancer probes every server and routes only to healthy ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthConfig {
    /// Time between two probes of a server, in ms; 0 turns health checks off.
    pub interval_ms: u32,
    /// How long a probe may take before it counts as failed, in ms.
    pub timeout_ms: u32,
    /// Consecutive failed probes that mark a healthy server down.
    pub fall: u32,
    /// Consecutive successful probes that mark a down server healthy again.
    pub rise: u32,
}

impl Default for HealthConfig {
    fn default() -> Self {
        Self {
            interval_ms: 500,
            timeout_ms: 200,
            fall: 3,
            rise: 2,
        }
    }
}

impl HealthConfig {
    /// Whether the balancer probes at all.
    pub fn enabled(&self) -> bool {
        self.interval_ms > 0
    }

    fn validate(&self) -> Result<(), ConfigError> {
        check_range(
            "the health-check interval",
            self.interval_ms,
            0,
            MAX_DURATION_MS,
            "0 (off) to 3,600,000 ms",
        )?;
        if self.enabled() {
            check_range(
                "the health-check timeout",
                self.timeout_ms,
                1,
                self.interval_ms,
                "1 ms up to the health-check interval",
            )?;
            check_range(
                "health-check failures to mark down",
                self.fall,
                1,
                100,
                "1 to 100",
            )?;
            check_range(
                "health-check successes to mark up",
                self.rise,
                1,
                100,
                "1 to 100",
            )?;
        }
        Ok(())
    }
}

/// One server as the simulation sees it, derived from the config.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServerSpec {
    /// Relative speed: a request of cost c takes c / power (1 is the average server).
    pub power: f64,
    /// The weight the weighted algorithms use: power × 10, rounded.
    pub weight: u32,
    /// Requests served at once.
    pub capacity: u32,
    /// Requests that may wait; more are refused with 503.
    pub queue_limit: u32,
    /// The L7 pool it belongs to: 0 serves /api, 1 serves /static (only with L7 routing).
    pub pool: u8,
}

/// Everything that defines a load-balancer run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LbConfig {
    /// Seed of the traffic (arrival times, clients, costs) and of the random algorithms.
    pub seed: u64,
    /// The algorithm the lab shows.
    pub algorithm: Algorithm,
    /// Also run every other algorithm on the identical traffic, for the comparison table.
    pub compare: bool,
    /// Number of servers behind the balancer (1 to 1,000).
    pub servers: u32,
    /// Spread of server power, 0 to 0.9: server powers run evenly from 1 − spread to
    /// 1 + spread, and the weighted algorithms weight them accordingly.
    pub spread: f64,
    /// Requests a server serves at once (1 to 10,000).
    pub capacity: u32,
    /// Requests a server lets wait when all its slots are busy; more are refused (0 to 10,000,000).
    pub queue_limit: u32,
    /// How service times vary around a request's cost.
    pub service: ServiceDist,
    /// The log-normal service time's sigma (spread of its logarithm), 0 to 3.
    pub sigma: f64,
    /// Requests per second arriving at the balancer (above 0, up to 10,000,000).
    pub rate: f64,
    /// Variability of the gaps between arrivals, as their coefficient of variation: 0 is a
    /// steady beat, 1 is Poisson, above 1 is bursty (0 to 10).
    pub rate_cv: f64,
    /// Mean cost of a request in ms: its service time on an average server (0.001 to 60,000).
    pub cost_ms: f64,
    /// Variability of request costs, as their coefficient of variation: 0 makes every request
    /// equally expensive, 3 makes a few requests very expensive (0 to 10).
    pub cost_cv: f64,
    /// Number of distinct clients (1 to 100,000).
    pub clients: u32,
    /// Put every client behind one forward proxy: the balancer sees one source address.
    pub proxy: bool,
    /// Route at layer 7: by path (/static to the static pool, /api to the rest) and hash on
    /// the client's `X-User` header instead of its source address.
    pub l7: bool,
    /// Share of requests for /static, 0 to 1 (the rest are /api).
    pub static_share: f64,
    /// Servers in the static pool when routing at L7 (the last ones); fewer than `servers`.
    pub static_servers: u32,
    /// One-way network delay between the balancer and a server, in µs (0 to 1,000,000).
    pub hop_us: u32,
    /// How long the balancer waits for a response before giving up on an attempt, in ms;
    /// 0 waits forever (then a dead server's connections are reset and count as refused).
    pub timeout_ms: u32,
    /// Retries after a timeout or a refusal (0 to 10).
    pub retries: u32,
    /// Retry budget: retries may be at most this share of requests (plus 10), 0 to 1.
    pub retry_budget: f64,
    /// Health checks.
    pub health: HealthConfig,
    /// Peak EWMA's decay time in ms: how fast a past latency spike is forgotten (1 to 600,000).
    pub decay_ms: u32,
    /// Consistent hashing with bounded loads: a server takes at most (1 + ε) × the mean load
    /// (0.01 to 10).
    pub epsilon: f64,
    /// Start of a burst, in ms; with `burst_factor` 1 there is none.
    pub burst_at_ms: u32,
    /// Length of the burst, in ms.
    pub burst_ms: u32,
    /// The request rate is multiplied by this during the burst (1 to 100).
    pub burst_factor: f64,
    /// Scheduled server changes, in time order (the UI appends to them).
    pub changes: Vec<ServerChange>,
    /// Length of the run in ms (1 ms to 1 hour).
    pub duration_ms: u32,
    /// Simulated time one step advances, in ms (at most 10,000 steps per run).
    pub tick_ms: u32,
}

impl Default for LbConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            algorithm: Algorithm::RoundRobin,
            compare: false,
            servers: 8,
            spread: 0.0,
            capacity: 4,
            queue_limit: 100,
            service: ServiceDist::Exponential,
            sigma: 1.0,
            rate: 2_400.0,
            rate_cv: 1.0,
            cost_ms: 10.0,
            cost_cv: 0.0,
            clients: 50,
            proxy: false,
            l7: false,
            static_share: 0.3,
            static_servers: 2,
            hop_us: 500,
            timeout_ms: 1_000,
            retries: 1,
            retry_budget: 0.2,
            health: HealthConfig::default(),
            decay_ms: 1_000,
            epsilon: 0.25,
            burst_at_ms: 0,
            burst_ms: 0,
            burst_factor: 1.0,
            changes: Vec::new(),
            duration_ms: 10_000,
            tick_ms: 50,
        }
    }
}

impl LbConfig {
    /// The run's length as time.
    pub fn duration(&self) -> Nanos {
        Nanos::from_ms(u64::from(self.duration_ms))
    }

    /// One step as time.
    pub fn tick(&self) -> Nanos {
        Nanos::from_ms(u64::from(self.tick_ms))
    }

    /// Steps in the whole run, before the final drain.
    pub fn n_ticks(&self) -> u64 {
        u64::from(self.duration_ms.div_ceil(self.tick_ms.max(1)))
    }

    /// The algorithms run side by side: the shown one first, then (in compare mode) the others.
    pub fn algorithms(&self) -> Vec<Algorithm> {
        let mut all = vec![self.algorithm];
        if self.compare {
            all.extend(Algorithm::ALL.into_iter().filter(|a| *a != self.algorithm));
        }
        all
    }

    /// Every server, derived from the config.
    pub fn server_specs(&self) -> Vec<ServerSpec> {
        let n = self.servers.max(1);
        (0..n)
            .map(|i| {
                let t = if n == 1 {
                    0.0
                } else {
                    f64::from(i) / f64::from(n - 1) * 2.0 - 1.0
                };
                let power = 1.0 + self.spread * t;
                ServerSpec {
                    power,
                    weight: (libm::round(power * 10.0) as u32).max(1),
                    capacity: self.capacity,
                    queue_limit: self.queue_limit,
                    pool: u8::from(self.l7 && i >= n - self.static_servers.min(n)),
                }
            })
            .collect()
    }

    /// Checks the whole config, returning the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.servers == 0 {
            return Err(ConfigError::OutOfRange {
                what: "the number of servers",
                value: "0".to_owned(),
                range: "at least 1 (a balancer needs a server to send to)",
            });
        }
        check_range(
            "the number of servers",
            self.servers,
            1,
            MAX_SERVERS,
            "1 to 1,000",
        )?;
        check_f64(
            "the spread of server power",
            self.spread,
            0.0,
            0.9,
            "0 to 0.9",
        )?;
        if self.capacity == 0 {
            return Err(ConfigError::OutOfRange {
                what: "server capacity",
                value: "0".to_owned(),
                range: "at least 1 concurrent request (a server with no capacity serves nothing)",
            });
        }
        check_range(
            "server capacity",
            self.capacity,
            1,
            MAX_CAPACITY,
            "1 to 10,000",
        )?;
        check_range(
            "the server queue limit",
            self.queue_limit,
            0,
            MAX_QUEUE,
            "0 to 10,000,000",
        )?;
        check_f64("the log-normal sigma", self.sigma, 0.0, 3.0, "0 to 3")?;
        if !(self.rate.is_finite() && self.rate > 0.0 && self.rate <= MAX_RATE) {
            return Err(ConfigError::OutOfRange {
                what: "the request rate",
                value: crate::format::trimmed(self.rate, 6),
                range: "above 0 and at most 10,000,000 per second",
            });
        }
        check_f64("the rate variability", self.rate_cv, 0.0, 10.0, "0 to 10")?;
        check_f64(
            "the request cost",
            self.cost_ms,
            0.001,
            60_000.0,
            "0.001 to 60,000 ms",
        )?;
        check_f64("the cost variability", self.cost_cv, 0.0, 10.0, "0 to 10")?;
        check_range(
            "the number of clients",
            self.clients,
            1,
            MAX_CLIENTS,
            "1 to 100,000",
        )?;
        check_f64("the static share", self.static_share, 0.0, 1.0, "0 to 1")?;
        if self.l7 {
            check_range(
                "the static pool",
                self.static_servers,
                1,
                self.servers.saturating_sub(1),
                "1 server up to one fewer than all servers (the rest serve /api)",
            )?;
        }
        check_range(
            "the network delay",
            self.hop_us,
            0,
            1_000_000,
            "0 to 1,000,000 µs",
        )?;
        check_range(
            "the timeout",
            self.timeout_ms,
            0,
            600_000,
            "0 (none) to 600,000 ms",
        )?;
        check_range("retries", self.retries, 0, MAX_RETRIES, "0 to 10")?;
        check_f64("the retry budget", self.retry_budget, 0.0, 1.0, "0 to 1")?;
        self.health.validate()?;
        check_range(
            "the EWMA decay",
            self.decay_ms,
            1,
            600_000,
            "1 to 600,000 ms",
        )?;
        check_f64("epsilon", self.epsilon, 0.01, 10.0, "0.01 to 10")?;
        check_f64(
            "the burst factor",
            self.burst_factor,
            1.0,
            100.0,
            "1 to 100",
        )?;
        check_range(
            "the duration",
            self.duration_ms,
            1,
            MAX_DURATION_MS,
            "1 ms to 1 hour (3,600,000 ms)",
        )?;
        check_range(
            "the step",
            self.tick_ms,
            1,
            self.duration_ms,
            "1 ms up to the duration",
        )?;
        check_range(
            "the number of steps (duration / step)",
            self.n_ticks(),
            1,
            u64::from(MAX_TICKS),
            "at most 10,000",
        )?;
        let peak = self.rate * self.burst_factor;
        let expected = peak * f64::from(self.duration_ms) / 1_000.0;
        if expected > MAX_REQUESTS || peak > MAX_RATE {
            return Err(ConfigError::OutOfRange {
                what: "requests in the run (rate × burst × duration)",
                value: crate::format::thousands(expected as u64),
                range: "at most 100,000,000, at a peak of at most 10,000,000 per second",
            });
        }
        self.validate_changes(&self.changes)
    }

    /// Checks a list of server changes against this config: known servers, time order, within
    /// the run, valid states, and never every server down at once.
    pub fn validate_changes(&self, changes: &[ServerChange]) -> Result<(), ConfigError> {
        if changes.len() > MAX_CHANGES {
            return Err(ConfigError::OutOfRange {
                what: "server changes",
                value: changes.len().to_string(),
                range: "at most 1,000",
            });
        }
        let mut states = vec![ServerState::Up; self.servers as usize];
        let mut down = 0usize;
        let mut last = 0u64;
        for change in changes {
            change.state.validate()?;
            let Some(state) = states.get_mut(change.server as usize) else {
                return Err(ConfigError::OutOfRange {
                    what: "the server of a change",
                    value: (change.server + 1).to_string(),
                    range: "one of the servers (1 to the number of servers)",
                });
            };
            if change.at_ms < last || change.at_ms > u64::from(self.duration_ms) {
                return Err(ConfigError::OutOfRange {
                    what: "the time of a server change",
                    value: format!("{} ms", change.at_ms),
                    range: "in time order, within the run",
                });
            }
            last = change.at_ms;
            let was_down = *state == ServerState::Down;
            let is_down = change.state == ServerState::Down;
            down = down + usize::from(is_down) - usize::from(was_down);
            *state = change.state;
            if down == states.len() {
                return Err(ConfigError::OutOfRange {
                    what: "servers down",
                    value: format!("all {}", states.len()),
                    range: "fewer than all: at least one server must stay up",
                });
            }
        }
        Ok(())
    }
}

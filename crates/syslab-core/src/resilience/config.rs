//! The resilience lab's configuration: the call chain (clients → A → B → C), its tiers, the
//! traffic, the faults on a schedule, and the policies every caller applies (timeouts and a
//! propagated deadline, retries with backoff and jitter, a retry budget, a retry quota, a
//! circuit breaker, adaptive throttling, hedging), with the validation that keeps every run
//! simulable.

use serde::{Deserialize, Serialize};

use super::cache::{CacheFix, CacheSpec};
use crate::error::{ConfigError, check_f64, check_range};
use crate::lb::ServiceDist;
use crate::schema::Choice;

/// The most tiers in the chain (A, B and C).
pub const MAX_DEPTH: u8 = 3;
/// The most servers in a tier.
pub const MAX_SERVERS: u32 = 1_000;
/// The most requests one server serves at once.
pub const MAX_CAPACITY: u32 = 1_000;
/// The longest queue a tier may hold.
pub const MAX_QUEUE: u32 = 100_000;
/// The highest request rate, per simulated second.
pub const MAX_RATE: f64 = 1_000_000.0;
/// The most retries per call at one layer.
pub const MAX_RETRIES: u32 = 10;
/// The longest run, in milliseconds (one hour).
pub const MAX_DURATION_MS: u32 = 3_600_000;
/// The most steps a run may take.
pub const MAX_TICKS: u32 = 10_000;
/// The most faults in a scenario.
pub const MAX_FAULTS: usize = 16;
/// The largest slow-down factor of a fault.
pub const MAX_SLOWDOWN: f64 = 1_000.0;
/// The most requests of a herd (clients that all send at one instant).
pub const MAX_HERD: u32 = 1_000_000;
/// How long a deposit stays in a retry budget (Finagle's default ttl, 10 s).
pub const BUDGET_TTL_S: u64 = 10;

/// Names of the tiers, by index.
pub const TIER_NAMES: [&str; 3] = ["A", "B", "C"];

macro_rules! choice_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $id:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $variant,)+
        }

        impl $name {
            /// Every option, in menu order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// Every option's id in links and its name for people, in menu order.
            pub const CHOICES: &'static [Choice] = &[$(Choice { id: $id, label: $label },)+];

            /// Its id in links and JSON.
            pub fn id(self) -> &'static str {
                Self::CHOICES[self as usize].id
            }

            /// Its name for people.
            pub fn label(self) -> &'static str {
                Self::CHOICES[self as usize].label
            }

            /// The option with identifier `id`.
            pub fn from_id(id: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.id() == id)
            }
        }
    };
}

choice_enum! {
    /// How long a caller waits before retrying (before jitter).
    Backoff {
        /// Retry at once.
        None = "none", "None";
        /// Wait the base delay every time.
        Fixed = "fixed", "Fixed";
        /// Wait base × 2^(retry − 1), at most the cap.
        #[default]
        Exponential = "exponential", "Exponential (capped)";
    }
}

choice_enum! {
    /// How the wait is randomised, as the AWS Architecture Blog's "Exponential Backoff And
    /// Jitter" (Brooker, 2015) names the strategies.
    Jitter {
        /// The backoff exactly: callers that failed together retry together.
        None = "none", "None";
        /// A uniform draw from 0 to the backoff.
        #[default]
        Full = "full", "Full";
        /// Half the backoff plus a uniform draw from 0 to the other half.
        Equal = "equal", "Equal";
        /// min(cap, uniform(base, 3 × the previous wait)).
        Decorrelated = "decorrelated", "Decorrelated";
    }
}

choice_enum! {
    /// Which calls go through a circuit breaker.
    BreakerAt {
        /// No breaker.
        #[default]
        Off = "off", "Off";
        /// The clients' calls to A.
        A = "a", "Calls to A";
        /// A's calls to B.
        B = "b", "Calls to B";
        /// B's calls to C.
        C = "c", "Calls to C";
        /// Every caller has its own breaker.
        All = "all", "Every link";
    }
}

impl BreakerAt {
    /// Whether the calls into tier `tier` (0 is A) go through a breaker.
    pub fn covers(self, tier: usize) -> bool {
        match self {
            BreakerAt::Off => false,
            BreakerAt::A => tier == 0,
            BreakerAt::B => tier == 1,
            BreakerAt::C => tier == 2,
            BreakerAt::All => true,
        }
    }
}

/// One tier of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierSpec {
    /// Servers in the tier.
    pub servers: u32,
    /// Requests one server works on at once (its threads); a request holds its slot while it
    /// waits for the tier below.
    pub capacity: u32,
    /// Requests the tier lets wait when every slot is busy; more are refused at once (shed).
    pub queue: u32,
    /// Mean service time of one request, in ms.
    pub service_ms: f64,
}

impl Default for TierSpec {
    fn default() -> Self {
        Self {
            servers: 4,
            capacity: 8,
            queue: 100,
            service_ms: 10.0,
        }
    }
}

impl TierSpec {
    /// Slots: requests the tier holds in service or waiting on the tier below.
    pub fn slots(&self) -> u32 {
        self.servers.saturating_mul(self.capacity)
    }
}

/// What a fault does to a tier.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Service takes this many times longer.
    Slow(f64),
    /// This share of requests fails after being served (0 to 1).
    Errors(f64),
    /// Every call is refused at once.
    Down,
}

impl FaultKind {
    /// How a link writes it: `slow10`, `err0.5`, `down`.
    pub fn id(self) -> String {
        match self {
            FaultKind::Slow(m) => format!("slow{}", crate::schema::number(m)),
            FaultKind::Errors(p) => format!("err{}", crate::schema::number(p)),
            FaultKind::Down => "down".to_owned(),
        }
    }

    /// For people: `10× slower`, `50% errors`, `down`.
    pub fn label(self) -> String {
        match self {
            FaultKind::Slow(m) => format!("{}× slower", crate::format::trimmed(m, 2)),
            FaultKind::Errors(p) => format!("{} errors", crate::format::percent(p)),
            FaultKind::Down => "down".to_owned(),
        }
    }
}

/// A fault on a tier for a window of time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// The tier (0 is A).
    pub tier: u8,
    pub kind: FaultKind,
    /// When it starts, in ms from the start of the run.
    pub at_ms: u32,
    /// How long it lasts, in ms.
    pub len_ms: u32,
}

impl Fault {
    /// When it ends, in ms.
    pub fn end_ms(&self) -> u64 {
        u64::from(self.at_ms) + u64::from(self.len_ms)
    }

    /// Whether it is active at `t` ns.
    #[inline]
    pub fn active(&self, t: u64) -> bool {
        let ms = 1_000_000;
        t >= u64::from(self.at_ms) * ms && t < self.end_ms() * ms
    }
}

/// The circuit breaker's settings (defaults as resilience4j ships them).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakerSpec {
    /// Which calls go through a breaker.
    pub at: BreakerAt,
    /// Failure rate, in percent, at or above which it opens (resilience4j: 50).
    pub failure_pct: f64,
    /// Calls in the count-based sliding window (resilience4j: 100).
    pub window: u32,
    /// Calls recorded before a rate is judged (resilience4j: 100).
    pub min_calls: u32,
    /// How long it stays open before letting trial calls through, in ms (resilience4j: 60 s).
    pub wait_ms: u32,
    /// Trial calls in half-open (resilience4j: 10).
    pub half_open: u32,
    /// A call slower than this counts as slow, in ms (resilience4j: 60 s).
    pub slow_ms: u32,
    /// Slow-call rate, in percent, at or above which it opens (resilience4j: 100).
    pub slow_pct: f64,
}

impl Default for BreakerSpec {
    fn default() -> Self {
        Self {
            at: BreakerAt::Off,
            failure_pct: 50.0,
            window: 100,
            min_calls: 100,
            wait_ms: 60_000,
            half_open: 10,
            slow_ms: 60_000,
            slow_pct: 100.0,
        }
    }
}

/// The whole run's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResConfig {
    /// Seeds the traffic, the service times and every random decision.
    pub seed: u64,
    /// Also run the comparison ladder of policy sets on identical traffic and faults.
    pub compare: bool,
    /// Tiers in the chain: 1 (A), 2 (A → B) or 3 (A → B → C).
    pub depth: u8,
    /// The tiers A, B, C (only the first `depth` are used).
    pub tiers: [TierSpec; 3],
    /// How service times vary around the mean.
    pub service: ServiceDist,
    /// The log-normal's spread.
    pub sigma: f64,
    /// Requests per second the clients send.
    pub rate: f64,
    /// Coefficient of variation of the gaps between requests (1 is Poisson).
    pub rate_cv: f64,
    /// A traffic spike: from `spike_at_ms`, for `spike_ms`, the rate is multiplied by
    /// `spike_factor`.
    pub spike_at_ms: u32,
    pub spike_ms: u32,
    pub spike_factor: f64,
    /// A herd: `herd` extra requests all sent at `herd_at_ms` (a launch, a reconnect storm).
    pub herd: u32,
    pub herd_at_ms: u32,
    /// Per-attempt timeouts of the calls into A, B and C, in ms (0 waits forever).
    pub timeouts_ms: [u32; 3],
    /// The clients' overall deadline per request, in ms (0: none).
    pub deadline_ms: u32,
    /// Whether each call carries its deadline down the chain, so a tier drops work whose
    /// caller has given up.
    pub propagate: bool,
    /// Retries of a failed call into A, B and C.
    pub retries: [u32; 3],
    /// Share of requests that are idempotent; only those are retried or hedged.
    pub idempotent: f64,
    pub backoff: Backoff,
    /// The backoff's base and cap, in ms.
    pub base_ms: f64,
    pub cap_ms: f64,
    pub jitter: Jitter,
    /// Whether each caller keeps a retry budget (as Finagle's `RetryBudget`).
    pub budget: bool,
    /// Retries allowed per request deposited (Finagle: 0.2).
    pub budget_ratio: f64,
    /// Retries per second always allowed (Finagle: 10).
    pub budget_min: f64,
    /// The token-bucket retry quota's size (gRPC's retry throttling); 0 is off.
    pub quota: u32,
    /// Tokens a success puts back (gRPC's `tokenRatio`).
    pub quota_ratio: f64,
    pub breaker: BreakerSpec,
    /// Whether each caller throttles itself adaptively (Google SRE book, ch. 21).
    pub throttle: bool,
    /// The throttle's K: it sends up to K times what the tier below accepts (SRE book: 2).
    pub throttle_k: f64,
    /// The throttle's window, in seconds (SRE book: two minutes).
    pub throttle_window_s: u32,
    /// Send a second copy of a call still unanswered after this many ms (0: no hedging).
    pub hedge_ms: u32,
    /// The faults, in time order.
    pub faults: Vec<Fault>,
    /// The cache in front of B (its hot key, its TTL, the fix for its stampede).
    pub cache: CacheSpec,
    /// Also run every other cache fix on identical traffic (with the cache on).
    pub compare_fixes: bool,
    /// Length of the run, in ms.
    pub duration_ms: u32,
    /// Simulated time per step, in ms.
    pub tick_ms: u32,
}

impl Default for ResConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            compare: false,
            depth: 2,
            tiers: [
                TierSpec {
                    servers: 4,
                    capacity: 16,
                    queue: 200,
                    service_ms: 5.0,
                },
                TierSpec {
                    servers: 4,
                    capacity: 8,
                    queue: 200,
                    service_ms: 10.0,
                },
                TierSpec::default(),
            ],
            service: ServiceDist::Exponential,
            sigma: 1.0,
            rate: 1_000.0,
            rate_cv: 1.0,
            spike_at_ms: 0,
            spike_ms: 0,
            spike_factor: 1.0,
            herd: 0,
            herd_at_ms: 0,
            timeouts_ms: [1_000, 300, 300],
            deadline_ms: 2_000,
            propagate: false,
            retries: [0, 0, 0],
            idempotent: 1.0,
            backoff: Backoff::Exponential,
            base_ms: 50.0,
            cap_ms: 1_000.0,
            jitter: Jitter::Full,
            budget: false,
            budget_ratio: 0.2,
            budget_min: 10.0,
            quota: 0,
            quota_ratio: 0.1,
            breaker: BreakerSpec::default(),
            throttle: false,
            throttle_k: 2.0,
            throttle_window_s: 120,
            hedge_ms: 0,
            faults: Vec::new(),
            cache: CacheSpec::default(),
            compare_fixes: false,
            duration_ms: 30_000,
            tick_ms: 250,
        }
    }
}

impl ResConfig {
    /// Tiers in use.
    pub fn depth(&self) -> usize {
        usize::from(self.depth.clamp(1, MAX_DEPTH))
    }

    /// Steps in the run (without the final drain).
    pub fn n_ticks(&self) -> u64 {
        u64::from(self.duration_ms).div_ceil(u64::from(self.tick_ms.max(1)))
    }

    /// The run's length in ns.
    pub fn duration_ns(&self) -> u64 {
        u64::from(self.duration_ms) * 1_000_000
    }

    /// Checks every field and the faults; `Err` names the first problem.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_range("the depth (depth)", self.depth, 1, MAX_DEPTH, "1, 2 or 3")?;
        for (i, t) in self.tiers.iter().enumerate().take(self.depth()) {
            let name = ["A", "B", "C"][i];
            if t.servers == 0 || t.servers > MAX_SERVERS {
                return Err(ConfigError::Invalid(format!(
                    "tier {name} needs 1 to {MAX_SERVERS} servers (got {})",
                    t.servers
                )));
            }
            if t.capacity == 0 || t.capacity > MAX_CAPACITY {
                return Err(ConfigError::Invalid(format!(
                    "tier {name}'s capacity must be 1 to {MAX_CAPACITY} (got {})",
                    t.capacity
                )));
            }
            if t.queue > MAX_QUEUE {
                return Err(ConfigError::Invalid(format!(
                    "tier {name}'s queue limit must be at most {MAX_QUEUE} (got {})",
                    t.queue
                )));
            }
            if !(t.service_ms.is_finite() && t.service_ms > 0.0 && t.service_ms <= 60_000.0) {
                return Err(ConfigError::Invalid(format!(
                    "tier {name}'s service time must be above 0 and at most 60,000 ms (got {})",
                    crate::format::trimmed(t.service_ms, 6)
                )));
            }
        }
        check_f64(
            "the log-normal σ (sigma)",
            self.sigma,
            0.0,
            3.0,
            "from 0 to 3",
        )?;
        if !(self.rate.is_finite() && self.rate > 0.0 && self.rate <= MAX_RATE) {
            return Err(ConfigError::OutOfRange {
                what: "the request rate (rate)",
                value: crate::format::trimmed(self.rate, 6),
                range: "above 0 and at most 1,000,000 requests/s",
            });
        }
        check_f64(
            "the rate variability (rvar)",
            self.rate_cv,
            0.0,
            10.0,
            "from 0 to 10",
        )?;
        check_f64(
            "the spike factor",
            self.spike_factor,
            1.0,
            100.0,
            "from 1 to 100",
        )?;
        check_range(
            "the herd (herd)",
            self.herd,
            0,
            MAX_HERD,
            "at most 1,000,000 requests",
        )?;
        check_range(
            "the run length (dur)",
            self.duration_ms,
            1,
            MAX_DURATION_MS,
            "1 ms to one hour",
        )?;
        check_range(
            "the step (tick)",
            self.tick_ms,
            1,
            self.duration_ms,
            "1 ms to the run's length",
        )?;
        if self.n_ticks() > u64::from(MAX_TICKS) {
            return Err(ConfigError::Invalid(format!(
                "the run would take {} steps, over {MAX_TICKS}: lengthen the step (tick) or \
                 shorten the run (dur)",
                self.n_ticks()
            )));
        }
        if self.herd > 0 && self.herd_at_ms >= self.duration_ms {
            return Err(ConfigError::Invalid(format!(
                "the herd at {} ms falls outside the run (0 to {} ms)",
                self.herd_at_ms, self.duration_ms
            )));
        }
        for (i, &r) in self.retries.iter().enumerate() {
            if r > MAX_RETRIES {
                return Err(ConfigError::Invalid(format!(
                    "retries of calls into {} must be at most {MAX_RETRIES} (got {r})",
                    TIER_NAMES[i]
                )));
            }
        }
        check_f64(
            "the idempotent share (idem)",
            self.idempotent,
            0.0,
            1.0,
            "from 0 to 1",
        )?;
        check_f64(
            "the backoff base (base)",
            self.base_ms,
            0.001,
            600_000.0,
            "from 0.001 to 600,000 ms",
        )?;
        check_f64(
            "the backoff cap (cap)",
            self.cap_ms,
            0.001,
            600_000.0,
            "from 0.001 to 600,000 ms",
        )?;
        if self.cap_ms < self.base_ms {
            return Err(ConfigError::Invalid(format!(
                "the backoff cap ({} ms) must be at least its base ({} ms)",
                crate::format::trimmed(self.cap_ms, 6),
                crate::format::trimmed(self.base_ms, 6)
            )));
        }
        check_f64(
            "the retry budget (bratio)",
            self.budget_ratio,
            0.0,
            1.0,
            "from 0 to 1 (100%)",
        )?;
        check_f64(
            "the budget's minimum (bmin)",
            self.budget_min,
            0.0,
            10_000.0,
            "from 0 to 10,000 retries/s",
        )?;
        check_range(
            "the retry quota (quota)",
            self.quota,
            0,
            100_000,
            "from 0 to 100,000 tokens",
        )?;
        check_f64(
            "the quota's token ratio (qratio)",
            self.quota_ratio,
            0.001,
            100.0,
            "from 0.001 to 100",
        )?;
        let b = &self.breaker;
        check_f64(
            "the breaker's failure threshold (bfail)",
            b.failure_pct,
            1.0,
            100.0,
            "from 1 to 100%",
        )?;
        check_f64(
            "the breaker's slow-call threshold (bslowrate)",
            b.slow_pct,
            1.0,
            100.0,
            "from 1 to 100%",
        )?;
        check_range(
            "the breaker's window (bwin)",
            b.window,
            1,
            10_000,
            "1 to 10,000 calls",
        )?;
        check_range(
            "the breaker's minimum calls (bmin)",
            b.min_calls,
            1,
            10_000,
            "1 to 10,000 calls",
        )?;
        check_range(
            "the breaker's wait (bwait)",
            b.wait_ms,
            1,
            MAX_DURATION_MS,
            "1 ms to one hour",
        )?;
        check_range(
            "the breaker's trial calls (bhalf)",
            b.half_open,
            1,
            1_000,
            "1 to 1,000 calls",
        )?;
        check_f64(
            "the throttle's K (k)",
            self.throttle_k,
            1.0,
            10.0,
            "from 1 to 10",
        )?;
        check_range(
            "the throttle's window (twin)",
            self.throttle_window_s,
            1,
            600,
            "1 to 600 s",
        )?;
        self.cache.validate()?;
        self.validate_faults(&self.faults)
    }

    /// Checks a fault list against this run: in time order, at most [`MAX_FAULTS`], on tiers
    /// that exist, inside the run.
    pub fn validate_faults(&self, faults: &[Fault]) -> Result<(), ConfigError> {
        if faults.len() > MAX_FAULTS {
            return Err(ConfigError::Invalid(format!(
                "at most {MAX_FAULTS} faults (got {})",
                faults.len()
            )));
        }
        for (i, f) in faults.iter().enumerate() {
            let n = i + 1;
            if usize::from(f.tier) >= self.depth() {
                return Err(ConfigError::Invalid(format!(
                    "fault {n} is on tier {}, but the chain has {} tier(s)",
                    TIER_NAMES.get(usize::from(f.tier)).unwrap_or(&"?"),
                    self.depth()
                )));
            }
            if f.len_ms == 0
                || f.at_ms >= self.duration_ms
                || f.end_ms() > u64::from(self.duration_ms)
            {
                return Err(ConfigError::Invalid(format!(
                    "fault {n} ({} ms for {} ms) falls outside the run (0 to {} ms)",
                    f.at_ms, f.len_ms, self.duration_ms
                )));
            }
            match f.kind {
                FaultKind::Slow(m) if !(m.is_finite() && (1.0..=MAX_SLOWDOWN).contains(&m)) => {
                    return Err(ConfigError::Invalid(format!(
                        "fault {n}'s slow-down must be 1 to 1,000 (got {})",
                        crate::format::trimmed(m, 6)
                    )));
                }
                FaultKind::Errors(p) if !(p.is_finite() && (0.0..=1.0).contains(&p)) => {
                    return Err(ConfigError::Invalid(format!(
                        "fault {n}'s error share must be 0 to 1 (got {})",
                        crate::format::trimmed(p, 6)
                    )));
                }
                _ => {}
            }
        }
        if let Some(i) = faults.windows(2).position(|w| w[1].at_ms < w[0].at_ms) {
            return Err(ConfigError::Invalid(format!(
                "faults must be in time order (fault {} starts before fault {})",
                i + 2,
                i + 1
            )));
        }
        Ok(())
    }

    /// The policy sets the comparison runs, each on this config's traffic, tiers and faults:
    /// no retries; 3 retries at every layer with no backoff; with exponential backoff and
    /// full jitter; plus a retry budget; plus a breaker on every link.
    pub fn ladder(&self) -> Vec<(&'static str, ResConfig)> {
        let mut none = self.clone();
        none.compare = false;
        none.retries = [0; 3];
        none.budget = false;
        none.quota = 0;
        none.breaker.at = BreakerAt::Off;
        none.throttle = false;
        none.hedge_ms = 0;
        let mut naive = none.clone();
        naive.retries = [3; 3];
        naive.backoff = Backoff::None;
        naive.jitter = Jitter::None;
        let mut jitter = naive.clone();
        jitter.backoff = Backoff::Exponential;
        jitter.jitter = Jitter::Full;
        let mut budget = jitter.clone();
        budget.budget = true;
        let mut breaker = budget.clone();
        breaker.breaker.at = BreakerAt::All;
        vec![
            ("No retries", none),
            ("3 retries", naive),
            ("+ backoff, jitter", jitter),
            ("+ retry budget", budget),
            ("+ breaker", breaker),
        ]
    }

    /// The cache fixes the comparison runs (`compare_fixes`, with the cache on), each on this
    /// config's traffic, tiers, policies and faults: every fix but this config's own.
    pub fn fixes(&self) -> Vec<(&'static str, ResConfig)> {
        if !(self.compare_fixes && self.cache.on) {
            return Vec::new();
        }
        CacheFix::ALL
            .iter()
            .filter(|&&fix| fix != self.cache.fix)
            .map(|&fix| {
                let mut c = self.clone();
                c.compare = false;
                c.compare_fixes = false;
                c.cache.fix = fix;
                (fix.short(), c)
            })
            .collect()
    }
}

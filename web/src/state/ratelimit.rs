//! The rate-limiter lab's reducer: user intent in, a new `RateLimitLab` out, refused input kept
//! as a message while the simulation keeps its last good state.

use syslab_core::ConfigError;
use syslab_core::format::parse_decimal;
use syslab_core::ratelimit::{
    AlgorithmKind, Balancer, KeyKind, Pattern, RateLimitConfig, RateLimitLab, RateLimitScenario,
    StoreMode,
};

use super::session::{Change, LabModel, Session};

/// The rate-limiter lab's `use_reducer` state.
pub type RateLimitState = Session<RateLimitLab>;

/// A numeric parameter typed or slid by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Limit,
    WindowMs,
    Burst,
    Queue,
    Rate,
    Peak,
    Clients,
    Abusers,
    ClientsPerKey,
    Instances,
    RttMs,
    DurationS,
}

impl Param {
    /// The parameter's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Param::Limit => "The limit",
            Param::WindowMs => "The window",
            Param::Burst => "The burst",
            Param::Queue => "The queue size",
            Param::Rate => "The rate",
            Param::Peak => "The peak rate",
            Param::Clients => "The number of clients",
            Param::Abusers => "The number of abusive clients",
            Param::ClientsPerKey => "Clients per key",
            Param::Instances => "The number of instances",
            Param::RttMs => "The store round trip",
            Param::DurationS => "The run's length",
        }
    }

    /// Writes `value` into the config, refusing values that are not numbers of the right kind
    /// (the core then checks ranges).
    fn apply(self, config: &mut RateLimitConfig, value: f64) -> Result<(), String> {
        let whole = |v: f64| super::whole(self.label(), v);
        let millis = |v: f64| super::millis(self.label(), v);
        match self {
            Param::Limit => config.limit = whole(value)?,
            Param::WindowMs => config.window_ms = whole(value)?,
            Param::Burst => config.burst = whole(value)?,
            Param::Queue => config.queue = whole(value)?,
            Param::Rate => config.traffic.rate = value,
            Param::Peak => config.traffic.peak = value,
            Param::Clients => config.traffic.clients = whole(value)?,
            Param::Abusers => config.traffic.abusers = whole(value)?,
            Param::ClientsPerKey => config.clients_per_key = whole(value)?,
            Param::Instances => config.cluster.instances = whole(value)?,
            Param::RttMs => config.cluster.rtt_us = millis(value)?,
            Param::DurationS => config.duration_ms = millis(value)?,
        }
        Ok(())
    }
}

/// What a user can do to the rate-limiter lab (besides what every lab can do).
pub enum RateLimitAction {
    /// A numeric parameter as typed (parsed here, so bad text gets a message).
    Set(Param, String),
    Algorithm(AlgorithmKind),
    /// Add or remove an algorithm from the comparison.
    ToggleCompare(AlgorithmKind),
    Pattern(Pattern),
    Store(StoreMode),
    Balancer(Balancer),
    Key(KeyKind),
    Preset(String),
}

/// A config edit, refused with a message if the core refuses it.
fn edit(lab: &mut RateLimitLab, edit: impl FnOnce(&mut RateLimitConfig)) -> Result<Change, String> {
    lab.reconfigure(edit)
        .map(|()| Change::Committed)
        .map_err(|e| super::sentence(&e))
}

impl LabModel for RateLimitLab {
    type Scenario = RateLimitScenario;
    type Action = RateLimitAction;
    type Extra = ();

    fn build(scenario: &RateLimitScenario) -> Result<Self, ConfigError> {
        RateLimitLab::new(scenario)
    }
    fn scenario(&self) -> RateLimitScenario {
        RateLimitLab::scenario(self)
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        RateLimitLab::step(self)
    }
    fn set_seed(&mut self, seed: u64) -> Result<(), ConfigError> {
        self.reconfigure(|c| c.seed = seed)
    }
    fn finished(&self) -> bool {
        RateLimitLab::finished(self)
    }
    fn run_to_end(&mut self) {
        RateLimitLab::run_to_end(self);
    }
    /// One tick of simulated time per tick of real time, times the speed.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms)
    }

    fn act(s: &mut RateLimitState, action: RateLimitAction) -> Result<Change, String> {
        use RateLimitAction as A;
        match action {
            A::Set(param, text) => match parse_decimal(&text) {
                Some(value) => {
                    let mut config = s.lab.config().clone();
                    param.apply(&mut config, value)?;
                    edit(&mut s.lab, |c| *c = config)
                }
                None => Err(format!("{} must be a number (got {text:?})", param.label())),
            },
            A::Algorithm(kind) => edit(&mut s.lab, |c| {
                c.compare.retain(|k| *k != kind);
                c.algorithm = kind;
            }),
            A::ToggleCompare(kind) => edit(&mut s.lab, |c| {
                if kind != c.algorithm {
                    if c.compare.contains(&kind) {
                        c.compare.retain(|k| *k != kind);
                    } else {
                        c.compare.push(kind);
                    }
                }
            }),
            A::Pattern(p) => edit(&mut s.lab, |c| c.traffic.pattern = p),
            A::Store(m) => edit(&mut s.lab, |c| c.cluster.store = m),
            A::Balancer(b) => edit(&mut s.lab, |c| c.cluster.balancer = b),
            A::Key(k) => edit(&mut s.lab, |c| c.key = k),
            A::Preset(id) => match syslab_core::ratelimit::preset(&id) {
                Some(scenario) => s.restart(&scenario).map(|()| Change::Committed),
                None => Err(format!("There is no preset called {id:?}")),
            },
        }
    }
}

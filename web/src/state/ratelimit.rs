//! The rate-limiter lab's reducer: user intent in, a new `RateLimitLab` out, refused input kept
//! as a message while the simulation keeps its last good state.

use std::rc::Rc;

use syslab_core::Notice;
use syslab_core::format::parse_decimal;
use syslab_core::ratelimit::{
    AlgorithmKind, Balancer, KeyKind, Pattern, RateLimitConfig, RateLimitLab, RateLimitScenario,
    StoreMode,
};
use yew::Reducible;

/// Everything the rate-limiter lab's components draw from.
#[derive(Clone)]
pub struct RateLimitState {
    pub lab: RateLimitLab,
    /// The scenario the lab started from, for Reset.
    pub initial: RateLimitScenario,
    pub notices: Vec<Notice>,
    pub error: Option<String>,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Bumped on every change, so memoised views know when to recompute.
    pub revision: u64,
    /// Bumped when the scenario changes (config or step), to update the URL.
    pub committed: u64,
}

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
        let whole = |v: f64| -> Result<u32, String> {
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) {
                Ok(v as u32)
            } else {
                Err(format!("{} must be a whole number from 0 up", self.label()))
            }
        };
        let millis = |v: f64| -> Result<u32, String> {
            let ms = v * 1000.0;
            if ms.is_finite() && ms >= 0.0 && ms <= f64::from(u32::MAX) {
                Ok(ms.round() as u32)
            } else {
                Err(format!("{} is out of range", self.label()))
            }
        };
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

/// What a user can do to the rate-limiter lab.
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
    Step,
    RunToEnd,
    TogglePlay,
    SetSpeed(f64),
    SetSeed(u64),
    Reset,
    Error(String),
    DismissMessages,
}

impl RateLimitState {
    /// A state from a scenario parsing already made valid; falls back to the default scenario
    /// (with a notice) if the core still refuses it.
    pub fn new(scenario: RateLimitScenario, mut notices: Vec<Notice>) -> Self {
        let lab = RateLimitLab::new(&scenario).unwrap_or_else(|err| {
            notices.push(Notice::new(
                "scenario",
                format!("{err}; showing the default"),
            ));
            RateLimitLab::new(&RateLimitScenario::default()).expect("the default is valid")
        });
        Self {
            initial: lab.scenario(),
            lab,
            notices,
            error: None,
            playing: false,
            speed: 1.0,
            revision: 0,
            committed: 0,
        }
    }

    fn done(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.error = None;
                self.revision += 1;
                self.committed += 1;
            }
            Err(message) => self.error = Some(message),
        }
    }

    fn edit(&mut self, edit: impl FnOnce(&mut RateLimitConfig)) -> Result<(), String> {
        self.lab.reconfigure(edit).map_err(|e| super::sentence(&e))
    }
}

impl Reducible for RateLimitState {
    type Action = RateLimitAction;

    fn reduce(self: Rc<Self>, action: RateLimitAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        use RateLimitAction as A;
        let result = match action {
            A::Set(param, text) => match parse_decimal(&text) {
                Some(value) => {
                    let mut config = s.lab.config().clone();
                    param
                        .apply(&mut config, value)
                        .and_then(|()| s.edit(|c| *c = config))
                }
                None => Err(format!("{} must be a number (got {text:?})", param.label())),
            },
            A::Algorithm(kind) => s.edit(|c| {
                c.compare.retain(|k| *k != kind);
                c.algorithm = kind;
            }),
            A::ToggleCompare(kind) => s.edit(|c| {
                if kind != c.algorithm {
                    if c.compare.contains(&kind) {
                        c.compare.retain(|k| *k != kind);
                    } else {
                        c.compare.push(kind);
                    }
                }
            }),
            A::Pattern(p) => s.edit(|c| c.traffic.pattern = p),
            A::Store(m) => s.edit(|c| c.cluster.store = m),
            A::Balancer(b) => s.edit(|c| c.cluster.balancer = b),
            A::Key(k) => s.edit(|c| c.key = k),
            A::Preset(id) => match syslab_core::ratelimit::preset(&id) {
                Some(scenario) => RateLimitLab::new(&scenario)
                    .map(|lab| {
                        s.lab = lab;
                        s.playing = false;
                    })
                    .map_err(|e| super::sentence(&e)),
                None => Err(format!("There is no preset called {id:?}")),
            },
            A::Step => {
                let r = s.lab.step().map_err(|e| super::sentence(&e));
                if s.lab.finished() {
                    s.playing = false;
                }
                r
            }
            A::RunToEnd => {
                s.lab.run_to_end();
                s.playing = false;
                Ok(())
            }
            A::TogglePlay => {
                s.playing = !s.playing && !s.lab.finished();
                return Rc::new(s);
            }
            A::SetSpeed(speed) => {
                if speed.is_finite() && speed > 0.0 {
                    s.speed = speed.clamp(0.25, 20.0);
                }
                return Rc::new(s);
            }
            A::SetSeed(seed) => s.edit(|c| c.seed = seed),
            A::Reset => RateLimitLab::new(&s.initial)
                .map(|lab| {
                    s.lab = lab;
                    s.playing = false;
                })
                .map_err(|e| super::sentence(&e)),
            A::Error(message) => Err(message),
            A::DismissMessages => {
                s.notices.clear();
                s.error = None;
                return Rc::new(s);
            }
        };
        s.done(result);
        Rc::new(s)
    }
}

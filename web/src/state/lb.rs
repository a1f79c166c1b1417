//! The load-balancer lab's reducer: user intent in, a new `LoadBalancerLab` out, refused input
//! kept as a message while the simulation keeps its last good state.

use std::rc::Rc;

use syslab_core::Notice;
use syslab_core::format::parse_decimal;
use syslab_core::lb::{Algorithm, LbConfig, LbScenario, LoadBalancerLab, ServerState, ServiceDist};
use yew::Reducible;

/// How much slower a server gets when the user makes it slow.
pub const SLOWDOWN: f64 = 5.0;

/// Everything the load-balancer lab's components draw from.
#[derive(Clone)]
pub struct LbState {
    pub lab: LoadBalancerLab,
    /// The scenario the lab started from, for Reset.
    pub initial: LbScenario,
    pub notices: Vec<Notice>,
    pub error: Option<String>,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// What clicking a server that is up does to it.
    pub click: ServerState,
    /// Bumped on every change, so memoised views know when to recompute.
    pub revision: u64,
    /// Bumped when the scenario changes (config, server change or step), to update the URL.
    pub committed: u64,
}

/// A numeric parameter typed or slid by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Servers,
    Spread,
    Capacity,
    Queue,
    Rate,
    RateCv,
    Cost,
    CostCv,
    Clients,
    TimeoutMs,
    Retries,
    Budget,
    HealthInterval,
    HealthFall,
    HealthRise,
    DurationS,
}

impl Param {
    /// The parameter's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Param::Servers => "The number of servers",
            Param::Spread => "The spread of server power",
            Param::Capacity => "The capacity",
            Param::Queue => "The queue limit",
            Param::Rate => "The request rate",
            Param::RateCv => "The rate's variability",
            Param::Cost => "The request cost",
            Param::CostCv => "The cost's variability",
            Param::Clients => "The number of clients",
            Param::TimeoutMs => "The timeout",
            Param::Retries => "The number of retries",
            Param::Budget => "The retry budget",
            Param::HealthInterval => "The health-check interval",
            Param::HealthFall => "Failures to mark down",
            Param::HealthRise => "Successes to mark up",
            Param::DurationS => "The run's length",
        }
    }

    /// Writes `value` into the config, refusing values that are not numbers of the right kind
    /// (the core then checks ranges).
    fn apply(self, c: &mut LbConfig, value: f64) -> Result<(), String> {
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
            Param::Servers => c.servers = whole(value)?,
            Param::Spread => c.spread = value,
            Param::Capacity => c.capacity = whole(value)?,
            Param::Queue => c.queue_limit = whole(value)?,
            Param::Rate => c.rate = value,
            Param::RateCv => c.rate_cv = value,
            Param::Cost => c.cost_ms = value,
            Param::CostCv => c.cost_cv = value,
            Param::Clients => c.clients = whole(value)?,
            Param::TimeoutMs => c.timeout_ms = whole(value)?,
            Param::Retries => c.retries = whole(value)?,
            Param::Budget => c.retry_budget = value,
            Param::HealthInterval => c.health.interval_ms = whole(value)?,
            Param::HealthFall => c.health.fall = whole(value)?,
            Param::HealthRise => c.health.rise = whole(value)?,
            Param::DurationS => c.duration_ms = millis(value)?,
        }
        Ok(())
    }
}

/// What a user can do to the load-balancer lab.
pub enum LbAction {
    /// A numeric parameter as typed (parsed here, so bad text gets a message).
    Set(Param, String),
    Algorithm(Algorithm),
    Service(ServiceDist),
    Compare(bool),
    Proxy(bool),
    L7(bool),
    /// What clicking an up server does: `Down` or `Slow`.
    ClickMode(ServerState),
    /// A server was clicked: an up server gets the click mode, any other is restored.
    ClickServer(u32),
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

impl LbState {
    /// A state from a scenario parsing already made valid; falls back to the default scenario
    /// (with a notice) if the core still refuses it.
    pub fn new(scenario: LbScenario, mut notices: Vec<Notice>) -> Self {
        let lab = LoadBalancerLab::new(&scenario).unwrap_or_else(|err| {
            notices.push(Notice::new(
                "scenario",
                format!("{err}; showing the default"),
            ));
            LoadBalancerLab::new(&LbScenario::default()).expect("the default is valid")
        });
        Self {
            initial: lab.scenario(),
            lab,
            notices,
            error: None,
            playing: false,
            speed: 1.0,
            click: ServerState::Down,
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

    fn edit(&mut self, edit: impl FnOnce(&mut LbConfig)) -> Result<(), String> {
        self.lab.reconfigure(edit).map_err(|e| super::sentence(&e))
    }

    fn restart(&mut self, scenario: &LbScenario) -> Result<(), String> {
        let lab = LoadBalancerLab::new(scenario).map_err(|e| super::sentence(&e))?;
        self.lab = lab;
        self.playing = false;
        Ok(())
    }
}

impl Reducible for LbState {
    type Action = LbAction;

    fn reduce(self: Rc<Self>, action: LbAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        use LbAction as A;
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
            A::Algorithm(a) => s.edit(|c| c.algorithm = a),
            A::Service(d) => s.edit(|c| c.service = d),
            A::Compare(on) => s.edit(|c| c.compare = on),
            A::Proxy(on) => s.edit(|c| c.proxy = on),
            A::L7(on) => s.edit(|c| c.l7 = on),
            A::ClickMode(mode) => {
                s.click = mode;
                return Rc::new(s);
            }
            A::ClickServer(server) => {
                let next = match s.lab.server_state(server) {
                    Some(ServerState::Up) => s.click,
                    _ => ServerState::Up,
                };
                s.lab
                    .set_server_state(server, next)
                    .map_err(|e| super::sentence(&e))
            }
            A::Preset(id) => match syslab_core::lb::preset(&id) {
                Some(scenario) => s.restart(&scenario),
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
            A::Reset => {
                let initial = s.initial.clone();
                s.restart(&initial)
            }
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

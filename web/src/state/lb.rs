//! The load-balancer lab's reducer: user intent in, a new `LoadBalancerLab` out, refused input
//! kept as a message while the simulation keeps its last good state.

use syslab_core::ConfigError;
use syslab_core::format::parse_decimal;
use syslab_core::lb::{Algorithm, LbConfig, LbScenario, LoadBalancerLab, ServerState, ServiceDist};

use super::session::{Change, LabModel, Session};

/// How much slower a server gets when the user makes it slow.
pub const SLOWDOWN: f64 = 5.0;

/// The load-balancer lab's `use_reducer` state.
pub type LbState = Session<LoadBalancerLab>;

/// What the page keeps beside the simulation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LbUi {
    /// What clicking a server that is up does to it: `Down` or `Slow`.
    pub click: ServerState,
}

impl Default for LbUi {
    fn default() -> Self {
        Self {
            click: ServerState::Down,
        }
    }
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
        let whole = |v: f64| super::whole(self.label(), v);
        let millis = |v: f64| super::millis(self.label(), v);
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

/// What a user can do to the load-balancer lab (besides what every lab can do).
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
}

/// A config edit, refused with a message if the core refuses it.
fn edit(lab: &mut LoadBalancerLab, edit: impl FnOnce(&mut LbConfig)) -> Result<Change, String> {
    lab.reconfigure(edit)
        .map(|()| Change::Committed)
        .map_err(|e| super::sentence(&e))
}

impl LabModel for LoadBalancerLab {
    type Scenario = LbScenario;
    type Action = LbAction;
    type Extra = LbUi;

    fn build(scenario: &LbScenario) -> Result<Self, ConfigError> {
        LoadBalancerLab::new(scenario)
    }
    fn scenario(&self) -> LbScenario {
        LoadBalancerLab::scenario(self)
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        LoadBalancerLab::step(self)
    }
    fn set_seed(&mut self, seed: u64) -> Result<(), ConfigError> {
        self.reconfigure(|c| c.seed = seed)
    }
    fn finished(&self) -> bool {
        LoadBalancerLab::finished(self)
    }
    fn run_to_end(&mut self) {
        LoadBalancerLab::run_to_end(self);
    }
    /// One tick of simulated time per tick of real time, times the speed.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms)
    }

    fn act(s: &mut LbState, action: LbAction) -> Result<Change, String> {
        use LbAction as A;
        match action {
            A::Set(param, text) => match parse_decimal(&text) {
                Some(value) => {
                    let mut config = s.lab.config().clone();
                    param.apply(&mut config, value)?;
                    edit(&mut s.lab, |c| *c = config)
                }
                None => Err(format!("{} must be a number (got {text:?})", param.label())),
            },
            A::Algorithm(a) => edit(&mut s.lab, |c| c.algorithm = a),
            A::Service(d) => edit(&mut s.lab, |c| c.service = d),
            A::Compare(on) => edit(&mut s.lab, |c| c.compare = on),
            A::Proxy(on) => edit(&mut s.lab, |c| c.proxy = on),
            A::L7(on) => edit(&mut s.lab, |c| c.l7 = on),
            A::ClickMode(mode) => {
                s.extra.click = mode;
                Ok(Change::Silent)
            }
            A::ClickServer(server) => {
                let next = match s.lab.server_state(server) {
                    Some(ServerState::Up) => s.extra.click,
                    _ => ServerState::Up,
                };
                s.lab
                    .set_server_state(server, next)
                    .map(|()| Change::Committed)
                    .map_err(|e| super::sentence(&e))
            }
            A::Preset(id) => match syslab_core::lb::preset(&id) {
                Some(scenario) => {
                    let click = s.extra.click;
                    let r = s.restart(&scenario).map(|()| Change::Committed);
                    s.extra.click = click;
                    r
                }
                None => Err(format!("There is no preset called {id:?}")),
            },
        }
    }
}

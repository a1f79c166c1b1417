//! The cache lab's reducer: user intent in, a new `CacheLab` out, refused input kept as a
//! message while the simulation keeps its last good state. An imported trace replaces the
//! workload only once it parsed and the lab accepted it.

use syslab_core::ConfigError;
use syslab_core::cache::{
    CacheConfig, CacheLab, CacheScenario, EventKind, PolicyKind, Trace, WorkloadKind, WriteStrategy,
};
use syslab_core::format::parse_decimal;

use super::session::{Change, LabModel, Session};

/// Requests of the miss-ratio curve computed per frame while it is incomplete.
pub const MRC_BUDGET: usize = 40_000;

/// The cache lab's `use_reducer` state.
pub type CacheState = Session<CacheLab>;

/// What the page keeps beside the simulation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CacheUi {
    /// The imported trace's name and size, while the workload is a trace.
    pub trace: Option<String>,
}

/// A numeric parameter typed or slid by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Capacity,
    TtlMs,
    FlushMs,
    Items,
    Requests,
    Skew,
    WriteRatio,
    Batch,
}

impl Param {
    /// The parameter's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Param::Capacity => "The cache size",
            Param::TtlMs => "The time to live",
            Param::FlushMs => "The flush interval",
            Param::Items => "The number of keys",
            Param::Requests => "The number of requests",
            Param::Skew => "The skew",
            Param::WriteRatio => "The share of writes",
            Param::Batch => "Requests per step",
        }
    }

    /// Writes `value` into the config, refusing values that are not numbers of the right kind
    /// (the core then checks ranges).
    fn apply(self, c: &mut CacheConfig, value: f64) -> Result<(), String> {
        let whole = |v: f64| super::whole(self.label(), v);
        match self {
            Param::Capacity => c.capacity = whole(value)?,
            Param::TtlMs => c.ttl_ms = whole(value)?,
            Param::FlushMs => c.flush_ms = whole(value)?,
            Param::Items => c.workload.items = whole(value)?,
            Param::Requests => c.workload.requests = whole(value)?,
            Param::Skew => c.workload.skew = value,
            Param::WriteRatio => c.workload.write_ratio = value,
            Param::Batch => c.batch = whole(value)?,
        }
        Ok(())
    }
}

/// What a user can do to the cache lab (besides what every lab can do).
pub enum CacheAction {
    /// A numeric parameter as typed (parsed here, so bad text gets a message).
    Set(Param, String),
    Policy(PolicyKind),
    /// Add or remove a policy from the comparison.
    ToggleCompare(PolicyKind),
    Workload(WorkloadKind),
    Write(WriteStrategy),
    /// Crash the cache, take the database down, bring it back.
    Event(EventKind),
    Preset(String),
    /// A trace parsed in the browser, with its file name.
    Trace(Box<Trace>, String),
    /// Another slice of the miss-ratio curve.
    AdvanceMrc,
}

/// Whether the miss-ratio curves are complete.
pub fn mrc_done(lab: &CacheLab) -> bool {
    lab.mrc_progress() >= 1.0
}

/// A config edit, refused with a message if the core refuses it. Leaving the trace workload
/// forgets the trace.
fn edit(s: &mut CacheState, edit: impl FnOnce(&mut CacheConfig)) -> Result<Change, String> {
    s.lab.reconfigure(edit).map_err(|e| super::sentence(&e))?;
    if s.lab.config().workload.kind != WorkloadKind::Trace {
        s.extra.trace = None;
    }
    Ok(Change::Committed)
}

impl LabModel for CacheLab {
    type Scenario = CacheScenario;
    type Action = CacheAction;
    type Extra = CacheUi;
    const SPEED: f64 = 4.0;

    fn build(scenario: &CacheScenario) -> Result<Self, ConfigError> {
        CacheLab::new(scenario)
    }
    fn scenario(&self) -> CacheScenario {
        CacheLab::scenario(self)
    }
    fn step(&mut self) -> Result<(), ConfigError> {
        CacheLab::step(self)
    }
    fn set_seed(&mut self, seed: u64) -> Result<(), ConfigError> {
        self.reconfigure(|c| c.seed = seed)
    }
    fn finished(&self) -> bool {
        CacheLab::finished(self)
    }
    fn run_to_end(&mut self) {
        CacheLab::run_to_end(self);
    }

    fn act(s: &mut CacheState, action: CacheAction) -> Result<Change, String> {
        use CacheAction as A;
        match action {
            A::Set(param, text) => match parse_decimal(&text) {
                Some(value) => {
                    let mut config = s.lab.config().clone();
                    param.apply(&mut config, value)?;
                    edit(s, |c| *c = config)
                }
                None => Err(format!("{} must be a number (got {text:?})", param.label())),
            },
            A::Policy(kind) => edit(s, |c| {
                c.compare.retain(|k| *k != kind);
                c.policy = kind;
            }),
            A::ToggleCompare(kind) => edit(s, |c| {
                if kind != c.policy {
                    if c.compare.contains(&kind) {
                        c.compare.retain(|k| *k != kind);
                    } else {
                        c.compare.push(kind);
                    }
                }
            }),
            A::Workload(WorkloadKind::Trace) => {
                Err("To replay a trace, import one (file or paste) below".to_owned())
            }
            A::Workload(kind) => edit(s, |c| c.workload.kind = kind),
            A::Write(strategy) => edit(s, |c| c.write = strategy),
            A::Event(kind) => {
                if s.lab.finished() {
                    Err("The run is over; reset or replay to try that".to_owned())
                } else {
                    s.lab.apply(kind);
                    Ok(Change::Committed)
                }
            }
            A::Preset(id) => match syslab_core::cache::preset(&id) {
                Some(scenario) => s.restart(&scenario).map(|()| Change::Committed),
                None => Err(format!("There is no preset called {id:?}")),
            },
            A::Trace(trace, name) => {
                let mut scenario = s.lab.scenario();
                scenario.config.workload.kind = WorkloadKind::Trace;
                scenario.config.workload.trace.clear();
                scenario.events.clear();
                scenario.steps = 0;
                let summary = format!(
                    "{name}: {} requests, {} keys",
                    syslab_core::format::thousands(trace.len() as u64),
                    syslab_core::format::thousands(trace.n_keys())
                );
                let lab =
                    CacheLab::with_trace(&scenario, *trace).map_err(|e| super::sentence(&e))?;
                s.replace(lab);
                s.extra.trace = Some(summary);
                Ok(Change::Committed)
            }
            A::AdvanceMrc => {
                s.lab.advance_mrc(MRC_BUDGET);
                Ok(Change::Shown)
            }
        }
    }
}

//! The cache lab's reducer: user intent in, a new `CacheLab` out, refused input kept as a
//! message while the simulation keeps its last good state. An imported trace replaces the
//! workload only once it parsed and the lab accepted it.

use std::rc::Rc;

use syslab_core::Notice;
use syslab_core::cache::{
    CacheConfig, CacheLab, CacheScenario, EventKind, PolicyKind, Trace, WorkloadKind, WriteStrategy,
};
use syslab_core::format::parse_decimal;
use yew::Reducible;

/// Requests of the miss-ratio curve computed per frame while it is incomplete.
pub const MRC_BUDGET: usize = 40_000;

/// Everything the cache lab's components draw from.
#[derive(Clone)]
pub struct CacheState {
    pub lab: CacheLab,
    /// The scenario the lab started from, for Reset.
    pub initial: CacheScenario,
    pub notices: Vec<Notice>,
    pub error: Option<String>,
    pub playing: bool,
    /// Steps per second.
    pub speed: f64,
    /// Whether the miss-ratio curve is complete.
    pub mrc_done: bool,
    /// The imported trace's name and size, while the workload is a trace.
    pub trace: Option<String>,
    /// Bumped on every change, so memoised views know when to recompute.
    pub revision: u64,
    /// Bumped when the scenario changes, to update the URL.
    pub committed: u64,
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
        let whole = |v: f64| -> Result<u32, String> {
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) {
                Ok(v as u32)
            } else {
                Err(format!("{} must be a whole number from 0 up", self.label()))
            }
        };
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

/// What a user can do to the cache lab.
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
    Step,
    RunToEnd,
    TogglePlay,
    SetSpeed(f64),
    SetSeed(u64),
    Reset,
    Error(String),
    DismissMessages,
}

impl CacheState {
    /// A state from a scenario parsing already made valid; falls back to the default scenario
    /// (with a notice) if the core still refuses it.
    pub fn new(scenario: CacheScenario, mut notices: Vec<Notice>) -> Self {
        let lab = CacheLab::new(&scenario).unwrap_or_else(|err| {
            notices.push(Notice::new(
                "scenario",
                format!("{err}; showing the default"),
            ));
            CacheLab::new(&CacheScenario::default()).expect("the default is valid")
        });
        Self {
            initial: lab.scenario(),
            lab,
            notices,
            error: None,
            playing: false,
            speed: 4.0,
            mrc_done: false,
            trace: None,
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

    fn edit(&mut self, edit: impl FnOnce(&mut CacheConfig)) -> Result<(), String> {
        self.lab
            .reconfigure(edit)
            .map_err(|e| super::sentence(&e))?;
        self.mrc_done = false;
        if self.lab.config().workload.kind != WorkloadKind::Trace {
            self.trace = None;
        }
        Ok(())
    }

    fn restart(&mut self, lab: CacheLab) {
        self.lab = lab;
        self.playing = false;
        self.mrc_done = false;
    }
}

impl Reducible for CacheState {
    type Action = CacheAction;

    fn reduce(self: Rc<Self>, action: CacheAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        use CacheAction as A;
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
            A::Policy(kind) => s.edit(|c| {
                c.compare.retain(|k| *k != kind);
                c.policy = kind;
            }),
            A::ToggleCompare(kind) => s.edit(|c| {
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
            A::Workload(kind) => s.edit(|c| c.workload.kind = kind),
            A::Write(strategy) => s.edit(|c| c.write = strategy),
            A::Event(kind) => {
                if s.lab.finished() {
                    Err("The run is over; reset or replay to try that".to_owned())
                } else {
                    s.lab.apply(kind);
                    Ok(())
                }
            }
            A::Preset(id) => match syslab_core::cache::preset(&id) {
                Some(scenario) => CacheLab::new(&scenario)
                    .map(|lab| {
                        s.restart(lab);
                        s.trace = None;
                    })
                    .map_err(|e| super::sentence(&e)),
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
                CacheLab::with_trace(&scenario, *trace)
                    .map(|lab| {
                        s.restart(lab);
                        s.trace = Some(summary);
                    })
                    .map_err(|e| super::sentence(&e))
            }
            A::AdvanceMrc => {
                s.mrc_done = s.lab.advance_mrc(MRC_BUDGET);
                s.revision += 1;
                return Rc::new(s);
            }
            A::Step => {
                let r = s.lab.step().map_err(|e| super::sentence(&e));
                if s.lab.finished() {
                    s.playing = false;
                }
                r
            }
            A::RunToEnd => {
                s.lab.run_to_end();
                s.mrc_done = true;
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
            A::Reset => CacheLab::new(&s.initial)
                .map(|lab| {
                    s.restart(lab);
                    s.trace = None;
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

//! The running consensus lab: one cluster stepped tick by tick, with clicks (crash, restart,
//! pause, cut a link, …) made at the current time and recorded in the scenario's fault
//! schedule so that a replay gives the same run.

use serde::{Deserialize, Serialize};

use super::config::{Fault, FaultKind, RaftConfig, Target};
use super::sim::{Sim, Status};
use crate::error::ConfigError;
use crate::linearizability::{Verdict, check};
use crate::time::Nanos;

/// Search steps the linearizability check of a run's client history may take (a few
/// milliseconds on the lab's histories of at most a few thousand operations of one
/// register; beyond it the check says it gave up and up to when the history was
/// linearizable).
pub const LIN_BUDGET: u64 = 2_000_000;

/// Real milliseconds a step of `tick` simulated ms takes at speed 1: the lab plays Raft 25
/// times slower than real time, so a 10 ms message is seen travelling for a quarter second.
pub const SLOW_MOTION: f64 = 25.0;

/// A consensus lab's whole state: its config (with the faults clicked so far) and how far it
/// has run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RaftScenario {
    /// Format version (see `SCENARIO_VERSION`).
    pub version: u32,
    /// The run's config.
    pub config: RaftConfig,
    /// Steps taken so far.
    pub steps: u64,
}

impl Default for RaftScenario {
    fn default() -> Self {
        Self {
            version: crate::SCENARIO_VERSION,
            config: RaftConfig::default(),
            steps: 0,
        }
    }
}

/// A consensus lab.
#[derive(Clone, Debug)]
pub struct RaftLab {
    pub(crate) config: RaftConfig,
    pub(crate) sim: Sim,
    steps: u64,
    verdict: Option<Verdict>,
}

impl RaftLab {
    /// Builds the lab and replays the scenario's steps.
    pub fn new(scenario: &RaftScenario) -> Result<Self, ConfigError> {
        let config = &scenario.config;
        config.validate()?;
        if scenario.steps > config.n_ticks() {
            return Err(ConfigError::OutOfRange {
                what: "the steps taken (step)",
                value: scenario.steps.to_string(),
                range: "at most dur / tick",
            });
        }
        let mut lab = Self {
            config: config.clone(),
            sim: Sim::new(config, true),
            steps: 0,
            verdict: None,
        };
        for _ in 0..scenario.steps {
            lab.advance_one();
        }
        Ok(lab)
    }

    /// The lab's state as a scenario.
    pub fn scenario(&self) -> RaftScenario {
        RaftScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config.clone(),
            steps: self.steps,
        }
    }

    /// The config, with the faults clicked so far.
    pub fn config(&self) -> &RaftConfig {
        &self.config
    }

    /// The simulation.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Simulated time.
    pub fn now(&self) -> Nanos {
        self.sim.now
    }

    /// Whether the run is over: its end reached, or stopped by a safety violation.
    pub fn finished(&self) -> bool {
        self.steps >= self.config.n_ticks() || self.sim.stopped()
    }

    /// One step of `tick` ms.
    pub fn step(&mut self) {
        self.advance_one();
    }

    /// Runs to the end (or the first violation).
    pub fn run_to_end(&mut self) {
        while !self.finished() {
            self.advance_one();
        }
    }

    fn advance_one(&mut self) {
        if self.finished() {
            return;
        }
        self.steps += 1;
        let end = (u64::from(self.config.tick_ms) * Nanos::MS * self.steps)
            .min(self.config.duration_ns());
        self.sim.run_until(Nanos(end));
        if self.finished() && self.config.read_rate > 0.0 {
            self.verdict = Some(check(&self.sim.history, LIN_BUDGET));
        }
    }

    /// The linearizability check of the client history, once the run is over (only when
    /// the clients read).
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// Makes `kind` happen now, recording it in the schedule. Refused (and nothing changes)
    /// once the run is over or stopped, for nodes that do not exist, for a change that would
    /// do nothing, and when the schedule is full.
    pub fn act(&mut self, kind: FaultKind) -> Result<(), ConfigError> {
        if self.sim.stopped() {
            return Err(ConfigError::Invalid(
                "the run stopped at a safety violation: reset it to go on".to_owned(),
            ));
        }
        if self.steps >= self.config.n_ticks() {
            return Err(ConfigError::Invalid(
                "the run is over: reset it to crash, restart or cut anything".to_owned(),
            ));
        }
        self.check_effect(&kind)?;
        let at_ms = u32::try_from(self.sim.now.0 / Nanos::MS).unwrap_or(u32::MAX);
        let fault = Fault { at_ms, kind };
        let mut faults = self.config.faults.clone();
        let at = faults.partition_point(|f| f.at_ms <= at_ms);
        faults.insert(at, fault.clone());
        self.config.validate_faults(&faults)?;
        self.config.faults = faults;
        self.sim.apply_now(&fault);
        Ok(())
    }

    fn check_effect(&self, kind: &FaultKind) -> Result<(), ConfigError> {
        let size = self.config.nodes;
        if let Some(n) = kind.nodes().into_iter().find(|&n| n >= size) {
            return Err(ConfigError::Invalid(format!(
                "there is no S{} in a cluster of {size}",
                u32::from(n) + 1
            )));
        }
        let status = |n: u8| self.sim.nodes[usize::from(n)].status;
        let refuse = |what: String| Err(ConfigError::Invalid(what));
        match *kind {
            FaultKind::Crash(Target::Node(n)) if status(n) == Status::Crashed => {
                refuse(format!("S{} is already down", n + 1))
            }
            FaultKind::Pause(Target::Node(n)) if status(n) != Status::Up => {
                refuse(format!("S{} is not running", n + 1))
            }
            FaultKind::Restart(n) if status(n) != Status::Crashed => {
                refuse(format!("S{} has not crashed", n + 1))
            }
            FaultKind::Resume(n) if status(n) != Status::Paused => {
                refuse(format!("S{} is not paused", n + 1))
            }
            FaultKind::Cut { from, to, .. } | FaultKind::Heal { from, to, .. } if from == to => {
                refuse(format!("S{} has no link to itself", from + 1))
            }
            _ => Ok(()),
        }
    }

    /// A click on node `n`: a running node crashes, a crashed one restarts, a paused one
    /// resumes.
    pub fn click_node(&mut self, n: u8) -> Result<(), ConfigError> {
        let Some(node) = self.sim.nodes.get(usize::from(n)) else {
            return Err(ConfigError::Invalid(format!(
                "there is no S{} in a cluster of {}",
                u32::from(n) + 1,
                self.config.nodes
            )));
        };
        let kind = match node.status {
            Status::Up => FaultKind::Crash(Target::Node(n)),
            Status::Crashed => FaultKind::Restart(n),
            Status::Paused => FaultKind::Resume(n),
        };
        self.act(kind)
    }

    /// A click on the link between `a` and `b`: cut both ways if either way works, healed
    /// both ways otherwise.
    pub fn click_link(&mut self, a: u8, b: u8) -> Result<(), ConfigError> {
        let size = self.config.nodes;
        if a >= size || b >= size || a == b {
            return Err(ConfigError::Invalid(format!(
                "there is no link S{}—S{} in a cluster of {size}",
                u32::from(a) + 1,
                u32::from(b) + 1
            )));
        }
        let cut = &self.sim.cut;
        let whole = cut[usize::from(a)][usize::from(b)] && cut[usize::from(b)][usize::from(a)];
        let both = true;
        if whole {
            self.act(FaultKind::Heal {
                from: a,
                to: b,
                both,
            })
        } else {
            self.act(FaultKind::Cut {
                from: a,
                to: b,
                both,
            })
        }
    }
}

//! The cache lab behind the [`Lab`] contract: its actions (crash the cache, take the database
//! down or up, toggle a policy in the comparison, load a parsed trace, advance
//! the miss-ratio curve), each atomic.

use super::lab::{CacheLab, CacheScenario};
use super::params::{CACHE_PARAMS, check_work, request_bound};
use super::policy::PolicyKind;
use super::presets::presets;
use super::sim::EventKind;
use super::snapshot::CacheSnapshot;
use super::trace::Trace;
use super::view::CacheView;
use super::workload::WorkloadKind;
use crate::error::ConfigError;
use crate::schema::Param;
use crate::{Lab, LabScenario, Preset};

/// What a user can do to the cache lab beyond what every lab can.
#[derive(Clone, Debug, PartialEq)]
pub enum CacheAction {
    /// Crashes the cache, takes the database down or brings it back, before the next request.
    /// Refused once the run is over.
    Event(EventKind),
    /// Adds a policy to the comparison, or takes it out. The shown policy keeps its row
    /// either way; toggling it says whether it stays compared once another one is shown.
    ToggleCompare(PolicyKind),
    /// Replays a trace parsed by the page (see [`super::TraceParser`]) from the start, without
    /// events; the rest of the config is kept.
    LoadTrace(Box<Trace>),
}

/// Requests of the miss-ratio curve computed per piece of background work (the page runs
/// pieces between frames until [`CacheLab::mrc_progress`] reaches 1).
const MRC_PIECE: usize = 10_000;

impl CacheLab {
    /// The loaded trace, when the workload replays one that the config does not carry as
    /// text (it came from [`CacheLab::with_trace`] or [`CacheAction::LoadTrace`]).
    fn kept_trace(&self, scenario: &CacheScenario) -> Option<Trace> {
        let workload = &scenario.config.workload;
        let same = !workload.kind.is_generated() && *workload == self.config.workload;
        same.then(|| self.stream.trace.clone()).flatten()
    }

    /// Builds `scenario`'s lab on `trace` when there is one, else from the scenario alone.
    fn build(scenario: &CacheScenario, trace: Option<Trace>) -> Result<CacheLab, ConfigError> {
        match trace {
            Some(trace) => CacheLab::with_trace(scenario, trace),
            None => CacheLab::new(scenario),
        }
    }

    /// Applies a config edit through [`Lab::reconfigure`] (checked, position kept).
    fn edit(&mut self, edit: impl FnOnce(&mut CacheScenario)) -> Result<(), ConfigError> {
        let mut scenario = CacheLab::scenario(self);
        edit(&mut scenario);
        Lab::reconfigure(self, &scenario)
    }
}

impl Lab for CacheLab {
    const ID: &'static str = "cache";
    const TITLE: &'static str = "Caches";
    const SUMMARY: &'static str = "LRU, LFU, ARC, SIEVE, S3-FIFO and Bélády's optimum on the same trace, and what each write strategy risks.";
    type Scenario = CacheScenario;
    type Snapshot = CacheSnapshot;
    type View = CacheView;
    type Action = CacheAction;

    fn schema() -> &'static [Param<CacheScenario>] {
        CACHE_PARAMS
    }
    fn presets() -> Vec<Preset<CacheScenario>> {
        presets()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }

    /// Builds the lab after checking the scenario, its work budget included.
    fn new(scenario: &CacheScenario) -> Result<Self, ConfigError> {
        LabScenario::check(scenario)?;
        CacheLab::new(scenario)
    }
    fn scenario(&self) -> CacheScenario {
        CacheLab::scenario(self)
    }
    fn default_speed() -> f64 {
        4.0
    }
    /// A trace loaded in the page cannot travel in a link.
    fn shareable(&self) -> bool {
        self.config.workload.kind.is_generated()
    }
    /// The miss-ratio curves, computed after the lab is built and completed by
    /// `run_to_end`; the scenario does not change.
    fn background_pending(&self) -> bool {
        self.mrc_progress() < 1.0
    }
    /// The curves' progress bar moves with every piece.
    fn background_step(&mut self) -> bool {
        self.advance_mrc(MRC_PIECE);
        true
    }

    fn apply(&mut self, action: CacheAction) -> Result<(), ConfigError> {
        match action {
            CacheAction::Event(kind) => {
                if CacheLab::finished(self) {
                    return Err(ConfigError::Invalid(
                        "the run is over; reset or replay to try that".to_owned(),
                    ));
                }
                CacheLab::apply(self, kind);
                Ok(())
            }
            CacheAction::ToggleCompare(kind) => self.edit(|s| {
                let compare = &mut s.config.compare;
                if compare.contains(&kind) {
                    compare.retain(|k| *k != kind);
                } else {
                    compare.push(kind);
                }
            }),
            CacheAction::LoadTrace(trace) => {
                let mut scenario = CacheLab::scenario(self);
                scenario.config.workload.kind = WorkloadKind::Trace;
                scenario.config.workload.trace.clear();
                scenario.events.clear();
                scenario.steps = 0;
                LabScenario::check(&scenario)?;
                check_work(trace.len() as u64, scenario.config.policies().len() as u64)?;
                *self = CacheLab::with_trace(&scenario, *trace)?;
                Ok(())
            }
        }
    }

    /// Takes the next `batch` requests.
    fn step(&mut self) -> Result<(), ConfigError> {
        CacheLab::step(self)
    }
    fn finished(&self) -> bool {
        CacheLab::finished(self)
    }
    fn run_to_end(&mut self) {
        CacheLab::run_to_end(self);
    }
    fn progress(&self) -> Option<f64> {
        let total = CacheLab::total_steps(self).max(1);
        Some((CacheLab::steps(self).min(total) as f64 / total as f64).clamp(0.0, 1.0))
    }

    /// Rebuilds from the scenario, keeping a loaded trace while the workload stays that trace.
    /// A change of config alone (same events and step count) replays the run to the same
    /// request, as [`CacheLab::reconfigure`] does, rather than to the same step.
    fn reconfigure(&mut self, scenario: &CacheScenario) -> Result<(), ConfigError> {
        LabScenario::check(scenario)?;
        let trace = self.kept_trace(scenario);
        if let Some(trace) = &trace {
            check_work(trace.len() as u64, scenario.config.policies().len() as u64)?;
        }
        let same_run = scenario.events == self.events && scenario.steps == self.steps();
        if !same_run {
            *self = Self::build(scenario, trace)?;
            return Ok(());
        }
        let total = match &trace {
            Some(trace) => trace.len() as u32,
            None => request_bound(scenario).min(u64::from(u32::MAX)) as u32,
        };
        let batch = scenario.config.batch.max(1);
        let replay = CacheScenario {
            events: scenario
                .events
                .iter()
                .copied()
                .filter(|e| e.at <= total)
                .collect(),
            steps: u64::from(self.position().min(total).div_ceil(batch)),
            ..scenario.clone()
        };
        *self = Self::build(&replay, trace)?;
        Ok(())
    }

    fn view(&self) -> CacheView {
        CacheLab::view(self)
    }
    fn snapshot(&self) -> CacheSnapshot {
        CacheLab::snapshot(self)
    }
}

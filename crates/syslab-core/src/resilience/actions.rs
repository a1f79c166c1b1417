//! The resilience lab behind the [`Lab`] contract: its one user action (a tier clicked to
//! start or end a fault at the current time), atomic like every action.

use super::config::FaultKind;
use super::lab::{ResScenario, ResilienceLab};
use super::params::RES_PARAMS;
use super::snapshot::ResSnapshot;
use super::view::ResView;
use crate::error::ConfigError;
use crate::schema::Param;
use crate::{Lab, LabScenario, Preset};

/// What a user can do to the resilience lab beyond what every lab can. Each change is made at
/// the current simulated time in every compared run and recorded in the scenario's faults,
/// so a replay gives the same run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ResAction {
    /// A tier was clicked: a tier with an active fault has it ended now; any other gets
    /// `kind` from now for up to ten seconds.
    ClickTier {
        /// The tier (0 is A).
        tier: u8,
        /// The fault a click starts (the page's click mode).
        kind: FaultKind,
    },
}

impl Lab for ResilienceLab {
    const ID: &'static str = "resilience";
    const TITLE: &'static str = "Resilience";
    const SUMMARY: &'static str = "Timeouts, retries with backoff and jitter, budgets, circuit breakers and hedging on a call chain: the retry storms they cause and the ones they stop.";
    type Scenario = ResScenario;
    type Snapshot = ResSnapshot;
    type View = ResView;
    type Action = ResAction;

    fn schema() -> &'static [Param<ResScenario>] {
        RES_PARAMS
    }
    fn presets() -> Vec<Preset<ResScenario>> {
        super::presets::presets()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }

    /// Builds the lab, refusing configs it cannot simulate and runs over the work budget.
    fn new(scenario: &ResScenario) -> Result<Self, ConfigError> {
        LabScenario::check(scenario)?;
        ResilienceLab::new(scenario)
    }
    fn scenario(&self) -> ResScenario {
        ResilienceLab::scenario(self)
    }

    fn apply(&mut self, action: ResAction) -> Result<(), ConfigError> {
        match action {
            ResAction::ClickTier { tier, kind } => self.toggle_fault(tier, kind),
        }
    }

    /// One tick of simulated time; after the last, the drain that lets requests end.
    fn step(&mut self) -> Result<(), ConfigError> {
        ResilienceLab::step(self);
        Ok(())
    }
    fn finished(&self) -> bool {
        ResilienceLab::finished(self)
    }
    fn run_to_end(&mut self) {
        ResilienceLab::run_to_end(self);
    }
    fn progress(&self) -> Option<f64> {
        let total = self.total_steps().max(1);
        Some((self.steps().min(total) as f64 / total as f64).clamp(0.0, 1.0))
    }
    /// One tick of simulated time per tick of real time at speed 1.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms)
    }

    /// Replaces the config, keeping the simulated time: the run is replayed under the new
    /// config to the same moment. Refused scenarios leave the lab as it was.
    fn reconfigure(&mut self, scenario: &ResScenario) -> Result<(), ConfigError> {
        LabScenario::check(scenario)?;
        let config = scenario.config.clone();
        let steps = self
            .now_ns()
            .div_ceil(u64::from(config.tick_ms.max(1)) * 1_000_000)
            .min(config.n_ticks());
        *self = ResilienceLab::new(&ResScenario {
            version: crate::SCENARIO_VERSION,
            config,
            steps,
        })?;
        Ok(())
    }

    fn view(&self) -> ResView {
        ResilienceLab::view(self)
    }
    fn snapshot(&self) -> ResSnapshot {
        ResilienceLab::snapshot(self)
    }
}

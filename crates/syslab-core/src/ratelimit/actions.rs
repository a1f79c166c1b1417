//! The rate-limiter lab behind the [`Lab`] contract: its one action of its own (toggling an
//! algorithm in the comparison), and every other change through the schema, each atomic and
//! within the work budget.

use super::kind::AlgorithmKind;
use super::lab::{RateLimitLab, RateLimitScenario};
use super::params::RATE_LIMIT_PARAMS;
use super::presets::presets;
use super::snapshot::RateLimitSnapshot;
use super::view::RateLimitView;
use crate::error::ConfigError;
use crate::schema::Param;
use crate::{Lab, LabScenario, Preset};

/// What a user can do to the rate-limiter lab beyond what every lab can (set a parameter,
/// load a preset, step, play).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitAction {
    /// Adds an algorithm to the comparison, or removes it if it is there. The shown algorithm
    /// always has its row and cannot be toggled.
    ToggleCompare(AlgorithmKind),
}

impl Lab for RateLimitLab {
    const ID: &'static str = "rate-limiter";
    const TITLE: &'static str = "Rate limiters";
    const SUMMARY: &'static str = "Token and leaky buckets, fixed and sliding windows, GCRA: see the fixed window's double burst and the cost of distributed counting.";
    type Scenario = RateLimitScenario;
    type Snapshot = RateLimitSnapshot;
    type View = RateLimitView;
    type Action = RateLimitAction;

    fn schema() -> &'static [Param<RateLimitScenario>] {
        RATE_LIMIT_PARAMS
    }
    fn presets() -> Vec<Preset<RateLimitScenario>> {
        presets()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }

    /// Builds the lab, refusing scenarios over the work budget as well as invalid ones.
    fn new(scenario: &RateLimitScenario) -> Result<Self, ConfigError> {
        LabScenario::check(scenario)?;
        RateLimitLab::new(scenario)
    }
    fn scenario(&self) -> RateLimitScenario {
        RateLimitLab::scenario(self)
    }

    fn apply(&mut self, action: RateLimitAction) -> Result<(), ConfigError> {
        match action {
            RateLimitAction::ToggleCompare(kind) => {
                let mut scenario = self.scenario();
                let c = &mut scenario.config;
                if kind == c.algorithm {
                    return Err(ConfigError::Invalid(format!(
                        "{} is the algorithm shown; it is always in the comparison",
                        kind.label()
                    )));
                }
                if c.compare.contains(&kind) {
                    c.compare.retain(|k| *k != kind);
                } else {
                    c.compare.push(kind);
                }
                Lab::reconfigure(self, &scenario)
            }
        }
    }

    /// One tick of simulated time.
    fn step(&mut self) -> Result<(), ConfigError> {
        RateLimitLab::step(self)
    }
    fn finished(&self) -> bool {
        RateLimitLab::finished(self)
    }
    fn run_to_end(&mut self) {
        RateLimitLab::run_to_end(self);
    }
    fn progress(&self) -> Option<f64> {
        let total = RateLimitLab::total_steps(self).max(1);
        Some((RateLimitLab::steps(self).min(total) as f64 / total as f64).clamp(0.0, 1.0))
    }
    /// One tick of simulated time per tick of real time, times the speed.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms)
    }

    /// A new config replays the run to the same simulated time (see
    /// [`RateLimitLab::reconfigure`]); the same config with other steps rebuilds at those steps.
    /// Scenarios over the work budget are refused, leaving the lab as it was.
    fn reconfigure(&mut self, scenario: &RateLimitScenario) -> Result<(), ConfigError> {
        LabScenario::check(scenario)?;
        if scenario.config == *self.config() {
            *self = RateLimitLab::new(scenario)?;
            Ok(())
        } else {
            RateLimitLab::reconfigure(self, |c| *c = scenario.config.clone())
        }
    }

    fn view(&self) -> RateLimitView {
        RateLimitLab::view(self)
    }
    fn snapshot(&self) -> RateLimitSnapshot {
        RateLimitLab::snapshot(self)
    }
}

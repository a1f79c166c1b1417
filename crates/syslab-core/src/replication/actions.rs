//! The replication lab behind the [`Lab`] contract: its user actions (cut or heal the link
//! between two replicas, crash or restart a replica, at the current time), atomic like every
//! action.

use super::lab::{ReplLab, ReplScenario};
use super::params::REPL_PARAMS;
use super::presets::presets;
use super::snapshot::ReplSnapshot;
use super::view::ReplView;
use crate::error::ConfigError;
use crate::schema::Param;
use crate::{Lab, LabScenario, Preset};

/// What a user can do to the replication lab beyond what every lab can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplAction {
    /// The link between two replicas (0-based) was clicked: cut it both ways from now on, or
    /// heal it if it is cut now. Recorded in the scenario's cuts.
    ToggleLink { a: u32, b: u32 },
    /// A replica (0-based) was clicked: crash it now, or restart it if it is down. Recorded in
    /// the scenario's faults.
    ToggleReplica { i: u32 },
}

impl Lab for ReplLab {
    const ID: &'static str = "replication";
    const TITLE: &'static str = "Replication";
    const SUMMARY: &'static str = "Quorums, leaders, partitions and clocks: how often R = W = 1 reads stale data, what a partition costs under CP and AP, what an async failover or a split brain loses; measured against the PBS model.";
    type Scenario = ReplScenario;
    type Snapshot = ReplSnapshot;
    type View = ReplView;
    type Action = ReplAction;

    fn schema() -> &'static [Param<ReplScenario>] {
        REPL_PARAMS
    }
    fn presets() -> Vec<Preset<ReplScenario>> {
        presets()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }

    /// Builds the lab with the linearizability check of a finished run done.
    fn new(scenario: &ReplScenario) -> Result<Self, ConfigError> {
        let mut lab = Self::new_deferred(scenario)?;
        lab.finish_check();
        Ok(lab)
    }
    /// Builds the lab; the check of a finished run's history is left to background pieces.
    fn new_deferred(scenario: &ReplScenario) -> Result<Self, ConfigError> {
        LabScenario::check(scenario)?;
        Ok(ReplLab::build(scenario))
    }
    fn background_pending(&self) -> bool {
        self.checking().is_some()
    }
    /// The table's "checking…" row moves with every piece.
    fn background_step(&mut self) -> bool {
        self.check_step();
        true
    }
    fn scenario(&self) -> ReplScenario {
        ReplLab::scenario(self)
    }

    fn apply(&mut self, action: ReplAction) -> Result<(), ConfigError> {
        match action {
            ReplAction::ToggleLink { a, b } => self.toggle_link(a, b),
            ReplAction::ToggleReplica { i } => self.toggle_replica(i),
        }
    }

    fn step(&mut self) -> Result<(), ConfigError> {
        ReplLab::step(self);
        Ok(())
    }
    fn finished(&self) -> bool {
        ReplLab::finished(self)
    }
    fn run_to_end(&mut self) {
        ReplLab::run_to_end(self);
        self.finish_check();
    }
    fn progress(&self) -> Option<f64> {
        let total = self.total_steps().max(1);
        Some((self.steps().min(total) as f64 / total as f64).clamp(0.0, 1.0))
    }
    /// Ten real milliseconds per simulated millisecond at speed 1: messages crawl visibly.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms) * 10.0
    }

    /// Replaces the config and replays to the same step; refused scenarios leave the lab as
    /// it was.
    fn reconfigure(&mut self, scenario: &ReplScenario) -> Result<(), ConfigError> {
        LabScenario::check(scenario)?;
        ReplLab::reconfigure(self, scenario.config.clone());
        Ok(())
    }

    fn view(&self) -> ReplView {
        ReplLab::view(self)
    }
    fn snapshot(&self) -> ReplSnapshot {
        ReplLab::snapshot(self)
    }
}

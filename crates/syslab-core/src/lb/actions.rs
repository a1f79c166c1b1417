//! The load-balancer lab behind the [`Lab`] contract: its one user action (a server clicked
//! or set to a state at the current time), atomic like every action.

use super::config::ServerState;
use super::lab::{LbScenario, LoadBalancerLab};
use super::params::LB_PARAMS;
use super::presets::presets;
use super::snapshot::LbSnapshot;
use super::view::LbView;
use crate::error::ConfigError;
use crate::schema::Param;
use crate::{Lab, LabScenario, Preset};

/// What a user can do to the load-balancer lab beyond what every lab can. Each change is
/// made at the current simulated time, in every compared run, and recorded in the scenario
/// so that a replay gives the same run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LbAction {
    /// A server was clicked: a server that is up gets `up_becomes` (down, or slow), any other
    /// is restored.
    ClickServer {
        /// The server, by index (0 is the first).
        server: u32,
        /// What clicking a server that is up does to it (the page's click mode).
        up_becomes: ServerState,
    },
    /// Sets a server's state.
    SetServerState {
        /// The server, by index (0 is the first).
        server: u32,
        /// Its new state.
        state: ServerState,
    },
}

impl Lab for LoadBalancerLab {
    const ID: &'static str = "load-balancer";
    const TITLE: &'static str = "Load balancers";
    const SUMMARY: &'static str = "Round robin to peak EWMA on the same traffic: why least connections wins when costs vary, and what a slow server does.";
    type Scenario = LbScenario;
    type Snapshot = LbSnapshot;
    type View = LbView;
    type Action = LbAction;

    fn schema() -> &'static [Param<LbScenario>] {
        LB_PARAMS
    }
    fn presets() -> Vec<Preset<LbScenario>> {
        presets()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }

    /// Builds the lab, refusing configs it cannot simulate and runs over the work budget.
    fn new(scenario: &LbScenario) -> Result<Self, ConfigError> {
        LabScenario::check(scenario)?;
        LoadBalancerLab::new(scenario)
    }
    fn scenario(&self) -> LbScenario {
        LoadBalancerLab::scenario(self)
    }

    fn apply(&mut self, action: LbAction) -> Result<(), ConfigError> {
        match action {
            LbAction::ClickServer { server, up_becomes } => {
                let state = match self.server_state(server) {
                    Some(ServerState::Up) => up_becomes,
                    _ => ServerState::Up,
                };
                self.set_server_state(server, state)
            }
            LbAction::SetServerState { server, state } => self.set_server_state(server, state),
        }
    }

    /// One tick of simulated time; after the last, the drain that lets requests in flight end.
    fn step(&mut self) -> Result<(), ConfigError> {
        LoadBalancerLab::step(self)
    }
    fn finished(&self) -> bool {
        LoadBalancerLab::finished(self)
    }
    fn run_to_end(&mut self) {
        LoadBalancerLab::run_to_end(self);
    }
    fn progress(&self) -> Option<f64> {
        let total = LoadBalancerLab::total_steps(self).max(1);
        Some((LoadBalancerLab::steps(self).min(total) as f64 / total as f64).clamp(0.0, 1.0))
    }
    /// One tick of simulated time per tick of real time at speed 1.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms)
    }

    /// Replaces the config, keeping the simulated time: the run is replayed under the new
    /// config to the same moment (the scenario's step count is not used). Refused scenarios,
    /// over the budget included, leave the lab as it was.
    fn reconfigure(&mut self, scenario: &LbScenario) -> Result<(), ConfigError> {
        LabScenario::check(scenario)?;
        LoadBalancerLab::reconfigure(self, |c| *c = scenario.config.clone())
    }

    fn view(&self) -> LbView {
        LoadBalancerLab::view(self)
    }
    fn snapshot(&self) -> LbSnapshot {
        LoadBalancerLab::snapshot(self)
    }
}

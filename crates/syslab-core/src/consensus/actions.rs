//! The consensus lab behind the [`Lab`] contract: its actions (a server or a link clicked, a
//! partition, a client write, …), each made at the current simulated time, recorded in the
//! scenario's fault schedule and atomic like every action.

use super::config::{FaultKind, Target};
use super::lab::{RaftLab, RaftScenario, SLOW_MOTION};
use super::params::RAFT_PARAMS;
use super::snapshot::{RaftSnapshot, snapshot};
use super::view::RaftView;
use crate::error::ConfigError;
use crate::schema::Param;
use crate::{Lab, LabScenario, Preset};

/// What a user can do to the consensus lab beyond what every lab can.
#[derive(Clone, Debug, PartialEq)]
pub enum RaftAction {
    /// A server was clicked: a running one crashes, a crashed one restarts, a paused one
    /// resumes.
    ClickNode(u8),
    /// A link was clicked: cut both ways, or healed both ways if it was cut both ways.
    ClickLink(u8, u8),
    /// Pause a running server.
    Pause(u8),
    /// Force a server's election timeout now.
    Timeout(u8),
    /// Cut every link between servers of different groups (`groups[i]` is server i's).
    Partition(Vec<u8>),
    /// Heal every link.
    HealAll,
    /// One client write to the current leader.
    Write,
}

impl Lab for RaftLab {
    const ID: &'static str = "consensus";
    const TITLE: &'static str = "Consensus (Raft)";
    const SUMMARY: &'static str = "Raft's leader election and log replication on a network you can break: crash servers, cut links, partition the cluster, and watch the safety checks hold, unless you switch on the unsafe rule of the paper's Figure 8.";
    type Scenario = RaftScenario;
    type Snapshot = RaftSnapshot;
    type View = RaftView;
    type Action = RaftAction;

    fn schema() -> &'static [Param<RaftScenario>] {
        RAFT_PARAMS
    }
    fn presets() -> Vec<Preset<RaftScenario>> {
        super::presets::presets()
    }
    fn checks() -> Vec<crate::check::Check<Self>> {
        super::checks::checks()
    }
    fn stories() -> &'static [crate::story::Story] {
        super::stories::STORIES
    }

    fn new(scenario: &RaftScenario) -> Result<Self, ConfigError> {
        LabScenario::check(scenario)?;
        RaftLab::new(scenario)
    }
    fn scenario(&self) -> RaftScenario {
        RaftLab::scenario(self)
    }

    fn apply(&mut self, action: RaftAction) -> Result<(), ConfigError> {
        match action {
            RaftAction::ClickNode(n) => self.click_node(n),
            RaftAction::ClickLink(a, b) => self.click_link(a, b),
            RaftAction::Pause(n) => self.act(FaultKind::Pause(Target::Node(n))),
            RaftAction::Timeout(n) => self.act(FaultKind::Timeout(n)),
            RaftAction::Partition(groups) => self.act(FaultKind::Partition(groups)),
            RaftAction::HealAll => self.act(FaultKind::HealAll),
            RaftAction::Write => self.act(FaultKind::Write),
        }
    }

    fn step(&mut self) -> Result<(), ConfigError> {
        RaftLab::step(self);
        Ok(())
    }
    fn finished(&self) -> bool {
        RaftLab::finished(self)
    }
    fn run_to_end(&mut self) {
        RaftLab::run_to_end(self);
    }
    fn progress(&self) -> Option<f64> {
        let total = self.config().n_ticks().max(1);
        Some((self.steps().min(total) as f64 / total as f64).clamp(0.0, 1.0))
    }
    /// Raft in slow motion: one tick of simulated time takes [`SLOW_MOTION`] ticks of real
    /// time at speed 1.
    fn step_ms(&self) -> f64 {
        f64::from(self.config().tick_ms) * SLOW_MOTION
    }

    /// Replaces the config, replaying the run to the same moment. Refused scenarios leave
    /// the lab as it was.
    fn reconfigure(&mut self, scenario: &RaftScenario) -> Result<(), ConfigError> {
        LabScenario::check(scenario)?;
        let config = scenario.config.clone();
        let steps = (self.now().0 / crate::time::Nanos::MS)
            .div_ceil(u64::from(config.tick_ms.max(1)))
            .min(config.n_ticks());
        *self = RaftLab::new(&RaftScenario {
            version: crate::SCENARIO_VERSION,
            config,
            steps,
        })?;
        Ok(())
    }

    fn view(&self) -> RaftView {
        RaftLab::view(self)
    }
    fn snapshot(&self) -> RaftSnapshot {
        snapshot(self.sim(), self.verdict())
    }
}

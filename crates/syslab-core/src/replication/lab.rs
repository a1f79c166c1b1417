//! [`ReplLab`]: a [`Sim`] stepped tick by tick, the staleness experiment beside it, and the
//! scenario that rebuilds both.

use serde::{Deserialize, Serialize};

use super::config::{Cut, MAX_CUTS, ReplConfig};
use super::history::{LIN_PIECE, LinCheck, LinState};
use super::modes::{Fault, MAX_FAULTS, Mode, Target};
use super::sim::Sim;
use super::staleness::{Staleness, StalenessSetup};
use crate::error::ConfigError;

/// The replication lab's whole state as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplScenario {
    pub version: u32,
    pub config: ReplConfig,
    /// Steps taken (ticks; one more than the run's ticks includes the final drain).
    pub steps: u64,
}

impl Default for ReplScenario {
    fn default() -> Self {
        ReplScenario {
            version: crate::SCENARIO_VERSION,
            config: ReplConfig::default(),
            steps: 0,
        }
    }
}

/// The replication lab.
#[derive(Clone, Debug)]
pub struct ReplLab {
    pub(super) sim: Sim,
    pub(super) steps: u64,
    pub(super) staleness: Staleness,
    /// The client history's linearizability, checked once the run has ended.
    pub(super) lin: LinState,
    /// The compared quorum choices (`compare`), run in step with `sim`, with their labels.
    pub(super) others: Vec<(String, Sim)>,
}

impl ReplLab {
    /// Builds the lab (the scenario should be checked) and replays its steps.
    pub fn build(scenario: &ReplScenario) -> ReplLab {
        let staleness = Staleness::run(&setup_of(&scenario.config));
        let mut lab = ReplLab {
            sim: Sim::new(&scenario.config),
            steps: 0,
            staleness,
            lin: LinState::NotYet,
            others: others_of(&scenario.config),
        };
        lab.advance_to(scenario.steps);
        lab
    }

    pub fn config(&self) -> &ReplConfig {
        self.sim.config()
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// The compared quorum choices' runs, with their labels (none unless `compare`).
    pub fn compared(&self) -> &[(String, Sim)] {
        &self.others
    }

    pub fn staleness(&self) -> &Staleness {
        &self.staleness
    }

    /// The linearizability of the run's client history, once the run has ended and the
    /// check is done (see [`ReplLab::check_step`]).
    pub fn linearizability(&self) -> Option<&LinCheck> {
        match &self.lin {
            LinState::Done(check) => Some(check),
            _ => None,
        }
    }

    /// The check's progress while it runs, from 0 to 1.
    pub fn checking(&self) -> Option<f64> {
        match &self.lin {
            LinState::Checking(checker, _) => Some(checker.progress()),
            _ => None,
        }
    }

    /// One piece of the check (a few milliseconds); whether more remain.
    pub fn check_step(&mut self) -> bool {
        self.lin.advance(&self.sim, LIN_PIECE)
    }

    /// Completes the check now.
    pub fn finish_check(&mut self) {
        while self.lin.advance(&self.sim, u64::MAX) {}
    }

    /// The check's answer, completing it on a copy if it is still going.
    pub fn lin_answer(&self) -> Option<LinCheck> {
        self.lin.answer(&self.sim)
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Steps in a whole run: the ticks and the final drain.
    pub fn total_steps(&self) -> u64 {
        self.config().n_ticks() + 1
    }

    pub fn finished(&self) -> bool {
        self.steps >= self.total_steps()
    }

    pub fn scenario(&self) -> ReplScenario {
        ReplScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config().clone(),
            steps: self.steps,
        }
    }

    /// One tick; the step after the last drains every message and timeout.
    pub fn step(&mut self) {
        if self.finished() {
            return;
        }
        self.steps += 1;
        let until = if self.steps > self.config().n_ticks() {
            u64::MAX
        } else {
            self.steps * u64::from(self.config().tick_ms) * 1_000_000
        };
        self.sim.run_until(until);
        for (_, other) in &mut self.others {
            other.run_until(until);
        }
        if until == u64::MAX {
            self.lin = LinState::start(&self.sim);
        }
    }

    fn advance_to(&mut self, steps: u64) {
        while self.steps < steps.min(self.total_steps()) {
            self.step();
        }
    }

    pub fn run_to_end(&mut self) {
        self.advance_to(u64::MAX);
    }

    /// Replaces the config and replays to the same step. The staleness experiment is kept
    /// when nothing it depends on changed.
    pub fn reconfigure(&mut self, config: ReplConfig) {
        let keep = setup_of(&config) == setup_of(self.config());
        let staleness = if keep {
            std::mem::take(&mut self.staleness)
        } else {
            Staleness::run(&setup_of(&config))
        };
        let steps = self.steps;
        *self = ReplLab {
            sim: Sim::new(&config),
            steps: 0,
            staleness,
            lin: LinState::NotYet,
            others: others_of(&config),
        };
        self.advance_to(steps);
    }

    /// Cuts the link between replicas `a` and `b` (both ways) from now on, or heals it if it
    /// is cut now: recorded in the config, so a replay gives the same run.
    pub fn toggle_link(&mut self, a: u32, b: u32) -> Result<(), ConfigError> {
        let cfg = self.config();
        if a >= cfg.n || b >= cfg.n || a == b {
            return Err(ConfigError::Invalid(format!(
                "there is no link between replicas {} and {} (there are {})",
                a + 1,
                b + 1,
                cfg.n
            )));
        }
        let now_ms = self.sim.now() / 1_000_000;
        let mut config = cfg.clone();
        let now_f = self.sim.now() as f64 / 1e6;
        let active: Vec<usize> = config
            .cuts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.blocks(a, b, now_f) || c.blocks(b, a, now_f))
            .map(|(i, _)| i)
            .collect();
        if active.is_empty() {
            if config.cuts.len() >= MAX_CUTS {
                return Err(ConfigError::Invalid(format!(
                    "at most {MAX_CUTS} link cuts; this run has them all"
                )));
            }
            config.cuts.push(Cut {
                from: vec![a],
                to: vec![b],
                both: true,
                start_ms: now_ms,
                end_ms: None,
            });
        } else {
            // Heal every cut that blocks the link now; one that has not started long enough
            // to have an end after its start is removed.
            for &i in active.iter().rev() {
                let cut = &mut config.cuts[i];
                if now_ms > cut.start_ms {
                    cut.end_ms = Some(now_ms);
                } else {
                    config.cuts.remove(i);
                }
            }
        }
        config.validate()?;
        self.reconfigure(config);
        Ok(())
    }
}

impl ReplLab {
    /// Crashes replica `i` now, or restarts it if it is down: recorded in the config's
    /// faults, so a replay gives the same run.
    pub fn toggle_replica(&mut self, i: u32) -> Result<(), ConfigError> {
        let cfg = self.config();
        if i >= cfg.n {
            return Err(ConfigError::Invalid(format!(
                "there is no replica {} (there are {})",
                i + 1,
                cfg.n
            )));
        }
        if cfg.faults.len() >= MAX_FAULTS {
            return Err(ConfigError::Invalid(format!(
                "at most {MAX_FAULTS} crashes and restarts; this run has them all"
            )));
        }
        let at_ms = self.sim.now() / 1_000_000;
        let mut config = cfg.clone();
        let fault = Fault {
            at_ms,
            crash: !self.sim.is_down(i),
            target: Target::Replica(i),
        };
        let place = config.faults.partition_point(|f| f.at_ms <= at_ms);
        config.faults.insert(place, fault);
        config.validate()?;
        self.reconfigure(config);
        Ok(())
    }
}

fn others_of(c: &ReplConfig) -> Vec<(String, Sim)> {
    c.compared()
        .into_iter()
        .map(|(label, config)| (label, Sim::new(&config)))
        .collect()
}

fn setup_of(c: &ReplConfig) -> StalenessSetup {
    StalenessSetup {
        n: c.n,
        r: c.r,
        w: c.w,
        delays: c.delays(),
        // The staleness experiment models leaderless quorums.
        probes: if c.mode == Mode::Leader { 0 } else { c.probes },
        tmax: c.tmax,
        seed: c.seed,
    }
}

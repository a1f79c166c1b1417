//! The running resilience lab: the shown policy set (and, in comparison mode, the ladder of
//! policy sets; with `fixcmp`, every other cache fix) on identical traffic and faults,
//! stepped tick by tick, with faults added or ended at the current time by clicking a tier.

use serde::{Deserialize, Serialize};

use super::config::{Fault, FaultKind, ResConfig, TIER_NAMES};
use super::sim::Sim;
use crate::error::ConfigError;

/// How long after the end of the run the final step keeps simulating to let requests in
/// flight end (one hour of simulated time; with a deadline they all end much sooner).
pub const DRAIN_LIMIT_MS: u64 = 3_600_000;

/// How long a fault added by clicking a tier lasts, at most, in ms.
pub const CLICK_FAULT_MS: u32 = 10_000;

/// A resilience lab's whole state: its config (with the faults added so far) and how far it
/// has run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResScenario {
    /// Format version of this scenario (see `SCENARIO_VERSION`).
    pub version: u32,
    /// The run's config.
    pub config: ResConfig,
    /// Steps taken so far; one more than the run's steps means the final drain has run too.
    pub steps: u64,
}

impl Default for ResScenario {
    fn default() -> Self {
        Self {
            version: crate::SCENARIO_VERSION,
            config: ResConfig::default(),
            steps: 0,
        }
    }
}

/// A resilience lab.
#[derive(Clone, Debug)]
pub struct ResilienceLab {
    pub(crate) config: ResConfig,
    pub(crate) runs: Vec<Sim>,
    pub(crate) now: u64,
    steps: u64,
}

impl ResilienceLab {
    /// Builds the lab and replays the scenario's steps, refusing configs it cannot simulate.
    pub fn new(scenario: &ResScenario) -> Result<Self, ConfigError> {
        let config = &scenario.config;
        config.validate()?;
        if scenario.steps > config.n_ticks() + 1 {
            return Err(ConfigError::OutOfRange {
                what: "the steps taken",
                value: scenario.steps.to_string(),
                range: "at most duration / step, plus one for the final drain",
            });
        }
        let mut runs = vec![Sim::new("Shown", config)];
        if config.compare {
            runs.extend(config.ladder().iter().map(|(label, c)| Sim::new(label, c)));
        }
        runs.extend(config.fixes().iter().map(|(label, c)| Sim::new(label, c)));
        let mut lab = Self {
            config: config.clone(),
            runs,
            now: 0,
            steps: 0,
        };
        for _ in 0..scenario.steps {
            lab.advance_one();
        }
        Ok(lab)
    }

    /// The lab's state as a scenario.
    pub fn scenario(&self) -> ResScenario {
        ResScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config.clone(),
            steps: self.steps,
        }
    }

    /// The config, with the faults added so far.
    pub fn config(&self) -> &ResConfig {
        &self.config
    }

    /// Simulated time, in ns.
    pub fn now_ns(&self) -> u64 {
        self.now
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Steps in the whole run, the final drain included.
    pub fn total_steps(&self) -> u64 {
        self.config.n_ticks() + 1
    }

    /// Whether the run and its drain are over.
    pub fn finished(&self) -> bool {
        self.steps >= self.total_steps()
    }

    /// Advances by one tick; after the last, the drain; after that nothing.
    pub fn run_to_end(&mut self) {
        while !self.finished() {
            self.advance_one();
        }
    }

    /// One step.
    pub fn step(&mut self) {
        self.advance_one();
    }

    /// Retries sent into A in each 10 ms window of the run, for run `run` (0 is shown).
    pub fn retry_windows(&self, run: usize) -> &[u32] {
        self.runs.get(run).map_or(&[], |r| &r.retry_windows)
    }

    /// The fault active on tier `tier` now, if any (what a click would end).
    pub fn active_fault(&self, tier: u8) -> Option<usize> {
        self.config
            .faults
            .iter()
            .position(|f| f.tier == tier && f.active(self.now))
    }

    /// Clicking a tier: ends its active fault now, or starts `kind` on it now for up to
    /// [`CLICK_FAULT_MS`]. Recorded in the scenario, so a replay gives the same run. Refused
    /// (and nothing changes) for a tier that does not exist, once the run is over, or when
    /// the fault list is full.
    pub fn toggle_fault(&mut self, tier: u8, kind: FaultKind) -> Result<(), ConfigError> {
        if usize::from(tier) >= self.config.depth() {
            return Err(ConfigError::Invalid(format!(
                "there is no tier {} in a chain of {}",
                TIER_NAMES.get(usize::from(tier)).unwrap_or(&"?"),
                self.config.depth()
            )));
        }
        let now_ms = u32::try_from(self.now / 1_000_000).unwrap_or(u32::MAX);
        if now_ms >= self.config.duration_ms || self.steps >= self.config.n_ticks() {
            return Err(ConfigError::Invalid(
                "the run is over: reset it to add or end a fault".to_owned(),
            ));
        }
        let mut faults = self.config.faults.clone();
        match self.active_fault(tier) {
            Some(i) => {
                let f = &mut faults[i];
                if now_ms <= f.at_ms {
                    faults.remove(i);
                } else {
                    f.len_ms = now_ms - f.at_ms;
                }
            }
            None => {
                let len = CLICK_FAULT_MS.min(self.config.duration_ms - now_ms);
                let fault = Fault {
                    tier,
                    kind,
                    at_ms: now_ms,
                    len_ms: len,
                };
                let at = faults.partition_point(|f| f.at_ms <= now_ms);
                faults.insert(at, fault);
            }
        }
        self.config.validate_faults(&faults)?;
        // Faults are looked up by time, so the runs see the change from now on; events before
        // now were processed without it, as in a replay of the scenario.
        self.config.faults = faults;
        for run in &mut self.runs {
            run.set_faults(&self.config.faults);
        }
        Ok(())
    }

    fn advance_one(&mut self) {
        let n_ticks = self.config.n_ticks();
        if self.steps > n_ticks {
            return;
        }
        self.steps += 1;
        if self.steps <= n_ticks {
            let end = (u64::from(self.config.tick_ms) * 1_000_000 * self.steps)
                .min(self.config.duration_ns());
            for run in &mut self.runs {
                run.run_until(end);
                run.end_tick();
            }
            self.now = end;
        } else {
            let limit = self.config.duration_ns() + DRAIN_LIMIT_MS * 1_000_000;
            let mut end = self.now;
            for run in &mut self.runs {
                run.drain(limit);
                end = end.max(run.now);
            }
            for run in &mut self.runs {
                run.now = end;
                run.end_tick();
            }
            self.now = end;
        }
    }
}

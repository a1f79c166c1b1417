//! The running load-balancer lab: one simulation per algorithm on identical seeded traffic,
//! stepped tick by tick, with server changes applied to all of them at the same moment.

use serde::{Deserialize, Serialize};

use super::balancer::Algorithm;
use super::config::{LbConfig, ServerChange, ServerState};
use super::metrics::{ServerSample, TickPoint};
use super::sim::Sim;
use crate::error::ConfigError;
use crate::time::Nanos;

/// How long after the end of the run the final step keeps simulating to let requests in flight
/// end (one hour of simulated time; with a timeout they all end much sooner).
pub const DRAIN_LIMIT_MS: u64 = 3_600_000;

/// A load-balancer lab's whole state: its config (with the server changes made so far) and
/// how far it has run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LbScenario {
    /// Format version of this scenario (see `SCENARIO_VERSION`).
    pub version: u32,
    /// The run's config.
    pub config: LbConfig,
    /// Steps (ticks) taken so far; the lab replays them. One more than the run's ticks means
    /// the final drain has run too.
    pub steps: u64,
}

impl Default for LbScenario {
    fn default() -> Self {
        Self {
            version: crate::SCENARIO_VERSION,
            config: LbConfig::default(),
            steps: 0,
        }
    }
}

/// A load-balancer lab.
#[derive(Clone, Debug)]
pub struct LoadBalancerLab {
    pub(crate) config: LbConfig,
    pub(crate) runs: Vec<Sim>,
    pub(crate) now: Nanos,
    steps: u64,
}

impl LoadBalancerLab {
    /// Builds the lab and replays the scenario's steps, refusing configs it cannot simulate.
    pub fn new(scenario: &LbScenario) -> Result<Self, ConfigError> {
        let config = &scenario.config;
        config.validate()?;
        if scenario.steps > config.n_ticks() + 1 {
            return Err(ConfigError::OutOfRange {
                what: "the steps taken",
                value: scenario.steps.to_string(),
                range: "at most duration / step, plus one for the final drain",
            });
        }
        let runs = config
            .algorithms()
            .into_iter()
            .enumerate()
            .map(|(i, a)| Sim::new(config, a, i == 0))
            .collect();
        let mut lab = Self {
            config: config.clone(),
            runs,
            now: Nanos::ZERO,
            steps: 0,
        };
        for run in &mut lab.runs {
            run.apply_due_changes();
        }
        for _ in 0..scenario.steps {
            lab.advance_one();
        }
        Ok(lab)
    }

    /// The lab's state as a scenario.
    pub fn scenario(&self) -> LbScenario {
        LbScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config.clone(),
            steps: self.steps,
        }
    }

    /// The config, with the server changes made so far.
    pub fn config(&self) -> &LbConfig {
        &self.config
    }

    /// The current simulated time.
    pub fn now(&self) -> Nanos {
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

    /// The algorithms run, the shown one first.
    pub fn algorithms(&self) -> Vec<Algorithm> {
        self.runs.iter().map(|r| r.balancer.algorithm()).collect()
    }

    /// The per-tick series of run `run` (0 is the shown algorithm), every tick so far.
    pub fn series(&self, run: usize) -> &[TickPoint] {
        self.runs.get(run).map_or(&[], |r| &r.series)
    }

    /// The shown algorithm's per-server samples (`servers` per sampled tick), and how many
    /// ticks apart the samples are (1 unless servers × ticks passes a million).
    pub fn server_series(&self) -> (&[ServerSample], u64) {
        let stride = self.runs.first().map_or(1, |r| r.server_stride);
        (self.server_series_samples(), stride)
    }

    fn server_series_samples(&self) -> &[ServerSample] {
        self.runs
            .first()
            .and_then(|r| r.server_series.as_deref())
            .unwrap_or(&[])
    }

    /// Whether the balancer of run `run` currently considers server `server` healthy.
    pub fn healthy(&self, run: usize, server: u32) -> Option<bool> {
        self.runs
            .get(run)
            .and_then(|r| r.servers.get(server as usize))
            .map(|s| s.healthy)
    }

    /// Server `server`'s current state.
    pub fn server_state(&self, server: u32) -> Option<ServerState> {
        self.runs
            .first()
            .and_then(|r| r.servers.get(server as usize))
            .map(|s| s.state)
    }

    /// Advances the simulation by one tick; after the last tick, one more step lets every
    /// request in flight end (the drain); after that it does nothing.
    pub fn step(&mut self) -> Result<(), ConfigError> {
        self.advance_one();
        Ok(())
    }

    /// Steps until the simulated time reaches `now` (whole ticks, so it may pass it by less
    /// than one tick) or the run ends. What a browser animation frame calls.
    pub fn advance(&mut self, now: Nanos) {
        while self.now < now && self.steps < self.config.n_ticks() {
            self.advance_one();
        }
    }

    /// Runs to the end, the drain included.
    pub fn run_to_end(&mut self) {
        while !self.finished() {
            self.advance_one();
        }
    }

    /// Changes the config, keeping the simulated time (the run is replayed under the new
    /// config from the start). A refused config leaves the lab as it was.
    pub fn reconfigure(&mut self, edit: impl FnOnce(&mut LbConfig)) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        edit(&mut config);
        config.validate()?;
        let steps = self
            .now
            .0
            .div_ceil(config.tick().0.max(1))
            .min(config.n_ticks());
        *self = LoadBalancerLab::new(&LbScenario {
            version: crate::SCENARIO_VERSION,
            config,
            steps,
        })?;
        Ok(())
    }

    /// Sets server `server`'s state from now on, in every algorithm's run: take it down, make
    /// it slow, or restore it. Refused (and nothing changes) for an unknown server, a bad
    /// multiplier, when it would leave every server down, or once the run is over.
    pub fn set_server_state(&mut self, server: u32, state: ServerState) -> Result<(), ConfigError> {
        if self.steps >= self.config.n_ticks() {
            return Err(ConfigError::OutOfRange {
                what: "the time of a server change",
                value: format!("{} ms", self.now.0 / Nanos::MS),
                range: "before the end of the run",
            });
        }
        let change = ServerChange {
            at_ms: self.now.0 / Nanos::MS,
            server,
            state,
        };
        // After the changes due at or before now; scheduled later ones stay after it.
        let mut changes = self.config.changes.clone();
        let at = changes.partition_point(|c| c.at_ms <= change.at_ms);
        changes.insert(at, change);
        self.config.validate_changes(&changes)?;
        self.config.changes = changes;
        for run in &mut self.runs {
            run.schedule_change(&change);
            run.apply_due_changes();
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
            let end = (self.config.tick().0 * self.steps).min(self.config.duration().0);
            for run in &mut self.runs {
                run.run_until(end);
                // Server changes at the tick's end apply now, as a live change made between
                // ticks does (`set_server_state`), so a replay matches the live run.
                run.apply_due_changes();
                run.end_tick();
            }
            self.now = Nanos(end);
        } else {
            let limit = self.config.duration().0 + DRAIN_LIMIT_MS * Nanos::MS;
            let mut end = self.now.0;
            for run in &mut self.runs {
                run.drain(limit);
                end = end.max(run.now);
            }
            for run in &mut self.runs {
                run.now = end;
                run.end_tick();
            }
            self.now = Nanos(end);
        }
    }
}

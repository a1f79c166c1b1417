//! The running rate-limiter lab: the seeded arrivals, and one run per algorithm deciding them
//! tick by tick through the configured deployment.

use serde::{Deserialize, Serialize};

use super::arrivals::Arrival;
use super::cluster::Cluster;
use super::config::RateLimitConfig;
use super::decision::{Outcome, Verdict};
use super::kind::AlgorithmKind;
use super::metrics::RunMetrics;
use crate::error::ConfigError;
use crate::time::Nanos;

/// A rate-limiter lab's whole state: its config and how far it has run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitScenario {
    /// Format version of this scenario (see `SCENARIO_VERSION`).
    pub version: u32,
    /// The run's config.
    pub config: RateLimitConfig,
    /// Steps (ticks) taken so far; the lab replays them.
    pub steps: u64,
}

impl Default for RateLimitScenario {
    fn default() -> Self {
        Self {
            version: crate::SCENARIO_VERSION,
            config: RateLimitConfig::default(),
            steps: 0,
        }
    }
}

/// The last decision of a run, with what the client would have been told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// When the request arrived.
    pub at: Nanos,
    /// The client that sent it.
    pub client: u32,
    /// The limiter key it was counted under.
    pub key: u32,
    /// The instance that decided it.
    pub instance: u32,
    /// The decision and headers.
    pub verdict: Verdict,
}

/// One algorithm deciding the lab's arrivals.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    pub(crate) kind: AlgorithmKind,
    pub(crate) cluster: Cluster,
    pub(crate) metrics: RunMetrics,
    /// The outcome of every arrival decided so far, in arrival order.
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) last: Option<Response>,
}

/// A rate-limiter lab.
#[derive(Clone, Debug)]
pub struct RateLimitLab {
    pub(crate) config: RateLimitConfig,
    pub(crate) arrivals: Vec<Arrival>,
    pub(crate) runs: Vec<Run>,
    pub(crate) now: Nanos,
    /// The index of the first arrival not decided yet.
    pub(crate) next: usize,
    steps: u64,
}

impl RateLimitLab {
    /// Builds the lab and replays the scenario's steps, refusing configs it cannot simulate.
    pub fn new(scenario: &RateLimitScenario) -> Result<Self, ConfigError> {
        let config = &scenario.config;
        config.validate()?;
        let n_ticks = n_ticks(config);
        if scenario.steps > n_ticks {
            return Err(ConfigError::OutOfRange {
                what: "the steps taken",
                value: scenario.steps.to_string(),
                range: "at most duration / step",
            });
        }
        let arrivals = config
            .traffic
            .generate(config.duration(), config.window(), config.seed);
        let n_clients = config.traffic.n_clients();
        let n_keys = config.n_keys();
        let runs = config
            .algorithms()
            .into_iter()
            .map(|kind| {
                Ok(Run {
                    kind,
                    cluster: Cluster::new(
                        config.cluster,
                        config.params(kind)?,
                        n_keys,
                        config.seed,
                    ),
                    metrics: RunMetrics::new(config.window(), config.duration(), n_clients, n_keys),
                    outcomes: Vec::new(),
                    last: None,
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let mut lab = Self {
            config: config.clone(),
            arrivals,
            runs,
            now: Nanos::ZERO,
            next: 0,
            steps: 0,
        };
        for _ in 0..scenario.steps {
            lab.advance();
        }
        Ok(lab)
    }

    /// The lab's state as a scenario.
    pub fn scenario(&self) -> RateLimitScenario {
        RateLimitScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config.clone(),
            steps: self.steps,
        }
    }

    /// The config.
    pub fn config(&self) -> &RateLimitConfig {
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

    /// Steps in the whole run.
    pub fn total_steps(&self) -> u64 {
        n_ticks(&self.config)
    }

    /// Whether the run has reached its end.
    pub fn finished(&self) -> bool {
        self.steps >= self.total_steps()
    }

    /// Every arrival of the run, decided or not, in time order.
    pub fn arrivals(&self) -> &[Arrival] {
        &self.arrivals
    }

    /// The algorithms run, the shown one first.
    pub fn algorithms(&self) -> Vec<AlgorithmKind> {
        self.runs.iter().map(|r| r.kind).collect()
    }

    /// The outcomes of the arrivals decided so far by algorithm `run` (0 is the shown one).
    pub fn outcomes(&self, run: usize) -> &[Outcome] {
        self.runs.get(run).map_or(&[], |r| &r.outcomes)
    }

    /// Advances the simulation by one tick; at the end of the run it does nothing.
    pub fn step(&mut self) -> Result<(), ConfigError> {
        self.advance();
        Ok(())
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        while !self.finished() {
            self.advance();
        }
    }

    /// Changes the config, keeping the simulated time (the run is replayed under the new
    /// config). A refused config leaves the lab as it was.
    pub fn reconfigure(
        &mut self,
        edit: impl FnOnce(&mut RateLimitConfig),
    ) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        edit(&mut config);
        config.validate()?;
        let steps = self
            .now
            .0
            .div_ceil(config.tick().0.max(1))
            .min(n_ticks(&config));
        *self = RateLimitLab::new(&RateLimitScenario {
            version: crate::SCENARIO_VERSION,
            config,
            steps,
        })?;
        Ok(())
    }

    fn advance(&mut self) {
        if self.finished() {
            return;
        }
        self.steps += 1;
        self.now = Nanos((self.config.tick().0 * self.steps).min(self.config.duration().0));
        let end = self.next + self.arrivals[self.next..].partition_point(|a| a.at < self.now);
        for arrival in &self.arrivals[self.next..end] {
            let key = self.config.key_of(arrival.client);
            for run in &mut self.runs {
                let (verdict, instance) = run.cluster.decide(key, arrival.at);
                let words = run.cluster.memory_words();
                run.metrics
                    .record(arrival.at, arrival.client, key, verdict.decision, words);
                run.outcomes.push(verdict.decision.outcome());
                run.last = Some(Response {
                    at: arrival.at,
                    client: arrival.client,
                    key,
                    instance,
                    verdict,
                });
            }
        }
        self.next = end;
        for run in &mut self.runs {
            run.metrics.advance(self.now);
            let level = run.cluster.level(0, self.now);
            run.metrics.sample_level(self.now, level);
        }
    }
}

fn n_ticks(config: &RateLimitConfig) -> u64 {
    config.duration().0.div_ceil(config.tick().0.max(1))
}

/// Runs `algorithms` on the identical traffic of `config` to the end and returns the lab,
/// whose snapshot's runs are the comparison table's rows.
pub fn compare(
    config: &RateLimitConfig,
    algorithms: &[AlgorithmKind],
) -> Result<RateLimitLab, ConfigError> {
    let (first, rest) = algorithms.split_first().ok_or(ConfigError::OutOfRange {
        what: "the compared algorithms",
        value: "none".to_owned(),
        range: "at least one",
    })?;
    let config = RateLimitConfig {
        algorithm: *first,
        compare: rest.to_vec(),
        ..config.clone()
    };
    let mut lab = RateLimitLab::new(&RateLimitScenario {
        config,
        ..RateLimitScenario::default()
    })?;
    lab.run_to_end();
    Ok(lab)
}

//! The running cache lab: the request stream, the shown policy in front of the simulated
//! database, every compared policy on the identical stream, and the miss-ratio curve.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::config::CacheConfig;
use super::metrics::{CompareRun, MrcBuilder, N_POINTS, bucket_of};
use super::policy::Policy;
use super::sim::{CacheEvent, EventKind, Outcome, RequestRecord, Sim};
use super::trace::Trace;
use super::workload::{Stream, WorkloadKind};
use crate::error::ConfigError;

/// Requests the lab remembers for the recent-access list.
pub const RECENT: usize = 256;
/// Requests of the last step the lab keeps for the slot flashes.
pub const MAX_STEP_RECORDS: usize = 4_096;

/// A cache lab's whole state: its config, the events applied, and how far it has run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheScenario {
    /// Format version of this scenario (see `SCENARIO_VERSION`).
    pub version: u32,
    /// The run's config.
    pub config: CacheConfig,
    /// Crashes and database outages, in request order.
    pub events: Vec<CacheEvent>,
    /// Steps taken so far; the lab replays them.
    pub steps: u64,
}

impl Default for CacheScenario {
    fn default() -> Self {
        Self {
            version: crate::SCENARIO_VERSION,
            config: CacheConfig::default(),
            events: Vec::new(),
            steps: 0,
        }
    }
}

/// Per time bucket, what the shown policy's reads and the database saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimBucket {
    /// Reads.
    pub reads: u32,
    /// Reads served by the cache.
    pub hits: u32,
    /// Database reads and writes.
    pub db_ops: u32,
}

/// A cache lab.
#[derive(Clone, Debug)]
pub struct CacheLab {
    pub(crate) config: CacheConfig,
    pub(crate) stream: Stream,
    pub(crate) sim: Sim,
    pub(crate) runs: Vec<CompareRun>,
    pub(crate) events: Vec<CacheEvent>,
    /// Events `..applied` have taken effect.
    applied: usize,
    /// The next request to handle.
    pub(crate) next: u32,
    steps: u64,
    pub(crate) recent: VecDeque<RequestRecord>,
    pub(crate) last_step: Vec<RequestRecord>,
    pub(crate) sim_buckets: Vec<SimBucket>,
    pub(crate) mrc: MrcBuilder,
    pub(crate) distinct: u64,
}

impl CacheLab {
    /// Builds the lab and replays the scenario, refusing configs it cannot simulate.
    pub fn new(scenario: &CacheScenario) -> Result<Self, ConfigError> {
        scenario.config.validate()?;
        let stream = scenario.config.workload.stream(scenario.config.seed)?;
        Self::with_stream(scenario, stream)
    }

    /// Builds the lab on an already parsed trace (the browser parses a large trace in slices
    /// first). The config's workload kind should be `trace`; its trace text is not read, so
    /// this lab's [`CacheLab::scenario`] does not carry the trace: keep the file to rebuild it.
    pub fn with_trace(scenario: &CacheScenario, trace: Trace) -> Result<Self, ConfigError> {
        if trace.is_empty() {
            return Err(ConfigError::Parse("the trace has no requests".to_owned()));
        }
        scenario.config.validate()?;
        Self::with_stream(scenario, Stream::from_trace(trace))
    }

    fn with_stream(scenario: &CacheScenario, stream: Stream) -> Result<Self, ConfigError> {
        let config = scenario.config.clone();
        if stream.is_empty() {
            return Err(ConfigError::Parse(
                "the workload has no requests".to_owned(),
            ));
        }
        let total = stream.len() as u32;
        for (idx, event) in scenario.events.iter().enumerate() {
            if event.at > total || (idx > 0 && event.at < scenario.events[idx - 1].at) {
                return Err(ConfigError::OutOfRange {
                    what: "an event's request number",
                    value: event.at.to_string(),
                    range: "in order, and at most the number of requests",
                });
            }
        }
        let n_steps = u64::from(total.div_ceil(config.batch));
        if scenario.steps > n_steps {
            return Err(ConfigError::OutOfRange {
                what: "the steps taken",
                value: scenario.steps.to_string(),
                range: "at most requests / step size",
            });
        }
        let mut seen = vec![false; stream.key_space as usize];
        let mut distinct = 0u64;
        for &k in &stream.keys {
            if !seen[k as usize] {
                seen[k as usize] = true;
                distinct += 1;
            }
        }
        let shown = Policy::new(config.policy, config.capacity, config.seed, &stream.keys);
        let sim = Sim::new(&config, shown, stream.key_space);
        let runs = config
            .policies()
            .into_iter()
            .map(|kind| CompareRun::new(kind, config.capacity, config.seed, &stream.keys))
            .collect();
        let mrc = MrcBuilder::new(&config.policies(), distinct, config.seed);
        let mut lab = Self {
            config,
            stream,
            sim,
            runs,
            events: scenario.events.clone(),
            applied: 0,
            next: 0,
            steps: 0,
            recent: VecDeque::with_capacity(RECENT),
            last_step: Vec::new(),
            sim_buckets: vec![SimBucket::default(); N_POINTS as usize],
            mrc,
            distinct,
        };
        for _ in 0..scenario.steps {
            lab.advance();
        }
        // Events due before the next request have happened (as `apply` does them at once).
        while let Some(event) = lab.events.get(lab.applied).filter(|e| e.at <= lab.next) {
            lab.sim.apply(event.kind);
            lab.applied += 1;
        }
        Ok(lab)
    }

    /// The lab's state as a scenario.
    pub fn scenario(&self) -> CacheScenario {
        CacheScenario {
            version: crate::SCENARIO_VERSION,
            config: self.config.clone(),
            events: self.events.clone(),
            steps: self.steps,
        }
    }

    /// The config.
    pub fn config(&self) -> &CacheConfig {
        &self.config
    }

    /// The request stream.
    pub fn stream(&self) -> &Stream {
        &self.stream
    }

    /// The shown policy's simulation (cache, database, counters).
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Requests handled so far.
    pub fn position(&self) -> u32 {
        self.next
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Steps in the whole run.
    pub fn total_steps(&self) -> u64 {
        u64::from((self.stream.len() as u32).div_ceil(self.config.batch))
    }

    /// Whether every request has been handled.
    pub fn finished(&self) -> bool {
        self.next as usize >= self.stream.len()
    }

    /// The requests of the last step (at most [`MAX_STEP_RECORDS`], the latest ones).
    pub fn last_step(&self) -> &[RequestRecord] {
        &self.last_step
    }

    /// Handles the next `batch` requests; at the end of the run it does nothing.
    pub fn step(&mut self) -> Result<(), ConfigError> {
        self.advance();
        Ok(())
    }

    /// Runs every request and completes the miss-ratio curve.
    pub fn run_to_end(&mut self) {
        while !self.finished() {
            self.advance();
        }
        self.advance_mrc(usize::MAX);
    }

    /// Computes up to `budget` more requests of the miss-ratio curve; returns whether it is
    /// complete. The browser calls this between frames; it does not change the scenario.
    pub fn advance_mrc(&mut self, budget: usize) -> bool {
        self.mrc.advance(&self.stream.keys, budget)
    }

    /// The share of the miss-ratio curve computed so far, 0 to 1 (for a progress bar).
    pub fn mrc_progress(&self) -> f64 {
        self.mrc.progress(self.stream.len())
    }

    /// Applies `kind` now (before the next request) and records it in the scenario.
    pub fn apply(&mut self, kind: EventKind) {
        // Events before `applied` are in the past; later ones (from a scenario) are not yet due.
        self.events.insert(
            self.applied,
            CacheEvent {
                at: self.next,
                kind,
            },
        );
        self.applied += 1;
        self.sim.apply(kind);
    }

    /// Changes the config, keeping the events and the position (the run is replayed under the
    /// new config). A refused config leaves the lab as it was.
    pub fn reconfigure(&mut self, edit: impl FnOnce(&mut CacheConfig)) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        edit(&mut config);
        config.validate()?;
        let regenerate = config.workload != self.config.workload || config.seed != self.config.seed;
        let stream = if regenerate {
            config.workload.stream(config.seed)?
        } else {
            self.stream.clone()
        };
        let total = stream.len() as u32;
        let steps = u64::from(self.next.min(total).div_ceil(config.batch));
        let events = self
            .events
            .iter()
            .copied()
            .filter(|e| e.at <= total)
            .collect();
        *self = Self::with_stream(
            &CacheScenario {
                version: crate::SCENARIO_VERSION,
                config,
                events,
                steps,
            },
            stream,
        )?;
        Ok(())
    }

    fn advance(&mut self) {
        if self.finished() {
            return;
        }
        self.steps += 1;
        let total = self.stream.len() as u32;
        let end = (self.next + self.config.batch).min(total);
        self.last_step.clear();
        let keep_from = end.saturating_sub(MAX_STEP_RECORDS as u32);
        for pos in self.next..end {
            while let Some(event) = self.events.get(self.applied).filter(|e| e.at <= pos) {
                self.sim.apply(event.kind);
                self.applied += 1;
            }
            let p = pos as usize;
            let (key, write, size) = (
                self.stream.keys[p],
                self.stream.writes[p],
                self.stream.sizes[p],
            );
            let before = (self.sim.counts.db_reads, self.sim.counts.db_writes);
            let record = self.sim.request(pos, key, write, size);
            let bucket = &mut self.sim_buckets[bucket_of(pos, total).min(N_POINTS as usize - 1)];
            let db_ops =
                (self.sim.counts.db_reads - before.0) + (self.sim.counts.db_writes - before.1);
            bucket.db_ops += db_ops as u32;
            if !write {
                bucket.reads += 1;
                bucket.hits +=
                    u32::from(matches!(record.outcome, Outcome::Hit | Outcome::StaleHit));
            }
            for run in &mut self.runs {
                run.access(pos, key, size, total);
            }
            if pos >= keep_from {
                self.last_step.push(record);
            }
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent.push_back(record);
        }
        self.next = end;
        if self.finished() {
            // Events placed at the very end still take effect.
            while let Some(event) = self.events.get(self.applied) {
                self.sim.apply(event.kind);
                self.applied += 1;
            }
        }
    }
}

impl WorkloadKind {
    /// Whether the kind is generated from the config (and so fits in a URL).
    pub fn is_generated(self) -> bool {
        self != WorkloadKind::Trace
    }
}

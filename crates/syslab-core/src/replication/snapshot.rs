//! The replication lab's numbers as plain data: what the CLI prints and the tests compare.

use serde::{Deserialize, Serialize};

use super::counts::Counts;
use super::history::LinCheck;
use super::lab::ReplLab;
use super::staleness::Staleness;

/// One replica.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicaRow {
    /// "r1" upwards.
    pub name: String,
    /// Its clock's offset from true time, ms.
    pub clock_offset_ms: f64,
    /// Keys it holds at the newest version any replica has.
    pub up_to_date_keys: u32,
}

/// One compared quorum choice's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparedRun {
    /// "majorities: R=2 W=2".
    pub label: String,
    pub counts: Counts,
}

/// Everything the lab shows, as numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplSnapshot {
    /// Simulated time, ms.
    pub time_ms: f64,
    pub steps: u64,
    pub finished: bool,
    pub counts: Counts,
    /// Share of finished reads that were stale.
    pub stale_share: f64,
    pub replicas: Vec<ReplicaRow>,
    /// The staleness experiment (the WARS model with the lab's delays).
    pub staleness: Staleness,
    /// The client history's linearizability, once the run has ended.
    pub linearizability: Option<LinCheck>,
    /// The same traffic under the other quorum choices (`cmp=1`), with their labels.
    pub compared: Vec<ComparedRun>,
    /// The largest gap between the measured curve and the closed form (exponential only).
    pub max_gap: Option<f64>,
}

impl ReplLab {
    pub fn snapshot(&self) -> ReplSnapshot {
        let sim = self.sim();
        let c = sim.counts;
        let replicas = (0..self.config().n)
            .map(|i| ReplicaRow {
                name: format!("r{}", i + 1),
                clock_offset_ms: sim.offset(i) as f64 / 1e6,
                up_to_date_keys: sim.up_to_date(i as usize),
            })
            .collect();
        ReplSnapshot {
            time_ms: sim.now().min(u64::MAX / 2) as f64 / 1e6,
            steps: self.steps(),
            finished: self.finished(),
            counts: c,
            stale_share: if c.reads_ok == 0 {
                0.0
            } else {
                c.stale_reads as f64 / c.reads_ok as f64
            },
            replicas,
            staleness: self.staleness().clone(),
            max_gap: self.staleness().max_gap(),
            linearizability: self.lin_answer(),
            compared: self
                .compared()
                .iter()
                .map(|(label, sim)| ComparedRun {
                    label: label.clone(),
                    counts: sim.counts,
                })
                .collect(),
        }
    }
}

//! Benchmarks of the three newer labs (resilience, replication, consensus), each built from a
//! share link through the lab contract (`syslab_core::Lab`), as the CLI and the page build
//! them: simulated work per second of wall time for a whole run, the cost of one animation
//! frame (a step and the view model), and the Monte Carlo experiments the pages run.
//!
//! A "frame" figure is one tick of Play at speed 1: the lab's `step` and its `view`. Under
//! 16.7 ms leaves room for 60 fps.

use std::hint::black_box;

use syslab_core::Lab;
use syslab_core::consensus::{RaftLab, election};
use syslab_core::contract::check_scenario_of;
use syslab_core::replication::{ReplLab, Staleness, StalenessSetup};
use syslab_core::resilience::ResilienceLab;

use crate::measure::{Budget, Clock, Figure, median, percentile, time_rounds};

/// The lab `query` describes (a benchmark's link is valid, or the benchmark is wrong).
fn lab<L: Lab>(query: &str) -> L {
    let scenario = check_scenario_of::<L>(query).expect("the benchmark's link is valid");
    L::new(&scenario).expect("the benchmark's scenario is valid")
}

/// The wall time of whole runs of `query`, and what one run counts (`count` of the finished
/// lab), as millions per second.
fn whole_runs<L: Lab>(query: &str, count: fn(&L) -> u64, clock: Clock<'_>, budget: &Budget) -> f64 {
    let run = || {
        let mut lab = lab::<L>(query);
        lab.run_to_end();
        count(&lab)
    };
    let counted = run();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(run());
    });
    counted as f64 / median(&rounds) / 1_000.0
}

/// One frame (`step` and `view`) of `query`'s lab after `warm` steps: median and p95, in ms.
fn frames<L: Lab>(query: &str, warm: usize, clock: Clock<'_>, budget: &Budget) -> (f64, f64) {
    let mut lab = lab::<L>(query);
    for _ in 0..warm {
        lab.step().expect("step");
    }
    let rounds = time_rounds(clock, budget, budget.min_frames, &mut || {
        if lab.finished() {
            lab = self::lab::<L>(query);
        }
        lab.step().expect("step");
        black_box(lab.view());
    });
    (median(&rounds), percentile(&rounds, 0.95))
}

/// The resilience lab's default chain (clients → A → B, 1,000 requests/s, timeouts, one
/// retry layer as the defaults set) over a 60 s run.
const RESILIENCE_DEFAULT: &str = "dur=60000";

/// The chain at 20,000 client requests per simulated second, with A and B sized for it.
const RESILIENCE_20K: &str = "rate=20000&an=40&bn=40&dur=60000";

/// `resilience/requests-default`: client requests per second of wall time, whole runs.
pub fn resilience_requests(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let rate = whole_runs::<ResilienceLab>(
        RESILIENCE_DEFAULT,
        |lab| lab.snapshot().runs[0].counts.generated,
        clock,
        budget,
    );
    vec![("resilience/requests-default", rate, "Mrequests/s")]
}

/// `resilience/frame-20k-rps` (median and p95).
pub fn resilience_frame(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let (median, p95) = frames::<ResilienceLab>(RESILIENCE_20K, 60, clock, budget);
    vec![
        ("resilience/frame-20k-rps", median, "ms"),
        ("resilience/frame-20k-rps-p95", p95, "ms"),
    ]
}

/// Five replicas, R = W = 2, 10,000 operations per simulated second for 10 s (the staleness
/// experiment off: it has its own benchmark).
const REPLICATION_5: &str = "n=5&r=2&w=2&rate=10000&clients=50&keys=1000&dur=10000&probes=0";

/// `replication/ops-5`: client operations per second of wall time, whole runs.
pub fn replication_ops(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let rate = whole_runs::<ReplLab>(
        REPLICATION_5,
        |lab| {
            let counts = lab.snapshot().counts;
            counts.writes + counts.reads
        },
        clock,
        budget,
    );
    vec![("replication/ops-5", rate, "Mops/s")]
}

/// `replication/frame-5` (median and p95): the same cluster while it plays.
pub fn replication_frame(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let (median, p95) = frames::<ReplLab>(REPLICATION_5, 60, clock, budget);
    vec![
        ("replication/frame-5", median, "ms"),
        ("replication/frame-5-p95", p95, "ms"),
    ]
}

/// `replication/staleness-100k`: the PBS staleness curve from 100,000 simulated writes (N = 3,
/// R = W = 1, exponential delays of 20 ms), in ms.
pub fn replication_staleness(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let query = "n=3&r=1&w=1&probes=100000";
    let c = check_scenario_of::<ReplLab>(query)
        .expect("the benchmark's link is valid")
        .config;
    let setup = StalenessSetup {
        n: c.n,
        r: c.r,
        w: c.w,
        delays: c.delays(),
        probes: c.probes,
        tmax: c.tmax,
        seed: c.seed,
    };
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(Staleness::run(black_box(&setup)));
    });
    vec![("replication/staleness-100k", median(&rounds), "ms")]
}

/// Five servers on the default network (10 ms + up to 5 ms each way), 100 client writes per
/// second, for 60 s.
const CONSENSUS_5: &str = "n=5&rate=100&dur=60000";

/// Nine servers, as the page plays them (2 ms steps).
const CONSENSUS_9: &str = "n=9&rate=100&dur=60000";

/// `consensus/messages-5`: messages delivered or dropped per second of wall time, whole runs.
pub fn consensus_messages(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let rate = whole_runs::<RaftLab>(CONSENSUS_5, |lab| lab.snapshot().messages, clock, budget);
    vec![("consensus/messages-5", rate, "Mmessages/s")]
}

/// `consensus/frame-9` (median and p95).
pub fn consensus_frame(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let (median, p95) = frames::<RaftLab>(CONSENSUS_9, 600, clock, budget);
    vec![
        ("consensus/frame-9", median, "ms"),
        ("consensus/frame-9-p95", p95, "ms"),
    ]
}

/// `consensus/election-trials-1000`: the 1,000 trials of one Figure 16 check (timeouts
/// 150–155 ms on the paper's network), in ms.
pub fn consensus_trials(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let query = "n=5&lat=2&jit=1&disk=10&rate=0&dur=100&tick=10&emin=150&emax=155&hb=75";
    let lab = lab::<RaftLab>(query);
    let c = lab.config();
    let config = election::trial_config(c, c.elect_min_ms, c.elect_max_ms);
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(election::trials(black_box(&config), 1_000));
    });
    vec![("consensus/election-trials-1000", median(&rounds), "ms")]
}

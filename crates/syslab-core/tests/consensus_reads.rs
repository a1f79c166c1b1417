//! Client reads in the consensus lab: the history of writes and reads is linearizable with
//! ReadIndex and with leases, and not with stale reads from any server, on a partition that
//! leaves the old leader with a minority; the checker's verdict is in the snapshot.

use syslab_core::consensus::{RaftLab, RaftSnapshot};
use syslab_core::query::parse_query;
use syslab_core::{Lab, LabScenario};

fn run(query: &str) -> RaftSnapshot {
    let (s, notices) = RaftLab::from_params(&parse_query(query));
    assert!(notices.is_empty(), "{query}: {notices:?}");
    LabScenario::check(&s).expect("valid");
    RaftLab::run(&s).expect("runs")
}

/// The old leader and one follower cut off from the other three for 4 s.
const PARTITION: &str = "reads=20&rate=10&fault=2000:part:14/235,6000:heal:all";

#[test]
fn only_stale_reads_break_linearizability() {
    for mode in ["readindex", "lease", "stale"] {
        let s = run(&format!("{PARTITION}&readmode={mode}"));
        assert!(s.violation.is_none(), "{mode}: {:?}", s.violation);
        assert!(s.reads > 100, "{mode}: {} reads answered", s.reads);
        let verdict = s.linearizable.clone().expect("checked at the end");
        if mode == "stale" {
            assert!(verdict.starts_with("no: the read at"), "{mode}: {verdict}");
        } else {
            assert!(verdict.starts_with("yes ("), "{mode}: {verdict}");
        }
    }
}

#[test]
fn reads_without_faults_are_linearizable_in_every_mode() {
    for mode in ["readindex", "lease", "stale"] {
        let s = run(&format!("reads=20&readmode={mode}&dur=5000"));
        let verdict = s.linearizable.clone().expect("checked");
        // Stale reads from followers lag the leader by a heartbeat, so even a healthy
        // cluster may be caught; the safe modes never are.
        if mode != "stale" {
            assert!(verdict.starts_with("yes ("), "{mode}: {verdict}");
        }
        assert!(s.reads > 50, "{mode}: {}", s.reads);
    }
    // No reads, no check.
    assert!(run("dur=2000").linearizable.is_none());
}

#[test]
fn the_read_presets_tell_their_story() {
    let stale = RaftLab::run(&RaftLab::preset("stale-read").expect("preset")).expect("runs");
    let verdict = stale.linearizable.expect("checked");
    assert!(verdict.starts_with("no:"), "{verdict}");
    let ri = RaftLab::run(&RaftLab::preset("read-index").expect("preset")).expect("runs");
    let verdict = ri.linearizable.expect("checked");
    assert!(verdict.starts_with("yes ("), "{verdict}");
}

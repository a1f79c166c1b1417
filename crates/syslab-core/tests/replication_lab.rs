//! The replication lab: determinism, atomic actions, refused input, and the quorum
//! properties (R + W > N never reads stale data under CP, whatever is lost or cut).

use proptest::prelude::*;
use syslab_core::query::parse_query;
use syslab_core::replication::{ReplAction, ReplLab, ReplScenario};
use syslab_core::{Lab, LabScenario};

fn scenario(query: &str) -> ReplScenario {
    let (s, notices) = ReplLab::from_params(&parse_query(query));
    assert!(notices.is_empty(), "{query}: {notices:?}");
    s
}

#[test]
fn same_scenario_same_snapshot() {
    let s = scenario("n=5&r=1&w=2&loss=0.05&skew=30&route=random&cut=1-2@1000:4000&probes=2000");
    let a = ReplLab::run(&s).unwrap();
    let b = ReplLab::run(&s).unwrap();
    assert_eq!(a, b);
    assert!(a.counts.writes > 0 && a.counts.reads > 0 && a.counts.dropped > 0);
}

#[test]
fn a_cut_link_replays_from_its_scenario() {
    let mut lab = ReplLab::new(&scenario("probes=1000")).unwrap();
    for _ in 0..200 {
        Lab::step(&mut lab).unwrap();
    }
    lab.apply(ReplAction::ToggleLink { a: 0, b: 2 }).unwrap();
    assert_eq!(lab.scenario().config.cuts.len(), 1);
    assert!(
        lab.view()
            .links
            .iter()
            .any(|l| l.a == 0 && l.b == 2 && l.cut_ab && l.cut_ba)
    );
    for _ in 0..200 {
        Lab::step(&mut lab).unwrap();
    }
    lab.apply(ReplAction::ToggleLink { a: 2, b: 0 }).unwrap();
    assert_eq!(lab.scenario().config.cuts[0].end_ms, Some(4_000));
    lab.run_to_end();
    let mut replay = ReplLab::new(&lab.scenario()).unwrap();
    replay.run_to_end();
    assert_eq!(lab.snapshot(), replay.snapshot());
    let link = ReplLab::to_params(&lab.scenario());
    assert!(
        link.iter().any(|(k, v)| k == "cut" && v == "1-3@2000:4000"),
        "{link:?}"
    );
}

#[test]
fn refused_input_leaves_the_lab_as_it_was() {
    let mut lab = ReplLab::new(&ReplScenario::default()).unwrap();
    Lab::step(&mut lab).unwrap();
    let before = lab.snapshot();
    for (key, value) in [
        ("r", "4"),
        ("w", "0"),
        ("n", "2"),
        ("n", "10"),
        ("wmean", "-1"),
        ("wmean", "NaN"),
        ("rate", "0"),
        ("cut", "1-4"),
        ("cut", "1-1"),
        ("cut", "2-3@500:100"),
        ("loss", "1"),
    ] {
        assert!(lab.set_param(key, value).is_err(), "{key}={value}");
        assert_eq!(lab.snapshot(), before, "{key}={value}");
    }
    for (a, b) in [(0, 0), (0, 3), (7, 1)] {
        assert!(lab.apply(ReplAction::ToggleLink { a, b }).is_err());
        assert_eq!(lab.snapshot(), before);
    }
    let mut too_big = ReplScenario::default();
    too_big.config.rate = 100_000.0;
    too_big.config.duration_ms = 600_000;
    too_big.config.tick_ms = 1_000;
    let err = LabScenario::check(&too_big).unwrap_err().to_string();
    assert!(err.contains("budget"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Strict quorums under CP are never stale, whatever is lost, cut or skewed; the
    /// accounting adds up.
    #[test]
    fn strict_quorums_are_never_stale(
        seed in 0u64..1_000,
        n in 3u32..=7,
        extra in 0u32..3,
        loss in 0.0f64..0.2,
        skew in 0.0f64..50.0,
        cut_at in 0u64..3_000,
    ) {
        let r = n / 2 + 1;
        let w = (n + 1 - r + extra).min(n);
        let q = format!(
            "seed={seed}&n={n}&r={r}&w={w}&loss={}&skew={}&cut=1-2@{cut_at}&route=random&hot=0.5&writes=0.5&dur=3000&rate=300&probes=0",
            syslab_core::schema::number(loss),
            syslab_core::schema::number(skew),
        );
        let snap = ReplLab::run(&scenario(&q)).unwrap();
        let c = snap.counts;
        prop_assert_eq!(c.stale_reads, 0);
        prop_assert_eq!(c.writes, c.writes_acked + c.writes_refused);
        prop_assert_eq!(c.reads, c.reads_ok + c.reads_refused);
    }
}

#[test]
fn weak_quorums_are_stale_and_skew_loses_writes() {
    let weak = ReplLab::run(&scenario("rate=1000&hot=0.9&writes=0.5&probes=0")).unwrap();
    assert!(weak.counts.stale_reads > 0);
    assert_eq!(weak.counts.acked_lost, 0, "no skew, no loss");
    let skewed = ReplLab::run(&scenario("preset=clock-skew")).unwrap();
    assert!(skewed.counts.acked_lost > 0);
}

/// The linearizability verdict of a finished run of `query`.
fn verdict(query: &str) -> syslab_core::replication::LinCheck {
    ReplLab::run(&scenario(query))
        .unwrap()
        .linearizability
        .expect("a finished run is checked")
}

#[test]
fn the_partition_presets_differ_in_linearizability() {
    use syslab_core::replication::LinCheck;
    // CP refuses in the minority: what was answered has one order. AP answers from the
    // minority: a read there misses a write the majority acknowledged, during the cut.
    assert!(matches!(
        verdict("preset=partition-cp&probes=1000"),
        LinCheck::Linearizable { .. }
    ));
    let LinCheck::Violation { call_ms, .. } = verdict("preset=partition-ap&probes=1000") else {
        panic!("AP during a partition should not be linearizable");
    };
    assert!((3_000.0..7_500.0).contains(&call_ms), "{call_ms}");
}

#[test]
fn reading_and_writing_every_replica_is_linearizable() {
    // R = W = N, no skew: a read sees the newest version anywhere, and versions only grow.
    // Twenty clients on one key keep many operations concurrent.
    use syslab_core::replication::LinCheck;
    for seed in 1..=4 {
        let q = format!(
            "r=3&w=3&keys=1&clients=20&rate=1000&writes=0.5&dur=2000&probes=500&seed={seed}"
        );
        assert!(
            matches!(verdict(&q), LinCheck::Linearizable { .. }),
            "seed {seed}"
        );
    }
}

#[test]
fn strict_quorums_without_stale_reads_can_still_break_linearizability() {
    // R + W > N counts no stale read (every read sees the last write acknowledged before
    // it began), yet a read can see a write still in progress and a later read miss it.
    use syslab_core::replication::LinCheck;
    let q = "preset=quorum-not-linearizable&probes=500";
    let snap = ReplLab::run(&scenario(q)).unwrap();
    assert_eq!(snap.counts.stale_reads, 0);
    assert!(matches!(
        snap.linearizability,
        Some(LinCheck::Violation { .. })
    ));
}

#[test]
fn the_page_checks_in_pieces_and_gets_the_same_answer() {
    let s = scenario("preset=partition-ap&probes=1000");
    let whole = ReplLab::run(&s).unwrap().linearizability;
    let mut lab = <ReplLab as Lab>::new_deferred(&s).unwrap();
    assert!(!lab.background_pending(), "nothing to check before the end");
    assert!(
        lab.view()
            .rows
            .iter()
            .any(|r| r.value == "checked when the run ends")
    );
    while !Lab::finished(&lab) {
        Lab::step(&mut lab).unwrap();
    }
    assert!(lab.background_pending());
    let mut pieces = 0;
    while lab.background_pending() {
        lab.background_step();
        pieces += 1;
    }
    assert!(pieces >= 1);
    assert_eq!(lab.linearizability().cloned(), whole);
    let row = lab
        .view()
        .rows
        .into_iter()
        .find(|r| r.label == "linearizable")
        .unwrap();
    assert!(row.value.starts_with("no: client"), "{}", row.value);
    assert!(row.alarm);
}

#[test]
fn anti_entropy_pulls_drifting_replicas_back_with_few_comparisons() {
    // No read repair and 30% loss: write requests are lost and replicas drift apart.
    let base = "r=1&w=1&repair=0&loss=0.3&keys=1000&writes=0.5&probes=500";
    let off = ReplLab::run(&scenario(base)).unwrap();
    let on = ReplLab::run(&scenario(&format!("{base}&ae=200"))).unwrap();
    let current = |s: &syslab_core::replication::ReplSnapshot| {
        s.replicas.iter().map(|r| r.up_to_date_keys).sum::<u32>()
    };
    assert!(
        current(&on) > current(&off),
        "{} vs {}",
        current(&on),
        current(&off)
    );
    assert!(on.counts.stale_reads < off.counts.stale_reads);
    assert_eq!(off.counts.ae_sessions, 0);
    // Three replicas, 49 rounds in 10 s: every replica holds a session each round.
    assert_eq!(on.counts.ae_sessions, 3 * 49);
    assert_eq!(on.counts.ae_naive, on.counts.ae_sessions * 1_000);
    assert!(on.counts.ae_repairs > 0);
    assert!(on.counts.ae_comparisons * 5 < on.counts.ae_naive);
}

#[test]
fn anti_entropy_needs_an_open_link() {
    // Replica 1 cut off from both others for the whole run. Each round every replica picks
    // the next peer in turn; the two picks that meet neither replica 1 are "2 with 3" in
    // even rounds and "3 with 2" in odd ones: one session in each of the 9 rounds.
    let s = scenario("ae=1000&probes=500&cut=1-2.3@0:20000");
    let snap = ReplLab::run(&s).unwrap();
    assert_eq!(snap.counts.ae_sessions, 9);
    let open = ReplLab::run(&scenario("ae=1000&probes=500")).unwrap();
    assert_eq!(open.counts.ae_sessions, 3 * 9);
}

#[test]
fn bad_anti_entropy_settings_are_refused_naming_them() {
    let (s, notices) = ReplLab::from_params(&parse_query("ae=5&keys=40"));
    assert_eq!(s.config.anti_entropy_ms, 0);
    assert_eq!(s.config.keys, 40, "the other parameter is kept");
    assert!(
        notices.iter().any(|n| n.to_string().contains("ae")),
        "{notices:?}"
    );
    let mut big = ReplScenario::default();
    big.config.anti_entropy_ms = 10;
    big.config.duration_ms = 600_000;
    big.config.n = 9;
    big.config.keys = 10_000;
    big.config.tick_ms = 1_000;
    big.config.rate = 1.0;
    let err = ReplLab::new(&big).expect_err("over the budget").to_string();
    assert!(err.contains("raise ae"), "{err}");
}

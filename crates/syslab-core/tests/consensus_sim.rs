//! The consensus simulation: elections and replication work, the safety invariants hold over
//! seeded random schedules of crashes, pauses, partitions, loss and duplication with the safe
//! rules, and the paper's Figure 8 history is caught with the unsafe commit rule.

use proptest::prelude::*;
use syslab_core::consensus::{
    Fault, FaultKind, RaftConfig, RaftLab, RaftScenario, Role, Rule, Sim, Status, Target,
};
use syslab_core::time::Nanos;

fn run(cfg: &RaftConfig) -> Sim {
    let mut sim = Sim::new(cfg, true);
    sim.run_until(Nanos::from_ms(u64::from(cfg.duration_ms)));
    sim
}

fn at(at_ms: u32, kind: FaultKind) -> Fault {
    Fault { at_ms, kind }
}

#[test]
fn a_healthy_cluster_elects_one_leader_and_commits_every_write() {
    let cfg = RaftConfig::default();
    let sim = run(&cfg);
    assert!(sim.violation().is_none(), "{:?}", sim.violation());
    let leaders: Vec<_> = sim
        .nodes
        .iter()
        .filter(|n| n.role == Role::Leader)
        .collect();
    assert_eq!(leaders.len(), 1);
    // 5 writes a second for 10 s, the first ones before any leader is refused.
    assert!(sim.stats.writes >= 45, "{:?}", sim.stats.writes);
    assert!(sim.safety.committed_len() as u64 >= sim.stats.writes - 2);
    // Every follower holds the committed log.
    for n in &sim.nodes {
        assert!(n.log.len() + 1 >= sim.safety.committed_len());
    }
    let lat = &sim.stats.commit_latencies;
    assert!(!lat.is_empty());
    // One round trip: 20 to 30 ms with 10 ms + up to 5 ms each way.
    for l in lat {
        assert!(
            (Nanos::from_ms(20)..=Nanos::from_ms(31)).contains(l),
            "{l:?}"
        );
    }
}

#[test]
fn a_crashed_leader_is_replaced_within_two_timeouts() {
    let cfg = RaftConfig {
        faults: vec![at(3_000, FaultKind::Crash(Target::Leader))],
        ..RaftConfig::default()
    };
    let sim = run(&cfg);
    assert!(sim.violation().is_none());
    assert_eq!(sim.stats.election_times.len(), 1);
    let t = sim.stats.election_times[0];
    // At least the minimum timeout minus a heartbeat; usually within one timeout and a round trip.
    assert!(
        t >= Nanos::from_ms(100) && t <= Nanos::from_ms(700),
        "{t:?}"
    );
    assert!(sim.leader().is_some());
    assert_eq!(
        sim.nodes
            .iter()
            .filter(|n| n.status == Status::Crashed)
            .count(),
        1
    );
}

#[test]
fn a_minority_cannot_commit_and_the_majority_can() {
    let cfg = RaftConfig {
        faults: vec![at(2_000, FaultKind::Partition(vec![0, 0, 1, 1, 1]))],
        rate: 0.0,
        ..RaftConfig::default()
    };
    let mut sim = Sim::new(&cfg, true);
    sim.run_until(Nanos::from_ms(5_000));
    let leader = sim.leader().expect("the majority side elects a leader");
    assert!(
        leader >= 2,
        "the leader of the highest term is in the majority"
    );
    let before = sim.safety.committed_len();
    assert!(before == 0);
    // A write to the majority's leader commits.
    sim.apply_now(&at(5_000, FaultKind::Write));
    sim.run_until(Nanos::from_ms(5_200));
    assert_eq!(sim.safety.committed_len(), 1);
    // Crash the majority's leader: no majority on either side (2 + 2): nothing commits.
    sim.apply_now(&at(5_200, FaultKind::Crash(Target::Node(leader))));
    sim.run_until(Nanos::from_ms(8_000));
    sim.apply_now(&at(8_000, FaultKind::Write));
    sim.run_until(Nanos::from_ms(9_000));
    assert_eq!(sim.safety.committed_len(), 1);
    assert!(sim.violation().is_none());
}

/// The paper's Figure 8, driven step by step: S1 leads and replicates an entry to S2 only; S5
/// wins the next term with S3 and S4 and takes a different entry at that index; S1 returns,
/// wins a later term and replicates its old entry to a majority. The unsafe rule commits it
/// by counting; S5 then wins again with a log whose last term is higher and overwrites it.
pub fn figure8(unsafe_commit: bool) -> RaftConfig {
    use FaultKind::*;
    let cut = |from, to| Cut {
        from,
        to,
        both: false,
    };
    RaftConfig {
        nodes: 5,
        elect_min_ms: 400,
        elect_max_ms: 500,
        heartbeat_ms: 50,
        latency_ms: 10.0,
        jitter_ms: 0.0,
        rate: 0.0,
        duration_ms: 1_000,
        unsafe_commit,
        faults: vec![
            at(0, Timeout(0)),
            at(100, Write),
            at(200, cut(0, 2)),
            at(200, cut(0, 3)),
            at(200, cut(0, 4)),
            at(210, Write),
            at(250, Crash(Target::Node(0))),
            at(250, HealAll),
            at(260, Timeout(4)),
            at(290, cut(4, 0)),
            at(290, cut(4, 1)),
            at(290, cut(4, 2)),
            at(290, cut(4, 3)),
            at(300, Write),
            at(320, Crash(Target::Node(4))),
            at(320, HealAll),
            at(320, Restart(0)),
            at(330, Timeout(0)),
            at(360, Timeout(0)),
            at(420, Crash(Target::Node(0))),
            at(420, Restart(4)),
            at(430, Timeout(4)),
            at(460, Timeout(4)),
        ],
        ..RaftConfig::default()
    }
}

#[test]
fn figure_8_is_caught_with_the_unsafe_rule_only() {
    let bad = run(&figure8(true));
    let v = bad.violation().expect("the unsafe rule breaks safety");
    assert_eq!(v.rule, Rule::LeaderCompleteness, "{}", v.text);
    assert!(v.text.starts_with("S5 leads"), "{}", v.text);
    assert!(!v.recent.is_empty());
    let good = run(&figure8(false));
    assert!(good.violation().is_none(), "{:?}", good.violation());
    // With the safe rule S5 still wins and overwrites index 2: it was never committed.
    assert_eq!(good.leader(), Some(4));
    assert_eq!(good.nodes[1].log[1].term, good.nodes[4].log[1].term);
}

#[test]
fn clicks_replay_exactly_from_the_scenario() {
    let mut lab = RaftLab::new(&RaftScenario::default()).expect("builds");
    for _ in 0..700 {
        lab.step();
    }
    let leader = lab.sim().leader().expect("a leader");
    lab.click_node(leader).expect("crash");
    for _ in 0..300 {
        lab.step();
    }
    lab.click_link(0, 1).expect("cut");
    lab.act(FaultKind::Write).expect("write");
    for _ in 0..300 {
        lab.step();
    }
    lab.click_node(leader).expect("restart");
    for _ in 0..500 {
        lab.step();
    }
    let replay = RaftLab::new(&lab.scenario()).expect("replays");
    assert_eq!(replay.sim().stats, lab.sim().stats);
    assert_eq!(replay.sim().now, lab.sim().now);
    for (a, b) in replay.sim().nodes.iter().zip(&lab.sim().nodes) {
        assert_eq!(
            (a.term, a.role, a.commit, &a.log),
            (b.term, b.role, b.commit, &b.log)
        );
    }
    // Bad clicks change nothing.
    let before = lab.scenario();
    assert!(lab.click_node(7).is_err());
    assert!(lab.click_link(2, 2).is_err());
    assert!(lab.act(FaultKind::Restart(2)).is_err());
    assert_eq!(lab.scenario(), before);
}

/// A random schedule of faults over `nodes` servers.
fn schedule(nodes: u8, picks: &[(u32, u8, u8, u8)]) -> Vec<Fault> {
    let mut out: Vec<Fault> = picks
        .iter()
        .map(|&(t, kind, a, b)| {
            let (a, b) = (a % nodes, b % nodes);
            let kind = match kind % 9 {
                0 | 1 => FaultKind::Crash(Target::Node(a)),
                2 => FaultKind::Crash(Target::Leader),
                3 => FaultKind::Restart(a),
                4 => FaultKind::Pause(Target::Node(a)),
                5 => FaultKind::Resume(a),
                6 => FaultKind::Cut {
                    from: a,
                    to: b,
                    both: b % 2 == 0,
                },
                7 => FaultKind::Partition((0..nodes).map(|i| u8::from(i < a.max(1))).collect()),
                _ => FaultKind::HealAll,
            };
            Fault { at_ms: t, kind }
        })
        .collect();
    out.sort_by_key(|f| f.at_ms);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// With the safe rules, no schedule of crashes, restarts, pauses, cuts and partitions,
    /// with loss and duplication, breaks any of the four properties; and a cluster healed for
    /// long enough elects a leader that commits writes.
    #[test]
    fn the_invariants_hold_under_random_faults(
        seed in 0u64..1_000_000,
        nodes in 3u8..=7,
        loss in 0.0f64..0.3,
        dup in 0.0f64..0.3,
        jitter in 0.0f64..40.0,
        prevote: bool,
        check_quorum: bool,
        picks in prop::collection::vec((0u32..5_000, 0u8..9, 0u8..9, 0u8..9), 0..30),
    ) {
        let mut faults = schedule(nodes, &picks);
        faults.push(Fault { at_ms: 5_000, kind: FaultKind::HealAll });
        for n in 0..nodes {
            faults.push(Fault { at_ms: 5_000, kind: FaultKind::Restart(n) });
            faults.push(Fault { at_ms: 5_000, kind: FaultKind::Resume(n) });
        }
        let cfg = RaftConfig {
            seed,
            nodes,
            loss,
            dup,
            jitter_ms: jitter,
            prevote,
            check_quorum,
            rate: 40.0,
            duration_ms: 9_000,
            faults,
            ..RaftConfig::default()
        };
        let mut sim = Sim::new(&cfg, true);
        sim.run_until(Nanos::from_ms(5_000));
        let before = sim.safety.committed_len();
        sim.run_until(Nanos::from_ms(9_000));
        prop_assert!(sim.violation().is_none(), "{:?}", sim.violation());
        if loss < 0.2 {
            // Liveness once healed: a leader is elected and commits writes.
            prop_assert!(sim.safety.committed_len() > before, "{:?}", sim.stats);
        }
    }
}

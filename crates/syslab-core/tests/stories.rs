//! Every story step opens exactly the scenario it says (its link reads with no notice), points
//! at a part of the page that exists, and the numbers its text claims are the numbers the lab
//! shows for that scenario.

use syslab_core::query::parse_query;
use syslab_core::story::{LOOKS, find};
use syslab_core::{LAB_IDS, Scenario, Snapshot, stories};

fn run(lab: &str, query: &str) -> Snapshot {
    let (scenario, notices) =
        Scenario::from_params(lab, &parse_query(query)).expect("a registered lab");
    assert!(notices.is_empty(), "{lab}?{query}: {notices:?}");
    scenario.run().expect("the step runs")
}

fn step(lab: &str, story: &str, index: usize) -> Snapshot {
    let story = find(stories(lab), story).expect("the story exists");
    run(lab, story.steps[index].query)
}

#[test]
fn every_lab_has_two_stories_whose_steps_read_cleanly() {
    for lab in LAB_IDS {
        let list = stories(lab);
        assert!(list.len() >= 2, "{lab} has {} stories", list.len());
        let mut ids: Vec<&str> = list.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), list.len(), "{lab}: duplicate story ids");
        for story in list {
            assert!(story.steps.len() >= 2, "{lab}/{}", story.id);
            for (idx, s) in story.steps.iter().enumerate() {
                assert!(
                    LOOKS.contains(&s.look),
                    "{lab}/{} step {idx}: {}",
                    story.id,
                    s.look
                );
                assert!(!s.text.trim().is_empty());
                let (_, notices) = Scenario::from_params(lab, &parse_query(s.query)).unwrap();
                assert!(
                    notices.is_empty(),
                    "{lab}/{} step {idx}: {notices:?}",
                    story.id
                );
            }
        }
    }
}

#[test]
fn an_unknown_story_names_the_ones_there_are() {
    let err = find(stories("ring"), "nope").unwrap_err();
    assert!(err.contains("why-vnodes"), "{err}");
    assert!(
        find(stories("no-such-lab"), "x")
            .unwrap_err()
            .contains("none yet")
    );
}

#[test]
fn ring_stories_say_what_the_ring_shows() {
    let max_over_fair = |s: Snapshot| match s {
        Snapshot::Ring(r) => r.load.max_over_fair,
        _ => unreachable!(),
    };
    let one = max_over_fair(step("ring", "why-vnodes", 0));
    let ten = max_over_fair(step("ring", "why-vnodes", 1));
    let many = max_over_fair(step("ring", "why-vnodes", 2));
    assert!(one > 2.0, "one token: {one}");
    assert!(
        (1.1..1.3).contains(&ten),
        "ten tokens: about 1.2×, got {ten}"
    );
    assert!(
        many < 1.1,
        "two hundred tokens: within a few percent, got {many}"
    );
    let moved = |s: Snapshot, strategy: &str| match s {
        Snapshot::Ring(r) => {
            let row = r
                .strategies
                .iter()
                .find(|row| format!("{:?}", row.strategy).eq_ignore_ascii_case(strategy))
                .unwrap();
            f64::from(row.moved.unwrap()) / f64::from(r.n_keys)
        }
        _ => unreachable!(),
    };
    let added = step("ring", "why-vnodes", 3);
    let ring = moved(added.clone(), "ring");
    let modulo = moved(added, "modulo");
    assert!((ring - 1.0 / 6.0).abs() < 0.03, "about a sixth: {ring}");
    assert!((modulo - 5.0 / 6.0).abs() < 0.03, "five sixths: {modulo}");
    let jump = moved(step("ring", "modulo-vs-ring", 3), "jump");
    assert!((jump - 1.0 / 6.0).abs() < 0.03, "{jump}");
}

#[test]
fn rate_limiter_stories_say_what_the_table_shows() {
    let most = |s: Snapshot| match s {
        Snapshot::RateLimiter(r) => r
            .runs
            .iter()
            .map(|run| (run.algorithm.id(), run.max_in_window))
            .collect::<Vec<_>>(),
        _ => unreachable!(),
    };
    assert_eq!(
        most(step("rate-limiter", "boundary-burst", 2)),
        [
            ("fixed_window", 20),
            ("sliding_log", 10),
            ("sliding_counter", 11)
        ]
    );
    assert_eq!(
        most(step("rate-limiter", "bursts-and-refill", 0)),
        [("token_bucket", 10)]
    );
    assert_eq!(
        most(step("rate-limiter", "bursts-and-refill", 2)),
        [("token_bucket", 29), ("gcra", 29)]
    );
}

#[test]
fn cache_stories_say_what_the_table_shows() {
    let hits = |s: Snapshot| match s {
        Snapshot::Cache(c) => c
            .rows
            .iter()
            .map(|r| (r.policy.id(), r.hit_ratio))
            .collect::<Vec<_>>(),
        _ => unreachable!(),
    };
    let scan = hits(step("cache", "scan-flushes-lru", 2));
    let get = |id| scan.iter().find(|(p, _)| *p == id).unwrap().1;
    assert!(
        get("sieve") > get("lru") + 0.04 && get("s3_fifo") > get("lru") + 0.04,
        "{scan:?}"
    );
    assert!(get("belady") > get("sieve"), "{scan:?}");
    let small = hits(step("cache", "how-big", 0))[0].1;
    let large = hits(step("cache", "how-big", 1))[0].1;
    assert!((0.35..0.45).contains(&small), "two in five: {small}");
    assert!(
        (0.62..0.72).contains(&large) && large < 2.0 * small,
        "two thirds: {large}"
    );
}

#[test]
fn load_balancer_stories_say_what_the_chart_shows() {
    let latency = |s: Snapshot| match s {
        Snapshot::LoadBalancer(l) => (l.runs[0].latency.p50, l.runs[0].latency.p99),
        _ => unreachable!(),
    };
    let (_, rr) = latency(step("load-balancer", "slow-server", 0));
    let (_, ewma) = latency(step("load-balancer", "slow-server", 1));
    assert!(
        rr > 500.0 && ewma < 100.0,
        "round robin p99 {rr}, peak EWMA p99 {ewma}"
    );
    let (rr50, rr99) = latency(step("load-balancer", "uneven-costs", 0));
    let (lc50, lc99) = latency(step("load-balancer", "uneven-costs", 1));
    assert!(rr50 > 30.0 && lc50 < 10.0, "medians {rr50} vs {lc50}");
    assert!(rr99 > 3.0 * lc99, "p99 {rr99} vs {lc99}");
}

#[test]
fn replication_stories_say_what_the_lab_shows() {
    let snap = |s: Snapshot| match s {
        Snapshot::Replication(r) => r,
        _ => unreachable!(),
    };
    let one = snap(step("replication", "staleness-window", 0));
    let (p0, closed) = (one.staleness.measured[0].1, one.staleness.closed[0].1);
    assert!(
        (0.24..0.26).contains(&p0) && (p0 - closed).abs() < 0.01,
        "{p0} vs {closed}"
    );
    assert!((one.staleness.quorum_miss_closed - 2.0 / 3.0).abs() < 1e-9);
    let two = snap(step("replication", "staleness-window", 1));
    let p0 = two.staleness.measured[0].1;
    assert!((0.035..0.045).contains(&p0), "R = 2: {p0}");
    let strict = snap(step("replication", "staleness-window", 2));
    assert_eq!(strict.counts.stale_reads, 0);
    assert_eq!(strict.staleness.measured[0].1, 0.0);
    let cp = snap(step("replication", "partition-cp-ap", 0)).counts;
    assert_eq!(
        (cp.writes_refused, cp.reads_refused, cp.stale_reads),
        (68, 57, 0)
    );
    let ap = snap(step("replication", "partition-cp-ap", 1)).counts;
    assert_eq!(
        (ap.writes_refused, ap.reads_refused, ap.stale_reads),
        (0, 0, 22)
    );
    let story = |i| snap(step("replication", "leader-failover", i));
    let linearizable = |s: &syslab_core::replication::ReplSnapshot| {
        matches!(
            s.linearizability,
            Some(syslab_core::replication::LinCheck::Linearizable { .. })
        )
    };
    let lost = story(0).counts;
    assert_eq!((lost.failovers, lost.acked_lost), (1, 15));
    let sync = story(1);
    assert_eq!(
        (sync.counts.acked_lost, sync.counts.writes_refused),
        (0, 528)
    );
    assert!(linearizable(&sync));
    let split = story(2).counts;
    assert_eq!((split.deposed_acks, split.acked_lost), (45, 66));
    let fenced = story(3).counts;
    assert_eq!(
        (
            fenced.deposed_acks,
            fenced.writes_refused,
            fenced.acked_lost
        ),
        (0, 95, 10)
    );
}

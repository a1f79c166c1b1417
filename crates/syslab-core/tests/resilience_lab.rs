//! The resilience lab: conservation (every request ends exactly once), determinism and live
//! faults replaying exactly, retry amplification, jitter, hedging and deadline propagation,
//! and bad input refused with the lab unchanged.

use proptest::prelude::*;
use syslab_core::query::parse_query;
use syslab_core::resilience::{FaultKind, ResAction, ResScenario, ResSnapshot, ResilienceLab};
use syslab_core::{Lab, LabScenario};

fn scenario(query: &str) -> ResScenario {
    let (s, notices) = ResilienceLab::from_params(&parse_query(query));
    assert!(notices.is_empty(), "{query}: {notices:?}");
    s
}

fn run(query: &str) -> ResSnapshot {
    ResilienceLab::run(&scenario(query)).expect("runs")
}

#[track_caller]
fn conserved(s: &ResSnapshot) {
    for r in &s.runs {
        let c = &r.counts;
        assert_eq!(r.in_flight, 0, "{}", r.label);
        assert_eq!(c.generated, c.ended(), "{}: {c:?}", r.label);
        for t in 0..3 {
            assert!(c.retries[t] + c.hedges[t] <= c.attempts[t]);
            assert!(c.refused[t] + c.dropped[t] <= c.attempts[t]);
            assert!(c.wasted_ns[t] <= c.work_ns[t]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever the policies and faults, every client request ends exactly once.
    #[test]
    fn every_request_ends_exactly_once(
        seed in 0u64..1000,
        depth in 1u8..=3,
        ra in 0u32..4, rb in 0u32..4,
        backoff in 0usize..3, jitter in 0usize..4,
        brk in 0usize..5, budget: bool, thr: bool, prop: bool,
        hedge in prop_oneof![Just(0u32), Just(15u32)],
        kind in 0usize..3, tier in 0u8..3, deadline in prop_oneof![Just(0u32), Just(400u32)],
    ) {
        let tier = tier % depth;
        let kind = ["slow8", "err0.7", "down"][kind];
        let q = format!(
            "seed={seed}&depth={depth}&ra={ra}&rb={rb}&rc=1&backoff={}&jitter={}&brk={}&budget={}&thr={}&twin=5&prop={}&hedge={hedge}&deadline={deadline}&rate=400&dur=4000&tick=100&bwin=20&bmin=10&bwait=500&quota=10&fault={}:{kind}:1000:1500",
            ["none", "fixed", "exponential"][backoff],
            ["none", "full", "equal", "decorrelated"][jitter],
            ["off", "a", "b", "c", "all"][brk],
            u8::from(budget), u8::from(thr), u8::from(prop),
            ["a", "b", "c"][usize::from(tier)],
        );
        let s = run(&q);
        conserved(&s);
    }
}

#[test]
fn same_scenario_same_numbers_and_a_live_fault_replays_exactly() {
    let q = "ra=2&rb=2&hedge=20&brk=b&bwin=20&bmin=20&bwait=1000&dur=6000&tick=100";
    assert_eq!(run(q), run(q));
    let mut live = ResilienceLab::new(&scenario(q)).unwrap();
    for _ in 0..15 {
        Lab::step(&mut live).unwrap();
    }
    live.apply(ResAction::ClickTier {
        tier: 1,
        kind: FaultKind::Down,
    })
    .unwrap();
    for _ in 0..10 {
        Lab::step(&mut live).unwrap();
    }
    live.apply(ResAction::ClickTier {
        tier: 1,
        kind: FaultKind::Down,
    })
    .unwrap();
    let faults = live.config().faults.clone();
    assert_eq!(faults.len(), 1);
    assert_eq!((faults[0].at_ms, faults[0].len_ms), (1500, 1000));
    let replay = ResilienceLab::new(&live.scenario()).unwrap();
    assert_eq!(replay.snapshot(), live.snapshot());
    Lab::run_to_end(&mut live);
    let mut replay = replay;
    Lab::run_to_end(&mut replay);
    assert_eq!(replay.snapshot(), live.snapshot());
    // The link carries the fault.
    let link = ResilienceLab::to_params(&live.scenario());
    assert!(
        link.iter()
            .any(|(k, v)| k == "fault" && v == "b:down:1500:1000"),
        "{link:?}"
    );
}

#[test]
fn amplification_is_r_plus_one_to_the_layers() {
    let s = run(
        "ra=2&rb=4&backoff=none&toa=0&tob=0&deadline=0&dist=constant&ams=0.001&rate=200&dur=5000&tick=100&fault=b:down:0:5000",
    );
    conserved(&s);
    let r = &s.runs[0];
    assert_eq!(r.amplification[0], 3.0);
    assert_eq!(r.amplification[1], 15.0);
    assert_eq!(
        r.counts.errors, r.counts.generated,
        "every request fails: A answers with an error"
    );
}

#[test]
fn a_retry_budget_caps_amplification_at_its_ratio() {
    let s = run(
        "ra=3&rb=3&backoff=none&toa=0&tob=0&deadline=0&budget=1&bratio=0.5&bfloor=0&rate=500&dur=30000&tick=500&fault=b:down:0:30000",
    );
    let a = s.runs[0].amplification[1];
    assert!(a <= 1.5 * 1.5 + 1e-9 && a > 2.2, "{a}");
}

#[test]
fn full_jitter_spreads_a_synchronised_herd() {
    let base = "depth=1&rate=0.001&herd=5000&herdat=0&ra=3&backoff=exponential&base=100&cap=10000&toa=0&deadline=0&dur=2000&tick=100&fault=a:down:0:2000";
    let peak = |jitter: &str| run(&format!("{base}&jitter={jitter}")).runs[0].peak_retries_10ms;
    let none = peak("none");
    assert_eq!(none, 5000);
    // One retry uniform over 100 ms puts a tenth per 10 ms; later retries add to the peak.
    let full = peak("full");
    assert!(full < none / 4 && full > none / 10, "{full}");
    let decorrelated = peak("decorrelated");
    assert!(decorrelated < none / 2, "{decorrelated}");
}

#[test]
fn hedging_cuts_the_tail_for_a_little_more_load() {
    let base = "dist=lognormal&sigma=1.5&bms=5&dur=20000&tick=500";
    let plain = run(base);
    let hedged = run(&format!("{base}&hedge=25"));
    conserved(&hedged);
    let (p, h) = (&plain.runs[0], &hedged.runs[0]);
    assert!(
        h.latency.p99 < 0.8 * p.latency.p99,
        "{} vs {}",
        h.latency.p99,
        p.latency.p99
    );
    assert!(h.amplification[1] < 1.15, "{}", h.amplification[1]);
    assert!(h.counts.hedges[1] > 0);
}

#[test]
fn a_retry_storm_is_metastable_and_a_budget_ends_it() {
    let storm =
        "an=8&acap=200&aq=1000&bq=2000&ra=3&rb=3&backoff=none&jitter=none&fault=b:slow10:8000:6000";
    let s = run(storm);
    conserved(&s);
    assert_eq!(
        s.runs[0].recovery,
        syslab_core::resilience::Recovery::NotRecovered
    );
    let b = run(&format!("{storm}&budget=1"));
    assert!(matches!(
        b.runs[0].recovery,
        syslab_core::resilience::Recovery::Recovered { .. }
    ));
    let p = run(&format!("{storm}&prop=1"));
    assert!(
        p.runs[0].counts.dropped[1] > 0,
        "propagation drops expired work"
    );
}

#[test]
fn bad_input_is_refused_and_the_lab_keeps_its_state() {
    let mut lab = ResilienceLab::new(&ResScenario::default()).unwrap();
    Lab::step(&mut lab).unwrap();
    let before = lab.scenario();
    for (key, value) in [
        ("ra", "11"),
        ("toa", "-5"),
        ("bratio", "1.5"),
        ("rate", "0"),
        ("rate", "NaN"),
        ("fault", "b:down:40000:1000"),
        ("fault", "c:down:0:1000"),
        ("fault", "b:slow0.5:0:1000"),
        ("cap", "1"),
        ("herd", "2000000"),
        ("tick", "0"),
    ] {
        let err = lab.set_param(key, value).expect_err(key);
        assert!(!err.to_string().is_empty());
        assert_eq!(lab.scenario(), before, "{key}={value}");
    }
    assert!(
        lab.apply(ResAction::ClickTier {
            tier: 2,
            kind: FaultKind::Down
        })
        .is_err()
    );
    assert_eq!(lab.scenario(), before);
    let mut s = ResScenario::default();
    s.config.rate = 1e6;
    s.config.retries = [10, 10, 0];
    assert!(
        LabScenario::check(&s)
            .unwrap_err()
            .to_string()
            .contains("budget")
    );
    // Once the run is over a click is refused.
    Lab::run_to_end(&mut lab);
    let done = lab.scenario();
    assert!(
        lab.apply(ResAction::ClickTier {
            tier: 0,
            kind: FaultKind::Down
        })
        .is_err()
    );
    assert_eq!(lab.scenario(), done);
}

/// The page's view model: a clicked tier shows its fault and what a click does next, the
/// breaker's state is on its link, and the accounting table's columns add up to the requests
/// sent once the run is over.
#[test]
fn the_view_marks_faults_and_breakers_and_the_table_adds_up() {
    let q = "ra=2&rb=2&brk=b&bwin=20&bmin=20&bwait=1000&dur=4000&tick=100&cmp=1";
    let mut lab = ResilienceLab::new(&scenario(q)).unwrap();
    for _ in 0..10 {
        Lab::step(&mut lab).unwrap();
    }
    let before = lab.view();
    assert_eq!(before.tiers.len(), 2);
    assert_eq!(before.tiers[1].state, "ok");
    assert!(before.tiers[1].title.contains("click to start a fault"));
    assert!(before.links[1].breaker.is_some() && before.links[0].breaker.is_none());
    lab.apply(ResAction::ClickTier {
        tier: 1,
        kind: FaultKind::Down,
    })
    .unwrap();
    let after = lab.view();
    assert_eq!(after.tiers[1].state, "down");
    assert_eq!(after.tiers[1].fault, "down");
    assert_eq!(
        after.tiers[1].title,
        "B: down until 4 s; click to end the fault"
    );
    assert_eq!(after.goodput.notes.len(), 1, "the fault window is marked");
    assert_eq!(after.verdict, "", "no verdict while the fault lasts");
    Lab::run_to_end(&mut lab);
    let view = lab.view();
    assert_eq!(view.rows.len(), 6, "the shown run and the ladder of five");
    let n = |s: &str| s.replace(',', "").parse::<u64>().expect(s);
    for row in &view.rows {
        let ended = n(&row.successes)
            + n(&row.errors)
            + n(&row.timeouts)
            + n(&row.shed)
            + n(&row.broken)
            + n(&row.throttled);
        assert_eq!(ended, n(&row.sent), "{row:?}");
    }
    // B is down for three quarters of the run: 2 retries at two layers would send it up to
    // 9 attempts per request, but the open breaker on A's calls to B refuses them at A.
    let shown = &view.rows[0];
    let amplification: f64 = shown.amplification.trim_end_matches('×').parse().unwrap();
    assert!(amplification < 1.0, "{shown:?}");
    assert!(n(&shown.errors) > n(&shown.successes), "{shown:?}");
    // The fault lasts to the end of the run: there is no "after" to judge.
    assert_eq!(shown.recovery, "—");
    assert_eq!(view.verdict, "");
}

/// The verdict waits for the end of the run before calling a chain metastable: during the
/// retry storm's aftermath it is "not recovered yet", at the end "did not recover".
#[test]
fn the_verdict_calls_a_storm_metastable_only_at_the_end() {
    let mut lab = ResilienceLab::new(&scenario("preset=retry-storm")).unwrap();
    // 16 s: two seconds after B's slow-down (8 s to 14 s) ended.
    for _ in 0..64 {
        Lab::step(&mut lab).unwrap();
    }
    let view = lab.view();
    assert_eq!(view.verdict, "After the faults: not recovered yet");
    assert_eq!(view.rows[0].recovery, "not recovered yet");
    Lab::run_to_end(&mut lab);
    let view = lab.view();
    assert_eq!(
        view.verdict,
        "After the faults: did not recover (metastable)"
    );
}

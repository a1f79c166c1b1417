//! The resilience lab's cache in front of B: single-flight gives exactly one recomputation
//! per expiry, every request still ends exactly once with the cache and any fix, the same
//! scenario gives the same numbers, the fixes' table, the story's figures, and bad cache
//! settings refused with the lab unchanged.

use proptest::prelude::*;
use syslab_core::query::parse_query;
use syslab_core::resilience::{ResScenario, ResSnapshot, ResilienceLab};
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
        let k = &c.cache;
        // Every first read is a hit, an early recomputation, a stale answer or a miss.
        assert_eq!(
            k.lookups,
            k.hits + k.early + k.stale + k.misses,
            "{}: {k:?}",
            r.label
        );
        assert!(k.refreshes <= k.recomputes && k.failed <= k.recomputes);
    }
}

/// Single-flight: whatever the seed, the load and B's faults, a key never has two
/// recomputations in flight, so each value seen expired is recomputed exactly once (and
/// with B failing, each failed recomputation's waiters share its error).
#[test]
fn single_flight_gives_exactly_one_recomputation_per_expiry() {
    for seed in 1..=4 {
        let q = format!(
            "seed={seed}&cache=1&fix=coalesce&hot=0.8&ttl=1000&rms=80&tob=0&rate=1500&dur=20000&tick=250"
        );
        let s = run(&q);
        conserved(&s);
        let k = s.runs[0].counts.cache;
        assert!(k.expiries >= 15, "{k:?}");
        assert_eq!(k.failed, 0, "{k:?}");
        assert_eq!(k.recomputes, k.expiries, "{k:?}");
        assert_eq!(k.recomputes, k.refreshes, "{k:?}");
        assert!(k.waited > 10 * k.recomputes, "the others waited: {k:?}");
        assert_eq!(s.runs[0].cache.as_ref().unwrap().peak_recomputing, 1);
        // The same chain without a fix: a stampede at every expiry.
        let none = run(&q.replace("fix=coalesce", "fix=none"));
        let n = none.runs[0].counts.cache;
        assert!(n.per_refresh() > 5.0, "{n:?}");
    }
    // B errs half the time for a while: one recomputation in flight at a time still.
    let s = run(
        "cache=1&fix=coalesce&hot=1&ttl=500&rms=50&rate=800&dur=10000&tick=250&fault=b:err0.5:2000:4000",
    );
    conserved(&s);
    let k = s.runs[0].counts.cache;
    assert!(k.failed > 0, "{k:?}");
    assert_eq!(k.recomputes, k.refreshes, "{k:?}");
    assert_eq!(s.runs[0].cache.as_ref().unwrap().peak_recomputing, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// With the cache on, any fix, several keys and faults, every client request ends
    /// exactly once.
    #[test]
    fn every_request_ends_exactly_once_with_the_cache(
        seed in 0u64..1000,
        fix in 0usize..6,
        keys in prop_oneof![Just(1u32), Just(7u32)],
        hot in prop_oneof![Just(0.5), Just(1.0)],
        ra in 0u32..3, rb in 0u32..3,
        prop: bool,
        deadline in prop_oneof![Just(0u32), Just(400u32)],
        kind in 0usize..3,
        depth in 2u8..=3,
    ) {
        let q = format!(
            "seed={seed}&depth={depth}&cache=1&fix={}&keys={keys}&hot={hot}&ttl=600&rms=40&stale=200&lease=150&poll=15&ra={ra}&rb={rb}&prop={}&deadline={deadline}&rate=400&dur=4000&tick=100&fault=b:{}:1000:1500",
            ["none", "coalesce", "lock", "swr", "early", "jitter"][fix],
            u8::from(prop),
            ["slow8", "err0.7", "down"][kind],
        );
        conserved(&run(&q));
    }
}

#[test]
fn same_scenario_same_numbers_and_steps_replay_exactly() {
    let q = "cache=1&fixcmp=1&keys=3&ra=1&rb=1&dur=6000&tick=100&fault=b:slow5:2000:1000";
    let a = run(q);
    assert_eq!(a, run(q));
    assert_eq!(a.runs.len(), 6, "the shown run and the five other fixes");
    conserved(&a);
    // Stepping part way, then rebuilding the lab from its scenario, gives the same state.
    let mut live = ResilienceLab::new(&scenario(q)).unwrap();
    for _ in 0..23 {
        Lab::step(&mut live).unwrap();
    }
    let replay = ResilienceLab::new(&live.scenario()).unwrap();
    assert_eq!(replay.snapshot(), live.snapshot());
    // Turning the cache off leaves the run as it was before the cache existed.
    let off = run("ra=1&rb=1&dur=6000&tick=100&fault=b:slow5:2000:1000");
    assert!(off.runs[0].cache.is_none());
    assert_eq!(
        off.runs[0].counts,
        run("cache=0&fixcmp=1&ttl=10&fix=lock&ra=1&rb=1&dur=6000&tick=100&fault=b:slow5:2000:1000")
            .runs[0]
            .counts
    );
}

/// The preset's table: every fix on the same traffic; coalescing, the lock and
/// stale-while-revalidate recompute once per refresh, no fix about λδ times, and stale
/// answers only under stale-while-revalidate.
#[test]
fn the_fixes_table_compares_every_fix() {
    let mut lab = ResilienceLab::new(&scenario("preset=stampede")).unwrap();
    Lab::run_to_end(&mut lab);
    let view = lab.view();
    let rows = &view.cache_rows;
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0].label, "Shown: No fix");
    let row = |label: &str| rows.iter().find(|r| r.label == label).expect(label);
    for one in ["Single-flight", "Lock", "Stale-while-revalidate"] {
        assert_eq!(row(one).per_refresh, "1", "{one}");
        assert_eq!(row(one).peak, "1", "{one}");
    }
    let none: f64 = rows[0].per_refresh.parse().unwrap();
    assert!((35.0..55.0).contains(&none), "{none}");
    assert_ne!(row("Stale-while-revalidate").stale, "0");
    assert_eq!(row("Single-flight").stale, "0");
    assert_eq!(row("Stale-while-revalidate").waited_p99, "—");
    let chart = view.cache.expect("a chart of recomputations");
    assert_eq!(chart.legend.len(), 6);
}

/// The stampede story's figures are what the lab computes.
#[test]
fn the_stampede_story_says_what_the_lab_shows() {
    let cache = |q: &str| run(q).runs[0].clone();
    let story =
        syslab_core::story::find(syslab_core::stories("resilience"), "cache-stampede").unwrap();
    let none = cache(story.steps[0].query);
    let per = none.counts.cache.per_refresh();
    assert!((44.0..46.0).contains(&per), "about 45: {per}");
    assert_eq!(none.cache.as_ref().unwrap().peak_recomputing, 49);
    let one = cache(story.steps[1].query);
    assert_eq!(one.counts.cache.recomputes, one.counts.cache.expiries);
    let all = run(story.steps[2].query);
    let xfetch = all.runs.iter().find(|r| r.label == "XFetch").unwrap();
    assert_eq!(xfetch.counts.cache.per_refresh(), 3.5);
}

#[test]
fn bad_cache_settings_are_refused_and_the_lab_keeps_its_state() {
    let mut lab = ResilienceLab::new(&scenario("cache=1")).unwrap();
    Lab::step(&mut lab).unwrap();
    let before = lab.scenario();
    for (key, value) in [
        ("ttl", "0"),
        ("hot", "1.5"),
        ("keys", "0"),
        ("keys", "100001"),
        ("fix", "magic"),
        ("beta", "0"),
        ("tjit", "-0.1"),
        ("rms", "0"),
        ("poll", "0"),
        ("lease", "0"),
        ("cache", "maybe"),
    ] {
        let err = lab.set_param(key, value).expect_err(key);
        assert!(!err.to_string().is_empty());
        assert_eq!(lab.scenario(), before, "{key}={value}");
    }
    // A lock polled every millisecond for an hour-long lease at a high rate is over budget.
    let mut s = ResScenario::default();
    s.config.cache.on = true;
    s.config.cache.fix = syslab_core::resilience::CacheFix::Lock;
    s.config.cache.lease_ms = 3_600_000;
    s.config.cache.poll_ms = 1;
    let err = LabScenario::check(&s).unwrap_err().to_string();
    assert!(err.contains("budget") && err.contains("poll"), "{err}");
    // A config built in code is checked too.
    let mut s = ResScenario::default();
    s.config.cache.hot = f64::NAN;
    assert!(ResilienceLab::new(&s).is_err());
}

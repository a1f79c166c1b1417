//! The cache lab as a whole: determinism, stepping against replaying, the presets' stories,
//! the URL codec, refused configs, reconfiguring, and the view model.

use syslab_core::cache::{
    BadLines, CacheConfig, CacheEvent, CacheLab, CacheScenario, EventKind, Flash, PolicyKind,
    TraceParser, WorkloadConfig, WorkloadKind, WriteStrategy, presets,
};
use syslab_core::{Lab, Notice, Scenario, query};

fn preset(id: &str) -> Option<CacheScenario> {
    <CacheLab as Lab>::preset(id)
}

fn scenario_from_params(pairs: &[(String, String)]) -> (CacheScenario, Vec<Notice>) {
    <CacheLab as Lab>::from_params(pairs)
}

fn scenario_to_params(scenario: &CacheScenario) -> Vec<(String, String)> {
    <CacheLab as Lab>::to_params(scenario)
}

fn run(scenario: &CacheScenario) -> CacheLab {
    let mut lab = CacheLab::new(scenario).expect("valid");
    lab.run_to_end();
    lab
}

fn hit_ratio(lab: &CacheLab, policy: PolicyKind) -> f64 {
    lab.snapshot()
        .rows
        .iter()
        .find(|r| r.policy == policy)
        .expect("compared")
        .hit_ratio
}

#[test]
fn same_seed_same_snapshot_other_seed_other_snapshot() {
    for scenario in presets().into_iter().map(|p| p.scenario) {
        let a = serde_json::to_string(&run(&scenario).snapshot()).unwrap();
        let b = serde_json::to_string(&run(&scenario).snapshot()).unwrap();
        assert_eq!(a, b);
        let mut other = scenario.clone();
        other.config.seed += 1;
        assert_ne!(a, serde_json::to_string(&run(&other).snapshot()).unwrap());
    }
}

/// Pins the default scenario's numbers, so a change in any policy, the sampler or the
/// simulation shows up here.
#[test]
fn golden_seed() {
    let lab = run(&CacheScenario::default());
    let s = lab.snapshot();
    let hits: Vec<(PolicyKind, u64)> = s.rows.iter().map(|r| (r.policy, r.hits)).collect();
    assert_eq!(
        hits,
        [
            (PolicyKind::Lru, 9036),
            (PolicyKind::Fifo, 7952),
            (PolicyKind::Clock, 9337),
            (PolicyKind::Lfu, 11013),
            (PolicyKind::Arc, 10793),
            (PolicyKind::Sieve, 11148),
            (PolicyKind::S3Fifo, 11117),
            (PolicyKind::TinyLfu, 11044),
            (PolicyKind::Belady, 13104),
        ]
    );
    // Read-through with reads only: the shown policy's hits are its own row's.
    assert_eq!(s.counts.hits, 9036);
    assert_eq!(s.distinct_keys, 985);
}

#[test]
fn stepping_rebuilding_and_running_agree() {
    let scenario = preset("write-back-crash").unwrap();
    let mut stepped = CacheLab::new(&scenario).unwrap();
    for _ in 0..37 {
        stepped.step().unwrap();
    }
    stepped.apply(EventKind::DbDown);
    for _ in 0..20 {
        stepped.step().unwrap();
    }
    stepped.apply(EventKind::DbUp);
    stepped.step().unwrap();
    let rebuilt = <CacheLab as Lab>::new(&stepped.scenario()).unwrap();
    assert_eq!(
        serde_json::to_string(&rebuilt.snapshot()).unwrap(),
        serde_json::to_string(&stepped.snapshot()).unwrap()
    );
    assert_eq!(rebuilt.view(), stepped.view());
    // The events travel through JSON and the URL too.
    let scenario = stepped.scenario();
    assert_eq!(scenario.events.len(), 3);
    let (back, notices) = scenario_from_params(&scenario_to_params(&scenario));
    assert_eq!(notices, []);
    assert_eq!(back, scenario);
}

#[test]
fn presets_tell_their_stories() {
    let scan = run(&preset("scan-pollution").unwrap());
    let lru = hit_ratio(&scan, PolicyKind::Lru);
    for resistant in [PolicyKind::Arc, PolicyKind::S3Fifo, PolicyKind::TinyLfu] {
        assert!(
            hit_ratio(&scan, resistant) > lru + 0.05,
            "{resistant:?} vs LRU {lru}"
        );
    }
    let zipf = run(&preset("zipf-lru-vs-sieve").unwrap());
    assert!(hit_ratio(&zipf, PolicyKind::Sieve) > hit_ratio(&zipf, PolicyKind::Lru));
    let looped = run(&preset("loop-beats-lru").unwrap());
    assert_eq!(hit_ratio(&looped, PolicyKind::Lru), 0.0);
    assert!(hit_ratio(&looped, PolicyKind::Mru) > 0.9);
    let stale = run(&preset("cache-aside-stale").unwrap()).snapshot();
    assert!(stale.counts.stale_reads > 0, "{:?}", stale.counts);
    let crash = run(&preset("write-back-crash").unwrap()).snapshot();
    assert!(crash.counts.lost_writes > 0, "{:?}", crash.counts);
    assert_eq!(crash.counts.crashes, 1);
    let outage = run(&preset("db-outage").unwrap()).snapshot();
    assert!(outage.counts.failed_writes > 0, "{:?}", outage.counts);
    assert!(outage.db_up);
}

#[test]
fn presets_and_a_busy_scenario_round_trip_through_json_and_links() {
    let mut scenarios: Vec<CacheScenario> = presets().into_iter().map(|p| p.scenario).collect();
    scenarios.push(CacheScenario {
        config: CacheConfig {
            seed: 987_654_321_012,
            policy: PolicyKind::TinyLfu,
            compare: vec![PolicyKind::Random, PolicyKind::Mru],
            capacity: 77,
            ttl_ms: 250,
            write: WriteStrategy::WriteAround,
            flush_ms: 33,
            gap_us: 7,
            cache_us: 1,
            db_read_us: 900,
            db_write_us: 1_100,
            batch: 13,
            workload: WorkloadConfig {
                kind: WorkloadKind::Shifting,
                items: 4_321,
                requests: 5_000,
                skew: 0.85,
                write_ratio: 0.125,
                period: 700,
                scan_len: 40,
                max_size: 4_096,
                ..WorkloadConfig::default()
            },
        },
        events: vec![
            CacheEvent {
                at: 10,
                kind: EventKind::DbDown,
            },
            CacheEvent {
                at: 4_000,
                kind: EventKind::CrashCache,
            },
        ],
        steps: 11,
        ..CacheScenario::default()
    });
    for scenario in scenarios {
        let wrapped = Scenario::Cache(scenario.clone());
        let json = serde_json::to_string(&wrapped).unwrap();
        assert_eq!(Scenario::from_json(&json).unwrap(), wrapped);
        let link = format!("/cache?{}", query::encode_query(&wrapped.to_params()));
        let (back, notices) = Scenario::from_url(&link).unwrap();
        assert_eq!(notices, [], "{link}");
        assert_eq!(back, wrapped, "{link}");
    }
}

#[track_caller]
fn check_refused(edit: impl FnOnce(&mut CacheConfig), needle: &str) {
    let mut config = CacheConfig::default();
    edit(&mut config);
    let scenario = CacheScenario {
        config,
        ..CacheScenario::default()
    };
    match CacheLab::new(&scenario) {
        Ok(_) => panic!("accepted; expected {needle:?}"),
        Err(err) => assert!(err.to_string().contains(needle), "{err}"),
    }
}

#[test]
fn bad_configs_are_refused_with_a_clear_message() {
    check_refused(|c| c.capacity = 0, "the cache size must be 1 to 1,000,000");
    check_refused(|c| c.capacity = 5_000_000, "the cache size");
    check_refused(
        |c| c.capacity = 1_000_000,
        "the cache size times the number of policies",
    );
    check_refused(
        |c| c.workload.skew = f64::NAN,
        "the skew must be a number from 0 to 5",
    );
    check_refused(|c| c.workload.skew = 7.0, "the skew");
    check_refused(|c| c.workload.skew = -1.0, "the skew");
    check_refused(|c| c.workload.write_ratio = 1.5, "the write share");
    check_refused(|c| c.workload.items = 0, "the number of keys");
    check_refused(
        |c| c.workload.requests = 50_000_000,
        "the number of requests",
    );
    check_refused(|c| c.batch = 0, "the step size");
    check_refused(
        |c| c.compare = vec![PolicyKind::Arc, PolicyKind::Lru, PolicyKind::Arc],
        "the compared policies must be each policy at most once",
    );
    check_refused(
        |c| {
            c.workload.kind = WorkloadKind::Trace;
            c.workload.trace = "\n# nothing\n".to_owned();
        },
        "the trace has no requests",
    );
    check_refused(
        |c| {
            c.workload.kind = WorkloadKind::Trace;
            c.workload.strict = true;
            c.workload.trace = "a\nb,get\nc,nope\n".to_owned();
        },
        "line 3",
    );
}

#[test]
fn links_fall_back_per_parameter() {
    let pairs =
        query::parse_query("size=0&skew=NaN&policy=nope&rw=0.2&ev=crash@x&zzz=1&workload=trace");
    let (scenario, notices) = scenario_from_params(&pairs);
    let params: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
    assert_eq!(params, ["size", "skew", "policy", "ev", "workload", "zzz"]);
    assert_eq!(scenario.config.capacity, CacheConfig::default().capacity);
    assert_eq!(scenario.config.workload.write_ratio, 0.2);
    CacheLab::new(&scenario).expect("a link always builds a lab");
    // `cmp=all` compares every policy, without a notice; the shown one has its row once.
    let (all, notices) = scenario_from_params(&query::parse_query("policy=sieve&cmp=all"));
    assert_eq!(notices, []);
    assert_eq!(all.config.compare, PolicyKind::ALL);
    assert_eq!(all.config.policies().len(), PolicyKind::ALL.len());
}

#[test]
fn a_refused_reconfigure_leaves_the_lab_as_it_was() {
    let mut lab = CacheLab::new(&CacheScenario::default()).unwrap();
    for _ in 0..30 {
        lab.step().unwrap();
    }
    let before = lab.snapshot();
    assert!(lab.reconfigure(|c| c.capacity = 0).is_err());
    assert_eq!(lab.snapshot(), before);
    // A policy may not be compared twice.
    assert!(
        lab.reconfigure(|c| c.compare.push(PolicyKind::Arc))
            .is_err()
    );
    assert_eq!(lab.snapshot(), before);
    // Showing a compared policy keeps one row for it.
    lab.reconfigure(|c| c.policy = PolicyKind::Sieve).unwrap();
    assert_eq!(lab.snapshot().rows.len(), 8);
    lab.reconfigure(|c| c.policy = PolicyKind::Random).unwrap();
    assert_eq!(lab.snapshot().rows.len(), 9);
    assert_eq!(lab.position(), before.position);
    assert_eq!(lab.snapshot().policy, PolicyKind::Random);
}

#[test]
fn the_view_draws_slots_flashes_rows_and_curves() {
    let mut lab = CacheLab::new(&CacheScenario {
        config: CacheConfig {
            capacity: 100,
            ..CacheConfig::default()
        },
        ..CacheScenario::default()
    })
    .unwrap();
    lab.step().unwrap();
    let view = lab.view();
    assert_eq!(view.slots.len(), 64);
    assert_eq!(view.hidden_slots, 36);
    assert!(view.slots.iter().any(|s| s.flash == Flash::Hit));
    assert!(view.slots.iter().any(|s| s.flash == Flash::Insert));
    assert!(view.slots[0].label.starts_with('k'));
    assert_eq!(view.rows.len(), 9);
    assert!(view.rows[0].selected);
    assert_eq!(view.recent.len(), 16);
    assert!(view.summary.starts_with("last 100 requests"));
    assert!(
        view.mrc_chart.series.is_empty(),
        "the curve is computed on demand"
    );
    while !lab.advance_mrc(5_000) {}
    for _ in 0..100 {
        lab.step().unwrap();
    }
    let view = lab.view();
    assert!(view.slots.iter().any(|s| s.flash == Flash::Evict));
    assert_eq!(view.mrc_chart.series.len(), 9);
    assert!(view.mrc_chart.series.iter().all(|s| s.points.len() == 8));
    // Half the run: half the buckets.
    assert!(view.hit_chart.series.iter().all(|s| s.points.len() == 50));
    // The configured size is a reference line on the curve.
    assert_eq!(view.mrc_chart.refs.len(), 1);
    // Each policy's legend figure is its hit ratio over the run, the table's, not the last
    // bucket's.
    for (entry, row) in view.hit_chart.legend.iter().zip(&view.rows) {
        assert_eq!(entry.id, row.policy.id());
        assert_eq!(entry.value.as_deref(), Some(row.hit_ratio.as_str()));
    }
    assert!(view.status.starts_with("request 10,100 of 20,000"));
}

#[test]
fn a_trace_replays_with_names_and_skipped_lines() {
    let mut text = String::from("key,op\n");
    for i in 0..3_000u32 {
        text.push_str(&format!(
            "user-{},{}\n",
            (i * 7) % 97,
            if i % 5 == 0 { "set" } else { "get" }
        ));
    }
    text.push_str("bad,line,extra,fields\n");
    let trace = TraceParser::parse(&text, BadLines::Skip).unwrap();
    let scenario = CacheScenario {
        config: CacheConfig {
            capacity: 20,
            workload: WorkloadConfig {
                kind: WorkloadKind::Trace,
                ..WorkloadConfig::default()
            },
            ..CacheConfig::default()
        },
        ..CacheScenario::default()
    };
    let mut lab = CacheLab::with_trace(&scenario, trace).unwrap();
    lab.run_to_end();
    let s = lab.snapshot();
    let info = s.trace.as_ref().unwrap();
    assert_eq!(
        (info.requests, info.keys, info.skipped_lines),
        (3_000, 97, 1)
    );
    assert_eq!(info.skipped[0].line, 3_002);
    assert_eq!(s.counts.writes, 600);
    assert!(lab.view().slots[0].label.starts_with("user-"));
    // The same trace as text in the config gives the same numbers.
    let mut inline = scenario.clone();
    inline.config.workload.trace = text;
    assert_eq!(run(&inline).snapshot(), s);
}

#[test]
fn a_ttl_expires_entries_and_costs_hits() {
    let base = CacheScenario::default();
    let mut short = base.clone();
    short.config.ttl_ms = 20;
    let (with_ttl, without) = (run(&short).snapshot(), run(&base).snapshot());
    assert!(with_ttl.counts.expirations > 0, "{:?}", with_ttl.counts);
    assert_eq!(without.counts.expirations, 0);
    assert!(with_ttl.counts.hits < without.counts.hits);
    // The compared policies replay the stream without TTL: their rows are unchanged.
    assert_eq!(with_ttl.rows[1..], without.rows[1..]);
}

//! The load-balancer lab as a whole: conservation of requests, determinism (including live
//! server changes against their replay), the JSON and URL boundaries, refused input, and
//! health checks.

use proptest::prelude::*;
use syslab_core::lb::{
    Algorithm, DotKind, HealthConfig, LbConfig, LbScenario, LoadBalancerLab, MAX_DOTS,
    ServerChange, ServerState, ServiceDist, presets,
};
use syslab_core::{ConfigError, Lab, Notice, Scenario, Snapshot, query};

fn scenario_from_params(pairs: &[(String, String)]) -> (LbScenario, Vec<Notice>) {
    <LoadBalancerLab as Lab>::from_params(pairs)
}

fn scenario_to_params(scenario: &LbScenario) -> Vec<(String, String)> {
    <LoadBalancerLab as Lab>::to_params(scenario)
}

fn preset(id: &str) -> Option<LbScenario> {
    <LoadBalancerLab as Lab>::preset(id)
}

fn lab(config: LbConfig) -> LoadBalancerLab {
    LoadBalancerLab::new(&LbScenario {
        config,
        ..LbScenario::default()
    })
    .expect("a valid config")
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialize")
}

#[track_caller]
fn check_conserved(lab: &LoadBalancerLab) {
    for run in lab.snapshot().runs {
        let c = run.counts;
        assert_eq!(
            c.generated,
            c.successes + c.timeouts + c.rejections + run.in_flight,
            "{:?}: {c:?}",
            run.algorithm
        );
        if lab.finished() {
            assert_eq!(run.in_flight, 0, "{:?}: {c:?}", run.algorithm);
        }
    }
}

fn arb_state() -> impl Strategy<Value = ServerState> {
    prop_oneof![
        Just(ServerState::Up),
        Just(ServerState::Down),
        (1.0f64..50.0).prop_map(ServerState::Slow),
    ]
}

prop_compose! {
    fn arb_config()(
        seed in any::<u64>(),
        algorithm in proptest::sample::select(Algorithm::ALL.to_vec()),
        compare in any::<bool>(),
        servers in 2u32..12,
        spread in 0.0f64..0.9,
        capacity in 1u32..6,
        queue_limit in 0u32..40,
        service in proptest::sample::select(ServiceDist::ALL.to_vec()),
        rate in 10.0f64..3_000.0,
        rate_cv in 0.0f64..3.0,
        cost_ms in 0.1f64..40.0,
        cost_cv in 0.0f64..4.0,
        proxy in any::<bool>(),
        l7 in any::<bool>(),
        hop_us in 0u32..3_000,
        timeout_ms in prop_oneof![Just(0u32), 1u32..400],
        retries in 0u32..4,
        retry_budget in 0.0f64..1.0,
        health_on in any::<bool>(),
        changes in proptest::collection::vec((0u64..1_500, 0u32..12, arb_state()), 0..6),
    ) -> LbConfig {
        let mut changes: Vec<ServerChange> = changes
            .into_iter()
            .map(|(at_ms, server, state)| ServerChange { at_ms, server: server % servers, state })
            .collect();
        changes.sort_by_key(|c| c.at_ms);
        LbConfig {
            seed,
            algorithm,
            compare,
            servers,
            spread,
            capacity,
            queue_limit,
            service,
            rate,
            rate_cv,
            cost_ms,
            cost_cv,
            proxy,
            l7,
            static_servers: 1,
            hop_us,
            timeout_ms,
            retries,
            retry_budget,
            health: HealthConfig {
                interval_ms: if health_on { 100 } else { 0 },
                timeout_ms: 50,
                fall: 2,
                rise: 2,
            },
            changes,
            duration_ms: 1_500,
            tick_ms: 50,
            ..LbConfig::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every generated request ends exactly once, as a success, a timeout or a rejection; in
    /// the middle of the run the rest are in flight, and after the drain none is.
    #[test]
    fn every_request_ends_exactly_once(config in arb_config()) {
        prop_assume!(config.validate().is_ok());
        let mut lab = lab(config);
        for _ in 0..10 {
            lab.step().expect("step");
            check_conserved(&lab);
        }
        lab.run_to_end();
        check_conserved(&lab);
        prop_assert!(lab.finished());
        let snapshot = lab.snapshot();
        prop_assert!(snapshot.runs.iter().all(|r| r.counts.generated > 0));
        // Identical traffic in every compared run.
        let generated = snapshot.runs[0].counts.generated;
        prop_assert!(snapshot.runs.iter().all(|r| r.counts.generated == generated));
        prop_assert!(lab.view().trips.is_empty() && lab.view().over);
    }
}

#[test]
fn the_same_scenario_gives_the_same_snapshot() {
    for preset in presets() {
        let (id, scenario) = (preset.id, preset.scenario);
        let run = || {
            let mut lab = LoadBalancerLab::new(&scenario).expect(id);
            lab.run_to_end();
            json(&lab.snapshot())
        };
        assert_eq!(run(), run(), "{id}");
    }
}

#[test]
fn live_server_changes_replay_exactly() {
    let config = LbConfig {
        compare: true,
        ..LbConfig::default()
    };
    let mut live = lab(config);
    for step in 0..120 {
        match step {
            30 => live
                .set_server_state(2, ServerState::Slow(8.0))
                .expect("slow"),
            50 => live.set_server_state(4, ServerState::Down).expect("down"),
            80 => live.set_server_state(2, ServerState::Up).expect("restore"),
            90 => live.set_server_state(4, ServerState::Up).expect("restore"),
            _ => {}
        }
        live.step().expect("step");
    }
    let scenario = live.scenario();
    assert_eq!(scenario.config.changes.len(), 4);
    assert_eq!(scenario.steps, 120);
    let replayed = LoadBalancerLab::new(&scenario).expect("valid");
    assert_eq!(json(&live.snapshot()), json(&replayed.snapshot()));
    assert_eq!(live.view(), replayed.view());
    // Per-server samples every tick: 8 servers × 120 ticks.
    let (samples, stride) = live.server_series();
    assert_eq!((samples.len(), stride), (8 * 120, 1));
    assert!(samples.iter().all(|s| (0.0..=1.0).contains(&s.utilisation)));
    // The slowed and the dead server did show up in the numbers.
    assert_eq!(live.server_state(2), Some(ServerState::Up));
    let snap = live.snapshot();
    assert!(snap.runs[0].counts.timeouts > 0 || snap.runs[0].counts.retries > 0);
}

#[test]
fn scenarios_survive_json_and_urls() {
    let mut scenarios: Vec<LbScenario> = presets().into_iter().map(|p| p.scenario).collect();
    scenarios.push(LbScenario {
        config: LbConfig {
            seed: 987_654_321,
            algorithm: Algorithm::WeightedLeastConnections,
            compare: true,
            servers: 12,
            spread: 0.35,
            capacity: 3,
            queue_limit: 0,
            service: ServiceDist::LogNormal,
            sigma: 1.25,
            rate: 1234.5,
            rate_cv: 2.5,
            cost_ms: 7.25,
            cost_cv: 1.5,
            clients: 77,
            proxy: true,
            l7: true,
            static_share: 0.45,
            static_servers: 3,
            hop_us: 250,
            timeout_ms: 300,
            retries: 3,
            retry_budget: 0.1,
            health: HealthConfig {
                interval_ms: 250,
                timeout_ms: 100,
                fall: 4,
                rise: 3,
            },
            decay_ms: 250,
            epsilon: 0.5,
            burst_at_ms: 1_000,
            burst_ms: 500,
            burst_factor: 2.5,
            changes: vec![
                ServerChange {
                    at_ms: 500,
                    server: 11,
                    state: ServerState::Slow(2.75),
                },
                ServerChange {
                    at_ms: 800,
                    server: 0,
                    state: ServerState::Down,
                },
            ],
            duration_ms: 4_000,
            tick_ms: 40,
        },
        steps: 17,
        ..LbScenario::default()
    });
    for scenario in scenarios {
        let wrapped = Scenario::LoadBalancer(scenario.clone());
        let text = json(&wrapped);
        assert!(text.contains(r#""lab":"load-balancer""#), "{text}");
        assert_eq!(Scenario::from_json(&text), Ok(wrapped.clone()));
        let params = scenario_to_params(&scenario);
        let (decoded, notices) = scenario_from_params(&params);
        assert_eq!(notices, [], "{params:?}");
        assert_eq!(decoded, scenario, "{params:?}");
        let url = format!("/load-balancer?{}", query::encode_query(&params));
        let (from_url, notices) = Scenario::from_url(&url).expect("a lab");
        assert_eq!(notices, [], "{url}");
        assert_eq!(from_url, wrapped, "{url}");
        // The Snapshot enum round-trips too.
        let Ok(Snapshot::LoadBalancer(snapshot)) = wrapped.run() else {
            panic!("the scenario runs");
        };
        let snapshot = Snapshot::LoadBalancer(snapshot);
        let back: Snapshot = serde_json::from_str(&json(&snapshot)).expect("deserialize");
        assert_eq!(json(&back), json(&snapshot));
    }
    // Missing fields take their defaults.
    let sparse = r#"{"lab":"load-balancer","config":{"servers":3}}"#;
    let Ok(Scenario::LoadBalancer(s)) = Scenario::from_json(sparse) else {
        panic!("sparse JSON reads");
    };
    assert_eq!(s.config.servers, 3);
    assert_eq!(s.config.rate, LbConfig::default().rate);
}

#[test]
fn bad_parameters_become_notices() {
    let pairs = query::parse_query(
        "alg=fastest&servers=0&rate=NaN&cap=0&ev=1:99:down&burst=x&cmp=maybe&nope=1&seed=3",
    );
    let (scenario, notices) = scenario_from_params(&pairs);
    let params: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
    for p in [
        "alg", "servers", "rate", "cap", "burst", "cmp", "nope", "ev",
    ] {
        assert!(params.contains(&p), "{p}: {notices:?}");
    }
    assert_eq!(scenario.config.seed, 3);
    assert!(LoadBalancerLab::new(&scenario).is_ok());
    // A change list that takes every server down falls back, with a notice.
    let (scenario, notices) =
        scenario_from_params(&query::parse_query("servers=2&ev=10:1:down,20:2:down"));
    assert!(notices.iter().any(|n| n.param == "ev"), "{notices:?}");
    assert!(scenario.config.changes.is_empty());
}

#[track_caller]
fn refused(edit: impl FnOnce(&mut LbConfig), needle: &str) {
    let mut config = LbConfig::default();
    edit(&mut config);
    let err = LoadBalancerLab::new(&LbScenario {
        config,
        ..LbScenario::default()
    })
    .expect_err("refused");
    let text = err.to_string();
    assert!(text.contains(needle), "{text:?} lacks {needle:?}");
    assert!(matches!(err, ConfigError::OutOfRange { .. }));
}

#[test]
fn bad_input_is_refused_with_a_clear_message() {
    refused(
        |c| c.servers = 0,
        "the number of servers must be at least 1",
    );
    refused(|c| c.servers = 5_000, "the number of servers");
    refused(|c| c.capacity = 0, "server capacity");
    refused(|c| c.rate = -1.0, "the request rate");
    refused(|c| c.rate = f64::NAN, "the request rate");
    refused(|c| c.rate = f64::INFINITY, "the request rate");
    refused(|c| c.rate = 1e12, "the request rate");
    refused(|c| c.cost_ms = f64::NAN, "the request cost");
    refused(|c| c.rate_cv = -0.5, "the rate variability");
    refused(
        |c| {
            c.servers = 2;
            c.changes = vec![
                ServerChange {
                    at_ms: 0,
                    server: 0,
                    state: ServerState::Down,
                },
                ServerChange {
                    at_ms: 10,
                    server: 1,
                    state: ServerState::Down,
                },
            ];
        },
        "at least one server must stay up",
    );
    refused(
        |c| {
            c.changes = vec![ServerChange {
                at_ms: 0,
                server: 0,
                state: ServerState::Slow(f64::NAN),
            }]
        },
        "multiplier",
    );
    refused(
        |c| {
            c.changes = vec![ServerChange {
                at_ms: 0,
                server: 8,
                state: ServerState::Down,
            }]
        },
        "the server of a change",
    );
    refused(
        |c| {
            c.rate = 9_000_000.0;
            c.duration_ms = 60_000;
        },
        "requests in the run",
    );
    refused(
        |c| {
            c.l7 = true;
            c.static_servers = 8;
        },
        "the static pool",
    );
}

#[test]
fn refused_changes_keep_the_running_state() {
    let mut lab = lab(LbConfig {
        servers: 2,
        ..LbConfig::default()
    });
    for _ in 0..20 {
        lab.step().expect("step");
    }
    let before = json(&lab.snapshot());
    let scenario = lab.scenario();
    assert!(lab.reconfigure(|c| c.rate = f64::NAN).is_err());
    assert!(lab.reconfigure(|c| c.servers = 0).is_err());
    // Refused reconfigures change nothing.
    assert_eq!(json(&lab.snapshot()), before);
    assert!(lab.reconfigure(|c| c.servers = 0).is_err());
    assert!(lab.reconfigure(|c| c.capacity = 0).is_err());
    lab.set_server_state(0, ServerState::Down)
        .expect("one down");
    assert!(lab.set_server_state(1, ServerState::Down).is_err());
    assert!(lab.set_server_state(7, ServerState::Up).is_err());
    assert!(lab.set_server_state(1, ServerState::Slow(0.5)).is_err());
    assert_eq!(lab.config().changes.len(), 1);
    lab.set_server_state(0, ServerState::Up).expect("restore");
    // Only the two accepted changes were recorded, at the current time. They apply at once
    // (the server went down and came back in the same instant), exactly as a replay of the
    // scenario applies them.
    assert_eq!(lab.config().changes.len(), 2);
    let replayed = LoadBalancerLab::new(&lab.scenario()).expect("replays");
    assert_eq!(json(&lab.snapshot()), json(&replayed.snapshot()));
    assert_eq!(lab.scenario().steps, scenario.steps);
    // An accepted reconfigure keeps the simulated time.
    let now = lab.now();
    lab.reconfigure(|c| c.algorithm = Algorithm::PeakEwma)
        .expect("valid");
    assert_eq!(lab.now(), now);
    assert_eq!(lab.algorithms(), [Algorithm::PeakEwma]);
}

#[test]
fn health_checks_take_a_dead_server_out_and_bring_it_back() {
    let health = HealthConfig {
        interval_ms: 500,
        timeout_ms: 200,
        fall: 3,
        rise: 2,
    };
    let (down_at, up_at) = (2_000u64, 6_000u64);
    let mut lab = lab(LbConfig {
        health,
        changes: vec![
            ServerChange {
                at_ms: down_at,
                server: 1,
                state: ServerState::Down,
            },
            ServerChange {
                at_ms: up_at,
                server: 1,
                state: ServerState::Up,
            },
        ],
        tick_ms: 10,
        ..LbConfig::default()
    });
    let mut marked_down = None;
    let mut marked_up = None;
    while !lab.finished() {
        lab.step().expect("step");
        let t = lab.now().0 / 1_000_000;
        let healthy = lab.healthy(0, 1).expect("server 1");
        if !healthy && marked_down.is_none() {
            marked_down = Some(t);
        }
        if healthy && marked_down.is_some() && marked_up.is_none() {
            marked_up = Some(t);
        }
        // The other servers stay in.
        assert_eq!(lab.healthy(0, 0), Some(true));
    }
    let marked_down = marked_down.expect("marked down");
    let marked_up = marked_up.expect("marked up again");
    let bound = u64::from(health.fall * health.interval_ms + health.timeout_ms);
    assert!(
        marked_down > down_at && marked_down <= down_at + bound,
        "down at {marked_down} ms"
    );
    let bound = u64::from(health.rise * health.interval_ms) + 10;
    assert!(
        marked_up > up_at && marked_up <= up_at + bound,
        "up at {marked_up} ms"
    );
    check_conserved(&lab);
}

#[test]
fn presets_tell_their_stories() {
    let run = |id: &str| {
        let mut lab = LoadBalancerLab::new(&preset(id).expect(id)).expect(id);
        lab.run_to_end();
        lab.snapshot()
    };
    let row = |s: &syslab_core::lb::LbSnapshot, a: Algorithm| {
        s.runs
            .iter()
            .find(|r| r.algorithm == a)
            .cloned()
            .expect("compared")
    };
    // Uneven costs: least connections' mean latency well below round robin's.
    let s = run("uneven-costs");
    let (lc, rr) = (
        row(&s, Algorithm::LeastConnections),
        row(&s, Algorithm::RoundRobin),
    );
    assert!(
        lc.mean_ms * 2.0 < rr.mean_ms,
        "{} vs {}",
        lc.mean_ms,
        rr.mean_ms
    );
    // A slow server: peak EWMA's p99 far below round robin's.
    let s = run("slow-server");
    let (pe, rr) = (row(&s, Algorithm::PeakEwma), row(&s, Algorithm::RoundRobin));
    assert!(
        pe.latency.p99 * 5.0 < rr.latency.p99,
        "{:?} vs {:?}",
        pe.latency,
        rr.latency
    );
    // One proxy under IP hash: one server takes everything.
    let s = run("one-proxy");
    let ip = row(&s, Algorithm::IpHash);
    assert!(ip.servers.iter().any(|r| r.share > 0.99));
    assert!(
        row(&s, Algorithm::RoundRobin)
            .servers
            .iter()
            .all(|r| r.share < 0.2)
    );
    // A dead server: round robin times out until the health checks take it out.
    let s = run("server-dies");
    assert!(row(&s, Algorithm::RoundRobin).counts.timeouts > 100);
}

#[test]
fn a_live_change_before_a_scheduled_one_is_kept_in_time_order() {
    // The preset slows server 3 at 3 s; a click at 1 s goes before it in the scenario.
    let mut live = LoadBalancerLab::new(&preset("slow-server").expect("preset")).expect("valid");
    for _ in 0..20 {
        live.step().expect("step");
    }
    live.set_server_state(5, ServerState::Down).expect("down");
    for _ in 0..60 {
        live.step().expect("step");
    }
    let changes = &live.config().changes;
    assert_eq!(changes.len(), 2);
    assert_eq!((changes[0].at_ms, changes[0].server), (1_000, 5));
    assert_eq!((changes[1].at_ms, changes[1].server), (3_000, 2));
    let replayed = LoadBalancerLab::new(&live.scenario()).expect("valid");
    assert_eq!(json(&live.snapshot()), json(&replayed.snapshot()));
    assert_eq!(live.server_state(2), Some(ServerState::Slow(10.0)));
    assert_eq!(live.server_state(5), Some(ServerState::Down));
}

/// The default scenario's numbers, pinned: a change in them means the simulation changed (or
/// lost its determinism across targets, since these are integer counts and exact float bits).
#[test]
fn golden_seed() {
    let example = Scenario::example("load-balancer").expect("the lab has an example");
    assert_eq!(example.to_params(), []);
    let Ok(Snapshot::LoadBalancer(snapshot)) = example.run() else {
        panic!("the example runs");
    };
    let run = &snapshot.runs[0];
    let got = (
        run.counts,
        run.latency.p50.to_bits(),
        run.latency.p999.to_bits(),
        run.mean_ms.to_bits(),
    );
    println!("{got:?}");
    assert_eq!(format!("{got:?}"), GOLDEN);
}
const GOLDEN: &str = "(Counts { generated: 23841, successes: 23841, timeouts: 0, rejections: 0, retries: 0 }, 4621723641276871265, 4634939292253803401, 4623368542614292356)";

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Extreme but accepted configs (long tails, huge slow-downs, no timeout, tiny queues) run
    /// without panicking and still account for every request.
    #[test]
    fn extreme_accepted_configs_never_panic(
        seed in any::<u64>(),
        algorithm in proptest::sample::select(Algorithm::ALL.to_vec()),
        sigma in 0.0f64..=3.0,
        cost_ms in prop_oneof![Just(0.001f64), Just(60_000.0), 0.001f64..100.0],
        cost_cv in 0.0f64..=10.0,
        rate_cv in 0.0f64..=10.0,
        slow in prop_oneof![Just(1.0f64), Just(1_000.0)],
        timeout_ms in prop_oneof![Just(0u32), Just(1), Just(600_000)],
        queue_limit in prop_oneof![Just(0u32), Just(10_000_000)],
        spread in 0.0f64..=0.9,
    ) {
        let config = LbConfig {
            seed,
            algorithm,
            servers: 3,
            spread,
            capacity: 1,
            queue_limit,
            service: ServiceDist::LogNormal,
            sigma,
            rate: 200.0,
            rate_cv,
            cost_ms,
            cost_cv,
            timeout_ms,
            retries: 2,
            changes: vec![
                ServerChange { at_ms: 50, server: 0, state: ServerState::Slow(slow) },
                ServerChange { at_ms: 100, server: 1, state: ServerState::Down },
            ],
            duration_ms: 300,
            tick_ms: 10,
            ..LbConfig::default()
        };
        prop_assert!(config.validate().is_ok());
        let mut lab = lab(config);
        lab.run_to_end();
        for run in lab.snapshot().runs {
            let c = run.counts;
            prop_assert_eq!(c.generated, c.successes + c.timeouts + c.rejections + run.in_flight);
        }
        let view = lab.view();
        prop_assert!(view.trips.len() <= MAX_DOTS);
    }
}

#[test]
fn the_view_model_has_everything_the_ui_draws() {
    let mut lab = lab(LbConfig {
        compare: true,
        proxy: true,
        ..LbConfig::default()
    });
    for _ in 0..40 {
        lab.step().expect("step");
    }
    lab.set_server_state(3, ServerState::Down).expect("down");
    for _ in 0..20 {
        lab.step().expect("step");
    }
    let view = lab.view();
    assert_eq!(view.servers.len(), 8);
    assert_eq!(view.servers[3].class, "down");
    assert!(view.proxy.is_some());
    assert!(!view.clients.is_empty() && view.clients.len() <= 12);
    assert_eq!(view.rows.len(), Algorithm::ALL.len());
    // One legend entry per algorithm, the shown one emphasised; p99 and p50 for each.
    assert_eq!(view.latency.legend.len(), Algorithm::ALL.len());
    assert_eq!(view.latency.series.len(), 2 * Algorithm::ALL.len());
    assert!(view.latency.legend[0].emphasis && !view.latency.legend[1].emphasis);
    assert!(view.latency.series.iter().all(|s| !s.path.is_empty()));
    // The server taken down is an annotation on the chart.
    assert_eq!(view.latency.notes.len(), 1);
    assert_eq!(view.latency.notes[0].label, "server 4 down");
    assert!(view.rows[0].selected && !view.rows[1].selected);
    check_trips(&view);
    // Trips start at their client: some came in during the last tick.
    assert!(view.trips.iter().filter(|t| t.from == 0.0).count() > 5);
    for s in &view.servers {
        assert!(
            (0.0..=100.0).contains(&s.load_percent) && (0.0..=100.0).contains(&s.queue_percent)
        );
    }
    assert!(
        view.status.starts_with("t = 3 s of 10 s"),
        "{}",
        view.status
    );
    // Over 40 steps trips are seen on their way back, answered, and none went to the server
    // that is down and out once health checks took it out.
    let mut answered = 0;
    for _ in 0..40 {
        lab.step().expect("step");
        let view = lab.view();
        check_trips(&view);
        answered += view
            .trips
            .iter()
            .filter(|t| t.end == Some(DotKind::Response) && t.to > 0.5)
            .count();
    }
    assert!(answered > 20, "{answered}");
    // After the run, no trips: each server's share instead.
    lab.run_to_end();
    let view = lab.view();
    assert!(view.over && view.trips.is_empty());
    let total: f64 = view.servers.iter().map(|s| s.share_percent).sum();
    assert!((total - 100.0).abs() < 1e-6, "{total}");
    assert!(
        view.servers[0].share_label.contains("served"),
        "{}",
        view.servers[0].share_label
    );
}

/// Every trip's path goes from a client through the balancer to the server it names and back
/// the same way, and the dot stays on it.
#[track_caller]
fn check_trips(view: &syslab_core::lb::LbView) {
    use syslab_core::lb::{VIEW_HEIGHT, VIEW_WIDTH};
    assert!(view.trips.len() <= MAX_DOTS);
    for t in &view.trips {
        let n = t.path.len();
        assert!(n % 2 == 1 && n >= 3, "{t:?}");
        let middle = t.path[n / 2];
        match t.server {
            Some(s) => assert_eq!(middle, view.servers[s as usize].at, "{t:?}"),
            None => assert_eq!(middle, view.balancer, "{t:?}"),
        }
        assert!(view.clients.contains(&t.path[0]) && t.path[0] == t.path[n - 1]);
        assert!(t.path.contains(&view.balancer));
        assert!(
            (0.0..=1.0).contains(&t.from) && t.from <= t.to && t.to <= 1.0,
            "{t:?}"
        );
        for f in [0.0, 0.3, 1.0] {
            let (at, kind) = t.at(f);
            assert!((0..=VIEW_WIDTH).contains(&at.x) && (0..=VIEW_HEIGHT).contains(&at.y));
            if t.from + (t.to - t.from) * f < 0.5 {
                assert_eq!(kind, DotKind::Request);
            }
        }
    }
}

#[test]
fn trips_end_at_the_chosen_server_and_a_dead_one_refuses() {
    let mut lab = lab(LbConfig {
        servers: 3,
        changes: vec![
            ServerChange {
                at_ms: 0,
                server: 0,
                state: ServerState::Down,
            },
            ServerChange {
                at_ms: 0,
                server: 2,
                state: ServerState::Down,
            },
        ],
        health: HealthConfig {
            interval_ms: 0,
            ..HealthConfig::default()
        },
        timeout_ms: 0,
        retries: 0,
        ..LbConfig::default()
    });
    let mut seen = [0usize; 4];
    for _ in 0..20 {
        lab.step().expect("step");
        let view = lab.view();
        check_trips(&view);
        for t in &view.trips {
            seen[t.server.map_or(3, |s| s as usize)] += 1;
            // A dead host resets the connection: the trip comes back refused from it.
            if t.server != Some(1) {
                assert!(t.end.is_none() || t.end == Some(DotKind::Refused), "{t:?}");
            }
        }
    }
    // Round robin over all three (no health checks sees them down), so each gets trips.
    assert!(
        seen[0] > 0 && seen[1] > 0 && seen[2] > 0 && seen[3] == 0,
        "{seen:?}"
    );
}

//! The load-balancer lab in a URL: readable parameters that round-trip the whole scenario, and
//! that embeds reuse as `data-*` attributes.
//!
//! | param     | meaning                                         | example               |
//! |-----------|-------------------------------------------------|-----------------------|
//! | `preset`  | start from a preset (others override it)        | `preset=slow-server`  |
//! | `alg`     | the algorithm shown                             | `alg=peak_ewma`       |
//! | `cmp`     | 1 runs every algorithm on the same traffic      | `cmp=1`               |
//! | `servers`, `spread` | server count, spread of their power   | `servers=8&spread=0.5`|
//! | `cap`, `queue` | concurrent requests, queue limit per server | `cap=4&queue=100`    |
//! | `dist`, `sigma` | constant, exponential, lognormal; its σ    | `dist=lognormal`      |
//! | `rate`, `rvar` | requests/s, gap variability (1 = Poisson)   | `rate=2400&rvar=1`    |
//! | `cost`, `cvar` | mean request cost in ms, its variability    | `cost=10&cvar=3`      |
//! | `clients`, `proxy` | client count, all behind one proxy      | `proxy=1`             |
//! | `l7`, `static`, `spool` | L7 routing, /static share, its pool | `l7=1&static=0.3`    |
//! | `hop`     | balancer ↔ server delay in µs                   | `hop=500`             |
//! | `timeout`, `retries`, `budget` | per-attempt timeout (ms), retries, retry budget | `budget=0.2` |
//! | `hc`, `hct`, `fall`, `rise` | health-check interval and timeout (ms), thresholds | `hc=500` |
//! | `decay`, `eps` | peak EWMA decay (ms), bounded loads' ε      | `eps=0.25`            |
//! | `burst`   | start:length:factor, in ms                      | `burst=3000:2000:3`   |
//! | `ev`      | server changes, ms:server:state (1-based server; up, down, slowN) | `ev=3000:3:slow10` |
//! | `dur`, `tick`, `seed`, `step` | run length and step (ms), seed, steps taken | `step=40` |

use super::balancer::Algorithm;
use super::config::{LbConfig, ServerChange, ServerState, ServiceDist};
use super::lab::LbScenario;
use super::presets::preset;
use crate::format::{parse_decimal, trimmed};
use crate::query::Notice;

const ALGORITHMS: &str = "one of round_robin, weighted_round_robin, ip_hash, random, least_connections, weighted_least_connections, least_response_time, power_of_two, peak_ewma, ring_bounded";

/// Reads a scenario from decoded query pairs. Every bad parameter is reported and replaced by
/// its default; the result always builds a lab.
pub fn scenario_from_params(pairs: &[(String, String)]) -> (LbScenario, Vec<Notice>) {
    let mut notices = Vec::new();
    let base: LbScenario = crate::query::preset_base(pairs, preset, &mut notices);
    let mut scenario = base.clone();
    let c = &mut scenario.config;
    for (key, value) in pairs {
        let value = value.trim();
        let mut bad = |what: &str| {
            notices.push(Notice::new(
                key,
                format!("{value:?} is not {what}; using the default"),
            ))
        };
        let v = crate::query::ParamValue(value);
        let int = |lo, hi| v.int(lo, hi);
        let num = |lo, hi| v.num(lo, hi);
        let flag = || v.flag();
        macro_rules! set {
            ($field:expr, $parsed:expr, $what:expr) => {
                match $parsed {
                    Some(v) => $field = v,
                    None => bad($what),
                }
            };
        }
        match key.as_str() {
            "preset" => {}
            "seed" => set!(
                c.seed,
                value.parse().ok(),
                "a whole number from 0 to 18446744073709551615"
            ),
            "alg" => set!(c.algorithm, Algorithm::from_id(value), ALGORITHMS),
            "cmp" => set!(c.compare, flag(), "1 or 0"),
            "servers" => set!(c.servers, int(1, 1_000), "a whole number from 1 to 1000"),
            "spread" => set!(c.spread, num(0.0, 0.9), "a spread from 0 to 0.9"),
            "cap" => set!(c.capacity, int(1, 10_000), "a whole number from 1 to 10000"),
            "queue" => set!(
                c.queue_limit,
                int(0, 10_000_000),
                "a whole number from 0 to 10000000"
            ),
            "dist" => set!(
                c.service,
                ServiceDist::from_id(value),
                "one of constant, exponential, lognormal"
            ),
            "sigma" => set!(c.sigma, num(0.0, 3.0), "a sigma from 0 to 3"),
            "rate" => set!(
                c.rate,
                num(0.0, 10_000_000.0).filter(|v| *v > 0.0),
                "a rate above 0 and up to 10000000"
            ),
            "rvar" => set!(c.rate_cv, num(0.0, 10.0), "a variability from 0 to 10"),
            "cost" => set!(
                c.cost_ms,
                num(0.001, 60_000.0),
                "a cost in ms from 0.001 to 60000"
            ),
            "cvar" => set!(c.cost_cv, num(0.0, 10.0), "a variability from 0 to 10"),
            "clients" => set!(
                c.clients,
                int(1, 100_000),
                "a whole number from 1 to 100000"
            ),
            "proxy" => set!(c.proxy, flag(), "1 or 0"),
            "l7" => set!(c.l7, flag(), "1 or 0"),
            "static" => set!(c.static_share, num(0.0, 1.0), "a share from 0 to 1"),
            "spool" => set!(
                c.static_servers,
                int(1, 999),
                "a whole number from 1 to 999"
            ),
            "hop" => set!(
                c.hop_us,
                int(0, 1_000_000),
                "a delay in µs from 0 to 1000000"
            ),
            "timeout" => set!(
                c.timeout_ms,
                int(0, 600_000),
                "a timeout in ms from 0 to 600000"
            ),
            "retries" => set!(c.retries, int(0, 10), "a whole number from 0 to 10"),
            "budget" => set!(c.retry_budget, num(0.0, 1.0), "a share from 0 to 1"),
            "hc" => set!(
                c.health.interval_ms,
                int(0, 3_600_000),
                "an interval in ms from 0 (off) to 3600000"
            ),
            "hct" => set!(c.health.timeout_ms, int(1, 3_600_000), "a timeout in ms"),
            "fall" => set!(c.health.fall, int(1, 100), "a whole number from 1 to 100"),
            "rise" => set!(c.health.rise, int(1, 100), "a whole number from 1 to 100"),
            "decay" => set!(
                c.decay_ms,
                int(1, 600_000),
                "a decay in ms from 1 to 600000"
            ),
            "eps" => set!(c.epsilon, num(0.01, 10.0), "an epsilon from 0.01 to 10"),
            "burst" => match parse_burst(value) {
                Some((at, len, factor)) => {
                    (c.burst_at_ms, c.burst_ms, c.burst_factor) = (at, len, factor)
                }
                None => bad("start:length:factor (ms, ms, 1 to 100)"),
            },
            "ev" => set!(
                c.changes,
                parse_changes(value),
                "a list of ms:server:state (up, down or slowN)"
            ),
            "dur" => set!(
                c.duration_ms,
                int(1, 3_600_000),
                "a duration in ms from 1 to 3600000"
            ),
            "tick" => set!(
                c.tick_ms,
                int(1, 3_600_000),
                "a step in ms from 1 to 3600000"
            ),
            "step" => set!(scenario.steps, value.parse().ok(), "a whole number"),
            _ if crate::query::SHELL_PARAMS.contains(&key.as_str()) => {}
            _ => notices.push(Notice::new(key, "is not a parameter of this lab; ignored")),
        }
    }
    repair(&mut scenario, &base, &mut notices);
    (scenario, notices)
}

fn parse_burst(text: &str) -> Option<(u32, u32, f64)> {
    let mut parts = text.split(':');
    let at = parts.next()?.parse().ok()?;
    let len = parts.next()?.parse().ok()?;
    let factor = parse_decimal(parts.next()?).filter(|f| (1.0..=100.0).contains(f))?;
    parts.next().is_none().then_some((at, len, factor))
}

fn state_id(state: ServerState) -> String {
    match state {
        ServerState::Up => "up".to_owned(),
        ServerState::Down => "down".to_owned(),
        ServerState::Slow(m) => format!("slow{}", trimmed(m, 12)),
    }
}

fn parse_state(text: &str) -> Option<ServerState> {
    match text {
        "up" => Some(ServerState::Up),
        "down" => Some(ServerState::Down),
        _ => text
            .strip_prefix("slow")
            .and_then(parse_decimal)
            .map(ServerState::Slow),
    }
}

fn parse_changes(text: &str) -> Option<Vec<ServerChange>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|item| {
            let mut parts = item.trim().split(':');
            let at_ms = parts.next()?.parse().ok()?;
            let server: u32 = parts.next()?.parse().ok()?;
            let state = parse_state(parts.next()?)?;
            (parts.next().is_none() && server >= 1).then_some(ServerChange {
                at_ms,
                server: server - 1,
                state,
            })
        })
        .collect()
}

/// Makes a parsed scenario valid: each failing part of the config falls back to the base
/// scenario's, with a notice, until the config validates; then the steps are clamped.
fn repair(scenario: &mut LbScenario, base: &LbScenario, notices: &mut Vec<Notice>) {
    let c = &mut scenario.config;
    type Fix = (&'static str, fn(&mut LbConfig, &LbConfig));
    let fixes: [Fix; 7] = [
        ("tick", |c, b| c.tick_ms = b.tick_ms.min(c.duration_ms)),
        ("spool", |c, b| {
            (c.l7, c.static_servers) = (b.l7, b.static_servers)
        }),
        ("hct", |c, b| c.health = b.health),
        ("ev", |c, b| c.changes = b.changes.clone()),
        ("rate", |c, b| {
            (c.rate, c.burst_factor, c.burst_at_ms, c.burst_ms) =
                (b.rate, b.burst_factor, b.burst_at_ms, b.burst_ms)
        }),
        ("dur", |c, b| {
            (c.duration_ms, c.tick_ms) = (b.duration_ms, b.tick_ms)
        }),
        ("ev", |c, _| c.changes.clear()),
    ];
    for (param, fix) in fixes {
        if let Err(err) = c.validate() {
            notices.push(Notice::new(param, format!("{err}; using the default")));
            fix(c, &base.config);
        }
    }
    if let Err(err) = c.validate() {
        notices.push(Notice::new(
            "preset",
            format!("{err}; using the default scenario"),
        ));
        *c = base.config.clone();
    }
    let total = c.n_ticks() + 1;
    if scenario.steps > total {
        notices.push(Notice::new(
            "step",
            format!("the run has {total} steps; using {total}"),
        ));
        scenario.steps = total;
    }
}

/// The query pairs for a scenario; parameters equal to their defaults are left out.
pub fn scenario_to_params(scenario: &LbScenario) -> Vec<(String, String)> {
    let d = LbConfig::default();
    let c = &scenario.config;
    let mut out = Vec::new();
    let mut push = |k: &str, differs: bool, v: String| {
        if differs {
            out.push((k.to_owned(), v));
        }
    };
    let flag = |b: bool| if b { "1" } else { "0" }.to_owned();
    let num = |v: f64| trimmed(v, 12);
    push("seed", c.seed != d.seed, c.seed.to_string());
    push(
        "alg",
        c.algorithm != d.algorithm,
        c.algorithm.id().to_owned(),
    );
    push("cmp", c.compare != d.compare, flag(c.compare));
    push("servers", c.servers != d.servers, c.servers.to_string());
    push("spread", c.spread != d.spread, num(c.spread));
    push("cap", c.capacity != d.capacity, c.capacity.to_string());
    push(
        "queue",
        c.queue_limit != d.queue_limit,
        c.queue_limit.to_string(),
    );
    push("dist", c.service != d.service, c.service.id().to_owned());
    push("sigma", c.sigma != d.sigma, num(c.sigma));
    push("rate", c.rate != d.rate, num(c.rate));
    push("rvar", c.rate_cv != d.rate_cv, num(c.rate_cv));
    push("cost", c.cost_ms != d.cost_ms, num(c.cost_ms));
    push("cvar", c.cost_cv != d.cost_cv, num(c.cost_cv));
    push("clients", c.clients != d.clients, c.clients.to_string());
    push("proxy", c.proxy != d.proxy, flag(c.proxy));
    push("l7", c.l7 != d.l7, flag(c.l7));
    push(
        "static",
        c.static_share != d.static_share,
        num(c.static_share),
    );
    push(
        "spool",
        c.static_servers != d.static_servers,
        c.static_servers.to_string(),
    );
    push("hop", c.hop_us != d.hop_us, c.hop_us.to_string());
    push(
        "timeout",
        c.timeout_ms != d.timeout_ms,
        c.timeout_ms.to_string(),
    );
    push("retries", c.retries != d.retries, c.retries.to_string());
    push(
        "budget",
        c.retry_budget != d.retry_budget,
        num(c.retry_budget),
    );
    let (h, dh) = (&c.health, &d.health);
    push(
        "hc",
        h.interval_ms != dh.interval_ms,
        h.interval_ms.to_string(),
    );
    push(
        "hct",
        h.timeout_ms != dh.timeout_ms,
        h.timeout_ms.to_string(),
    );
    push("fall", h.fall != dh.fall, h.fall.to_string());
    push("rise", h.rise != dh.rise, h.rise.to_string());
    push("decay", c.decay_ms != d.decay_ms, c.decay_ms.to_string());
    push("eps", c.epsilon != d.epsilon, num(c.epsilon));
    push(
        "burst",
        (c.burst_at_ms, c.burst_ms, c.burst_factor) != (d.burst_at_ms, d.burst_ms, d.burst_factor),
        format!("{}:{}:{}", c.burst_at_ms, c.burst_ms, num(c.burst_factor)),
    );
    push(
        "ev",
        c.changes != d.changes,
        c.changes
            .iter()
            .map(|ch| format!("{}:{}:{}", ch.at_ms, ch.server + 1, state_id(ch.state)))
            .collect::<Vec<_>>()
            .join(","),
    );
    push(
        "dur",
        c.duration_ms != d.duration_ms,
        c.duration_ms.to_string(),
    );
    push("tick", c.tick_ms != d.tick_ms, c.tick_ms.to_string());
    push("step", scenario.steps != 0, scenario.steps.to_string());
    out
}

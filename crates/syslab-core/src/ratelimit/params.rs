//! The rate-limiter lab in a URL: readable parameters that round-trip the whole scenario, and
//! that embeds reuse as `data-*` attributes.
//!
//! | param     | meaning                                     | example                    |
//! |-----------|---------------------------------------------|----------------------------|
//! | `preset`  | start from a preset (others override it)    | `preset=boundary-burst`    |
//! | `alg`     | the algorithm shown                         | `alg=gcra`                 |
//! | `cmp`     | algorithms compared with it                 | `cmp=sliding_log,gcra`     |
//! | `limit`   | requests per window and key                 | `limit=10`                 |
//! | `window`  | window in ms                                | `window=1000`              |
//! | `burst`   | bucket capacity, GCRA burst                 | `burst=10`                 |
//! | `queue`   | leaky-bucket queue size                     | `queue=20`                 |
//! | `by`      | limit per: global, api_key, user, ip        | `by=ip`                    |
//! | `per`     | API keys per user, clients per IP           | `per=4`                    |
//! | `inst`    | limiter instances                           | `inst=4`                   |
//! | `lb`      | round_robin, random                         | `lb=random`                |
//! | `store`   | local, atomic, racy                         | `store=racy`               |
//! | `rtt`     | store round trip in µs                      | `rtt=1000`                 |
//! | `traffic` | steady, poisson, bursty, spike, ramp, mix   | `traffic=spike`            |
//! | `rate`, `peak` | requests per second                    | `rate=12.5`                |
//! | `clients`, `abusers` | client counts                    | `clients=20`               |
//! | `on`, `off` | burst and pause in ms                     | `on=2000`                  |
//! | `dur`, `tick` | run length and step in ms               | `dur=20000`                |
//! | `seed`, `step` | traffic seed, steps taken              | `seed=7&step=40`           |

use super::cluster::{Balancer, StoreMode};
use super::config::{KeyKind, RateLimitConfig};
use super::kind::AlgorithmKind;
use super::lab::RateLimitScenario;
use super::presets::preset;
use super::traffic::Pattern;
use crate::format::trimmed;
use crate::query::Notice;

/// Reads a scenario from decoded query pairs. Every bad parameter is reported and replaced by
/// its default; the result always builds a lab.
pub fn scenario_from_params(pairs: &[(String, String)]) -> (RateLimitScenario, Vec<Notice>) {
    let mut notices = Vec::new();
    let base: RateLimitScenario = crate::query::preset_base(pairs, preset, &mut notices);
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
        let rate = || v.num(0.0, 1e6);
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
            "alg" => set!(c.algorithm, AlgorithmKind::from_id(value), ALGORITHMS),
            "cmp" => set!(
                c.compare,
                parse_list(value),
                "a comma-separated list of algorithms"
            ),
            "limit" => set!(
                c.limit,
                int(1, 1_000_000),
                "a whole number from 1 to 1000000"
            ),
            "window" => set!(
                c.window_ms,
                int(1, 3_600_000),
                "a window in ms from 1 to 3600000"
            ),
            "burst" => set!(
                c.burst,
                int(1, 1_000_000),
                "a whole number from 1 to 1000000"
            ),
            "queue" => set!(c.queue, int(1, 100_000), "a whole number from 1 to 100000"),
            "by" => set!(
                c.key,
                KeyKind::from_id(value),
                "one of global, api_key, user, ip"
            ),
            "per" => set!(
                c.clients_per_key,
                int(1, 10_000),
                "a whole number from 1 to 10000"
            ),
            "inst" => set!(
                c.cluster.instances,
                int(1, 64),
                "a whole number from 1 to 64"
            ),
            "lb" => set!(
                c.cluster.balancer,
                Balancer::from_id(value),
                "round_robin or random"
            ),
            "store" => set!(
                c.cluster.store,
                StoreMode::from_id(value),
                "local, atomic or racy"
            ),
            "rtt" => set!(
                c.cluster.rtt_us,
                int(0, 10_000_000),
                "a round trip in µs from 0 to 10000000"
            ),
            "traffic" => set!(c.traffic.pattern, Pattern::from_id(value), PATTERNS),
            "rate" => set!(c.traffic.rate, rate(), "a rate from 0 to 1000000"),
            "peak" => set!(c.traffic.peak, rate(), "a rate from 0 to 1000000"),
            "clients" => set!(
                c.traffic.clients,
                int(1, 10_000),
                "a whole number from 1 to 10000"
            ),
            "abusers" => set!(
                c.traffic.abusers,
                int(0, 1_000),
                "a whole number from 0 to 1000"
            ),
            "on" => set!(
                c.traffic.on_ms,
                int(1, 3_600_000),
                "a length in ms from 1 to 3600000"
            ),
            "off" => set!(
                c.traffic.off_ms,
                int(0, 3_600_000),
                "a length in ms from 0 to 3600000"
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

const ALGORITHMS: &str = "one of token_bucket, leaky_queue, leaky_meter, fixed_window, sliding_log, sliding_counter, gcra";
const PATTERNS: &str = "one of steady, poisson, bursty, spike, ramp, mix";

fn parse_list(text: &str) -> Option<Vec<AlgorithmKind>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| AlgorithmKind::from_id(s.trim()))
        .collect()
}

/// Makes a parsed scenario valid: each failing part of the config falls back to the base
/// scenario's, with a notice, until the config validates; then the steps are clamped.
fn repair(scenario: &mut RateLimitScenario, base: &RateLimitScenario, notices: &mut Vec<Notice>) {
    let c = &mut scenario.config;
    let b = &base.config;
    // Duplicates in the comparison are dropped rather than replaced.
    let algorithm = c.algorithm;
    let mut seen = vec![algorithm];
    let before = c.compare.len();
    c.compare.retain(|k| {
        !seen.contains(k) && {
            seen.push(*k);
            true
        }
    });
    if c.compare.len() != before {
        notices.push(Notice::new(
            "cmp",
            "lists an algorithm twice; dropped the repeats",
        ));
    }
    type Fix = (&'static str, fn(&mut RateLimitConfig, &RateLimitConfig));
    let fixes: [Fix; 5] = [
        ("tick", |c, b| c.tick_ms = b.tick_ms.min(c.duration_ms)),
        ("traffic", |c, b| c.traffic = b.traffic.clone()),
        ("inst", |c, b| c.cluster = b.cluster),
        ("limit", |c, b| {
            (c.limit, c.window_ms, c.burst, c.queue) = (b.limit, b.window_ms, b.burst, b.queue)
        }),
        ("dur", |c, b| {
            (c.duration_ms, c.tick_ms) = (b.duration_ms, b.tick_ms)
        }),
    ];
    for (param, fix) in fixes {
        if let Err(err) = c.validate() {
            notices.push(Notice::new(param, format!("{err}; using the default")));
            fix(c, b);
        }
    }
    if let Err(err) = c.validate() {
        notices.push(Notice::new(
            "preset",
            format!("{err}; using the default scenario"),
        ));
        *c = b.clone();
    }
    let total = c.duration_ms.div_ceil(c.tick_ms.max(1)) as u64;
    if scenario.steps > total {
        notices.push(Notice::new(
            "step",
            format!("the run has {total} steps; using {total}"),
        ));
        scenario.steps = total;
    }
}

/// The query pairs for a scenario; parameters equal to their defaults are left out.
pub fn scenario_to_params(scenario: &RateLimitScenario) -> Vec<(String, String)> {
    let d = RateLimitConfig::default();
    let c = &scenario.config;
    let mut out = Vec::new();
    let mut push = |k: &str, differs: bool, v: String| {
        if differs {
            out.push((k.to_owned(), v));
        }
    };
    push("seed", c.seed != d.seed, c.seed.to_string());
    push(
        "alg",
        c.algorithm != d.algorithm,
        c.algorithm.id().to_owned(),
    );
    push(
        "cmp",
        c.compare != d.compare,
        c.compare
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(","),
    );
    push("limit", c.limit != d.limit, c.limit.to_string());
    push(
        "window",
        c.window_ms != d.window_ms,
        c.window_ms.to_string(),
    );
    push("burst", c.burst != d.burst, c.burst.to_string());
    push("queue", c.queue != d.queue, c.queue.to_string());
    push("by", c.key != d.key, c.key.id().to_owned());
    push(
        "per",
        c.clients_per_key != d.clients_per_key,
        c.clients_per_key.to_string(),
    );
    let (cl, dl) = (&c.cluster, &d.cluster);
    push(
        "inst",
        cl.instances != dl.instances,
        cl.instances.to_string(),
    );
    push(
        "lb",
        cl.balancer != dl.balancer,
        cl.balancer.id().to_owned(),
    );
    push("store", cl.store != dl.store, cl.store.id().to_owned());
    push("rtt", cl.rtt_us != dl.rtt_us, cl.rtt_us.to_string());
    let (t, dt) = (&c.traffic, &d.traffic);
    push(
        "traffic",
        t.pattern != dt.pattern,
        t.pattern.id().to_owned(),
    );
    push("rate", t.rate != dt.rate, trimmed(t.rate, 12));
    push("peak", t.peak != dt.peak, trimmed(t.peak, 12));
    push("clients", t.clients != dt.clients, t.clients.to_string());
    push("abusers", t.abusers != dt.abusers, t.abusers.to_string());
    push("on", t.on_ms != dt.on_ms, t.on_ms.to_string());
    push("off", t.off_ms != dt.off_ms, t.off_ms.to_string());
    push(
        "dur",
        c.duration_ms != d.duration_ms,
        c.duration_ms.to_string(),
    );
    push("tick", c.tick_ms != d.tick_ms, c.tick_ms.to_string());
    push("step", scenario.steps != 0, scenario.steps.to_string());
    out
}

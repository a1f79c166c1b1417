//! The cache lab in a URL: readable parameters that round-trip a generated-workload scenario,
//! and that embeds reuse as `data-*` attributes. A trace cannot travel in a link.
//!
//! | param     | meaning                                        | example                 |
//! |-----------|------------------------------------------------|-------------------------|
//! | `preset`  | start from a preset (others override it)       | `preset=scan-pollution` |
//! | `policy`  | the policy shown                               | `policy=sieve`          |
//! | `cmp`     | policies compared with it (`all`, or empty)    | `cmp=lru,arc,belady`    |
//! | `size`    | cache size in objects                          | `size=100`              |
//! | `ttl`     | time to live in ms (0: none)                   | `ttl=5000`              |
//! | `write`   | cache_aside, read_through, write_through, write_around, write_back | `write=write_back` |
//! | `flush`   | write-back flush interval in ms                | `flush=1000`            |
//! | `gap`     | µs between requests                            | `gap=1000`              |
//! | `cl`, `dbr`, `dbw` | cache, database read and write latency in µs | `dbr=5000`       |
//! | `workload`| zipf, uniform, scan, loop, shifting            | `workload=scan`         |
//! | `items`, `n` | distinct keys, requests                     | `items=1000&n=20000`    |
//! | `skew`    | Zipf exponent, 0 to 5                          | `skew=0.9`              |
//! | `rw`      | share of writes, 0 to 1                        | `rw=0.1`                |
//! | `period`, `scan` | requests between scans or shifts, scan length | `period=3000`     |
//! | `maxsize` | largest object size in bytes                   | `maxsize=100`           |
//! | `batch`   | requests per step                              | `batch=100`             |
//! | `ev`      | events: `crash`, `db_down`, `db_up` `@` request | `ev=db_down@800,db_up@900` |
//! | `seed`, `step` | workload seed, steps taken                | `seed=7&step=40`        |

use super::config::{CacheConfig, WriteStrategy};
use super::lab::CacheScenario;
use super::policy::PolicyKind;
use super::presets::preset;
use super::sim::{CacheEvent, EventKind};
use super::workload::WorkloadKind;
use crate::format::trimmed;
use crate::query::Notice;

const POLICIES: &str = "a comma-separated list of lru, lfu, fifo, mru, random, clock, arc, sieve, s3_fifo, tinylfu, belady (or all)";

/// Reads a scenario from decoded query pairs. Every bad parameter is reported and replaced by
/// its default; the result always builds a lab.
pub fn scenario_from_params(pairs: &[(String, String)]) -> (CacheScenario, Vec<Notice>) {
    let mut notices = Vec::new();
    let base: CacheScenario = crate::query::preset_base(pairs, preset, &mut notices);
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
        let real = |hi| v.num(0.0, hi);
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
            "policy" => set!(
                c.policy,
                PolicyKind::from_id(value),
                "a policy such as lru or sieve"
            ),
            "cmp" => set!(c.compare, parse_list(value), POLICIES),
            "size" => set!(
                c.capacity,
                int(1, 1_000_000),
                "a cache size from 1 to 1000000"
            ),
            "ttl" => set!(c.ttl_ms, int(0, 3_600_000), "a TTL in ms from 0 to 3600000"),
            "write" => set!(
                c.write,
                WriteStrategy::from_id(value),
                "one of cache_aside, read_through, write_through, write_around, write_back"
            ),
            "flush" => set!(
                c.flush_ms,
                int(1, 3_600_000),
                "an interval in ms from 1 to 3600000"
            ),
            "gap" => set!(c.gap_us, int(1, 3_600_000), "a gap in µs from 1 to 3600000"),
            "cl" => set!(
                c.cache_us,
                int(0, 3_600_000),
                "a latency in µs from 0 to 3600000"
            ),
            "dbr" => set!(
                c.db_read_us,
                int(0, 3_600_000),
                "a latency in µs from 0 to 3600000"
            ),
            "dbw" => set!(
                c.db_write_us,
                int(0, 3_600_000),
                "a latency in µs from 0 to 3600000"
            ),
            "batch" => set!(c.batch, int(1, 100_000), "a whole number from 1 to 100000"),
            "workload" => set!(
                c.workload.kind,
                WorkloadKind::from_id(value).filter(|k| k.is_generated()),
                "one of zipf, uniform, scan, loop, shifting (a trace cannot travel in a link)"
            ),
            "items" => set!(
                c.workload.items,
                int(1, 1_000_000),
                "a whole number from 1 to 1000000"
            ),
            "n" => set!(
                c.workload.requests,
                int(1, 2_000_000),
                "a whole number from 1 to 2000000"
            ),
            "skew" => set!(c.workload.skew, real(5.0), "a number from 0 to 5"),
            "rw" => set!(c.workload.write_ratio, real(1.0), "a number from 0 to 1"),
            "period" => set!(
                c.workload.period,
                int(1, 2_000_000),
                "a whole number from 1 to 2000000"
            ),
            "scan" => set!(
                c.workload.scan_len,
                int(1, 1_000_000),
                "a whole number from 1 to 1000000"
            ),
            "maxsize" => set!(
                c.workload.max_size,
                int(1, 1_000_000),
                "a size from 1 to 1000000"
            ),
            "ev" => set!(
                scenario.events,
                parse_events(value),
                "a list such as crash@1200,db_down@3000"
            ),
            "step" => set!(scenario.steps, value.parse().ok(), "a whole number"),
            _ if crate::query::SHELL_PARAMS.contains(&key.as_str()) => {}
            _ => notices.push(Notice::new(key, "is not a parameter of this lab; ignored")),
        }
    }
    repair(&mut scenario, &base, &mut notices);
    (scenario, notices)
}

fn parse_list(text: &str) -> Option<Vec<PolicyKind>> {
    if text == "all" {
        return Some(PolicyKind::ALL.to_vec());
    }
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| PolicyKind::from_id(s.trim()))
        .collect()
}

fn parse_events(text: &str) -> Option<Vec<CacheEvent>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            let (kind, at) = s.trim().split_once('@')?;
            Some(CacheEvent {
                kind: EventKind::from_id(kind)?,
                at: at.parse().ok()?,
            })
        })
        .collect()
}

/// Makes a parsed scenario valid: the shown policy is dropped from the comparison, repeats are
/// dropped, failing parts fall back to the base scenario's with a notice, events are sorted and
/// clamped, and steps are clamped.
fn repair(scenario: &mut CacheScenario, base: &CacheScenario, notices: &mut Vec<Notice>) {
    let c = &mut scenario.config;
    let mut seen = vec![c.policy];
    let before = c.compare.len();
    c.compare.retain(|k| {
        !seen.contains(k) && {
            seen.push(*k);
            true
        }
    });
    // `cmp=all` lists the shown policy too: dropping it is what was meant, so no notice.
    if c.compare.len() + 1 < before {
        notices.push(Notice::new(
            "cmp",
            "lists a policy twice; dropped the repeats",
        ));
    }
    type Fix = (&'static str, fn(&mut CacheConfig, &CacheConfig));
    let fixes: [Fix; 2] = [
        ("workload", |c, b| c.workload = b.workload.clone()),
        ("preset", |c, b| *c = b.clone()),
    ];
    for (param, fix) in fixes {
        if let Err(err) = c.validate() {
            notices.push(Notice::new(param, format!("{err}; using the default")));
            fix(c, &base.config);
        }
    }
    let total = if c.workload.kind.is_generated() {
        c.workload.requests
    } else {
        0
    };
    if !scenario.events.is_sorted_by_key(|e| e.at) || scenario.events.iter().any(|e| e.at > total) {
        notices.push(Notice::new(
            "ev",
            format!("events must be in order and at most request {total}; sorted and clamped"),
        ));
        for e in &mut scenario.events {
            e.at = e.at.min(total);
        }
        scenario.events.sort_by_key(|e| e.at);
    }
    let steps = u64::from(total.div_ceil(c.batch.max(1)));
    if scenario.steps > steps {
        notices.push(Notice::new(
            "step",
            format!("the run has {steps} steps; using {steps}"),
        ));
        scenario.steps = steps;
    }
}

/// The query pairs for a scenario; parameters equal to their defaults are left out.
pub fn scenario_to_params(scenario: &CacheScenario) -> Vec<(String, String)> {
    let d = CacheConfig::default();
    let c = &scenario.config;
    let mut out = Vec::new();
    let mut push = |k: &str, differs: bool, v: String| {
        if differs {
            out.push((k.to_owned(), v));
        }
    };
    push("seed", c.seed != d.seed, c.seed.to_string());
    push("policy", c.policy != d.policy, c.policy.id().to_owned());
    push(
        "cmp",
        c.compare != d.compare,
        c.compare
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(","),
    );
    push("size", c.capacity != d.capacity, c.capacity.to_string());
    push("ttl", c.ttl_ms != d.ttl_ms, c.ttl_ms.to_string());
    push("write", c.write != d.write, c.write.id().to_owned());
    push("flush", c.flush_ms != d.flush_ms, c.flush_ms.to_string());
    push("gap", c.gap_us != d.gap_us, c.gap_us.to_string());
    push("cl", c.cache_us != d.cache_us, c.cache_us.to_string());
    push(
        "dbr",
        c.db_read_us != d.db_read_us,
        c.db_read_us.to_string(),
    );
    push(
        "dbw",
        c.db_write_us != d.db_write_us,
        c.db_write_us.to_string(),
    );
    push("batch", c.batch != d.batch, c.batch.to_string());
    let (w, dw) = (&c.workload, &d.workload);
    push("workload", w.kind != dw.kind, w.kind.id().to_owned());
    push("items", w.items != dw.items, w.items.to_string());
    push("n", w.requests != dw.requests, w.requests.to_string());
    push("skew", w.skew != dw.skew, trimmed(w.skew, 12));
    push(
        "rw",
        w.write_ratio != dw.write_ratio,
        trimmed(w.write_ratio, 12),
    );
    push("period", w.period != dw.period, w.period.to_string());
    push("scan", w.scan_len != dw.scan_len, w.scan_len.to_string());
    push("maxsize", w.max_size != dw.max_size, w.max_size.to_string());
    push(
        "ev",
        !scenario.events.is_empty(),
        scenario
            .events
            .iter()
            .map(|e| format!("{}@{}", e.kind.id(), e.at))
            .collect::<Vec<_>>()
            .join(","),
    );
    push("step", scenario.steps != 0, scenario.steps.to_string());
    out
}

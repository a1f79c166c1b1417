//! syslab's benchmarks: one measuring library, run natively (`src/main.rs`, `cargo bench`) and
//! in wasm (the exported `run_all`, under Node or in a browser).
//!
//! The library never reads a clock itself: each entry point passes one in (milliseconds, from
//! `Instant` natively and `performance.now()` in wasm), so both targets run the same code. Every
//! benchmark warms up, times rounds until its budget is spent and reports the median round; the
//! work is fed through `std::hint::black_box` so the optimiser cannot delete it.
//!
//! Benchmark names are a contract: BENCHMARKS.md and `target/bench.json` cite them.

pub mod cache;
pub mod labs;
pub mod lb;
pub mod measure;
pub mod ratelimit;
pub mod ring;

use serde::Serialize;

pub use measure::{Budget, Clock, Figure};

/// One benchmark result, serialised as `{"name","value","unit","target"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Record {
    /// The benchmark's name, e.g. `ring/lookup-1000x160`.
    pub name: String,
    /// The measured value, in `unit`.
    pub value: f64,
    /// What `value` counts, e.g. `ms` or `Mlookups/s`.
    pub unit: String,
    /// Where it ran: `native` or `wasm`.
    pub target: String,
}

/// One benchmark: the names of the records it produces (with their units), and how to run it.
pub struct Bench {
    /// The records it produces, as (name, unit), in order.
    pub records: &'static [(&'static str, &'static str)],
    /// Runs it.
    pub run: fn(Clock<'_>, &Budget) -> Vec<Figure>,
}

/// Every benchmark, in the order they run and print.
pub const BENCHES: &[Bench] = &[
    Bench {
        records: &[("ring/lookup-1000x160", "Mlookups/s")],
        run: ring::lookup,
    },
    Bench {
        records: &[("ring/lookup-hashed-1000x160", "Mlookups/s")],
        run: ring::lookup_hashed,
    },
    Bench {
        records: &[("ring/recompute-100k-keys", "ms")],
        run: ring::recompute,
    },
    Bench {
        records: &[("ring/owners-merge-100k", "ms")],
        run: ring::owners_merge,
    },
    Bench {
        records: &[
            ("ring/drag-frame-core-64x200-10k", "ms"),
            ("ring/drag-frame-core-64x200-10k-p95", "ms"),
        ],
        run: ring::drag_frame,
    },
    Bench {
        records: &[("ring/apply-add-node-10k", "ms")],
        run: ring::apply_add_node,
    },
    Bench {
        records: &[
            ("ring/apply-add-node-deferred-100k", "ms"),
            ("ring/apply-add-node-100k", "ms"),
            ("ring/place-piece-100k", "ms"),
            ("ring/place-piece-100k-p95", "ms"),
            ("ring/place-pieces-100k", "pieces"),
        ],
        run: ring::apply_add_node_deferred,
    },
    Bench {
        records: &[("ring/clone-lab-64x200-10k", "ms")],
        run: ring::clone_lab,
    },
    Bench {
        records: &[("cache/clone-lab-1m-trace", "ms")],
        run: cache::clone_lab,
    },
    Bench {
        records: &[("ratelimit/decisions-token_bucket", "Mdecisions/s")],
        run: ratelimit::token_bucket,
    },
    Bench {
        records: &[("ratelimit/decisions-leaky_queue", "Mdecisions/s")],
        run: ratelimit::leaky_queue,
    },
    Bench {
        records: &[("ratelimit/decisions-leaky_meter", "Mdecisions/s")],
        run: ratelimit::leaky_meter,
    },
    Bench {
        records: &[("ratelimit/decisions-fixed_window", "Mdecisions/s")],
        run: ratelimit::fixed_window,
    },
    Bench {
        records: &[("ratelimit/decisions-sliding_log", "Mdecisions/s")],
        run: ratelimit::sliding_log,
    },
    Bench {
        records: &[("ratelimit/decisions-sliding_counter", "Mdecisions/s")],
        run: ratelimit::sliding_counter,
    },
    Bench {
        records: &[("ratelimit/decisions-gcra", "Mdecisions/s")],
        run: ratelimit::gcra,
    },
    Bench {
        records: &[("ratelimit/decisions-token_bucket-10k-keys", "Mdecisions/s")],
        run: ratelimit::token_bucket_keyed,
    },
    // The `governor` crate is a native-only dependency: this benchmark does not exist in wasm.
    #[cfg(not(target_arch = "wasm32"))]
    Bench {
        records: &[
            ("ratelimit/decisions-governor-gcra", "Mdecisions/s"),
            ("ratelimit/governor-agreement", "%"),
        ],
        run: ratelimit::governor_gcra,
    },
    Bench {
        records: &[("cache/accesses-lru", "Maccesses/s")],
        run: cache::lru,
    },
    Bench {
        records: &[("cache/accesses-lfu", "Maccesses/s")],
        run: cache::lfu,
    },
    Bench {
        records: &[("cache/accesses-fifo", "Maccesses/s")],
        run: cache::fifo,
    },
    Bench {
        records: &[("cache/accesses-mru", "Maccesses/s")],
        run: cache::mru,
    },
    Bench {
        records: &[("cache/accesses-random", "Maccesses/s")],
        run: cache::random,
    },
    Bench {
        records: &[("cache/accesses-clock", "Maccesses/s")],
        run: cache::clock,
    },
    Bench {
        records: &[("cache/accesses-arc", "Maccesses/s")],
        run: cache::arc,
    },
    Bench {
        records: &[("cache/accesses-sieve", "Maccesses/s")],
        run: cache::sieve,
    },
    Bench {
        records: &[("cache/accesses-s3_fifo", "Maccesses/s")],
        run: cache::s3_fifo,
    },
    Bench {
        records: &[("cache/accesses-tinylfu", "Maccesses/s")],
        run: cache::tinylfu,
    },
    Bench {
        records: &[("cache/accesses-belady", "Maccesses/s")],
        run: cache::belady,
    },
    Bench {
        records: &[
            ("cache/hit-ratio-lru", "%"),
            ("cache/hit-ratio-lfu", "%"),
            ("cache/hit-ratio-fifo", "%"),
            ("cache/hit-ratio-mru", "%"),
            ("cache/hit-ratio-random", "%"),
            ("cache/hit-ratio-clock", "%"),
            ("cache/hit-ratio-arc", "%"),
            ("cache/hit-ratio-sieve", "%"),
            ("cache/hit-ratio-s3_fifo", "%"),
            ("cache/hit-ratio-tinylfu", "%"),
            ("cache/hit-ratio-belady", "%"),
        ],
        run: cache::hit_ratios,
    },
    // The reference caches are native-only dependencies: these do not exist in wasm.
    #[cfg(not(target_arch = "wasm32"))]
    Bench {
        records: &[
            ("cache/accesses-crate-lru", "Maccesses/s"),
            ("cache/hit-ratio-crate-lru", "%"),
        ],
        run: cache::reference::lru,
    },
    #[cfg(not(target_arch = "wasm32"))]
    Bench {
        records: &[
            ("cache/accesses-crate-quick_cache", "Maccesses/s"),
            ("cache/hit-ratio-crate-quick_cache", "%"),
        ],
        run: cache::reference::quick_cache,
    },
    #[cfg(not(target_arch = "wasm32"))]
    Bench {
        records: &[
            ("cache/accesses-crate-moka", "Maccesses/s"),
            ("cache/hit-ratio-crate-moka", "%"),
        ],
        run: cache::reference::moka_sync,
    },
    Bench {
        records: &[("lb/requests-round_robin-100", "Mrequests/s")],
        run: lb::round_robin,
    },
    Bench {
        records: &[("lb/requests-least_connections-100", "Mrequests/s")],
        run: lb::least_connections,
    },
    Bench {
        records: &[("lb/requests-power_of_two-100", "Mrequests/s")],
        run: lb::power_of_two,
    },
    Bench {
        records: &[("lb/requests-peak_ewma-100", "Mrequests/s")],
        run: lb::peak_ewma,
    },
    Bench {
        records: &[("lb/requests-ring_bounded-100", "Mrequests/s")],
        run: lb::ring_bounded,
    },
    Bench {
        records: &[("lb/frame-50k-rps", "ms"), ("lb/frame-50k-rps-p95", "ms")],
        run: lb::frame,
    },
    Bench {
        records: &[("resilience/requests-default", "Mrequests/s")],
        run: labs::resilience_requests,
    },
    Bench {
        records: &[
            ("resilience/frame-20k-rps", "ms"),
            ("resilience/frame-20k-rps-p95", "ms"),
        ],
        run: labs::resilience_frame,
    },
    Bench {
        records: &[("replication/ops-5", "Mops/s")],
        run: labs::replication_ops,
    },
    Bench {
        records: &[
            ("replication/frame-5", "ms"),
            ("replication/frame-5-p95", "ms"),
        ],
        run: labs::replication_frame,
    },
    Bench {
        records: &[("replication/staleness-100k", "ms")],
        run: labs::replication_staleness,
    },
    Bench {
        records: &[("consensus/messages-5", "Mmessages/s")],
        run: labs::consensus_messages,
    },
    Bench {
        records: &[("consensus/frame-9", "ms"), ("consensus/frame-9-p95", "ms")],
        run: labs::consensus_frame,
    },
    Bench {
        records: &[("consensus/election-trials-1000", "ms")],
        run: labs::consensus_trials,
    },
];

/// Runs every benchmark with the default budget. `clock` returns milliseconds; `target` names
/// where it runs (`native`, `wasm`).
pub fn run_all(clock: &dyn Fn() -> f64, target: &str) -> Vec<Record> {
    run_with(clock, target, &Budget::default(), "", &mut |_| {})
}

/// Runs the benchmarks that produce a record whose name contains `filter` (all of them when it
/// is empty), calling `on_record` as each record is measured (for progress output).
pub fn run_with(
    clock: &dyn Fn() -> f64,
    target: &str,
    budget: &Budget,
    filter: &str,
    on_record: &mut dyn FnMut(&Record),
) -> Vec<Record> {
    let mut records = Vec::new();
    for bench in BENCHES {
        if !bench.records.iter().any(|(name, _)| name.contains(filter)) {
            continue;
        }
        for (name, value, unit) in (bench.run)(clock, budget) {
            let record = Record {
                name: name.to_owned(),
                value,
                unit: unit.to_owned(),
                target: target.to_owned(),
            };
            on_record(&record);
            records.push(record);
        }
    }
    records
}

/// Runs the benchmarks natively against the monotonic clock; what the `syslab-bench` binary and
/// `cargo bench` share.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_native(filter: &str, on_record: &mut dyn FnMut(&Record)) -> Vec<Record> {
    let origin = std::time::Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1_000.0;
    run_with(&clock, "native", &Budget::default(), filter, on_record)
}

/// The records as a JSON array.
pub fn to_json(records: &[Record]) -> String {
    serde_json::to_string(records).expect("records are plain data")
}

/// The records as an aligned, human-readable table.
pub fn to_table(records: &[Record]) -> String {
    let width = records.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in records {
        out.push_str(&format!(
            "{:<width$}  {:>12.3} {:<10}  ({})\n",
            r.name, r.value, r.unit, r.target
        ));
    }
    out
}

/// The wasm entry point: `run_all()` from JavaScript.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    /// Runs every benchmark with `performance.now()` as the clock and returns the records as a
    /// JSON array string (target `wasm`). `performance` is read from the global object, so this
    /// works in Node and in browsers alike; it throws if there is none.
    #[wasm_bindgen(js_name = run_all)]
    pub fn run_all_js() -> Result<String, JsValue> {
        run_filtered_js("")
    }

    /// Like `run_all`, for the benchmarks with a record whose name contains `filter` (what the
    /// native runner's FILTER argument does), e.g. `run_filtered("lb/")`.
    #[wasm_bindgen(js_name = run_filtered)]
    pub fn run_filtered_js(filter: &str) -> Result<String, JsValue> {
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())?;
        let now: js_sys::Function =
            js_sys::Reflect::get(&performance, &"now".into())?.dyn_into()?;
        let clock = || {
            now.call0(&performance)
                .ok()
                .and_then(|t| t.as_f64())
                .unwrap_or(f64::NAN)
        };
        let records = super::run_with(
            &clock,
            "wasm",
            &super::Budget::default(),
            filter,
            &mut |_| {},
        );
        Ok(super::to_json(&records))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_serialise_as_the_bench_json_contract() {
        let records = vec![Record {
            name: "ring/owners-merge-100k".to_owned(),
            value: 0.5,
            unit: "ms".to_owned(),
            target: "native".to_owned(),
        }];
        assert_eq!(
            to_json(&records),
            r#"[{"name":"ring/owners-merge-100k","value":0.5,"unit":"ms","target":"native"}]"#
        );
    }

    #[test]
    fn names_are_unique_and_filters_select_benchmarks() {
        let names: Vec<&str> = BENCHES
            .iter()
            .flat_map(|b| b.records.iter().map(|(name, _)| *name))
            .collect();
        let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len());
        assert!(names.iter().all(|n| n.starts_with("ring/")
            || n.starts_with("ratelimit/")
            || n.starts_with("cache/")
            || n.starts_with("lb/")
            || n.starts_with("resilience/")
            || n.starts_with("replication/")
            || n.starts_with("consensus/")));
        // Every rate-limiting algorithm has its decisions benchmark, named after its id.
        for kind in syslab_core::ratelimit::AlgorithmKind::ALL {
            let name = format!("ratelimit/decisions-{}", kind.id());
            assert!(names.contains(&name.as_str()), "{name} is missing");
        }
        // Every eviction policy has its accesses and hit-ratio records, named after its id.
        for kind in syslab_core::cache::PolicyKind::ALL {
            for name in [
                format!("cache/accesses-{}", kind.id()),
                format!("cache/hit-ratio-{}", kind.id()),
            ] {
                assert!(names.contains(&name.as_str()), "{name} is missing");
            }
        }
        // A filter nothing matches runs nothing (and takes no time).
        let clock = || 0.0;
        assert!(run_with(&clock, "native", &Budget::default(), "nope", &mut |_| {}).is_empty());
    }

    #[test]
    fn the_merge_benchmark_reports_its_contract_record() {
        // A fake clock advancing 1 ms per reading keeps this fast and deterministic.
        let now = std::cell::Cell::new(0.0);
        let clock = || {
            now.set(now.get() + 1.0);
            now.get()
        };
        let budget = Budget {
            warmup_ms: 0.0,
            measure_ms: 0.0,
            min_rounds: 3,
            min_frames: 3,
        };
        let records = run_with(&clock, "native", &budget, "owners-merge", &mut |_| {});
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].name, "ring/owners-merge-100k");
        assert_eq!(records[0].unit, "ms");
        assert_eq!(records[0].value, 1.0);
    }

    #[test]
    fn the_newer_labs_benchmarks_build_from_their_links_and_report_their_records() {
        let now = std::cell::Cell::new(0.0);
        let clock = || {
            now.set(now.get() + 1.0);
            now.get()
        };
        let budget = Budget {
            warmup_ms: 0.0,
            measure_ms: 0.0,
            min_rounds: 1,
            min_frames: 1,
        };
        for lab in ["resilience/", "replication/", "consensus/"] {
            let declared: Vec<&str> = BENCHES
                .iter()
                .flat_map(|b| b.records.iter().map(|(name, _)| *name))
                .filter(|name| name.starts_with(lab))
                .collect();
            let records = run_with(&clock, "native", &budget, lab, &mut |_| {});
            let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(names, declared);
            assert!(records.iter().all(|r| r.value.is_finite() && r.value > 0.0));
        }
    }
}

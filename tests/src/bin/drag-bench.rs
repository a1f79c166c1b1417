//! Browser frame benchmarks: runs the app's `/ring?bench=drag` hook (a drag frame on a 64-node
//! ring) and `/load-balancer?bench=play` hook (a playback frame at 50,000 requests per simulated
//! second) and prints benchmark records.
//!
//! Needs `SYSLAB_DIST` (a release build). Prints a JSON array of
//! `{"name","value","unit","target":"browser"}` records on stdout and nothing else, so
//! `cargo xtask bench` can merge it; progress and errors go to stderr.

use std::process::ExitCode;
use std::time::Duration;

use serde_json::{Value, json};
use syslab_e2e::{Harness, Result};

fn main() -> ExitCode {
    match run() {
        Ok(records) => {
            println!("{records}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("drag-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The pages benchmarked and the prefix of their records' names.
const PAGES: &[(&str, &str)] = &[
    ("/ring?bench=drag", "ring/drag-frame"),
    // 100 servers of 4 slots at 5 ms a request serve 80,000 requests a second; one tick (a
    // frame) is 16 ms of simulated time, 800 requests, with every algorithm's run replayed
    // for the comparison table off.
    (
        "/load-balancer?bench=play&servers=100&cap=4&cost=5&rate=50000&tick=16&dur=10000",
        "lb/play-frame-50k-rps",
    ),
];

fn run() -> Result<Value> {
    let harness = Harness::start("drag-bench")?;
    let mut all = Vec::new();
    harness.run(|h| {
        for (page, prefix) in PAGES {
            h.open(page)?;
            // textContent rather than WebDriver's visible text: the <pre> may be hidden.
            let text = h.browser.wait_until(
                format!(
                    "the benchmark on {page} to write its result into pre[data-testid=bench-result]"
                ),
                Duration::from_secs(120),
                |b| {
                    let text = b.execute(
                        "const pre = document.querySelector('pre[data-testid=bench-result]');
                         return pre ? pre.textContent : null;",
                        &[],
                    )?;
                    Ok(text
                        .as_str()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned))
                },
            )?;
            all.extend(records(&text, prefix)?);
        }
        Ok(())
    })?;
    if all.is_empty() {
        return Err("the benchmarks produced no result".into());
    }
    Ok(Value::Array(all))
}

/// Turns `{"frames","p50_ms","p95_ms","max_ms"}` into benchmark records.
fn records(text: &str, prefix: &str) -> Result<Vec<Value>> {
    let result: Value = serde_json::from_str(text)
        .map_err(|e| format!("bench-result is not JSON ({e}): {text}"))?;
    let frames = result["frames"].as_u64().unwrap_or(0);
    eprintln!("drag-bench: {prefix}: {frames} frames: {result}");
    let mut records = Vec::new();
    for (key, suffix) in [("p95_ms", "p95"), ("p50_ms", "p50"), ("max_ms", "max")] {
        let name = format!("{prefix}-{suffix}");
        let value = result[key]
            .as_f64()
            .ok_or_else(|| format!("bench-result has no numeric `{key}`: {text}"))?;
        records.push(json!({ "name": name, "value": value, "unit": "ms", "target": "browser" }));
    }
    Ok(records)
}

//! Browser drag benchmark: runs the app's `/ring?bench=drag` hook and prints benchmark records.
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

fn run() -> Result<Value> {
    let harness = Harness::start("drag-bench")?;
    let mut result = None;
    harness.run(|h| {
        h.open("/ring?bench=drag")?;
        // textContent rather than WebDriver's visible text: the <pre> may be hidden.
        let text = h.browser.wait_until(
            "the drag benchmark to write its result into pre[data-testid=bench-result]",
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
        result = Some(records(&text)?);
        Ok(())
    })?;
    result.ok_or_else(|| "the benchmark produced no result".into())
}

/// Turns `{"frames","p50_ms","p95_ms","max_ms"}` into benchmark records.
fn records(text: &str) -> Result<Value> {
    let result: Value = serde_json::from_str(text)
        .map_err(|e| format!("bench-result is not JSON ({e}): {text}"))?;
    let frames = result["frames"].as_u64().unwrap_or(0);
    eprintln!("drag-bench: {frames} frames: {result}");
    let mut records = Vec::new();
    for (key, name) in [
        ("p95_ms", "ring/drag-frame-p95"),
        ("p50_ms", "ring/drag-frame-p50"),
        ("max_ms", "ring/drag-frame-max"),
    ] {
        let value = result[key]
            .as_f64()
            .ok_or_else(|| format!("bench-result has no numeric `{key}`: {text}"))?;
        records.push(json!({ "name": name, "value": value, "unit": "ms", "target": "browser" }));
    }
    Ok(Value::Array(records))
}

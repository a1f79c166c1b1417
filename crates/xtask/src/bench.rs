//! `cargo xtask bench`: native, wasm (Node) and browser benchmarks merged into target/bench.json.
//!
//! Every source prints a JSON array of `{"name","value","unit","target"}` records; this module
//! runs them, checks the shape, adds a `<name>/wasm-native-ratio` record for every name measured
//! both natively and in wasm, writes the merged array and prints a table.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::compress::precompress;
use crate::setup::{self, SetupConfig, WASM_TARGET};
use crate::size::write_json;
use crate::test::bench_has_cdylib;
use crate::{Ctx, Error, Result, capture, run_cmd, step};

pub fn run(ctx: &mut Ctx) -> Result<()> {
    setup::run(ctx, &SetupConfig { browser: true })?;
    let mut records = Vec::new();

    if ctx.root.join("crates/syslab-bench/Cargo.toml").exists() {
        records.extend(native(ctx)?);
        if bench_has_cdylib(&ctx.root) {
            records.extend(wasm(ctx)?);
        } else {
            println!("    syslab-bench has no cdylib yet: skipping the wasm benchmarks");
        }
    } else {
        println!("    crates/syslab-bench does not exist yet: skipping native and wasm benchmarks");
    }

    if ctx.root.join("web/Cargo.toml").exists() && ctx.root.join("tests/Cargo.toml").exists() {
        records.extend(browser(ctx)?);
    } else {
        println!("    web/ or tests/ is missing: skipping the browser drag benchmark");
    }

    records.extend(ratios(&records));
    let path = ctx.target_dir.join("bench.json");
    write_json(&path, &Value::Array(records.clone()))?;
    print_table(&records);
    println!("    wrote {}", path.display());
    Ok(())
}

fn native(ctx: &Ctx) -> Result<Vec<Value>> {
    step("native benchmarks (syslab-bench, profile bench)");
    let out = capture(
        ctx.cargo()
            .args(["run", "--profile", "bench", "-p", "syslab-bench"]),
    )?;
    parse_records(&out, "syslab-bench (native)")
}

fn wasm(ctx: &Ctx) -> Result<Vec<Value>> {
    step("wasm benchmarks (syslab-bench cdylib under Node)");
    run_cmd(ctx.cargo().args([
        "build",
        "-p",
        "syslab-bench",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-bench",
    ]))?;
    let wasm = ctx
        .target_dir
        .join(WASM_TARGET)
        .join("wasm-bench/syslab_bench.wasm");
    let out_dir = ctx.target_dir.join("bench-wasm");
    run_cmd(
        ctx.cmd("wasm-bindgen")
            .args(["--target", "nodejs", "--out-dir"])
            .arg(&out_dir)
            .arg(&wasm),
    )?;
    let module = out_dir.join("syslab_bench.js");
    let module = serde_json::to_string(&module.to_string_lossy()).map_err(|e| e.to_string())?;
    // run_all may hand back a JSON string or a plain JS array; print JSON either way.
    let script = format!(
        "const r = require({module}).run_all(); \
         console.log(typeof r === 'string' ? r : JSON.stringify(r));"
    );
    let out = capture(ctx.cmd("node").args(["-e", &script]))?;
    parse_records(&out, "syslab-bench (wasm)")
}

fn browser(ctx: &Ctx) -> Result<Vec<Value>> {
    step("browser drag benchmark (syslab-e2e drag-bench)");
    let dist = ctx.root.join("dist");
    if dist_is_fresh(ctx) {
        println!("    dist/ is a release build newer than the web sources: reusing it");
        // The load benchmark serves the precompressed copies; make sure they are current.
        precompress(&dist)?;
    } else {
        trunk_release_build(ctx)?;
    }
    let out = capture(
        ctx.cargo()
            .args(["run", "--quiet", "-p", "syslab-e2e", "--bin", "drag-bench"])
            .env("SYSLAB_DIST", &dist)
            .env("SYSLAB_E2E_OUT", ctx.target_dir.join("e2e")),
    )?;
    parse_records(&out, "drag-bench (browser)")
}

/// `trunk build --release` and the precompressed copies of its files, leaving a stamp that
/// tells later runs dist/ is a release build.
pub fn trunk_release_build(ctx: &Ctx) -> Result<()> {
    run_cmd(ctx.cmd("trunk").args(["build", "--release"]))?;
    precompress(&ctx.root.join("dist"))?;
    let stamp = release_stamp(ctx);
    std::fs::create_dir_all(&ctx.target_dir)
        .and_then(|()| std::fs::write(&stamp, "dist/ was built by `trunk build --release`\n"))
        .map_err(|e| Error(format!("cannot write {}: {e}", stamp.display())))
}

fn release_stamp(ctx: &Ctx) -> PathBuf {
    ctx.target_dir.join("dist-release.stamp")
}

/// Whether dist/ still holds what [`trunk_release_build`] made (no `trunk serve` or debug
/// build replaced it since).
pub fn dist_is_release(ctx: &Ctx) -> bool {
    match (
        mtime(&ctx.root.join("dist/index.html")),
        mtime(&release_stamp(ctx)),
    ) {
        (Some(built), Some(stamped)) => stamped >= built,
        _ => false,
    }
}

/// Whether dist/ is a release build (our stamp is not older than dist/index.html, so no
/// `trunk serve` or debug build replaced it since) and newer than everything it is built from.
fn dist_is_fresh(ctx: &Ctx) -> bool {
    let root = &ctx.root;
    let Some(built) = mtime(&root.join("dist/index.html")).filter(|_| dist_is_release(ctx)) else {
        return false;
    };
    let sources = [
        "web",
        "crates/syslab-core",
        "index.html",
        "Trunk.toml",
        "Cargo.toml",
        "Cargo.lock",
    ];
    sources
        .iter()
        .filter_map(|s| newest(&root.join(s)))
        .all(|t| t <= built)
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file, or of any file under a folder.
fn newest(path: &Path) -> Option<SystemTime> {
    if !path.is_dir() {
        return mtime(path);
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name() != "target")
        .filter_map(|entry| newest(&entry.path()))
        .max()
}

/// Checks that `text` is a JSON array of well-formed benchmark records.
fn parse_records(text: &str, source: &str) -> Result<Vec<Value>> {
    let shown: String = text.trim().chars().take(300).collect();
    let value: Value = serde_json::from_str(text.trim()).map_err(|e| {
        Error(format!(
            "{source} did not print a JSON array of records ({e}); it printed: {shown}"
        ))
    })?;
    let Value::Array(records) = value else {
        return Err(Error(format!(
            "{source} printed JSON that is not an array: {shown}"
        )));
    };
    for record in &records {
        let ok = record["name"].is_string()
            && record["value"].is_number()
            && record["unit"].is_string()
            && record["target"].is_string();
        if !ok {
            return Err(Error(format!(
                "{source} printed a record without string name/unit/target and numeric value: \
                 {record}"
            )));
        }
    }
    Ok(records)
}

/// `<name>/wasm-native-ratio` for every name with both a wasm and a native record.
fn ratios(records: &[Value]) -> Vec<Value> {
    let find = |name: &str, target: &str| {
        records
            .iter()
            .find(|r| r["name"] == name && r["target"] == target)
            .and_then(|r| r["value"].as_f64())
    };
    records
        .iter()
        .filter(|r| r["target"] == "wasm")
        .filter_map(|r| {
            let name = r["name"].as_str()?;
            let wasm = r["value"].as_f64()?;
            let native = find(name, "native").filter(|v| *v != 0.0)?;
            Some(json!({
                "name": format!("{name}/wasm-native-ratio"),
                "value": wasm / native,
                "unit": "ratio",
                "target": "wasm/native",
            }))
        })
        .collect()
}

fn print_table(records: &[Value]) {
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let width = records
        .iter()
        .map(|r| text(&r["name"]).len())
        .max()
        .unwrap_or(0)
        .max(4);
    println!(
        "    {:<width$}  {:<11}  {:>14}  unit",
        "name", "target", "value"
    );
    for r in records {
        println!(
            "    {:<width$}  {:<11}  {:>14.4}  {}",
            text(&r["name"]),
            text(&r["target"]),
            r["value"].as_f64().unwrap_or(f64::NAN),
            text(&r["unit"]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_and_rejects_bad_ones() {
        let ok = r#"[{"name":"ring/lookup","value":12.5,"unit":"ns","target":"native"}]"#;
        assert_eq!(parse_records(ok, "t").map(|r| r.len()).ok(), Some(1));
        assert!(parse_records("not json", "t").is_err());
        assert!(parse_records(r#"{"name":"x"}"#, "t").is_err());
        assert!(
            parse_records(
                r#"[{"name":"x","value":"1","unit":"ns","target":"wasm"}]"#,
                "t"
            )
            .is_err()
        );
    }

    #[test]
    fn adds_ratio_for_names_measured_both_ways() {
        let records = vec![
            json!({"name": "a", "value": 10.0, "unit": "ns", "target": "native"}),
            json!({"name": "a", "value": 25.0, "unit": "ns", "target": "wasm"}),
            json!({"name": "b", "value": 3.0, "unit": "ns", "target": "wasm"}),
        ];
        let ratios = ratios(&records);
        assert_eq!(ratios.len(), 1);
        assert_eq!(ratios[0]["name"], "a/wasm-native-ratio");
        assert_eq!(ratios[0]["value"], 2.5);
        assert_eq!(ratios[0]["target"], "wasm/native");
    }
}

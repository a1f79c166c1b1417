//! Bundle size report: raw and gzipped size of every `.wasm` and `.js` file in dist/.
//!
//! Size targets are reported, not asserted: the report says whether the gzipped total is within
//! the budget and writes `target/bundle-size.json`, but never fails because of the numbers.

use std::path::Path;
use std::process::Stdio;

use serde_json::json;

use crate::bench::dist_is_release;
use crate::{Ctx, Error, Result, step};

/// Budget for the gzipped wasm + JS a page loads (1 KB = 1024 bytes throughout this report).
const BUDGET_GZIP_BYTES: u64 = 200 * 1024;

/// Sizes of one file in dist/.
struct FileSize {
    name: String,
    raw: u64,
    gzip: u64,
}

pub fn report(ctx: &Ctx) -> Result<()> {
    let dist = ctx.root.join("dist");
    step(format!("bundle size of {}", dist.display()));
    if !dist_is_release(ctx) {
        println!(
            "    note: dist/ was not built by this xtask's `trunk build --release` (or was rebuilt \
             since, e.g. by `trunk serve`); the sizes may be of a debug build"
        );
    }
    let files = measure(&dist)?;
    let total_raw: u64 = files.iter().map(|f| f.raw).sum();
    let total_gzip: u64 = files.iter().map(|f| f.gzip).sum();

    let width = files.iter().map(|f| f.name.len()).max().unwrap_or(0).max(5);
    println!("    {:<width$}  {:>10}  {:>10}", "file", "raw", "gzip -9");
    for f in &files {
        println!(
            "    {:<width$}  {:>10}  {:>10}",
            f.name,
            kb(f.raw),
            kb(f.gzip)
        );
    }
    println!(
        "    {:<width$}  {:>10}  {:>10}",
        "total",
        kb(total_raw),
        kb(total_gzip)
    );
    let within = total_gzip <= BUDGET_GZIP_BYTES;
    if within {
        println!(
            "    gzipped wasm + JS {} is within the {} budget ({} to spare)",
            kb(total_gzip),
            kb(BUDGET_GZIP_BYTES),
            kb(BUDGET_GZIP_BYTES - total_gzip)
        );
    } else {
        println!(
            "    gzipped wasm + JS {} is OVER the {} budget by {} (reported, not failed)",
            kb(total_gzip),
            kb(BUDGET_GZIP_BYTES),
            kb(total_gzip - BUDGET_GZIP_BYTES)
        );
    }

    let report = json!({
        "files": files
            .iter()
            .map(|f| json!({ "name": f.name, "raw_bytes": f.raw, "gzip_bytes": f.gzip }))
            .collect::<Vec<_>>(),
        "total_raw_bytes": total_raw,
        "total_gzip_bytes": total_gzip,
        "budget_gzip_bytes": BUDGET_GZIP_BYTES,
        "within_budget": within,
    });
    let path = ctx.target_dir.join("bundle-size.json");
    write_json(&path, &report)?;
    println!("    wrote {}", path.display());
    Ok(())
}

/// Every `.wasm` and `.js` file directly in `dist`, sorted by name.
fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    let entries = std::fs::read_dir(dist).map_err(|e| {
        Error(format!(
            "cannot read {}: {e}; run `trunk build --release` first",
            dist.display()
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error(e.to_string()))?.path();
        let counted = path
            .extension()
            .is_some_and(|ext| ext == "wasm" || ext == "js");
        if !counted || !path.is_file() {
            continue;
        }
        let raw = std::fs::metadata(&path)
            .map_err(|e| Error(format!("cannot stat {}: {e}", path.display())))?
            .len();
        files.push(FileSize {
            name: path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into(),
            raw,
            gzip: gzip_len(&path)?,
        });
    }
    if files.is_empty() {
        return Err(Error(format!(
            "no .wasm or .js files in {}; run `trunk build --release` first",
            dist.display()
        )));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Length of `gzip -9` output for the file (`-n`: no name or time stamp, so it is reproducible).
fn gzip_len(path: &Path) -> Result<u64> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error(format!("could not run gzip: {e}")))?;
    if !out.status.success() {
        return Err(Error(format!(
            "gzip -9 {} failed ({})",
            path.display(),
            out.status
        )));
    }
    Ok(out.stdout.len() as u64)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// Writes pretty JSON, creating the parent folder.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error(e.to_string()))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| Error(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_kilobytes() {
        assert_eq!(kb(0), "0.0 KB");
        assert_eq!(kb(1536), "1.5 KB");
        assert_eq!(kb(BUDGET_GZIP_BYTES), "200.0 KB");
    }
}

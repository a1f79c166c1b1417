//! Bundle size report: raw and gzipped size of every `.wasm` and `.js` file in dist/, and of what
//! each page downloads (one lab bundle plus the shared loader).
//!
//! Size targets are reported, not asserted: the report says whether each page is within the
//! budget and writes `target/bundle-size.json`, but never fails because of the numbers.

use std::path::Path;

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

/// What one page downloads: a bundle (`syslab-<name>.js` and `syslab-<name>_bg.wasm`) plus the
/// loader every page shares.
struct Page {
    bundle: String,
    gzip: u64,
    raw: u64,
}

/// The loader every page loads before its bundle.
const LOADER: &str = "syslab-loader.js";

/// One page per bundle found in `files`: the bundle's wasm and JS plus the shared loader.
fn pages(files: &[FileSize]) -> Vec<Page> {
    let loader = files.iter().find(|f| f.name == LOADER);
    files
        .iter()
        .filter_map(|wasm| {
            let name = wasm
                .name
                .strip_prefix("syslab-")?
                .strip_suffix("_bg.wasm")?;
            let js = files.iter().find(|f| f.name == format!("syslab-{name}.js"));
            let parts = [Some(wasm), js, loader];
            Some(Page {
                bundle: name.to_owned(),
                gzip: parts.iter().flatten().map(|f| f.gzip).sum(),
                raw: parts.iter().flatten().map(|f| f.raw).sum(),
            })
        })
        .collect()
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

    // Each page loads one bundle (web/src/bundle.rs), so the budget applies per page.
    let pages = pages(&files);
    if pages.is_empty() {
        return Err(Error(format!(
            "no syslab-*_bg.wasm bundle in {}; run `trunk build --release` first",
            dist.display()
        )));
    }
    println!(
        "    per page (bundle wasm + its JS + {LOADER}), budget {}:",
        kb(BUDGET_GZIP_BYTES)
    );
    for page in &pages {
        let verdict = if page.gzip <= BUDGET_GZIP_BYTES {
            format!(
                "within budget, {} to spare",
                kb(BUDGET_GZIP_BYTES - page.gzip)
            )
        } else {
            format!(
                "OVER budget by {} (reported, not failed)",
                kb(page.gzip - BUDGET_GZIP_BYTES)
            )
        };
        println!(
            "    {:<14} {:>10} raw  {:>10} gzip  {verdict}",
            page.bundle,
            kb(page.raw),
            kb(page.gzip)
        );
    }
    if let Some(embed) = files.iter().find(|f| f.name == "syslab-embed.js") {
        println!(
            "    script-tag embeds also load syslab-embed.js ({} gzip)",
            kb(embed.gzip)
        );
    }
    let within = pages.iter().all(|p| p.gzip <= BUDGET_GZIP_BYTES);

    let report = json!({
        "files": files
            .iter()
            .map(|f| json!({ "name": f.name, "raw_bytes": f.raw, "gzip_bytes": f.gzip }))
            .collect::<Vec<_>>(),
        "pages": pages
            .iter()
            .map(|p| json!({
                "bundle": p.bundle,
                "raw_bytes": p.raw,
                "gzip_bytes": p.gzip,
                "within_budget": p.gzip <= BUDGET_GZIP_BYTES,
            }))
            .collect::<Vec<_>>(),
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

/// Length of `gzip -9 -n` output for the file: what `cargo xtask compress` ships.
fn gzip_len(path: &Path) -> Result<u64> {
    Ok(crate::compress::gzip(path)?.len() as u64)
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

    #[test]
    fn a_page_is_one_bundle_plus_the_loader() {
        let file = |name: &str, gzip: u64| FileSize {
            name: name.to_owned(),
            raw: gzip * 3,
            gzip,
        };
        let files = [
            file("syslab-embed.js", 1),
            file("syslab-home.js", 10),
            file("syslab-home_bg.wasm", 100),
            file("syslab-loader.js", 2),
            file("syslab-ring.js", 20),
            file("syslab-ring_bg.wasm", 200),
        ];
        let pages = pages(&files);
        let summary: Vec<(&str, u64)> = pages.iter().map(|p| (p.bundle.as_str(), p.gzip)).collect();
        assert_eq!(summary, [("home", 112), ("ring", 222)]);
    }
}

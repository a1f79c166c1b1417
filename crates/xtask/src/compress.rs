//! Precompressed copies of the built site: `X.gz` and `X.br` beside every HTML, JS, wasm and CSS
//! file in dist/, for hosts that serve a precompressed file when the browser accepts it.
//!
//! Compressing at build time lets a host use the slowest, smallest settings once instead of
//! whatever it can afford per request (or nothing: many static hosts serve files as they are).
//! gzip comes from the `gzip` command (`-9 -n`, the same bytes the size report counts); brotli
//! from the `brotli` crate at quality 11, about 17% smaller than gzip on the wasm bundles.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::{Error, Result, step};

/// The files that get compressed copies, by extension (images and the like are already
/// compressed or absent).
const COMPRESSED: &[&str] = &["html", "js", "wasm", "css"];

/// Files smaller than this are served as they are: a compressed copy would save less than a
/// packet.
const MIN_BYTES: u64 = 256;

/// Writes `X.gz` and `X.br` beside every compressible file under `dist` (recursively),
/// replacing older copies, and prints the total sizes.
pub fn precompress(dist: &Path) -> Result<()> {
    step(format!("precompressed copies in {}", dist.display()));
    let mut files = Vec::new();
    collect(dist, &mut files)?;
    if files.is_empty() {
        return Err(Error(format!(
            "no HTML, JS, wasm or CSS file in {}; run `trunk build --release` first",
            dist.display()
        )));
    }
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for file in &files {
        let bytes = std::fs::read(file)
            .map_err(|e| Error(format!("cannot read {}: {e}", file.display())))?;
        let gzip = gzip(file)?;
        let brotli = brotli(&bytes)?;
        write(&with_suffix(file, "gz"), &gzip)?;
        write(&with_suffix(file, "br"), &brotli)?;
        raw += bytes.len();
        gz += gzip.len();
        br += brotli.len();
    }
    println!(
        "    {} files: {} KB raw, {} KB as .gz, {} KB as .br",
        files.len(),
        raw / 1024,
        gz / 1024,
        br / 1024
    );
    Ok(())
}

/// Every file under `dir` whose extension is in [`COMPRESSED`] and that is at least
/// [`MIN_BYTES`] long, sorted.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error(format!("cannot read {}: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out)?;
        } else if is_compressible(&path)
            && std::fs::metadata(&path).is_ok_and(|m| m.len() >= MIN_BYTES)
        {
            out.push(path);
        }
    }
    Ok(())
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|ext| COMPRESSED.contains(&ext))
}

/// `file` with `.suffix` appended: `a.js` → `a.js.gz`.
fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error(format!("cannot write {}: {e}", path.display())))
}

/// `gzip -9 -n` of the file (`-n`: no name or time stamp, so builds are reproducible).
pub(crate) fn gzip(path: &Path) -> Result<Vec<u8>> {
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
    Ok(out.stdout)
}

/// Brotli at quality 11 with a 4 MB window (every file here is smaller, so the whole file is in
/// reach).
fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::with_params(&mut out, 64 * 1024, &params);
        writer
            .write_all(bytes)
            .and_then(|()| writer.flush())
            .map_err(|e| Error(format!("brotli: {e}")))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn writes_copies_that_decompress_to_the_original() {
        let dir = std::env::temp_dir().join(format!("xtask-compress-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("examples")).unwrap();
        let page = "<p>syslab</p>\n".repeat(100);
        let wasm: Vec<u8> = (0..5000u32).map(|i| (i * i % 251) as u8).collect();
        std::fs::write(dir.join("index.html"), &page).unwrap();
        std::fs::write(dir.join("examples/blog.html"), &page).unwrap();
        std::fs::write(dir.join("app_bg.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("tiny.js"), "x").unwrap();
        std::fs::write(dir.join("picture.png"), &wasm).unwrap();
        precompress(&dir).unwrap_or_else(|e| panic!("{e}"));

        let gunzip = |path: &Path| {
            let out = std::process::Command::new("gzip")
                .args(["-d", "-c"])
                .arg(path)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", path.display());
            out.stdout
        };
        let unbrotli = |path: &Path| {
            let mut out = Vec::new();
            brotli::Decompressor::new(std::fs::File::open(path).unwrap(), 4096)
                .read_to_end(&mut out)
                .unwrap();
            out
        };
        for (name, original) in [
            ("index.html", page.as_bytes()),
            ("examples/blog.html", page.as_bytes()),
            ("app_bg.wasm", &wasm[..]),
        ] {
            let file = dir.join(name);
            let gz = with_suffix(&file, "gz");
            let br = with_suffix(&file, "br");
            assert_eq!(gunzip(&gz), original, "{name}.gz");
            assert_eq!(unbrotli(&br), original, "{name}.br");
            assert!(std::fs::metadata(&br).unwrap().len() < original.len() as u64);
        }
        // Too small to gain, and not a text or wasm file: left alone.
        for name in ["tiny.js.gz", "tiny.js.br", "picture.png.gz"] {
            assert!(!dir.join(name).exists(), "{name}");
        }
        // Running again replaces the copies (a rebuilt file never keeps a stale one).
        std::fs::write(dir.join("index.html"), "<p>changed</p>\n".repeat(50)).unwrap();
        precompress(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            gunzip(&dir.join("index.html.gz")),
            "<p>changed</p>\n".repeat(50).as_bytes()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_empty_folder_is_an_error() {
        let dir = std::env::temp_dir().join(format!("xtask-compress-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = precompress(&dir).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("trunk build --release")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

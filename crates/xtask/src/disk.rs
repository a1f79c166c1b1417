//! Disk use of `cargo xtask test`: what the target folder holds after each step, what the disk
//! has left, and the build products a finished step leaves that no later step reads.
//!
//! A CI run failed with "No space left on device" in step 5 (`test-native`), on a machine whose
//! free space is not ours to choose; with the old settings a fresh clone's target folder held
//! 5.6 GB by step 7. The dev profile now keeps
//! line tables only (Cargo.toml), CI builds skip incremental caches, and when the disk runs
//! short between steps the test run removes the products of steps that are done.

use std::path::Path;

use crate::{Ctx, probe};

/// Below this much free space, a finished step's leftovers are removed before the next step.
const LOW_FREE_BYTES: u64 = 6 * 1024 * 1024 * 1024;

/// Bytes under `dir`, following no symlinks; unreadable entries count as empty.
pub fn size_of(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

/// Free bytes on the file system that holds `dir`, from `df` (POSIX output, 1024-byte blocks).
pub fn free_bytes(ctx: &Ctx, dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|d| d.exists())?;
    let out = probe(ctx.cmd("df").arg("-Pk").arg(existing))?;
    parse_df_available(&out)
}

/// The "Available" column of `df -Pk`'s second line, in bytes.
fn parse_df_available(out: &str) -> Option<u64> {
    let line = out.lines().nth(1)?;
    let kib: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1024.0 * 1024.0 * 1024.0))
}

/// One line after a step: the target folder's size and the disk's free space, which it returns.
pub fn report(ctx: &Ctx) -> Option<u64> {
    let target = size_of(&ctx.target_dir);
    let free = free_bytes(ctx, &ctx.target_dir);
    match free {
        Some(free) => println!("    disk: target {}, {} free", gib(target), gib(free)),
        None => println!("    disk: target {}", gib(target)),
    }
    free
}

/// Build products that no step after `done` reads, relative to the target folder.
///
/// The wasm32 dev build (clippy's metadata and the browser tests) is read by nothing after
/// `test-browser`: the page build is a release build.
fn leftovers(done: &str) -> &'static [&'static str] {
    match done {
        "test-browser" => &["wasm32-unknown-unknown/debug"],
        _ => &[],
    }
}

/// After step `done`, with `free` bytes left on the disk (from [`report`]): when the disk is
/// short, removes what later steps do not need.
pub fn free_after(ctx: &Ctx, done: &str, free: Option<u64>) {
    let Some(free) = free else {
        return;
    };
    if free >= LOW_FREE_BYTES {
        return;
    }
    for rel in leftovers(done) {
        let path = ctx.target_dir.join(rel);
        if path.exists() {
            let size = size_of(&path);
            match std::fs::remove_dir_all(&path) {
                Ok(()) => println!(
                    "    disk: {} free, removed {} ({}), which no later step reads",
                    gib(free),
                    path.display(),
                    gib(size)
                ),
                Err(e) => println!("    disk: could not remove {}: {e}", path.display()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_df_available() {
        let out = "Filesystem     1024-blocks      Used Available Capacity Mounted on\n\
                   /dev/vda        263174212 11206724  83849484      12% /\n";
        assert_eq!(parse_df_available(out), Some(83_849_484 * 1024));
        assert_eq!(parse_df_available("Filesystem\n"), None);
        assert_eq!(parse_df_available(""), None);
    }

    #[test]
    fn sizes_a_folder() {
        let dir = std::env::temp_dir().join(format!("xtask-disk-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/one"), [0u8; 100]).unwrap();
        std::fs::write(dir.join("a/b/two"), [0u8; 23]).unwrap();
        assert_eq!(size_of(&dir), 123);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(size_of(&dir), 0);
    }
}

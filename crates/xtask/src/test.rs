//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.
//!
//! The last line is `xtask: N passed, M failed`, which CI reads as the test summary.

use std::path::Path;
use std::time::Instant;

use crate::bench::trunk_release_build;
use crate::setup::{self, SetupConfig, WASM_TARGET};
use crate::{Ctx, Error, Result, capture, disk, run_cmd, size, step};

/// One named check.
struct Step {
    /// Short name, used by `--from`.
    name: &'static str,
    /// What the step checks, for the banner.
    what: &'static str,
    check: fn(&Ctx) -> Result<()>,
}

const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        what: "formatting (cargo fmt --check)",
        check: fmt,
    },
    Step {
        name: "purity",
        what: "syslab-core stays pure (cargo tree, native and wasm32)",
        check: purity,
    },
    Step {
        name: "clippy",
        what: "clippy, native, whole workspace",
        check: clippy_native,
    },
    Step {
        name: "clippy-wasm",
        what: "clippy, wasm32 crates",
        check: clippy_wasm,
    },
    Step {
        name: "test-native",
        what: "native tests",
        check: test_native,
    },
    Step {
        name: "checks",
        what: "the published results every lab reproduces (syslab check)",
        check: checks,
    },
    Step {
        name: "test-browser",
        what: "syslab-web tests in headless chromium (wasm-bindgen-test-runner)",
        check: test_browser,
    },
    Step {
        name: "trunk-build",
        what: "release build of the web app (trunk build --release)",
        check: trunk_release_build,
    },
    Step {
        name: "e2e",
        what: "end-to-end tests over WebDriver (syslab-e2e)",
        check: e2e,
    },
    Step {
        name: "size",
        what: "bundle size report",
        check: size::report,
    },
];

/// Crates that syslab-core must never depend on (shared/STYLE.md, rule 2).
const FORBIDDEN_IN_CORE: &[&str] = &[
    "yew",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "gloo",
    "getrandom",
];

pub fn run(ctx: &mut Ctx, args: &[String]) -> Result<()> {
    let first = match args {
        [] => 0,
        [flag, name] if flag == "--from" => STEPS
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| Error(format!("unknown step `{name}`; steps: {}", step_names())))?,
        _ => {
            return Err(Error(format!(
                "usage: cargo xtask test [--from STEP]; steps: {}",
                step_names()
            )));
        }
    };
    setup::run(ctx, &SetupConfig { browser: true })?;
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        // A fresh clone builds once: incremental caches only cost disk (see disk.rs).
        ctx.set_env("CARGO_INCREMENTAL", "0");
    }

    let started = Instant::now();
    let steps = &STEPS[first..];
    let mut passed = 0;
    for (idx, s) in steps.iter().enumerate() {
        step(format!(
            "[{}/{}] {}: {}",
            idx + 1,
            steps.len(),
            s.name,
            s.what
        ));
        let t = Instant::now();
        if let Err(err) = (s.check)(ctx) {
            let _ = disk::report(ctx);
            println!("xtask: {passed} passed, 1 failed");
            return Err(Error(format!("step `{}` failed: {err}", s.name)));
        }
        println!("    ok: {} ({:.1}s)", s.name, t.elapsed().as_secs_f64());
        let free = disk::report(ctx);
        disk::free_after(ctx, s.name, free);
        passed += 1;
    }
    println!(
        "all {passed} steps passed in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    println!("xtask: {passed} passed, 0 failed");
    Ok(())
}

fn step_names() -> String {
    STEPS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
}

fn fmt(ctx: &Ctx) -> Result<()> {
    run_cmd(ctx.cargo().args(["fmt", "--all", "--check"]))
}

fn purity(ctx: &Ctx) -> Result<()> {
    for target in [None, Some(WASM_TARGET)] {
        let mut cmd = ctx.cargo();
        cmd.args([
            "tree",
            "-p",
            "syslab-core",
            "-e",
            "normal",
            "--prefix",
            "none",
        ]);
        if let Some(target) = target {
            cmd.args(["--target", target]);
        }
        let tree = capture(&mut cmd)?;
        if let Some(line) = forbidden_line(&tree) {
            return Err(Error(format!(
                "syslab-core must stay pure (no {}), but its {} dependency tree contains `{line}`; \
                 see `cargo tree -p syslab-core -e normal -i <crate>` for who pulls it in",
                FORBIDDEN_IN_CORE.join(", "),
                target.unwrap_or("native"),
            )));
        }
    }
    println!(
        "    syslab-core depends on none of {}",
        FORBIDDEN_IN_CORE.join(", ")
    );
    Ok(())
}

/// The first `cargo tree --prefix none` line naming a forbidden crate or one of its family
/// (`wasm-bindgen-shared`, `gloo-timers`, ...).
fn forbidden_line(tree: &str) -> Option<&str> {
    tree.lines().map(str::trim).find(|line| {
        let name = line.split_whitespace().next().unwrap_or("");
        FORBIDDEN_IN_CORE
            .iter()
            .any(|f| name == *f || name.strip_prefix(f).is_some_and(|r| r.starts_with('-')))
    })
}

fn clippy_native(ctx: &Ctx) -> Result<()> {
    run_cmd(ctx.cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm(ctx: &Ctx) -> Result<()> {
    // Libraries only for syslab-core and syslab-bench: their tests are native by design, and
    // dev-dependencies such as proptest pull in getrandom, which does not build for wasm32.
    // syslab-bench's wasm side is its cdylib; its binary is the native runner.
    let mut libs = ctx.cargo();
    libs.args(["clippy", "-p", "syslab-core"]);
    if bench_has_cdylib(&ctx.root) {
        libs.args(["-p", "syslab-bench"]);
    }
    libs.args(["--lib", "--target", WASM_TARGET, "--", "-D", "warnings"]);
    run_cmd(&mut libs)?;
    // syslab-web only builds for the browser, tests included.
    run_cmd(ctx.cargo().args([
        "clippy",
        "-p",
        "syslab-web",
        "--target",
        WASM_TARGET,
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Whether crates/syslab-bench builds a wasm `cdylib` (its manifest says so).
pub fn bench_has_cdylib(root: &Path) -> bool {
    std::fs::read_to_string(root.join("crates/syslab-bench/Cargo.toml"))
        .is_ok_and(|manifest| manifest.contains("cdylib"))
}

fn test_native(ctx: &Ctx) -> Result<()> {
    run_cmd(ctx.cargo().args([
        "test",
        "--workspace",
        "--exclude",
        "syslab-web",
        "--exclude",
        "syslab-e2e",
    ]))
}

/// `syslab check`: prints the table of published results and fails if one is off (the same
/// declarations the native tests assert).
fn checks(ctx: &Ctx) -> Result<()> {
    run_cmd(
        ctx.cargo()
            .args(["run", "--quiet", "-p", "syslab-cli", "--", "check"]),
    )
}

fn test_browser(ctx: &Ctx) -> Result<()> {
    // wasm-bindgen-test-runner reads `webdriver.json` from its current folder (cargo runs test
    // binaries in the package folder, web/) unless WASM_BINDGEN_TEST_WEBDRIVER_JSON names one;
    // both point at web/webdriver.json here. It adds --headless and --no-sandbox itself.
    let web = ctx.root.join("web");
    run_cmd(
        ctx.cargo()
            .current_dir(&web)
            .args(["test", "-p", "syslab-web", "--target", WASM_TARGET])
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                web.join("webdriver.json"),
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

fn e2e(ctx: &Ctx) -> Result<()> {
    run_cmd(
        ctx.cargo()
            .args(["test", "-p", "syslab-e2e"])
            .env("SYSLAB_DIST", ctx.root.join("dist"))
            .env("SYSLAB_E2E_OUT", ctx.target_dir.join("e2e")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(tree: &str, expected: Option<&str>) {
        assert_eq!(forbidden_line(tree), expected);
    }

    #[test]
    fn purity_check_finds_forbidden_crates() {
        check(
            "syslab-core v0.1.0 (/w/crates/syslab-core)\nserde v1.0.228\nlibm v0.2.16\n",
            None,
        );
        check(
            "syslab-core v0.1.0\ngetrandom v0.3.1\n",
            Some("getrandom v0.3.1"),
        );
        check(
            "syslab-core v0.1.0\nwasm-bindgen-shared v0.2.130\n",
            Some("wasm-bindgen-shared v0.2.130"),
        );
        check("gloo-timers v0.3.0 (*)", Some("gloo-timers v0.3.0 (*)"));
        // Names that merely start with a forbidden word are fine.
        check("yewdux v0.1.0\njs-sysx v1.0.0\n", None);
    }

    #[test]
    fn step_names_are_unique() {
        for (idx, s) in STEPS.iter().enumerate() {
            assert!(
                STEPS[idx + 1..].iter().all(|o| o.name != s.name),
                "{}",
                s.name
            );
        }
    }
}

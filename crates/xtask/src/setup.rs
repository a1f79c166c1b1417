//! `cargo xtask setup`: installs every tool the build needs, each step skipped when already right.
//!
//! The versions come from the repository, never from this file where avoidable: wasm-bindgen from
//! `Cargo.lock` (CLI and crate must agree exactly), and `Trunk.toml` must pin the same one or
//! trunk tries a download. See shared/TOOLCHAIN.md for why each install is done the way it is.

use std::path::{Path, PathBuf};

use crate::{Ctx, Error, Result, probe, run_cmd, step};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_VERSION: &str = "0.21.14";
/// The npm `binaryen` package that ships `wasm-opt version 123` (Trunk.toml pins `version_123`).
const BINARYEN_PACKAGE: &str = "binaryen@123.0.0";
/// The npm package of the accessibility engine the end-to-end tests run on every page.
const AXE_PACKAGE: &str = "axe-core@4.14.1";
const WASM_OPT_VERSION: &str = "version 123";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What `setup` should install beyond the build tools.
pub struct SetupConfig {
    /// Also install chromium and chromedriver (needed by `test` and `bench`, not by `serve`).
    pub browser: bool,
}

pub fn run(ctx: &mut Ctx, config: &SetupConfig) -> Result<()> {
    // `cargo install` puts binaries here; make sure children see them even if PATH lacks it.
    if let Some(bin) = cargo_home().map(|home| home.join("bin")) {
        ctx.prepend_path(bin);
    }
    rust_target_and_components(ctx)?;
    let wasm_bindgen = locked_wasm_bindgen(&ctx.root)?;
    check_trunk_toml(&ctx.root, &wasm_bindgen)?;
    wasm_bindgen_cli(ctx, &wasm_bindgen)?;
    trunk(ctx)?;
    wasm_opt(ctx)?;
    if config.browser {
        browser(ctx)?;
        axe_core(ctx)?;
    }
    Ok(())
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

fn cargo_home() -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => home().map(|h| h.join(".cargo")),
    }
}

fn rust_target_and_components(ctx: &Ctx) -> Result<()> {
    step(format!("rust: {WASM_TARGET} target, rustfmt, clippy"));
    let targets = probe(ctx.cmd("rustup").args(["target", "list", "--installed"])).ok_or(
        "`rustup target list --installed` failed; syslab needs a rustup-managed toolchain \
         (https://rustup.rs)",
    )?;
    if targets.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("    {WASM_TARGET} already installed");
    } else {
        run_cmd(ctx.cmd("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    let components = probe(ctx.cmd("rustup").args(["component", "list", "--installed"]))
        .ok_or("`rustup component list --installed` failed")?;
    let missing: Vec<&str> = ["rustfmt", "clippy"]
        .into_iter()
        .filter(|c| {
            !components
                .lines()
                .any(|l| l.trim() == *c || l.trim().starts_with(&format!("{c}-")))
        })
        .collect();
    if missing.is_empty() {
        println!("    rustfmt and clippy already installed");
    } else {
        run_cmd(ctx.cmd("rustup").args(["component", "add"]).args(&missing))?;
    }
    Ok(())
}

/// The one version of the `wasm-bindgen` crate in `Cargo.lock`.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let path = root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&path)
        .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    let versions = locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error(format!(
            "{} has no `wasm-bindgen` package; syslab-web should depend on it \
             (workspace dependency `wasm-bindgen = \"=X\"`)",
            path.display()
        ))),
        many => Err(Error(format!(
            "{} has several `wasm-bindgen` versions ({}); the CLI can match only one, so pin \
             a single version in [workspace.dependencies]",
            path.display(),
            many.join(", ")
        ))),
    }
}

/// Every version of package `name` listed in the text of a `Cargo.lock`.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut current: Option<&str> = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            current = None;
        } else if let Some(value) = toml_string(line, "name") {
            current = Some(value);
        } else if let Some(value) = toml_string(line, "version")
            && current == Some(name)
            && !versions.iter().any(|v| v == value)
        {
            versions.push(value.to_owned());
        }
    }
    versions
}

/// The value of a one-line `key = "value"` TOML entry, if `line` is one for `key`.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    rest.strip_prefix('"')?.strip_suffix('"')
}

/// Trunk.toml's `[tools] wasm_bindgen` must equal the locked crate, or trunk tries a download.
fn check_trunk_toml(root: &Path, locked: &str) -> Result<()> {
    let path = root.join("Trunk.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    check_trunk_pin(&text, locked)
}

fn check_trunk_pin(trunk_toml: &str, locked: &str) -> Result<()> {
    let pinned = trunk_toml
        .lines()
        .find_map(|l| toml_string(l.trim(), "wasm_bindgen"));
    match pinned {
        Some(v) if v == locked => Ok(()),
        Some(v) => Err(Error(format!(
            "Trunk.toml pins wasm_bindgen = \"{v}\" but Cargo.lock has wasm-bindgen {locked}; \
             set `wasm_bindgen = \"{locked}\"` in Trunk.toml [tools] (or change the crate pin) so \
             trunk uses the installed CLI instead of downloading one"
        ))),
        None => Err(Error(format!(
            "Trunk.toml has no `wasm_bindgen = \"...\"` under [tools]; add \
             `wasm_bindgen = \"{locked}\"` so trunk uses the installed CLI"
        ))),
    }
}

/// The second word of a `name X.Y.Z` version line.
fn version_word(text: &str) -> Option<&str> {
    text.split_whitespace().nth(1)
}

fn wasm_bindgen_cli(ctx: &Ctx, version: &str) -> Result<()> {
    step(format!("wasm-bindgen-cli {version} (from Cargo.lock)"));
    let have = |bin: &str| {
        probe(ctx.cmd(bin).arg("--version")).is_some_and(|out| version_word(&out) == Some(version))
    };
    if have("wasm-bindgen") && have("wasm-bindgen-test-runner") {
        println!("    wasm-bindgen {version} already installed");
        return Ok(());
    }
    // No --locked: the CLI's own lockfile names a crate version the registry does not serve.
    // --force: reinstall even if cargo thinks this version is there but a binary is missing.
    run_cmd(ctx.cargo().args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &format!("={version}"),
    ]))?;
    if !have("wasm-bindgen") {
        return Err(Error(format!(
            "installed wasm-bindgen-cli {version}, but `wasm-bindgen --version` still \
             disagrees; is another wasm-bindgen earlier on PATH?"
        )));
    }
    Ok(())
}

fn trunk(ctx: &Ctx) -> Result<()> {
    step(format!("trunk {TRUNK_VERSION}"));
    let have = || {
        probe(ctx.cmd("trunk").arg("--version"))
            .is_some_and(|out| version_word(&out) == Some(TRUNK_VERSION))
    };
    if have() {
        println!("    trunk {TRUNK_VERSION} already installed");
        return Ok(());
    }
    run_cmd(
        ctx.cargo()
            .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]),
    )?;
    if !have() {
        return Err(Error(format!(
            "installed trunk {TRUNK_VERSION}, but `trunk --version` still disagrees; is another \
             trunk earlier on PATH?"
        )));
    }
    Ok(())
}

/// The folder of the project's caches outside the repository (`$XDG_CACHE_HOME/syslab`).
fn cache_dir(what: &str) -> Result<PathBuf> {
    Ok(match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => home()
            .ok_or_else(|| {
                Error(format!(
                    "HOME is not set; cannot choose a cache folder for {what}"
                ))
            })?
            .join(".cache"),
    }
    .join("syslab"))
}

/// axe-core from npm, for the accessibility audit of the end-to-end tests: its path goes to
/// children as `SYSLAB_AXE` (the file the tests inject into every page).
fn axe_core(ctx: &mut Ctx) -> Result<()> {
    step(format!("axe-core (npm {AXE_PACKAGE})"));
    let prefix = cache_dir("axe-core")?.join("axe-core");
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    let version = prefix.join("node_modules/axe-core/package.json");
    let wanted = AXE_PACKAGE.trim_start_matches("axe-core@");
    let have = || {
        script.exists()
            && std::fs::read_to_string(&version)
                .is_ok_and(|text| text.contains(&format!("\"version\": \"{wanted}\"")))
    };
    if have() {
        println!("    {} already installed", script.display());
    } else {
        std::fs::create_dir_all(&prefix)
            .map_err(|e| Error(format!("cannot create {}: {e}", prefix.display())))?;
        run_cmd(
            ctx.cmd("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(AXE_PACKAGE),
        )?;
        if !have() {
            return Err(Error(format!(
                "installed {AXE_PACKAGE}, but {} is missing or not that version",
                script.display()
            )));
        }
    }
    ctx.set_env("SYSLAB_AXE", script);
    Ok(())
}

/// wasm-opt from npm into a cache outside the repository, put first on PATH for children.
fn wasm_opt(ctx: &mut Ctx) -> Result<()> {
    step(format!(
        "wasm-opt {WASM_OPT_VERSION} (npm {BINARYEN_PACKAGE})"
    ));
    let prefix = cache_dir("wasm-opt")?.join("binaryen");
    let bin = prefix.join("node_modules/.bin");
    let have = || {
        probe(ctx.cmd(bin.join("wasm-opt")).arg("--version"))
            .is_some_and(|out| out.contains(WASM_OPT_VERSION))
    };
    if have() {
        println!("    {} already installed", bin.join("wasm-opt").display());
    } else {
        if probe(ctx.cmd("npm").arg("--version")).is_none() {
            return Err(
                "npm not found; wasm-opt comes from the npm package binaryen, so install \
                 Node.js with npm (`apt-get install -y nodejs npm`)"
                    .into(),
            );
        }
        std::fs::create_dir_all(&prefix)
            .map_err(|e| Error(format!("cannot create {}: {e}", prefix.display())))?;
        run_cmd(
            ctx.cmd("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(BINARYEN_PACKAGE),
        )?;
        if !have() {
            return Err(Error(format!(
                "installed {BINARYEN_PACKAGE}, but `{} --version` does not say {WASM_OPT_VERSION}",
                bin.join("wasm-opt").display()
            )));
        }
    }
    ctx.prepend_path(bin);
    Ok(())
}

/// Chromium and chromedriver from Debian, for wasm-bindgen-test-runner and the e2e tests.
fn browser(ctx: &mut Ctx) -> Result<()> {
    step("chromium + chromedriver");
    let present = || Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if present() {
        println!("    {CHROMIUM} and {CHROMEDRIVER} already installed");
    } else {
        let root = probe(ctx.cmd("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
        let apt = |args: &[&str]| {
            let mut cmd = if root {
                ctx.cmd("apt-get")
            } else {
                let mut sudo = ctx.cmd("sudo");
                sudo.args(["-E", "apt-get"]);
                sudo
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        };
        run_cmd(&mut apt(&["update"]))?;
        run_cmd(&mut apt(&["install", "-y", "chromium", "chromium-driver"]))?;
        if !present() {
            return Err(Error(format!(
                "apt-get installed chromium and chromium-driver, but {CHROMIUM} or \
                 {CHROMEDRIVER} is still missing"
            )));
        }
    }
    if let Some(version) = probe(ctx.cmd(CHROMEDRIVER).arg("--version")) {
        println!("    {}", version.trim());
    }
    ctx.set_env("CHROMEDRIVER", CHROMEDRIVER);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_locked_versions() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.129"

[[package]]
name = "xtask"
version = "0.1.0"
"#;
        assert_eq!(locked_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(locked_versions(lock, "xtask"), ["0.1.0"]);
        assert!(locked_versions(lock, "trunk").is_empty());
    }

    #[test]
    fn reads_toml_strings() {
        assert_eq!(
            toml_string(r#"wasm_bindgen = "0.2.130""#, "wasm_bindgen"),
            Some("0.2.130")
        );
        assert_eq!(
            toml_string(r#"wasm_opt = "version_123""#, "wasm_bindgen"),
            None
        );
        assert_eq!(toml_string("name", "name"), None);
    }

    #[test]
    fn trunk_pin_must_match_the_lock() {
        let trunk = "[build]\ntarget = \"index.html\"\n\n[tools]\nwasm_bindgen = \"0.2.130\"\n";
        assert!(check_trunk_pin(trunk, "0.2.130").is_ok());
        let err = check_trunk_pin(trunk, "0.2.131").err().map(|e| e.0);
        assert!(err.is_some_and(|e| e.contains("wasm_bindgen = \"0.2.131\"")));
        assert!(check_trunk_pin("[tools]\n", "0.2.130").is_err());
    }

    #[test]
    fn reads_version_words() {
        assert_eq!(version_word("wasm-bindgen 0.2.130\n"), Some("0.2.130"));
        assert_eq!(version_word("trunk 0.21.14"), Some("0.21.14"));
        assert_eq!(version_word(""), None);
    }
}

//! `cargo xtask`: installs the toolchain, runs every check CI runs, benchmarks and serves syslab.
//!
//! Every external tool runs through [`Ctx::cmd`], so the tools installed by `setup` (wasm-opt from
//! npm, `cargo install`ed binaries, chromedriver) are visible to every later step without touching
//! this process's own environment.

mod bench;
mod compress;
mod disk;
mod serve;
mod setup;
mod size;
mod test;

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  setup [--browser]   install missing tools (wasm target, wasm-bindgen, trunk, wasm-opt;
                      chromium + chromedriver with --browser)
  serve [args..]      setup, then `trunk serve` (extra args go to trunk)
  test [--from STEP]  setup, then every CI check in order; STEP is one of
                      fmt, purity, clippy, clippy-wasm, test-native, test-browser,
                      trunk-build, e2e, size
  bench               native, wasm and browser benchmarks into target/bench.json
  size                bundle size report for dist/ (after `trunk build --release`)
  compress [DIR]      write .gz and .br copies of DIR's HTML, JS, wasm and CSS (default
                      dist/; `test` and `bench` do this after their release build)
";

/// An error that ends the task: a message for a person, printed once by `main`.
pub struct Error(String);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Error {
    fn from(msg: String) -> Self {
        Error(msg)
    }
}

impl From<&str> for Error {
    fn from(msg: &str) -> Self {
        Error(msg.to_owned())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut ctx = Ctx::new();
    let result = match args.first().map(String::as_str) {
        Some("setup") => {
            let config = setup::SetupConfig {
                browser: args[1..].iter().any(|a| a == "--browser"),
            };
            setup::run(&mut ctx, &config)
        }
        Some("serve") => serve::run(&mut ctx, &args[1..]),
        Some("test") => test::run(&mut ctx, &args[1..]),
        Some("bench") => bench::run(&mut ctx),
        Some("size") => size::report(&ctx),
        Some("compress") => match &args[1..] {
            [] => compress::precompress(&ctx.root.join("dist")),
            [dir] => compress::precompress(Path::new(dir)),
            _ => Err(Error(format!(
                "usage: cargo xtask compress [DIR]\n\n{USAGE}"
            ))),
        },
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Error(format!("unknown command `{other}`\n\n{USAGE}"))),
        None => Err(Error(USAGE.to_owned())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Where the workspace is, and the environment every child process gets.
pub struct Ctx {
    /// The workspace root (the folder with the virtual `Cargo.toml`).
    pub root: PathBuf,
    /// Cargo's target directory: `$CARGO_TARGET_DIR` if set, else `<root>/target`.
    pub target_dir: PathBuf,
    /// Folders put in front of `PATH` for children, most recently added first.
    extra_path: Vec<PathBuf>,
    /// Extra environment variables for children.
    envs: Vec<(OsString, OsString)>,
}

impl Ctx {
    fn new() -> Self {
        let root = workspace_root();
        let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => root.join(dir),
            _ => root.join("target"),
        };
        Ctx {
            root,
            target_dir,
            extra_path: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// Puts `dir` in front of `PATH` for every later child process.
    pub fn prepend_path(&mut self, dir: PathBuf) {
        if !self.extra_path.contains(&dir) {
            self.extra_path.insert(0, dir);
        }
    }

    /// Sets an environment variable for every later child process.
    pub fn set_env(&mut self, key: impl Into<OsString>, value: impl Into<OsString>) {
        let key = key.into();
        self.envs.retain(|(k, _)| *k != key);
        self.envs.push((key, value.into()));
    }

    /// A command running in the workspace root with the extended `PATH` and extra variables.
    ///
    /// On Unix the program itself is looked up in the child's `PATH`, so tools installed by
    /// `setup` are found by name.
    pub fn cmd(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root);
        let old = std::env::var_os("PATH").unwrap_or_default();
        let paths = self
            .extra_path
            .iter()
            .cloned()
            .chain(std::env::split_paths(&old));
        if let Ok(path) = std::env::join_paths(paths) {
            cmd.env("PATH", path);
        }
        for (key, value) in &self.envs {
            cmd.env(key, value);
        }
        cmd
    }

    /// The cargo that runs this xtask (so nested builds use the same toolchain).
    pub fn cargo(&self) -> Command {
        self.cmd(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }
}

/// The workspace root: crates/xtask/../.. wherever the repository is cloned.
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Prints the banner of one step.
pub fn step(msg: impl fmt::Display) {
    println!("==> {msg}");
}

/// Renders a command line for messages: program and arguments, plus the folder if not the root.
pub fn describe(cmd: &Command) -> String {
    let mut line = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.contains('\'') {
            let escaped = arg.replace('\\', "\\\\").replace('"', "\\\"");
            line.push_str(&format!(" \"{escaped}\""));
        } else if arg.is_empty() || arg.contains([' ', '"']) {
            line.push_str(&format!(" '{arg}'"));
        } else {
            line.push(' ');
            line.push_str(&arg);
        }
    }
    if let Some(dir) = cmd.get_current_dir().filter(|d| *d != workspace_root()) {
        line.push_str(&format!("   (in {})", dir.display()));
    }
    line
}

/// Runs a command with inherited stdio; fails unless it exits with status 0.
pub fn run_cmd(cmd: &mut Command) -> Result<()> {
    let line = describe(cmd);
    println!("    $ {line}");
    let status = cmd
        .status()
        .map_err(|e| Error(format!("could not start `{line}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error(format!("`{line}` failed ({status})")))
    }
}

/// Runs a command, capturing stdout (stderr still goes to the terminal); fails unless status 0.
pub fn capture(cmd: &mut Command) -> Result<String> {
    let line = describe(cmd);
    println!("    $ {line}");
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error(format!("could not start `{line}`: {e}")))?;
    if out.status.success() {
        String::from_utf8(out.stdout)
            .map_err(|_| Error(format!("`{line}` printed something that is not UTF-8")))
    } else {
        Err(Error(format!("`{line}` failed ({})", out.status)))
    }
}

/// Runs a command quietly and returns its stdout and stderr, or `None` if it could not start
/// or failed. Used to ask tools for their version.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.stdin(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Some(text)
}

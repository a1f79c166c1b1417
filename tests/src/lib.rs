//! End-to-end harness: serves the built app (`$SYSLAB_DIST`) and drives headless Chromium.
//!
//! The tests in `tests/e2e.rs` and the `drag-bench` binary use [`Harness`]: a static server for
//! dist/ plus one browser session, both torn down on drop. Selectors come from web/CONTRACT.md.
//! `cargo xtask test` builds dist/ and sets the environment; run that rather than these directly.

pub mod csp;
pub mod server;
pub mod webdriver;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub use server::{DistServer, ServeOptions};
pub use webdriver::{Browser, BrowserConfig, DEFAULT_WAIT, Element, Point, Rect};

/// A failure with a message meant for a person (its `Debug` is the plain message, so a test
/// returning `Err` prints it readably).
pub struct Error(String);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(msg: impl Into<String>) -> Self {
        Error(msg.into())
    }

    /// Prefixes the message with what was being done.
    pub fn context(self, doing: impl fmt::Display) -> Self {
        Error(format!("{doing}: {}", self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

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

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error(err.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error(format!("JSON: {err}"))
    }
}

/// The built app to test: `$SYSLAB_DIST`, which must hold an `index.html`.
pub fn dist_dir() -> Result<PathBuf> {
    let dist = std::env::var_os("SYSLAB_DIST")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .ok_or(
            "SYSLAB_DIST is not set. These end-to-end tests drive a release build of the web app; \
             run `cargo xtask test` (it builds dist/ with trunk and sets SYSLAB_DIST), or build \
             it yourself with `trunk build --release` and set SYSLAB_DIST=<abs path to dist>",
        )?;
    if !dist.join("index.html").is_file() {
        return Err(Error(format!(
            "SYSLAB_DIST={} has no index.html; run `trunk build --release` (or `cargo xtask test`)",
            dist.display()
        )));
    }
    Ok(dist)
}

/// Where screenshots and logs go: `$SYSLAB_E2E_OUT`, else `<workspace>/target/e2e`.
pub fn out_dir() -> PathBuf {
    std::env::var_os("SYSLAB_E2E_OUT")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e"))
}

/// The dist server plus one browser session.
pub struct Harness {
    // Field order matters: the browser closes before the server stops.
    pub browser: Browser,
    pub server: DistServer,
    out_dir: PathBuf,
    name: String,
}

impl Harness {
    /// Serves `$SYSLAB_DIST` and starts a fresh headless Chromium; `name` labels its files.
    pub fn start(name: &str) -> Result<Harness> {
        Harness::start_with(name, ServeOptions::default())
    }

    /// Like [`Harness::start`], with the dist server answering as `options` say (extra headers
    /// such as a Content-Security-Policy).
    pub fn start_with(name: &str, options: ServeOptions) -> Result<Harness> {
        let dist = dist_dir()?;
        let out_dir = out_dir();
        let out_dir = std::fs::create_dir_all(&out_dir)
            .and_then(|()| out_dir.canonicalize())
            .map_err(|e| Error(format!("cannot create {}: {e}", out_dir.display())))?;
        let server = DistServer::start_with(&dist, options)?;

        static SEQ: AtomicU32 = AtomicU32::new(0);
        let unique = format!(
            "{name}-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let mut config = BrowserConfig::new(out_dir.join("profiles").join(unique));
        config.driver_log = Some(out_dir.join(format!("{name}.chromedriver.log")));
        let browser = Browser::launch(&config)?;
        Ok(Harness {
            browser,
            server,
            out_dir,
            name: name.to_owned(),
        })
    }

    /// The absolute URL of an app path such as `/ring?seed=1`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Opens an app path.
    pub fn open(&self, path: &str) -> Result<()> {
        self.browser.goto(&self.url(path))
    }

    /// Saves a screenshot into the output folder and returns its path.
    pub fn screenshot(&self, file_name: &str) -> Result<PathBuf> {
        let path = self.out_dir.join(file_name);
        self.browser.screenshot(&path)?;
        Ok(path)
    }

    /// Runs `body`; on failure adds a screenshot (`<name>-failure.png`) and the browser console
    /// to the error, since those usually explain it (a wasm panic shows up in the console).
    pub fn run(&self, body: impl FnOnce(&Harness) -> Result<()>) -> Result<()> {
        let Err(err) = body(self) else {
            return Ok(());
        };
        let mut msg = format!("{}: {err}", self.name);
        match self.screenshot(&format!("{}-failure.png", self.name)) {
            Ok(path) => msg.push_str(&format!("\nscreenshot: {}", path.display())),
            Err(e) => msg.push_str(&format!("\n(no screenshot: {e})")),
        }
        if let Ok(state) = self.browser.execute(PAGE_STATE, &[]) {
            msg.push_str(&format!("\npage state: {state}"));
        }
        if let Ok(lines) = self.browser.console_log()
            && !lines.is_empty()
        {
            msg.push_str("\nbrowser console:");
            for line in lines.iter().rev().take(30).rev() {
                msg.push_str("\n  ");
                msg.push_str(line);
            }
        }
        Err(Error(msg))
    }
}

/// What a failure report shows of the page: its resources (which bundle stalled) and each
/// script-tag mount (which lab never rendered).
const PAGE_STATE: &str = "return {
  ready: document.readyState,
  resources: performance.getEntriesByType('resource').map((e) =>
    `${new URL(e.name).pathname} ${Math.round(e.startTime)}+${Math.round(e.duration)}ms`),
  mounts: Array.from(document.querySelectorAll('[data-syslab-lab]')).map((d) =>
    `${d.getAttribute('data-syslab-lab')} mounted=${d.getAttribute('data-syslab-mounted')} \
${d.children.length} children: ${d.textContent.slice(0, 80)}`),
};";

/// Reads `1,204 keys moved; ideal 1,250` (anything may follow) into `(1204, 1250)`.
pub fn parse_moved_summary(text: &str) -> Option<(u64, u64)> {
    let (moved, rest) = leading_number(text.trim())?;
    let rest = rest.strip_prefix(" keys moved; ideal ")?;
    let (ideal, _) = leading_number(rest)?;
    Some((moved, ideal))
}

/// Reads the rate limiter's status line `t = 12.3 s of 20 s · 1,204 requests` (anything may
/// follow the duration) into simulated `(now, duration)` in seconds.
pub fn parse_rl_status(text: &str) -> Option<(f64, f64)> {
    let rest = text.trim().strip_prefix("t = ")?;
    let (now, rest) = rest.split_once(" s of ")?;
    let (duration, _) = rest.split_once(" s")?;
    let seconds = |s: &str| s.replace(',', "").parse::<f64>().ok();
    Some((seconds(now)?, seconds(duration)?))
}

/// Reads a "most in a window" cell such as `20 (2×)` or `1,204 (1.25×)` into the count and
/// its ratio to the limit.
pub fn parse_max_window(text: &str) -> Option<(u64, f64)> {
    let (count, rest) = leading_number(text.trim())?;
    let ratio = rest.trim_start().strip_prefix('(')?;
    let ratio = ratio.strip_suffix(')')?.trim_end();
    let ratio = ratio
        .strip_suffix('×')
        .or_else(|| ratio.strip_suffix('x'))?;
    Some((count, ratio.replace(',', "").parse().ok()?))
}

/// A leading `[\d,]+` number (commas as thousands separators) and the rest of the text.
fn leading_number(text: &str) -> Option<(u64, &str)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(text.len());
    let digits: String = text[..end].chars().filter(|c| *c != ',').collect();
    if digits.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_moved_summaries() {
        let check = |text: &str, expected: Option<(u64, u64)>| {
            assert_eq!(parse_moved_summary(text), expected, "{text}");
        };
        check("1,204 keys moved; ideal 1,250", Some((1204, 1250)));
        check("0 keys moved; ideal 0", Some((0, 0)));
        check("12 keys moved; ideal 1,250 (0.96x)", Some((12, 1250)));
        check("No change yet", None);
        check("keys moved; ideal 3", None);
        check("5 keys moved, ideal 3", None);
    }

    #[test]
    fn parses_rate_limiter_texts() {
        let status = |text: &str, expected: Option<(f64, f64)>| {
            assert_eq!(parse_rl_status(text), expected, "{text}");
        };
        status("t = 12.3 s of 20 s · 1,204 requests", Some((12.3, 20.0)));
        status("t = 10.0 s of 10 s · 63 requests", Some((10.0, 10.0)));
        status(" t = 0.0 s of 1.5 s", Some((0.0, 1.5)));
        status(
            "t = 3,600.0 s of 3,600 s · 0 requests",
            Some((3600.0, 3600.0)),
        );
        status("12.3 s of 20 s", None);
        status("t = soon s of 20 s", None);

        let cell = |text: &str, expected: Option<(u64, f64)>| {
            assert_eq!(parse_max_window(text), expected, "{text}");
        };
        cell("20 (2×)", Some((20, 2.0)));
        cell("1,204 (1.25×)", Some((1204, 1.25)));
        cell(" 9 (0.9x) ", Some((9, 0.9)));
        cell("20", None);
        cell("20 (2)", None);
        cell("(2×)", None);
    }
}

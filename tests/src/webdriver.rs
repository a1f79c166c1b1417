//! A small synchronous W3C WebDriver client for chromedriver + headless Chromium.
//!
//! Only what the end-to-end tests need: navigation, CSS lookups, reading text, attributes and
//! properties, clicks, keys, scripts (synchronous and asynchronous), real pointer drags (Actions
//! API), frames, screenshots, the browser console log and Chrome DevTools Protocol commands.
//! Every call returns a `Result` whose message names the command and WebDriver's own error, so
//! a failing test says what went wrong.

use std::fmt::Display;
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use ureq::Agent;

use crate::{Error, Result};

/// The key under which WebDriver represents an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long [`Browser::wait_for`] waits unless told otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(20);

/// How to start the browser.
#[derive(Clone, Debug)]
pub struct BrowserConfig {
    /// The chromedriver binary: `$CHROMEDRIVER`, else `chromedriver` on `PATH`.
    pub chromedriver: PathBuf,
    /// The Chromium binary, if not chromedriver's default: `$SYSLAB_CHROMIUM`, else
    /// `/usr/bin/chromium` when it exists.
    pub chromium: Option<PathBuf>,
    /// A fresh, empty profile folder; removed when the browser closes.
    pub profile_dir: PathBuf,
    /// Where chromedriver's own output goes (discarded if `None`).
    pub driver_log: Option<PathBuf>,
    /// Window size in CSS pixels.
    pub window: (u32, u32),
}

impl BrowserConfig {
    /// The defaults above, with the given profile folder.
    pub fn new(profile_dir: PathBuf) -> Self {
        let chromedriver = std::env::var_os("CHROMEDRIVER")
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from("chromedriver"), PathBuf::from);
        let chromium = std::env::var_os("SYSLAB_CHROMIUM")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                let debian = Path::new("/usr/bin/chromium");
                debian.exists().then(|| debian.to_path_buf())
            });
        BrowserConfig {
            chromedriver,
            chromium,
            profile_dir,
            driver_log: None,
            window: (1280, 900),
        }
    }

    /// The `goog:chromeOptions` capability, with the profile at `profile_dir`.
    fn chrome_options(&self, profile_dir: &Path) -> Value {
        let mut args: Vec<String> = [
            "--headless=new",
            // Needed when running as root (CI containers).
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--window-size={},{}", self.window.0, self.window.1));
        args.push(format!("--user-data-dir={}", profile_dir.display()));
        let mut options = json!({ "args": args });
        if let Some(chromium) = &self.chromium {
            options["binary"] = json!(chromium);
        }
        options
    }
}

/// A reference to an element in the current page (or frame).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    id: String,
}

impl Element {
    /// The element as a script argument: scripts receive it as a DOM element.
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }

    fn from_json(value: &Value) -> Result<Element> {
        value[ELEMENT_KEY]
            .as_str()
            .map(|id| Element { id: id.to_owned() })
            .ok_or_else(|| Error::new(format!("expected an element reference, got {value}")))
    }
}

/// A point in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An element's `getBoundingClientRect()`, in viewport CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }
}

/// The chromedriver child process, killed when dropped.
struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The browser profile folder, removed when dropped.
struct ProfileDir(PathBuf);

impl Drop for ProfileDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One chromedriver with one browser session; both end when dropped.
pub struct Browser {
    agent: Agent,
    /// `http://127.0.0.1:<port>/session/<id>`.
    session_url: String,
    // Fields drop in order after `Browser::drop` deleted the session: Chromium has exited, then
    // chromedriver is killed, then the profile is removed.
    _driver: Driver,
    _profile: ProfileDir,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session.
    pub fn launch(config: &BrowserConfig) -> Result<Browser> {
        // An absolute path without `..`: chromedriver cannot find Chromium's DevToolsActivePort
        // file in a profile given as `a/../b`, and reports "Could not read in devtools port".
        let profile = std::fs::create_dir_all(&config.profile_dir)
            .and_then(|()| config.profile_dir.canonicalize())
            .map(ProfileDir)
            .map_err(|e| {
                Error::new(format!(
                    "cannot create profile folder {}: {e}",
                    config.profile_dir.display()
                ))
            })?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let (stdout, stderr) = match &config.driver_log {
            Some(path) => {
                let log = File::create(path)?;
                (Stdio::from(log.try_clone()?), Stdio::from(log))
            }
            None => (Stdio::null(), Stdio::null()),
        };
        let child = Command::new(&config.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| {
                Error::new(format!(
                    "cannot start {}: {e}; install chromium-driver (`cargo xtask setup --browser`) \
                     or set CHROMEDRIVER",
                    config.chromedriver.display()
                ))
            })?;
        let mut driver = Driver { child };
        let agent = Agent::new_with_config(
            Agent::config_builder()
                .http_status_as_error(false)
                .proxy(None)
                .timeout_global(Some(Duration::from_secs(120)))
                .build(),
        );
        let base = format!("http://127.0.0.1:{port}");

        // Wait for chromedriver to listen and report ready.
        let started = Instant::now();
        loop {
            if let Some(status) = driver.child.try_wait()? {
                return Err(Error::new(format!(
                    "chromedriver exited during startup ({status}){}",
                    log_hint(config)
                )));
            }
            let ready = call(&agent, "GET", &format!("{base}/status"), None)
                .is_ok_and(|v| v["ready"].as_bool() == Some(true));
            if ready {
                break;
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err(Error::new(format!(
                    "chromedriver did not become ready on port {port} within 20 s{}",
                    log_hint(config)
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }

        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "goog:chromeOptions": config.chrome_options(&profile.0),
                    "goog:loggingPrefs": { "browser": "ALL" },
                    "pageLoadStrategy": "normal",
                    "unhandledPromptBehavior": "dismiss",
                    "timeouts": { "implicit": 0, "pageLoad": 60_000, "script": 30_000 },
                }
            }
        });
        let session = call(
            &agent,
            "POST",
            &format!("{base}/session"),
            Some(capabilities),
        )
        .map_err(|e| {
            Error::new(format!(
                "could not start a Chromium session: {e}{}",
                log_hint(config)
            ))
        })?;
        let id = session["sessionId"]
            .as_str()
            .ok_or_else(|| Error::new(format!("new session answer has no sessionId: {session}")))?;
        Ok(Browser {
            agent,
            session_url: format!("{base}/session/{id}"),
            _driver: driver,
            _profile: profile,
        })
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        call(
            &self.agent,
            method,
            &format!("{}{path}", self.session_url),
            body,
        )
    }

    /// Opens `url` and waits for its `load` event.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.command("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
            .map_err(|e| e.context(format!("opening {url}")))
    }

    /// Runs a Chrome DevTools Protocol command on the page's tab through chromedriver's
    /// `goog/cdp/execute` and returns its result (network and CPU throttling, for example).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.command(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
        .map_err(|e| e.context(format!("CDP {cmd}")))
    }

    /// The URL of the current top-level page.
    pub fn current_url(&self) -> Result<String> {
        let url = self.command("GET", "/url", None)?;
        Ok(url.as_str().unwrap_or_default().to_owned())
    }

    /// The first element matching a CSS selector; an error if there is none.
    pub fn find(&self, css: &str) -> Result<Element> {
        let found = self
            .command("POST", "/element", Some(by_css(css)))
            .map_err(|e| e.context(format!("finding `{css}`")))?;
        Element::from_json(&found)
    }

    /// Every element matching a CSS selector (possibly none).
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        self.elements("/elements", css, "")
    }

    /// Every element matching a CSS selector inside `parent`.
    pub fn find_all_in(&self, parent: &Element, css: &str) -> Result<Vec<Element>> {
        let path = format!("/element/{}/elements", parent.id);
        self.elements(&path, css, " inside an element")
    }

    /// The elements a `find elements` command at `path` answers for `css`.
    fn elements(&self, path: &str, css: &str, where_: &str) -> Result<Vec<Element>> {
        let found = self
            .command("POST", path, Some(by_css(css)))
            .map_err(|e| e.context(format!("finding all `{css}`{where_}")))?;
        found
            .as_array()
            .ok_or_else(|| Error::new(format!("`find all` answered {found}")))?
            .iter()
            .map(Element::from_json)
            .collect()
    }

    /// The element's rendered text (what a person sees).
    pub fn text(&self, el: &Element) -> Result<String> {
        let text = self.command("GET", &format!("/element/{}/text", el.id), None)?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// An HTML attribute, `None` when absent.
    pub fn attr(&self, el: &Element, name: &str) -> Result<Option<String>> {
        let value = self.command("GET", &format!("/element/{}/attribute/{name}", el.id), None)?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// A DOM property, e.g. an input's current `value`.
    pub fn property(&self, el: &Element, name: &str) -> Result<Value> {
        self.command("GET", &format!("/element/{}/property/{name}", el.id), None)
    }

    /// Clicks the element's centre (scrolling it into view first).
    pub fn click(&self, el: &Element) -> Result<()> {
        self.command(
            "POST",
            &format!("/element/{}/click", el.id),
            Some(json!({})),
        )
        .map(drop)
    }

    /// Types `text` into the element; WebDriver key codes (e.g. `"\u{E014}"`, right arrow) work.
    pub fn send_keys(&self, el: &Element, text: &str) -> Result<()> {
        let path = format!("/element/{}/value", el.id);
        self.command("POST", &path, Some(json!({ "text": text })))
            .map(drop)
    }

    /// Runs a synchronous script (`return ...;`) with `arguments`; elements passed through
    /// [`Element::to_json`] arrive as DOM elements.
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .map_err(|e| e.context("running a script"))
    }

    /// Runs an asynchronous script with `arguments`: WebDriver appends a callback as the last
    /// argument, and the script's answer is the value it is called with. The session's script
    /// timeout (30 s) applies.
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.command(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .map_err(|e| e.context("running an asynchronous script"))
    }

    /// The element's `getBoundingClientRect()` after scrolling it to the middle of the viewport.
    pub fn client_rect(&self, el: &Element) -> Result<Rect> {
        let rect = self.execute(
            "const el = arguments[0];
             el.scrollIntoView({ block: 'center', inline: 'center' });
             const r = el.getBoundingClientRect();
             return [r.x, r.y, r.width, r.height];",
            &[el.to_json()],
        )?;
        let num = |idx: usize| {
            rect[idx]
                .as_f64()
                .ok_or_else(|| Error::new(format!("bad rect {rect}")))
        };
        Ok(Rect {
            x: num(0)?,
            y: num(1)?,
            width: num(2)?,
            height: num(3)?,
        })
    }

    /// Presses the left mouse button at the first point (viewport CSS pixels), moves through
    /// the others taking `step` for each move (the browser fires `pointermove`s along the way),
    /// and releases at the last one: real input events, as a person's mouse would send them.
    pub fn drag(&self, path: &[Point], step: Duration) -> Result<()> {
        let moves = path
            .iter()
            .map(|p| (json!("viewport"), p.x.round() as i64, p.y.round() as i64))
            .collect();
        self.pointer_drag(moves, step)
    }

    /// Like [`Browser::drag`], but the points are offsets from the centre of `el` where the drag
    /// starts (WebDriver finds that centre itself; later moves are relative to the pointer, so
    /// an element that moves under the pointer does not shift the path).
    pub fn drag_element(&self, el: &Element, offsets: &[Point], step: Duration) -> Result<()> {
        let rounded: Vec<(i64, i64)> = offsets
            .iter()
            .map(|p| (p.x.round() as i64, p.y.round() as i64))
            .collect();
        let mut moves = Vec::with_capacity(rounded.len());
        if let Some(&(x, y)) = rounded.first() {
            moves.push((el.to_json(), x, y));
        }
        for pair in rounded.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            moves.push((json!("pointer"), x1 - x0, y1 - y0));
        }
        self.pointer_drag(moves, step)
    }

    /// One mouse press-move-release sequence; each move is `(origin, x, y)` in whole pixels.
    fn pointer_drag(&self, moves: Vec<(Value, i64, i64)>, step: Duration) -> Result<()> {
        let mut moves = moves.into_iter().map(|(origin, x, y)| {
            json!({ "type": "pointerMove", "duration": 0, "origin": origin, "x": x, "y": y })
        });
        let first = moves.next().ok_or("a drag needs at least one point")?;
        let step_ms = u64::try_from(step.as_millis()).unwrap_or(u64::MAX);
        let mut actions = vec![
            first,
            json!({ "type": "pointerDown", "button": 0 }),
            json!({ "type": "pause", "duration": 50 }),
        ];
        actions.extend(moves.map(|mut m| {
            m["duration"] = json!(step_ms);
            m
        }));
        actions.push(json!({ "type": "pause", "duration": 50 }));
        actions.push(json!({ "type": "pointerUp", "button": 0 }));
        let body = json!({
            "actions": [{
                "type": "pointer",
                "id": "mouse",
                "parameters": { "pointerType": "mouse" },
                "actions": actions,
            }]
        });
        self.command("POST", "/actions", Some(body))
            .map_err(|e| e.context("performing a pointer drag"))?;
        self.command("DELETE", "/actions", None).map(drop)
    }

    /// Switches commands into an `<iframe>` element's document.
    pub fn switch_to_frame(&self, frame: &Element) -> Result<()> {
        self.command("POST", "/frame", Some(json!({ "id": frame.to_json() })))
            .map(drop)
    }

    /// Switches back to the top-level document.
    pub fn switch_to_top(&self) -> Result<()> {
        self.command("POST", "/frame", Some(json!({ "id": null })))
            .map(drop)
    }

    /// Saves a PNG screenshot of the viewport, creating the folder if needed.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        let data = self.command("GET", "/screenshot", None)?;
        let png = decode_base64(data.as_str().unwrap_or_default())
            .ok_or("the screenshot is not valid base64")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)
            .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))
    }

    /// Browser console messages since the last call (`LEVEL message` lines).
    pub fn console_log(&self) -> Result<Vec<String>> {
        let entries = self.command("POST", "/se/log", Some(json!({ "type": "browser" })))?;
        Ok(entries
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or("?"),
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Polls `probe` every 100 ms until it returns `Some`, for at most `timeout`.
    ///
    /// Errors from `probe` count as "not yet" (the page may be mid-render); the last one is
    /// reported if time runs out, together with `what` was awaited and the page URL.
    pub fn wait_until<T>(
        &self,
        what: impl Display,
        timeout: Duration,
        mut probe: impl FnMut(&Browser) -> Result<Option<T>>,
    ) -> Result<T> {
        let started = Instant::now();
        let mut last_error = None;
        loop {
            match probe(self) {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(err) => last_error = Some(err),
            }
            if started.elapsed() >= timeout {
                let url = self.current_url().unwrap_or_else(|_| "?".into());
                let last = last_error.map_or(String::new(), |e| format!("; last error: {e}"));
                return Err(Error::new(format!(
                    "timed out after {:.1} s waiting for {what} (page {url}){last}",
                    timeout.as_secs_f64()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to [`DEFAULT_WAIT`] for an element matching `css`.
    pub fn wait_for(&self, css: &str) -> Result<Element> {
        self.wait_until(format!("`{css}`"), DEFAULT_WAIT, |b| {
            Ok(b.find_all(css)?.into_iter().next())
        })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closing the session makes chromedriver quit Chromium; the driver is killed afterwards.
        let _ = call(&self.agent, "DELETE", &self.session_url, None);
    }
}

fn by_css(css: &str) -> Value {
    json!({ "using": "css selector", "value": css })
}

fn log_hint(config: &BrowserConfig) -> String {
    config.driver_log.as_ref().map_or(String::new(), |p| {
        format!(" (chromedriver log: {})", p.display())
    })
}

/// One WebDriver HTTP call; returns the answer's `value`, or its error as an [`Error`].
fn call(agent: &Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let response = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, body) => agent.post(url).send_json(body.unwrap_or_else(|| json!({}))),
    };
    let mut response =
        response.map_err(|e| Error::new(format!("WebDriver {method} {url} failed: {e}")))?;
    let status = response.status();
    let text = response
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| Error::new(format!("reading the answer to {method} {url}: {e}")))?;
    let answer: Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(format!(
            "WebDriver {method} {url} answered {status} with non-JSON ({e}): {}",
            text.chars().take(300).collect::<String>()
        ))
    })?;
    if status.is_success() {
        return Ok(answer["value"].clone());
    }
    let error = answer["value"]["error"].as_str().unwrap_or("unknown error");
    // chromedriver appends a long "(Session info: ...)" block; the first line says enough.
    let message = answer["value"]["message"].as_str().unwrap_or("");
    let message = message.lines().next().unwrap_or("");
    Err(Error::new(format!("WebDriver {error}: {message}")))
}

/// Decodes standard base64 (with or without padding, ignoring whitespace).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let clean = clean
        .strip_suffix(b"==")
        .or_else(|| clean.strip_suffix(b"="))
        .unwrap_or(&clean);
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut acc = 0u32;
        for (idx, &c) in chunk.iter().enumerate() {
            acc |= sextet(c)? << (18 - 6 * idx);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        let check = |text: &str, expected: &[u8]| {
            assert_eq!(decode_base64(text).as_deref(), Some(expected), "{text}");
        };
        check("", b"");
        check("Zg==", b"f");
        check("Zm8=", b"fo");
        check("Zm9v", b"foo");
        check("Zm9vYg==", b"foob");
        check("Zm9v\nYmFy", b"foobar");
        check("iVBORw0KGgo=", b"\x89PNG\r\n\x1a\n");
        assert_eq!(decode_base64("Z"), None);
        assert_eq!(decode_base64("Zm9v!"), None);
    }

    #[test]
    fn chrome_options_are_headless_rootless_and_isolated() {
        let mut config = BrowserConfig::new(PathBuf::from("/tmp/profile-x"));
        config.chromium = Some(PathBuf::from("/usr/bin/chromium"));
        let options = config.chrome_options(&config.profile_dir);
        let args: Vec<&str> = options["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--user-data-dir=/tmp/profile-x",
        ] {
            assert!(args.contains(&arg), "{arg} missing from {args:?}");
        }
        assert_eq!(options["binary"], "/usr/bin/chromium");
    }
}

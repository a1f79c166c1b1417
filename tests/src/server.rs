//! A static file server for the built app (`dist/`), with single-page-app fallback.
//!
//! It mirrors what a static host does for syslab: files are served with their real content type
//! (browsers refuse to stream-compile wasm served as anything but `application/wasm`), and a path
//! without a file extension that names no file (`/ring`) gets `index.html`, so client-side routes
//! load the app. [`ServeOptions`] adds response headers, so tests can play a host that sends a
//! Content-Security-Policy or CORS headers (README "Hosting syslab").

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::{Error, Result};

/// How a [`DistServer`] answers, beyond the files themselves.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// Extra `(name, value)` headers sent with every response, e.g.
    /// `("Access-Control-Allow-Origin", "*")`.
    pub headers: Vec<(String, String)>,
}

impl ServeOptions {
    /// Adds a header sent with every response.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Serves a folder on `127.0.0.1` at a free port until dropped.
///
/// Plain `std`: one thread per connection and one request per connection (`Connection:
/// close`), so no request ever waits behind another. The tiny_http server used before stalled
/// one of the blog post's four concurrent bundle requests for a minute on a loaded machine,
/// which failed CI.
pub struct DistServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl DistServer {
    /// Starts serving `root` in a background thread.
    pub fn start(root: &Path) -> Result<DistServer> {
        DistServer::start_with(root, ServeOptions::default())
    }

    /// Starts serving `root` in a background thread, answering as `options` say.
    pub fn start_with(root: &Path, options: ServeOptions) -> Result<DistServer> {
        // Header lines are written as given: a line break in one would forge others.
        if let Some((name, value)) = options.headers.iter().find(|(name, value)| {
            name.is_empty() || name.contains(':') || format!("{name}{value}").contains(['\r', '\n'])
        }) {
            return Err(Error::new(format!(
                "bad response header {name:?}: {value:?} (a name without `:`, no line breaks)"
            )));
        }
        let options = Arc::new(options);
        let root = root
            .canonicalize()
            .map_err(|e| Error::new(format!("cannot serve {}: {e}", root.display())))?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| Error::new(format!("cannot start the dist server: {e}")))?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("dist-server".into())
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::Acquire) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        let root = root.clone();
                        let options = Arc::clone(&options);
                        // A connection the machine has no thread for is dropped (the browser
                        // sees a reset), never left waiting.
                        let _ = std::thread::Builder::new()
                            .name("dist-request".into())
                            .spawn(move || serve(&root, &options, stream));
                    }
                })?
        };
        Ok(DistServer {
            port,
            stop,
            thread: Some(thread),
        })
    }

    /// The origin, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

impl Drop for DistServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers the one request on `stream` and closes it.
fn serve(root: &Path, options: &ServeOptions, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let Some(target) = read_request(&stream) else {
        return;
    };
    let (status, kind, body) = match target.and_then(|url| resolve(root, &url)) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => ("200 OK", content_type(&file), bytes),
            Err(_) => not_found(),
        },
        None => not_found(),
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in &options.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    // A browser that navigated away may have closed the connection; that is not an error here.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body))
        .and_then(|()| stream.flush());
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads a request's head: `Some(Some(target))` for a GET, `Some(None)` for any other
/// request (answered 404), `None` if the connection closed or sent nothing readable.
fn read_request(stream: &TcpStream) -> Option<Option<String>> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|&n| n > 0)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?.to_owned());
    // Skip the headers, up to the blank line.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return None,
            Ok(_) if header.trim_end().is_empty() => break,
            Ok(_) => {}
        }
    }
    Some((method == "GET").then_some(target))
}

fn not_found() -> (&'static str, &'static str, Vec<u8>) {
    (
        "404 Not Found",
        "text/plain; charset=utf-8",
        b"not found".to_vec(),
    )
}

/// The file that answers `url`, or `None` for a 404.
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    // Only plain names: no `..`, no absolute paths sneaking out of the root.
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let candidate = root.join(relative);
    if candidate.is_file() {
        return Some(candidate);
    }
    if candidate.is_dir() && candidate.join("index.html").is_file() {
        return Some(candidate.join("index.html"));
    }
    // Client-side routes (`/ring`) have no extension; missing assets (`/x.js`) stay 404s.
    let has_extension = relative
        .file_name()
        .is_some_and(|name| Path::new(name).extension().is_some());
    if !has_extension && root.join("index.html").is_file() {
        return Some(root.join("index.html"));
    }
    None
}

/// Decodes `%XX` escapes; `None` if one is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        if bytes[idx] == b'%' {
            let hex = text.get(idx + 1..idx + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            idx += 3;
        } else {
            out.push(bytes[idx]);
            idx += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_dist() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("syslab-e2e-server-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("examples")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), [0, 97, 115, 109]).unwrap();
        std::fs::write(dir.join("examples/blog.html"), "blog").unwrap();
        dir
    }

    #[test]
    fn resolves_files_routes_and_404s() {
        let root = fake_dist();
        let check = |url: &str, expected: Option<&str>| {
            let got = resolve(&root, url);
            let got = got.as_deref().map(|p| p.strip_prefix(&root).unwrap());
            assert_eq!(got, expected.map(Path::new), "{url}");
        };
        check("/", Some("index.html"));
        check("/app_bg.wasm", Some("app_bg.wasm"));
        check("/examples/blog.html?x=1", Some("examples/blog.html"));
        check("/ring?seed=3&nodes=4", Some("index.html"));
        check("/some/deep/route", Some("index.html"));
        check("/missing.js", None);
        check("/../etc/passwd", None);
        check("/%2e%2e/secret", None);
        check("/bad%zz", None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Many requests at once, each answered whole and the connection closed.
    #[test]
    fn serves_concurrent_requests_to_completion() {
        let root =
            std::env::temp_dir().join(format!("syslab-e2e-concurrent-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let big = vec![b'x'; 3 << 20];
        std::fs::write(root.join("big.js"), &big).unwrap();
        let server = DistServer::start(&root).unwrap();
        let port = server.port;
        let clients: Vec<_> = (0..12)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    s.write_all(b"GET /big.js HTTP/1.1\r\nHost: x\r\n\r\n")
                        .unwrap();
                    let mut answer = Vec::new();
                    std::io::Read::read_to_end(&mut s, &mut answer).unwrap();
                    answer
                })
            })
            .collect();
        for client in clients {
            let answer = client.join().unwrap();
            let head_end = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            let head = String::from_utf8_lossy(&answer[..head_end]);
            assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
            assert!(head.contains("Content-Type: text/javascript"), "{head}");
            assert_eq!(answer.len() - head_end, big.len());
        }
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"POST /big.js HTTP/1.1\r\n\r\n").unwrap();
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut s, &mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
        drop(server);
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Extra headers go out with every answer, 404s included; a header that would forge
    /// others is refused.
    #[test]
    fn sends_extra_headers() {
        let root = std::env::temp_dir().join(format!("syslab-e2e-headers-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.wasm"), [0, 97, 115, 109]).unwrap();
        let options = ServeOptions::default()
            .header("Access-Control-Allow-Origin", "*")
            .header("Content-Security-Policy", "default-src 'self'");
        let server = DistServer::start_with(&root, options).unwrap();
        for path in ["/a.wasm", "/missing.js"] {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(format!("GET {path} HTTP/1.1\r\n\r\n").as_bytes())
                .unwrap();
            let mut answer = Vec::new();
            std::io::Read::read_to_end(&mut s, &mut answer).unwrap();
            let answer = String::from_utf8_lossy(&answer);
            assert!(
                answer.contains("\r\nAccess-Control-Allow-Origin: *\r\n")
                    && answer.contains("\r\nContent-Security-Policy: default-src 'self'\r\n"),
                "{path}: {answer}"
            );
        }
        drop(server);
        for (name, value) in [("X-A", "1\r\nX-B: 2"), ("X:Y", "1"), ("", "1")] {
            let options = ServeOptions::default().header(name, value);
            let err = DistServer::start_with(&root, options).err().unwrap();
            assert!(err.to_string().contains("bad response header"), "{err}");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("x/syslab-embed.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("s.css")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("i.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("blob")), "application/octet-stream");
    }
}

//! A static file server for the built app (`dist/`), with single-page-app fallback.
//!
//! It mirrors what a static host does for syslab: files are served with their real content type
//! (browsers refuse to stream-compile wasm served as anything but `application/wasm`), and a path
//! without a file extension that names no file (`/ring`) gets `index.html`, so client-side routes
//! load the app.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use tiny_http::{Header, Request, Response, Server};

use crate::{Error, Result};

/// Serves a folder on `127.0.0.1` at a free port until dropped.
pub struct DistServer {
    server: Arc<Server>,
    port: u16,
    thread: Option<JoinHandle<()>>,
}

impl DistServer {
    /// Starts serving `root` in a background thread.
    pub fn start(root: &Path) -> Result<DistServer> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::new(format!("cannot serve {}: {e}", root.display())))?;
        let server = Server::http("127.0.0.1:0")
            .map_err(|e| Error::new(format!("cannot start the dist server: {e}")))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or("the dist server is not listening on an IP address")?;
        let server = Arc::new(server);
        let thread = {
            let server = Arc::clone(&server);
            std::thread::Builder::new()
                .name("dist-server".into())
                .spawn(move || {
                    for request in server.incoming_requests() {
                        serve(&root, request);
                    }
                })?
        };
        Ok(DistServer {
            server,
            port,
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
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(root: &Path, request: Request) {
    let response = match resolve(root, request.url()) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => Response::from_data(bytes)
                .with_header(header("Content-Type", content_type(&file)))
                .with_header(header("Cache-Control", "no-store")),
            Err(_) => not_found(),
        },
        None => not_found(),
    };
    // A browser that navigated away may have closed the connection; that is not an error here.
    let _ = request.respond(response);
}

fn not_found() -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string("not found")
        .with_status_code(404)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
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

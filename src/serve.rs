//! `gridledger serve`: the office PC with no host. The program carries the built app (embedded
//! at compile time with the feature `embed-app`, see `build.rs`), serves it on 127.0.0.1 — a
//! secure context, so OPFS and the service worker work — and opens the default browser. It only
//! hands out the app's files: the data stays in the browser's OPFS, never passes through here.
//!
//! The browser keeps data per origin, port included, so the port is fixed (`DEFAULT_PORT`)
//! unless the person asks for another one; when it is taken by a GridLedger already running,
//! the browser is simply opened on it.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The address's port when none is given. Keep it: data opened on another port is another
/// origin to the browser, and looks lost.
pub const DEFAULT_PORT: u16 = 8216;

/// Sent with every answer, so a second start can tell its own kind on the port.
const SERVER_HEADER: &str = "X-GridLedger";

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_app.rs"));
}

/// The app's files, by URL path (`/index.html`, `/app-….wasm`, …).
pub struct Files {
    files: HashMap<String, File>,
}

struct File {
    bytes: Arc<[u8]>,
    etag: String,
}

impl Files {
    /// The build embedded in this program; None when it was built without one.
    pub fn embedded() -> Option<Files> {
        if embedded::FILES.is_empty() {
            return None;
        }
        Some(Files::from_pairs(
            embedded::FILES
                .iter()
                .map(|(p, b)| (p.to_string(), Arc::<[u8]>::from(*b))),
        ))
    }

    /// A built app on disk (Trunk's `dist/`).
    pub fn from_dir(dir: &Path) -> Result<Files, String> {
        if !dir.join("index.html").is_file() {
            return Err(format!(
                "{}: no index.html here (build the app with `trunk build --release`)",
                dir.display()
            ));
        }
        let mut pairs = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            for entry in entries {
                let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Some(url) = url_of(dir, &path) {
                    let bytes =
                        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    pairs.push((url, Arc::<[u8]>::from(bytes)));
                }
            }
        }
        Ok(Files::from_pairs(pairs.into_iter()))
    }

    fn from_pairs(pairs: impl Iterator<Item = (String, Arc<[u8]>)>) -> Files {
        let files = pairs
            .map(|(path, bytes)| {
                let digest = Sha256::digest(&bytes);
                let etag = format!(
                    "\"{}\"",
                    digest[..12]
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<String>()
                );
                (path, File { bytes, etag })
            })
            .collect();
        Files { files }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// What a GET of `url` is answered with: the file, or `index.html` for an app route.
    pub fn answer(&self, url: &str) -> Answer {
        let path = url.split(['?', '#']).next().unwrap_or("/");
        if path.split('/').any(|seg| seg == ".." || seg.contains('\\')) {
            return Answer::NotFound;
        }
        let key = if path == "/" { "/index.html" } else { path };
        if let Some(f) = self.files.get(key) {
            return Answer::File {
                bytes: f.bytes.clone(),
                etag: f.etag.clone(),
                content_type: content_type(key),
                cache: cache_control(key),
            };
        }
        // An app route (/residents, /cases/…) is the app's page; a missing file is a 404.
        let last = path.rsplit('/').next().unwrap_or("");
        if !last.contains('.') {
            if let Some(f) = self.files.get("/index.html") {
                return Answer::File {
                    bytes: f.bytes.clone(),
                    etag: f.etag.clone(),
                    content_type: content_type("/index.html"),
                    cache: cache_control("/index.html"),
                };
            }
        }
        Answer::NotFound
    }
}

/// The URL path of a file under `root`, or None for a name that cannot be one.
fn url_of(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut url = String::new();
    for c in rel.components() {
        let Component::Normal(s) = c else { return None };
        url.push('/');
        url.push_str(s.to_str()?);
    }
    Some(url)
}

pub enum Answer {
    File {
        bytes: Arc<[u8]>,
        etag: String,
        content_type: &'static str,
        cache: &'static str,
    },
    NotFound,
}

/// The MIME type by file name: browsers compile wasm streaming only as `application/wasm`, and
/// module scripts only with a JavaScript type.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "ttf" => "font/ttf",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Trunk names the app's scripts and wasm by their hash; the page, the service worker and the
/// manifest keep their names and must be asked for again. Trunk writes the 64-bit hash in hex
/// without leading zeros, so a name's hash has 16 digits or a few fewer (`app-39ea66c7d157ace`).
fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    let hashed = name
        .split(['-', '.', '_'])
        .any(|part| part.len() >= 12 && part.bytes().all(|b| b.is_ascii_hexdigit()));
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Only requests for this address: a web page elsewhere cannot reach the app through a name
/// that resolves here (DNS rebinding).
fn host_ok(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return true };
    let host = host.trim().to_ascii_lowercase();
    [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
    .contains(&host)
        || (port == 80 && (host == "127.0.0.1" || host == "localhost"))
}

/// Binds 127.0.0.1:port, or says why not. `Ok(None)`: a GridLedger already serves there.
pub fn bind(port: u16) -> Result<Option<tiny_http::Server>, String> {
    match tiny_http::Server::http(SocketAddr::from((Ipv4Addr::LOCALHOST, port))) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            if is_gridledger(port) {
                return Ok(None);
            }
            Err(format!(
                "cannot serve on 127.0.0.1:{port}: {e}\n\
                 端口 {port} 已被其他程序占用。请关闭该程序，或用 `gridledger serve --port 其他端口` 启动\
                 （注意：浏览器按地址分别保存数据，换端口后看不到原来的数据）。\n\
                 The port is used by another program. Close it, or start with `--port N` \
                 (the browser keeps data per address: on another port the old data is not shown)."
            ))
        }
    }
}

/// Whether what listens on the port is a GridLedger (it answers with `X-GridLedger`).
fn is_gridledger(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(1000)));
    let req = format!("HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = Vec::new();
    let _ = s.take(8192).read_to_end(&mut head);
    String::from_utf8_lossy(&head)
        .to_ascii_lowercase()
        .contains(&SERVER_HEADER.to_ascii_lowercase())
}

/// Answers requests until the process ends (a few threads: the page asks for several files
/// at once).
pub fn run(server: tiny_http::Server, files: Files, port: u16) {
    let server = Arc::new(server);
    let files = Arc::new(files);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (server, files) = (server.clone(), files.clone());
            std::thread::spawn(move || {
                while let Ok(req) = server.recv() {
                    respond(req, &files, port);
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values here are ASCII")
}

fn respond(req: tiny_http::Request, files: &Files, port: u16) {
    use tiny_http::{Method, Response, StatusCode};
    let get = |name: &'static str| {
        req.headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let common = |r: Response<std::io::Cursor<Vec<u8>>>| {
        r.with_header(header(SERVER_HEADER, env!("CARGO_PKG_VERSION")))
            .with_header(header("X-Content-Type-Options", "nosniff"))
            .with_header(header("Referrer-Policy", "no-referrer"))
    };
    let text = |code: u16, body: &str| {
        common(
            Response::from_data(body.as_bytes().to_vec())
                .with_status_code(StatusCode(code))
                .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        )
    };
    if !host_ok(get("Host").as_deref(), port) {
        let _ = req.respond(text(421, "GridLedger answers only http://127.0.0.1"));
        return;
    }
    let head = match req.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let _ = req.respond(
                text(405, "GridLedger only serves its files")
                    .with_header(header("Allow", "GET, HEAD")),
            );
            return;
        }
    };
    match files.answer(req.url()) {
        Answer::NotFound => {
            let _ = req.respond(text(404, "not found"));
        }
        Answer::File {
            bytes,
            etag,
            content_type,
            cache,
        } => {
            let fresh =
                get("If-None-Match").is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
            let (code, body) = if fresh {
                (304, Vec::new())
            } else if head {
                (200, Vec::new())
            } else {
                (200, bytes.to_vec())
            };
            let mut r = common(Response::from_data(body).with_status_code(StatusCode(code)))
                .with_header(header("Content-Type", content_type))
                .with_header(header("Cache-Control", cache))
                .with_header(header("ETag", &etag));
            if head && !fresh {
                r = r.with_header(header("Content-Length", &bytes.len().to_string()));
            }
            let _ = req.respond(r);
        }
    }
}

/// Opens `url` in the default browser; false when no opener could be started.
pub fn open_browser(url: &str) -> bool {
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("explorer");
        c.arg(url);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    };
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Where the files come from: `--dir`, else the build inside this program.
pub fn files_from(dir: Option<PathBuf>) -> Result<Files, String> {
    match dir {
        Some(d) => Files::from_dir(&d),
        None => Files::embedded().ok_or_else(|| {
            "this gridledger was built without the app inside.\n\
             Build it with `bash scripts/build-serve.sh` (the app, then this program with it), \
             or serve a built app with `gridledger serve --dir dist`."
                .to_string()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::from_pairs(
            [
                ("/index.html", &b"<!doctype html>"[..]),
                ("/app-0123456789abcdef0123.js", b"js"),
                ("/app-0123456789abcdef0123_bg.wasm", b"\0asm"),
                ("/sw.js", b"sw"),
            ]
            .into_iter()
            .map(|(p, b)| (p.to_string(), Arc::<[u8]>::from(b))),
        )
    }

    fn served(f: &Files, url: &str) -> Option<(&'static str, &'static str, Vec<u8>)> {
        match f.answer(url) {
            Answer::File {
                bytes,
                content_type,
                cache,
                ..
            } => Some((content_type, cache, bytes.to_vec())),
            Answer::NotFound => None,
        }
    }

    #[test]
    fn files_are_served_with_their_types_and_app_routes_with_the_page() {
        let f = files();
        let (t, c, b) = served(&f, "/app-0123456789abcdef0123_bg.wasm").unwrap();
        assert_eq!(
            (t, c, b.as_slice()),
            (
                "application/wasm",
                "public, max-age=31536000, immutable",
                &b"\0asm"[..]
            )
        );
        assert_eq!(
            cache_control("/app-39ea66c7d157ace.js"),
            "public, max-age=31536000, immutable",
            "a hash with a leading zero left out"
        );
        for name in [
            "/index.html",
            "/icon-192.png",
            "/worker_bg.wasm",
            "/manifest.webmanifest",
        ] {
            assert_eq!(cache_control(name), "no-cache", "{name}");
        }
        let (t, c, _) = served(&f, "/sw.js").unwrap();
        assert_eq!((t, c), ("text/javascript; charset=utf-8", "no-cache"));
        for route in ["/", "/residents", "/cases/0191?x=1", "/shared"] {
            let (t, _, b) = served(&f, route).unwrap();
            assert_eq!(
                (t, b.as_slice()),
                ("text/html; charset=utf-8", &b"<!doctype html>"[..]),
                "{route}"
            );
        }
        assert!(served(&f, "/missing.js").is_none());
        assert!(served(&f, "/../etc/passwd").is_none());
    }

    #[test]
    fn only_this_address_is_answered() {
        assert!(host_ok(Some("127.0.0.1:8216"), 8216));
        assert!(host_ok(Some("localhost:8216"), 8216));
        assert!(!host_ok(Some("evil.example:8216"), 8216));
        assert!(!host_ok(Some("127.0.0.1:9999"), 8216));
    }

    #[test]
    fn a_server_answers_over_http_and_a_second_start_finds_it() {
        let server = bind(0).unwrap().unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        std::thread::spawn(move || run(server, files(), port));
        assert!(is_gridledger(port));
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        write!(s, "GET /app-0123456789abcdef0123_bg.wasm HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(
            out.to_ascii_lowercase()
                .contains("content-type: application/wasm"),
            "{out}"
        );
        // The same port again: it is ours, so no error and no second server.
        assert!(bind(port).unwrap().is_none());
    }
}

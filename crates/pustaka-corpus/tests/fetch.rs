//! `pustaka_corpus::fetch` against a small HTTP server on 127.0.0.1, written here with
//! `std::net` and threads, whose routes misbehave on purpose: wrong bytes, error statuses, a
//! stall, a cut-short body, a server that ignores `Range`, a file that changes between runs.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pustaka_core::CancelFlag;
use pustaka_core::corpus::Source;
use pustaka_core::meta::MetaOverrides;
use pustaka_corpus::fetch::{
    FailureKind, FetchConfig, FetchEvent, FetchOutcome, FetchReport, fetch,
};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------
// The test server

#[derive(Clone)]
struct Body {
    bytes: Arc<Vec<u8>>,
    content_type: &'static str,
    etag: Option<String>,
}

#[derive(Clone)]
enum Route {
    /// The whole file; with `ranges`, honours `Range: bytes=N-` (and `If-Range`).
    File { body: Body, ranges: bool },
    /// Only the status line and a short text.
    Status(u16),
    /// Headers for the whole file, the first `send` bytes, then silence for `sleep`.
    Stall {
        body: Body,
        send: usize,
        sleep: Duration,
    },
    /// Headers for the whole file, the first `send` bytes, then the connection closes.
    Truncate { body: Body, send: usize },
}

/// One request as the server saw it: path and headers (names in lower case).
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    seen: Vec<Seen>,
}

struct Server {
    base: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let state = shared.clone();
                std::thread::spawn(move || serve(conn, &state));
            }
        });
        Server { base, state }
    }

    fn route(&self, path: &str, route: Route) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.to_string(), route);
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn seen(&self, path: &str) -> Vec<Seen> {
        self.state
            .lock()
            .unwrap()
            .seen
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    fn requests(&self) -> usize {
        self.state.lock().unwrap().seen.len()
    }
}

fn serve(mut conn: TcpStream, state: &Mutex<State>) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let route = {
        let mut s = state.lock().unwrap();
        s.seen.push(Seen {
            path: path.clone(),
            headers: headers.clone(),
        });
        s.routes.get(&path).cloned()
    };
    let Some(route) = route else {
        let _ = respond(&mut conn, 404, &[], b"no such route");
        return;
    };
    match route {
        Route::Status(code) => {
            let _ = respond(&mut conn, code, &[], b"an error page");
        }
        Route::File { body, ranges } => {
            let len = body.bytes.len();
            let range_start = headers
                .get("range")
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.strip_suffix('-'))
                .and_then(|n| n.parse::<usize>().ok());
            let if_range_ok = match (headers.get("if-range"), &body.etag) {
                (None, _) => true,
                (Some(v), Some(etag)) => v == etag,
                (Some(_), None) => false,
            };
            let mut extra = vec![("Content-Type".to_string(), body.content_type.to_string())];
            if let Some(e) = &body.etag {
                extra.push(("ETag".into(), e.clone()));
            }
            match range_start {
                Some(n) if ranges && if_range_ok && n >= len => {
                    extra.push(("Content-Range".into(), format!("bytes */{len}")));
                    let _ = respond(&mut conn, 416, &extra, b"");
                }
                Some(n) if ranges && if_range_ok => {
                    extra.push((
                        "Content-Range".into(),
                        format!("bytes {n}-{}/{len}", len - 1),
                    ));
                    let _ = respond(&mut conn, 206, &extra, &body.bytes[n..]);
                }
                _ => {
                    let _ = respond(&mut conn, 200, &extra, &body.bytes);
                }
            }
        }
        Route::Stall { body, send, sleep } => {
            let _ = write_head(&mut conn, 200, &file_headers(&body), body.bytes.len());
            let _ = conn.write_all(&body.bytes[..send]);
            let _ = conn.flush();
            std::thread::sleep(sleep);
        }
        Route::Truncate { body, send } => {
            let _ = write_head(&mut conn, 200, &file_headers(&body), body.bytes.len());
            let _ = conn.write_all(&body.bytes[..send]);
            let _ = conn.flush();
            let _ = conn.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn file_headers(body: &Body) -> Vec<(String, String)> {
    let mut h = vec![("Content-Type".to_string(), body.content_type.to_string())];
    if let Some(e) = &body.etag {
        h.push(("ETag".into(), e.clone()));
    }
    h
}

fn write_head(
    conn: &mut TcpStream,
    code: u16,
    headers: &[(String, String)],
    len: usize,
) -> std::io::Result<()> {
    let reason = match code {
        200 => "OK",
        206 => "Partial Content",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        _ => "Whatever",
    };
    let mut head =
        format!("HTTP/1.1 {code} {reason}\r\nContent-Length: {len}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes())
}

fn respond(
    conn: &mut TcpStream,
    code: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<()> {
    write_head(conn, code, headers, body.len())?;
    conn.write_all(body)?;
    conn.flush()
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Deterministic pseudo-random bytes.
fn fixture(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

fn sha256(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn body(bytes: Vec<u8>, content_type: &'static str, etag: &str) -> Body {
    Body {
        bytes: Arc::new(bytes),
        content_type,
        etag: Some(format!("\"{etag}\"")),
    }
}

fn source(id: &str, url: &str, sha256: Option<String>) -> Source {
    Source {
        id: id.to_string(),
        title: format!("The title of {id}"),
        kind: "instrument".into(),
        instrument: Some("2005 Convention".into()),
        language: "en".into(),
        url: url.to_string(),
        licence: "Official text; check the terms of use".into(),
        sha256,
        note: None,
    }
}

fn config() -> FetchConfig {
    FetchConfig {
        connect_timeout: Duration::from_secs(5),
        stall_timeout: Duration::from_secs(1),
        // The local test server is reached directly, whatever proxy the machine names.
        env_proxy: false,
        ..FetchConfig::default()
    }
}

fn run(sources: &[Source], dir: &Path) -> (FetchReport, Vec<FetchEvent>) {
    run_with(sources, dir, &config(), &CancelFlag::new(), |_| {})
}

fn run_with(
    sources: &[Source],
    dir: &Path,
    cfg: &FetchConfig,
    cancel: &CancelFlag,
    mut also: impl FnMut(&FetchEvent),
) -> (FetchReport, Vec<FetchEvent>) {
    let mut events = Vec::new();
    let report = fetch(
        sources,
        dir,
        cfg,
        &mut |e| {
            also(e);
            events.push(e.clone());
        },
        cancel,
    )
    .expect("only faults of the output folder are errors");
    (report, events)
}

/// Every entry of the folder, hidden ones included, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The file holds exactly `want` (compared by size and hash, so a failure stays readable).
#[track_caller]
fn assert_content(path: impl AsRef<Path>, want: &[u8]) {
    let path = path.as_ref();
    let got = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        got == want,
        "{}: {} bytes (sha256 {}), expected {} bytes (sha256 {})",
        path.display(),
        got.len(),
        sha256(&got),
        want.len(),
        sha256(want)
    );
}

fn part(dir: &Path, id: &str, ext: &str) -> PathBuf {
    dir.join(format!(".{id}.{ext}.part"))
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn a_good_file_is_fetched_verified_with_a_sidecar_then_unchanged_without_a_request() {
    let server = Server::start();
    let bytes = fixture(300_000, 1);
    let sum = sha256(&bytes);
    server.route(
        "/docs/convention",
        Route::File {
            body: body(bytes.clone(), "application/pdf", "v1"),
            ranges: true,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("official");
    let src = source(
        "conv-en",
        &server.url("/docs/convention"),
        Some(sum.clone()),
    );

    let (r, events) = run(std::slice::from_ref(&src), &out);
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert_eq!(r.fetched.len(), 1);
    let f = &r.fetched[0];
    let path = out.join("conv-en.pdf");
    assert_eq!(f.path, path);
    assert_eq!(
        (f.bytes, f.sha256.as_str(), f.verified),
        (300_000, sum.as_str(), true)
    );
    assert_content(&path, &bytes);
    assert_eq!(entries(&out), ["conv-en.pdf", "conv-en.pdf.meta.toml"]);

    let m = MetaOverrides::from_sidecar(&path)
        .unwrap()
        .expect("a sidecar");
    assert_eq!(m.title.as_deref(), Some("The title of conv-en"));
    assert_eq!(m.kind.as_deref(), Some("instrument"));
    assert_eq!(m.instrument.as_deref(), Some("2005 Convention"));
    assert_eq!(m.language.as_deref(), Some("en"));
    assert_eq!(m.source_url.as_deref(), Some(src.url.as_str()));
    assert_eq!(
        m.licence.as_deref(),
        Some("Official text; check the terms of use")
    );

    assert!(
        matches!(&events[0], FetchEvent::Started { index: 0, total: 1, id, .. } if id == "conv-en")
    );
    let last_progress = events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Progress { bytes, total, .. } => Some((*bytes, *total)),
            _ => None,
        })
        .next_back();
    assert_eq!(last_progress, Some((300_000, Some(300_000))));
    assert!(matches!(
        events.last(),
        Some(FetchEvent::Finished {
            outcome: FetchOutcome::Fetched,
            reason: None,
            ..
        })
    ));
    assert_eq!(server.requests(), 1);
    let seen = &server.seen("/docs/convention")[0];
    assert_eq!(
        seen.headers.get("accept-encoding").map(String::as_str),
        Some("identity"),
        "the bytes kept must be the server's file, not a decoding"
    );
    assert!(seen.headers["user-agent"].starts_with("Pustaka/"));
    assert_eq!(seen.headers.get("range"), None);

    let (r2, _) = run(std::slice::from_ref(&src), &out);
    assert_eq!(
        server.requests(),
        1,
        "an unchanged source must not touch the network"
    );
    assert!(r2.fetched.is_empty() && r2.failed.is_empty());
    assert_eq!(r2.unchanged.len(), 1);
    assert!(r2.unchanged[0].verified);
    assert_eq!(r2.unchanged[0].sha256, sum);
    assert_content(&path, &bytes);
}

#[test]
fn without_a_checksum_a_second_run_downloads_again_and_finds_it_unchanged() {
    let server = Server::start();
    let bytes = b"<html><body><h1>Operational Guidelines</h1></body></html>".to_vec();
    server.route(
        "/guidelines",
        Route::File {
            body: body(bytes.clone(), "text/html; charset=utf-8", "g1"),
            ranges: true,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let src = source("guidelines", &server.url("/guidelines"), None);
    let (r, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r.fetched.len(), 1);
    assert!(!r.fetched[0].verified);
    assert_eq!(r.fetched[0].sha256, sha256(&bytes));
    let (r2, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(server.requests(), 2);
    assert_eq!(r2.unchanged.len(), 1);
    assert!(!r2.unchanged[0].verified);

    // The server's file changes: the next run replaces it.
    let newer = b"<html><body><h1>Operational Guidelines, 2025</h1></body></html>".to_vec();
    server.route(
        "/guidelines",
        Route::File {
            body: body(newer.clone(), "text/html", "g2"),
            ranges: true,
        },
    );
    let (r3, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r3.fetched.len(), 1);
    assert_content(dir.path().join("guidelines.html"), &newer);
    assert_eq!(
        entries(dir.path()),
        ["guidelines.html", "guidelines.html.meta.toml"]
    );
}

#[test]
fn a_wrong_checksum_fails_and_leaves_nothing() {
    let server = Server::start();
    let bytes = fixture(50_000, 2);
    server.route(
        "/report.pdf",
        Route::File {
            body: body(bytes, "application/pdf", "r1"),
            ranges: true,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let wrong = sha256(b"some other file");
    let src = source("report", &server.url("/report.pdf"), Some(wrong.clone()));
    let (r, events) = run(&[src], dir.path());
    assert!(r.fetched.is_empty() && r.unchanged.is_empty());
    assert_eq!(r.failed.len(), 1);
    let f = &r.failed[0];
    assert_eq!(f.kind, FailureKind::Checksum);
    assert!(f.error.contains("checksum"), "{}", f.error);
    assert!(f.error.contains(&wrong), "{}", f.error);
    assert!(!f.error.contains('\n'));
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
    assert!(matches!(
        events.last(),
        Some(FetchEvent::Finished {
            outcome: FetchOutcome::Failed,
            reason: Some(_),
            ..
        })
    ));
}

#[test]
fn http_errors_are_named_and_nothing_is_written() {
    let server = Server::start();
    server.route("/gone", Route::Status(404));
    server.route("/broken", Route::Status(500));
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = run(
        &[
            source("gone", &server.url("/gone"), None),
            source("broken", &server.url("/broken"), Some(sha256(b"x"))),
        ],
        dir.path(),
    );
    assert!(r.fetched.is_empty());
    let errors: Vec<(&str, FailureKind, &str)> = r
        .failed
        .iter()
        .map(|f| (f.id.as_str(), f.kind, f.error.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("gone", FailureKind::HttpStatus, "HTTP 404 Not Found"),
            (
                "broken",
                FailureKind::HttpStatus,
                "HTTP 500 Internal Server Error"
            ),
        ]
    );
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn a_stalled_download_keeps_its_part_and_the_next_run_resumes_with_range() {
    let server = Server::start();
    let bytes = fixture(300_000, 3);
    let sum = sha256(&bytes);
    let b = body(bytes.clone(), "application/pdf", "stall-v1");
    server.route(
        "/big.pdf",
        Route::Stall {
            body: b.clone(),
            send: 40_000,
            sleep: Duration::from_secs(6),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let src = source("big", &server.url("/big.pdf"), Some(sum.clone()));

    let t = Instant::now();
    let (r, _) = run(std::slice::from_ref(&src), dir.path());
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(r.failed.len(), 1, "{r:?}");
    assert_eq!(r.failed[0].kind, FailureKind::Stalled);
    assert_eq!(r.failed[0].error, "the server stopped sending data for 1 s");
    assert!(!dir.path().join("big.pdf").exists());
    let p = part(dir.path(), "big", "pdf");
    assert_content(&p, &bytes[..40_000]);

    server.route(
        "/big.pdf",
        Route::File {
            body: b,
            ranges: true,
        },
    );
    let (r2, events) = run(std::slice::from_ref(&src), dir.path());
    assert!(r2.failed.is_empty(), "{:?}", r2.failed);
    assert_eq!(r2.fetched.len(), 1);
    assert!(r2.fetched[0].verified);
    assert_eq!(r2.fetched[0].sha256, sum);
    assert_eq!(r2.fetched[0].bytes, 300_000);
    assert_content(dir.path().join("big.pdf"), &bytes);
    assert_eq!(entries(dir.path()), ["big.pdf", "big.pdf.meta.toml"]);

    let seen = server.seen("/big.pdf");
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].headers.get("range"), None);
    assert_eq!(
        seen[1].headers.get("range").map(String::as_str),
        Some("bytes=40000-")
    );
    assert_eq!(
        seen[1].headers.get("if-range").map(String::as_str),
        Some("\"stall-v1\"")
    );
    let first = events.iter().find_map(|e| match e {
        FetchEvent::Progress { bytes, .. } => Some(*bytes),
        _ => None,
    });
    assert_eq!(first, Some(40_000), "a resume starts from what is on disk");
}

#[test]
fn a_truncated_download_is_cut_short_then_resumes() {
    let server = Server::start();
    let bytes = fixture(5000, 4);
    let sum = sha256(&bytes);
    let b = body(bytes.clone(), "text/plain", "t1");
    server.route(
        "/notes.txt",
        Route::Truncate {
            body: b.clone(),
            send: 1000,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let src = source("notes", &server.url("/notes.txt"), Some(sum.clone()));
    let (r, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r.failed.len(), 1, "{r:?}");
    assert_eq!(r.failed[0].kind, FailureKind::CutShort);
    assert_eq!(
        r.failed[0].error,
        "the download was cut short: 1000 of 5000 bytes"
    );
    assert_content(part(dir.path(), "notes", "txt"), &bytes[..1000]);
    assert!(!dir.path().join("notes.txt").exists());

    server.route(
        "/notes.txt",
        Route::File {
            body: b,
            ranges: true,
        },
    );
    let (r2, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r2.fetched.len(), 1, "{r2:?}");
    assert_eq!(r2.fetched[0].sha256, sum);
    assert_content(dir.path().join("notes.txt"), &bytes);
    let seen = server.seen("/notes.txt");
    assert_eq!(
        seen[1].headers.get("range").map(String::as_str),
        Some("bytes=1000-")
    );
    assert_eq!(entries(dir.path()), ["notes.txt", "notes.txt.meta.toml"]);
}

#[test]
fn a_server_ignoring_range_sends_the_whole_file_which_is_not_appended() {
    let server = Server::start();
    let bytes = fixture(20_000, 5);
    let b = body(bytes.clone(), "application/pdf", "i1");
    server.route(
        "/whole.pdf",
        Route::Truncate {
            body: b.clone(),
            send: 7000,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    // No checksum: only the downloader's own care keeps the file right.
    let src = source("whole", &server.url("/whole.pdf"), None);
    let (r, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r.failed[0].kind, FailureKind::CutShort);

    server.route(
        "/whole.pdf",
        Route::File {
            body: b,
            ranges: false,
        },
    );
    let (r2, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r2.fetched.len(), 1, "{r2:?}");
    assert_eq!(r2.fetched[0].bytes, 20_000);
    assert_content(dir.path().join("whole.pdf"), &bytes);
    assert_eq!(r2.fetched[0].sha256, sha256(&bytes));
    let seen = server.seen("/whole.pdf");
    assert_eq!(
        seen[1].headers.get("range").map(String::as_str),
        Some("bytes=7000-")
    );
}

#[test]
fn a_file_changed_on_the_server_is_not_spliced_onto_the_old_part() {
    let server = Server::start();
    let old = fixture(10_000, 6);
    let new = fixture(12_000, 7);
    server.route(
        "/text.pdf",
        Route::Truncate {
            body: body(old, "application/pdf", "old"),
            send: 3000,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let src = source("text", &server.url("/text.pdf"), None);
    let (r, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r.failed[0].kind, FailureKind::CutShort);

    // The new file has another ETag, so If-Range fails and the server sends it whole.
    server.route(
        "/text.pdf",
        Route::File {
            body: body(new.clone(), "application/pdf", "new"),
            ranges: true,
        },
    );
    let (r2, _) = run(std::slice::from_ref(&src), dir.path());
    assert_eq!(r2.fetched.len(), 1, "{r2:?}");
    assert_content(dir.path().join("text.pdf"), &new);
    let seen = server.seen("/text.pdf");
    assert_eq!(
        seen[1].headers.get("if-range").map(String::as_str),
        Some("\"old\"")
    );
}

#[test]
fn one_bad_source_does_not_stop_the_batch() {
    let server = Server::start();
    let a = b"First document.\n".to_vec();
    let c = b"# Third\n\nText.\n".to_vec();
    server.route(
        "/a",
        Route::File {
            body: body(a.clone(), "text/plain", "a"),
            ranges: true,
        },
    );
    server.route("/b", Route::Status(500));
    server.route(
        "/c.md",
        Route::File {
            body: Body {
                bytes: Arc::new(c.clone()),
                content_type: "application/octet-stream",
                etag: None,
            },
            ranges: true,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let sources = [
        source("a", &server.url("/a"), Some(sha256(&a))),
        source("b", &server.url("/b"), None),
        source("c", &server.url("/c.md"), None),
        source("d", "file:///etc/passwd", None),
    ];
    let (r, events) = run(&sources, dir.path());
    let fetched: Vec<&str> = r.fetched.iter().map(|f| f.id.as_str()).collect();
    let failed: Vec<&str> = r.failed.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(fetched, ["a", "c"]);
    assert_eq!(failed, ["b", "d"]);
    assert!(!r.cancelled);
    assert_content(dir.path().join("a.txt"), &a);
    assert_content(dir.path().join("c.md"), &c);
    let finished: Vec<(usize, FetchOutcome)> = events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Finished { index, outcome, .. } => Some((*index, *outcome)),
            _ => None,
        })
        .collect();
    assert_eq!(
        finished,
        [
            (0, FetchOutcome::Fetched),
            (1, FetchOutcome::Failed),
            (2, FetchOutcome::Fetched),
            (3, FetchOutcome::Failed),
        ]
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["failed"][0]["kind"], "http_status");
    assert_eq!(json["failed"][0]["error"], "HTTP 500 Internal Server Error");
}

#[test]
fn a_non_http_address_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "not for the library").unwrap();
    let out = dir.path().join("out");
    let url = format!("file://{}", secret.display());
    let (r, _) = run(
        &[
            source("passwd", "file:///etc/passwd", None),
            source("secret", &url, None),
            source("ftp", "ftp://example.org/a.pdf", None),
        ],
        &out,
    );
    assert!(r.fetched.is_empty() && r.unchanged.is_empty());
    assert_eq!(r.failed.len(), 3);
    for f in &r.failed {
        assert_eq!(f.kind, FailureKind::UnsupportedAddress);
        assert!(f.error.contains("only http and https"), "{}", f.error);
    }
    assert!(entries(&out).is_empty(), "{:?}", entries(&out));
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let server = Server::start();
    server.route(
        "/huge.pdf",
        Route::File {
            body: body(fixture(10_000, 8), "application/pdf", "h"),
            ranges: true,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = FetchConfig {
        max_bytes: 4096,
        ..config()
    };
    let (r, _) = run_with(
        &[source("huge", &server.url("/huge.pdf"), None)],
        dir.path(),
        &cfg,
        &CancelFlag::new(),
        |_| {},
    );
    assert_eq!(r.failed.len(), 1);
    assert_eq!(r.failed[0].kind, FailureKind::TooLarge);
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn cancelling_keeps_the_part_and_the_next_run_resumes() {
    let server = Server::start();
    let bytes = fixture(2_000_000, 9);
    let sum = sha256(&bytes);
    let b = body(bytes.clone(), "application/pdf", "c1");
    server.route(
        "/long.pdf",
        Route::File {
            body: b,
            ranges: true,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let sources = [
        source("long", &server.url("/long.pdf"), Some(sum.clone())),
        source("never", &server.url("/never"), None),
    ];
    let cancel = CancelFlag::new();
    let flag = cancel.clone();
    let (r, events) = run_with(&sources, dir.path(), &config(), &cancel, |e| {
        if let FetchEvent::Progress { bytes, .. } = e
            && *bytes > 0
        {
            flag.cancel();
        }
    });
    assert!(r.cancelled);
    assert!(r.fetched.is_empty() && r.failed.is_empty() && r.unchanged.is_empty());
    assert!(matches!(
        events.last(),
        Some(FetchEvent::Finished {
            outcome: FetchOutcome::Cancelled,
            ..
        })
    ));
    assert!(server.seen("/never").is_empty());
    let kept = std::fs::read(part(dir.path(), "long", "pdf")).unwrap();
    assert!(
        !kept.is_empty() && kept.len() < bytes.len(),
        "{}",
        kept.len()
    );
    assert!(
        kept == bytes[..kept.len()],
        "the part is not the file's beginning"
    );

    let (r2, _) = run(&sources[..1], dir.path());
    assert_eq!(r2.fetched.len(), 1, "{r2:?}");
    assert_eq!(r2.fetched[0].sha256, sum);
    assert_content(dir.path().join("long.pdf"), &bytes);
    let seen = server.seen("/long.pdf");
    assert_eq!(
        seen[1].headers.get("range"),
        Some(&format!("bytes={}-", kept.len()))
    );
}

//! Downloads the official documents a `sources.toml` lists: what `pustaka corpus fetch` runs.
//!
//! [`fetch`] takes the [`Source`]s (see [`pustaka_core::corpus::SourcesFile::load`]) and an
//! output folder, and downloads each source to `<out>/<id>.<ext>` with a sidecar
//! `<id>.<ext>.meta.toml` beside it (title, kind, instrument, language, source_url, licence),
//! so the folder can be given to `pustaka add` as it is.
//!
//! # Design
//!
//! - **One source at a time, each failing alone.** A 404, a wrong checksum or a stalled server
//!   fails that source with a one-line reason ([`FetchFailure`]) and the batch goes on. [`fetch`]
//!   returns `Err` only for faults of the output folder (it cannot be created, a file in it
//!   cannot be written: a full disk), which would fail every source the same way.
//! - **Nothing half-done under a document's name.** Bytes stream into a hidden
//!   `.<id>.<ext>.part` while the SHA-256 is computed. Only when the body is complete (as long
//!   as `Content-Length` or `Content-Range` said, when they said) and the checksum matches (when
//!   `sources.toml` gives one) is the part fsynced and renamed to `<id>.<ext>`. The partial
//!   files are hidden so that `pustaka add` on the folder never sees them.
//! - **Resumable, never spliced.** Beside the part, `.<id>.<ext>.part.json` records the address
//!   and the validators the server sent (`ETag`, `Last-Modified`). A download cut short or
//!   stalled keeps both; the next run asks for the rest with `Range: bytes=N-` and
//!   `If-Range: <validator>`, so a server whose file changed sends the whole new file (200),
//!   which replaces the part. A 206 is accepted only when its `Content-Range` starts at `N` (and
//!   its `ETag`, if any, is the recorded one); a 416 whose `Content-Range: bytes */N` says the
//!   part is already whole finishes it; anything else starts over. A part whose server gave no
//!   usable validator (none, or only a weak `ETag`), or whose body was content-encoded, cannot be
//!   resumed safely: it is deleted when its download fails and ignored by the next run.
//! - **Checksums.** A wrong SHA-256 deletes the part (a retry would fetch the same bytes) and
//!   fails the source. A source whose file is already there and matches its expected SHA-256 is
//!   `unchanged` without any network use. Without an expected SHA-256 the file is downloaded
//!   again (no conditional request: nothing beside the document records its validators); when
//!   the new bytes equal the file already there the source is `unchanged` and the file is left
//!   alone, otherwise it is replaced. Record a `sha256` in `sources.toml` to avoid the download.
//! - **Timeouts.** Connecting (name resolution and TCP/TLS set-up) is bounded by
//!   [`FetchConfig::connect_timeout`]. After that each single read from the network is bounded by
//!   [`FetchConfig::stall_timeout`] (ureq's `timeout_per_read`): a server that stops sending is
//!   given up on, while a big file on a slow but live link is not, as there is no total limit.
//! - **Size.** A body larger than [`FetchConfig::max_bytes`] is refused (from `Content-Length`
//!   before anything is written, or while streaming).
//! - **File type.** `<ext>` comes from the `Content-Type` (PDF, HTML, DOCX, plain text,
//!   Markdown), else from the address's path, else `html`. When a source's new file has another
//!   type than the one fetched before, the older `<id>.<other>` and its sidecar are removed.
//! - **Only `http` and `https`** addresses are fetched; redirects are followed (at most 10).
//!   `Accept-Encoding: identity` is sent, so the bytes kept are the server's file.
//! - **Cancellation** is checked between sources and between reads (so, when a server is stalled,
//!   after at most the stall timeout). The interrupted download's part is kept for the next run;
//!   the report says `cancelled` and lists only the sources finished before.
//!
//! A body with neither `Content-Length` nor chunked framing ends when the server closes the
//! connection; its truncation cannot be seen, which only an expected SHA-256 guards against.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use pustaka_core::corpus::Source;
use pustaka_core::{CancelFlag, Error, Result};
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};
use ureq::http::{HeaderMap, StatusCode, header};

/// Limits and identity of the downloader.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Longest wait for resolving the host and setting up the connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Longest wait for any single read from the server (headers or body): when no byte arrives
    /// for this long the download fails as stalled. There is no limit on the total time.
    pub stall_timeout: Duration,
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// Go through the proxy that `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` name (as offices
    /// often require); off in tests that talk to a local server.
    pub env_proxy: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(15),
            stall_timeout: Duration::from_secs(30),
            max_bytes: 512 * 1024 * 1024,
            user_agent: format!("Pustaka/{} (corpus fetch)", env!("CARGO_PKG_VERSION")),
            env_proxy: true,
        }
    }
}

/// Progress of a batch, for a progress bar or JSON lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FetchEvent {
    /// About to look at source `index` (0-based) of `total`.
    Started {
        index: usize,
        total: usize,
        id: String,
        url: String,
    },
    /// `bytes` of the file are on disk (a resumed download starts above 0); `total` is the
    /// file's size when the server said it.
    Progress {
        id: String,
        bytes: u64,
        total: Option<u64>,
    },
    /// Done with that source; `reason` says why when it failed.
    Finished {
        index: usize,
        total: usize,
        id: String,
        outcome: FetchOutcome,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// How one source ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchOutcome {
    Fetched,
    Unchanged,
    Failed,
    /// The batch was cancelled during this source; its partial download is kept.
    Cancelled,
}

/// What a batch did, source by source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchReport {
    /// Downloaded (new, or replacing a different file).
    pub fetched: Vec<Fetched>,
    /// Already there: matching the expected SHA-256 (no network use), or downloaded again and
    /// found identical.
    pub unchanged: Vec<Fetched>,
    pub failed: Vec<FetchFailure>,
    /// The batch was cancelled; sources not listed were not finished.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
}

/// A source whose file is in the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fetched {
    pub id: String,
    pub url: String,
    /// The document (its sidecar is this path with `.meta.toml` added).
    #[serde(serialize_with = "display_path")]
    pub path: PathBuf,
    pub bytes: u64,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// `sources.toml` gave a SHA-256 and the file matches it.
    pub verified: bool,
}

/// A source that could not be fetched, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchFailure {
    pub id: String,
    pub url: String,
    pub kind: FailureKind,
    /// One line, e.g. "HTTP 404 Not Found", "checksum mismatch: expected …, got …".
    pub error: String,
}

/// The class of a failure, for programs; [`FetchFailure::error`] is the sentence for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The source itself is unusable: an id unsafe as a file name, a malformed SHA-256.
    InvalidSource,
    /// Not an `http` or `https` address, or not a valid one.
    UnsupportedAddress,
    /// The host could not be found or reached.
    Connect,
    /// The server answered with an error status (or one that is not a download).
    HttpStatus,
    /// The server stopped sending data for longer than the stall timeout.
    Stalled,
    /// The connection ended before the whole file arrived.
    CutShort,
    /// The file does not match the expected SHA-256.
    Checksum,
    /// The file is larger than [`FetchConfig::max_bytes`].
    TooLarge,
    /// Any other network or protocol fault.
    Network,
}

fn display_path<S: Serializer>(p: &Path, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// The file types a download may be saved as (all of them read by `pustaka add`).
const EXTENSIONS: [&str; 5] = ["pdf", "html", "docx", "txt", "md"];

/// How often (in bytes) a [`FetchEvent::Progress`] is sent while streaming.
const PROGRESS_EVERY: u64 = 256 * 1024;

/// Downloads every source into `out_dir` (created if missing). Each source succeeds or fails
/// alone; `Err` only when the output folder cannot be created or written to. See the module
/// documentation for the rules.
pub fn fetch(
    sources: &[Source],
    out_dir: &Path,
    cfg: &FetchConfig,
    on_event: &mut dyn FnMut(&FetchEvent),
    cancel: &CancelFlag,
) -> Result<FetchReport> {
    std::fs::create_dir_all(out_dir).map_err(|e| io_error("cannot create", out_dir, e))?;
    let agent = agent(cfg);
    let mut report = FetchReport::default();
    let total = sources.len();
    for (index, src) in sources.iter().enumerate() {
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
        on_event(&FetchEvent::Started {
            index,
            total,
            id: src.id.clone(),
            url: src.url.clone(),
        });
        let job = Job {
            agent: &agent,
            src,
            out_dir,
            cfg,
            cancel,
        };
        let step = job.run(on_event)?;
        let (outcome, reason) = match step {
            Step::Fetched(f) => {
                report.fetched.push(f);
                (FetchOutcome::Fetched, None)
            }
            Step::Unchanged(f) => {
                report.unchanged.push(f);
                (FetchOutcome::Unchanged, None)
            }
            Step::Failed(kind, error) => {
                report.failed.push(FetchFailure {
                    id: src.id.clone(),
                    url: src.url.clone(),
                    kind,
                    error: error.clone(),
                });
                (FetchOutcome::Failed, Some(error))
            }
            Step::Cancelled => {
                report.cancelled = true;
                (FetchOutcome::Cancelled, None)
            }
        };
        on_event(&FetchEvent::Finished {
            index,
            total,
            id: src.id.clone(),
            outcome,
            reason,
        });
        if report.cancelled {
            break;
        }
    }
    Ok(report)
}

fn agent(cfg: &FetchConfig) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        // Statuses are read here: 206 and 416 matter for resuming, and errors are named.
        .http_status_as_error(false)
        .user_agent(cfg.user_agent.as_str())
        // The bytes kept (and checksummed, and resumed) are the server's file, not a decoding.
        .accept_encoding("identity")
        .max_redirects(10)
        .timeout_resolve(Some(cfg.connect_timeout))
        .timeout_connect(Some(cfg.connect_timeout))
        .timeout_per_read(Some(cfg.stall_timeout))
        .timeout_per_write(Some(cfg.stall_timeout))
        .proxy(if cfg.env_proxy {
            ureq::Proxy::try_from_env()
        } else {
            None
        })
        .build();
    ureq::Agent::new_with_config(config)
}

/// How one source ended, before it is put in the report.
enum Step {
    Fetched(Fetched),
    Unchanged(Fetched),
    Failed(FailureKind, String),
    Cancelled,
}

/// What `.<id>.<ext>.part.json` records about the download in `.<id>.<ext>.part`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PartState {
    url: String,
    ext: String,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    last_modified: Option<String>,
}

impl PartState {
    /// The `If-Range` value that makes a resume safe: a strong ETag, else Last-Modified.
    fn validator(&self) -> Option<&str> {
        self.etag
            .as_deref()
            .filter(|e| !e.starts_with("W/"))
            .or(self.last_modified.as_deref())
    }
}

/// A partial download found on disk that can be resumed.
struct Partial {
    ext: String,
    len: u64,
    state: PartState,
}

/// How the body of a response ended.
enum StreamEnd {
    Complete { bytes: u64, sha256: String },
    Failed(FailureKind, String),
    Cancelled,
}

struct Job<'a> {
    agent: &'a ureq::Agent,
    src: &'a Source,
    out_dir: &'a Path,
    cfg: &'a FetchConfig,
    cancel: &'a CancelFlag,
}

impl Job<'_> {
    fn final_path(&self, ext: &str) -> PathBuf {
        self.out_dir.join(format!("{}.{ext}", self.src.id))
    }
    fn part_path(&self, ext: &str) -> PathBuf {
        self.out_dir.join(format!(".{}.{ext}.part", self.src.id))
    }
    fn state_path(&self, ext: &str) -> PathBuf {
        self.out_dir
            .join(format!(".{}.{ext}.part.json", self.src.id))
    }

    fn expected(&self) -> Option<String> {
        self.src.sha256.as_ref().map(|h| h.to_ascii_lowercase())
    }

    fn run(&self, on_event: &mut dyn FnMut(&FetchEvent)) -> Result<Step> {
        if !is_safe_id(&self.src.id) {
            return Ok(Step::Failed(
                FailureKind::InvalidSource,
                format!(
                    "the id \"{}\" cannot name a file (use lower-case letters, digits and '-')",
                    self.src.id
                ),
            ));
        }
        if let Some(h) = &self.src.sha256
            && !(h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Ok(Step::Failed(
                FailureKind::InvalidSource,
                format!("the expected sha256 \"{h}\" is not 64 hex digits"),
            ));
        }
        if let Err(reason) = check_address(&self.src.url) {
            return Ok(Step::Failed(FailureKind::UnsupportedAddress, reason));
        }
        if let Some(expected) = self.expected() {
            for ext in EXTENSIONS {
                let path = self.final_path(ext);
                if !path.is_file() {
                    continue;
                }
                let (bytes, sha256) = hash_file(&path)?;
                if sha256 == expected {
                    self.write_sidecar(&path)?;
                    return Ok(Step::Unchanged(self.fetched(path, bytes, sha256, true)));
                }
            }
        }
        let mut partial = self.find_partial()?;
        // Two rounds at most: a resume the server answers badly is retried from the start.
        for _ in 0..2 {
            if self.cancel.is_cancelled() {
                return Ok(Step::Cancelled);
            }
            let mut req = self.agent.get(self.src.url.as_str());
            if let Some(p) = &partial {
                req = req.header(header::RANGE, format!("bytes={}-", p.len));
                if let Some(v) = p.state.validator() {
                    req = req.header(header::IF_RANGE, v);
                }
            }
            let resp = match req.call() {
                Ok(r) => r,
                Err(e) => {
                    let (kind, msg) = self.call_error(e);
                    return Ok(Step::Failed(kind, msg));
                }
            };
            let status = resp.status();
            let headers = resp.headers().clone();
            match (status, partial.take()) {
                (StatusCode::PARTIAL_CONTENT, Some(p)) => {
                    let range =
                        header_str(&headers, header::CONTENT_RANGE).and_then(parse_content_range);
                    let etag_ok = match (header_str(&headers, header::ETAG), &p.state.etag) {
                        (Some(now), Some(then)) => now == then,
                        _ => true,
                    };
                    match range {
                        Some((start, complete)) if start == p.len && etag_ok => {
                            let total = complete
                                .or_else(|| resp.body().content_length().map(|n| start + n));
                            if let Some(t) = total
                                && t > self.cfg.max_bytes
                            {
                                self.remove_partial(&p.ext)?;
                                return Ok(self.too_large(t));
                            }
                            let end = self.stream(resp, &p.ext, p.len, total, on_event)?;
                            return self.conclude(&p.ext, end, p.state.validator().is_some());
                        }
                        _ => {
                            drop(resp);
                            self.remove_partial(&p.ext)?;
                        }
                    }
                }
                (StatusCode::RANGE_NOT_SATISFIABLE, Some(p)) => {
                    drop(resp);
                    let whole = header_str(&headers, header::CONTENT_RANGE)
                        .and_then(|v| v.trim().strip_prefix("bytes */"))
                        .and_then(|t| t.trim().parse::<u64>().ok());
                    if whole == Some(p.len) {
                        // The part was whole already (a run stopped before renaming it).
                        let (bytes, sha256) = hash_file(&self.part_path(&p.ext))?;
                        return self.conclude(&p.ext, StreamEnd::Complete { bytes, sha256 }, true);
                    }
                    self.remove_partial(&p.ext)?;
                }
                (StatusCode::OK, old) => {
                    if let Some(p) = old {
                        // A new file (If-Range did not match) or a server ignoring Range.
                        self.remove_partial(&p.ext)?;
                    }
                    return self.download_whole(resp, &headers, on_event);
                }
                // A partial download from before stays on disk for a later run.
                (status, _) => {
                    return Ok(Step::Failed(
                        FailureKind::HttpStatus,
                        describe_status(status),
                    ));
                }
            }
        }
        Ok(Step::Failed(
            FailureKind::Network,
            "the server did not answer a request for the rest of the file correctly".into(),
        ))
    }

    /// A 200: the whole file, into a fresh part.
    fn download_whole(
        &self,
        resp: ureq::http::Response<ureq::Body>,
        headers: &HeaderMap,
        on_event: &mut dyn FnMut(&FetchEvent),
    ) -> Result<Step> {
        let ext = extension_for(header_str(headers, header::CONTENT_TYPE), &self.src.url);
        let total = resp.body().content_length();
        if let Some(t) = total
            && t > self.cfg.max_bytes
        {
            return Ok(self.too_large(t));
        }
        self.remove_partial(ext)?;
        let encoded = header_str(headers, header::CONTENT_ENCODING)
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity"));
        let validator = |h| {
            header_str(headers, h)
                .filter(|_| !encoded)
                .map(|v| v.trim().to_string())
        };
        let state = PartState {
            url: self.src.url.clone(),
            ext: ext.to_string(),
            etag: validator(header::ETAG),
            last_modified: validator(header::LAST_MODIFIED),
        };
        let resumable = state.validator().is_some();
        let json = serde_json::to_vec_pretty(&state).unwrap_or_default();
        let state_path = self.state_path(ext);
        pustaka_core::fsutil::write_whole(&state_path, &json)
            .map_err(|e| io_error("cannot write", &state_path, e))?;
        let end = self.stream(resp, ext, 0, total, on_event)?;
        self.conclude(ext, end, resumable)
    }

    /// Streams the body onto the part (after its first `offset` bytes), hashing the whole.
    fn stream(
        &self,
        resp: ureq::http::Response<ureq::Body>,
        ext: &str,
        offset: u64,
        total: Option<u64>,
        on_event: &mut dyn FnMut(&FetchEvent),
    ) -> Result<StreamEnd> {
        let part_path = self.part_path(ext);
        let mut hasher = Sha256::new();
        let mut file = if offset > 0 {
            let mut f =
                File::open(&part_path).map_err(|e| io_error("cannot read", &part_path, e))?;
            let n = std::io::copy(&mut (&mut f).take(offset), &mut HashWriter(&mut hasher))
                .map_err(|e| io_error("cannot read", &part_path, e))?;
            if n != offset {
                return Err(io_error(
                    "cannot read",
                    &part_path,
                    std::io::Error::other("the partial download changed while being resumed"),
                ));
            }
            OpenOptions::new()
                .append(true)
                .open(&part_path)
                .map_err(|e| io_error("cannot write", &part_path, e))?
        } else {
            File::create(&part_path).map_err(|e| io_error("cannot write", &part_path, e))?
        };
        let id = &self.src.id;
        let mut bytes = offset;
        let mut shown = offset;
        on_event(&FetchEvent::Progress {
            id: id.clone(),
            bytes,
            total,
        });
        let mut reader = resp.into_body().into_reader();
        let mut buf = vec![0u8; 64 * 1024];
        let failure = loop {
            if self.cancel.is_cancelled() {
                file.sync_all()
                    .map_err(|e| io_error("cannot write", &part_path, e))?;
                return Ok(StreamEnd::Cancelled);
            }
            let n = match reader.read(&mut buf) {
                Ok(0) => break None,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => break Some(self.read_error(e, bytes, total)),
            };
            if bytes + n as u64 > self.cfg.max_bytes {
                drop(file);
                self.remove_partial(ext)?;
                return Ok(StreamEnd::Failed(
                    FailureKind::TooLarge,
                    format!(
                        "the file is larger than the limit of {}",
                        size(self.cfg.max_bytes)
                    ),
                ));
            }
            file.write_all(&buf[..n])
                .map_err(|e| io_error("cannot write", &part_path, e))?;
            hasher.update(&buf[..n]);
            bytes += n as u64;
            if bytes - shown >= PROGRESS_EVERY {
                shown = bytes;
                on_event(&FetchEvent::Progress {
                    id: id.clone(),
                    bytes,
                    total,
                });
            }
        };
        file.sync_all()
            .map_err(|e| io_error("cannot write", &part_path, e))?;
        if let Some((kind, msg)) = failure {
            return Ok(StreamEnd::Failed(kind, msg));
        }
        if let Some(t) = total
            && bytes < t
        {
            return Ok(StreamEnd::Failed(
                FailureKind::CutShort,
                format!("the download was cut short: {bytes} of {t} bytes"),
            ));
        }
        if shown != bytes {
            on_event(&FetchEvent::Progress {
                id: id.clone(),
                bytes,
                total,
            });
        }
        Ok(StreamEnd::Complete {
            bytes,
            sha256: data_encoding::HEXLOWER.encode(&hasher.finalize()),
        })
    }

    /// After the body: checks the checksum and renames the part into place, or keeps or drops
    /// the part of a failed download.
    fn conclude(&self, ext: &str, end: StreamEnd, resumable: bool) -> Result<Step> {
        let (bytes, sha256) = match end {
            StreamEnd::Complete { bytes, sha256 } => (bytes, sha256),
            StreamEnd::Failed(kind, msg) => {
                if !resumable {
                    self.remove_partial(ext)?;
                }
                return Ok(Step::Failed(kind, msg));
            }
            StreamEnd::Cancelled => {
                if !resumable {
                    self.remove_partial(ext)?;
                }
                return Ok(Step::Cancelled);
            }
        };
        let expected = self.expected();
        if let Some(want) = &expected
            && *want != sha256
        {
            self.remove_partial(ext)?;
            return Ok(Step::Failed(
                FailureKind::Checksum,
                format!("checksum mismatch: expected {want}, got {sha256}"),
            ));
        }
        let verified = expected.is_some();
        let part = self.part_path(ext);
        let path = self.final_path(ext);
        if expected.is_none() && path.is_file() && hash_file(&path)?.1 == sha256 {
            self.remove_partial(ext)?;
            self.write_sidecar(&path)?;
            return Ok(Step::Unchanged(self.fetched(path, bytes, sha256, false)));
        }
        std::fs::rename(&part, &path).map_err(|e| io_error("cannot write", &path, e))?;
        sync_dir(self.out_dir);
        remove_if_exists(&self.state_path(ext))?;
        // The same source saved under another type before: the new file replaces it.
        for other in EXTENSIONS.iter().filter(|e| **e != ext) {
            let old = self.final_path(other);
            if old.is_file() {
                remove_if_exists(&old)?;
                remove_if_exists(&sidecar_path(&old))?;
            }
        }
        self.write_sidecar(&path)?;
        Ok(Step::Fetched(self.fetched(path, bytes, sha256, verified)))
    }

    fn fetched(&self, path: PathBuf, bytes: u64, sha256: String, verified: bool) -> Fetched {
        Fetched {
            id: self.src.id.clone(),
            url: self.src.url.clone(),
            path,
            bytes,
            sha256,
            verified,
        }
    }

    fn too_large(&self, t: u64) -> Step {
        Step::Failed(
            FailureKind::TooLarge,
            format!(
                "the file is {}, more than the limit of {}",
                size(t),
                size(self.cfg.max_bytes)
            ),
        )
    }

    /// The one resumable partial download of this source, if any; partial files that cannot be
    /// resumed (another address, no validator, no record, empty) are deleted.
    fn find_partial(&self) -> Result<Option<Partial>> {
        let mut found = None;
        for ext in EXTENSIONS {
            let part = self.part_path(ext);
            let state_path = self.state_path(ext);
            let len = std::fs::metadata(&part)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            let state = std::fs::read(&state_path)
                .ok()
                .and_then(|b| serde_json::from_slice::<PartState>(&b).ok());
            match (len, state) {
                (Some(len), Some(state))
                    if found.is_none()
                        && len > 0
                        && state.url == self.src.url
                        && state.ext == ext
                        && state.validator().is_some() =>
                {
                    found = Some(Partial {
                        ext: ext.to_string(),
                        len,
                        state,
                    });
                }
                _ => self.remove_partial(ext)?,
            }
        }
        Ok(found)
    }

    fn remove_partial(&self, ext: &str) -> Result<()> {
        remove_if_exists(&self.part_path(ext))?;
        remove_if_exists(&self.state_path(ext))
    }

    /// Writes the sidecar beside `doc` unless it already says the same.
    fn write_sidecar(&self, doc: &Path) -> Result<()> {
        #[derive(Serialize)]
        struct Sidecar<'a> {
            title: &'a str,
            kind: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            instrument: Option<&'a str>,
            language: &'a str,
            source_url: &'a str,
            licence: &'a str,
        }
        let s = self.src;
        let body = toml::to_string(&Sidecar {
            title: &s.title,
            kind: &s.kind,
            instrument: s.instrument.as_deref(),
            language: &s.language,
            source_url: &s.url,
            licence: &s.licence,
        })
        .map_err(|e| Error::InvalidInput(format!("cannot write the sidecar of {}: {e}", s.id)))?;
        let text = format!("# Written by `pustaka corpus fetch` from sources.toml.\n{body}");
        let path = sidecar_path(doc);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        pustaka_core::fsutil::write_whole(&path, text.as_bytes())
            .map_err(|e| io_error("cannot write", &path, e))
    }

    /// The reason for an error before the response (connecting, the headers).
    fn call_error(&self, e: ureq::Error) -> (FailureKind, String) {
        let host = self
            .src
            .url
            .parse::<ureq::http::Uri>()
            .ok()
            .and_then(|u| u.host().map(str::to_string))
            .unwrap_or_else(|| self.src.url.clone());
        match e {
            ureq::Error::Timeout(t) => match t {
                ureq::Timeout::Connect | ureq::Timeout::Resolve => (
                    FailureKind::Connect,
                    format!(
                        "cannot connect: no answer from {host} within {}",
                        secs(self.cfg.connect_timeout)
                    ),
                ),
                _ => (FailureKind::Stalled, self.stalled()),
            },
            ureq::Error::HostNotFound => (
                FailureKind::Connect,
                format!("cannot connect: host {host} not found"),
            ),
            ureq::Error::ConnectionFailed => {
                (FailureKind::Connect, format!("cannot connect to {host}"))
            }
            ureq::Error::Io(e) => {
                use std::io::ErrorKind as K;
                match e.kind() {
                    K::ConnectionRefused
                    | K::AddrNotAvailable
                    | K::NetworkUnreachable
                    | K::HostUnreachable
                    | K::NetworkDown => (
                        FailureKind::Connect,
                        format!("cannot connect to {host}: {}", one_line(&e.to_string())),
                    ),
                    K::TimedOut | K::WouldBlock => (FailureKind::Stalled, self.stalled()),
                    K::UnexpectedEof => (
                        FailureKind::Network,
                        "the server closed the connection without answering".into(),
                    ),
                    _ => (
                        FailureKind::Network,
                        format!("the connection failed: {}", one_line(&e.to_string())),
                    ),
                }
            }
            ureq::Error::BadUri(s) => (
                FailureKind::UnsupportedAddress,
                format!("not a valid address: {}", one_line(&s)),
            ),
            ureq::Error::TooManyRedirects => {
                (FailureKind::Network, "too many redirects".to_string())
            }
            e @ (ureq::Error::Tls(_) | ureq::Error::Rustls(_)) => (
                FailureKind::Connect,
                format!(
                    "cannot connect securely to {host}: {}",
                    one_line(&e.to_string())
                ),
            ),
            ureq::Error::Protocol(p) => (
                FailureKind::Network,
                format!(
                    "the server's answer is not valid HTTP: {}",
                    one_line(&p.to_string())
                ),
            ),
            e => (FailureKind::Network, one_line(&e.to_string())),
        }
    }

    /// The reason for an error while reading the body, `bytes` of `total` in.
    fn read_error(
        &self,
        e: std::io::Error,
        bytes: u64,
        total: Option<u64>,
    ) -> (FailureKind, String) {
        use std::io::ErrorKind as K;
        let of = match total {
            Some(t) => format!("{bytes} of {t} bytes"),
            None => format!("{bytes} bytes"),
        };
        match ureq::Error::from(e) {
            ureq::Error::Timeout(_) => (FailureKind::Stalled, self.stalled()),
            ureq::Error::Io(e) if matches!(e.kind(), K::TimedOut | K::WouldBlock) => {
                (FailureKind::Stalled, self.stalled())
            }
            ureq::Error::Io(e)
                if matches!(
                    e.kind(),
                    K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe
                ) =>
            {
                (
                    FailureKind::CutShort,
                    format!("the download was cut short: {of}"),
                )
            }
            e => (
                FailureKind::Network,
                format!(
                    "the download failed after {of}: {}",
                    one_line(&e.to_string())
                ),
            ),
        }
    }

    fn stalled(&self) -> String {
        format!(
            "the server stopped sending data for {}",
            secs(self.cfg.stall_timeout)
        )
    }
}

/// Feeds what is written into a hasher.
struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Length and SHA-256 (lower-case hex) of a file.
fn hash_file(path: &Path) -> Result<(u64, String)> {
    let mut f = File::open(path).map_err(|e| io_error("cannot read", path, e))?;
    let mut hasher = Sha256::new();
    let n = std::io::copy(&mut f, &mut HashWriter(&mut hasher))
        .map_err(|e| io_error("cannot read", path, e))?;
    Ok((n, data_encoding::HEXLOWER.encode(&hasher.finalize())))
}

fn sidecar_path(doc: &Path) -> PathBuf {
    let mut name = doc.as_os_str().to_owned();
    name.push(".meta.toml");
    PathBuf::from(name)
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("cannot remove", path, e)),
    }
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn io_error(what: &str, path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        context: format!("{what} {}", path.display()),
        source,
    }
}

/// The same rule as `sources.toml`'s ids: lower-case letters, digits and `-`.
fn is_safe_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `Ok` for an `http` or `https` address with a host; else the reason.
fn check_address(url: &str) -> std::result::Result<(), String> {
    let scheme = url.split_once(':').map(|(s, _)| s.trim());
    match scheme {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
        Some(s) if !s.is_empty() && s.len() < 20 && !s.contains(['/', ' ']) => {
            return Err(format!(
                "only http and https addresses are fetched, not \"{}:\"",
                s.to_ascii_lowercase()
            ));
        }
        _ => return Err(format!("\"{}\" is not a web address", one_line(url))),
    }
    match url.parse::<ureq::http::Uri>() {
        Ok(u) if u.host().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(format!("\"{}\" names no host", one_line(url))),
        Err(e) => Err(format!("\"{}\" is not a valid address: {e}", one_line(url))),
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`) → (START, TOTAL).
fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.trim().split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse::<u64>().ok().filter(|t| *t > end)?),
    };
    Some((start, total))
}

/// The file's extension: from the Content-Type, else from the address's path, else `html`.
fn extension_for(content_type: Option<&str>, url: &str) -> &'static str {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let by_type = match mime.as_str() {
        "application/pdf" | "application/x-pdf" => Some("pdf"),
        "text/html" | "application/xhtml+xml" => Some("html"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Some("docx"),
        "text/plain" => Some("txt"),
        "text/markdown" | "text/x-markdown" => Some("md"),
        _ => None,
    };
    if let Some(e) = by_type {
        return e;
    }
    let path = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    let by_path = last
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .and_then(|e| match e.as_str() {
            "pdf" => Some("pdf"),
            "html" | "htm" | "xhtml" => Some("html"),
            "docx" => Some("docx"),
            "txt" | "text" => Some("txt"),
            "md" | "markdown" => Some("md"),
            _ => None,
        });
    // Only the path's last segment counts, and a host name is not a path.
    if path.contains('/') {
        by_path.unwrap_or("html")
    } else {
        "html"
    }
}

fn describe_status(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(r) => format!("HTTP {} {r}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
    }
}

fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{} MB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

fn one_line(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.chars().count() > 300 {
        let cut: String = s.chars().take(300).collect();
        format!("{cut}…")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_come_from_the_type_then_the_path() {
        assert_eq!(
            extension_for(Some("application/pdf"), "https://x.org/a"),
            "pdf"
        );
        assert_eq!(
            extension_for(Some("text/html; charset=utf-8"), "https://x.org/a.pdf"),
            "html"
        );
        assert_eq!(
            extension_for(
                Some("application/octet-stream"),
                "https://x.org/d/a.PDF?x=1"
            ),
            "pdf"
        );
        assert_eq!(extension_for(None, "https://x.org/notes.md#top"), "md");
        assert_eq!(extension_for(None, "https://x.org/ev.php?a=b.pdf"), "html");
        assert_eq!(extension_for(None, "https://example.pdf"), "html");
        assert_eq!(
            extension_for(
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                "https://x.org/f"
            ),
            "docx"
        );
        assert_eq!(extension_for(Some("text/plain"), "https://x.org/f"), "txt");
    }

    #[test]
    fn content_ranges_are_read_strictly() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 0-9/*"), Some((0, None)));
        assert_eq!(parse_content_range("bytes 10-5/20"), None);
        assert_eq!(parse_content_range("bytes 0-9/5"), None);
        assert_eq!(parse_content_range("bytes */200"), None);
        assert_eq!(parse_content_range("items 0-9/10"), None);
    }

    #[test]
    fn only_web_addresses_pass() {
        assert!(check_address("https://example.org/a.pdf").is_ok());
        assert!(check_address("HTTP://example.org").is_ok());
        let e = check_address("file:///etc/passwd").unwrap_err();
        assert!(e.contains("not \"file:\""), "{e}");
        assert!(check_address("ftp://x.org/f").is_err());
        assert!(check_address("example.org/a").is_err());
        assert!(check_address("http:///nohost").is_err());
    }

    #[test]
    fn weak_etags_do_not_make_a_resume_safe() {
        let mut s = PartState {
            url: "u".into(),
            ext: "pdf".into(),
            etag: Some("W/\"x\"".into()),
            last_modified: None,
        };
        assert_eq!(s.validator(), None);
        s.last_modified = Some("Tue, 01 Jul 2025 10:00:00 GMT".into());
        assert_eq!(s.validator(), Some("Tue, 01 Jul 2025 10:00:00 GMT"));
        s.etag = Some("\"abc\"".into());
        assert_eq!(s.validator(), Some("\"abc\""));
    }

    #[test]
    fn events_serialize_flat_with_a_tag() {
        let e = FetchEvent::Finished {
            index: 0,
            total: 2,
            id: "a".into(),
            outcome: FetchOutcome::Failed,
            reason: Some("HTTP 404 Not Found".into()),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["event"], "finished");
        assert_eq!(v["outcome"], "failed");
        assert_eq!(v["reason"], "HTTP 404 Not Found");
    }
}

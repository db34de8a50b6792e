//! Content packs (`.pustakacorpus`) and official texts in the application service: the bundled
//! starter pack installed at the first launch, "Install content pack…" and "Get official
//! texts".
//!
//! # The starter pack
//!
//! The shell finds the pack ([`find_starter_pack`]: a path given on the command line, else
//! the app's resources, else beside the executable) and passes it in [`AppConfig`]. At start,
//! [`App::start`] decides (cheaply, before any command runs) what to do with it, so that the
//! very first status already says "installing"; [`App::run_starter`] then does it, off the
//! UI thread, with progress in [`App::starter_state`]:
//!
//! - **First install** when the library has never had this pack (its `content-packs.json`
//!   does not list it), the user has not declined it for this library, and the library holds
//!   no documents (or the pack was given explicitly, `--starter-pack`). Into an empty library
//!   the pack's prebuilt index is used: no indexing wait.
//! - **Update** when the library holds an older version of it and still holds at least one of
//!   that version's documents. A user who removed every starter document does not get them
//!   back with the next version; one who removed a few does (an update installs the whole
//!   new edition).
//! - **Nothing** otherwise: same or newer version installed (an older bundled pack is never
//!   tried, so no downgrade refusal is ever shown at startup), declined, or a library that
//!   already had documents of its own.
//!
//! The pack is trusted through the public key in `<pack>.pub` beside it: the bundled pack is
//! as trusted as the app itself. Cancelling the first install records that the user declined
//! it for this library (in the settings), and it is not offered again there.

use std::collections::BTreeSet;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use pustaka_core::CancelFlag;
use pustaka_core::corpus::{Source, SourcesFile};
use pustaka_core::sealed::PublicKey;
use pustaka_corpus::fetch::{FailureKind, FetchConfig, FetchEvent, FetchOutcome};
use pustaka_corpus::{InstallReport, Registry, Trust};

use crate::service::{App, AppConfig, IpcResult};
use crate::types::*;

/// The starter pack's file name, in the resources' `starter/` folder.
pub const STARTER_FILE: &str = "starter.pustakacorpus";
/// The job name of the starter install ([`App::cancel`] cancels it).
pub const STARTER_JOB: &str = "starter";
/// What the user answers in the trust step for a pack that is not signed.
pub const TRUST_UNSIGNED: &str = "unsigned";
/// Where "Get official texts" puts the files, in the library's folder (as `pustaka corpus
/// fetch` does).
pub const OFFICIAL_TEXTS_DIR: &str = "official-texts";

/// The official documents behind the starter corpus: the repository's `corpus/sources.toml`.
const BUNDLED_SOURCES: &str = include_str!("../../../corpus/sources.toml");

/// A starter pack the app may install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterPack {
    pub file: PathBuf,
    /// Given on the command line (`--starter-pack`, `PUSTAKA_STARTER_PACK`): installed even
    /// into a library that already holds documents (never twice, never when declined).
    pub explicit: bool,
}

/// The starter pack to use: `explicit` when given (even if missing: that is then reported),
/// else the first of `candidates` that is a file.
pub fn find_starter_pack(explicit: Option<&Path>, candidates: &[PathBuf]) -> Option<StarterPack> {
    if let Some(p) = explicit {
        return Some(StarterPack {
            file: p.to_path_buf(),
            explicit: true,
        });
    }
    candidates
        .iter()
        .find(|p| p.is_file())
        .map(|p| StarterPack {
            file: p.clone(),
            explicit: false,
        })
}

/// The public key file beside a pack: `<pack>.pub`.
pub fn key_file(pack: &Path) -> PathBuf {
    let mut s = pack.as_os_str().to_owned();
    s.push(".pub");
    PathBuf::from(s)
}

/// The starter install decided at start.
pub(crate) struct StarterPlan {
    file: PathBuf,
    key: PublicKey,
    root: PathBuf,
    update: bool,
    /// Registered as [`STARTER_JOB`] from the start, so a cancel before the install begins
    /// counts too.
    cancel: CancelFlag,
}

fn report_out(r: &InstallReport, reanchored: usize) -> ContentPackInstalled {
    ContentPackInstalled {
        pack_id: r.pack_id.clone(),
        title: r.title.clone(),
        version: r.version,
        previous_version: r.previous_version,
        added: r.added.len() as u32,
        updated: r.updated.len() as u32,
        removed: r.removed.len() as u32,
        unchanged: r.unchanged as u32,
        prebuilt_index: r.prebuilt_index,
        glossary_terms: r.glossary_terms.map(|n| n as u32),
        reanchored: reanchored as u32,
        notice: r.notice.clone(),
    }
}

fn open_pack(path: &Path) -> IpcResult<pustaka_corpus::pack::OpenedPack<std::fs::File>> {
    pustaka_corpus::pack::open(path).map_err(IpcError::from)
}

impl App {
    /// Decides what to do with the starter pack in the library just opened (see the module
    /// docs). Sets the starter state to `installing` when there is something to do.
    pub(crate) fn plan_starter(&self, cfg: &AppConfig) -> (StarterState, Option<StarterPlan>) {
        let Some(starter) = &cfg.starter_pack else {
            return (StarterState::Idle, None);
        };
        let Ok((root, documents)) =
            self.with_library(|lib| Ok((lib.root().to_path_buf(), lib.list())))
        else {
            return (StarterState::Idle, None);
        };
        let failed = |message: String| (StarterState::Failed { message }, None);
        if !starter.file.is_file() {
            return failed(format!(
                "The starter pack {} was not found.",
                starter.file.display()
            ));
        }
        let manifest = match open_pack(&starter.file) {
            Ok(p) => p.manifest,
            Err(e) => {
                return failed(format!(
                    "The starter pack {} cannot be used: {}",
                    starter.file.display(),
                    e.message
                ));
            }
        };
        let registry = match Registry::load(&root) {
            Ok(r) => r,
            Err(e) => return failed(e.to_string()),
        };
        let update = match registry.packs.get(&manifest.pack_id) {
            Some(prev) => {
                let held: BTreeSet<String> = documents.iter().map(|d| d.id.to_string()).collect();
                let still_there = prev.documents.keys().any(|id| held.contains(id));
                if manifest.version <= prev.version || !still_there {
                    return (StarterState::Idle, None);
                }
                true
            }
            None => {
                let record = self
                    .settings()
                    .starter
                    .get(&root.display().to_string())
                    .cloned()
                    .unwrap_or_default();
                if record.dismissed || !(documents.is_empty() || starter.explicit) {
                    return (StarterState::Idle, None);
                }
                false
            }
        };
        let key_path = key_file(&starter.file);
        let key = match PublicKey::from_file_or_text(&key_path.display().to_string()) {
            Ok(k) if key_path.is_file() => k,
            Ok(_) => {
                return failed(format!(
                    "The starter pack's key {} was not found.",
                    key_path.display()
                ));
            }
            Err(e) => {
                return failed(format!(
                    "The starter pack's key {} cannot be read: {e}",
                    key_path.display()
                ));
            }
        };
        (
            StarterState::Installing {
                title: manifest.title.clone(),
                version: manifest.version,
                update,
                done: 0,
                total: manifest.documents.len() as u32,
            },
            Some(StarterPlan {
                file: starter.file.clone(),
                key,
                root,
                update,
                cancel: self.register_job(STARTER_JOB),
            }),
        )
    }

    /// Installs or updates the starter pack when [`App::start`] decided to (otherwise returns
    /// at once). Blocking: the shell calls it on its start-up thread, after the service is
    /// available to commands. Progress and outcome are in [`App::starter_state`].
    pub fn run_starter(&self) {
        let Some(plan) = self.take_starter_plan() else {
            return;
        };
        let cancel = plan.cancel.clone();
        let trust = Trust {
            keys: vec![plan.key],
            accept_untrusted: false,
        };
        let result = self.with_library_mut(|lib| {
            if lib.root() != plan.root {
                return Err(IpcError::new(
                    "cancelled",
                    "another library was opened before the starter pack was installed",
                ));
            }
            let mut progress = |done: usize, total: usize| {
                self.update_starter(|s| {
                    if let StarterState::Installing {
                        done: d, total: t, ..
                    } = s
                    {
                        *d = done as u32;
                        *t = total as u32;
                    }
                })
            };
            Ok(pustaka_corpus::install(
                lib,
                &plan.file,
                &trust,
                &mut progress,
                &cancel,
            )?)
        });
        self.unregister_job(STARTER_JOB);
        let key = plan.root.display().to_string();
        let state = match result {
            Ok(report) => {
                let reanchored = self.sync_notes_counted();
                let version = report.version;
                self.record_starter(&key, |r| {
                    r.installed_version = Some(version);
                    r.dismissed = false;
                });
                StarterState::Installed {
                    update: plan.update,
                    report: report_out(&report, reanchored),
                }
            }
            Err(e) if e.code == "cancelled" => {
                if !plan.update {
                    self.record_starter(&key, |r| r.dismissed = true);
                }
                StarterState::Cancelled
            }
            Err(e) => StarterState::Failed { message: e.message },
        };
        self.update_starter(|s| *s = state);
    }

    /// Remembers what became of the starter pack in a library (in the settings file).
    fn record_starter(&self, library: &str, change: impl FnOnce(&mut StarterRecord)) {
        let saved = self.update_settings(|s| {
            change(s.starter.entry(library.to_string()).or_default());
        });
        if let Err(e) = saved {
            self.push_notice(e.message);
        }
    }

    /// What a content pack file holds and whether this library would take it.
    pub fn inspect_content_pack(&self, path: &str) -> IpcResult<ContentPackInfo> {
        let p = open_pack(Path::new(path))?;
        let root = self.with_library(|lib| Ok(lib.root().to_path_buf()))?;
        let registry = Registry::load(&root)?;
        let m = &p.manifest;
        let installed_version = registry.packs.get(&m.pack_id).map(|i| i.version);
        let trusted = p.signer.is_some_and(|k| registry.trusts(&k));
        let refusal = installed_version.filter(|v| *v > m.version).map(|v| {
            format!(
                "This is version {} of “{}”, older than the version {v} in your library: it cannot be installed.",
                m.version, m.title
            )
        });
        Ok(ContentPackInfo {
            path: path.to_string(),
            pack_id: m.pack_id.clone(),
            title: m.title.clone(),
            version: m.version,
            documents: m.documents.len() as u32,
            installed_version,
            signer: p.signer.map(|k| k.fingerprint()),
            trusted,
            refusal,
        })
    }

    /// Installs a content pack (all or nothing; a newer version of an installed pack updates
    /// it, an older one is refused), then places annotations again in documents that changed.
    ///
    /// `trust`: what the user explicitly accepted in the trust step: the fingerprint of the
    /// pack's unknown key (remembered by the library), or [`TRUST_UNSIGNED`] for a pack that is
    /// not signed. Without it only packs signed by a key the library trusts are installed.
    pub fn install_content_pack(
        &self,
        job: &str,
        path: &str,
        trust: Option<&str>,
        on_progress: &mut dyn FnMut(InstallProgress),
    ) -> IpcResult<ContentPackInstalled> {
        let file = Path::new(path);
        let signer = open_pack(file)?.signer;
        let trust = match (signer, trust) {
            (Some(k), Some(fp)) if fp == k.fingerprint() => Trust {
                keys: vec![k],
                accept_untrusted: false,
            },
            (None, Some(TRUST_UNSIGNED)) => Trust {
                keys: Vec::new(),
                accept_untrusted: true,
            },
            (_, Some(_)) => {
                return Err(IpcError::new(
                    "invalid_input",
                    "The file changed since it was checked; choose it again.",
                ));
            }
            (signer, None) => {
                // Said here in the app's words (the core's refusal names the CLI's options).
                let root = self.with_library(|lib| Ok(lib.root().to_path_buf()))?;
                let registry = Registry::load(&root)?;
                let known = signer.is_some_and(|k| registry.trusts(&k));
                if !known {
                    return Err(IpcError::new(
                        "untrusted_pack",
                        match signer {
                            Some(k) => format!(
                                "This content pack is signed by a key this library does not know ({}). Install it only if you trust whoever gave it to you.",
                                k.fingerprint()
                            ),
                            None => "This content pack is not signed, so where it comes from cannot be checked. Install it only if you trust whoever gave it to you.".to_string(),
                        },
                    ));
                }
                Trust::default()
            }
        };
        let cancel = self.register_job(job);
        let result = self.with_library_mut(|lib| {
            let mut progress = |done: usize, total: usize| {
                on_progress(InstallProgress {
                    done: done as u32,
                    total: total as u32,
                })
            };
            Ok(pustaka_corpus::install(
                lib,
                file,
                &trust,
                &mut progress,
                &cancel,
            )?)
        });
        self.unregister_job(job);
        let report = result?;
        let reanchored = self.sync_notes_counted();
        Ok(report_out(&report, reanchored))
    }

    /// Downloads the official texts Pustaka lists (the repository's `corpus/sources.toml`)
    /// into `official-texts` in the library's folder. See [`App::fetch_sources`].
    pub fn fetch_official_texts(
        &self,
        job: &str,
        on_progress: &mut dyn FnMut(FetchProgress),
    ) -> IpcResult<OfficialTexts> {
        let list = SourcesFile::parse(BUNDLED_SOURCES, "the list of official texts")?;
        self.fetch_sources(job, &list.source, &FetchConfig::default(), on_progress)
    }

    /// Downloads `sources` into the library's `official-texts` folder, one at a time, each
    /// failing alone. First a quick check that at least one of their servers answers: when
    /// none does (or, later, when every source failed to connect) the result says `offline`
    /// and nothing else was tried. Does not hold the library while downloading.
    pub fn fetch_sources(
        &self,
        job: &str,
        sources: &[Source],
        cfg: &FetchConfig,
        on_progress: &mut dyn FnMut(FetchProgress),
    ) -> IpcResult<OfficialTexts> {
        let root = self.with_library(|lib| Ok(lib.root().to_path_buf()))?;
        let folder = root.join(OFFICIAL_TEXTS_DIR);
        let mut out = OfficialTexts {
            folder: folder.display().to_string(),
            fetched: 0,
            unchanged: 0,
            failed: Vec::new(),
            cancelled: false,
            offline: false,
        };
        if sources.is_empty() {
            return Ok(out);
        }
        on_progress(FetchProgress::Checking);
        let check_time = cfg.connect_timeout.min(Duration::from_secs(6));
        let proxy = if cfg.env_proxy { env_proxy() } else { None };
        let reachable = match &proxy {
            // Offices often reach the web only through their proxy: that is what to check.
            Some(p) => any_reachable_of(vec![p.clone()], check_time),
            None => any_reachable(sources, check_time),
        };
        if !reachable {
            out.offline = true;
            return Ok(out);
        }
        let cancel = self.register_job(job);
        let title = |id: &str| {
            sources
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.title.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut on_event = |e: &FetchEvent| {
            on_progress(match e {
                FetchEvent::Started {
                    index, total, id, ..
                } => FetchProgress::Started {
                    index: *index as u32,
                    total: *total as u32,
                    id: id.clone(),
                    title: title(id),
                },
                FetchEvent::Progress { id, bytes, total } => FetchProgress::Progress {
                    id: id.clone(),
                    bytes: *bytes,
                    total: *total,
                },
                FetchEvent::Finished {
                    index,
                    total,
                    id,
                    outcome,
                    reason,
                } => FetchProgress::Finished {
                    index: *index as u32,
                    total: *total as u32,
                    id: id.clone(),
                    outcome: match outcome {
                        FetchOutcome::Fetched => "fetched",
                        FetchOutcome::Unchanged => "unchanged",
                        FetchOutcome::Failed => "failed",
                        FetchOutcome::Cancelled => "cancelled",
                    }
                    .to_string(),
                    reason: reason.clone(),
                },
            })
        };
        let result = pustaka_corpus::fetch::fetch(sources, &folder, cfg, &mut on_event, &cancel);
        self.unregister_job(job);
        let report = result?;
        out.fetched = report.fetched.len() as u32;
        out.unchanged = report.unchanged.len() as u32;
        out.cancelled = report.cancelled;
        out.offline = report.fetched.is_empty()
            && report.unchanged.is_empty()
            && !report.failed.is_empty()
            && report.failed.iter().all(|f| f.kind == FailureKind::Connect);
        out.failed = report
            .failed
            .iter()
            .map(|f| FetchProblem {
                id: f.id.clone(),
                title: title(&f.id),
                reason: f.error.clone(),
            })
            .collect();
        Ok(out)
    }
}

/// `host` and `port` of an `http(s)://` address; None for anything else.
pub(crate) fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        (h, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => default,
    };
    Some((host.to_string(), port))
}

/// Whether at least one of the sources' servers (the first three distinct ones) accepts a
/// connection within `wait`. Name resolution has no time limit of its own in the standard
/// library, so each try runs on a thread of its own and is abandoned after `wait`.
pub(crate) fn any_reachable(sources: &[Source], wait: Duration) -> bool {
    let mut hosts: Vec<(String, u16)> = Vec::new();
    for s in sources {
        if let Some(hp) = host_port(&s.url)
            && !hosts.contains(&hp)
        {
            hosts.push(hp);
        }
        if hosts.len() == 3 {
            break;
        }
    }
    any_reachable_of(hosts, wait)
}

/// The proxy the environment names for the web (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
/// in either case), as host and port; the fetch goes through it when it is set.
fn env_proxy() -> Option<(String, u16)> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|k| std::env::var(k).ok())
    .map(|v| v.trim().to_string())
    .filter(|v| !v.is_empty())
    .find_map(|v| {
        if v.contains("://") {
            host_port(&v)
        } else {
            host_port(&format!("http://{v}"))
        }
    })
}

/// Whether at least one of `hosts` accepts a connection within `wait` (see [`any_reachable`]).
fn any_reachable_of(hosts: Vec<(String, u16)>, wait: Duration) -> bool {
    if hosts.is_empty() {
        return false;
    }
    let (tx, rx) = mpsc::channel();
    let tries = hosts.len();
    for (host, port) in hosts {
        let sender = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("pustaka-reach".into())
            .spawn(move || {
                let ok = (host.as_str(), port)
                    .to_socket_addrs()
                    .map(|addrs| {
                        addrs
                            .take(2)
                            .any(|a| TcpStream::connect_timeout(&a, wait).is_ok())
                    })
                    .unwrap_or(false);
                let _ = sender.send(ok);
            });
        if spawned.is_err() {
            let _ = tx.send(false);
        }
    }
    drop(tx);
    let deadline = std::time::Instant::now() + wait + Duration::from_millis(500);
    for _ in 0..tries {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(true) => return true,
            Ok(false) => continue,
            Err(_) => return false,
        }
    }
    false
}

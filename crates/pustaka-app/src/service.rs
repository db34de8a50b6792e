//! The application service: one value the desktop shell holds and calls from its commands.
//! It owns the open library, the settings and the running jobs; every method is blocking and
//! meant to run off the UI thread.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use pustaka_core::{
    AddEvent, AddOptions, CancelFlag, DocId, DocSummary, Document, Library, LibraryConfig,
    MetaOverrides, SearchRequest, SearchResults,
};

use crate::content::{StarterPack, StarterPlan};
use crate::settings;
use crate::types::*;

/// The index is committed (made searchable) every this many files of a batch.
const CHUNK_FILES: usize = 25;

/// Where things live, decided by the shell (from its platform folders or, in tests, from
/// environment variables) and passed in.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Holds `settings.json`.
    pub config_dir: PathBuf,
    /// The library used when the settings name none.
    pub default_library: PathBuf,
    /// A library forced for this run (the `PUSTAKA_LIBRARY` variable): wins over settings.
    pub library_override: Option<PathBuf>,
    /// The program that extracts PDFs, with its arguments before the file.
    pub pdf_program: PathBuf,
    pub pdf_args: Vec<OsString>,
    pub version: String,
    /// The bundled starter pack, when the shell found one (see [`crate::find_starter_pack`]).
    pub starter_pack: Option<StarterPack>,
}

pub type IpcResult<T> = Result<T, IpcError>;

pub struct App {
    cfg: AppConfig,
    settings: Mutex<Settings>,
    library: RwLock<Option<Library>>,
    /// The open library's annotations (opened and closed with it).
    notes: RwLock<Option<pustaka_notes::Notes>>,
    state: Mutex<LibraryState>,
    notices: Mutex<Vec<String>>,
    jobs: Mutex<HashMap<String, CancelFlag>>,
    /// The library path in use this run (override, settings or default).
    current_path: Mutex<PathBuf>,
    /// The bundled starter pack this run.
    starter: Mutex<StarterState>,
    /// What [`App::run_starter`] is to do, decided at start.
    starter_plan: Mutex<Option<StarterPlan>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    /// Loads the settings and opens the library. Never fails: a library that does not open
    /// is reported in [`AppStatus`] with what the user can do.
    pub fn start(cfg: AppConfig) -> App {
        let (loaded, notice) = settings::load(&cfg.config_dir);
        let path = cfg
            .library_override
            .clone()
            .or_else(|| loaded.library_path.as_ref().map(PathBuf::from))
            .unwrap_or_else(|| cfg.default_library.clone());
        let app = App {
            settings: Mutex::new(loaded),
            library: RwLock::new(None),
            notes: RwLock::new(None),
            state: Mutex::new(LibraryState::Unavailable {
                path: path.display().to_string(),
                error: IpcError::new("library_unavailable", "not opened yet"),
            }),
            notices: Mutex::new(notice.into_iter().collect()),
            jobs: Mutex::new(HashMap::new()),
            current_path: Mutex::new(path.clone()),
            starter: Mutex::new(StarterState::Idle),
            starter_plan: Mutex::new(None),
            cfg,
        };
        app.open_at(path);
        let (state, plan) = app.plan_starter(&app.cfg);
        *lock(&app.starter) = state;
        *lock(&app.starter_plan) = plan;
        app
    }

    fn open_at(&self, path: PathBuf) {
        let mut slot = self.library.write().unwrap_or_else(|e| e.into_inner());
        // Close the current library first: it may be the same folder, whose lock we hold.
        *self.notes.write().unwrap_or_else(|e| e.into_inner()) = None;
        *slot = None;
        *lock(&self.current_path) = path.clone();
        let state = match self.open_library_folder(&path) {
            Ok(mut lib) => {
                let mut notices = lock(&self.notices);
                notices.extend(lib.notices().iter().map(|n| n.to_string()));
                // A content-pack install that was interrupted is undone before anything else.
                match pustaka_corpus::recover(&mut lib) {
                    Ok(Some(n)) => notices.push(n),
                    Ok(None) => {}
                    Err(e) => notices.push(format!(
                        "An interrupted content-pack install could not be undone: {e}"
                    )),
                }
                match pustaka_notes::Notes::open(pustaka_notes::NotesConfig::in_library(lib.root()))
                {
                    Ok(n) => {
                        notices.extend(n.notices().iter().map(|x| x.to_string()));
                        if let Err(e) = n.sync(&lib) {
                            notices.push(format!(
                                "Some annotations could not be checked against their documents: {e}"
                            ));
                        }
                        *self.notes.write().unwrap_or_else(|e| e.into_inner()) = Some(n);
                    }
                    Err(e) => notices.push(format!(
                        "Your notes could not be opened: {e}. Nothing was changed or deleted."
                    )),
                }
                let state = ready_state(&lib);
                *slot = Some(lib);
                state
            }
            Err(error) => LibraryState::Unavailable {
                path: path.display().to_string(),
                error,
            },
        };
        *lock(&self.state) = state;
    }

    fn open_library_folder(&self, path: &Path) -> IpcResult<Library> {
        let is_default = path == self.cfg.default_library;
        if !path.exists() && !is_default {
            return Err(IpcError::new(
                "library_missing",
                format!(
                    "The library folder {} does not exist (was a drive removed?). Choose another folder, or retry when it is back.",
                    path.display()
                ),
            ));
        }
        if path.exists() && !path.is_dir() {
            return Err(IpcError::new(
                "library_unavailable",
                format!(
                    "{} is a file, not a folder. Choose a folder for the library.",
                    path.display()
                ),
            ));
        }
        if path.is_dir() && !writable(path) {
            return Err(IpcError::new(
                "library_read_only",
                format!(
                    "The library folder {} cannot be written to. Choose a folder you can write to.",
                    path.display()
                ),
            ));
        }
        let mut cfg = LibraryConfig::new(path);
        cfg.pdf.program = Some(self.cfg.pdf_program.clone());
        cfg.pdf.args = self.cfg.pdf_args.clone();
        Library::open(cfg).map_err(IpcError::from)
    }

    /// Where the library stands, the settings and anything to tell the user (told once).
    /// Never waits for a long write (a content pack being installed): the library's state is
    /// then the one last seen.
    pub fn status(&self) -> AppStatus {
        let current = match self.library.try_read() {
            Ok(g) => g.as_ref().map(ready_state),
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().as_ref().map(ready_state),
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        if let Some(state) = current {
            *lock(&self.state) = state;
        }
        AppStatus {
            library: lock(&self.state).clone(),
            default_library_path: self.cfg.default_library.display().to_string(),
            settings: lock(&self.settings).clone(),
            notices: std::mem::take(&mut *lock(&self.notices)),
            version: self.cfg.version.clone(),
            starter: self.starter_state(),
        }
    }

    /// The bundled starter pack this run (never waits).
    pub fn starter_state(&self) -> StarterState {
        lock(&self.starter).clone()
    }

    pub(crate) fn update_starter(&self, f: impl FnOnce(&mut StarterState)) {
        f(&mut lock(&self.starter));
    }

    pub(crate) fn take_starter_plan(&self) -> Option<StarterPlan> {
        lock(&self.starter_plan).take()
    }

    /// Changes the settings and writes them (on disk before this returns).
    pub(crate) fn update_settings(&self, f: impl FnOnce(&mut Settings)) -> IpcResult<()> {
        let mut guard = lock(&self.settings);
        let mut s = guard.clone();
        f(&mut s);
        settings::save(&self.cfg.config_dir, &s)?;
        *guard = s;
        Ok(())
    }

    pub(crate) fn push_notice(&self, notice: String) {
        lock(&self.notices).push(notice);
    }

    /// Registers a cancellable job under `name`.
    pub(crate) fn register_job(&self, name: &str) -> CancelFlag {
        let cancel = CancelFlag::new();
        lock(&self.jobs).insert(name.to_string(), cancel.clone());
        cancel
    }

    pub(crate) fn unregister_job(&self, name: &str) {
        lock(&self.jobs).remove(name);
    }

    /// Opens another library folder (`None`: the default one) and remembers the choice.
    pub fn open_library(&self, path: Option<String>) -> IpcResult<AppStatus> {
        let path = path.filter(|p| !p.trim().is_empty());
        self.update_settings(|s| s.library_path = path.clone())?;
        let target = path
            .map(PathBuf::from)
            .unwrap_or_else(|| self.cfg.default_library.clone());
        self.open_at(target);
        Ok(self.status())
    }

    /// Tries the current library folder again (after closing another program, say).
    pub fn retry(&self) -> AppStatus {
        let path = lock(&self.current_path).clone();
        self.open_at(path);
        self.status()
    }

    /// Saves the settings (written to disk before this returns); a new library path opens it.
    pub fn save_settings(&self, mut new: Settings) -> IpcResult<AppStatus> {
        if !["en", "vi", "id"].contains(&new.ui_language.as_str()) {
            new.ui_language = "en".into();
        }
        new.text_size = new.text_size.clamp(80, 200);
        new.library_path = new.library_path.filter(|p| !p.trim().is_empty());
        let mut guard = lock(&self.settings);
        // The starter pack's record is the app's own: what the interface sent is ignored.
        new.starter = guard.starter.clone();
        settings::save(&self.cfg.config_dir, &new)?;
        let reopen = guard.library_path != new.library_path;
        *guard = new.clone();
        drop(guard);
        if reopen {
            let target = new
                .library_path
                .map(PathBuf::from)
                .unwrap_or_else(|| self.cfg.default_library.clone());
            self.open_at(target);
        }
        Ok(self.status())
    }

    pub(crate) fn notes_slot(
        &self,
    ) -> std::sync::RwLockReadGuard<'_, Option<pustaka_notes::Notes>> {
        self.notes.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub(crate) fn version(&self) -> String {
        self.cfg.version.clone()
    }

    /// Places annotations again after documents changed or went.
    fn sync_notes(&self) {
        self.sync_notes_counted();
    }

    /// [`App::sync_notes`], returning how many annotations were placed again.
    pub(crate) fn sync_notes_counted(&self) -> usize {
        if let (Some(lib), Some(notes)) = (self.read().as_ref(), self.notes_slot().as_ref()) {
            match notes.sync(lib) {
                Ok(n) => return n,
                Err(e) => lock(&self.notices).push(format!(
                    "Some annotations could not be checked against their documents: {e}"
                )),
            }
        }
        0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Library>> {
        self.library.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn with_library<T>(&self, f: impl FnOnce(&Library) -> IpcResult<T>) -> IpcResult<T> {
        match self.read().as_ref() {
            Some(lib) => f(lib),
            None => Err(self.unavailable()),
        }
    }

    pub(crate) fn with_library_mut<T>(
        &self,
        f: impl FnOnce(&mut Library) -> IpcResult<T>,
    ) -> IpcResult<T> {
        let mut slot = self.library.write().unwrap_or_else(|e| e.into_inner());
        match slot.as_mut() {
            Some(lib) => f(lib),
            None => Err(self.unavailable()),
        }
    }

    fn unavailable(&self) -> IpcError {
        match &*lock(&self.state) {
            LibraryState::Unavailable { error, .. } => error.clone(),
            LibraryState::Ready { .. } => IpcError::new("library_unavailable", "no library open"),
        }
    }

    pub fn search(&self, q: &SearchQuery) -> IpcResult<SearchResponse> {
        let mut req = SearchRequest::new(q.query.clone());
        req.limit = if q.limit == 0 { 20 } else { q.limit as usize };
        req.offset = q.offset as usize;
        req.kinds = q.kinds.clone();
        req.countries = q.countries.clone();
        req.languages = q.languages.clone();
        req.instruments = q.instruments.clone();
        req.year_from = q.year_from;
        req.year_to = q.year_to;
        let mut res = match q.scope {
            SearchScope::Notes => self.with_library(|_| {
                Ok(SearchResponse {
                    query: q.query.clone(),
                    total: 0,
                    took_ms: 0,
                    hits: Vec::new(),
                    facets: Vec::new(),
                    fuzzy: false,
                    notice: None,
                    notes: Vec::new(),
                    notes_total: 0,
                })
            })?,
            _ => self.with_library(|lib| Ok(search_response(lib.search(&req)?)))?,
        };
        // With scope `all` the first page carries the best notes; with `notes`, limit and
        // offset page through them.
        let notes_offset = match q.scope {
            SearchScope::Notes => q.offset as usize,
            _ => 0,
        };
        if q.scope == SearchScope::Notes || (q.scope == SearchScope::All && q.offset == 0) {
            let (notes, total) = self.search_notes(&q.query, notes_offset, req.limit);
            res.notes = notes;
            res.notes_total = total;
        }
        Ok(res)
    }

    /// A document for the reader; `query` (may be empty) gives the matches to highlight.
    pub fn document(&self, id: &str, query: &str) -> IpcResult<DocumentView> {
        let id = parse_id(id)?;
        self.with_library(|lib| {
            let (doc, marks) = lib.document_with_matches(&id, query)?;
            Ok(document_view(&doc, &marks))
        })
    }

    pub fn list(&self) -> IpcResult<Vec<DocInfo>> {
        self.with_library(|lib| Ok(lib.list().iter().map(doc_info).collect()))
    }

    pub fn remove(&self, id: &str) -> IpcResult<DocInfo> {
        let id = parse_id(id)?;
        let removed = self.with_library_mut(|lib| Ok(doc_info(&lib.remove(&id)?)))?;
        self.sync_notes();
        Ok(removed)
    }

    pub fn update_metadata(&self, id: &str, edit: MetadataEdit) -> IpcResult<DocInfo> {
        let id = parse_id(id)?;
        let clean = |s: Option<String>| s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        let given = MetaOverrides {
            title: clean(edit.title),
            short_title: clean(edit.short_title),
            kind: clean(edit.kind),
            instrument: clean(edit.instrument),
            country: edit
                .country
                .into_iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            language: clean(edit.language),
            year: edit.year.map(i64::from),
            themes: edit
                .themes
                .into_iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            source_url: clean(edit.source_url),
            licence: clean(edit.licence),
        };
        let info = self.with_library_mut(|lib| Ok(doc_info(&lib.update_metadata(&id, given)?)))?;
        self.sync_notes();
        Ok(info)
    }

    /// Adds files and folders, reporting progress; `job` names the job for [`App::cancel`].
    /// Files are added in small chunks so that searching stays possible meanwhile.
    pub fn add(
        &self,
        job: &str,
        paths: &[String],
        on_progress: &mut dyn FnMut(AddProgress),
    ) -> IpcResult<AddSummary> {
        let cancel = self.register_job(job);
        let result = self.add_inner(paths, on_progress, &cancel);
        self.unregister_job(job);
        result
    }

    fn add_inner(
        &self,
        paths: &[String],
        on_progress: &mut dyn FnMut(AddProgress),
        cancel: &CancelFlag,
    ) -> IpcResult<AddSummary> {
        if self.read().is_none() {
            return Err(self.unavailable());
        }
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let (files, failures) = pustaka_core::gather_files(&paths, &mut |e| {
            if let AddEvent::Found { files } = e {
                on_progress(AddProgress::Found {
                    files: *files as u32,
                });
            }
        });
        let mut summary = AddSummary {
            failed: failures
                .into_iter()
                .map(|f| FileProblem {
                    path: f.path,
                    reason: f.error,
                })
                .collect(),
            ..Default::default()
        };
        let total = files.len() as u32;
        let root = self.with_library(|lib| Ok(lib.root().to_path_buf()))?;
        let opts = AddOptions::default();
        let mut report = pustaka_core::AddReport::default();
        let mut since_commit = 0;
        let mut outcome = Ok(());
        for (i, path) in files.iter().enumerate() {
            if cancel.is_cancelled() {
                summary.cancelled = true;
                break;
            }
            let shown = path.display().to_string();
            on_progress(AddProgress::Started {
                index: i as u32,
                total,
                path: shown.clone(),
            });
            // Reading and extracting (slow for a large PDF) needs only shared access:
            // searches and the reader go on meanwhile. Writing takes the library briefly.
            let prepared = self.with_library(|lib| Ok(lib.prepare(path, &opts)))?;
            let written = self.with_library_mut(|lib| {
                if lib.root() != root {
                    return Err(IpcError::new(
                        "cancelled",
                        "another library was opened while adding; the rest was not added",
                    ));
                }
                Ok(lib.write_prepared(prepared, &mut report)?)
            });
            let (name, reason) = match written {
                Ok(r) => r,
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            };
            on_progress(AddProgress::Finished {
                index: i as u32,
                total,
                path: shown,
                outcome: name.to_string(),
                reason,
            });
            since_commit += 1;
            if since_commit >= CHUNK_FILES {
                self.with_library_mut(|lib| Ok(lib.commit_writes()?))?;
                since_commit = 0;
            }
        }
        // Whatever happened, what was written becomes searchable.
        let committed = self.with_library_mut(|lib| {
            if lib.root() == root {
                lib.commit_writes()?;
            }
            Ok(())
        });
        self.sync_notes();
        outcome?;
        committed?;
        summary.added += report.added.len() as u32;
        summary.updated += report.updated.len() as u32;
        summary.unchanged += report.unchanged.len() as u32;
        summary
            .skipped
            .extend(report.skipped.into_iter().map(|s| FileProblem {
                path: s.path,
                reason: s.reason,
            }));
        summary
            .failed
            .extend(report.failed.into_iter().map(|f| FileProblem {
                path: f.path,
                reason: f.error,
            }));
        Ok(summary)
    }

    /// Asks a running job to stop after the file it is reading; false if no such job runs.
    pub fn cancel(&self, job: &str) -> bool {
        match lock(&self.jobs).get(job) {
            Some(flag) => {
                flag.cancel();
                true
            }
            None => false,
        }
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".pustaka-write-probe-{}", std::process::id()));
    match std::fs::write(&probe, b"") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

fn ready_state(lib: &Library) -> LibraryState {
    let docs = lib.list();
    LibraryState::Ready {
        path: lib.root().display().to_string(),
        documents: docs.len() as u32,
        passages: docs.iter().map(|d| d.passages as u32).sum(),
    }
}

pub(crate) fn parse_id(id: &str) -> IpcResult<DocId> {
    DocId::parse(id)
        .ok_or_else(|| IpcError::new("invalid_input", format!("\"{id}\" is not a document id")))
}

const FACET_ORDER: [&str; 5] = ["kind", "country", "language", "year", "instrument"];

fn search_response(r: SearchResults) -> SearchResponse {
    let mut facets = Vec::new();
    for name in FACET_ORDER {
        let mut values: Vec<FacetValue> = r
            .facets
            .get(name)
            .map(|m| {
                m.iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(v, n)| FacetValue {
                        value: v.clone(),
                        count: (*n).min(u32::MAX as u64) as u32,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if name == "year" {
            values.sort_by(|a, b| b.value.cmp(&a.value));
        } else {
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        }
        facets.push(Facet {
            name: name.to_string(),
            values,
        });
    }
    SearchResponse {
        query: r.query,
        total: r.total.min(u32::MAX as u64) as u32,
        took_ms: r.took_ms.min(u32::MAX as u64) as u32,
        hits: r
            .hits
            .into_iter()
            .map(|h| Hit {
                doc_id: h.doc_id,
                anchor: h.anchor,
                title: h.title,
                citation: h.citation,
                heading: h.heading,
                page: h.page,
                kind: h.kind,
                country: h.country,
                language: h.language,
                year: h.year,
                instrument: h.instrument,
                snippet: h.snippet,
                score: h.score,
            })
            .collect(),
        facets,
        fuzzy: r.fuzzy,
        notice: r.notice,
        notes: Vec::new(),
        notes_total: 0,
    }
}

pub(crate) fn doc_info(s: &DocSummary) -> DocInfo {
    let m = &s.meta;
    DocInfo {
        id: s.id.to_string(),
        title: m.title.clone(),
        short_title: m.short_title.clone(),
        citation_title: m.citation_title(),
        kind: m.kind.as_str().to_string(),
        instrument: m.instrument.clone(),
        country: m.country.clone(),
        language: m.language.clone(),
        year: m.year,
        themes: m.themes.clone(),
        source_url: m.source_url.clone(),
        licence: m.licence.clone(),
        source: s.source.clone(),
        format: serde_json::to_value(s.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        passages: s.passages as u32,
        stored_at: s.stored_at as f64,
    }
}

/// Byte ranges of `text` as UTF-16 offsets (what JavaScript strings index by).
pub(crate) fn utf16_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<[u32; 2]> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut byte = 0usize;
    let mut unit = 0u32;
    let mut chars = text.char_indices().peekable();
    let mut advance_to = |target: usize, byte: &mut usize, unit: &mut u32| {
        while *byte < target {
            match chars.next() {
                Some((_, c)) => {
                    *byte += c.len_utf8();
                    *unit += c.len_utf16() as u32;
                }
                None => break,
            }
        }
    };
    for &(s, e) in ranges {
        if s < byte || e < s {
            continue;
        }
        advance_to(s, &mut byte, &mut unit);
        let start = unit;
        advance_to(e, &mut byte, &mut unit);
        out.push([start, unit]);
    }
    out
}

fn outline_level(locator: Option<&str>) -> u8 {
    match locator {
        Some(l) if l.contains("para.") => 2,
        _ => 1,
    }
}

fn document_view(doc: &Document, marks: &[Vec<(usize, usize)>]) -> DocumentView {
    let title = doc.meta.citation_title();
    let mut match_count = 0u32;
    let passages: Vec<PassageView> = doc
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let m = utf16_ranges(&p.text, marks.get(i).map(Vec::as_slice).unwrap_or(&[]));
            match_count += m.len() as u32;
            PassageView {
                anchor: p.anchor.clone(),
                heading: p.heading.clone(),
                locator: p.locator.clone(),
                page: p.page,
                citation: p.citation(&title),
                text: p.text.clone(),
                marks: m,
            }
        })
        .collect();
    let outline = doc
        .passages
        .iter()
        .filter(|p| p.heading.is_some() || p.locator.is_some())
        .map(|p| OutlineEntry {
            anchor: p.anchor.clone(),
            label: match (&p.locator, &p.heading) {
                (Some(l), Some(h)) if !h.starts_with(l.as_str()) && l.starts_with("p. ") => {
                    format!("{l} · {h}")
                }
                (_, Some(h)) => h.clone(),
                (Some(l), None) => l.clone(),
                (None, None) => String::new(),
            },
            level: outline_level(p.locator.as_deref()),
        })
        .collect();
    DocumentView {
        info: doc_info(&doc.summary()),
        outline,
        passages,
        match_count,
    }
}

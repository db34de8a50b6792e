//! [`Library`]: the one API the desktop shell and the CLI call.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::analysis::{self, Stemmers};
use crate::cancel::CancelFlag;
use crate::error::{Error, Result};
use crate::glossary::Glossary;

/// The glossary a library uses, in its folder.
pub const GLOSSARY_FILE: &str = "glossary.toml";
use crate::index::{IndexConfig, IndexState, SearchIndex};
use crate::ingest::{self, IngestLimits, structure};
use crate::lock::LibraryLock;
use crate::meta::MetaOverrides;
use crate::model::{DocId, DocSummary, Document, Format, Passage};
use crate::query::{SearchHit, SearchRequest, SearchResults};
use crate::snippet;
use crate::store::{DocumentStore, SledStore};

pub use crate::ingest::PdfConfig;

/// Byte ranges `[start, end)` of a passage's text that a query matches.
pub type MatchRanges = Vec<(usize, usize)>;

/// Everything a library needs to know, passed in explicitly.
#[derive(Debug, Clone)]
pub struct LibraryConfig {
    /// The library folder (store, index, lock file).
    pub root: PathBuf,
    pub pdf: PdfConfig,
    pub index: IndexConfig,
    pub limits: IngestLimits,
    /// During a batch, commit the index (what was added becomes searchable) once this much
    /// time has passed since the last commit, and at the end. Each commit stalls indexing
    /// and leaves smaller segments to merge, so not too often.
    pub commit_every: Duration,
    /// …or after this many documents (bounds the indexing redone after a crash)…
    pub commit_every_docs: usize,
    /// …or after this many bytes of text.
    pub commit_every_bytes: u64,
}

impl LibraryConfig {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LibraryConfig {
            root: root.into(),
            pdf: PdfConfig::default(),
            index: IndexConfig::default(),
            limits: IngestLimits::default(),
            commit_every: Duration::from_secs(30),
            commit_every_docs: 5_000,
            commit_every_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Something the user should be told about opening the library.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum OpenNotice {
    /// The search index was missing, damaged or old and was rebuilt from the documents.
    IndexRebuilt { reason: String, documents: usize },
    /// The index lagged behind the documents (an interrupted batch) and was brought up to
    /// date.
    IndexRepaired { documents: usize },
    /// The library's glossary could not be read; searches go on without it.
    GlossaryUnreadable { reason: String },
}

impl std::fmt::Display for OpenNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenNotice::IndexRebuilt { reason, documents } => {
                write!(
                    f,
                    "{reason}; the search index was rebuilt from {documents} stored documents"
                )
            }
            OpenNotice::GlossaryUnreadable { reason } => {
                write!(f, "{reason}; searching without the glossary")
            }
            OpenNotice::IndexRepaired { documents } => {
                write!(
                    f,
                    "the search index was brought up to date ({documents} documents re-indexed)"
                )
            }
        }
    }
}

/// Metadata and switches for a batch of files.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// Given on the command line or in a dialog; wins over sidecars.
    pub meta: MetaOverrides,
}

/// Progress of a batch.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AddEvent {
    /// Files found so far while walking folders.
    Found { files: usize },
    /// About to read file `index` (0-based) of `total`.
    Started {
        index: usize,
        total: usize,
        path: String,
    },
    /// Done with that file: `outcome` is added, updated, unchanged, skipped or failed.
    Finished {
        index: usize,
        total: usize,
        path: String,
        outcome: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AddedDoc {
    pub path: String,
    pub doc_id: String,
    pub title: String,
    pub passages: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnchangedDoc {
    pub path: String,
    pub doc_id: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FailedFile {
    pub path: String,
    pub error: String,
}

/// What a batch did, file by file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AddReport {
    pub added: Vec<AddedDoc>,
    pub updated: Vec<AddedDoc>,
    pub unchanged: Vec<UnchangedDoc>,
    pub skipped: Vec<SkippedFile>,
    pub failed: Vec<FailedFile>,
    /// The batch was cancelled; files not listed were not looked at.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReindexReport {
    pub documents: usize,
    pub passages: usize,
    pub took_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub root: String,
    pub documents: usize,
    pub passages: usize,
    pub text_bytes: u64,
    pub store_bytes: u64,
    pub index_bytes: u64,
    pub indexed_passages: u64,
    pub by_kind: std::collections::BTreeMap<String, usize>,
    pub by_language: std::collections::BTreeMap<String, usize>,
}

/// What reading a file gave: an outcome already (skipped, unchanged) or a document to write.
enum Prepared {
    Done(Outcome),
    Write {
        doc: Box<Document>,
        shown: String,
        update: bool,
    },
}

/// A file read and cut into passages by [`Library::prepare`] (which needs only shared
/// access, so searches go on meanwhile), to be stored by [`Library::write_prepared`].
pub struct PreparedFile {
    shown: String,
    step: std::result::Result<Prepared, PrepareFailure>,
}

enum PrepareFailure {
    /// The file's own fault: it fails alone.
    File(String),
    /// A fault of the store or the machine: the batch stops.
    Internal(Error),
}

enum Outcome {
    Added(AddedDoc),
    Updated(AddedDoc),
    Unchanged(UnchangedDoc),
    Skipped(String),
    Failed(String),
}

/// A library of documents: store, index and the lock that makes this process its only
/// writer.
pub struct Library {
    cfg: LibraryConfig,
    store: Box<dyn DocumentStore>,
    index: SearchIndex,
    summaries: HashMap<DocId, DocSummary>,
    stemmers: Stemmers,
    notices: Vec<OpenNotice>,
    /// Documents written since the index was last committed.
    uncommitted: bool,
    glossary: Glossary,
    _lock: LibraryLock,
}

impl Library {
    /// Opens (or creates) the library at `cfg.root`. A missing, damaged or outdated index is
    /// rebuilt from the stored documents (see [`Library::notices`]).
    pub fn open(cfg: LibraryConfig) -> Result<Library> {
        let root = cfg.root.clone();
        std::fs::create_dir_all(&root).map_err(|e| Error::LibraryUnavailable {
            path: root.clone(),
            reason: e.to_string(),
        })?;
        let lock = LibraryLock::acquire(&root)?;
        let store = SledStore::open(&root.join("store"), &root.join("passages"))?;
        Self::assemble(cfg, Box::new(store), lock)
    }

    fn assemble(
        cfg: LibraryConfig,
        store: Box<dyn DocumentStore>,
        lock: LibraryLock,
    ) -> Result<Library> {
        let (index, state) = SearchIndex::open(&cfg.root.join("index"), cfg.index.clone())?;
        let summaries: HashMap<DocId, DocSummary> = store
            .summaries()?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let mut lib = Library {
            cfg,
            store,
            index,
            summaries,
            stemmers: Stemmers::default(),
            notices: Vec::new(),
            uncommitted: false,
            glossary: Glossary::default(),
            _lock: lock,
        };
        let glossary_file = lib.cfg.root.join(GLOSSARY_FILE);
        if glossary_file.exists() {
            match Glossary::load(&glossary_file) {
                Ok(g) => lib.glossary = g,
                Err(e) => lib.notices.push(OpenNotice::GlossaryUnreadable {
                    reason: e.to_string(),
                }),
            }
        }
        lib.bring_index_up_to_date(state)?;
        Ok(lib)
    }

    fn bring_index_up_to_date(&mut self, state: IndexState) -> Result<()> {
        let generation = self.store.generation()?;
        match state {
            IndexState::Reset(reason) => {
                let n = self.summaries.len();
                self.rebuild_index(&mut |_, _| {}, &CancelFlag::new())?;
                self.notices.push(OpenNotice::IndexRebuilt {
                    reason,
                    documents: n,
                });
            }
            IndexState::Created if !self.summaries.is_empty() => {
                let n = self.summaries.len();
                self.rebuild_index(&mut |_, _| {}, &CancelFlag::new())?;
                self.notices.push(OpenNotice::IndexRebuilt {
                    reason: "the search index was missing".into(),
                    documents: n,
                });
            }
            _ if self.index.indexed_generation() != Some(generation) && generation > 0 => {
                // An interrupted batch: index what the store has and the index lacks.
                let mut n = 0;
                let ids: Vec<DocId> = self.summaries.keys().cloned().collect();
                for id in &ids {
                    let key = self.summaries[id].index_key();
                    if !self.index.has_current(&key)?
                        && let Some(doc) = self.store.get(id)?
                    {
                        self.index.put_document(&doc)?;
                        n += 1;
                    }
                }
                for stray in self.index.doc_ids()? {
                    match DocId::parse(&stray) {
                        Some(id) if self.summaries.contains_key(&id) => {}
                        Some(id) => self.index.delete_document(&id)?,
                        None => {}
                    }
                }
                self.index.commit(generation)?;
                self.index.release_writer()?;
                if n > 0 {
                    self.notices
                        .push(OpenNotice::IndexRepaired { documents: n });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// What happened while opening that the user should know.
    pub fn notices(&self) -> &[OpenNotice] {
        &self.notices
    }

    pub fn root(&self) -> &Path {
        &self.cfg.root
    }

    /// Adds files and folders (recursively). Each file succeeds or fails alone; progress is
    /// reported through `on_event`; `cancel` stops the batch between files.
    pub fn add(
        &mut self,
        paths: &[PathBuf],
        opts: &AddOptions,
        on_event: &mut dyn FnMut(&AddEvent),
        cancel: &CancelFlag,
    ) -> Result<AddReport> {
        let (files, failed) = gather_files(paths, on_event);
        let mut report = AddReport {
            failed,
            ..Default::default()
        };
        let total = files.len();
        let mut pending_docs = 0usize;
        let mut pending_bytes = 0u64;
        let mut last_commit = Instant::now();
        for (i, path) in files.iter().enumerate() {
            if cancel.is_cancelled() {
                report.cancelled = true;
                break;
            }
            let shown = path.display().to_string();
            on_event(&AddEvent::Started {
                index: i,
                total,
                path: shown.clone(),
            });
            let prepared = self.prepare(path, opts);
            let (name, reason, bytes) = match self.write_inner(prepared, &mut report) {
                Ok(r) => r,
                Err(e) => {
                    // A fault of the store or index (disk full…): stop the batch, keep what
                    // was done.
                    self.commit_writes()?;
                    return Err(e);
                }
            };
            on_event(&AddEvent::Finished {
                index: i,
                total,
                path: shown.clone(),
                outcome: name.into(),
                reason,
            });
            if let Some(b) = bytes {
                pending_docs += 1;
                pending_bytes += b;
            }
            if pending_docs >= self.cfg.commit_every_docs
                || pending_bytes >= self.cfg.commit_every_bytes
                || (pending_docs > 0 && last_commit.elapsed() >= self.cfg.commit_every)
            {
                self.commit_index()?;
                pending_docs = 0;
                pending_bytes = 0;
                last_commit = Instant::now();
            }
        }
        self.commit_writes()?;
        Ok(report)
    }

    /// Reads a file and cuts it into passages, without writing anything: a shell may do this
    /// for a slow file (a large PDF) while searches go on, then store it with
    /// [`Library::write_prepared`]. Never panics; a file's problems travel inside.
    pub fn prepare(&self, path: &Path, opts: &AddOptions) -> PreparedFile {
        let shown = path.display().to_string();
        let step = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.prepare_one(path, opts)
        })) {
            Ok(Ok(p)) => Ok(p),
            Ok(Err(e)) if e.is_user_error() => Err(PrepareFailure::File(one_line(&e.to_string()))),
            Ok(Err(e)) => Err(PrepareFailure::Internal(e)),
            Err(_) => Err(PrepareFailure::File(
                "internal error while reading this file".into(),
            )),
        };
        PreparedFile { shown, step }
    }

    /// Stores and indexes a prepared file and records its outcome in `report`; returns the
    /// outcome (added, updated, unchanged, skipped, failed) and its reason. The index is
    /// committed by [`Library::commit_writes`]. An `Err` is a fault of the store or index:
    /// stop the batch and commit what was done.
    pub fn write_prepared(
        &mut self,
        file: PreparedFile,
        report: &mut AddReport,
    ) -> Result<(&'static str, Option<String>)> {
        let (name, reason, _) = self.write_inner(file, report)?;
        Ok((name, reason))
    }

    fn write_inner(
        &mut self,
        file: PreparedFile,
        report: &mut AddReport,
    ) -> Result<(&'static str, Option<String>, Option<u64>)> {
        let shown = file.shown;
        let mut bytes = None;
        let outcome = match file.step {
            Ok(Prepared::Done(o)) => o,
            Ok(Prepared::Write { doc, shown, update }) => {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.write_one(&doc, shown, update)
                })) {
                    Ok(Ok((o, _generation, b))) => {
                        self.uncommitted = true;
                        bytes = Some(b);
                        o
                    }
                    Ok(Err(e)) if e.is_user_error() => Outcome::Failed(one_line(&e.to_string())),
                    Ok(Err(e)) => return Err(e),
                    Err(_) => Outcome::Failed("internal error while storing this file".into()),
                }
            }
            Err(PrepareFailure::File(reason)) => Outcome::Failed(reason),
            Err(PrepareFailure::Internal(e)) => return Err(e),
        };
        let (name, reason) = match &outcome {
            Outcome::Added(_) => ("added", None),
            Outcome::Updated(_) => ("updated", None),
            Outcome::Unchanged(_) => ("unchanged", None),
            Outcome::Skipped(r) => ("skipped", Some(r.clone())),
            Outcome::Failed(r) => ("failed", Some(r.clone())),
        };
        match outcome {
            Outcome::Added(d) => report.added.push(d),
            Outcome::Updated(d) => report.updated.push(d),
            Outcome::Unchanged(d) => report.unchanged.push(d),
            Outcome::Skipped(reason) => report.skipped.push(SkippedFile {
                path: shown,
                reason,
            }),
            Outcome::Failed(error) => report.failed.push(FailedFile { path: shown, error }),
        }
        Ok((name, reason, bytes))
    }

    fn commit_index(&mut self) -> Result<()> {
        if self.uncommitted {
            let g = self.store.generation()?;
            self.index.commit(g)?;
            self.uncommitted = false;
        }
        Ok(())
    }

    /// Makes what was written searchable (commits the index) and lets the index merge.
    pub fn commit_writes(&mut self) -> Result<()> {
        self.commit_index()?;
        self.index.release_writer()
    }

    /// Reads one file and cuts it into passages: everything but writing, so it needs only
    /// shared access to the library.
    fn prepare_one(&self, path: &Path, opts: &AddOptions) -> Result<Prepared> {
        let shown = path.display().to_string();
        let Some(format) = ingest::format_of(path) else {
            let ext = path
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_else(|| "no extension".into());
            return Ok(Prepared::Done(Outcome::Skipped(format!(
                "unsupported file type ({ext})"
            ))));
        };
        let sidecar = MetaOverrides::from_sidecar(path)?;
        let canonical = std::fs::canonicalize(path)
            .map_err(|e| Error::Extraction(format!("cannot read the file: {e}")))?;
        let source = canonical.to_string_lossy().into_owned();
        let id = DocId::for_source(&source);
        let (hash, bytes) = read_and_hash(&canonical, format, &self.cfg.limits)?;

        let previous = self.summaries.get(&id).cloned();
        let base = previous
            .as_ref()
            .map(|p| p.given.clone())
            .unwrap_or_default();
        let given = match &sidecar {
            Some(s) => base.overlay(s),
            None => base,
        }
        .overlay(&opts.meta);
        if let Some(prev) = &previous {
            if prev.content_hash == hash && prev.given == given {
                return Ok(Prepared::Done(Outcome::Unchanged(UnchangedDoc {
                    path: shown,
                    doc_id: id.to_string(),
                })));
            }
        } else if let Some(other) = self.store.id_for_hash(&hash)?
            && other != id
        {
            let where_ = self
                .summaries
                .get(&other)
                .map(|s| s.source.clone())
                .unwrap_or_default();
            return Ok(Prepared::Done(Outcome::Skipped(format!(
                "duplicate of {other} ({where_})"
            ))));
        }

        let extracted =
            ingest::extract(&canonical, format, &bytes, &self.cfg.limits, &self.cfg.pdf)?;
        drop(bytes);
        let passages = structure::passages(&extracted.lines, format);
        if passages.is_empty() {
            return Err(Error::Extraction("the file contains no text".into()));
        }
        let detected = if given.language.is_none() {
            let sample: String = passages
                .iter()
                .take(20)
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            analysis::detect_language(&sample)
        } else {
            None
        };
        let fallback_title = extracted.title.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        let meta = given.resolve(&fallback_title, detected.as_deref())?;
        let doc = Document {
            id: id.clone(),
            meta,
            given,
            source,
            format,
            content_hash: hash,
            stored_at: now(),
            passages,
        };
        Ok(Prepared::Write {
            doc: Box::new(doc),
            shown,
            update: previous.is_some(),
        })
    }

    /// Stores and indexes a prepared document (the index is committed later). Returns the
    /// outcome, the store generation and the bytes of text written.
    fn write_one(
        &mut self,
        doc: &Document,
        shown: String,
        update: bool,
    ) -> Result<(Outcome, u64, u64)> {
        let id = doc.id.clone();
        let generation = self.store.put(doc)?;
        self.index.put_document(doc)?;
        let summary = doc.summary();
        let text_bytes = summary.text_bytes;
        let added = AddedDoc {
            path: shown,
            doc_id: id.to_string(),
            title: doc.meta.title.clone(),
            passages: doc.passages.len(),
        };
        self.summaries.insert(id, summary);
        let outcome = if update {
            Outcome::Updated(added)
        } else {
            Outcome::Added(added)
        };
        Ok((outcome, generation, text_bytes))
    }

    /// Searches passages.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let raw = self.index.search(req, &self.alternatives(&req.query))?;
        let facets = self.facets(&raw.per_doc);
        let mut hits = Vec::with_capacity(raw.hits.len());
        for h in &raw.hits {
            let Some(summary) = self.summaries.get(&h.doc_id) else {
                continue;
            };
            let Some(passage) = self.store.passage_at(&h.doc_id, h.ordinal, &h.anchor)? else {
                continue;
            };
            let snippet = snippet::snippet(&passage.text, &raw.highlight, &self.stemmers);
            hits.push(hit(summary, &passage, snippet, h.score));
        }
        Ok(SearchResults {
            query: req.query.clone(),
            total: raw.total,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets,
            fuzzy: raw.fuzzy,
            notice: raw
                .empty_query
                .then(|| "nothing to search for: type some words".to_string()),
        })
    }

    /// The glossary's other names for the terms a query names (only its positive words and
    /// phrases count).
    fn alternatives(&self, query: &str) -> Vec<String> {
        if self.glossary.is_empty() {
            return Vec::new();
        }
        let positive: Vec<String> = crate::query::parse(query)
            .into_iter()
            .flat_map(|c| match c {
                crate::query::Clause::Word { text, .. } => vec![text],
                crate::query::Clause::Phrase(p) => vec![p],
                crate::query::Clause::Or(alts) => alts
                    .into_iter()
                    .filter_map(|a| match a {
                        crate::query::Clause::Word { text, .. } => Some(text),
                        crate::query::Clause::Phrase(p) => Some(p),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        self.glossary.expansions(&positive.join(" "))
    }

    /// Installs a glossary file (checked first) as the library's own, for its searches;
    /// returns how many terms it has.
    pub fn install_glossary(&mut self, src: &Path) -> Result<usize> {
        let g = Glossary::load(src)?;
        let dest = self.cfg.root.join(GLOSSARY_FILE);
        let tmp = self.cfg.root.join(format!("{GLOSSARY_FILE}.tmp"));
        let io = |context: &str, e: std::io::Error| Error::Io {
            context: format!("{context} {}", dest.display()),
            source: e,
        };
        std::fs::copy(src, &tmp).map_err(|e| io("cannot write", e))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("cannot write", e))?;
        std::fs::rename(&tmp, &dest).map_err(|e| io("cannot write", e))?;
        let n = g.len();
        self.glossary = g;
        Ok(n)
    }

    /// Facet counts (matching passages per value) from per-document hit counts.
    fn facets(&self, per_doc: &[(DocId, u64)]) -> crate::query::Facets {
        let mut facets = crate::query::Facets::new();
        for d in ["kind", "country", "language", "year", "instrument"] {
            facets.insert(d.to_string(), Default::default());
        }
        for (id, n) in per_doc {
            let Some(s) = self.summaries.get(id) else {
                continue;
            };
            let m = &s.meta;
            let mut add = |dim: &str, value: String| {
                if let Some(counts) = facets.get_mut(dim) {
                    *counts.entry(value).or_insert(0) += n;
                }
            };
            add("kind", m.kind.as_str().to_string());
            for c in &m.country {
                add("country", c.clone());
            }
            if let Some(l) = &m.language {
                add("language", l.clone());
            }
            if let Some(y) = m.year {
                add("year", y.to_string());
            }
            if let Some(i) = &m.instrument {
                add("instrument", i.clone());
            }
        }
        facets
    }

    /// A whole document.
    pub fn document(&self, id: &DocId) -> Result<Document> {
        self.store.get(id)?.ok_or_else(|| unknown_document(id))
    }

    /// A whole document with, for each passage, the byte ranges that `query` matches (empty
    /// when the query is): what a reader opened from a search result highlights.
    pub fn document_with_matches(
        &self,
        id: &DocId,
        query: &str,
    ) -> Result<(Document, Vec<MatchRanges>)> {
        let doc = self.document(id)?;
        let hl = if query.trim().is_empty() {
            snippet::Highlight::default()
        } else {
            let mut req = SearchRequest::new(query);
            req.limit = 1;
            self.index
                .search(&req, &self.alternatives(query))?
                .highlight
        };
        let marks = doc
            .passages
            .iter()
            .map(|p| {
                if hl.is_empty() {
                    Vec::new()
                } else {
                    snippet::match_ranges(&p.text, &hl, &self.stemmers)
                }
            })
            .collect();
        Ok((doc, marks))
    }

    fn summary_of(&self, id: &DocId) -> Result<DocSummary> {
        self.summaries
            .get(id)
            .cloned()
            .ok_or_else(|| unknown_document(id))
    }

    /// One passage with its document's summary.
    pub fn passage(&self, id: &DocId, anchor: &str) -> Result<(DocSummary, Passage)> {
        let summary = self.summary_of(id)?;
        let p = self
            .store
            .passage(id, anchor)?
            .ok_or_else(|| Error::NotFound {
                what: "passage",
                id: format!("{id}#{anchor}"),
            })?;
        Ok((summary, p))
    }

    /// All documents, by title.
    pub fn list(&self) -> Vec<DocSummary> {
        let mut v: Vec<DocSummary> = self.summaries.values().cloned().collect();
        v.sort_by(|a, b| {
            a.meta
                .title
                .to_lowercase()
                .cmp(&b.meta.title.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
        v
    }

    /// Replaces the metadata the user gave for a document (a metadata editor's form) and
    /// re-indexes it. An empty title or language keeps the current one; later re-adds of the
    /// same file keep these values unless a sidecar or flags give others.
    pub fn update_metadata(&mut self, id: &DocId, given: MetaOverrides) -> Result<DocSummary> {
        let mut doc = self.document(id)?;
        let fallback_title = doc.meta.title.clone();
        let current_language = doc.meta.language.clone();
        let meta = given.resolve(&fallback_title, current_language.as_deref())?;
        doc.meta = meta;
        doc.given = given;
        let generation = self.store.put(&doc)?;
        self.index.put_document(&doc)?;
        self.index.commit(generation)?;
        self.index.release_writer()?;
        let summary = doc.summary();
        self.summaries.insert(id.clone(), summary.clone());
        Ok(summary)
    }

    /// Stores a document built elsewhere (the passages a briefing pack quotes from a document
    /// this library does not hold), so it can be read, searched and annotated. Its `source`
    /// names where it came from. Does nothing and returns false when the library already
    /// holds a document with that id.
    pub fn add_excerpts(&mut self, doc: Document) -> Result<bool> {
        if self.summaries.contains_key(&doc.id) {
            return Ok(false);
        }
        if doc.passages.is_empty() {
            return Err(Error::InvalidInput(format!(
                "no passages to add for {}",
                doc.id
            )));
        }
        let shown = doc.source.clone();
        self.write_one(&doc, shown, false)?;
        self.uncommitted = true;
        self.commit_writes()?;
        Ok(true)
    }

    /// Removes a document from the store and the index.
    pub fn remove(&mut self, id: &DocId) -> Result<DocSummary> {
        let summary = self.summary_of(id)?;
        let generation = self.store.remove(id)?.unwrap_or(self.store.generation()?);
        self.summaries.remove(id);
        self.index.delete_document(id)?;
        self.index.commit(generation)?;
        self.index.release_writer()?;
        Ok(summary)
    }

    /// Rebuilds the whole index from the stored documents.
    pub fn reindex(
        &mut self,
        on_progress: &mut dyn FnMut(usize, usize),
        cancel: &CancelFlag,
    ) -> Result<ReindexReport> {
        self.rebuild_index(on_progress, cancel)
    }

    fn rebuild_index(
        &mut self,
        on_progress: &mut dyn FnMut(usize, usize),
        cancel: &CancelFlag,
    ) -> Result<ReindexReport> {
        let started = Instant::now();
        self.index.clear()?;
        let ids: Vec<DocId> = self.list().into_iter().map(|s| s.id).collect();
        let mut passages = 0;
        let mut bytes = 0u64;
        for (i, id) in ids.iter().enumerate() {
            if cancel.is_cancelled() {
                // Leave the index marked out of date: the next open finishes the job.
                self.index.commit(0)?;
                self.index.release_writer()?;
                return Err(Error::Cancelled);
            }
            on_progress(i, ids.len());
            if let Some(doc) = self.store.get(id)? {
                passages += doc.passages.len();
                bytes += doc.summary().text_bytes;
                self.index.put_document(&doc)?;
            }
            if bytes >= self.cfg.commit_every_bytes {
                self.index.commit(0)?;
                bytes = 0;
            }
        }
        on_progress(ids.len(), ids.len());
        self.index.commit(self.store.generation()?)?;
        self.index.release_writer()?;
        Ok(ReindexReport {
            documents: ids.len(),
            passages,
            took_ms: started.elapsed().as_millis() as u64,
        })
    }

    /// Where the search index's bytes go, field by field.
    pub fn index_usage(&self) -> Result<crate::index::IndexUsage> {
        self.index.usage()
    }

    /// Puts a set of documents built elsewhere (a content pack's) into the library and
    /// removes others, all or nothing: when a write fails or `cancel` is set, every document
    /// touched is put back as it was and the error returned. Documents are stored under their
    /// own ids (replacing any with the same id).
    ///
    /// `prebuilt_index`: a folder holding an index built from exactly these documents. It is
    /// used instead of indexing when the library holds no documents yet (a first install with
    /// no indexing wait); a prebuilt index that cannot be used is ignored and the documents
    /// indexed here. Returns whether the prebuilt index was used.
    pub fn install_documents(
        &mut self,
        docs: Vec<Document>,
        remove: &[DocId],
        prebuilt_index: Option<&Path>,
        on_progress: &mut dyn FnMut(usize, usize),
        cancel: &CancelFlag,
    ) -> Result<bool> {
        for d in &docs {
            if d.passages.is_empty() {
                return Err(Error::InvalidInput(format!("{} has no passages", d.id)));
            }
        }
        let adopt = prebuilt_index.is_some() && self.summaries.is_empty() && remove.is_empty();
        // What was there before, to put back on failure.
        let mut before: Vec<(DocId, Option<Document>)> = Vec::new();
        for id in docs.iter().map(|d| &d.id).chain(remove.iter()) {
            let prev = if self.summaries.contains_key(id) {
                self.store.get(id)?
            } else {
                None
            };
            before.push((id.clone(), prev));
        }
        let total = docs.len() + remove.len();
        let mut applied = 0usize;
        let result = (|| -> Result<()> {
            for doc in &docs {
                if cancel.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                on_progress(applied, total);
                if adopt {
                    self.store.put(doc)?;
                    self.summaries.insert(doc.id.clone(), doc.summary());
                } else {
                    self.write_one(doc, doc.source.clone(), false)?;
                    self.uncommitted = true;
                }
                applied += 1;
            }
            for id in remove {
                if cancel.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                on_progress(applied, total);
                if self.summaries.remove(id).is_some() {
                    self.store.remove(id)?;
                    self.index.delete_document(id)?;
                    self.uncommitted = true;
                }
                applied += 1;
            }
            Ok(())
        })();
        if let Err(e) = result {
            self.put_back(before)?;
            return Err(e);
        }
        let mut used_prebuilt = false;
        if adopt && let Some(dir) = prebuilt_index {
            used_prebuilt = self.adopt_index(dir).unwrap_or(false);
            if !used_prebuilt {
                self.rebuild_index(&mut |_, _| {}, &CancelFlag::new())?;
            }
        } else {
            self.commit_writes()?;
        }
        on_progress(total, total);
        Ok(used_prebuilt)
    }

    /// Restores documents as they were (None: absent), committing the index.
    fn put_back(&mut self, before: Vec<(DocId, Option<Document>)>) -> Result<()> {
        for (id, prev) in before.into_iter().rev() {
            match prev {
                Some(doc) => {
                    self.write_one(&doc, doc.source.clone(), true)?;
                }
                None => {
                    if self.summaries.remove(&id).is_some() {
                        self.store.remove(&id)?;
                    }
                    self.index.delete_document(&id)?;
                }
            }
        }
        self.uncommitted = true;
        self.commit_writes()
    }

    /// Replaces the (empty) index by a copy of the prebuilt one in `dir`, then checks it
    /// holds every stored document in its current version (as after an interrupted batch:
    /// what it lacks is indexed, strays dropped). Returns false when it cannot be used (the
    /// index is then empty and must be rebuilt).
    fn adopt_index(&mut self, dir: &Path) -> Result<bool> {
        let live = self.cfg.root.join("index");
        let staged = self.cfg.root.join("index.incoming");
        let parked = self.cfg.root.join("index.parked");
        let _ = std::fs::remove_dir_all(&staged);
        let _ = std::fs::remove_dir_all(&parked);
        copy_dir(dir, &staged).map_err(|e| Error::io("cannot copy the prebuilt index", e))?;
        // Let go of the live index's files (Windows cannot move files that are open).
        let (placeholder, _) = SearchIndex::open(&parked, self.cfg.index.clone())?;
        self.index = placeholder;
        let swapped = std::fs::remove_dir_all(&live)
            .and_then(|_| std::fs::rename(&staged, &live))
            .map_err(|e| Error::io("cannot put the prebuilt index in place", e));
        let (index, state) = SearchIndex::open(&live, self.cfg.index.clone())?;
        self.index = index;
        let _ = std::fs::remove_dir_all(&parked);
        let _ = std::fs::remove_dir_all(&staged);
        swapped?;
        if state != IndexState::Ready {
            return Ok(false);
        }
        // Index anything the prebuilt index lacks or holds in another version, drop strays.
        let before = self.notices.len();
        self.bring_index_up_to_date(IndexState::Ready)?;
        self.notices.truncate(before);
        Ok(true)
    }

    pub fn stats(&self) -> Result<Stats> {
        let mut by_kind = std::collections::BTreeMap::new();
        let mut by_language = std::collections::BTreeMap::new();
        for s in self.summaries.values() {
            *by_kind.entry(s.meta.kind.as_str().to_string()).or_insert(0) += 1;
            *by_language
                .entry(s.meta.language.clone().unwrap_or_else(|| "unknown".into()))
                .or_insert(0) += 1;
        }
        Ok(Stats {
            root: self.cfg.root.display().to_string(),
            documents: self.summaries.len(),
            passages: self.summaries.values().map(|s| s.passages).sum(),
            text_bytes: self.summaries.values().map(|s| s.text_bytes).sum(),
            store_bytes: self.store.size_on_disk()?,
            index_bytes: self.index.size_on_disk(),
            indexed_passages: self.index.num_passages(),
            by_kind,
            by_language,
        })
    }
}

fn hit(summary: &DocSummary, p: &Passage, snippet: String, score: f32) -> SearchHit {
    SearchHit {
        doc_id: summary.id.to_string(),
        title: summary.meta.title.clone(),
        kind: summary.meta.kind.as_str().to_string(),
        country: summary.meta.country.clone(),
        language: summary.meta.language.clone(),
        year: summary.meta.year,
        instrument: summary.meta.instrument.clone(),
        anchor: p.anchor.clone(),
        heading: p.heading.clone(),
        page: p.page,
        citation: p.citation(&summary.meta.citation_title()),
        snippet,
        score,
    }
}

/// The files a batch over `paths` would read, in order, with the paths that cannot be read
/// (as failures). Lets a shell split a large batch into chunks of its own.
pub fn gather_files(
    paths: &[PathBuf],
    on_event: &mut dyn FnMut(&AddEvent),
) -> (Vec<PathBuf>, Vec<FailedFile>) {
    let mut report = AddReport::default();
    let mut files = Vec::new();
    for p in paths {
        if !p.exists() {
            report.failed.push(FailedFile {
                path: p.display().to_string(),
                error: "no such file or folder".into(),
            });
            continue;
        }
        collect_files(p, &mut files, &mut report, on_event);
    }
    (files, report.failed)
}

/// Walks folders (not following links to folders), in a stable order; sidecars and hidden
/// files are not documents.
fn collect_files(
    root: &Path,
    out: &mut Vec<PathBuf>,
    report: &mut AddReport,
    on_event: &mut dyn FnMut(&AddEvent),
) {
    let mut stack = vec![root.to_path_buf()];
    let explicit_file = root.is_file();
    while let Some(p) = stack.pop() {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                report.failed.push(FailedFile {
                    path: p.display().to_string(),
                    error: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if meta.is_dir() || (meta.file_type().is_symlink() && p.is_dir() && p == root) {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(&p) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    report.failed.push(FailedFile {
                        path: p.display().to_string(),
                        error: format!("cannot read folder: {e}"),
                    });
                    continue;
                }
            };
            entries.sort();
            entries.retain(|e| {
                let n = e
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let linked_dir = e.is_dir()
                    && std::fs::symlink_metadata(e).is_ok_and(|m| m.file_type().is_symlink());
                !(n.starts_with('.') || n.ends_with(".meta.toml") || linked_dir)
            });
            stack.extend(entries.into_iter().rev());
        } else if p.is_file() && (explicit_file || !name.ends_with(".meta.toml")) {
            out.push(p);
            if out.len().is_multiple_of(100) {
                on_event(&AddEvent::Found { files: out.len() });
            }
        }
    }
    on_event(&AddEvent::Found { files: out.len() });
}

/// Reads a file (all of it for text formats, only hashing for PDF, which the worker reads).
fn read_and_hash(path: &Path, format: Format, limits: &IngestLimits) -> Result<(String, Vec<u8>)> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Extraction(format!("cannot read the file: {e}")))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if format == Format::Pdf {
        let mut hasher = blake3::Hasher::new();
        hasher
            .update_reader(file)
            .map_err(|e| Error::Extraction(format!("cannot read the file: {e}")))?;
        return Ok((hasher.finalize().to_hex().to_string(), Vec::new()));
    }
    if len > limits.max_file_bytes {
        return Err(Error::Extraction(format!(
            "the file is too large ({} MB; the limit is {} MB)",
            len / 1_000_000,
            limits.max_file_bytes / 1_000_000
        )));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Extraction(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::Extraction("the file is too large".into()));
    }
    Ok((blake3::hash(&bytes).to_hex().to_string(), bytes))
}

/// Copies the files of a folder (not its subfolders' files: an index folder has none that
/// matter) into a new folder.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_file() {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

fn unknown_document(id: &DocId) -> Error {
    Error::NotFound {
        what: "document",
        id: id.to_string(),
    }
}

fn one_line(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

//! [`Notes`]: the annotations of one library, as the shells use them.
//!
//! Every change is one atomic batch in the store, on disk before the method returns. Older
//! versions (edited, deleted, or replaced by an import) go to the history collection, so
//! nothing a user wrote is ever silently lost; a delete can be undone. Backups are taken on
//! open, after writes (at most every `backup_interval`, or every `backup_every_writes`
//! writes) and on close. Every change is also appended to the journal of changes since the
//! last backup ([`crate::journal`]). A store that does not open is moved aside, the newest
//! good backup restored and the journal replayed on top of it, with a notice saying what
//! happened and where the old files are; a store that opens without some acknowledged
//! changes gets them back from the journal.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use pustaka_core::analysis::{self, Stemmers};
use pustaka_core::{DocId, Document, Error, Library, Result};

use crate::backup::{self, BackupInfo};
use crate::formats::{self, Format};
use crate::journal::{self, Journal, Replayed};
use crate::model::{
    self, Anchoring, Annotation, AnnotationId, Color, Motivation, Target, now_ms, passage_hash,
    quote_at,
};
use crate::search::{NoteQuery, NoteTerms};
use crate::store::{MemUserStore, Op, OpenFailure, Opened, SledUserStore, Tree, UserStore};

/// The largest file `import_file` reads.
pub use crate::formats::MAX_IMPORT_BYTES;

/// Where a library's notes live and how they are backed up.
#[derive(Debug, Clone)]
pub struct NotesConfig {
    /// Holds `store/` (the database), `backups/` and `journal`.
    pub dir: PathBuf,
    /// Backup generations kept.
    pub keep_backups: usize,
    /// A backup is taken after a write when the last one is older than this…
    pub backup_interval: Duration,
    /// …or when this many writes were made since.
    pub backup_every_writes: u64,
    /// A write that would leave less free space than this on the disk is refused.
    pub min_free_bytes: u64,
}

impl NotesConfig {
    /// The notes of the library at `root` (in `<root>/notes`).
    pub fn in_library(root: &Path) -> NotesConfig {
        NotesConfig {
            dir: root.join("notes"),
            keep_backups: 7,
            backup_interval: Duration::from_secs(60),
            backup_every_writes: 20,
            min_free_bytes: crate::store::DEFAULT_MIN_FREE_BYTES,
        }
    }

    pub fn store_dir(&self) -> PathBuf {
        self.dir.join("store")
    }

    pub fn backup_dir(&self) -> PathBuf {
        self.dir.join("backups")
    }

    /// The changes made since the last backup.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join("journal")
    }
}

/// Something the user must be told about their notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotesNotice {
    /// The store did not open; it was moved aside, a backup restored and the journal of later
    /// changes replayed on top of it.
    Restored {
        reason: String,
        moved_to: Option<PathBuf>,
        backup: PathBuf,
        backup_created: i64,
        /// Annotations now in the store.
        annotations: u64,
        /// Changes made after the backup, brought back from the journal.
        journal: Replayed,
    },
    /// The store did not open and no backup could be read: an empty store was started (with
    /// whatever the journal held); the old files are kept.
    StartedEmpty {
        reason: String,
        moved_to: Option<PathBuf>,
        journal: Replayed,
    },
    /// The store opened without its last acknowledged changes (the app was stopped while
    /// the storage engine was writing); they were brought back from the journal.
    CaughtUp { journal: Replayed },
}

impl fmt::Display for NotesNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let moved = |m: &Option<PathBuf>| match m {
            Some(p) => format!(" The damaged files were kept in {}.", p.display()),
            None => String::new(),
        };
        let gap = |j: &Replayed| {
            if j.complete {
                ""
            } else {
                " Some changes made before those could not be recovered."
            }
        };
        match self {
            NotesNotice::Restored {
                reason,
                moved_to,
                backup,
                backup_created,
                annotations,
                journal,
            } => {
                let later = match journal.changes {
                    0 => String::new(),
                    1 => ", with the 1 change made after it".to_string(),
                    n => format!(", with the {n} changes made after it"),
                };
                write!(
                    f,
                    "Your notes could not be opened ({reason}). They were restored from the backup of {} ({}){later}: {annotations} annotations.{}{}",
                    model::rfc3339(*backup_created),
                    backup.display(),
                    gap(journal),
                    moved(moved_to)
                )
            }
            NotesNotice::StartedEmpty {
                reason,
                moved_to,
                journal,
            } => {
                if journal.changes == 0 {
                    write!(
                        f,
                        "Your notes could not be opened ({reason}) and no backup could be read; Pustaka started with no notes.{}",
                        moved(moved_to)
                    )
                } else {
                    write!(
                        f,
                        "Your notes could not be opened ({reason}) and no backup could be read; Pustaka started again from the {} recent changes in its journal.{}{}",
                        journal.changes,
                        gap(journal),
                        moved(moved_to)
                    )
                }
            }
            NotesNotice::CaughtUp { journal } => write!(
                f,
                "Your notes were missing the last {} change(s) made before Pustaka stopped; they were brought back from the journal of recent changes.{}",
                journal.changes,
                gap(journal)
            ),
        }
    }
}

/// Where a new annotation goes in its passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The first occurrence of this text.
    Quote(String),
    /// Characters `start..end` of the passage's text.
    Chars { start: usize, end: usize },
}

/// A new annotation.
#[derive(Debug, Clone)]
pub struct NewAnnotation {
    pub doc_id: DocId,
    pub anchor: String,
    pub at: Selection,
    pub note: String,
    pub tags: Vec<String>,
    pub color: Color,
    /// Defaults to commenting when there is a note, else highlighting.
    pub motivation: Option<Motivation>,
    pub author: String,
}

/// Changes to an annotation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct Changes<'a> {
    pub note: Option<String>,
    pub tags: Option<Vec<String>>,
    pub color: Option<Color>,
    /// Confirms a "changed since annotated" annotation against this, the current document.
    pub accept_change: Option<&'a Document>,
}

/// Which annotations to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub tag: Option<String>,
    pub doc_id: Option<DocId>,
    pub color: Option<Color>,
    /// Only orphans and annotations whose passage changed.
    pub needs_attention: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub kept_ours: usize,
}

/// A version of an annotation kept in history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// `edited`, `deleted`, `replaced-by-import`, `older-in-import`, `restored`.
    pub reason: String,
    /// When it went to history (ms).
    pub at: i64,
    pub annotation: Annotation,
}

/// A note that matches a search.
#[derive(Debug, Clone)]
pub struct NoteHit {
    pub annotation: Annotation,
    pub score: f32,
    /// HTML-escaped, matches in `<mark>`.
    pub snippet: String,
}

struct Entry {
    ann: Annotation,
    terms: NoteTerms,
}

struct BackupState {
    at: Instant,
    generation: u64,
    problem: Option<String>,
}

/// The annotations of one library.
pub struct Notes {
    store: Box<dyn UserStore>,
    cfg: Option<NotesConfig>,
    notices: Vec<NotesNotice>,
    cache: RwLock<HashMap<AnnotationId, Entry>>,
    stemmers: Stemmers,
    backup: Mutex<BackupState>,
    /// The changes since the last backup (none for a store without backups).
    journal: Option<Journal>,
    /// Serialises writers, so a read-modify-write is not interleaved.
    write: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| Error::Store(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Store(format!("damaged {what}: {e}")))
}

fn put_ann(a: &Annotation) -> Result<Op> {
    Ok(Op::Put {
        tree: Tree::Annotations,
        key: a.id.to_string(),
        value: to_json(a)?,
    })
}

fn put_history(a: &Annotation, reason: &str, at: i64) -> Result<Op> {
    Ok(Op::Put {
        tree: Tree::History,
        key: format!("{}/{at:016}-{reason}", a.id),
        value: to_json(&HistoryEntry {
            reason: reason.to_string(),
            at,
            annotation: a.clone(),
        })?,
    })
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "annotation",
        id: id.to_string(),
    }
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}

impl Notes {
    /// Opens the notes at `cfg.dir`, recovering from a damaged store (see the module docs).
    pub fn open(cfg: NotesConfig) -> Result<Notes> {
        std::fs::create_dir_all(&cfg.dir).map_err(io(format!("creating {}", cfg.dir.display())))?;
        let store_dir = cfg.store_dir();
        let backups = cfg.backup_dir();
        let journal::Opened {
            journal, records, ..
        } = Journal::open(&cfg.journal_path())?;
        let newest = backup::newest_good(&backups);
        let attempt = catch_unwind(AssertUnwindSafe(|| {
            let (s, opened) = SledUserStore::open(&store_dir)?;
            s.set_min_free(cfg.min_free_bytes);
            s.verify()?;
            Ok::<_, OpenFailure>((s, opened))
        }));
        let reason = match attempt {
            Ok(Ok((s, opened))) => {
                let generation = s.generation()?;
                let lost = match (&newest, opened) {
                    // Store files that hold no store: damaged, never taken for an empty one.
                    (_, Opened::Blank) => Some("its files are damaged or incomplete".to_string()),
                    (Some(b), Opened::Created) if b.generation > 0 => {
                        Some("its files are missing".to_string())
                    }
                    (Some(b), _) if b.generation > generation => Some(format!(
                        "it holds fewer changes than its newest backup ({generation} < {})",
                        b.generation
                    )),
                    _ => None,
                };
                match lost {
                    None => {
                        // Acknowledged changes the store came back without.
                        let mut notices = Vec::new();
                        if records.last().is_some_and(|r| r.generation > generation) {
                            let replayed = journal::replay(&s, &records, generation)?;
                            notices.push(NotesNotice::CaughtUp { journal: replayed });
                        }
                        return Notes::ready(Box::new(s), Some(cfg), Some(journal), notices);
                    }
                    Some(r) => {
                        drop(s);
                        r
                    }
                }
            }
            Ok(Err(OpenFailure::Newer(e))) => return Err(e),
            Ok(Err(OpenFailure::Damaged(e))) => e.to_string(),
            Err(_) => "the storage engine failed while reading it".to_string(),
        };
        // Recovery: keep the damaged files, start a fresh store, restore the newest good
        // backup (older ones if it fails), then replay the journal's later changes.
        let moved_to = move_aside(&store_dir)?;
        let (s, _) = SledUserStore::open(&store_dir).map_err(|e| match e {
            OpenFailure::Newer(e) | OpenFailure::Damaged(e) => e,
        })?;
        s.set_min_free(cfg.min_free_bytes);
        let restored = backup::list(&backups)
            .into_iter()
            .find_map(|path| backup::restore_into(&path, &s).ok());
        let after = restored.as_ref().map_or(0, |info| info.generation);
        let replayed = journal::replay(&s, &records, after)?;
        let notice = match restored {
            Some(info) => NotesNotice::Restored {
                reason,
                moved_to,
                backup: info.path,
                backup_created: info.created,
                annotations: s.count(Tree::Annotations)?,
                journal: replayed,
            },
            None => NotesNotice::StartedEmpty {
                reason,
                moved_to,
                journal: replayed,
            },
        };
        Notes::ready(Box::new(s), Some(cfg), Some(journal), vec![notice])
    }

    /// Notes kept in memory only (tests, previews).
    pub fn in_memory() -> Notes {
        Notes::with_store(Box::new(MemUserStore::new())).unwrap_or_else(|_| unreachable_empty())
    }

    /// Notes over any store (no backups).
    pub fn with_store(store: Box<dyn UserStore>) -> Result<Notes> {
        Notes::ready(store, None, None, Vec::new())
    }

    fn ready(
        store: Box<dyn UserStore>,
        cfg: Option<NotesConfig>,
        journal: Option<Journal>,
        notices: Vec<NotesNotice>,
    ) -> Result<Notes> {
        let stemmers = Stemmers::default();
        let mut cache = HashMap::new();
        for (key, value) in store.scan(Tree::Annotations, "")? {
            let ann: Annotation = from_json(&value, &format!("annotation {key}"))?;
            let terms = NoteTerms::of(&ann, &stemmers);
            cache.insert(ann.id.clone(), Entry { ann, terms });
        }
        let generation = store.generation()?;
        let notes = Notes {
            store,
            cfg,
            notices,
            cache: RwLock::new(cache),
            stemmers,
            backup: Mutex::new(BackupState {
                at: Instant::now(),
                generation: u64::MAX,
                problem: None,
            }),
            journal,
            write: Mutex::new(()),
        };
        // A backup now when the newest one does not hold the current state.
        if let Some(cfg) = &notes.cfg {
            let newest = backup::newest_good(&cfg.backup_dir());
            if newest.as_ref().map(|b| b.generation) == Some(generation) {
                lock(&notes.backup).generation = generation;
            } else if generation > 0 {
                notes.backup_now_quietly();
            }
        }
        Ok(notes)
    }

    /// What to tell the user about this opening (told once by the shell).
    pub fn notices(&self) -> &[NotesNotice] {
        &self.notices
    }

    /// The last backup failure, if the most recent attempt failed.
    pub fn backup_problem(&self) -> Option<String> {
        lock(&self.backup).problem.clone()
    }

    /// Writes a backup now.
    pub fn backup_now(&self) -> Result<Option<BackupInfo>> {
        let _w = lock(&self.write);
        self.backup_locked()
    }

    /// [`Notes::backup_now`] for a caller that holds the write lock.
    fn backup_locked(&self) -> Result<Option<BackupInfo>> {
        let Some(cfg) = &self.cfg else {
            return Ok(None);
        };
        let r = backup::write(self.store.as_ref(), &cfg.backup_dir(), cfg.keep_backups);
        let mut st = lock(&self.backup);
        st.at = Instant::now();
        match r {
            Ok(info) => {
                // The backup holds every change in the journal (writers wait for the write
                // lock, which the caller holds). Should emptying fail, the old records are
                // only skipped by a replay.
                if let Some(j) = &self.journal {
                    let _ = j.clear();
                }
                st.generation = info.generation;
                st.problem = None;
                Ok(Some(info))
            }
            Err(e) => {
                st.problem = Some(e.to_string());
                Err(e)
            }
        }
    }

    fn backup_now_quietly(&self) {
        let _ = self.backup_locked();
    }

    fn after_write(&self, generation: u64) {
        let Some(cfg) = &self.cfg else { return };
        let due = {
            let st = lock(&self.backup);
            st.generation == u64::MAX
                || st.at.elapsed() >= cfg.backup_interval
                || generation.saturating_sub(st.generation) >= cfg.backup_every_writes
        };
        if due {
            self.backup_now_quietly();
        }
    }

    /// Applies `ops` and updates the cache with `put` and `removed`.
    fn commit(&self, ops: Vec<Op>, put: Vec<Annotation>, removed: Vec<AnnotationId>) -> Result<()> {
        let generation = self.store.apply(&ops)?;
        let journaled = match &self.journal {
            Some(j) => j.append(generation, &ops),
            None => Ok(()),
        };
        {
            let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
            for id in removed {
                cache.remove(&id);
            }
            for ann in put {
                let terms = NoteTerms::of(&ann, &self.stemmers);
                cache.insert(ann.id.clone(), Entry { ann, terms });
            }
        }
        match journaled {
            Ok(()) => self.after_write(generation),
            // The change is in the store, but not in the journal: a backup now covers it.
            Err(e) => {
                if self.backup_locked().is_err() {
                    lock(&self.backup).problem = Some(format!(
                        "the journal of recent changes could not be written ({e}), and no backup either"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Adds an annotation to a passage of `doc` (the document's current version).
    pub fn add(&self, doc: &Document, new: NewAnnotation) -> Result<Annotation> {
        if new.doc_id != doc.id {
            return Err(Error::InvalidInput(format!(
                "the annotation is for {} but the document given is {}",
                new.doc_id, doc.id
            )));
        }
        let passage = doc.passage(&new.anchor).ok_or_else(|| Error::NotFound {
            what: "passage",
            id: format!("{}#{}", doc.id, new.anchor),
        })?;
        let citation = passage.citation(&doc.meta.citation_title());
        model::check_note(&new.note)?;
        let tags = model::clean_tags(&new.tags)?;
        let text = &passage.text;
        let (start, end) = match &new.at {
            Selection::Quote(q) => {
                let q = analysis::normalize(q);
                if q.trim().is_empty() {
                    return Err(Error::InvalidInput("the quote is empty".into()));
                }
                if q.len() > model::MAX_QUOTE_BYTES {
                    return Err(Error::InvalidInput(format!(
                        "the quote is too long (at most {} KB)",
                        model::MAX_QUOTE_BYTES / 1024
                    )));
                }
                let Some(byte) = text.find(q.as_str()) else {
                    let shown: String = q.chars().take(60).collect();
                    let more = if q.chars().count() > 60 { "…" } else { "" };
                    return Err(Error::InvalidInput(format!(
                        "the quote \"{shown}{more}\" is not in {citation} ({}#{}); copy it exactly from the passage",
                        doc.id, new.anchor
                    )));
                };
                let start = text[..byte].chars().count();
                (start, start + q.chars().count())
            }
            Selection::Chars { start, end } => {
                let len = text.chars().count();
                if start >= end || *end > len {
                    return Err(Error::InvalidInput(format!(
                        "the selection {start}–{end} is not inside {citation}, which has {len} characters"
                    )));
                }
                (*start, *end)
            }
        };
        let quote = quote_at(text, start, end);
        if quote.exact.len() > model::MAX_QUOTE_BYTES {
            return Err(Error::InvalidInput(format!(
                "the selection is too long (at most {} KB)",
                model::MAX_QUOTE_BYTES / 1024
            )));
        }
        let now = now_ms();
        let motivation = new.motivation.unwrap_or(if new.note.trim().is_empty() {
            Motivation::Highlighting
        } else {
            Motivation::Commenting
        });
        let ann = Annotation {
            id: AnnotationId::new_random(),
            target: Target {
                doc_id: doc.id.clone(),
                anchor: new.anchor.clone(),
                start,
                end,
                quote,
                passage_hash: passage_hash(text),
                doc_hash: doc.content_hash.clone(),
            },
            note: new.note,
            tags,
            color: new.color,
            motivation,
            author: new.author.trim().to_string(),
            created: now,
            modified: now,
            anchoring: Anchoring::Attached,
            citation,
            doc_title: doc.meta.title.clone(),
        };
        model::validate(&ann)?;
        let _w = lock(&self.write);
        self.commit(vec![put_ann(&ann)?], vec![ann.clone()], Vec::new())?;
        Ok(ann)
    }

    pub fn get(&self, id: &AnnotationId) -> Option<Annotation> {
        self.cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .map(|e| e.ann.clone())
    }

    /// Resolves an id as typed: the full id, or a unique prefix of at least 6 characters.
    pub fn resolve(&self, typed: &str) -> Result<AnnotationId> {
        if let Some(id) = AnnotationId::parse(typed) {
            return Ok(id);
        }
        let t = typed.trim().to_ascii_lowercase();
        if t.len() >= 6 {
            let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
            let found: Vec<&AnnotationId> = cache
                .keys()
                .filter(|k| k.as_str().starts_with(&t))
                .collect();
            if found.len() == 1 {
                return Ok(found[0].clone());
            }
            if found.len() > 1 {
                return Err(Error::InvalidInput(format!(
                    "{typed} matches {} annotations; give more of the id",
                    found.len()
                )));
            }
        }
        Err(not_found(typed))
    }

    /// Edits an annotation; the previous version goes to history.
    pub fn edit(&self, id: &AnnotationId, ch: Changes<'_>) -> Result<Annotation> {
        let _w = lock(&self.write);
        let old = self.get(id).ok_or_else(|| not_found(id.as_str()))?;
        let mut ann = old.clone();
        if let Some(note) = ch.note {
            model::check_note(&note)?;
            ann.note = note;
        }
        if let Some(tags) = ch.tags {
            ann.tags = model::clean_tags(&tags)?;
        }
        if let Some(c) = ch.color {
            ann.color = c;
        }
        if let Some(doc) = ch.accept_change {
            if doc.id != ann.target.doc_id {
                return Err(Error::InvalidInput("that is another document".into()));
            }
            let placed = crate::anchor::reanchor(&ann, doc);
            if placed.anchoring == Anchoring::Orphan {
                return Err(Error::InvalidInput(
                    "this annotation could not be placed in the document's current text; edit or delete it"
                        .into(),
                ));
            }
            ann = placed;
            if let Some(p) = doc.passage(&ann.target.anchor) {
                ann.target.passage_hash = passage_hash(&p.text);
            }
            ann.anchoring = Anchoring::Attached;
        }
        if ann == old {
            return Ok(old);
        }
        if ann.motivation == Motivation::Highlighting && !ann.note.trim().is_empty() {
            ann.motivation = Motivation::Commenting;
        }
        let now = now_ms().max(old.modified + 1);
        ann.modified = now;
        model::validate(&ann)?;
        self.commit(
            vec![put_ann(&ann)?, put_history(&old, "edited", now)?],
            vec![ann.clone()],
            Vec::new(),
        )?;
        Ok(ann)
    }

    /// Deletes an annotation (kept in history: [`Notes::restore`] undoes it).
    pub fn delete(&self, id: &AnnotationId) -> Result<Annotation> {
        let _w = lock(&self.write);
        let old = self.get(id).ok_or_else(|| not_found(id.as_str()))?;
        self.commit(
            vec![
                Op::Delete {
                    tree: Tree::Annotations,
                    key: id.to_string(),
                },
                put_history(&old, "deleted", now_ms())?,
            ],
            Vec::new(),
            vec![id.clone()],
        )?;
        Ok(old)
    }

    /// Undoes the last delete of an annotation.
    pub fn restore(&self, id: &AnnotationId) -> Result<Annotation> {
        let _w = lock(&self.write);
        if self.get(id).is_some() {
            return Err(Error::InvalidInput(format!(
                "annotation {id} is not deleted"
            )));
        }
        let history = self.store.scan(Tree::History, &format!("{id}/"))?;
        let Some((key, value)) = history
            .into_iter()
            .rev()
            .find(|(k, _)| k.ends_with("-deleted"))
        else {
            return Err(not_found(id.as_str()));
        };
        let entry: HistoryEntry = from_json(&value, "history entry")?;
        let ann = entry.annotation;
        self.commit(
            vec![
                put_ann(&ann)?,
                Op::Delete {
                    tree: Tree::History,
                    key,
                },
            ],
            vec![ann.clone()],
            Vec::new(),
        )?;
        Ok(ann)
    }

    /// The older versions of an annotation, oldest first.
    pub fn history(&self, id: &AnnotationId) -> Result<Vec<HistoryEntry>> {
        self.store
            .scan(Tree::History, &format!("{id}/"))?
            .into_iter()
            .map(|(_, v)| from_json(&v, "history entry"))
            .collect()
    }

    /// The annotations passing `filter`, most recently modified first.
    pub fn list(&self, filter: &Filter) -> Vec<Annotation> {
        let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
        let tag = filter.tag.as_ref().map(|t| t.trim().to_lowercase());
        let mut out: Vec<Annotation> = cache
            .values()
            .map(|e| &e.ann)
            .filter(|a| filter.doc_id.as_ref().is_none_or(|d| a.target.doc_id == *d))
            .filter(|a| filter.color.is_none_or(|c| a.color == c))
            .filter(|a| {
                tag.as_ref()
                    .is_none_or(|t| a.tags.iter().any(|x| x.to_lowercase() == *t))
            })
            .filter(|a| !filter.needs_attention || a.anchoring != Anchoring::Attached)
            .cloned()
            .collect();
        out.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// All annotations of a document, in passage order when `doc` is given (by anchor and
    /// position otherwise); orphans last.
    pub fn for_document(&self, doc_id: &DocId, doc: Option<&Document>) -> Vec<Annotation> {
        let mut out = self.list(&Filter {
            doc_id: Some(doc_id.clone()),
            ..Filter::default()
        });
        let order: HashMap<&str, usize> = doc
            .map(|d| {
                d.passages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.anchor.as_str(), i))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|a| {
            (
                a.orphan(),
                order
                    .get(a.target.anchor.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                a.target.anchor.clone(),
                a.target.start,
            )
        });
        out
    }

    pub fn count(&self) -> usize {
        self.cache.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Re-anchors the annotations of documents that changed or went since they were placed
    /// (see [`crate::anchor`]). Returns how many annotations were updated.
    pub fn sync(&self, lib: &Library) -> Result<usize> {
        let by_doc: BTreeMap<DocId, Vec<Annotation>> = {
            let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
            let mut m: BTreeMap<DocId, Vec<Annotation>> = BTreeMap::new();
            for e in cache.values() {
                m.entry(e.ann.target.doc_id.clone())
                    .or_default()
                    .push(e.ann.clone());
            }
            m
        };
        if by_doc.is_empty() {
            return Ok(0);
        }
        let summaries: HashMap<DocId, (String, String)> = lib
            .list()
            .into_iter()
            .map(|s| (s.id.clone(), (s.content_hash.clone(), s.meta.title.clone())))
            .collect();
        let mut updated = Vec::new();
        for (doc_id, anns) in by_doc {
            match summaries.get(&doc_id) {
                None => {
                    for a in anns.iter().filter(|a| !a.orphan()) {
                        updated.push(crate::anchor::orphan(a));
                    }
                }
                Some((hash, title)) => {
                    let stale: Vec<&Annotation> = anns
                        .iter()
                        .filter(|a| a.target.doc_hash != *hash || a.doc_title != *title)
                        .collect();
                    if stale.is_empty() {
                        continue;
                    }
                    let doc = lib.document(&doc_id)?;
                    for a in stale {
                        let placed = crate::anchor::reanchor(a, &doc);
                        if placed != *a {
                            updated.push(placed);
                        }
                    }
                }
            }
        }
        if updated.is_empty() {
            return Ok(0);
        }
        let _w = lock(&self.write);
        let n = updated.len();
        let ops = updated.iter().map(put_ann).collect::<Result<Vec<_>>>()?;
        self.commit(ops, updated, Vec::new())?;
        Ok(n)
    }

    /// Searches the notes, tags and quotes. Returns the best `limit` hits and the total.
    pub fn search(&self, query: &str, filter: &Filter, limit: usize) -> (Vec<NoteHit>, usize) {
        let q = NoteQuery::parse(query, &self.stemmers);
        if q.is_empty() {
            return (Vec::new(), 0);
        }
        let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
        let tag = filter.tag.as_ref().map(|t| t.trim().to_lowercase());
        let mut scored: Vec<(f32, &Annotation)> = cache
            .values()
            .filter(|e| {
                filter
                    .doc_id
                    .as_ref()
                    .is_none_or(|d| e.ann.target.doc_id == *d)
            })
            .filter(|e| filter.color.is_none_or(|c| e.ann.color == c))
            .filter(|e| {
                tag.as_ref()
                    .is_none_or(|t| e.ann.tags.iter().any(|x| x.to_lowercase() == *t))
            })
            .filter_map(|e| q.score(&e.terms).map(|s| (s, &e.ann)))
            .collect();
        let total = scored.len();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.1.modified.cmp(&a.1.modified))
        });
        let hits = scored
            .into_iter()
            .take(limit)
            .map(|(score, a)| NoteHit {
                annotation: a.clone(),
                score,
                snippet: q.snippet(a, &self.stemmers),
            })
            .collect();
        (hits, total)
    }

    /// Every annotation in one format, ordered by document, passage and position.
    pub fn export(&self, format: Format, generator: &str) -> Result<Vec<u8>> {
        let mut all = self.list(&Filter::default());
        all.sort_by(|a, b| {
            (
                &a.doc_title,
                &a.target.doc_id,
                &a.target.anchor,
                a.target.start,
            )
                .cmp(&(
                    &b.doc_title,
                    &b.target.doc_id,
                    &b.target.anchor,
                    b.target.start,
                ))
        });
        match format {
            Format::W3c => serde_json::to_vec_pretty(&formats::to_w3c(&all, generator))
                .map_err(|e| Error::Store(e.to_string())),
            Format::Markdown => Ok(formats::to_markdown(&all).into_bytes()),
            Format::Csv => formats::to_csv(&all),
        }
    }

    /// Merges annotations from a W3C Web Annotation file (as written by
    /// [`Notes::export`]): new ids are added; for an id we have, the newer version wins and
    /// the older is kept in history. All or nothing.
    pub fn import(&self, bytes: &[u8]) -> Result<ImportReport> {
        let incoming = formats::from_w3c(bytes)?;
        let _w = lock(&self.write);
        let now = now_ms();
        let mut report = ImportReport::default();
        let mut ops = Vec::new();
        let mut put = Vec::new();
        for inc in incoming {
            match self.get(&inc.id) {
                None => {
                    ops.push(put_ann(&inc)?);
                    put.push(inc);
                    report.added += 1;
                }
                Some(ours) if same_content(&ours, &inc) => report.unchanged += 1,
                Some(ours) if inc.modified > ours.modified => {
                    ops.push(put_history(&ours, "replaced-by-import", now)?);
                    ops.push(put_ann(&inc)?);
                    put.push(inc);
                    report.updated += 1;
                }
                Some(_) => {
                    ops.push(put_history(&inc, "older-in-import", now)?);
                    report.kept_ours += 1;
                }
            }
        }
        if !ops.is_empty() {
            self.commit(ops, put, Vec::new())?;
        }
        Ok(report)
    }

    /// Reads a file and imports it (see [`Notes::import`]).
    pub fn import_file(&self, path: &Path) -> Result<ImportReport> {
        let meta = std::fs::metadata(path).map_err(io(format!("reading {}", path.display())))?;
        if meta.len() > MAX_IMPORT_BYTES as u64 {
            return Err(Error::InvalidInput(format!(
                "{} is too large to import ({} MB; at most {} MB)",
                path.display(),
                meta.len() / (1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            )));
        }
        let bytes = std::fs::read(path).map_err(io(format!("reading {}", path.display())))?;
        self.import(&bytes)
    }

    /// Reads every record again and checks it (checksums, counts, JSON).
    pub fn verify(&self) -> Result<u64> {
        let check = self.store.verify()?;
        for (key, value) in self.store.scan(Tree::Annotations, "")? {
            let a: Annotation = from_json(&value, &format!("annotation {key}"))?;
            if a.id.as_str() != key {
                return Err(Error::Store(format!("annotation {key} holds id {}", a.id)));
            }
        }
        Ok(check.records)
    }

    /// The store (for packs, which share its durability and backups).
    pub fn store(&self) -> &dyn UserStore {
        self.store.as_ref()
    }

    /// Applies a batch of other user data (briefing packs) with the same durability and
    /// backups as annotations; `annotations` are added or replaced in the same batch.
    pub fn apply_user_data(&self, mut ops: Vec<Op>, annotations: Vec<Annotation>) -> Result<()> {
        let _w = lock(&self.write);
        for a in &annotations {
            model::validate(a)?;
            ops.push(put_ann(a)?);
        }
        self.commit(ops, annotations, Vec::new())
    }
}

impl Drop for Notes {
    fn drop(&mut self) {
        if self.cfg.is_some() {
            let generation = self.store.generation().unwrap_or(0);
            if lock(&self.backup).generation != generation && generation > 0 {
                self.backup_now_quietly();
            }
        }
    }
}

fn same_content(a: &Annotation, b: &Annotation) -> bool {
    a.note == b.note
        && a.tags == b.tags
        && a.color == b.color
        && a.motivation == b.motivation
        && a.target.anchor == b.target.anchor
        && a.target.doc_id == b.target.doc_id
        && a.target.quote.exact == b.target.quote.exact
        && a.target.start == b.target.start
        && a.modified == b.modified
}

fn unreachable_empty() -> Notes {
    // An empty in-memory store cannot fail to load; this keeps `in_memory` infallible.
    Notes {
        store: Box::new(MemUserStore::new()),
        cfg: None,
        notices: Vec::new(),
        cache: RwLock::new(HashMap::new()),
        stemmers: Stemmers::default(),
        backup: Mutex::new(BackupState {
            at: Instant::now(),
            generation: 0,
            problem: None,
        }),
        journal: None,
        write: Mutex::new(()),
    }
}

/// Renames a damaged store folder to `store.damaged-<time>` beside it (never deletes).
fn move_aside(store_dir: &Path) -> Result<Option<PathBuf>> {
    if !store_dir.exists() {
        return Ok(None);
    }
    let parent = store_dir.parent().unwrap_or(Path::new("."));
    let stamp = model::rfc3339(now_ms()).replace([':', '.'], "-");
    let mut target = parent.join(format!("store.damaged-{stamp}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = parent.join(format!("store.damaged-{stamp}-{n}"));
    }
    std::fs::rename(store_dir, &target).map_err(io(format!(
        "moving the damaged notes store {} aside",
        store_dir.display()
    )))?;
    Ok(Some(target))
}

//! What crosses the IPC boundary between the desktop shell and the interface. Every type
//! here derives `ts_rs::TS`; `ui/src/lib/ipc/types.ts` is generated from them (see
//! [`crate::bindings`]) and a test fails when the committed file is stale.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the interface receives it: a stable code and a one-line message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IpcError {
    /// `library_in_use`, `library_unavailable`, `library_missing`, `library_read_only`,
    /// `not_found`, `invalid_metadata`, `invalid_input`, `untrusted_pack`, `cancelled`, `io`,
    /// `store`, `index`, `internal` …
    pub code: String,
    pub message: String,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for IpcError {}

impl From<pustaka_core::Error> for IpcError {
    fn from(e: pustaka_core::Error) -> Self {
        let code = serde_json::to_value(e.code())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "internal".into());
        IpcError {
            code,
            message: e.to_string(),
        }
    }
}

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// The user's settings, kept in the application's config folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Settings {
    /// The library folder; `None` means the default one in the user's data folder.
    pub library_path: Option<String>,
    /// Interface language: `en`, `vi` or `id`.
    pub ui_language: String,
    pub theme: Theme,
    /// Text size in percent of the default (80–200).
    pub text_size: u16,
    /// Shown in annotations and packs.
    pub author_name: String,
    /// The bundled starter pack in each library folder (by path): installed or declined.
    /// Kept by the app alone: what the interface sends back here is ignored.
    #[ts(skip)]
    pub starter: BTreeMap<String, StarterRecord>,
}

/// What became of the bundled starter pack in one library.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StarterRecord {
    /// The version installed there by the app.
    pub installed_version: Option<u64>,
    /// The user cancelled its first install: it is not installed there again.
    pub dismissed: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            library_path: None,
            ui_language: "en".into(),
            theme: Theme::System,
            text_size: 100,
            author_name: String::new(),
            starter: BTreeMap::new(),
        }
    }
}

/// Whether the library could be opened, and if not why and what can be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LibraryState {
    Ready {
        path: String,
        documents: u32,
        passages: u32,
    },
    /// The library could not be opened: the interface offers "Retry", "Choose another
    /// folder" and "Use the default folder".
    Unavailable { path: String, error: IpcError },
}

/// What the interface needs at start and after settings change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppStatus {
    pub library: LibraryState,
    pub default_library_path: String,
    pub settings: Settings,
    /// Things to tell the user once (an index rebuilt, a settings file that was unreadable).
    pub notices: Vec<String>,
    pub version: String,
    /// The bundled starter pack this run: being installed, or what came of it.
    pub starter: StarterState,
}

/// The bundled starter pack at start-up. Installed at the first launch into an empty library
/// (no indexing wait: its index is prebuilt), and later updated when a newer version ships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StarterState {
    /// Nothing to do this run.
    Idle,
    /// Being installed (`update`: a newer version over an older one). The library is busy
    /// until it ends; `done` of `total` documents so far.
    Installing {
        title: String,
        version: u64,
        update: bool,
        done: u32,
        total: u32,
    },
    /// Installed this run.
    Installed {
        update: bool,
        report: ContentPackInstalled,
    },
    /// It could not be installed; tried again at the next start.
    Failed { message: String },
    /// The user cancelled the first install: not offered again for this library.
    Cancelled,
}

/// What a content pack file (`.pustakacorpus`) holds and whether it can be installed, before
/// installing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContentPackInfo {
    pub path: String,
    pub pack_id: String,
    pub title: String,
    pub version: u64,
    pub documents: u32,
    /// The version this library holds, if any.
    pub installed_version: Option<u64>,
    /// Fingerprint of the key that signed it; `None` when it is not signed.
    pub signer: Option<String>,
    /// Signed by a key this library trusts: it installs without asking.
    pub trusted: bool,
    /// Why it cannot be installed whatever the user trusts (an older version than the one
    /// installed), in one line; `None` when it can be.
    pub refusal: Option<String>,
}

/// What installing a content pack did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContentPackInstalled {
    pub pack_id: String,
    pub title: String,
    pub version: u64,
    pub previous_version: Option<u64>,
    pub added: u32,
    pub updated: u32,
    pub removed: u32,
    pub unchanged: u32,
    /// The pack's index was used as it is (a first install into an empty library).
    pub prebuilt_index: bool,
    /// Terms of the glossary it brought, when it brought one.
    pub glossary_terms: Option<u32>,
    /// Annotations placed again in documents that changed.
    pub reanchored: u32,
    /// Something to tell the user (an earlier interrupted install was undone).
    pub notice: Option<String>,
}

/// Progress of a content pack install: `done` of `total` documents written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InstallProgress {
    pub done: u32,
    pub total: u32,
}

/// Progress of "Get official texts", streamed to the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FetchProgress {
    /// Checking that the sources can be reached at all.
    Checking,
    /// Downloading source `index` (0-based) of `total`.
    Started {
        index: u32,
        total: u32,
        id: String,
        title: String,
    },
    /// `bytes` of its file so far (`total` when the server said).
    Progress {
        id: String,
        bytes: u64,
        total: Option<u64>,
    },
    /// Done with that source: `outcome` is fetched, unchanged, failed or cancelled.
    Finished {
        index: u32,
        total: u32,
        id: String,
        outcome: String,
        reason: Option<String>,
    },
}

/// A source that could not be downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FetchProblem {
    pub id: String,
    pub title: String,
    pub reason: String,
}

/// The end of "Get official texts". The interface then adds `folder` to the library (the
/// usual add job) when anything is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficialTexts {
    /// Where the downloaded files are, in the library's folder.
    pub folder: String,
    pub fetched: u32,
    pub unchanged: u32,
    pub failed: Vec<FetchProblem>,
    pub cancelled: bool,
    /// No source could be reached (no connection): nothing was downloaded, and the interface
    /// explains how to install a content pack instead.
    pub offline: bool,
}

/// A search as the interface asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SearchQuery {
    pub query: String,
    pub limit: u32,
    pub offset: u32,
    pub kinds: Vec<String>,
    pub countries: Vec<String>,
    pub languages: Vec<String>,
    pub instruments: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// What to search: `all` (documents and the user's notes; the default), `documents`
    /// or `notes`.
    pub scope: SearchScope,
}

/// Which results a search returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SearchScope {
    #[default]
    All,
    Documents,
    Notes,
}

/// One result: a passage with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Hit {
    pub doc_id: String,
    pub anchor: String,
    pub title: String,
    pub citation: String,
    pub heading: Option<String>,
    pub page: Option<u32>,
    pub kind: String,
    pub country: Vec<String>,
    pub language: Option<String>,
    pub year: Option<i32>,
    pub instrument: Option<String>,
    /// HTML-escaped text whose only markup is `<mark>…</mark>`.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FacetValue {
    pub value: String,
    pub count: u32,
}

/// One facet (kind, country, language, year, instrument) with its values, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Facet {
    pub name: String,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchResponse {
    pub query: String,
    pub total: u32,
    pub took_ms: u32,
    pub hits: Vec<Hit>,
    pub facets: Vec<Facet>,
    /// True when words matched only approximately (a typo was forgiven).
    pub fuzzy: bool,
    pub notice: Option<String>,
    /// The user's notes that match (empty when the scope is `documents`).
    pub notes: Vec<NoteHit>,
    /// How many notes match in all.
    pub notes_total: u32,
}

/// A document's metadata as lists and the reader show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocInfo {
    pub id: String,
    pub title: String,
    pub short_title: Option<String>,
    /// The title used in citations.
    pub citation_title: String,
    pub kind: String,
    pub instrument: Option<String>,
    pub country: Vec<String>,
    pub language: Option<String>,
    pub year: Option<i32>,
    pub themes: Vec<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
    /// The file it was read from.
    pub source: String,
    /// pdf, html, docx, markdown, text.
    pub format: String,
    pub passages: u32,
    /// Seconds since 1970 when this version was stored.
    pub stored_at: f64,
}

/// One passage of a document in the reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PassageView {
    pub anchor: String,
    pub heading: Option<String>,
    pub locator: Option<String>,
    pub page: Option<u32>,
    pub citation: String,
    pub text: String,
    /// Ranges of `text` matching the query, as `[start, end)` offsets in UTF-16 code units
    /// (JavaScript string indices).
    pub marks: Vec<[u32; 2]>,
}

/// An entry of the reader's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutlineEntry {
    pub anchor: String,
    pub label: String,
    /// 1 for chapters, sections, the preamble and annexes' articles; 2 for what they hold.
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocumentView {
    pub info: DocInfo,
    pub outline: Vec<OutlineEntry>,
    pub passages: Vec<PassageView>,
    /// How many ranges match in the whole document.
    pub match_count: u32,
}

/// Progress of an "add documents" job, streamed to the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AddProgress {
    /// Files found so far while walking folders.
    Found { files: u32 },
    /// Reading file `index` (0-based) of `total`.
    Started {
        index: u32,
        total: u32,
        path: String,
    },
    /// Done with that file: `outcome` is added, updated, unchanged, skipped or failed.
    Finished {
        index: u32,
        total: u32,
        path: String,
        outcome: String,
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileProblem {
    pub path: String,
    pub reason: String,
}

/// The end of an "add documents" job.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct AddSummary {
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub skipped: Vec<FileProblem>,
    pub failed: Vec<FileProblem>,
    pub cancelled: bool,
}

/// The metadata editor's form. Empty strings count as "not given".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MetadataEdit {
    pub title: Option<String>,
    pub short_title: Option<String>,
    pub kind: Option<String>,
    pub instrument: Option<String>,
    pub country: Vec<String>,
    pub language: Option<String>,
    pub year: Option<i32>,
    pub themes: Vec<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
}

/// Highlight colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum NoteColor {
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
}

/// Why an annotation was made (W3C motivations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum NoteMotivation {
    Highlighting,
    Commenting,
    Bookmarking,
    Tagging,
}

/// Where an annotation stands against its document's current text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoteAnchoring {
    /// On its passage, unchanged.
    Attached,
    /// Placed again after the document was updated: "changed since annotated".
    Changed,
    /// Could not be placed in the current text (or the document is gone); kept and shown.
    Orphan,
}

/// An annotation (highlight, note, tags) as the interface shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NoteView {
    pub id: String,
    pub doc_id: String,
    pub anchor: String,
    /// The highlighted range of the passage's text, `[start, end)` in UTF-16 code units.
    pub start: u32,
    pub end: u32,
    pub quote: String,
    /// Markdown, shown as text.
    pub note: String,
    pub tags: Vec<String>,
    pub color: NoteColor,
    pub motivation: NoteMotivation,
    pub author: String,
    /// Milliseconds since 1970.
    pub created: f64,
    pub modified: f64,
    pub anchoring: NoteAnchoring,
    pub citation: String,
    pub doc_title: String,
}

/// A new annotation on a passage: the range is `[start, end)` of the passage's text in UTF-16
/// code units (what the reader's selection gives); the quote is taken from the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewNote {
    pub doc_id: String,
    pub anchor: String,
    pub start: u32,
    pub end: u32,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub color: NoteColor,
    /// Defaults to highlighting, or commenting when there is a note.
    #[serde(default)]
    pub motivation: Option<NoteMotivation>,
}

/// Changes to an annotation; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NoteEdit {
    pub id: String,
    pub note: Option<String>,
    pub tags: Option<Vec<String>>,
    pub color: Option<NoteColor>,
    /// Confirms a "changed since annotated" annotation against the passage's current text.
    pub accept_change: bool,
}

/// Which annotations to list; empty fields do not filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NoteFilter {
    pub tag: Option<String>,
    pub doc_id: Option<String>,
    pub color: Option<NoteColor>,
    /// Only orphans and annotations whose passage changed.
    pub needs_attention: bool,
}

/// A document that has annotations, for the notes list's filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteDocCount {
    pub doc_id: String,
    pub title: String,
    pub count: u32,
}

/// The annotations that pass a filter, newest first, with what the filters can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NotesList {
    pub notes: Vec<NoteView>,
    /// Every tag in use, with its number of annotations, most used first.
    pub tags: Vec<FacetValue>,
    pub documents: Vec<NoteDocCount>,
    pub colors: Vec<FacetValue>,
    /// All annotations, whatever the filter.
    pub total: u32,
}

/// A note matching a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NoteHit {
    pub note: NoteView,
    /// HTML-escaped text of the note (or quote) whose only markup is `<mark>…</mark>`.
    pub snippet: String,
}

/// Export formats for annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum NotesFormat {
    /// W3C Web Annotation JSON-LD (an AnnotationCollection).
    W3c,
    /// Markdown grouped by document, with citations.
    Md,
    Csv,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NotesExported {
    pub path: String,
    pub count: u32,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NotesImported {
    pub added: u32,
    /// Replaced by a newer version from the file (the older one is kept in history).
    pub updated: u32,
    pub unchanged: u32,
    /// Ours was newer: kept, and the file's version went to history.
    pub kept_ours: u32,
}

/// A briefing pack in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackSummary {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub audience: String,
    pub items: u32,
    /// Milliseconds since 1970.
    pub modified: f64,
}

/// What a pack item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum PackItemKind {
    Heading,
    Passage,
    Annotation,
    Text,
}

/// One item of a pack, as the editor shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackItemView {
    pub id: String,
    pub kind: PackItemKind,
    pub trainer_only: bool,
    /// The heading's text, the free text (Markdown), or the note on a passage or annotation.
    pub text: String,
    /// For passages and annotations: the citation, the document and where.
    pub citation: Option<String>,
    pub doc_id: Option<String>,
    pub anchor: Option<String>,
    pub doc_title: Option<String>,
    /// The passage's text, or the annotation's quote.
    pub quote: Option<String>,
    /// BCP 47 language of the quote, when known.
    pub language: Option<String>,
    pub tags: Vec<String>,
}

/// A whole pack for the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackView {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub audience: String,
    pub author: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub language: String,
    pub items: Vec<PackItemView>,
    pub modified: f64,
}

/// The pack's own details; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PackMetaEdit {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub audience: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
}

/// A new item for a pack, added at the end (or at `index`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NewPackItem {
    Heading {
        text: String,
    },
    Text {
        markdown: String,
        #[serde(default)]
        trainer_only: bool,
    },
    Passage {
        doc_id: String,
        anchor: String,
        #[serde(default)]
        note: String,
        #[serde(default)]
        trainer_only: bool,
    },
    Annotation {
        note_id: String,
        #[serde(default)]
        trainer_only: bool,
    },
}

/// Changes to one item; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PackItemEdit {
    /// The heading's text, the free text, or the note on a passage.
    pub text: Option<String>,
    pub trainer_only: Option<bool>,
}

/// Export formats of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum PackFormat {
    Pdf,
    Docx,
    Html,
    Md,
    Pustakapack,
}

/// Progress of an export, streamed to the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportProgress {
    /// `preparing`, `typesetting`, `writing`, `done`.
    pub stage: String,
    pub done: u32,
    pub total: u32,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackExported {
    pub path: String,
    pub bytes: f64,
}

/// What a `.pustakapack` file holds, before importing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackPreview {
    pub title: String,
    pub subtitle: String,
    pub created_by: String,
    /// Milliseconds since 1970.
    pub created_at: f64,
    pub items: u32,
    pub passages: u32,
    /// Passages not in this library: they will be added as read-only "pack excerpts".
    pub passages_missing: u32,
    pub annotations: u32,
    /// Signed, and the signature checks out (`signer` is the key's fingerprint).
    pub signed: bool,
    pub signer: Option<String>,
}

/// What an import added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PackImported {
    pub pack_id: String,
    pub excerpts_added: u32,
    pub annotations_added: u32,
}

// Generated from crates/pustaka-app/src/types.rs by `make bindings`. Do not edit.

export type IpcError = { 
/**
 * `library_in_use`, `library_unavailable`, `library_missing`, `library_read_only`,
 * `not_found`, `invalid_metadata`, `invalid_input`, `untrusted_pack`, `cancelled`, `io`,
 * `store`, `index`, `internal` …
 */
code: string, message: string, };

export type Theme = "system" | "light" | "dark";

export type Settings = { 
/**
 * The library folder; `None` means the default one in the user's data folder.
 */
library_path: string | null, 
/**
 * Interface language: `en`, `vi` or `id`.
 */
ui_language: string, theme: Theme, 
/**
 * Text size in percent of the default (80–200).
 */
text_size: number, 
/**
 * Shown in annotations and packs.
 */
author_name: string, };

export type LibraryState = { "state": "ready", path: string, documents: number, passages: number, } | { "state": "unavailable", path: string, error: IpcError, };

export type AppStatus = { library: LibraryState, default_library_path: string, settings: Settings, 
/**
 * Things to tell the user once (an index rebuilt, a settings file that was unreadable).
 */
notices: Array<string>, version: string, 
/**
 * The bundled starter pack this run: being installed, or what came of it.
 */
starter: StarterState, };

export type SearchQuery = { query: string, limit: number, offset: number, kinds: Array<string>, countries: Array<string>, languages: Array<string>, instruments: Array<string>, year_from: number | null, year_to: number | null, 
/**
 * What to search: `all` (documents and the user's notes; the default), `documents`
 * or `notes`.
 */
scope: SearchScope, };

export type Hit = { doc_id: string, anchor: string, title: string, citation: string, heading: string | null, page: number | null, kind: string, country: Array<string>, language: string | null, year: number | null, instrument: string | null, 
/**
 * HTML-escaped text whose only markup is `<mark>…</mark>`.
 */
snippet: string, score: number, };

export type FacetValue = { value: string, count: number, };

export type Facet = { name: string, values: Array<FacetValue>, };

export type SearchResponse = { query: string, total: number, took_ms: number, hits: Array<Hit>, facets: Array<Facet>, 
/**
 * True when words matched only approximately (a typo was forgiven).
 */
fuzzy: boolean, notice: string | null, 
/**
 * The user's notes that match (empty when the scope is `documents`).
 */
notes: Array<NoteHit>, 
/**
 * How many notes match in all.
 */
notes_total: number, };

export type DocInfo = { id: string, title: string, short_title: string | null, 
/**
 * The title used in citations.
 */
citation_title: string, kind: string, instrument: string | null, country: Array<string>, language: string | null, year: number | null, themes: Array<string>, source_url: string | null, licence: string | null, 
/**
 * The file it was read from.
 */
source: string, 
/**
 * pdf, html, docx, markdown, text.
 */
format: string, passages: number, 
/**
 * Seconds since 1970 when this version was stored.
 */
stored_at: number, };

export type PassageView = { anchor: string, heading: string | null, locator: string | null, page: number | null, citation: string, text: string, 
/**
 * Ranges of `text` matching the query, as `[start, end)` offsets in UTF-16 code units
 * (JavaScript string indices).
 */
marks: Array<[number, number]>, };

export type OutlineEntry = { anchor: string, label: string, 
/**
 * 1 for chapters, sections, the preamble and annexes' articles; 2 for what they hold.
 */
level: number, };

export type DocumentView = { info: DocInfo, outline: Array<OutlineEntry>, passages: Array<PassageView>, 
/**
 * How many ranges match in the whole document.
 */
match_count: number, };

export type AddProgress = { "event": "found", files: number, } | { "event": "started", index: number, total: number, path: string, } | { "event": "finished", index: number, total: number, path: string, outcome: string, reason: string | null, };

export type FileProblem = { path: string, reason: string, };

export type AddSummary = { added: number, updated: number, unchanged: number, skipped: Array<FileProblem>, failed: Array<FileProblem>, cancelled: boolean, };

export type MetadataEdit = { title: string | null, short_title: string | null, kind: string | null, instrument: string | null, country: Array<string>, language: string | null, year: number | null, themes: Array<string>, source_url: string | null, licence: string | null, };

export type SearchScope = "all" | "documents" | "notes";

export type NoteColor = "yellow" | "green" | "blue" | "pink" | "purple";

export type NoteMotivation = "highlighting" | "commenting" | "bookmarking" | "tagging";

export type NoteAnchoring = "attached" | "changed" | "orphan";

export type NoteView = { id: string, doc_id: string, anchor: string, 
/**
 * The highlighted range of the passage's text, `[start, end)` in UTF-16 code units.
 */
start: number, end: number, quote: string, 
/**
 * Markdown, shown as text.
 */
note: string, tags: Array<string>, color: NoteColor, motivation: NoteMotivation, author: string, 
/**
 * Milliseconds since 1970.
 */
created: number, modified: number, anchoring: NoteAnchoring, citation: string, doc_title: string, };

export type NewNote = { doc_id: string, anchor: string, start: number, end: number, note: string, tags: Array<string>, color: NoteColor, 
/**
 * Defaults to highlighting, or commenting when there is a note.
 */
motivation: NoteMotivation | null, };

export type NoteEdit = { id: string, note: string | null, tags: Array<string> | null, color: NoteColor | null, 
/**
 * Confirms a "changed since annotated" annotation against the passage's current text.
 */
accept_change: boolean, };

export type NoteFilter = { tag: string | null, doc_id: string | null, color: NoteColor | null, 
/**
 * Only orphans and annotations whose passage changed.
 */
needs_attention: boolean, };

export type NoteDocCount = { doc_id: string, title: string, count: number, };

export type NotesList = { notes: Array<NoteView>, 
/**
 * Every tag in use, with its number of annotations, most used first.
 */
tags: Array<FacetValue>, documents: Array<NoteDocCount>, colors: Array<FacetValue>, 
/**
 * All annotations, whatever the filter.
 */
total: number, };

export type NoteHit = { note: NoteView, 
/**
 * HTML-escaped text of the note (or quote) whose only markup is `<mark>…</mark>`.
 */
snippet: string, };

export type NotesFormat = "w3c" | "md" | "csv";

export type NotesExported = { path: string, count: number, };

export type NotesImported = { added: number, 
/**
 * Replaced by a newer version from the file (the older one is kept in history).
 */
updated: number, unchanged: number, 
/**
 * Ours was newer: kept, and the file's version went to history.
 */
kept_ours: number, };

export type PackSummary = { id: string, title: string, subtitle: string, audience: string, items: number, 
/**
 * Milliseconds since 1970.
 */
modified: number, };

export type PackItemKind = "heading" | "passage" | "annotation" | "text";

export type PackItemView = { id: string, kind: PackItemKind, trainer_only: boolean, 
/**
 * The heading's text, the free text (Markdown), or the note on a passage or annotation.
 */
text: string, 
/**
 * For passages and annotations: the citation, the document and where.
 */
citation: string | null, doc_id: string | null, anchor: string | null, doc_title: string | null, 
/**
 * The passage's text, or the annotation's quote.
 */
quote: string | null, 
/**
 * BCP 47 language of the quote, when known.
 */
language: string | null, tags: Array<string>, };

export type PackView = { id: string, title: string, subtitle: string, audience: string, author: string, 
/**
 * `YYYY-MM-DD`.
 */
date: string, language: string, items: Array<PackItemView>, modified: number, };

export type PackMetaEdit = { title: string | null, subtitle: string | null, audience: string | null, author: string | null, date: string | null, language: string | null, };

export type NewPackItem = { "kind": "heading", text: string, } | { "kind": "text", markdown: string, trainer_only: boolean, } | { "kind": "passage", doc_id: string, anchor: string, note: string, trainer_only: boolean, } | { "kind": "annotation", note_id: string, trainer_only: boolean, };

export type PackItemEdit = { 
/**
 * The heading's text, the free text, or the note on a passage.
 */
text: string | null, trainer_only: boolean | null, };

export type PackFormat = "pdf" | "docx" | "html" | "md" | "pustakapack";

export type ExportProgress = { 
/**
 * `preparing`, `typesetting`, `writing`, `done`.
 */
stage: string, done: number, total: number, };

export type PackExported = { path: string, bytes: number, };

export type PackPreview = { title: string, subtitle: string, created_by: string, 
/**
 * Milliseconds since 1970.
 */
created_at: number, items: number, passages: number, 
/**
 * Passages not in this library: they will be added as read-only "pack excerpts".
 */
passages_missing: number, annotations: number, 
/**
 * Signed, and the signature checks out (`signer` is the key's fingerprint).
 */
signed: boolean, signer: string | null, };

export type PackImported = { pack_id: string, excerpts_added: number, annotations_added: number, };

export type StarterState = { "state": "idle" } | { "state": "installing", title: string, version: number, update: boolean, done: number, total: number, } | { "state": "installed", update: boolean, report: ContentPackInstalled, } | { "state": "failed", message: string, } | { "state": "cancelled" };

export type ContentPackInfo = { path: string, pack_id: string, title: string, version: number, documents: number, 
/**
 * The version this library holds, if any.
 */
installed_version: number | null, 
/**
 * Fingerprint of the key that signed it; `None` when it is not signed.
 */
signer: string | null, 
/**
 * Signed by a key this library trusts: it installs without asking.
 */
trusted: boolean, 
/**
 * Why it cannot be installed whatever the user trusts (an older version than the one
 * installed), in one line; `None` when it can be.
 */
refusal: string | null, };

export type ContentPackInstalled = { pack_id: string, title: string, version: number, previous_version: number | null, added: number, updated: number, removed: number, unchanged: number, 
/**
 * The pack's index was used as it is (a first install into an empty library).
 */
prebuilt_index: boolean, 
/**
 * Terms of the glossary it brought, when it brought one.
 */
glossary_terms: number | null, 
/**
 * Annotations placed again in documents that changed.
 */
reanchored: number, 
/**
 * Something to tell the user (an earlier interrupted install was undone).
 */
notice: string | null, };

export type InstallProgress = { done: number, total: number, };

export type FetchProgress = { "event": "checking" } | { "event": "started", index: number, total: number, id: string, title: string, } | { "event": "progress", id: string, bytes: number, total: number | null, } | { "event": "finished", index: number, total: number, id: string, outcome: string, reason: string | null, };

export type FetchProblem = { id: string, title: string, reason: string, };

export type OfficialTexts = { 
/**
 * Where the downloaded files are, in the library's folder.
 */
folder: string, fetched: number, unchanged: number, failed: Array<FetchProblem>, cancelled: boolean, 
/**
 * No source could be reached (no connection): nothing was downloaded, and the interface
 * explains how to install a content pack instead.
 */
offline: boolean, };

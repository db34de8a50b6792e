//! Pustaka's core library: ingest documents into cited passages, keep them in a durable
//! store, index them with tantivy and search them.
//!
//! This crate knows nothing of Tauri or of the terminal: the desktop shell and the `pustaka`
//! CLI are thin layers over [`Library`]. tantivy and sled types never leave their modules
//! ([`index`] and [`store::sled_store`]); identifiers are our own ([`DocId`], anchors).

pub mod analysis;
mod cancel;
pub mod corpus;
pub mod error;
pub mod fsutil;
pub mod glossary;
pub mod index;
pub mod ingest;
mod library;
mod lock;
pub mod meta;
pub mod model;
pub mod query;
pub mod sealed;
pub mod snippet;
pub mod store;

pub use cancel::CancelFlag;
pub use error::{Error, ErrorCode, Result};
pub use library::{
    AddEvent, AddOptions, AddReport, AddedDoc, FailedFile, Library, LibraryConfig, MatchRanges,
    OpenNotice, PdfConfig, PreparedFile, ReindexReport, SkippedFile, Stats, UnchangedDoc,
    gather_files,
};
pub use meta::{Kind, MetaOverrides, Metadata};
pub use model::{DocId, DocSummary, Document, Passage, PassageRef};
pub use query::{SearchHit, SearchRequest, SearchResults};

//! Pustaka's user data: annotations (highlights, notes, tags) that are never lost.
//!
//! - [`store`]: the durable store ([`store::UserStore`], on sled, with an in-memory twin).
//! - [`model`]: the annotation model (W3C Web Annotation shaped).
//! - [`journal`]: the changes since the last backup, which make a store rebuilt from a backup
//!   whole again.

pub mod backup;
pub mod journal;
pub mod model;
pub mod notes;
pub mod search;
pub mod store;

pub use model::{Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote};
pub mod anchor;
pub mod formats;
pub use notes::{
    Changes, Filter, ImportReport, NewAnnotation, NoteHit, Notes, NotesConfig, NotesNotice,
    Selection,
};

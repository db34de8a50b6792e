//! Briefing packs: compose, export to PDF / Word / HTML / Markdown, share as `.pustakapack`.

pub mod export;
pub mod model;
pub mod sample;

pub use model::{Audience, Item, ItemKind, Pack, PackId, QuotedPassage, Source};

//! Briefing packs: compose, export to PDF / Word / HTML / Markdown, share as `.pustakapack`.

pub mod book;
pub mod export;
pub mod import;
pub mod model;
pub mod packfile;
pub mod render;
pub mod sample;

pub use book::{PackBook, quote_passage};
pub use model::{Audience, Item, ItemKind, Pack, PackId, QuotedPassage, Source};
pub use render::{PackFormat, render};

//! Exports of a pack: PDF (typst), DOCX, a single self-contained HTML file, Markdown.
//! Each takes the pack and the audience (trainer or participant) and returns the file's
//! bytes. Passage text, notes and titles are always treated as text, never as markup.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod pdf;

//! Reading source files into lines of text with structure hints, and cutting those into
//! cited passages ([`structure`]).
//!
//! Each format reader turns bytes into [`Line`]s: HTML, DOCX and Markdown give one line per
//! block with heading levels; plain text and PDF give physical lines (PDF with page numbers).

mod docx;
mod html;
mod markdown;
pub mod pdf;
pub mod pdf_protocol;
pub mod structure;
mod text;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Format;

pub use pdf::PdfConfig;

/// A line (or block) of extracted text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub text: String,
    /// 1 for the largest heading, when the source marks the line as a heading.
    pub heading: Option<u8>,
    /// The 1-based page, for paginated sources.
    pub page: Option<u32>,
    /// A paragraph boundary precedes this line (a blank line, or a new block).
    pub break_before: bool,
}

impl Line {
    pub fn block(text: impl Into<String>, heading: Option<u8>) -> Line {
        Line {
            text: text.into(),
            heading,
            page: None,
            break_before: true,
        }
    }
}

/// What a reader got out of a file.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub format: Format,
    /// The document's own title, when it states one.
    pub title: Option<String>,
    pub lines: Vec<Line>,
}

/// Limits that keep one hostile file from hurting the rest of a batch.
#[derive(Debug, Clone)]
pub struct IngestLimits {
    /// Largest non-PDF file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest uncompressed part read out of a DOCX archive.
    pub max_docx_part_bytes: u64,
    /// Largest ratio of uncompressed to compressed size accepted in a DOCX archive.
    pub max_docx_ratio: u64,
}

impl Default for IngestLimits {
    fn default() -> Self {
        IngestLimits {
            max_file_bytes: 512 * 1024 * 1024,
            max_docx_part_bytes: 256 * 1024 * 1024,
            max_docx_ratio: 200,
        }
    }
}

/// The format of a file, by its name; None when we do not read it.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => Format::Pdf,
        "html" | "htm" | "xhtml" => Format::Html,
        "docx" => Format::Docx,
        "md" | "markdown" => Format::Markdown,
        "txt" | "text" => Format::Text,
        _ => return None,
    })
}

/// Extracts the text of one file of a known format. `bytes` are the file's content (for PDF,
/// the worker reads the file itself and `bytes` is only used for hashing by the caller).
pub fn extract(
    path: &Path,
    format: Format,
    bytes: &[u8],
    limits: &IngestLimits,
    pdf: &PdfConfig,
) -> Result<Extracted> {
    let mut ex = match format {
        Format::Text => text::extract(bytes)?,
        Format::Markdown => markdown::extract(&text::decode(bytes)?),
        Format::Html => html::extract(&text::decode(bytes)?),
        Format::Docx => docx::extract(bytes, limits)?,
        Format::Pdf => pdf::extract(path, pdf)?,
    };
    for line in &mut ex.lines {
        crate::analysis::normalize_in_place(&mut line.text);
    }
    ex.title = ex
        .title
        .map(|t| crate::analysis::normalize(collapse_ws(&t).trim()))
        .filter(|t| !t.is_empty());
    // A heading that only repeats the document's title is not a section of its own.
    if let Some(title) = &ex.title
        && let Some(i) = ex.lines.iter().position(|l| l.heading.is_some())
        && i < 3
        && collapse_ws(&ex.lines[i].text) == *title
    {
        ex.lines.remove(i);
    }
    if ex.lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(Error::Extraction(match format {
            Format::Pdf => "no extractable text (scanned or empty PDF)".into(),
            _ => "the file contains no text".into(),
        }));
    }
    Ok(ex)
}

/// Collapses runs of white space into single spaces.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn collapses_white_space() {
        for (s, want) in [
            ("  a \t b\n\nc  ", "a b c"),
            ("\u{0B}x\u{0C}y\r", "x y"),
            ("", ""),
            ("   ", ""),
            ("one", "one"),
            ("\u{1F}ctl stays", "\u{1F}ctl stays"),
            (" văn\u{00A0} hóa\u{2028}x ", "văn hóa x"),
        ] {
            assert_eq!(super::collapse_ws(s), want, "{s:?}");
        }
    }
}

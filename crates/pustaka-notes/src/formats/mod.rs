//! Export and import formats for annotations.
//!
//! - [`w3c`]: W3C Web Annotation JSON-LD (an `AnnotationCollection`), written by [`to_w3c`]
//!   and read back by [`from_w3c`]: the format for backups and for moving annotations
//!   between libraries, without loss.
//! - [`markdown`]: a readable Markdown digest grouped by document ([`to_markdown`]).
//! - [`csv`]: one row per annotation for spreadsheets ([`to_csv`]).
//!
//! Only the W3C format is imported: Markdown and CSV are for reading, and do not keep
//! everything an annotation holds.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use pustaka_core::{Error, Result};

pub mod csv;
pub mod markdown;
pub mod w3c;

pub use self::csv::{CSV_HEADER, to_csv};
pub use self::markdown::to_markdown;
pub use self::w3c::{MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES, from_w3c, to_w3c};

/// An export format (serialized as its short name: `w3c`, `md`, `csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// W3C Web Annotation JSON-LD.
    W3c,
    #[serde(rename = "md", alias = "markdown")]
    Markdown,
    Csv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::W3c, Format::Markdown, Format::Csv];

    /// Parses a format name as typed: `w3c` (also `json`, `jsonld`, `json-ld`), `md` (also
    /// `markdown`) or `csv`, in any case.
    pub fn parse(s: &str) -> Result<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "w3c" | "json" | "jsonld" | "json-ld" => Ok(Format::W3c),
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            _ => Err(Error::InvalidInput(format!(
                "unknown annotation format {:?}: use w3c, md or csv",
                s.trim()
            ))),
        }
    }

    /// The short name, as [`Format::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::W3c => "w3c",
            Format::Markdown => "md",
            Format::Csv => "csv",
        }
    }

    /// The usual file extension (without the dot). W3C exports are JSON-LD, which is JSON:
    /// `.json` opens everywhere.
    pub fn extension(self) -> &'static str {
        match self {
            Format::W3c => "json",
            Format::Markdown => "md",
            Format::Csv => "csv",
        }
    }

    /// The media type (the W3C one is the Web Annotation profile of JSON-LD).
    pub fn media_type(self) -> &'static str {
        match self {
            Format::W3c => "application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\"",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        Format::parse(s)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Annotations for the format tests.
    use pustaka_core::DocId;

    use crate::model::{Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote};

    pub fn ann(doc: &str, title: &str, citation: &str, exact: &str, note: &str) -> Annotation {
        Annotation {
            id: AnnotationId::new_random(),
            target: Target {
                doc_id: DocId::parse(doc).unwrap(),
                anchor: citation
                    .rsplit(' ')
                    .next()
                    .map(|n| format!("art-{}", n.trim_end_matches('.')))
                    .unwrap(),
                start: 10,
                end: 10 + exact.chars().count(),
                quote: TextQuote {
                    exact: exact.into(),
                    prefix: "before ".into(),
                    suffix: " after".into(),
                },
                passage_hash: "0123456789abcdef".into(),
                doc_hash: "fedcba9876543210".into(),
            },
            note: note.into(),
            tags: Vec::new(),
            color: Color::Yellow,
            motivation: Motivation::Highlighting,
            author: String::new(),
            created: 1_764_000_000_123,
            modified: 1_764_000_100_456,
            anchoring: Anchoring::Attached,
            citation: citation.into(),
            doc_title: title.into(),
        }
    }

    /// Varied annotations: Thai and Vietnamese text, empty notes, many tags, every colour,
    /// motivation and anchoring, notes with commas, quotes and newlines.
    pub fn varied() -> Vec<Annotation> {
        let mut a = ann(
            "dconv2005",
            "Convention on the Protection and Promotion of the Diversity of Cultural Expressions",
            "2005 Convention, Art. 16",
            "preferential treatment",
            "Key for *IFCD* applications, see also [Art. 18](#art-18).",
        );
        a.tags = vec!["IFCD".into(), "status".into()];
        a.color = Color::Green;
        a.motivation = Motivation::Commenting;
        a.author = "Nguyễn Thị Minh".into();

        let mut b = ann(
            "dthai",
            "พระราชบัญญัติส่งเสริมวัฒนธรรม",
            "พ.ร.บ. วัฒนธรรม, Art. 5",
            "การแลกเปลี่ยนทางวัฒนธรรม",
            "",
        );
        b.target.quote.prefix = "มาตรา ๕ ".into();
        b.target.quote.suffix = String::new();
        b.tags = (0..40).map(|i| format!("แท็ก {i}")).collect();
        b.color = Color::Purple;
        b.anchoring = Anchoring::Changed;

        let mut c = ann(
            "dconv2005",
            "Convention on the Protection and Promotion of the Diversity of Cultural Expressions",
            "2005 Convention, Art. 2",
            "Đối xử ưu đãi\ncho các nước",
            "A note, with \"quotes\", commas,\nand a second line.\r\nAnd a third; with semicolons.",
        );
        c.color = Color::Pink;
        c.motivation = Motivation::Bookmarking;
        c.anchoring = Anchoring::Orphan;
        c.author = "a, \"b\"".into();

        let mut d = ann(
            "dguide",
            "Operational Guidelines",
            "Guidelines, Art. 7",
            "<script>alert(1)</script> > not a quote",
            "<img src=x onerror=alert(1)> and a < b\n# Not a heading of the export\n\n> quoted",
        );
        d.color = Color::Blue;
        d.motivation = Motivation::Tagging;
        d.tags = vec!["a;b".into(), "x".into()];
        d.target.quote.prefix = String::new();
        vec![a, b, c, d]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_with_a_clear_error() {
        assert_eq!(Format::parse("w3c").unwrap(), Format::W3c);
        assert_eq!(Format::parse(" MD ").unwrap(), Format::Markdown);
        assert_eq!(Format::parse("csv").unwrap(), Format::Csv);
        assert_eq!("jsonld".parse::<Format>().unwrap(), Format::W3c);
        let err = Format::parse("xlsx").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown annotation format \"xlsx\": use w3c, md or csv"
        );
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()).unwrap(), f);
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
            assert_eq!(Format::parse(f.extension()).unwrap(), f);
        }
    }
}

//! Documents and passages: the units the library stores, indexes and cites.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::meta::{MetaOverrides, Metadata};

/// A stable document identifier: derived from the document's source, so re-adding the same
/// source always yields the same id. Short, lowercase, URL-safe.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    /// The id for a document coming from `source` (a canonical path or other source key).
    pub fn for_source(source: &str) -> Self {
        let hash = blake3::hash(source.as_bytes());
        let enc = data_encoding::BASE32_NOPAD.encode(&hash.as_bytes()[..10]);
        DocId(format!("d{}", enc.to_ascii_lowercase()))
    }

    /// Parses an id typed by a user; only checks the shape.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| DocId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `DOC_ID#ANCHOR`, the way users and packs refer to one passage.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassageRef {
    pub doc_id: DocId,
    pub anchor: Option<String>,
}

impl PassageRef {
    pub fn parse(s: &str) -> Option<Self> {
        let (id, anchor) = match s.split_once('#') {
            Some((id, a)) if !a.is_empty() => (id, Some(a.to_string())),
            Some((_, _)) => return None,
            None => (s, None),
        };
        Some(PassageRef {
            doc_id: DocId::parse(id)?,
            anchor,
        })
    }
}

/// One citable unit of a document: an article, a numbered paragraph, a preamble, an annex
/// article, a section under a heading, or a PDF page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Short, URL-safe, unique within the document, stable across re-ingest of the same text.
    pub anchor: String,
    /// The heading as written in the document ("Article 16 – Preferential treatment …").
    pub heading: Option<String>,
    /// Where the passage sits, for citations: "Art. 16", "Annex, Art. 2", "Sec. III, para. 2",
    /// "Preamble", "p. 12". None when the document has a single undivided passage.
    pub locator: Option<String>,
    /// The page (1-based) on which the passage starts, for PDFs.
    pub page: Option<u32>,
    pub text: String,
}

impl Passage {
    /// The citation of this passage in a document titled by `citation_title`.
    pub fn citation(&self, citation_title: &str) -> String {
        match &self.locator {
            Some(loc) => format!("{citation_title}, {loc}"),
            None => citation_title.to_string(),
        }
    }
}

/// The source format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Html,
    Docx,
    Markdown,
    Text,
}

/// A stored document: its metadata and its passages in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocId,
    pub meta: Metadata,
    /// The metadata the user gave (sidecar and flags), before defaults and detection.
    #[serde(default)]
    pub given: MetaOverrides,
    /// Where the document came from (a canonical file path).
    pub source: String,
    pub format: Format,
    /// blake3 of the source bytes, hex.
    pub content_hash: String,
    /// Seconds since the Unix epoch when this version was stored.
    pub stored_at: u64,
    pub passages: Vec<Passage>,
}

impl Document {
    pub fn summary(&self) -> DocSummary {
        DocSummary {
            id: self.id.clone(),
            meta: self.meta.clone(),
            given: self.given.clone(),
            source: self.source.clone(),
            format: self.format,
            content_hash: self.content_hash.clone(),
            stored_at: self.stored_at,
            passages: self.passages.len(),
            text_bytes: self.passages.iter().map(|p| p.text.len() as u64).sum(),
        }
    }

    pub fn passage(&self, anchor: &str) -> Option<&Passage> {
        self.passages.iter().find(|p| p.anchor == anchor)
    }

    /// A key that changes whenever what the index holds for this document must change.
    pub fn index_key(&self) -> String {
        self.summary().index_key()
    }
}

/// A document without its passages: what lists and search hits need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: DocId,
    pub meta: Metadata,
    #[serde(default)]
    pub given: MetaOverrides,
    pub source: String,
    pub format: Format,
    pub content_hash: String,
    pub stored_at: u64,
    pub passages: usize,
    pub text_bytes: u64,
}

impl DocSummary {
    /// Changes when the text or any indexed metadata changes.
    pub fn index_key(&self) -> String {
        let meta = serde_json::to_string(&self.meta).unwrap_or_default();
        let h = blake3::hash(format!("{}\n{}", self.content_hash, meta).as_bytes());
        format!("{}:{}", self.id, &h.to_hex()[..16])
    }
}

//! A briefing pack: a title page's worth of metadata and an ordered list of items.

use serde::{Deserialize, Serialize};

use pustaka_core::{Error, Result};
use pustaka_notes::Annotation;

/// The pack format this build writes (in the store and in `.pustakapack` files).
pub const FORMAT_VERSION: u32 = 1;
/// Items in one pack, and the size of one text.
pub const MAX_ITEMS: usize = 2_000;
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// A stable pack id (random UUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PackId(String);

impl PackId {
    pub fn new_random() -> Self {
        PackId(uuid::Uuid::new_v4().to_string())
    }

    pub fn parse(s: &str) -> Option<Self> {
        uuid::Uuid::parse_str(s.trim())
            .ok()
            .map(|u| PackId(u.hyphenated().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PackId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A quoted passage, carried whole so the pack reads (and exports) without the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedPassage {
    pub doc_id: String,
    pub anchor: String,
    /// "2005 Convention, Art. 16".
    pub citation: String,
    pub doc_title: String,
    /// The passage's heading as written ("Article 16 – Preferential treatment …").
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    /// The passage's text (plain text, never markup).
    pub text: String,
    /// BCP 47 language of the text, when known (for fonts and line breaking).
    #[serde(default)]
    pub language: Option<String>,
    /// The document's official address, when known.
    #[serde(default)]
    pub source_url: Option<String>,
}

/// What an item is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemKind {
    /// A section heading of the pack.
    Heading { text: String },
    /// A passage quoted from the library, with the trainer's note about it (Markdown).
    Passage {
        passage: QuotedPassage,
        #[serde(default)]
        note: String,
    },
    /// An annotation (its quote, note and tags), with the passage it is on when known.
    Annotation {
        annotation: Box<Annotation>,
        #[serde(default)]
        passage: Option<QuotedPassage>,
    },
    /// Free text (Markdown): an introduction, discussion questions…
    Text { markdown: String },
}

/// One item of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable within the pack (for reordering and editing).
    pub id: String,
    /// Shown in the trainer's export only.
    #[serde(default)]
    pub trainer_only: bool,
    #[serde(flatten)]
    pub kind: ItemKind,
}

impl Item {
    pub fn new(kind: ItemKind, trainer_only: bool) -> Item {
        Item {
            id: uuid::Uuid::new_v4().to_string(),
            trainer_only,
            kind,
        }
    }
}

/// A briefing pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack {
    pub id: PackId,
    pub format_version: u32,
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub author: String,
    /// The date printed on the pack (`YYYY-MM-DD`).
    #[serde(default)]
    pub date: String,
    /// BCP 47 language of the pack's own text.
    #[serde(default)]
    pub language: String,
    pub items: Vec<Item>,
    /// Milliseconds since the epoch.
    pub created: i64,
    pub modified: i64,
}

/// Which export: the trainer's has everything, the participants' leaves out trainer-only
/// items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Trainer,
    Participant,
}

/// A source in the pack's list of sources: one per document quoted, numbered in order of
/// first appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub number: usize,
    pub doc_id: String,
    pub doc_title: String,
    pub source_url: Option<String>,
}

impl Pack {
    /// The items an audience sees, in order.
    pub fn visible(&self, audience: Audience) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| audience == Audience::Trainer || !i.trainer_only)
            .collect()
    }

    /// The documents quoted by the visible items, numbered by first appearance.
    pub fn sources(&self, audience: Audience) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        for item in self.visible(audience) {
            let p = match &item.kind {
                ItemKind::Passage { passage, .. } => Some(passage.clone()),
                ItemKind::Annotation {
                    passage: Some(p), ..
                } => Some(p.clone()),
                ItemKind::Annotation { annotation, .. } => Some(QuotedPassage {
                    doc_id: annotation.target.doc_id.to_string(),
                    anchor: annotation.target.anchor.clone(),
                    citation: annotation.citation.clone(),
                    doc_title: annotation.doc_title.clone(),
                    heading: None,
                    page: None,
                    text: String::new(),
                    language: None,
                    source_url: None,
                }),
                _ => None,
            };
            if let Some(p) = p
                && !out.iter().any(|s| s.doc_id == p.doc_id)
            {
                out.push(Source {
                    number: out.len() + 1,
                    doc_id: p.doc_id,
                    doc_title: p.doc_title,
                    source_url: p.source_url,
                });
            }
        }
        out
    }

    /// The number of the source quoting `doc_id` (see [`Pack::sources`]).
    pub fn source_number(sources: &[Source], doc_id: &str) -> Option<usize> {
        sources
            .iter()
            .find(|s| s.doc_id == doc_id)
            .map(|s| s.number)
    }
}

/// Checks a text's size.
pub fn check_text(what: &str, s: &str) -> Result<()> {
    if s.len() > MAX_TEXT_BYTES {
        return Err(Error::InvalidInput(format!(
            "the {what} is too long ({} KB; at most {} KB)",
            s.len() / 1024,
            MAX_TEXT_BYTES / 1024
        )));
    }
    Ok(())
}

/// Checks a whole pack (used before saving and after reading a file).
pub fn validate(p: &Pack) -> Result<()> {
    if p.format_version > FORMAT_VERSION {
        return Err(Error::InvalidInput(format!(
            "this pack was made by a newer version of Pustaka (format {}, this one reads up to {FORMAT_VERSION}); update Pustaka to open it",
            p.format_version
        )));
    }
    if p.title.trim().is_empty() {
        return Err(Error::InvalidInput("a pack needs a title".into()));
    }
    for (what, s) in [
        ("title", &p.title),
        ("subtitle", &p.subtitle),
        ("audience", &p.audience),
        ("author", &p.author),
    ] {
        if s.len() > 1024 {
            return Err(Error::InvalidInput(format!(
                "the pack's {what} is too long"
            )));
        }
    }
    if p.items.len() > MAX_ITEMS {
        return Err(Error::InvalidInput(format!(
            "a pack holds at most {MAX_ITEMS} items; this one has {}",
            p.items.len()
        )));
    }
    for (n, item) in p.items.iter().enumerate() {
        let n = n + 1;
        match &item.kind {
            ItemKind::Heading { text } => check_text(&format!("heading of item {n}"), text)?,
            ItemKind::Text { markdown } => check_text(&format!("text of item {n}"), markdown)?,
            ItemKind::Passage { passage, note } => {
                check_text(&format!("passage of item {n}"), &passage.text)?;
                check_text(&format!("note of item {n}"), note)?;
            }
            ItemKind::Annotation { annotation, .. } => pustaka_notes::model::validate(annotation)?,
        }
    }
    Ok(())
}

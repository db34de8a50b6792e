//! Annotations: what a user marks in a passage, and what they write about it.
//!
//! The model follows the W3C Web Annotation data model: an annotation has a target (a
//! passage, and inside it a text range given both by position and by quote with context), a
//! body (a Markdown note and tags), a motivation, a creator and times.

use serde::{Deserialize, Serialize};

use pustaka_core::{DocId, Error, Result};

/// Characters of context kept before and after a quote.
pub const CONTEXT_CHARS: usize = 32;
/// The longest note accepted (bytes of Markdown).
pub const MAX_NOTE_BYTES: usize = 256 * 1024;
/// The longest quote accepted (bytes).
pub const MAX_QUOTE_BYTES: usize = 64 * 1024;
/// Tags per annotation, and the length of one.
pub const MAX_TAGS: usize = 64;
pub const MAX_TAG_CHARS: usize = 64;

/// A stable annotation id (a random UUID, lowercase, hyphenated). Ids survive export and
/// import, so the same annotation merges instead of being duplicated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(String);

impl AnnotationId {
    pub fn new_random() -> Self {
        AnnotationId(uuid::Uuid::new_v4().to_string())
    }

    /// Parses an id as typed or as found in an export (`urn:uuid:` prefix accepted).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix("urn:uuid:").unwrap_or(s);
        uuid::Uuid::parse_str(s)
            .ok()
            .map(|u| AnnotationId(u.hyphenated().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why the annotation was made (the W3C motivations we use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Motivation {
    #[default]
    Highlighting,
    Commenting,
    Bookmarking,
    Tagging,
}

impl Motivation {
    pub const ALL: [Motivation; 4] = [
        Motivation::Highlighting,
        Motivation::Commenting,
        Motivation::Bookmarking,
        Motivation::Tagging,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Motivation::Highlighting => "highlighting",
            Motivation::Commenting => "commenting",
            Motivation::Bookmarking => "bookmarking",
            Motivation::Tagging => "tagging",
        }
    }

    pub fn parse(s: &str) -> Option<Motivation> {
        Motivation::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Highlight colours (named, so that themes can render each with enough contrast).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
}

impl Color {
    pub const ALL: [Color; 5] = [
        Color::Yellow,
        Color::Green,
        Color::Blue,
        Color::Pink,
        Color::Purple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Blue => "blue",
            Color::Pink => "pink",
            Color::Purple => "purple",
        }
    }

    pub fn parse(s: &str) -> Result<Color> {
        Color::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown colour {s:?}: use yellow, green, blue, pink or purple"
                ))
            })
    }
}

/// The quoted text with some context before and after it (W3C TextQuoteSelector).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TextQuote {
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

/// What an annotation points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub doc_id: DocId,
    pub anchor: String,
    /// The range in the passage's text, in characters (Unicode scalar values), end exclusive
    /// (W3C TextPositionSelector).
    pub start: usize,
    pub end: usize,
    pub quote: TextQuote,
    /// A hash of the passage's text when the annotation was made (or last confirmed): when
    /// the passage's text differs, the annotation is "changed since annotated".
    pub passage_hash: String,
    /// The document's content hash when the annotation was last placed; a different one means
    /// the document was re-ingested and the annotation must be re-anchored.
    pub doc_hash: String,
}

/// Where an annotation stands against the current text of its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Anchoring {
    /// On its passage, whose text is as it was when annotated.
    #[default]
    Attached,
    /// Placed again after the document changed: the passage's text is not what was annotated.
    Changed,
    /// Could not be placed in the current document (its text was deleted or rewritten, or the
    /// document was removed). Kept and shown, never dropped.
    Orphan,
}

/// One annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub target: Target,
    /// The note, in Markdown (may be empty for a plain highlight).
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub color: Color,
    #[serde(default)]
    pub motivation: Motivation,
    #[serde(default)]
    pub author: String,
    /// Milliseconds since the Unix epoch.
    pub created: i64,
    pub modified: i64,
    #[serde(default)]
    pub anchoring: Anchoring,
    /// The passage's citation when last placed ("2005 Convention, Art. 16"), so an orphan
    /// still says where it came from.
    #[serde(default)]
    pub citation: String,
    /// The document's title when last placed.
    #[serde(default)]
    pub doc_title: String,
}

impl Annotation {
    pub fn orphan(&self) -> bool {
        self.anchoring == Anchoring::Orphan
    }

    pub fn changed(&self) -> bool {
        self.anchoring == Anchoring::Changed
    }
}

/// A hash of a passage's text, short and stable.
pub fn passage_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// Current time in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// RFC 3339 (UTC, milliseconds) for a time in milliseconds since the epoch.
pub fn rfc3339(ms: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

/// Parses an RFC 3339 time into milliseconds since the epoch.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let t = humantime::parse_rfc3339_weak(s.trim()).ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_millis() as i64)
}

/// Checks a note's size.
pub fn check_note(note: &str) -> Result<()> {
    if note.len() > MAX_NOTE_BYTES {
        return Err(Error::InvalidInput(format!(
            "the note is too long ({} KB); notes are limited to {} KB",
            note.len() / 1024,
            MAX_NOTE_BYTES / 1024
        )));
    }
    Ok(())
}

/// Cleans and checks tags: trimmed, NFC, no duplicates (case-insensitive), none empty.
pub fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = pustaka_core::analysis::normalize(t.trim());
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(Error::InvalidInput(format!(
                "the tag {:?}… is too long (at most {MAX_TAG_CHARS} characters)",
                t.chars().take(20).collect::<String>()
            )));
        }
        if t.chars().any(|c| c.is_control()) {
            return Err(Error::InvalidInput(format!(
                "the tag {t:?} contains control characters"
            )));
        }
        if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::InvalidInput(format!(
            "too many tags ({}); at most {MAX_TAGS}",
            out.len()
        )));
    }
    Ok(out)
}

/// Checks every field of an annotation (used for imports and restores).
pub fn validate(a: &Annotation) -> Result<()> {
    check_note(&a.note)?;
    if a.target.quote.exact.is_empty() {
        return Err(Error::InvalidInput(format!(
            "annotation {} has an empty quote",
            a.id
        )));
    }
    if a.target.quote.exact.len() > MAX_QUOTE_BYTES {
        return Err(Error::InvalidInput(format!(
            "annotation {} quotes more than {} KB",
            a.id,
            MAX_QUOTE_BYTES / 1024
        )));
    }
    if a.target.end < a.target.start {
        return Err(Error::InvalidInput(format!(
            "annotation {} has a text range that ends before it starts",
            a.id
        )));
    }
    if a.target.anchor.is_empty() || a.target.anchor.len() > 200 {
        return Err(Error::InvalidInput(format!(
            "annotation {} has no valid passage anchor",
            a.id
        )));
    }
    let cleaned = clean_tags(&a.tags)?;
    if cleaned.len() != a.tags.len() {
        return Err(Error::InvalidInput(format!(
            "annotation {} has empty or duplicate tags",
            a.id
        )));
    }
    if a.author.len() > 200 {
        return Err(Error::InvalidInput(format!(
            "annotation {} has an author name longer than 200 bytes",
            a.id
        )));
    }
    Ok(())
}

/// Slices `text` by character positions (clamped).
pub fn char_slice(text: &str, start: usize, end: usize) -> &str {
    let mut it = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let b_start = it.clone().nth(start).unwrap_or(text.len());
    let b_end = if end >= start {
        it.nth(end).unwrap_or(text.len())
    } else {
        b_start
    };
    &text[b_start..b_end.max(b_start)]
}

/// The quote selector for characters `start..end` of `text`, with context.
pub fn quote_at(text: &str, start: usize, end: usize) -> TextQuote {
    let total = text.chars().count();
    let end = end.min(total);
    let start = start.min(end);
    TextQuote {
        exact: char_slice(text, start, end).to_string(),
        prefix: char_slice(text, start.saturating_sub(CONTEXT_CHARS), start).to_string(),
        suffix: char_slice(text, end, (end + CONTEXT_CHARS).min(total)).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_with_and_without_urn() {
        let id = AnnotationId::new_random();
        assert_eq!(AnnotationId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(
            AnnotationId::parse(&format!("urn:uuid:{}", id.as_str().to_uppercase())),
            Some(id)
        );
        assert_eq!(AnnotationId::parse("../etc/passwd"), None);
    }

    #[test]
    fn quote_context_counts_characters() {
        let text = "Điều 16 – Đối xử ưu đãi cho các nước đang phát triển";
        let q = quote_at(text, 10, 23);
        assert_eq!(q.exact, "Đối xử ưu đãi");
        assert_eq!(q.prefix, "Điều 16 – ");
        assert!(q.suffix.starts_with(" cho"));
        assert_eq!(char_slice(text, 0, 4), "Điều");
        assert_eq!(char_slice(text, 100, 200), "");
    }

    #[test]
    fn times_round_trip() {
        let ms = 1_764_000_000_123;
        assert_eq!(parse_rfc3339(&rfc3339(ms)), Some(ms));
        assert_eq!(
            parse_rfc3339("2026-11-25T10:00:00Z"),
            Some(1_795_600_800_000)
        );
    }

    #[test]
    fn tags_are_cleaned_and_limited() {
        let t = clean_tags(&[" IFCD ".into(), "ifcd".into(), "".into(), "status".into()]).unwrap();
        assert_eq!(t, vec!["IFCD".to_string(), "status".to_string()]);
        assert!(clean_tags(&["x".repeat(65)]).is_err());
        let many: Vec<String> = (0..65).map(|i| format!("t{i}")).collect();
        assert!(clean_tags(&many).is_err());
    }

    #[test]
    fn huge_notes_are_refused() {
        assert!(check_note(&"a".repeat(10 * 1024 * 1024)).is_err());
        assert!(check_note("short").is_ok());
    }
}

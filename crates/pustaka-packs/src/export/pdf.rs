//! The PDF export, typeset by typst used as a library.
//!
//! The layout is a fixed typst template (`pdf/pack.typ`). The pack itself never becomes
//! typst source: it is turned into JSON (Markdown already converted to a small tree of
//! paragraphs, emphasis, lists…) and handed to the template as the virtual file
//! `/pack.json`, which the template reads with `json(...)` and places as text. So a passage
//! saying `#import "/etc/passwd": *` is printed as those characters.
//!
//! The world the template runs in has the bundled Noto fonts only (never the system's), no
//! files but the template and the JSON, no packages and no network; "today" is the pack's
//! date.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::ecow::EcoString;
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::layout::{Abs, Frame as LayoutFrame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, Span, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInstance};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use pustaka_core::{Error, Result};

use crate::model::{Audience, ItemKind, Pack, QuotedPassage};

const TEMPLATE: &str = include_str!("pdf/pack.typ");

/// The bundled fonts (SIL Open Font License 1.1, see `fonts/README.md`).
const FONT_FILES: [&[u8]; 9] = [
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansThai-Bold.ttf"),
    include_bytes!("../../fonts/NotoSansKhmer-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansKhmer-Bold.ttf"),
    include_bytes!("../../fonts/NotoSansLao-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansLao-Bold.ttf"),
];

/// How deep Markdown lists and quotes (and emphasis in emphasis) may nest before their
/// content is kept at the last level (the template's recursion stays shallow).
const MAX_MARKDOWN_DEPTH: usize = 8;

/// Labels printed by the template (English; one place to translate them).
#[derive(Serialize)]
struct Labels {
    contents: &'static str,
    sources: &'static str,
    note: &'static str,
    annotation_note: &'static str,
    tags: &'static str,
    trainer_only: &'static str,
}

const LABELS: Labels = Labels {
    contents: "Contents",
    sources: "Sources",
    note: "Note",
    annotation_note: "Note",
    tags: "Tags",
    trainer_only: "Trainer only",
};

/// What `/pack.json` holds.
#[derive(Serialize)]
struct Data {
    labels: Labels,
    trainer: bool,
    edition: &'static str,
    lang: Option<Lang>,
    title: String,
    subtitle: Option<String>,
    authors: Vec<String>,
    meta: Vec<Meta>,
    items: Vec<DataItem>,
    sources: Vec<DataSource>,
}

#[derive(Serialize)]
struct Meta {
    label: &'static str,
    value: String,
}

/// A language as typst takes it: an ISO 639 code and an optional ISO 3166 region.
#[derive(Serialize, Clone)]
struct Lang {
    lang: String,
    region: Option<String>,
}

#[derive(Serialize)]
struct DataItem {
    trainer_only: bool,
    #[serde(flatten)]
    kind: DataKind,
}

#[derive(Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
enum DataKind {
    Heading {
        text: String,
    },
    Passage {
        #[serde(flatten)]
        quote: DataQuote,
        note: Vec<Block>,
    },
    Annotation {
        #[serde(flatten)]
        quote: DataQuote,
        note: Vec<Block>,
        tags: Vec<String>,
    },
    Text {
        blocks: Vec<Block>,
    },
}

/// A quoted text and where it comes from.
#[derive(Serialize)]
struct DataQuote {
    text: String,
    lang: Option<Lang>,
    citation: String,
    heading: Option<String>,
    /// The number in the list of sources.
    source: Option<usize>,
}

#[derive(Serialize)]
struct DataSource {
    number: usize,
    title: String,
    url: Option<String>,
    /// Only http(s) addresses become links; anything else is printed as text.
    linkable: bool,
}

/// Makes the PDF of a pack for an audience.
pub fn to_pdf(pack: &Pack, audience: Audience) -> Result<Vec<u8>> {
    let data = serde_json::to_vec(&pack_data(pack, audience))
        .map_err(|e| Error::InvalidInput(format!("cannot prepare the pack for PDF: {e}")))?;
    let today = parse_date(&pack.date);
    let world = PackWorld {
        data: Bytes::new(data),
        today,
    };
    let ident = format!(
        "{}-{}",
        pack.id,
        match audience {
            Audience::Trainer => "trainer",
            Audience::Participant => "participant",
        }
    );
    // typst is not expected to panic, but a bug in it must not take the app down.
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(typeset_error)?;
        let document = join_split_clusters(&document);
        let options = PdfOptions {
            ident: Smart::Custom(ident),
            timestamp: today.map(Timestamp::new_utc),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(typeset_error)
    }));
    // Keep typst's memoization caches from growing across many exports.
    typst::comemo::evict(10);
    match out {
        Ok(result) => result,
        Err(_) => Err(Error::InvalidInput(
            "the PDF could not be made (the typesetter failed); try the Word or HTML export".into(),
        )),
    }
}

/// typst lays a line out as one text item per run of glyphs with the same font, size and
/// vertical offset. A cluster whose mark is shifted vertically (a Khmer vowel sign under a
/// subscript consonant, a stacked Vietnamese accent) is thereby cut across two items, and
/// each glyph maps to the whole cluster's text: the PDF's text then gives the cluster twice
/// ("សួ" comes out as "សួសួ"; typst issue #8767). Within one item the PDF writer maps a
/// cluster's text to its first glyph only; this does the same across items: the glyphs that
/// continue the previous item's last cluster keep no text of their own.
fn join_split_clusters(document: &PagedDocument) -> PagedDocument {
    use typst::model::Document;
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut page = page.clone();
            join_in_frame(&mut page.frame);
            page
        })
        .collect();
    PagedDocument::new(pages, document.info().clone())
}

fn join_in_frame(frame: &mut LayoutFrame) {
    // The last cluster of the previous text item: font, size, source position and text.
    let mut last: Option<(FontInstance, Abs, (Span, u16), EcoString)> = None;
    // `retain` is the frame's one way to reach its items mutably, in order; all are kept.
    frame.retain(|item| {
        match item {
            FrameItem::Text(text) => {
                // Taken before the glyphs change: a cluster may run on over three items.
                let next_last = text.glyphs.last().and_then(|g| {
                    let cluster = text.text.get(g.range()).filter(|c| !c.is_empty())?;
                    Some((
                        text.font.clone(),
                        text.size,
                        g.span,
                        EcoString::from(cluster),
                    ))
                });
                if let (Some(first), Some((font, size, span, cluster))) =
                    (text.glyphs.first().cloned(), &last)
                    && text.font == *font
                    && text.size == *size
                    && first.span == *span
                    && text.text.get(first.range()) == Some(cluster.as_str())
                {
                    for glyph in text
                        .glyphs
                        .iter_mut()
                        .take_while(|g| g.span == first.span && g.range == first.range)
                    {
                        glyph.range = glyph.range.start..glyph.range.start;
                    }
                }
                last = next_last;
            }
            FrameItem::Group(group) => {
                join_in_frame(&mut group.frame);
                last = None;
            }
            _ => {}
        }
        true
    });
}

fn typeset_error(errors: EcoVec<SourceDiagnostic>) -> Error {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    Error::InvalidInput(format!(
        "the PDF could not be made: {}",
        messages.join("; ")
    ))
}

// ---------------------------------------------------------------------------------------
// The pack as data.

fn pack_data(pack: &Pack, audience: Audience) -> Data {
    let sources = pack.sources(audience);
    let quote = |p: &QuotedPassage, text: &str| DataQuote {
        text: clean(text),
        lang: p.language.as_deref().and_then(typst_lang),
        citation: clean(&p.citation),
        heading: non_empty(p.heading.as_deref().unwrap_or("")),
        source: Pack::source_number(&sources, &p.doc_id),
    };
    let items = pack
        .visible(audience)
        .into_iter()
        .map(|item| {
            let kind = match &item.kind {
                ItemKind::Heading { text } => DataKind::Heading { text: clean(text) },
                ItemKind::Passage { passage, note } => DataKind::Passage {
                    quote: quote(passage, &passage.text),
                    note: markdown(note),
                },
                ItemKind::Annotation {
                    annotation,
                    passage,
                } => {
                    let exact = &annotation.target.quote.exact;
                    let q = match passage {
                        Some(p) => quote(p, exact),
                        None => DataQuote {
                            text: clean(exact),
                            lang: None,
                            citation: clean(&annotation.citation),
                            heading: None,
                            source: Pack::source_number(
                                &sources,
                                annotation.target.doc_id.as_str(),
                            ),
                        },
                    };
                    DataKind::Annotation {
                        quote: q,
                        note: markdown(&annotation.note),
                        tags: annotation.tags.iter().map(|t| clean(t)).collect(),
                    }
                }
                ItemKind::Text { markdown: md } => DataKind::Text {
                    blocks: markdown(md),
                },
            };
            DataItem {
                trainer_only: item.trainer_only,
                kind,
            }
        })
        .collect();
    let mut meta = Vec::new();
    for (label, value) in [
        ("Audience", &pack.audience),
        ("Prepared by", &pack.author),
        ("Date", &pack.date),
    ] {
        if let Some(value) = non_empty(value) {
            meta.push(Meta { label, value });
        }
    }
    Data {
        labels: LABELS,
        trainer: audience == Audience::Trainer,
        edition: match audience {
            Audience::Trainer => "Trainer edition",
            Audience::Participant => "Participant edition",
        },
        lang: typst_lang(&pack.language),
        title: clean(&pack.title),
        subtitle: non_empty(&pack.subtitle),
        authors: non_empty(&pack.author).into_iter().collect(),
        meta,
        items,
        sources: sources
            .into_iter()
            .map(|s| {
                let url = s.source_url.as_deref().and_then(non_empty);
                let linkable = url.as_deref().is_some_and(|u| {
                    let l = u.to_ascii_lowercase();
                    (l.starts_with("https://") || l.starts_with("http://"))
                        && !u.chars().any(char::is_whitespace)
                });
                DataSource {
                    number: s.number,
                    title: clean(&s.doc_title),
                    url,
                    linkable,
                }
            })
            .collect(),
    }
}

/// Text as printed: NFC (precomposed letters extract better from the PDF), line ends made
/// `\n`, other control characters dropped.
fn clean(s: &str) -> String {
    pustaka_core::analysis::normalize(s)
}

fn non_empty(s: &str) -> Option<String> {
    let s = clean(s.trim());
    (!s.is_empty()).then_some(s)
}

/// A BCP 47 tag as typst's `lang` and `region` ("en-GB" → en, GB; "zh-Hant-TW" → zh, TW).
/// Anything typst would refuse gives `None` (the surrounding language applies).
fn typst_lang(tag: &str) -> Option<Lang> {
    let mut parts = tag.trim().split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&lang.len())
        || !lang.bytes().all(|b| b.is_ascii_lowercase())
        || ["und", "mul", "zxx", "mis"].contains(&lang.as_str())
    {
        return None;
    }
    let region = parts
        .take(2)
        .find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|p| p.to_ascii_uppercase());
    Some(Lang { lang, region })
}

/// "2026-11-25" → a typst date.
fn parse_date(s: &str) -> Option<Datetime> {
    let mut parts = s.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.get(..2)?.parse().ok()?;
    Datetime::from_ymd(y, m, d)
}

// ---------------------------------------------------------------------------------------
// Markdown → a tree of blocks and inlines (data for the template, never typst markup).

#[derive(Serialize, Debug, PartialEq)]
#[serde(tag = "t", rename_all = "snake_case")]
enum Block {
    P {
        c: Vec<Inline>,
    },
    H {
        level: u8,
        c: Vec<Inline>,
    },
    Ul {
        items: Vec<Vec<Block>>,
    },
    Ol {
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        c: Vec<Block>,
    },
    /// Code (`code`) or raw HTML: printed literally, line by line.
    Literal {
        s: String,
        code: bool,
    },
    Rule,
}

#[derive(Serialize, Debug, PartialEq)]
#[serde(tag = "t", rename_all = "snake_case")]
enum Inline {
    Text {
        s: String,
    },
    Em {
        c: Vec<Inline>,
    },
    Strong {
        c: Vec<Inline>,
    },
    Br,
    /// A link's text, and its address when it differs (printed, not linked).
    Link {
        c: Vec<Inline>,
        url: Option<String>,
    },
}

/// An open Markdown element while converting.
enum Frame {
    /// The whole text, a quote or a list item: holds blocks.
    Root(Vec<Block>),
    Quote(Vec<Block>),
    Item(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// A paragraph; `implicit` for the text of a tight list item.
    Para {
        implicit: bool,
        c: Vec<Inline>,
    },
    Heading(u8, Vec<Inline>),
    Em(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
    /// Anything else that holds inlines (an image's description…): its text is kept.
    Span(Vec<Inline>),
    /// A code block (`true`) or an HTML block.
    Literal(String, bool),
}

impl Frame {
    fn inlines(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Frame::Para { c, .. }
            | Frame::Heading(_, c)
            | Frame::Em(c)
            | Frame::Strong(c)
            | Frame::Link(_, c)
            | Frame::Span(c) => Some(c),
            _ => None,
        }
    }
}

struct MdBuilder {
    stack: Vec<Frame>,
    /// For each open Markdown tag: whether it opened a frame.
    opened: Vec<bool>,
}

impl MdBuilder {
    fn top(&mut self) -> &mut Frame {
        self.stack
            .last_mut()
            .expect("the root frame is never popped")
    }

    fn depth(&self) -> usize {
        self.stack.len()
    }

    fn push_inline(&mut self, inline: Inline) {
        if let Frame::Literal(s, _) = self.top() {
            if let Inline::Text { s: t } = inline {
                s.push_str(&t);
            }
            return;
        }
        if self.top().inlines().is_none() {
            self.stack.push(Frame::Para {
                implicit: true,
                c: Vec::new(),
            });
        }
        let c = self.top().inlines().expect("an inline frame is open");
        // Adjacent texts are merged (the tree stays small).
        if let (Some(Inline::Text { s }), Inline::Text { s: t }) = (c.last_mut(), &inline) {
            s.push_str(t);
        } else {
            c.push(inline);
        }
    }

    fn push_text(&mut self, s: &str) {
        let s = clean(s);
        if !s.is_empty() {
            self.push_inline(Inline::Text { s });
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.top() {
            Frame::Root(b) | Frame::Quote(b) | Frame::Item(b) => b.push(block),
            Frame::List { items, .. } => match items.last_mut() {
                Some(last) => last.push(block),
                None => items.push(vec![block]),
            },
            Frame::Literal(s, _) => s.push_str(&block_text(&block)),
            _ => {
                // A block inside inlines (not produced by CommonMark): keep its text.
                let s = block_text(&block);
                self.push_text(&s);
            }
        }
    }

    fn close_implicit(&mut self) {
        while matches!(self.top(), Frame::Para { implicit: true, .. }) {
            self.pop();
        }
    }

    fn open_block(&mut self, frame: Frame) -> bool {
        self.close_implicit();
        // Deep nesting: the content stays in the current container.
        let nested = matches!(frame, Frame::Quote(_) | Frame::List { .. });
        if nested && self.depth() > MAX_MARKDOWN_DEPTH * 2 {
            return false;
        }
        if matches!(frame, Frame::Item(_)) && !matches!(self.top(), Frame::List { .. }) {
            return false;
        }
        self.stack.push(frame);
        true
    }

    fn open_inline(&mut self, frame: Frame) -> bool {
        if self.depth() > MAX_MARKDOWN_DEPTH * 3 {
            return false;
        }
        if matches!(self.top(), Frame::Literal(..)) {
            return false;
        }
        if self.top().inlines().is_none() {
            self.stack.push(Frame::Para {
                implicit: true,
                c: Vec::new(),
            });
        }
        self.stack.push(frame);
        true
    }

    fn start(&mut self, tag: Tag) -> bool {
        match tag {
            Tag::Paragraph => self.open_block(Frame::Para {
                implicit: false,
                c: Vec::new(),
            }),
            Tag::Heading { level, .. } => self.open_block(Frame::Heading(level as u8, Vec::new())),
            Tag::BlockQuote(_) => self.open_block(Frame::Quote(Vec::new())),
            Tag::CodeBlock(_) => self.open_block(Frame::Literal(String::new(), true)),
            Tag::HtmlBlock => self.open_block(Frame::Literal(String::new(), false)),
            Tag::List(start) => self.open_block(Frame::List {
                start,
                items: Vec::new(),
            }),
            Tag::Item => self.open_block(Frame::Item(Vec::new())),
            Tag::Emphasis => self.open_inline(Frame::Em(Vec::new())),
            Tag::Strong => self.open_inline(Frame::Strong(Vec::new())),
            Tag::Link { dest_url, .. } => {
                self.open_inline(Frame::Link(clean(&dest_url), Vec::new()))
            }
            _ => self.open_inline(Frame::Span(Vec::new())),
        }
    }

    fn end(&mut self, _tag: TagEnd, opened: bool) {
        if !opened {
            return;
        }
        if !matches!(
            self.top(),
            Frame::Para {
                implicit: false,
                ..
            }
        ) {
            self.close_implicit();
        }
        self.pop();
    }

    /// Closes the top frame into its parent.
    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let frame = self.stack.pop().expect("more than the root is open");
        match frame {
            Frame::Root(_) => {}
            Frame::Para { c, .. } => {
                if !c.is_empty() {
                    self.push_block(Block::P { c });
                }
            }
            Frame::Heading(level, c) => self.push_block(Block::H { level, c }),
            Frame::Quote(c) => self.push_block(Block::Quote { c }),
            Frame::Literal(s, code) => {
                let s = s.trim_end_matches('\n').to_string();
                if !s.is_empty() {
                    self.push_block(Block::Literal { s, code });
                }
            }
            Frame::List { start, items } => self.push_block(match start {
                Some(start) => Block::Ol { start, items },
                None => Block::Ul { items },
            }),
            Frame::Item(blocks) => {
                if let Frame::List { items, .. } = self.top() {
                    items.push(blocks);
                } else {
                    for b in blocks {
                        self.push_block(b);
                    }
                }
            }
            Frame::Em(c) => self.push_inline(Inline::Em { c }),
            Frame::Strong(c) => self.push_inline(Inline::Strong { c }),
            Frame::Link(url, c) => {
                let text = inline_text(&c);
                let url = (!url.is_empty() && url != text).then_some(url);
                if c.is_empty() {
                    if let Some(url) = url {
                        self.push_text(&url);
                    }
                } else {
                    self.push_inline(Inline::Link { c, url });
                }
            }
            Frame::Span(c) => {
                for i in c {
                    self.push_inline(i);
                }
            }
        }
    }
}

fn inline_text(c: &[Inline]) -> String {
    let mut out = String::new();
    for i in c {
        match i {
            Inline::Text { s } => out.push_str(s),
            Inline::Em { c } | Inline::Strong { c } | Inline::Link { c, .. } => {
                out.push_str(&inline_text(c))
            }
            Inline::Br => out.push('\n'),
        }
    }
    out
}

fn block_text(b: &Block) -> String {
    match b {
        Block::P { c } | Block::H { c, .. } => inline_text(c),
        Block::Quote { c } => c.iter().map(block_text).collect::<Vec<_>>().join("\n"),
        Block::Ul { items } | Block::Ol { items, .. } => items
            .iter()
            .flatten()
            .map(block_text)
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Literal { s, .. } => s.clone(),
        Block::Rule => String::new(),
    }
}

/// Converts Markdown (CommonMark, no extensions) into blocks; what is not in the supported
/// subset (code, HTML, images…) is kept as literal text.
fn markdown(md: &str) -> Vec<Block> {
    if md.trim().is_empty() {
        return Vec::new();
    }
    let mut b = MdBuilder {
        stack: vec![Frame::Root(Vec::new())],
        opened: Vec::new(),
    };
    for event in Parser::new(md) {
        match event {
            Event::Start(tag) => {
                let opened = b.start(tag);
                b.opened.push(opened);
            }
            Event::End(tag) => {
                let opened = b.opened.pop().unwrap_or(false);
                b.end(tag, opened);
            }
            Event::Text(s)
            | Event::Code(s)
            | Event::Html(s)
            | Event::InlineHtml(s)
            | Event::InlineMath(s)
            | Event::DisplayMath(s)
            | Event::FootnoteReference(s) => b.push_text(&s),
            Event::SoftBreak => b.push_text(" "),
            Event::HardBreak => {
                if matches!(b.top(), Frame::Literal(..)) {
                    b.push_text("\n");
                } else {
                    b.push_inline(Inline::Br);
                }
            }
            Event::Rule => {
                b.close_implicit();
                b.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => b.push_text(if done { "[x] " } else { "[ ] " }),
        }
    }
    while b.stack.len() > 1 {
        b.pop();
    }
    match b.stack.pop() {
        Some(Frame::Root(blocks)) => blocks,
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// The typst world: the template, the JSON, the bundled fonts. Nothing else.

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

static MAIN_ID: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));
static DATA_ID: LazyLock<FileId> = LazyLock::new(|| file_id("/pack.json"));
static MAIN: LazyLock<Source> = LazyLock::new(|| Source::new(*MAIN_ID, TEMPLATE.to_string()));
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(<Library as LibraryExt>::default()));
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

struct PackWorld {
    data: Bytes,
    today: Option<Datetime>,
}

impl World for PackWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        *MAIN_ID
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN_ID {
            Ok(MAIN.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA_ID {
            Ok(self.data.clone())
        } else if id == *MAIN_ID {
            Ok(Bytes::from_string(MAIN.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { s: s.into() }
    }

    #[test]
    fn markdown_subset() {
        let b = markdown("## Intro\n\nSome **bold** and *em*.\n\n- one\n- two\n\n3. x\n4. y");
        assert_eq!(
            b,
            vec![
                Block::H {
                    level: 2,
                    c: vec![text("Intro")]
                },
                Block::P {
                    c: vec![
                        text("Some "),
                        Inline::Strong {
                            c: vec![text("bold")]
                        },
                        text(" and "),
                        Inline::Em {
                            c: vec![text("em")]
                        },
                        text("."),
                    ]
                },
                Block::Ul {
                    items: vec![
                        vec![Block::P {
                            c: vec![text("one")]
                        }],
                        vec![Block::P {
                            c: vec![text("two")]
                        }],
                    ]
                },
                Block::Ol {
                    start: 3,
                    items: vec![
                        vec![Block::P { c: vec![text("x")] }],
                        vec![Block::P { c: vec![text("y")] }],
                    ]
                },
            ]
        );
    }

    #[test]
    fn markdown_html_and_code_stay_text() {
        let b =
            markdown("<b>Who</b> decides? `#x`\n\n```\n#import \"a\"\n```\n\n<div>\nhi\n</div>");
        assert_eq!(
            b,
            vec![
                Block::P {
                    c: vec![text("<b>Who</b> decides? #x")]
                },
                Block::Literal {
                    s: "#import \"a\"".into(),
                    code: true,
                },
                Block::Literal {
                    s: "<div>\nhi\n</div>".into(),
                    code: false,
                },
            ]
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let md = format!("{}deep", "> ".repeat(200));
        let b = markdown(&md);
        let json = serde_json::to_string(&b).unwrap();
        assert!(json.contains("deep"));
        assert!(json.matches("quote").count() <= MAX_MARKDOWN_DEPTH * 2);
        let md = format!("{}deep", "- ".repeat(200));
        assert!(
            serde_json::to_string(&markdown(&md))
                .unwrap()
                .contains("deep")
        );
    }

    #[test]
    fn languages() {
        let l = typst_lang("en-GB").unwrap();
        assert_eq!((l.lang.as_str(), l.region.as_deref()), ("en", Some("GB")));
        let l = typst_lang("zh-Hant-TW").unwrap();
        assert_eq!((l.lang.as_str(), l.region.as_deref()), ("zh", Some("TW")));
        assert_eq!(typst_lang("km").unwrap().region, None);
        assert!(typst_lang("").is_none());
        assert!(typst_lang("und").is_none());
        assert!(typst_lang("x-private").is_none());
        assert!(typst_lang("ไทย").is_none());
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-11-25").is_some());
        assert!(parse_date("2026-11-25T10:00:00Z").is_some());
        assert!(parse_date("2026-13-25").is_none());
        assert!(parse_date("soon").is_none());
    }
}

//! The HTML export: one self-contained HTML5 file. Nothing in it is loaded from anywhere (no
//! script, no remote font, image or style sheet, and a Content-Security-Policy forbids them
//! anyway); it prints on A4; quotes carry their language so Thai, Khmer, Lao and Vietnamese
//! render with the reader's system fonts.
//!
//! The first part of this file is shared by the three text exporters (HTML, Markdown, DOCX):
//! what an export says, in order, whatever the format ([`content`]), and the small helpers
//! about languages, scripts and links they all need.

use std::fmt::Write as _;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pustaka_notes::Color;

use crate::model::{Audience, ItemKind, Pack, Source};

// ---------------------------------------------------------------------------------------
// Shared by the exporters.
// ---------------------------------------------------------------------------------------

pub(crate) const CONTENTS: &str = "Contents";
pub(crate) const SOURCES: &str = "Sources";
pub(crate) const NOTE: &str = "Note";
pub(crate) const TAGS: &str = "Tags";
pub(crate) const TRAINER_ONLY: &str = "Trainer only";
pub(crate) const NO_SOURCES: &str = "No documents are quoted.";

/// "Trainer edition" or "Participant edition".
pub(crate) fn edition_label(audience: Audience) -> &'static str {
    match audience {
        Audience::Trainer => "Trainer edition",
        Audience::Participant => "Participant edition",
    }
}

/// The cover's facts after title and subtitle, as (label, value), the empty ones left out.
pub(crate) fn cover_facts(pack: &Pack) -> Vec<(&'static str, &str)> {
    [
        ("Audience", pack.audience.as_str()),
        ("Author", pack.author.as_str()),
        ("Date", pack.date.as_str()),
    ]
    .into_iter()
    .map(|(label, value)| (label, value.trim()))
    .filter(|(_, value)| !value.is_empty())
    .collect()
}

/// One quotation of an export: a passage with the trainer's note, or an annotation's quote
/// with its note and tags.
pub(crate) struct Quotation<'a> {
    /// The passage's heading as written, when known.
    pub heading: Option<&'a str>,
    /// The quoted text (plain text, never markup).
    pub text: &'a str,
    /// BCP 47 language of the text: declared, or guessed from its script.
    pub lang: Option<String>,
    /// "2005 Convention, Art. 16" (with the page when known and not already said).
    pub citation: String,
    /// The number of its document in the Sources list.
    pub source: Option<usize>,
    /// Markdown: the trainer's note on a passage, or the annotation's note.
    pub note: &'a str,
    pub tags: &'a [String],
    /// The highlight colour (annotations only).
    pub color: Option<Color>,
}

pub(crate) enum Block<'a> {
    /// A heading of the pack; `number` counts the headings from 1 (for anchors).
    Heading {
        text: String,
        number: usize,
    },
    Quotation(Quotation<'a>),
    /// Free text, Markdown.
    Text {
        markdown: &'a str,
    },
}

pub(crate) struct Entry<'a> {
    pub trainer_only: bool,
    pub block: Block<'a>,
}

/// What an export of a pack says, in order.
pub(crate) struct Content<'a> {
    pub entries: Vec<Entry<'a>>,
    pub sources: Vec<Source>,
}

impl Content<'_> {
    /// The pack's headings (for the table of contents): (number, text).
    pub fn headings(&self) -> impl Iterator<Item = (usize, &str)> {
        self.entries.iter().filter_map(|e| match &e.block {
            Block::Heading { text, number } => Some((*number, text.as_str())),
            _ => None,
        })
    }
}

/// The visible items of `pack` for `audience`, ready to render, and the numbered sources.
pub(crate) fn content(pack: &Pack, audience: Audience) -> Content<'_> {
    let sources = pack.sources(audience);
    let mut entries = Vec::new();
    let mut headings = 0;
    for item in pack.visible(audience) {
        let block = match &item.kind {
            ItemKind::Heading { text } => {
                let text = one_line(text);
                if text.is_empty() {
                    continue;
                }
                headings += 1;
                Block::Heading {
                    text,
                    number: headings,
                }
            }
            ItemKind::Text { markdown } => {
                if markdown.trim().is_empty() {
                    continue;
                }
                Block::Text { markdown }
            }
            ItemKind::Passage { passage: p, note } => Block::Quotation(Quotation {
                heading: non_empty(p.heading.as_deref()),
                text: &p.text,
                lang: lang_of(p.language.as_deref(), &p.text),
                citation: citation_text(&p.citation, &p.doc_title, p.page),
                source: Pack::source_number(&sources, &p.doc_id),
                note,
                tags: &[],
                color: None,
            }),
            ItemKind::Annotation {
                annotation: a,
                passage,
            } => {
                let text = a.target.quote.exact.as_str();
                let (citation, source, lang, heading) = match passage {
                    Some(p) => (
                        citation_text(&p.citation, &p.doc_title, p.page),
                        Pack::source_number(&sources, &p.doc_id),
                        lang_of(p.language.as_deref(), text),
                        non_empty(p.heading.as_deref()),
                    ),
                    None => (
                        citation_text(&a.citation, &a.doc_title, None),
                        Pack::source_number(&sources, a.target.doc_id.as_str()),
                        lang_of(None, text),
                        None,
                    ),
                };
                Block::Quotation(Quotation {
                    heading,
                    text,
                    lang,
                    citation,
                    source,
                    note: &a.note,
                    tags: &a.tags,
                    color: Some(a.color),
                })
            }
        };
        entries.push(Entry {
            trainer_only: item.trainer_only,
            block,
        });
    }
    Content { entries, sources }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The citation as printed: the passage's citation (or the document's title when it has
/// none), with the page when known and not already in it.
pub(crate) fn citation_text(citation: &str, doc_title: &str, page: Option<u32>) -> String {
    let base = match one_line(citation) {
        c if c.is_empty() => one_line(doc_title),
        c => c,
    };
    match page {
        Some(n) if !base.contains(&format!("p. {n}")) => {
            if base.is_empty() {
                format!("p. {n}")
            } else {
                format!("{base}, p. {n}")
            }
        }
        _ => base,
    }
}

/// A text on one line: runs of white space (line breaks included) become one space.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A passage's text as paragraphs (split at blank lines) of lines (kept as line breaks).
pub(crate) fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The scripts that need their own fonts (and, in Word, complex-script run properties).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Thai,
    Lao,
    Khmer,
    Myanmar,
}

impl Script {
    pub fn of(c: char) -> Option<Script> {
        match c as u32 {
            0x0E00..=0x0E7F => Some(Script::Thai),
            0x0E80..=0x0EFF => Some(Script::Lao),
            0x1780..=0x17FF | 0x19E0..=0x19FF => Some(Script::Khmer),
            0x1000..=0x109F | 0xA9E0..=0xA9FF | 0xAA60..=0xAA7F => Some(Script::Myanmar),
            _ => None,
        }
    }

    /// The first of these scripts used in `text`.
    pub fn detect(text: &str) -> Option<Script> {
        text.chars().find_map(Script::of)
    }

    /// The language usually written in the script (BCP 47, with region as Word likes it).
    pub fn lang(self) -> &'static str {
        match self {
            Script::Thai => "th-TH",
            Script::Lao => "lo-LA",
            Script::Khmer => "km-KH",
            Script::Myanmar => "my-MM",
        }
    }

    /// The Noto font for the script.
    pub fn font(self) -> &'static str {
        match self {
            Script::Thai => "Noto Sans Thai",
            Script::Lao => "Noto Sans Lao",
            Script::Khmer => "Noto Sans Khmer",
            Script::Myanmar => "Noto Sans Myanmar",
        }
    }
}

/// `tag` when it looks like a BCP 47 tag (letters, digits and hyphens, starting with a
/// letter), so it can go into an attribute as is.
pub(crate) fn valid_lang(tag: &str) -> Option<&str> {
    let tag = tag.trim();
    let ok = !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then_some(tag)
}

/// The language of a text: the declared one when valid, else the one its script suggests.
pub(crate) fn lang_of(declared: Option<&str>, text: &str) -> Option<String> {
    declared
        .and_then(valid_lang)
        .map(str::to_string)
        .or_else(|| Script::detect(text).map(|s| s.lang().to_string()))
}

/// `url` when it is a web or mail address that may become a link (never `javascript:`,
/// `file:` or `data:`), trimmed.
pub(crate) fn safe_link(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:");
    let chars_ok = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'));
    (scheme_ok && chars_ok && url.len() > 8).then_some(url)
}

/// Characters that XML 1.0 does not allow (and that HTML treats as errors): C0 controls
/// other than tab, line feed and carriage return, and the non-characters U+FFFE/U+FFFF.
pub(crate) fn is_forbidden_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

// ---------------------------------------------------------------------------------------
// HTML.
// ---------------------------------------------------------------------------------------

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE: &str = r#"
:root { color-scheme: light; }
html {
  font-family: "Noto Sans", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Lao",
    "Noto Sans Myanmar", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, sans-serif;
  line-height: 1.55;
  color: #1b1b1b;
  background: #fff;
}
:lang(th) {
  font-family: "Noto Sans Thai", "Noto Sans Thai UI", "Leelawadee UI", Leelawadee, Thonburi,
    Tahoma, "Noto Sans", sans-serif;
  line-height: 1.8;
}
:lang(lo) {
  font-family: "Noto Sans Lao", "Noto Sans Lao UI", "Lao UI", "Leelawadee UI",
    "Lao Sangam MN", "Phetsarath OT", "Noto Sans", sans-serif;
  line-height: 1.8;
}
:lang(km) {
  font-family: "Noto Sans Khmer", "Noto Sans Khmer UI", "Khmer UI", "Leelawadee UI",
    "Khmer Sangam MN", "Khmer OS System", "Khmer OS", "Noto Sans", sans-serif;
  line-height: 1.9;
}
:lang(my) {
  font-family: "Noto Sans Myanmar", "Myanmar Text", "Myanmar Sangam MN", Padauk,
    "Noto Sans", sans-serif;
  line-height: 1.9;
}
body { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; }
h1 { font-size: 2rem; margin: 0.5rem 0; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.8rem; border-bottom: 1px solid #d6d6d6; padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; }
a { color: #1d4f91; }
.cover { margin-bottom: 2.5rem; }
.edition { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.85rem; font-weight: 700; color: #7a5200; margin: 0; }
.subtitle { font-size: 1.2rem; color: #444; margin: 0 0 1rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0; }
.facts dt { font-weight: 700; }
.facts dd { margin: 0; }
.toc ol { padding-left: 1.5rem; }
.quotation { margin: 1.2rem 0 1.6rem; }
.passage-heading { font-weight: 700; font-size: 0.95rem; margin: 0 0 0.3rem; }
blockquote { margin: 0; padding: 0.4rem 1rem; border-left: 4px solid #8a8a8a; background: #f6f6f4; }
blockquote p { margin: 0.4rem 0; }
.quotation.yellow blockquote { border-left-color: #c9a100; }
.quotation.green blockquote { border-left-color: #3d8b3d; }
.quotation.blue blockquote { border-left-color: #2f6db5; }
.quotation.pink blockquote { border-left-color: #c2457a; }
.quotation.purple blockquote { border-left-color: #7048a8; }
.citation { margin: 0.35rem 0 0 1rem; font-size: 0.92rem; color: #3d3d3d; }
.ref { text-decoration: none; }
.note { margin: 0.6rem 0 0 1rem; padding: 0.2rem 0.8rem; border-left: 2px solid #c9c9c9; }
.note > .label, .tags > .label { font-weight: 700; }
.note > .label { margin: 0.3rem 0; }
.tags { margin: 0.4rem 0 0 1rem; font-size: 0.92rem; }
.tag { display: inline-block; border: 1px solid #bbb; border-radius: 0.6rem; padding: 0 0.5rem; margin: 0 0.2rem 0.2rem 0; }
.raw { white-space: pre-wrap; }
.trainer-only { border: 1px dashed #b45309; padding: 0 0.8rem; margin: 1rem 0; }
.flag { font-size: 0.8rem; font-weight: 700; color: #9a3412; text-transform: uppercase; letter-spacing: 0.05em; margin: 0.5rem 0; }
h2 .flag { margin-left: 0.6rem; }
pre { white-space: pre-wrap; background: #f3f3f3; padding: 0.6rem; }
code { font-family: "Noto Sans Mono", ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
.sources li { margin-bottom: 0.4rem; overflow-wrap: anywhere; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .toc { break-after: page; }
  h2, h3, .passage-heading { break-after: avoid; }
  blockquote, .citation, .tags { break-inside: avoid; }
  .trainer-only { border-color: #777; }
}
"#;

/// The pack as one self-contained HTML5 file for `audience`.
pub fn to_html(pack: &Pack, audience: Audience) -> String {
    let c = content(pack, audience);
    let mut h = Html(String::with_capacity(16 * 1024));
    let edition = edition_label(audience);

    h.raw("<!DOCTYPE html>\n<html lang=\"");
    h.text(valid_lang(&pack.language).unwrap_or("en"));
    h.raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    h.text(CSP);
    h.raw("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"generator\" content=\"Pustaka\">\n<title>");
    h.text(&one_line(&pack.title));
    h.raw(" — ");
    h.text(edition);
    h.raw("</title>\n<style>");
    h.raw(STYLE);
    h.raw("</style>\n</head>\n<body>\n");

    // Cover.
    h.raw("<header class=\"cover\">\n<p class=\"edition\">");
    h.text(edition);
    h.raw("</p>\n<h1>");
    h.text_lang(&one_line(&pack.title));
    h.raw("</h1>\n");
    let subtitle = one_line(&pack.subtitle);
    if !subtitle.is_empty() {
        h.raw("<p class=\"subtitle\">");
        h.text_lang(&subtitle);
        h.raw("</p>\n");
    }
    let facts = cover_facts(pack);
    if !facts.is_empty() {
        h.raw("<dl class=\"facts\">\n");
        for (label, value) in facts {
            h.raw("<dt>");
            h.text(label);
            h.raw("</dt><dd>");
            h.text_lang(&one_line(value));
            h.raw("</dd>\n");
        }
        h.raw("</dl>\n");
    }
    h.raw("</header>\n");

    // Table of contents.
    h.raw("<nav class=\"toc\" aria-labelledby=\"contents\">\n<h2 id=\"contents\">");
    h.text(CONTENTS);
    h.raw("</h2>\n<ol>\n");
    for (number, text) in c.headings() {
        let _ = write!(h.0, "<li><a href=\"#h{number}\">");
        h.text_lang(text);
        h.raw("</a></li>\n");
    }
    h.raw("<li><a href=\"#sources\">");
    h.text(SOURCES);
    h.raw("</a></li>\n</ol>\n</nav>\n<main>\n");

    // Items.
    for entry in &c.entries {
        let flagged = entry.trainer_only && audience == Audience::Trainer;
        match &entry.block {
            Block::Heading { text, number } => {
                let _ = write!(h.0, "<h2 id=\"h{number}\"");
                if flagged {
                    h.raw(" class=\"trainer-only-heading\"");
                }
                h.raw(">");
                h.text_lang(text);
                if flagged {
                    h.raw(" <span class=\"flag\">");
                    h.text(TRAINER_ONLY);
                    h.raw("</span>");
                }
                h.raw("</h2>\n");
            }
            block => {
                if flagged {
                    h.raw("<div class=\"trainer-only\">\n<p class=\"flag\">");
                    h.text(TRAINER_ONLY);
                    h.raw("</p>\n");
                }
                match block {
                    Block::Quotation(q) => h.quotation(q),
                    Block::Text { markdown } => {
                        h.raw("<div class=\"text\">\n");
                        h.markdown(markdown);
                        h.raw("</div>\n");
                    }
                    Block::Heading { .. } => {}
                }
                if flagged {
                    h.raw("</div>\n");
                }
            }
        }
    }
    h.raw("</main>\n");

    // Sources.
    h.raw("<section class=\"sources\">\n<h2 id=\"sources\">");
    h.text(SOURCES);
    h.raw("</h2>\n");
    if c.sources.is_empty() {
        h.raw("<p>");
        h.text(NO_SOURCES);
        h.raw("</p>\n");
    } else {
        h.raw("<ol>\n");
        for s in &c.sources {
            let _ = write!(
                h.0,
                "<li id=\"source-{n}\" value=\"{n}\"><span class=\"title\"",
                n = s.number
            );
            h.lang_attr(lang_of(None, &s.doc_title).as_deref());
            h.raw(">");
            h.text(&one_line(&s.doc_title));
            h.raw("</span>");
            if let Some(url) = s.source_url.as_deref().map(str::trim)
                && !url.is_empty()
            {
                h.raw("<br>");
                match safe_link(url) {
                    Some(url) => {
                        h.raw("<a class=\"url\" href=\"");
                        h.text(url);
                        h.raw("\" rel=\"noopener noreferrer\">");
                        h.text(url);
                        h.raw("</a>");
                    }
                    None => {
                        h.raw("<span class=\"url\">");
                        h.text(url);
                        h.raw("</span>");
                    }
                }
            }
            h.raw("</li>\n");
        }
        h.raw("</ol>\n");
    }
    h.raw("</section>\n</body>\n</html>\n");
    h.0
}

/// An HTML document being written.
struct Html(String);

impl Html {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// Text, escaped for element content and attribute values alike.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                '\r' => {}
                c if is_forbidden_char(c) => {}
                c => self.0.push(c),
            }
        }
    }

    /// Text in a span with the language its script suggests, when it needs one.
    fn text_lang(&mut self, s: &str) {
        match Script::detect(s) {
            Some(script) => {
                self.raw("<span");
                self.lang_attr(Some(script.lang()));
                self.raw(">");
                self.text(s);
                self.raw("</span>");
            }
            None => self.text(s),
        }
    }

    fn lang_attr(&mut self, lang: Option<&str>) {
        if let Some(lang) = lang.and_then(valid_lang) {
            self.raw(" lang=\"");
            self.text(lang);
            self.raw("\"");
        }
    }

    fn quotation(&mut self, q: &Quotation) {
        self.raw("<div class=\"quotation");
        if let Some(color) = q.color {
            self.raw(" annotation ");
            self.raw(color.as_str());
        }
        self.raw("\">\n");
        if let Some(heading) = q.heading {
            self.raw("<p class=\"passage-heading\"");
            self.lang_attr(lang_of(q.lang.as_deref(), heading).as_deref());
            self.raw(">");
            self.text(&one_line(heading));
            self.raw("</p>\n");
        }
        self.raw("<blockquote");
        self.lang_attr(q.lang.as_deref());
        self.raw(">\n");
        for para in paragraphs(q.text) {
            self.raw("<p>");
            for (i, line) in para.iter().enumerate() {
                if i > 0 {
                    self.raw("<br>\n");
                }
                self.text(line);
            }
            self.raw("</p>\n");
        }
        self.raw("</blockquote>\n<p class=\"citation\">— ");
        self.text_lang(&q.citation);
        if let Some(n) = q.source {
            let _ = write!(self.0, " <a class=\"ref\" href=\"#source-{n}\">[{n}]</a>");
        }
        self.raw("</p>\n");
        if !q.note.trim().is_empty() {
            self.raw("<div class=\"note\">\n<p class=\"label\">");
            self.text(NOTE);
            self.raw("</p>\n");
            self.markdown(q.note);
            self.raw("</div>\n");
        }
        let tags: Vec<String> = q
            .tags
            .iter()
            .map(|t| one_line(t))
            .filter(|t| !t.is_empty())
            .collect();
        if !tags.is_empty() {
            self.raw("<p class=\"tags\"><span class=\"label\">");
            self.text(TAGS);
            self.raw(":</span> ");
            for tag in &tags {
                self.raw("<span class=\"tag\">");
                self.text_lang(tag);
                self.raw("</span> ");
            }
            self.raw("</p>\n");
        }
        self.raw("</div>\n");
    }

    /// Markdown (CommonMark, no extensions) rendered here; raw HTML in it is shown as the
    /// text it is, links only to web and mail addresses, images as their description.
    /// Its headings sit below the pack's own (`#` and `##` become `h3`).
    fn markdown(&mut self, md: &str) {
        // Whether each open link became an `<a>`.
        let mut links: Vec<bool> = Vec::new();
        // The text of an HTML block being collected.
        let mut raw_block: Option<String> = None;
        for event in Parser::new_ext(md, Options::empty()) {
            match event {
                Event::Start(tag) => match tag {
                    Tag::Paragraph => self.raw("<p>"),
                    Tag::Heading { level, .. } => {
                        let _ = write!(self.0, "<h{}>", shifted_level(level));
                    }
                    Tag::BlockQuote(_) => self.raw("<blockquote>\n"),
                    Tag::CodeBlock(_) => self.raw("<pre><code>"),
                    Tag::HtmlBlock => raw_block = Some(String::new()),
                    Tag::List(Some(1)) => self.raw("<ol>\n"),
                    Tag::List(Some(start)) => {
                        let _ = writeln!(self.0, "<ol start=\"{start}\">");
                    }
                    Tag::List(None) => self.raw("<ul>\n"),
                    Tag::Item => self.raw("<li>"),
                    Tag::Emphasis => self.raw("<em>"),
                    Tag::Strong => self.raw("<strong>"),
                    Tag::Strikethrough => self.raw("<s>"),
                    Tag::Superscript => self.raw("<sup>"),
                    Tag::Subscript => self.raw("<sub>"),
                    Tag::Link { dest_url, .. } => match safe_link(&dest_url) {
                        Some(url) => {
                            self.raw("<a href=\"");
                            self.text(url);
                            self.raw("\" rel=\"noopener noreferrer\">");
                            links.push(true);
                        }
                        None => links.push(false),
                    },
                    // Never loaded: shown as "[image: description]".
                    Tag::Image { .. } => self.raw("<span class=\"image\">[image: "),
                    _ => {}
                },
                Event::End(tag) => match tag {
                    TagEnd::Paragraph => self.raw("</p>\n"),
                    TagEnd::Heading(level) => {
                        let _ = writeln!(self.0, "</h{}>", shifted_level(level));
                    }
                    TagEnd::BlockQuote(_) => self.raw("</blockquote>\n"),
                    TagEnd::CodeBlock => self.raw("</code></pre>\n"),
                    TagEnd::HtmlBlock => {
                        let text = raw_block.take().unwrap_or_default();
                        self.raw("<p class=\"raw\">");
                        self.text(text.trim_end_matches('\n'));
                        self.raw("</p>\n");
                    }
                    TagEnd::List(true) => self.raw("</ol>\n"),
                    TagEnd::List(false) => self.raw("</ul>\n"),
                    TagEnd::Item => self.raw("</li>\n"),
                    TagEnd::Emphasis => self.raw("</em>"),
                    TagEnd::Strong => self.raw("</strong>"),
                    TagEnd::Strikethrough => self.raw("</s>"),
                    TagEnd::Superscript => self.raw("</sup>"),
                    TagEnd::Subscript => self.raw("</sub>"),
                    TagEnd::Link => {
                        let opened = links.pop() == Some(true);
                        self.raw(if opened { "</a>" } else { "" });
                    }
                    TagEnd::Image => self.raw("]</span>"),
                    _ => {}
                },
                Event::Text(t) => self.text(&t),
                Event::Code(t) => {
                    self.raw("<code>");
                    self.text(&t);
                    self.raw("</code>");
                }
                // Raw HTML is text here.
                Event::Html(t) | Event::InlineHtml(t) => match &mut raw_block {
                    Some(block) => block.push_str(&t),
                    None => self.text(&t),
                },
                Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
                Event::FootnoteReference(t) => {
                    self.raw("[^");
                    self.text(&t);
                    self.raw("]");
                }
                Event::SoftBreak => self.raw("\n"),
                Event::HardBreak => self.raw("<br>\n"),
                Event::Rule => self.raw("<hr>\n"),
                Event::TaskListMarker(done) => self.raw(if done { "[x] " } else { "[ ] " }),
            }
        }
    }
}

/// A Markdown heading's level in the export: below the pack's headings (`h2`).
fn shifted_level(level: HeadingLevel) -> u8 {
    let n = level as u8;
    (n + 1).clamp(3, 6)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Packs for the exporters' tests: the sample, plus annotations.

    use crate::model::{Item, ItemKind, Pack, QuotedPassage};
    use crate::sample;
    use pustaka_core::DocId;
    use pustaka_notes::{
        Anchoring, Annotation, AnnotationId, Color, Motivation, Target, TextQuote,
    };

    pub fn annotation(doc: &str, quote: &str, note: &str, tags: &[&str]) -> Annotation {
        Annotation {
            id: AnnotationId::new_random(),
            target: Target {
                doc_id: DocId::parse(doc).expect("doc id"),
                anchor: "art-1".into(),
                start: 0,
                end: quote.chars().count(),
                quote: TextQuote {
                    exact: quote.into(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
                passage_hash: "0".into(),
                doc_hash: "0".into(),
            },
            note: note.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            color: Color::Green,
            motivation: Motivation::Commenting,
            author: "Trainer".into(),
            created: 1_795_600_000_000,
            modified: 1_795_600_000_000,
            anchoring: Anchoring::Attached,
            citation: "Lao heritage decree, Art. 1".into(),
            doc_title: "ດຳລັດວ່າດ້ວຍມໍລະດົກ".into(),
        }
    }

    /// `sample::mixed_pack(12)` plus two annotations: one on a document quoted nowhere else
    /// (Lao, no passage), one with its passage; and a trainer-only passage.
    pub fn pack() -> Pack {
        let mut pack = sample::mixed_pack(12);
        pack.items.push(Item::new(
            ItemKind::Annotation {
                annotation: Box::new(annotation(
                    "dlaodecree",
                    "ລັດຖະບານສົ່ງເສີມມໍລະດົກວັດທະນະທຳ",
                    "Ask: *who* funds this? <img src=x onerror=alert(1)>",
                    &["heritage", "<tag>"],
                )),
                passage: None,
            },
            false,
        ));
        let passage = QuotedPassage {
            doc_id: "dconv2005".into(),
            anchor: "art-16".into(),
            citation: "2005 Convention, Art. 16".into(),
            doc_title: "Convention on the Diversity of Cultural Expressions".into(),
            heading: Some("Article 16 – Preferential treatment".into()),
            page: Some(12),
            text: "Developed countries facilitate cultural exchanges".into(),
            language: Some("en".into()),
            source_url: Some("https://example.org/dconv2005".into()),
        };
        pack.items.push(Item::new(
            ItemKind::Annotation {
                annotation: Box::new(annotation(
                    "dconv2005",
                    "facilitate cultural exchanges",
                    "",
                    &["mobility"],
                )),
                passage: Some(passage.clone()),
            },
            false,
        ));
        pack.items.push(Item::new(
            ItemKind::Passage {
                passage: QuotedPassage {
                    doc_id: "dtrainerdoc".into(),
                    citation: "Trainer handbook, Sec. 9".into(),
                    doc_title: "Secret trainer handbook".into(),
                    text: "Only trainers read this quotation.".into(),
                    source_url: Some("javascript:alert(1)".into()),
                    heading: None,
                    page: None,
                    ..passage
                },
                note: String::new(),
            },
            true,
        ));
        pack
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, ItemKind};
    use crate::sample;

    fn count(hay: &str, needle: &str) -> usize {
        hay.matches(needle).count()
    }

    #[test]
    fn self_contained_and_safe() {
        for audience in [Audience::Trainer, Audience::Participant] {
            let html = to_html(&test_support::pack(), audience);
            let lower = html.to_ascii_lowercase();
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
            assert!(!lower.contains("<script"), "no script element");
            assert!(!lower.contains("src=\"http"), "nothing loaded");
            // Every `<` is markup of ours (text is escaped): no tag has a `src`.
            for tag in lower.split('<').skip(1) {
                let tag = &tag[..tag.find('>').expect("closed tag")];
                assert!(!tag.contains("src="), "a tag loads something: <{tag}>");
            }
            assert!(!lower.contains("url("), "no CSS url()");
            assert!(!lower.contains("@import"));
            assert!(!lower.contains("<link"), "no linked style sheet or font");
            assert!(!lower.contains("<img"), "images in notes are not loaded");
            assert!(!lower.contains("href=\"javascript:"), "no script link");
            assert!(html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\">"
            ));
            assert_eq!(count(&html, "<style>"), 1);
            assert!(html.contains("@media print"));
            assert!(html.contains(
                "\"Noto Sans\", \"Noto Sans Thai\", \"Noto Sans Khmer\", \"Noto Sans Lao\""
            ));
            // Only the sources' official addresses are links out (plain <a href>).
            for (i, _) in lower.match_indices("href=\"") {
                let rest = &lower[i + 6..];
                assert!(
                    rest.starts_with('#') || rest.starts_with("https://example.org/"),
                    "unexpected link: {}",
                    &rest[..40.min(rest.len())]
                );
            }
        }
    }

    #[test]
    fn the_content_is_escaped() {
        let html = to_html(&test_support::pack(), Audience::Trainer);
        assert!(html.contains(
            "&lt;script&gt;alert(&#39;this is text&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"
        ));
        // Raw HTML in the trainer's Markdown text is shown as text.
        assert!(html.contains("&lt;b&gt;Who&lt;/b&gt; decides?"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("<span class=\"tag\">&lt;tag&gt;</span>"));
        // A title with markup stays text too.
        let mut pack = sample::mixed_pack(8);
        pack.title = "A <b>bold</b> & \"quoted\" title".into();
        pack.language = "en\"><script>".into();
        let html = to_html(&pack, Audience::Participant);
        assert!(html.contains("<h1>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</h1>"));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn structure_in_order() {
        let pack = test_support::pack();
        let html = to_html(&pack, Audience::Trainer);
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("missing {needle:?}"))
        };
        // Cover, contents, items, sources.
        assert!(
            at("<p class=\"edition\">Trainer edition</p>")
                < at("<h1>Preferential treatment: a briefing</h1>")
        );
        assert!(
            at("<h1>") < at("<p class=\"subtitle\">Session 4 of the creative economy course</p>")
        );
        assert!(html.contains("<dt>Audience</dt><dd>Ministry officials</dd>"));
        assert!(html.contains("<dt>Author</dt><dd>Course trainer</dd>"));
        assert!(html.contains("<dt>Date</dt><dd>2026-11-25</dd>"));
        assert!(at("<dd>2026-11-25</dd>") < at("<h2 id=\"contents\">Contents</h2>"));
        assert!(at("<h2 id=\"contents\">") < at("<main>"));
        assert!(at("<main>") < at("<h2 id=\"sources\">Sources</h2>"));
        // Contents: every heading, linked.
        assert!(html.contains("<li><a href=\"#h1\">The 2005 Convention</a></li>"));
        assert!(html.contains("<li><a href=\"#h2\">Notes from the course</a></li>"));
        assert!(html.contains("<li><a href=\"#sources\">Sources</a></li>"));
        assert!(html.contains("<h2 id=\"h1\">The 2005 Convention</h2>"));
        assert_eq!(
            count(&html, "<h2 id=\"h"),
            pack.items
                .iter()
                .filter(|i| matches!(i.kind, ItemKind::Heading { .. }))
                .count()
        );
        // Markdown text: headings below the pack's, emphasis, lists.
        assert!(html.contains("<h3>Introduction</h3>"));
        assert!(html.contains("<strong>preferential treatment</strong>"));
        assert!(html.contains("<em>status of the artist</em>"));
        assert!(html.contains("<li>Who benefits?</li>"));
        assert!(html.contains("<li>Which of these measures exist in your country?</li>"));
        // Passages: quote with its language, citation with the source's number, note.
        assert!(html.contains("<blockquote lang=\"th\">\n<p>กระทรวงวัฒนธรรม"));
        assert!(html.contains("<blockquote lang=\"km\">\n<p>ក្រសួងវប្បធម៌"));
        assert!(html.contains("<blockquote lang=\"vi\">\n<p>Nhà nước hỗ trợ nghệ sĩ"));
        assert!(html.contains("<blockquote lang=\"en\">\n<p>Developed countries"));
        assert!(html.contains(
            "<p class=\"citation\">— 2005 Convention, Art. 16 <a class=\"ref\" href=\"#source-1\">[1]</a></p>"
        ));
        assert!(html.contains(
            "Thai creative economy note, p. 3 <a class=\"ref\" href=\"#source-2\">[2]</a>"
        ));
        assert!(html.contains("<p>Compare with the mobility schemes in the periodic reports.</p>"));
        // Annotations: quote (Lao, guessed from the script), citation, note, tags.
        assert!(html.contains("<div class=\"quotation annotation green\">"));
        assert!(html.contains("<blockquote lang=\"lo-LA\">\n<p>ລັດຖະບານ"));
        assert!(
            html.contains(
                "Lao heritage decree, Art. 1 <a class=\"ref\" href=\"#source-5\">[5]</a>"
            )
        );
        assert!(html.contains("<p>Ask: <em>who</em> funds this?"));
        assert!(html.contains("<span class=\"tag\">heritage</span>"));
        // The annotation with its passage: heading, page, the passage's source.
        assert!(html.contains(
            "<p class=\"passage-heading\" lang=\"en\">Article 16 – Preferential treatment</p>"
        ));
        assert!(html.contains(
            "2005 Convention, Art. 16, p. 12 <a class=\"ref\" href=\"#source-1\">[1]</a>"
        ));
        // Sources: number, title, address; an unsafe address is not a link.
        assert!(html.contains(
            "<li id=\"source-1\" value=\"1\"><span class=\"title\">Convention on the Diversity of Cultural Expressions</span><br><a class=\"url\" href=\"https://example.org/dconv2005\" rel=\"noopener noreferrer\">https://example.org/dconv2005</a></li>"
        ));
        assert!(html.contains("<li id=\"source-2\" value=\"2\"><span class=\"title\" lang=\"th-TH\">บันทึกนโยบายเศรษฐกิจสร้างสรรค์</span>"));
        assert!(html.contains("<span class=\"url\">javascript:alert(1)</span>"));
        assert_eq!(count(&html, "<li id=\"source-"), 6);
    }

    #[test]
    fn trainer_and_participant_editions() {
        let pack = test_support::pack();
        let trainer = to_html(&pack, Audience::Trainer);
        let participant = to_html(&pack, Audience::Participant);
        assert!(trainer.contains("Trainer edition"));
        assert!(!trainer.contains("Participant edition"));
        assert!(participant.contains("Participant edition"));
        assert!(!participant.contains("Trainer edition"));
        for t in [
            "Discussion questions (trainer only)",
            "Only trainers read this quotation.",
            "Secret trainer handbook",
            "<p class=\"flag\">Trainer only</p>",
        ] {
            assert!(trainer.contains(t), "{t}");
            assert!(!participant.contains(t), "{t}");
        }
        // The participants' sources are numbered without the trainer-only document.
        assert_eq!(count(&participant, "<li id=\"source-"), 5);
        assert!(participant.contains("Convention on the Diversity of Cultural Expressions"));
    }

    #[test]
    fn markdown_rendering() {
        let mut pack = sample::mixed_pack(8);
        pack.items = vec![Item::new(
            ItemKind::Text {
                markdown: "# Top\n\n#### Deep\n\n3. three\n4. four\n\n> quoted *md*\n\n`a<b>` and\n\n```\n<pre>code</pre>\n```\n\n[ok](https://example.org/x) [bad](javascript:alert(1)) ![pic](http://evil.example/p.png)\n\n<div onclick=\"x\">\n\nline  \nbreak\n\n---".into(),
            },
            false,
        )];
        let html = to_html(&pack, Audience::Participant);
        assert!(html.contains("<h3>Top</h3>"));
        assert!(html.contains("<h5>Deep</h5>"));
        assert!(html.contains("<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>"));
        assert!(html.contains("<blockquote>\n<p>quoted <em>md</em></p>\n</blockquote>"));
        assert!(html.contains("<code>a&lt;b&gt;</code>"));
        assert!(html.contains("<pre><code>&lt;pre&gt;code&lt;/pre&gt;\n</code></pre>"));
        assert!(html.contains("<a href=\"https://example.org/x\" rel=\"noopener noreferrer\">ok</a> bad <span class=\"image\">[image: pic]</span>"));
        assert!(html.contains("<p class=\"raw\">&lt;div onclick=&quot;x&quot;&gt;</p>"));
        assert!(html.contains("line<br>\nbreak"));
        assert!(html.contains("<hr>"));
        assert!(!html.contains("evil.example"));
    }

    #[test]
    fn passage_lines_and_forbidden_characters() {
        let mut pack = sample::mixed_pack(8);
        if let ItemKind::Passage { passage, .. } = &mut pack.items[2].kind {
            passage.text = "First line\nsecond\u{c} line\n\n  Second paragraph\u{0}".into();
            passage.language = None;
        }
        let html = to_html(&pack, Audience::Participant);
        assert!(html.contains("<blockquote>\n<p>First line<br>\nsecond line</p>\n<p>Second paragraph</p>\n</blockquote>"));
        assert!(!html.contains('\u{c}') && !html.contains('\u{0}'));
    }

    #[test]
    fn shared_helpers() {
        assert_eq!(citation_text("Art. 3", "Doc", Some(4)), "Art. 3, p. 4");
        assert_eq!(citation_text("Note, p. 4", "Doc", Some(4)), "Note, p. 4");
        assert_eq!(citation_text(" ", "The  doc", None), "The doc");
        assert_eq!(lang_of(None, "abc ภาษาไทย"), Some("th-TH".into()));
        assert_eq!(lang_of(Some("vi"), "ภาษาไทย"), Some("vi".into()));
        assert_eq!(lang_of(Some("x\"y"), "plain"), None);
        assert_eq!(safe_link(" https://a.org/x "), Some("https://a.org/x"));
        assert_eq!(safe_link("HTTP://A.ORG"), Some("HTTP://A.ORG"));
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("file:///etc/passwd"), None);
        assert_eq!(safe_link("https://a.org/\"onclick"), None);
        assert_eq!(paragraphs("a\nb\n\n\nc"), vec![vec!["a", "b"], vec!["c"]]);
        let pack = test_support::pack();
        assert_eq!(
            to_html(&pack, Audience::Trainer),
            to_html(&pack, Audience::Trainer)
        );
    }
}

//! The Word export: a WordprocessingML package (`.docx`) written part by part with `zip`.
//!
//! Parts: `[Content_Types].xml`, `_rels/.rels`, `word/document.xml`, `word/styles.xml` (real
//! Title, Subtitle, Heading 1–3, Quote and TOC styles, used through `w:pStyle`),
//! `word/settings.xml`, `word/footer1.xml` (title, edition, page number),
//! `word/_rels/document.xml.rels` (styles, settings, footer, and the external hyperlinks),
//! `docProps/core.xml` (title, creator…) and `docProps/app.xml`.
//!
//! Citations are "2005 Convention, Art. 16 [1]" with a Sources list at the end (no
//! footnotes). The table of contents is a real `TOC` field whose current result is written
//! in (the pack's headings, linked to bookmarks), so it reads right before Word updates it.
//! Text in Thai, Lao, Khmer or Myanmar script goes in runs of its own with complex-script
//! properties (`w:cs`, the script's Noto font in `w:rFonts w:cs`, `w:lang w:bidi`).

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pustaka_core::{Error, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::html::{
    Block, CONTENTS, NO_SOURCES, NOTE, Quotation, SOURCES, Script, TAGS, TRAINER_ONLY, content,
    cover_facts, edition_label, is_forbidden_char, one_line, paragraphs, safe_link, valid_lang,
};
use crate::model::{Audience, Pack};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The main font, and the one for code.
const FONT: &str = "Noto Sans";
const MONO: &str = "Noto Sans Mono";
/// Indentation of quotes, citations and notes, and of one list level (twentieths of a point).
const INDENT: u32 = 567;
const LIST_INDENT: u32 = 360;

/// The bookmark of the Sources heading (the pack's headings get `_Toc_h1`, `_Toc_h2`…).
const SOURCES_BOOKMARK: &str = "_Toc_sources";

/// The pack as a Word document (`.docx` bytes) for `audience`.
pub fn to_docx(pack: &Pack, audience: Audience) -> Result<Vec<u8>> {
    let c = content(pack, audience);
    let edition = edition_label(audience);
    let title = one_line(&pack.title);
    let mut d = Doc::default();

    // Cover.
    d.paragraph("Edition", edition, Fmt::default());
    d.paragraph("Title", &title, Fmt::default());
    let subtitle = one_line(&pack.subtitle);
    if !subtitle.is_empty() {
        d.paragraph("Subtitle", &subtitle, Fmt::default());
    }
    for (label, value) in cover_facts(pack) {
        d.open_p("Normal", None);
        d.runs(&format!("{label}: "), Fmt::BOLD, None);
        d.runs(&one_line(value), Fmt::default(), None);
        d.close_p();
    }

    // Table of contents.
    d.paragraph("TOCHeading", CONTENTS, Fmt::default());
    let mut toc: Vec<(String, &str)> = c
        .headings()
        .map(|(number, text)| (heading_bookmark(number), text))
        .collect();
    toc.push((SOURCES_BOOKMARK.to_string(), SOURCES));
    d.toc(&toc);
    d.page_break();

    // Items.
    for entry in &c.entries {
        let flagged = entry.trainer_only && audience == Audience::Trainer;
        if let Block::Heading { text, number } = &entry.block {
            d.heading("Heading1", text, &heading_bookmark(*number));
        }
        if flagged {
            d.paragraph("Flag", TRAINER_ONLY, Fmt::default());
        }
        match &entry.block {
            Block::Heading { .. } => {}
            Block::Quotation(q) => d.quotation(q),
            Block::Text { markdown } => d.markdown(markdown, "Normal", 0),
        }
    }

    // Sources.
    d.heading("Heading1", SOURCES, SOURCES_BOOKMARK);
    if c.sources.is_empty() {
        d.paragraph("Normal", NO_SOURCES, Fmt::default());
    }
    for s in &c.sources {
        d.open_p("Source", None);
        d.runs(&format!("[{}]\t", s.number), Fmt::default(), None);
        d.runs(&one_line(&s.doc_title), Fmt::default(), None);
        if let Some(url) = s.source_url.as_deref().map(str::trim)
            && !url.is_empty()
        {
            d.raw("<w:r><w:br/></w:r>");
            match safe_link(url) {
                Some(url) => {
                    d.hyperlink_start(url);
                    d.runs(url, Fmt::LINK, None);
                    d.raw("</w:hyperlink>");
                }
                None => d.runs(url, Fmt::default(), None),
            }
        }
        d.close_p();
    }

    let lang = valid_lang(&pack.language).unwrap_or("en-US");
    let footer = format!("{title} · {edition} · ");
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        (
            "docProps/core.xml",
            core_properties(pack, &title, edition, lang),
        ),
        ("docProps/app.xml", app_properties()),
        ("word/document.xml", d.document()),
        ("word/_rels/document.xml.rels", d.document_rels()),
        ("word/styles.xml", styles(lang)),
        ("word/settings.xml", settings()),
        ("word/footer1.xml", footer_part(&footer)),
    ];
    write_zip(&parts)
}

fn heading_bookmark(number: usize) -> String {
    format!("_Toc_h{number}")
}

fn write_zip(parts: &[(&str, String)]) -> Result<Vec<u8>> {
    let failed = |e: std::io::Error| Error::Io {
        context: "writing the Word document".into(),
        source: e,
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time: the same pack gives the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, data) in parts {
        zip.start_file(*name, options)
            .map_err(|e| failed(std::io::Error::other(e)))?;
        zip.write_all(data.as_bytes()).map_err(failed)?;
    }
    let cursor = zip.finish().map_err(|e| failed(std::io::Error::other(e)))?;
    Ok(cursor.into_inner())
}

/// Text for XML content and attribute values: escaped, with the characters XML 1.0
/// forbids dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_forbidden_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Run formatting.
#[derive(Debug, Clone, Copy, Default)]
struct Fmt {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    link: bool,
}

impl Fmt {
    const BOLD: Fmt = Fmt {
        bold: true,
        italic: false,
        strike: false,
        code: false,
        link: false,
    };
    const ITALIC: Fmt = Fmt {
        bold: false,
        italic: true,
        ..Fmt::BOLD
    };
    const LINK: Fmt = Fmt {
        bold: false,
        link: true,
        ..Fmt::BOLD
    };
}

/// A text cut where its script changes between Latin (and the like: `None`) and one of
/// the complex scripts; white space, digits and punctuation stay with the text before.
fn segments(text: &str) -> Vec<(Option<Script>, &str)> {
    let neutral = |c: char| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || c.is_ascii_digit()
            || ('\u{2000}'..='\u{206F}').contains(&c)
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<Option<Script>> = None;
    for (i, c) in text.char_indices() {
        if neutral(c) {
            continue;
        }
        let class = Script::of(c);
        match current {
            None => current = Some(class),
            Some(cur) if cur != class => {
                out.push((cur, &text[start..i]));
                start = i;
                current = Some(class);
            }
            Some(_) => {}
        }
    }
    if start < text.len() {
        out.push((current.flatten(), &text[start..]));
    }
    out
}

/// The body of `word/document.xml` being written, and the hyperlinks it needs.
#[derive(Default)]
struct Doc {
    body: String,
    /// External addresses; the `n`th (from 1) is relationship `rIdL{n}`.
    links: Vec<String>,
    bookmarks: u32,
    open: bool,
}

impl Doc {
    fn raw(&mut self, s: &str) {
        self.body.push_str(s);
    }

    /// Opens a paragraph (closing any open one) in `style`, with an indentation
    /// (left, hanging) overriding the style's.
    fn open_p(&mut self, style: &str, indent: Option<(u32, u32)>) {
        let ind = indent
            .map(|(left, hanging)| format!("<w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/>"))
            .unwrap_or_default();
        self.open_p_with(style, &ind);
    }

    /// Opens a paragraph with more paragraph properties (`w:pPr` children after the style,
    /// in the schema's order).
    fn open_p_with(&mut self, style: &str, ppr: &str) {
        self.close_p();
        let _ = write!(
            self.body,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{ppr}</w:pPr>"
        );
        self.open = true;
    }

    fn close_p(&mut self) {
        if self.open {
            self.body.push_str("</w:p>\n");
            self.open = false;
        }
    }

    /// A paragraph of one text.
    fn paragraph(&mut self, style: &str, text: &str, fmt: Fmt) {
        self.open_p(style, None);
        self.runs(text, fmt, None);
        self.close_p();
    }

    /// Runs for `text`: one per script, line breaks and tabs as Word's.
    fn runs(&mut self, text: &str, fmt: Fmt, lang: Option<&str>) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for (script, segment) in segments(&text) {
            self.body.push_str("<w:r>");
            self.run_properties(fmt, script, lang);
            for (i, line) in segment.split('\n').enumerate() {
                if i > 0 {
                    self.body.push_str("<w:br/>");
                }
                for (j, piece) in line.split('\t').enumerate() {
                    if j > 0 {
                        self.body.push_str("<w:tab/>");
                    }
                    if !piece.is_empty() {
                        let _ = write!(
                            self.body,
                            "<w:t xml:space=\"preserve\">{}</w:t>",
                            xml(piece)
                        );
                    }
                }
            }
            self.body.push_str("</w:r>");
        }
    }

    /// `w:rPr`, its children in the schema's order.
    fn run_properties(&mut self, fmt: Fmt, script: Option<Script>, lang: Option<&str>) {
        let mut p = String::new();
        if fmt.link {
            p.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
        }
        if fmt.code || script.is_some() {
            p.push_str("<w:rFonts");
            if fmt.code {
                let _ = write!(p, " w:ascii=\"{MONO}\" w:hAnsi=\"{MONO}\"");
            }
            if let Some(s) = script {
                let _ = write!(p, " w:cs=\"{}\"", s.font());
            }
            p.push_str("/>");
        }
        if fmt.bold {
            p.push_str("<w:b/><w:bCs/>");
        }
        if fmt.italic {
            p.push_str("<w:i/><w:iCs/>");
        }
        if fmt.strike {
            p.push_str("<w:strike/>");
        }
        if let Some(s) = script {
            let _ = write!(p, "<w:cs/><w:lang w:val=\"{0}\" w:bidi=\"{0}\"/>", s.lang());
        } else if let Some(lang) = lang.and_then(valid_lang) {
            let _ = write!(p, "<w:lang w:val=\"{lang}\"/>");
        }
        if !p.is_empty() {
            let _ = write!(self.body, "<w:rPr>{p}</w:rPr>");
        }
    }

    /// A heading paragraph with a bookmark (for the table of contents).
    fn heading(&mut self, style: &str, text: &str, bookmark: &str) {
        self.open_p(style, None);
        self.bookmarks += 1;
        let id = self.bookmarks;
        let _ = write!(
            self.body,
            "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/>",
            xml(bookmark)
        );
        self.runs(text, Fmt::default(), None);
        let _ = write!(self.body, "<w:bookmarkEnd w:id=\"{id}\"/>");
        self.close_p();
    }

    /// A `TOC` field over the level-1 headings, with its result (one linked entry per
    /// heading) already written in.
    fn toc(&mut self, entries: &[(String, &str)]) {
        for (i, (bookmark, text)) in entries.iter().enumerate() {
            self.open_p("TOC1", None);
            if i == 0 {
                self.raw(
                    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                     <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-1\" \\h \\z \\u </w:instrText></w:r>\
                     <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
                );
            }
            let _ = write!(
                self.body,
                "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">",
                xml(bookmark)
            );
            self.runs(text, Fmt::default(), None);
            self.raw("</w:hyperlink>");
            if i + 1 == entries.len() {
                self.raw("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
            }
            self.close_p();
        }
    }

    fn page_break(&mut self) {
        self.close_p();
        self.raw("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>\n");
    }

    fn rule(&mut self) {
        self.close_p();
        self.raw(
            "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"A0A0A0\"/></w:pBdr></w:pPr></w:p>\n",
        );
    }

    /// Opens an external hyperlink (the address must have passed [`safe_link`]).
    fn hyperlink_start(&mut self, url: &str) {
        let n = match self.links.iter().position(|u| u == url) {
            Some(i) => i + 1,
            None => {
                self.links.push(url.to_string());
                self.links.len()
            }
        };
        let _ = write!(self.body, "<w:hyperlink r:id=\"rIdL{n}\" w:history=\"1\">");
    }

    fn quotation(&mut self, q: &Quotation) {
        let lang = q.lang.as_deref();
        if let Some(heading) = q.heading {
            self.open_p("PassageHeading", None);
            self.runs(&one_line(heading), Fmt::default(), lang);
            self.close_p();
        }
        for (i, para) in paragraphs(q.text).iter().enumerate() {
            // Space above a quotation (the passage heading has its own).
            if i == 0 && q.heading.is_none() {
                self.open_p_with("Quote", "<w:spacing w:before=\"280\"/>");
            } else {
                self.open_p("Quote", None);
            }
            self.runs(&para.join("\n"), Fmt::default(), lang);
            self.close_p();
        }
        self.open_p("Citation", None);
        self.runs("— ", Fmt::default(), None);
        self.runs(&q.citation, Fmt::default(), None);
        if let Some(n) = q.source {
            self.runs(&format!(" [{n}]"), Fmt::default(), None);
        }
        self.close_p();
        if !q.note.trim().is_empty() {
            self.open_p("Note", None);
            self.runs(&format!("{NOTE}:"), Fmt::BOLD, None);
            self.close_p();
            self.markdown(q.note, "Note", INDENT);
        }
        let tags: Vec<String> = q
            .tags
            .iter()
            .map(|t| one_line(t))
            .filter(|t| !t.is_empty())
            .collect();
        if !tags.is_empty() {
            self.open_p("Citation", None);
            self.runs(&format!("{TAGS}: "), Fmt::ITALIC, None);
            self.runs(&tags.join(", "), Fmt::default(), None);
            self.close_p();
        }
    }

    /// Markdown (CommonMark, no extensions) as paragraphs in `style` (indented `indent`):
    /// headings, emphasis, lists, quotes, code, links; raw HTML stays text, images are
    /// their description.
    fn markdown(&mut self, md: &str, style: &'static str, indent: u32) {
        MdWriter {
            d: self,
            style,
            indent,
            bold: 0,
            italic: 0,
            strike: 0,
            links: Vec::new(),
            lists: Vec::new(),
            quotes: 0,
            fresh: false,
            verbatim: None,
        }
        .write(md);
    }

    fn document(&self) -> String {
        let mut s = String::with_capacity(self.body.len() + 1024);
        s.push_str(XML_DECL);
        let _ = writeln!(
            s,
            "<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>"
        );
        s.push_str(&self.body);
        s.push_str(
            "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
             <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
             <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
             <w:titlePg/></w:sectPr>\n</w:body></w:document>\n",
        );
        s
    }

    fn document_rels(&self) -> String {
        let mut s = String::from(XML_DECL);
        let _ = writeln!(s, "<Relationships xmlns=\"{REL_NS}\">");
        let t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let _ = writeln!(
            s,
            "<Relationship Id=\"rIdStyles\" Type=\"{t}/styles\" Target=\"styles.xml\"/>"
        );
        let _ = writeln!(
            s,
            "<Relationship Id=\"rIdSettings\" Type=\"{t}/settings\" Target=\"settings.xml\"/>"
        );
        let _ = writeln!(
            s,
            "<Relationship Id=\"rIdFooter\" Type=\"{t}/footer\" Target=\"footer1.xml\"/>"
        );
        for (i, url) in self.links.iter().enumerate() {
            let _ = writeln!(
                s,
                "<Relationship Id=\"rIdL{}\" Type=\"{t}/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
                i + 1,
                xml(url)
            );
        }
        s.push_str("</Relationships>\n");
        s
    }
}

/// Writes Markdown events as paragraphs of a [`Doc`].
struct MdWriter<'d> {
    d: &'d mut Doc,
    style: &'static str,
    indent: u32,
    bold: u32,
    italic: u32,
    strike: u32,
    /// Whether each open link became a `w:hyperlink`.
    links: Vec<bool>,
    /// Open lists: the next number of an ordered one.
    lists: Vec<Option<u64>>,
    quotes: u32,
    /// A list item's paragraph holds only its marker yet.
    fresh: bool,
    /// The text of a code or HTML block being collected.
    verbatim: Option<String>,
}

impl MdWriter<'_> {
    fn fmt(&self) -> Fmt {
        Fmt {
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.strike > 0,
            code: false,
            link: self.links.last() == Some(&true),
        }
    }

    fn block_style(&self) -> &'static str {
        if self.quotes > 0 { "Quote" } else { self.style }
    }

    /// Left indentation of paragraphs at the current list depth.
    fn list_indent(&self) -> Option<(u32, u32)> {
        let depth = self.lists.len() as u32;
        (depth > 0).then(|| (self.indent + LIST_INDENT * depth, 0))
    }

    fn open_block(&mut self) {
        self.d.open_p(self.block_style(), self.list_indent());
        self.fresh = false;
    }

    fn ensure_open(&mut self) {
        if !self.d.open {
            self.open_block();
        }
    }

    fn text(&mut self, t: &str, fmt: Fmt) {
        if let Some(v) = &mut self.verbatim {
            v.push_str(t);
        } else {
            self.ensure_open();
            self.fresh = false;
            self.d.runs(t, fmt, None);
        }
    }

    fn write(mut self, md: &str) {
        for event in Parser::new_ext(md, Options::empty()) {
            match event {
                Event::Start(tag) => match tag {
                    Tag::Paragraph => {
                        if !(self.d.open && self.fresh) {
                            self.open_block();
                        }
                        self.fresh = false;
                    }
                    Tag::Heading { level, .. } => {
                        let style = if level <= HeadingLevel::H2 {
                            "Heading2"
                        } else {
                            "Heading3"
                        };
                        self.d.open_p(style, None);
                        self.fresh = false;
                    }
                    Tag::BlockQuote(_) => {
                        self.d.close_p();
                        self.quotes += 1;
                    }
                    Tag::CodeBlock(_) | Tag::HtmlBlock => {
                        self.d.close_p();
                        self.verbatim = Some(String::new());
                    }
                    Tag::List(start) => {
                        self.d.close_p();
                        self.lists.push(start);
                    }
                    Tag::Item => {
                        let marker = match self.lists.last_mut() {
                            Some(Some(n)) => {
                                let m = format!("{n}.");
                                *n += 1;
                                m
                            }
                            _ => "•".to_string(),
                        };
                        let depth = self.lists.len() as u32;
                        self.d.open_p(
                            self.block_style(),
                            Some((self.indent + LIST_INDENT * depth, LIST_INDENT)),
                        );
                        self.d.runs(&format!("{marker}\t"), Fmt::default(), None);
                        self.fresh = true;
                    }
                    Tag::Emphasis => self.italic += 1,
                    Tag::Strong => self.bold += 1,
                    Tag::Strikethrough => self.strike += 1,
                    Tag::Link { dest_url, .. } => {
                        self.ensure_open();
                        match safe_link(&dest_url) {
                            Some(url) => {
                                self.d.hyperlink_start(url);
                                self.links.push(true);
                            }
                            None => self.links.push(false),
                        }
                    }
                    Tag::Image { .. } => self.text("[image: ", self.fmt()),
                    _ => {}
                },
                Event::End(tag) => match tag {
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item => {
                        self.d.close_p();
                        self.fresh = false;
                    }
                    TagEnd::BlockQuote(_) => {
                        self.d.close_p();
                        self.quotes = self.quotes.saturating_sub(1);
                    }
                    TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                        let text = self.verbatim.take().unwrap_or_default();
                        let code = matches!(tag, TagEnd::CodeBlock);
                        self.d.open_p(
                            if code { "Code" } else { self.block_style() },
                            self.list_indent(),
                        );
                        let fmt = Fmt {
                            code,
                            ..Fmt::default()
                        };
                        self.d.runs(text.trim_end_matches('\n'), fmt, None);
                        self.d.close_p();
                    }
                    TagEnd::List(_) => {
                        self.d.close_p();
                        self.lists.pop();
                    }
                    TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
                    TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
                    TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
                    TagEnd::Link => {
                        let opened = self.links.pop() == Some(true);
                        self.d.raw(if opened { "</w:hyperlink>" } else { "" });
                    }
                    TagEnd::Image => self.text("]", self.fmt()),
                    _ => {}
                },
                Event::Text(t) => self.text(&t, self.fmt()),
                Event::Code(t) => {
                    let fmt = Fmt {
                        code: true,
                        ..self.fmt()
                    };
                    self.text(&t, fmt);
                }
                // Raw HTML is text here.
                Event::Html(t) | Event::InlineHtml(t) => self.text(&t, self.fmt()),
                Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, self.fmt()),
                Event::FootnoteReference(t) => self.text(&format!("[^{t}]"), self.fmt()),
                Event::SoftBreak => self.text(" ", self.fmt()),
                Event::HardBreak => {
                    self.ensure_open();
                    self.d.raw("<w:r><w:br/></w:r>");
                }
                Event::Rule => self.d.rule(),
                Event::TaskListMarker(done) => {
                    self.text(if done { "[x] " } else { "[ ] " }, self.fmt())
                }
            }
        }
        self.d.close_p();
    }
}

fn content_types() -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\n\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\n\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\n\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\n\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\n\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\n\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\n\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\n\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\n\
</Types>\n",
    );
    s
}

fn package_rels() -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<Relationships xmlns=\"{REL_NS}\">\n\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\n\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\n\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\n\
</Relationships>\n"
    );
    s
}

fn core_properties(pack: &Pack, title: &str, edition: &str, lang: &str) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n",
    );
    let _ = writeln!(s, "<dc:title>{}</dc:title>", xml(title));
    let subtitle = one_line(&pack.subtitle);
    if !subtitle.is_empty() {
        let _ = writeln!(s, "<dc:subject>{}</dc:subject>", xml(&subtitle));
    }
    let _ = writeln!(
        s,
        "<dc:creator>{}</dc:creator>",
        xml(&one_line(&pack.author))
    );
    let _ = writeln!(s, "<dc:description>{}</dc:description>", xml(edition));
    let _ = writeln!(s, "<dc:language>{}</dc:language>", xml(lang));
    for (name, ms) in [("created", pack.created), ("modified", pack.modified)] {
        let _ = writeln!(
            s,
            "<dcterms:{name} xsi:type=\"dcterms:W3CDTF\">{}</dcterms:{name}>",
            pustaka_notes::model::rfc3339(ms)
        );
    }
    s.push_str("</cp:coreProperties>\n");
    s
}

fn app_properties() -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>Pustaka</Application></Properties>\n",
    );
    s
}

fn settings() -> String {
    let mut s = String::from(XML_DECL);
    let _ = writeln!(
        s,
        "<w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"{INDENT}\"/>\
<w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>"
    );
    s
}

/// The footer: "Title · Trainer edition · 3" (not on the cover page).
fn footer_part(prefix: &str) -> String {
    let mut d = Doc::default();
    d.open_p("Footer", None);
    d.runs(prefix, Fmt::default(), None);
    d.raw(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
    );
    d.close_p();
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">{}</w:ftr>\n",
        d.body
    )
}

/// One paragraph style: id, name, based on, `w:pPr` and `w:rPr` contents (schema order).
struct Style {
    id: &'static str,
    name: &'static str,
    based_on: Option<&'static str>,
    next: Option<&'static str>,
    ppr: &'static str,
    rpr: &'static str,
}

const STYLES: &[Style] = &[
    Style {
        id: "Title",
        name: "Title",
        based_on: Some("Normal"),
        next: Some("Subtitle"),
        ppr: "<w:spacing w:before=\"120\" w:after=\"200\" w:line=\"240\" w:lineRule=\"auto\"/>",
        rpr: "<w:b/><w:bCs/><w:color w:val=\"1B2A41\"/><w:sz w:val=\"56\"/><w:szCs w:val=\"56\"/>",
    },
    Style {
        id: "Subtitle",
        name: "Subtitle",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:spacing w:after=\"360\"/>",
        rpr: "<w:color w:val=\"4A4A4A\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>",
    },
    Style {
        id: "Edition",
        name: "Edition",
        based_on: Some("Normal"),
        next: Some("Title"),
        ppr: "<w:spacing w:before=\"1200\" w:after=\"120\"/>",
        rpr: "<w:b/><w:bCs/><w:caps/><w:color w:val=\"7A5200\"/><w:spacing w:val=\"20\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>",
    },
    Style {
        id: "Heading1",
        name: "heading 1",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"2\" w:color=\"C8C8C8\"/></w:pBdr><w:spacing w:before=\"480\" w:after=\"160\"/><w:outlineLvl w:val=\"0\"/>",
        rpr: "<w:b/><w:bCs/><w:color w:val=\"1B2A41\"/><w:sz w:val=\"34\"/><w:szCs w:val=\"34\"/>",
    },
    Style {
        id: "Heading2",
        name: "heading 2",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"320\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/>",
        rpr: "<w:b/><w:bCs/><w:color w:val=\"1B2A41\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>",
    },
    Style {
        id: "Heading3",
        name: "heading 3",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"80\"/><w:outlineLvl w:val=\"2\"/>",
        rpr: "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>",
    },
    Style {
        id: "Quote",
        name: "Quote",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:pBdr><w:left w:val=\"single\" w:sz=\"18\" w:space=\"8\" w:color=\"8A8A8A\"/></w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F6F6F4\"/><w:spacing w:before=\"60\" w:after=\"60\"/><w:ind w:left=\"567\" w:right=\"567\"/>",
        rpr: "<w:color w:val=\"1B1B1B\"/>",
    },
    Style {
        id: "PassageHeading",
        name: "Passage Heading",
        based_on: Some("Normal"),
        next: Some("Quote"),
        ppr: "<w:keepNext/><w:spacing w:before=\"200\" w:after=\"60\"/><w:ind w:left=\"567\"/>",
        rpr: "<w:b/><w:bCs/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    },
    Style {
        id: "Citation",
        name: "Citation",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:spacing w:before=\"60\" w:after=\"200\"/><w:ind w:left=\"567\"/>",
        rpr: "<w:color w:val=\"3D3D3D\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    },
    Style {
        id: "Note",
        name: "Note",
        based_on: Some("Normal"),
        next: Some("Note"),
        ppr: "<w:pBdr><w:left w:val=\"single\" w:sz=\"6\" w:space=\"8\" w:color=\"C9C9C9\"/></w:pBdr><w:spacing w:after=\"80\"/><w:ind w:left=\"567\"/>",
        rpr: "",
    },
    Style {
        id: "Code",
        name: "Code",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F3F3F3\"/><w:spacing w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/>",
        rpr: "<w:rFonts w:ascii=\"Noto Sans Mono\" w:hAnsi=\"Noto Sans Mono\"/><w:sz w:val=\"19\"/><w:szCs w:val=\"19\"/>",
    },
    Style {
        id: "Flag",
        name: "Trainer Only",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/>",
        rpr: "<w:b/><w:bCs/><w:caps/><w:color w:val=\"9A3412\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/>",
    },
    Style {
        id: "TOCHeading",
        name: "TOC Heading",
        based_on: Some("Normal"),
        next: Some("TOC1"),
        ppr: "<w:keepNext/><w:spacing w:before=\"480\" w:after=\"160\"/>",
        rpr: "<w:b/><w:bCs/><w:color w:val=\"1B2A41\"/><w:sz w:val=\"30\"/><w:szCs w:val=\"30\"/>",
    },
    Style {
        id: "TOC1",
        name: "toc 1",
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: "<w:spacing w:after=\"60\"/>",
        rpr: "",
    },
    Style {
        id: "Source",
        name: "Source",
        based_on: Some("Normal"),
        next: Some("Source"),
        ppr: "<w:tabs><w:tab w:val=\"left\" w:pos=\"567\"/></w:tabs><w:spacing w:after=\"100\"/><w:ind w:left=\"567\" w:hanging=\"567\"/>",
        rpr: "",
    },
    Style {
        id: "Footer",
        name: "footer",
        based_on: Some("Normal"),
        next: None,
        ppr: "<w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/>",
        rpr: "<w:color w:val=\"6A6A6A\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/>",
    },
];

fn styles(lang: &str) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<w:styles xmlns:w=\"{W_NS}\">\n<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>\
<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{}\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"288\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
</w:docDefaults>\n",
        xml(lang)
    );
    s.push_str(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\n\
<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\n\
<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:basedOn w:val=\"DefaultParagraphFont\"/><w:unhideWhenUsed/><w:rPr><w:color w:val=\"1D4F91\"/><w:u w:val=\"single\"/></w:rPr></w:style>\n",
    );
    for st in STYLES {
        let _ = write!(
            s,
            "<w:style w:type=\"paragraph\" w:styleId=\"{}\"><w:name w:val=\"{}\"/>",
            st.id, st.name
        );
        if let Some(b) = st.based_on {
            let _ = write!(s, "<w:basedOn w:val=\"{b}\"/>");
        }
        if let Some(n) = st.next {
            let _ = write!(s, "<w:next w:val=\"{n}\"/>");
        }
        s.push_str("<w:qFormat/>");
        if !st.ppr.is_empty() {
            let _ = write!(s, "<w:pPr>{}</w:pPr>", st.ppr);
        }
        if !st.rpr.is_empty() {
            let _ = write!(s, "<w:rPr>{}</w:rPr>", st.rpr);
        }
        s.push_str("</w:style>\n");
    }
    s.push_str("</w:styles>\n");
    s
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};
    use std::io::Read;

    use super::*;
    use crate::export::html::test_support;
    use crate::model::{Item, ItemKind};
    use crate::sample;

    const W: &str = W_NS;

    /// The package's parts, by name.
    fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip file");
        let mut out = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.insert(f.name().unwrap().to_string(), s);
        }
        out
    }

    /// Each paragraph of the body: (style, text).
    fn paragraphs_of(document: &str) -> Vec<(String, String)> {
        let doc = roxmltree::Document::parse(document).expect("well-formed document.xml");
        doc.descendants()
            .filter(|n| n.has_tag_name((W, "p")))
            .map(|p| {
                let style = p
                    .descendants()
                    .find(|n| n.has_tag_name((W, "pStyle")))
                    .and_then(|n| n.attribute((W, "val")))
                    .unwrap_or("")
                    .to_string();
                let mut text = String::new();
                for n in p.descendants() {
                    if n.has_tag_name((W, "t")) {
                        text.push_str(n.text().unwrap_or(""));
                    } else if n.has_tag_name((W, "tab")) {
                        text.push('\t');
                    } else if n.has_tag_name((W, "br")) {
                        text.push('\n');
                    }
                }
                (style, text)
            })
            .collect()
    }

    fn export(audience: Audience) -> BTreeMap<String, String> {
        unzip(&to_docx(&test_support::pack(), audience).unwrap())
    }

    #[test]
    fn a_complete_well_formed_package() {
        let parts = export(Audience::Trainer);
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/settings.xml",
            "word/footer1.xml",
            "word/_rels/document.xml.rels",
            "docProps/core.xml",
            "docProps/app.xml",
        ] {
            let part = parts.get(name).unwrap_or_else(|| panic!("missing {name}"));
            roxmltree::Document::parse(part).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert_eq!(parts.len(), 9);
        // Every part but the content types is declared in [Content_Types].xml.
        let types = &parts["[Content_Types].xml"];
        for name in parts
            .keys()
            .filter(|n| !n.ends_with(".rels") && !n.starts_with('['))
        {
            assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name}");
        }
        // Every relationship of the document points at a part or is external.
        let rels = roxmltree::Document::parse(&parts["word/_rels/document.xml.rels"]).unwrap();
        let mut ids = HashSet::new();
        for r in rels
            .descendants()
            .filter(|n| n.has_tag_name("Relationship"))
        {
            ids.insert(r.attribute("Id").unwrap().to_string());
            let target = r.attribute("Target").unwrap();
            if r.attribute("TargetMode") == Some("External") {
                assert!(target.starts_with("https://"), "{target}");
            } else {
                assert!(parts.contains_key(&format!("word/{target}")), "{target}");
            }
        }
        let document = &parts["word/document.xml"];
        let doc = roxmltree::Document::parse(document).unwrap();
        for n in doc.descendants() {
            if let Some(id) = n.attribute((R_NS, "id")) {
                assert!(ids.contains(id), "dangling relationship {id}");
            }
        }
        // Core properties.
        let core = &parts["docProps/core.xml"];
        assert!(core.contains("<dc:title>Preferential treatment: a briefing</dc:title>"));
        assert!(core.contains("<dc:creator>Course trainer</dc:creator>"));
        assert!(core.contains("<dc:description>Trainer edition</dc:description>"));
        assert!(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-25T09:46:40"));
        // The same pack gives the same bytes.
        let pack = test_support::pack();
        assert_eq!(
            to_docx(&pack, Audience::Trainer).unwrap(),
            to_docx(&pack, Audience::Trainer).unwrap()
        );
    }

    #[test]
    fn styles_are_defined_and_used() {
        let parts = export(Audience::Trainer);
        let styles = roxmltree::Document::parse(&parts["word/styles.xml"]).unwrap();
        let defined: HashSet<&str> = styles
            .descendants()
            .filter(|n| n.has_tag_name((W, "style")))
            .filter_map(|n| n.attribute((W, "styleId")))
            .collect();
        for id in [
            "Title",
            "Subtitle",
            "Heading1",
            "Heading2",
            "Quote",
            "TOC1",
            "Hyperlink",
        ] {
            assert!(defined.contains(id), "{id}");
        }
        let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
        let used: HashSet<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "pStyle")) || n.has_tag_name((W, "rStyle")))
            .filter_map(|n| n.attribute((W, "val")))
            .collect();
        for id in &used {
            assert!(defined.contains(id), "style {id} used but not defined");
        }
        for id in [
            "Title", "Subtitle", "Heading1", "Heading2", "Quote", "Citation", "Note", "TOC1",
        ] {
            assert!(used.contains(id), "{id} not used");
        }
        // Headings carry outline levels (what Word's navigation and TOC use).
        assert!(parts["word/styles.xml"].contains("<w:name w:val=\"heading 1\"/>"));
        assert!(parts["word/styles.xml"].contains("<w:outlineLvl w:val=\"0\"/>"));
        assert!(parts["word/styles.xml"].contains("<w:rFonts w:ascii=\"Noto Sans\" w:hAnsi=\"Noto Sans\" w:eastAsia=\"Noto Sans\" w:cs=\"Noto Sans\"/>"));
    }

    #[test]
    fn content_in_order() {
        let parts = export(Audience::Trainer);
        let paras = paragraphs_of(&parts["word/document.xml"]);
        let find = |style: &str, text: &str| {
            paras
                .iter()
                .position(|(s, t)| s == style && t == text)
                .unwrap_or_else(|| panic!("no {style} paragraph {text:?}"))
        };
        let edition = find("Edition", "Trainer edition");
        let title = find("Title", "Preferential treatment: a briefing");
        let subtitle = find("Subtitle", "Session 4 of the creative economy course");
        let audience = find("Normal", "Audience: Ministry officials");
        find("Normal", "Author: Course trainer");
        find("Normal", "Date: 2026-11-25");
        let contents = find("TOCHeading", "Contents");
        let toc_first = find("TOC1", "The 2005 Convention");
        let toc_sources = find("TOC1", "Sources");
        let heading = find("Heading1", "The 2005 Convention");
        let sources = find("Heading1", "Sources");
        assert!(edition < title && title < subtitle && subtitle < audience);
        assert!(audience < contents && contents < toc_first && toc_first < toc_sources);
        assert!(toc_sources < heading && heading < sources);
        assert_eq!(paras.iter().filter(|(s, _)| s == "TOC1").count(), 4);
        assert_eq!(paras.iter().filter(|(s, _)| s == "Heading1").count(), 4);
        // Markdown text.
        find("Heading2", "Introduction");
        find(
            "Normal",
            "This session looks at preferential treatment and the status of the artist.",
        );
        find("Normal", "•\tWho benefits?");
        find(
            "Normal",
            "1.\tWhich of these measures exist in your country?",
        );
        find("Normal", "2.\t<b>Who</b> decides?");
        // Passages: quote, citation with the source's number, note.
        let quote = find(
            "Quote",
            "Developed countries facilitate cultural exchanges with developing countries by granting preferential treatment to their artists and cultural professionals.",
        );
        assert_eq!(
            paras[quote + 1],
            ("Citation".into(), "— 2005 Convention, Art. 16 [1]".into())
        );
        assert_eq!(paras[quote + 2], ("Note".into(), "Note:".into()));
        assert_eq!(
            paras[quote + 3],
            (
                "Note".into(),
                "Compare with the mobility schemes in the periodic reports.".into()
            )
        );
        find(
            "Quote",
            "กระทรวงวัฒนธรรมส่งเสริมศิลปินและเศรษฐกิจสร้างสรรค์ในทุกภูมิภาค",
        );
        find("Citation", "— Thai creative economy note, p. 3 [2]");
        find("Quote", "ក្រសួងវប្បធម៌និងវិចិត្រសិល្បៈគាំទ្រសិល្បករនិងឧស្សាហកម្មវប្បធម៌");
        find(
            "Quote",
            "Nhà nước hỗ trợ nghệ sĩ và doanh nghiệp sáng tạo thông qua các chính sách ưu đãi.",
        );
        // The sample's note with <script> is text.
        find(
            "Note",
            "<script>alert('this is text')</script> & \"quotes\"",
        );
        assert!(!parts["word/document.xml"].contains("<script"));
        // Annotations: quote, citation, note, tags.
        let lao = find("Quote", "ລັດຖະບານສົ່ງເສີມມໍລະດົກວັດທະນະທຳ");
        assert_eq!(paras[lao + 1].1, "— Lao heritage decree, Art. 1 [5]");
        assert_eq!(
            paras[lao + 3].1,
            "Ask: who funds this? <img src=x onerror=alert(1)>"
        );
        assert_eq!(
            paras[lao + 4],
            ("Citation".into(), "Tags: heritage, <tag>".into())
        );
        find("PassageHeading", "Article 16 – Preferential treatment");
        find("Citation", "— 2005 Convention, Art. 16, p. 12 [1]");
        // Sources: number, title, address.
        let first = find(
            "Source",
            "[1]\tConvention on the Diversity of Cultural Expressions\nhttps://example.org/dconv2005",
        );
        assert!(first > sources);
        find(
            "Source",
            "[2]\tบันทึกนโยบายเศรษฐกิจสร้างสรรค์\nhttps://example.org/dthpolicy",
        );
        find("Source", "[5]\tດຳລັດວ່າດ້ວຍມໍລະດົກ");
        find(
            "Source",
            "[6]\tSecret trainer handbook\njavascript:alert(1)",
        );
        assert_eq!(paras.iter().filter(|(s, _)| s == "Source").count(), 6);
    }

    #[test]
    fn links_bookmarks_and_toc_field() {
        let parts = export(Audience::Trainer);
        let document = &parts["word/document.xml"];
        assert!(document.contains(
            "<w:instrText xml:space=\"preserve\"> TOC \\o \"1-1\" \\h \\z \\u </w:instrText>"
        ));
        assert_eq!(document.matches("w:fldCharType=\"begin\"").count(), 1);
        assert_eq!(document.matches("w:fldCharType=\"end\"").count(), 1);
        let doc = roxmltree::Document::parse(document).unwrap();
        let bookmarks: HashSet<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name((W, "bookmarkStart")))
            .filter_map(|n| n.attribute((W, "name")))
            .collect();
        let anchors: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute((W, "anchor")))
            .collect();
        assert_eq!(anchors.len(), 4);
        for a in anchors {
            assert!(bookmarks.contains(a), "{a}");
        }
        let rels = &parts["word/_rels/document.xml.rels"];
        assert!(rels.contains("Target=\"https://example.org/dconv2005\" TargetMode=\"External\""));
        assert!(!rels.contains("javascript"));
        assert_eq!(rels.matches("TargetMode=\"External\"").count(), 4);
    }

    #[test]
    fn complex_scripts_get_their_run_properties() {
        let parts = export(Audience::Trainer);
        let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
        let mut seen = HashSet::new();
        for run in doc.descendants().filter(|n| n.has_tag_name((W, "r"))) {
            let text: String = run
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect();
            let Some(script) = Script::detect(&text) else {
                continue;
            };
            let rpr = run
                .children()
                .find(|n| n.has_tag_name((W, "rPr")))
                .unwrap_or_else(|| panic!("no rPr on {text}"));
            let child = |name: &str| rpr.children().find(|n| n.has_tag_name((W, name)));
            assert!(child("cs").is_some(), "{text}");
            assert_eq!(
                child("rFonts").unwrap().attribute((W, "cs")),
                Some(script.font())
            );
            let lang = child("lang").unwrap();
            assert_eq!(lang.attribute((W, "val")), Some(script.lang()));
            assert_eq!(lang.attribute((W, "bidi")), Some(script.lang()));
            // A complex-script run holds no Latin letters.
            assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
            seen.insert(script.lang());
        }
        assert_eq!(seen, HashSet::from(["th-TH", "km-KH", "lo-LA"]));
        // Vietnamese is Latin script, tagged with its language.
        assert!(
            parts["word/document.xml"].contains(
                "<w:rPr><w:lang w:val=\"vi\"/></w:rPr><w:t xml:space=\"preserve\">Nhà nước"
            )
        );
        // Mixed text is cut where the script changes.
        assert_eq!(
            segments("ASEAN: ไทย (2025) and ລາວ"),
            vec![
                (None, "ASEAN: "),
                (Some(Script::Thai), "ไทย (2025) "),
                (None, "and "),
                (Some(Script::Lao), "ລາວ")
            ]
        );
        assert_eq!(segments("  "), vec![(None, "  ")]);
        assert!(segments("").is_empty());
    }

    #[test]
    fn trainer_and_participant_editions() {
        let trainer = export(Audience::Trainer);
        let participant = export(Audience::Participant);
        let text = |parts: &BTreeMap<String, String>| {
            paragraphs_of(&parts["word/document.xml"])
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (t, p) = (text(&trainer), text(&participant));
        assert!(t.contains("Trainer edition") && !t.contains("Participant edition"));
        assert!(p.contains("Participant edition") && !p.contains("Trainer edition"));
        for s in [
            "Discussion questions (trainer only)",
            "Only trainers read this quotation.",
            "Secret trainer handbook",
            "Trainer only",
        ] {
            assert!(t.contains(s), "{s}");
            assert!(!p.contains(s), "{s}");
        }
        assert!(participant["docProps/core.xml"].contains("Participant edition"));
        assert!(
            participant["word/footer1.xml"]
                .contains("Preferential treatment: a briefing · Participant edition · ")
        );
    }

    #[test]
    fn hostile_text_stays_text() {
        let mut pack = sample::mixed_pack(8);
        pack.title = "A <w:p>\u{1} & \"title\" ]]>".into();
        pack.author = "O'Brien & <co>".into();
        pack.items.push(Item::new(
            ItemKind::Text {
                markdown: "# Deep\n\n> quoted\n\n```\n<w:t>code</w:t>\n```\n\n[x](javascript:alert(1)) ![img](https://evil.example/p.png) [ok](https://example.org/ok)\n\n- a\n  - b\n\n---\n\nline  \nbreak \u{1}".into(),
            },
            false,
        ));
        let parts = unzip(&to_docx(&pack, Audience::Participant).unwrap());
        let paras = paragraphs_of(&parts["word/document.xml"]);
        let texts: Vec<&str> = paras.iter().map(|(_, t)| t.as_str()).collect();
        assert!(texts.contains(&"A <w:p> & \"title\" ]]>"));
        assert!(texts.contains(&"Author: O'Brien & <co>"));
        assert!(paras.contains(&("Code".into(), "<w:t>code</w:t>".into())));
        assert!(paras.contains(&("Quote".into(), "quoted".into())));
        assert!(texts.contains(&"x [image: img] ok"));
        assert!(texts.contains(&"•\ta"));
        assert!(texts.contains(&"•\tb"));
        assert!(texts.contains(&"line\nbreak "));
        assert!(
            parts["docProps/core.xml"]
                .contains("<dc:creator>O&apos;Brien &amp; &lt;co&gt;</dc:creator>")
        );
        let rels = &parts["word/_rels/document.xml.rels"];
        assert!(rels.contains("https://example.org/ok"));
        assert!(!rels.contains("evil.example") && !rels.contains("javascript"));
        // Nested list items are indented further.
        assert!(parts["word/document.xml"].contains("<w:ind w:left=\"720\" w:hanging=\"360\"/>"));
    }
}

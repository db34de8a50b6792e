//! HTML: the main content only. Navigation, page headers and footers, cookie, share and
//! newsletter bars, scripts and forms are left out. The tree is walked without recursion,
//! so absurdly deep nesting cannot overflow the stack.

use scraper::{ElementRef, Html, Node, Selector};

use super::{Extracted, Line, collapse_ws};
use crate::model::Format;

const SKIP_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "svg", "iframe",
    "select", "textarea", "object", "embed", "canvas", "head", "dialog", "menu", "math",
];

const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "figure",
    "figcaption",
    "header",
    "footer",
    "address",
    "caption",
    "body",
    "center",
    "details",
    "summary",
];

/// Class or id fragments that mark page furniture rather than content.
const BOILERPLATE_MARKERS: &[&str] = &[
    "cookie",
    "consent",
    "share",
    "social",
    "breadcrumb",
    "navbar",
    "menu",
    "sidebar",
    "banner",
    "newsletter",
    "subscribe",
    "popup",
    "modal",
    "skip-link",
    "toolbar",
    "site-header",
    "site-footer",
    "masthead",
];

const LINE_BREAK: char = '\u{2028}';

pub fn extract(source: &str) -> Extracted {
    let doc = Html::parse_document(source);
    let title = select_text(&doc, "title").or_else(|| select_text(&doc, "h1"));
    let root = main_root(&doc);
    let page_level = root.value().name() == "body" || root.value().name() == "html";
    let mut lines = Vec::new();
    let mut buf = String::new();
    let mut heading: Option<u8> = None;
    let mut skipping: Option<ego_tree::NodeId> = None;

    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => buf.push_str(t),
                    Node::Element(el) => {
                        let name = el.name();
                        if should_skip(el, page_level) {
                            skipping = Some(node.id());
                            continue;
                        }
                        if name == "br" {
                            buf.push(LINE_BREAK);
                        } else if BLOCK_ELEMENTS.contains(&name) {
                            flush(&mut buf, heading, &mut lines);
                            if let Some(level) = heading_level(name) {
                                heading = Some(level);
                            }
                        } else if name == "td" || name == "th" {
                            buf.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if BLOCK_ELEMENTS.contains(&name) {
                        flush(&mut buf, heading, &mut lines);
                        if heading_level(name).is_some() {
                            heading = None;
                        }
                    }
                }
            }
        }
    }
    flush(&mut buf, heading, &mut lines);
    Extracted {
        format: Format::Html,
        title,
        lines,
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn should_skip(el: &scraper::node::Element, page_level: bool) -> bool {
    let name = el.name();
    if SKIP_ELEMENTS.contains(&name) {
        return true;
    }
    if page_level && (name == "header" || name == "footer") {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        el.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "search" | "dialog" | "alert")
    ) {
        return true;
    }
    let marks = |v: Option<&str>| {
        v.map(|v| {
            let v = v.to_ascii_lowercase();
            BOILERPLATE_MARKERS.iter().any(|m| v.contains(m))
        })
        .unwrap_or(false)
    };
    // Main-content containers are never furniture, whatever their class says.
    !matches!(name, "main" | "article" | "body" | "html")
        && (marks(el.attr("class")) || marks(el.attr("id")))
}

fn flush(buf: &mut String, heading: Option<u8>, lines: &mut Vec<Line>) {
    if buf.is_empty() {
        return;
    }
    let mut first = true;
    for part in buf.split(LINE_BREAK) {
        let text = collapse_ws(part);
        if text.is_empty() {
            continue;
        }
        lines.push(Line {
            text,
            heading,
            page: None,
            break_before: first,
        });
        first = false;
    }
    buf.clear();
}

/// The element holding the main content: `<main>`, `[role=main]`, a single `<article>`,
/// else `<body>`.
fn main_root(doc: &Html) -> ElementRef<'_> {
    for sel in ["main", "[role=main]"] {
        if let Some(el) = first(doc, sel) {
            return el;
        }
    }
    if let Ok(s) = Selector::parse("article") {
        let mut it = doc.select(&s);
        if let (Some(a), None) = (it.next(), it.next()) {
            return a;
        }
    }
    first(doc, "body").unwrap_or_else(|| doc.root_element())
}

fn first<'a>(doc: &'a Html, sel: &str) -> Option<ElementRef<'a>> {
    let s = Selector::parse(sel).ok()?;
    doc.select(&s).next()
}

fn select_text(doc: &Html, sel: &str) -> Option<String> {
    let el = first(doc, sel)?;
    let t = collapse_ws(&el.text().collect::<String>());
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_main_content_only() {
        let html = r#"<html><head><title>Law on Culture</title><script>var x=1;</script></head>
        <body><header>Ministry site</header><nav><a href="/">Home</a></nav>
        <div class="cookie-banner">We use cookies</div>
        <main><h1>Law on Culture</h1><h2>Article 1 – Scope</h2><p>This law applies
        to <b>all</b> cultural activities.</p><div class="share-bar">Share on X</div></main>
        <footer>© Ministry</footer></body></html>"#;
        let ex = extract(html);
        assert_eq!(ex.title.as_deref(), Some("Law on Culture"));
        let texts: Vec<_> = ex.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Law on Culture",
                "Article 1 – Scope",
                "This law applies to all cultural activities."
            ]
        );
        assert_eq!(ex.lines[1].heading, Some(2));
        assert_eq!(ex.lines[2].heading, None);
    }

    #[test]
    fn survives_deep_nesting() {
        let depth = 10_000;
        let html = format!(
            "{}deep text{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let ex = extract(&html);
        assert!(ex.lines.iter().any(|l| l.text == "deep text"));
    }
}

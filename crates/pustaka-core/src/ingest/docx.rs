//! DOCX: paragraphs of `word/document.xml`; heading styles (by name or outline level) become
//! structure. The archive is read entry by entry with size and compression-ratio limits, so
//! a zip bomb named .docx fails alone.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::{Extracted, IngestLimits, Line, collapse_ws};
use crate::error::{Error, Result};
use crate::model::Format;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub fn extract(bytes: &[u8], limits: &IngestLimits) -> Result<Extracted> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        Error::Extraction("not a valid Word document (.docx is not a zip archive)".into())
    })?;
    if zip.len() > 10_000 {
        return Err(Error::Extraction("Word document has too many parts".into()));
    }
    let document = read_part(&mut zip, "word/document.xml", limits)?.ok_or_else(|| {
        Error::Extraction("not a Word document (word/document.xml is missing)".into())
    })?;
    let styles = read_part(&mut zip, "word/styles.xml", limits)?
        .map(|s| heading_styles(&s))
        .unwrap_or_default();
    let core_title = read_part(&mut zip, "docProps/core.xml", limits)?.and_then(|c| core_title(&c));
    let (lines, style_title) = paragraphs(&document, &styles)?;
    Ok(Extracted {
        format: Format::Docx,
        title: core_title.or(style_title),
        lines,
    })
}

fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &IngestLimits,
) -> Result<Option<String>> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::Extraction(format!("damaged Word document: {e}"))),
    };
    let compressed = entry.compressed_size().max(1);
    // Read at most what the limits allow, counting as we go: the sizes in the archive's
    // directory may lie.
    let cap = limits.max_docx_part_bytes.min(
        compressed
            .saturating_mul(limits.max_docx_ratio)
            .max(1024 * 1024),
    );
    let mut data = Vec::new();
    (&mut entry)
        .take(cap + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::Extraction(format!("damaged Word document: {e}")))?;
    if data.len() as u64 > cap {
        return Err(Error::Extraction(
            "Word document expands too much (possible zip bomb); refused".into(),
        ));
    }
    String::from_utf8(data)
        .map(Some)
        .map_err(|_| Error::Extraction(format!("damaged Word document: {name} is not UTF-8")))
}

fn parse(xml: &str) -> Result<roxmltree::Document<'_>> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 50_000_000,
    };
    roxmltree::Document::parse_with_options(xml, opts)
        .map_err(|e| Error::Extraction(format!("damaged Word document: {e}")))
}

/// Style id → heading level, from style names ("heading 2", "Title") or outline levels.
fn heading_styles(xml: &str) -> HashMap<String, u8> {
    let mut map = HashMap::new();
    let Ok(doc) = parse(xml) else { return map };
    for style in doc
        .descendants()
        .filter(|n| n.has_tag_name((W_NS, "style")))
    {
        let Some(id) = style.attribute((W_NS, "styleId")) else {
            continue;
        };
        let name = style
            .children()
            .find(|n| n.has_tag_name((W_NS, "name")))
            .and_then(|n| n.attribute((W_NS, "val")))
            .unwrap_or("")
            .to_ascii_lowercase();
        let outline = style
            .descendants()
            .find(|n| n.has_tag_name((W_NS, "outlineLvl")))
            .and_then(|n| n.attribute((W_NS, "val")))
            .and_then(|v| v.parse::<u8>().ok());
        if let Some(level) = level_from_name(&name).or(outline.map(|o| o + 1)) {
            map.insert(id.to_string(), level);
        }
    }
    map
}

fn level_from_name(name: &str) -> Option<u8> {
    let name = name.to_ascii_lowercase();
    if name == "title" {
        return Some(1);
    }
    for prefix in ["heading", "titre", "judul"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && let Ok(n) = rest.trim().parse::<u8>()
        {
            return Some(n.clamp(1, 6));
        }
    }
    None
}

fn paragraphs(xml: &str, styles: &HashMap<String, u8>) -> Result<(Vec<Line>, Option<String>)> {
    let doc = parse(xml)?;
    let mut lines = Vec::new();
    let mut title = None;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W_NS, "body")))
        .ok_or_else(|| Error::Extraction("damaged Word document: no body".into()))?;
    for p in body.descendants().filter(|n| n.has_tag_name((W_NS, "p"))) {
        let style = p
            .children()
            .find(|n| n.has_tag_name((W_NS, "pPr")))
            .and_then(|ppr| {
                ppr.children()
                    .find(|n| n.has_tag_name((W_NS, "pStyle")))
                    .and_then(|s| s.attribute((W_NS, "val")))
            });
        let level = style.and_then(|s| styles.get(s).copied().or_else(|| level_from_name(s)));
        let mut text = String::new();
        for n in p.descendants() {
            if n.has_tag_name((W_NS, "t")) {
                text.push_str(n.text().unwrap_or(""));
            } else if n.has_tag_name((W_NS, "tab")) {
                text.push('\t');
            } else if n.has_tag_name((W_NS, "br")) || n.has_tag_name((W_NS, "cr")) {
                text.push('\n');
            }
        }
        // A paragraph nested inside another (text boxes) is seen twice otherwise.
        if p.ancestors().skip(1).any(|a| a.has_tag_name((W_NS, "p"))) {
            continue;
        }
        let mut first = true;
        for part in text.split('\n') {
            let t = collapse_ws(part);
            if t.is_empty() {
                continue;
            }
            if title.is_none()
                && style
                    .map(|s| s.eq_ignore_ascii_case("title"))
                    .unwrap_or(false)
            {
                title = Some(t.clone());
            }
            lines.push(Line {
                text: t,
                heading: level,
                page: None,
                break_before: first,
            });
            first = false;
        }
    }
    Ok((lines, title))
}

fn core_title(xml: &str) -> Option<String> {
    let doc = parse(xml).ok()?;
    let t = doc
        .descendants()
        .find(|n| n.tag_name().name() == "title")?
        .text()?
        .trim()
        .to_string();
    (!t.is_empty()).then_some(t)
}

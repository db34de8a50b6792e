//! A Markdown digest of annotations, for reading and pasting into a report.
//!
//! ```markdown
//! # Annotations
//!
//! ## <document title>
//!
//! Document `<doc id>` · 2 annotations
//!
//! ### <citation>
//!
//! **Changed:** … (or **Orphan:** …, when so)
//!
//! > <quote, every line in the blockquote>
//!
//! <note, as written>
//!
//! Tags: a; b · Colour: yellow · Commenting · <author> · 2025-11-25
//! ```
//!
//! Documents are ordered by title (then id, so two documents with one title stay apart);
//! annotations by citation in natural order ("Art. 2" before "Art. 10"), then passage anchor,
//! then position. Text that comes from documents (titles, citations, quotes) and tags are
//! escaped so that they show as written and never turn into markup; quote lines that would
//! start a list or a heading are escaped too. Notes are Markdown already and are kept as
//! written, except that the start of any HTML tag (`<` before a letter, `/`, `!` or `?`) is
//! escaped, so a note cannot carry raw HTML into a viewer that would render it.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::{Annotation, rfc3339};

/// The annotations as a Markdown document, grouped by document.
pub fn to_markdown(anns: &[Annotation]) -> String {
    let mut out = String::from("# Annotations\n");
    if anns.is_empty() {
        out.push_str("\nNo annotations.\n");
        return out;
    }
    let mut by_doc: HashMap<&str, Vec<&Annotation>> = HashMap::new();
    for a in anns {
        by_doc.entry(a.target.doc_id.as_str()).or_default().push(a);
    }
    let mut docs: Vec<(String, &str, Vec<&Annotation>)> = by_doc
        .into_iter()
        .map(|(id, list)| {
            // The title as last seen: from the most recently modified annotation that has one.
            let title = list
                .iter()
                .filter(|a| !a.doc_title.trim().is_empty())
                .max_by_key(|a| a.modified)
                .map(|a| a.doc_title.clone())
                .unwrap_or_else(|| id.to_string());
            (title, id, list)
        })
        .collect();
    docs.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then_with(|| a.1.cmp(b.1))
    });
    for (title, id, mut list) in docs {
        list.sort_by(|a, b| {
            natural_cmp(&a.citation, &b.citation)
                .then_with(|| natural_cmp(&a.target.anchor, &b.target.anchor))
                .then(a.target.start.cmp(&b.target.start))
                .then(a.created.cmp(&b.created))
                .then_with(|| a.id.cmp(&b.id))
        });
        let count = match list.len() {
            1 => "1 annotation".to_string(),
            n => format!("{n} annotations"),
        };
        out.push_str(&format!(
            "\n## {}\n\nDocument `{id}` · {count}\n",
            inline(&title)
        ));
        for a in list {
            entry(&mut out, a);
        }
    }
    out
}

fn entry(out: &mut String, a: &Annotation) {
    let heading = if a.citation.trim().is_empty() {
        &a.target.anchor
    } else {
        &a.citation
    };
    out.push_str(&format!("\n### {}\n\n", inline(heading)));
    if a.orphan() {
        out.push_str(
            "**Orphan:** not found in the current version of the document; the quote is as it \
             was annotated.\n\n",
        );
    } else if a.changed() {
        out.push_str("**Changed:** the passage's text has changed since this was annotated.\n\n");
    }
    out.push_str(&blockquote(&a.target.quote.exact));
    let note = note(&a.note);
    if !note.trim().is_empty() {
        out.push('\n');
        out.push_str(note.trim_end());
        out.push('\n');
    }
    let mut meta = Vec::new();
    if !a.tags.is_empty() {
        let tags: Vec<String> = a.tags.iter().map(|t| inline(t)).collect();
        meta.push(format!("Tags: {}", tags.join("; ")));
    }
    meta.push(format!("Colour: {}", a.color.as_str()));
    let m = a.motivation.as_str();
    meta.push(format!("{}{}", m[..1].to_uppercase(), &m[1..]));
    if !a.author.trim().is_empty() {
        meta.push(inline(&a.author));
    }
    meta.push(rfc3339(a.modified)[..10].to_string());
    out.push('\n');
    out.push_str(&meta.join(" · "));
    out.push('\n');
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Text shown as written on one line: whitespace runs (newlines too) become one space and
/// Markdown's punctuation is backslash-escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        escape_into(&mut out, word);
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The quote as a blockquote: every line of it inside, escaped.
fn blockquote(text: &str) -> String {
    let mut out = String::new();
    for line in lines(text) {
        let line = line.trim();
        if line.is_empty() {
            out.push_str(">\n");
            continue;
        }
        let mut escaped = String::new();
        escape_into(&mut escaped, line);
        // A line that would start a list, a thematic break or a setext heading.
        let digits = escaped.chars().take_while(char::is_ascii_digit).count();
        if escaped.starts_with(['-', '+', '=']) {
            escaped.insert(0, '\\');
        } else if digits > 0 && escaped[digits..].starts_with(['.', ')']) {
            escaped.insert(digits, '\\');
        }
        out.push_str("> ");
        out.push_str(&escaped);
        out.push('\n');
    }
    out
}

/// A note as written, with HTML tags made inert and line ends made `\n`.
fn note(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines(text).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '<'
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Compares strings with runs of ASCII digits compared as numbers ("Art. 2" < "Art. 10").
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (
                    a[..da].trim_start_matches('0'),
                    b[..db].trim_start_matches('0'),
                );
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a = &a[x.len_utf8()..];
                b = &b[y.len_utf8()..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::fixtures::{ann, varied};

    #[test]
    fn annotations_are_grouped_by_document_and_ordered_by_citation() {
        let mut anns = varied();
        anns.push(ann(
            "dconv2005",
            "Convention on the Protection and Promotion of the Diversity of Cultural Expressions",
            "2005 Convention, Art. 10",
            "scope",
            "",
        ));
        let md = to_markdown(&anns);
        assert!(md.starts_with("# Annotations\n\n## "));
        let heading = |h: &str| {
            md.find(&format!("\n{h}\n"))
                .unwrap_or_else(|| panic!("no heading {h:?} in\n{md}"))
        };
        let conv = heading(
            "## Convention on the Protection and Promotion of the Diversity of Cultural Expressions",
        );
        let guide = heading("## Operational Guidelines");
        let thai = heading("## พระราชบัญญัติส่งเสริมวัฒนธรรม");
        assert!(conv < guide && guide < thai);
        assert_eq!(md.matches("\n## ").count(), 3);
        assert!(md.contains("Document `dconv2005` · 3 annotations\n"));
        assert!(md.contains("Document `dthai` · 1 annotation\n"));
        // Citations in natural order within the document.
        let art2 = heading("### 2005 Convention, Art. 2");
        let art10 = heading("### 2005 Convention, Art. 10");
        let art16 = heading("### 2005 Convention, Art. 16");
        assert!(conv < art2 && art2 < art10 && art10 < art16 && art16 < guide);
        heading("### พ.ร.บ. วัฒนธรรม, Art. 5");
        heading("### Guidelines, Art. 7");
        // Quotes, notes, tags, colour.
        assert!(md.contains("\n> preferential treatment\n"));
        assert!(md.contains("\nKey for *IFCD* applications, see also [Art. 18](#art-18).\n"));
        assert!(md.contains(
            "\nTags: IFCD; status · Colour: green · Commenting · Nguyễn Thị Minh · 2025-11-24\n"
        ));
        assert!(md.contains("\n> การแลกเปลี่ยนทางวัฒนธรรม\n"));
        assert!(md.contains("Tags: แท็ก 0; แท็ก 1;"));
        assert!(md.contains("Colour: purple"));
    }

    #[test]
    fn orphans_and_changed_annotations_are_marked() {
        let md = to_markdown(&varied());
        let section = |h: &str| {
            let at = md.find(h).unwrap();
            let rest = &md[at + h.len()..];
            rest[..rest
                .find("\n### ")
                .or_else(|| rest.find("\n## "))
                .unwrap_or(rest.len())]
                .to_string()
        };
        assert!(section("### 2005 Convention, Art. 2\n").starts_with("\n**Orphan:**"));
        assert!(section("### พ.ร.บ. วัฒนธรรม, Art. 5\n").starts_with("\n**Changed:**"));
        let attached = section("### 2005 Convention, Art. 16\n");
        assert!(!attached.contains("**Orphan") && !attached.contains("**Changed"));
    }

    #[test]
    fn quotes_stay_in_their_blockquote_and_markup_is_inert() {
        let md = to_markdown(&varied());
        // A quote with a newline: both lines in the blockquote.
        assert!(md.contains("\n> Đối xử ưu đãi\n> cho các nước\n\nA note,"));
        // Document text cannot become HTML or markup.
        assert!(md.contains("\n> \\<script\\>alert(1)\\</script\\> \\> not a quote\n"));
        assert!(!md.contains("<script>"));
        // Notes are Markdown, but HTML tags in them are inert.
        assert!(md.contains("\\<img src=x onerror=alert(1)> and a < b\n"));
        assert!(!md.contains("\n<img"));
        // Tags are escaped too; the CRLF in a note is gone.
        assert!(md.contains("Tags: a;b; x"));
        assert!(!md.contains('\r'));

        let mut a = ann(
            "dx",
            "Title # [x]",
            "C, Art. 1",
            "- item\n\n1. first\n  # h\n===",
            "",
        );
        a.target.quote.exact.push_str("\r\nlast");
        let md = to_markdown(&[a]);
        assert!(md.contains("\n## Title \\# \\[x\\]\n"));
        assert!(
            md.contains(
                "\n> \\- item\n>\n> 1\\. first\n> \\# h\n> \\===\n> last\n\nColour: yellow"
            ),
            "{md}"
        );
        // Every line between the heading and the meta line is in the blockquote.
        let body = &md[md.find("### C, Art. 1\n\n").unwrap() + 15..md.find("\n\nColour").unwrap()];
        assert!(body.lines().all(|l| l.starts_with('>')), "{body}");
    }

    #[test]
    fn empty_and_untitled() {
        assert_eq!(to_markdown(&[]), "# Annotations\n\nNo annotations.\n");
        let a = ann("dnotitle", "", "", "q", "");
        let md = to_markdown(&[a]);
        assert!(md.contains("\n## dnotitle\n"));
        assert!(md.contains("\n### art-\n") || md.contains("\n### "));
    }

    #[test]
    fn natural_order() {
        let mut v = vec![
            "Art. 10",
            "Art. 2",
            "Art. 1",
            "Annex, Art. 3",
            "Art. 02a",
            "Art. 2",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "Annex, Art. 3",
                "Art. 1",
                "Art. 2",
                "Art. 2",
                "Art. 02a",
                "Art. 10"
            ]
        );
    }
}

//! Cuts a document's lines into citable passages.
//!
//! Recognised: a preamble; chapters and sections ("I. Objectives…", "Chapter II",
//! "Section III"); "Article N – Title" (or "Article N" alone with its title on the next
//! line); numbered paragraphs inside sections ("Sec. III, para. 2"); annexes, whose articles
//! restart at 1. Documents without such structure are cut by their headings, or by page for
//! PDFs, or into parts of readable length.
//!
//! Anchors are derived from the structure alone ("art-16", "annex-art-2", "sec-3-para-2",
//! "p-12"), so re-reading the same text gives the same anchors.

use std::sync::LazyLock;

use regex::Regex;

use super::Line;
use crate::model::{Format, Passage};

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Article|ARTICLE|Art\.|Điều|Pasal|มาตรา)\s+(\d{1,3}|premier|1er|[IVXLC]{1,7})(?:\s*(bis|ter|quater))?(?:\b|\s|$)\s*([-–—:.]?)\s*(.*)$").unwrap()
});
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:CHAPTER|Chapter|CHAPITRE|Chapitre|SECTION|Section|PART|Part|TITRE|Titre|Chương|BAB|Bab)\s+([IVXLC]{1,7}|\d{1,2})\b\s*([-–—:.]?)\s*(.*)|([IVXLC]{1,7})\s*[.)–—]\s+(\S.*))$").unwrap()
});
static ANNEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:ANNEX|Annex|ANNEXE|Annexe|APPENDIX|Appendix)(?:\s+([IVXLC]{1,5}|\d{1,2}|[A-Z]))?\b\s*([-–—:.]?)\s*(.*)$").unwrap()
});
static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:PREAMBLE|Preamble|PRÉAMBULE|Préambule|Mukadimah|Lời nói đầu)\s*:?$").unwrap()
});
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\(?(\d{1,3})[.)]\s+\S").unwrap());

/// Longest passage cut by size alone (documents without structure), in bytes.
const PART_BYTES: usize = 3_000;

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Front,
    Preamble,
    Article,
    SectionIntro,
    Para,
    AnnexIntro,
    Heading,
}

#[derive(Debug)]
struct Draft {
    kind: Kind,
    anchor: String,
    locator: Option<String>,
    heading: Option<String>,
    page: Option<u32>,
    text: String,
}

impl Draft {
    fn push_line(&mut self, line: &Line) {
        if self.page.is_none() {
            self.page = line.page;
        }
        if self.text.is_empty() {
            self.text.push_str(&line.text);
        } else if line.break_before {
            self.text.push_str("\n\n");
            self.text.push_str(&line.text);
        } else if self.text.ends_with('-')
            && !self.text.ends_with(" -")
            && line.text.chars().next().is_some_and(char::is_lowercase)
        {
            self.text.pop();
            self.text.push_str(&line.text);
        } else {
            self.text.push(' ');
            self.text.push_str(&line.text);
        }
    }
}

#[derive(Debug, Clone)]
struct Section {
    roman: String,
    number: u32,
}

#[derive(Debug, Clone)]
struct Annex {
    /// "Annex" or "Annex II".
    label: String,
    /// "annex" or "annex-2".
    anchor: String,
}

struct Builder {
    done: Vec<Draft>,
    current: Option<Draft>,
    annex: Option<Annex>,
    section: Option<Section>,
    last_para: u32,
    structured: bool,
}

impl Builder {
    fn start(&mut self, d: Draft) {
        if let Some(c) = self.current.take() {
            self.done.push(c);
        }
        self.current = Some(d);
    }

    fn prefix(&self) -> (String, String) {
        match &self.annex {
            Some(a) => (format!("{}-", a.anchor), format!("{}, ", a.label)),
            None => (String::new(), String::new()),
        }
    }

    fn in_article(&self) -> bool {
        matches!(self.current.as_ref().map(|c| &c.kind), Some(Kind::Article))
    }
}

/// Cuts `lines` into passages. `format` decides the fallback for unstructured documents.
pub fn passages(lines: &[Line], format: Format) -> Vec<Passage> {
    let mut b = Builder {
        done: Vec::new(),
        current: None,
        annex: None,
        section: None,
        last_para: 0,
        structured: false,
    };
    let paged = format == Format::Pdf;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        let text = line.text.trim();
        let starts_block = line.break_before || line.heading.is_some() || paged;
        let short = text.chars().count() <= 160;

        if starts_block && short && PREAMBLE.is_match(text) {
            b.structured = true;
            let (ap, lp) = b.prefix();
            b.start(draft(
                Kind::Preamble,
                format!("{ap}preamble"),
                Some(format!("{lp}Preamble")),
                Some(text),
                line,
            ));
            continue;
        }
        if starts_block && short {
            if let Some(c) = ANNEX.captures(text) {
                let rest = c.get(3).map_or("", |m| m.as_str());
                let sep = c.get(2).map_or("", |m| m.as_str());
                if rest.is_empty()
                    || !sep.is_empty()
                    || line.heading.is_some()
                    || starts_upper(rest)
                {
                    b.structured = true;
                    let (label, anchor) = match c.get(1) {
                        Some(n) => {
                            let num = number_of(n.as_str());
                            (
                                format!("Annex {}", n.as_str()),
                                format!(
                                    "annex-{}",
                                    num.map(|n| n.to_string())
                                        .unwrap_or_else(|| n.as_str().to_ascii_lowercase())
                                ),
                            )
                        }
                        None => ("Annex".to_string(), "annex".to_string()),
                    };
                    b.annex = Some(Annex {
                        label: label.clone(),
                        anchor: anchor.clone(),
                    });
                    b.section = None;
                    b.last_para = 0;
                    b.start(draft(
                        Kind::AnnexIntro,
                        anchor,
                        Some(label),
                        Some(text),
                        line,
                    ));
                    continue;
                }
            }
            if let Some(c) = ARTICLE.captures(text) {
                let num_raw = c.get(1).map_or("", |m| m.as_str());
                let suffix = c.get(2).map(|m| m.as_str());
                let sep = c.get(3).map_or("", |m| m.as_str());
                let rest = c.get(4).map_or("", |m| m.as_str()).trim();
                let looks_heading = rest.is_empty()
                    || !sep.is_empty()
                    || line.heading.is_some()
                    || (starts_upper(rest)
                        && rest.chars().count() <= 120
                        && !rest.ends_with(['.', ';', ',']));
                if let (Some(num), true) = (number_of(num_raw), looks_heading) {
                    b.structured = true;
                    let n = match suffix {
                        Some(s) => format!("{num} {s}"),
                        None => num.to_string(),
                    };
                    let mut heading = text.to_string();
                    if rest.is_empty()
                        && let Some(next) = lines.get(i)
                        && is_title_line(next)
                    {
                        heading = format!(
                            "{} – {}",
                            text.trim_end_matches(['.', ':']),
                            next.text.trim()
                        );
                        i += 1;
                    }
                    let (ap, lp) = b.prefix();
                    b.start(draft(
                        Kind::Article,
                        format!("{ap}art-{}", n.replace(' ', "-")),
                        Some(format!("{lp}Art. {n}")),
                        Some(&heading),
                        line,
                    ));
                    continue;
                }
            }
            if let Some(c) = SECTION.captures(text) {
                let (num_raw, rest, sep) = match (c.get(1), c.get(4)) {
                    (Some(n), _) => (
                        n.as_str(),
                        c.get(3).map_or("", |m| m.as_str()),
                        c.get(2).map_or("", |m| m.as_str()),
                    ),
                    (None, Some(n)) => (n.as_str(), c.get(5).map_or("", |m| m.as_str()), "."),
                    _ => ("", "", ""),
                };
                let titled = c.get(1).is_some()
                    || (starts_upper(rest)
                        && rest.chars().count() <= 120
                        && !rest.ends_with([',', ';']));
                if let (Some(num), true) = (
                    number_of(num_raw),
                    titled && (rest.is_empty() || !sep.is_empty() || starts_upper(rest)),
                ) {
                    b.structured = true;
                    let roman = to_roman(num);
                    b.section = Some(Section {
                        roman: roman.clone(),
                        number: num,
                    });
                    b.last_para = 0;
                    let (ap, lp) = b.prefix();
                    b.start(draft(
                        Kind::SectionIntro,
                        format!("{ap}sec-{num}"),
                        Some(format!("{lp}Sec. {roman}")),
                        Some(text),
                        line,
                    ));
                    continue;
                }
            }
        }
        if starts_block
            && !b.in_article()
            && let Some(c) = NUMBERED.captures(text)
        {
            let n: u32 = c[1].parse().unwrap_or(0);
            let plausible =
                n == b.last_para + 1 || (n == 1 && b.last_para != 0 && b.section.is_none());
            let context = b.structured
                || b.current.as_ref().is_some_and(|c| c.kind != Kind::Front)
                || n == 1
                || b.last_para > 0;
            if n > 0
                && plausible
                && context
                && !matches!(b.current.as_ref().map(|c| &c.kind), Some(Kind::Preamble))
            {
                b.last_para = n;
                let (ap, lp) = b.prefix();
                let (anchor, locator) = match &b.section {
                    Some(s) => (
                        format!("{ap}sec-{}-para-{n}", s.number),
                        format!("{lp}Sec. {}, para. {n}", s.roman),
                    ),
                    None => (format!("{ap}para-{n}"), format!("{lp}para. {n}")),
                };
                let mut d = draft(Kind::Para, anchor, Some(locator), None, line);
                d.push_line(line);
                b.start(d);
                continue;
            }
        }
        if let Some(_level) = line.heading
            && !b.in_article()
            && !(b.structured && matches!(b.current.as_ref().map(|c| &c.kind), Some(Kind::Para)))
        {
            let (ap, lp) = b.prefix();
            let slug = slug(text);
            b.start(draft(
                Kind::Heading,
                format!("{ap}h-{slug}"),
                Some(format!("{lp}{}", shorten(text, 60))),
                Some(text),
                line,
            ));
            continue;
        }
        if b.current.is_none() {
            b.current = Some(draft(Kind::Front, "front".into(), None, None, line));
        }
        if let Some(c) = b.current.as_mut() {
            c.push_line(line);
        }
    }
    if let Some(c) = b.current.take() {
        b.done.push(c);
    }
    let mut drafts = b.done;

    if b.structured {
        // Text before the first structural mark is the preamble, unless one was marked.
        let has_preamble = drafts.iter().any(|d| d.kind == Kind::Preamble);
        for d in &mut drafts {
            if d.kind == Kind::Front && !has_preamble {
                d.kind = Kind::Preamble;
                d.anchor = "preamble".into();
                d.locator = Some("Preamble".into());
            }
        }
    } else if paged {
        return finish(by_page(lines));
    } else {
        drafts = drafts.into_iter().flat_map(split_long).collect();
        if drafts.len() == 1 && drafts[0].kind == Kind::Front {
            drafts[0].anchor = "text".into();
        }
    }
    finish(drafts)
}

fn finish(drafts: Vec<Draft>) -> Vec<Passage> {
    let mut seen = std::collections::HashMap::<String, u32>::new();
    drafts
        .into_iter()
        .filter(|d| !d.text.trim().is_empty())
        .map(|d| {
            let n = seen.entry(d.anchor.clone()).or_insert(0);
            *n += 1;
            let anchor = if *n == 1 {
                d.anchor
            } else {
                format!("{}-{}", d.anchor, n)
            };
            Passage {
                anchor,
                heading: d.heading,
                locator: d.locator,
                page: d.page,
                text: d.text,
            }
        })
        .collect()
}

fn by_page(lines: &[Line]) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    for line in lines {
        let page = line.page.unwrap_or(1);
        if out.last().map(|d| d.page) != Some(Some(page)) {
            out.push(Draft {
                kind: Kind::Front,
                anchor: format!("p-{page}"),
                locator: Some(format!("p. {page}")),
                heading: None,
                page: Some(page),
                text: String::new(),
            });
        }
        if let Some(d) = out.last_mut() {
            d.push_line(line);
        }
    }
    out
}

/// Cuts an unstructured passage into parts of readable length at paragraph boundaries.
fn split_long(d: Draft) -> Vec<Draft> {
    if d.text.len() <= PART_BYTES {
        return vec![d];
    }
    let mut parts: Vec<String> = vec![String::new()];
    for para in d.text.split("\n\n") {
        for piece in cut_paragraph(para) {
            let last = parts.last_mut().expect("non-empty");
            if !last.is_empty() && last.len() + piece.len() > PART_BYTES {
                parts.push(piece.to_string());
            } else {
                if !last.is_empty() {
                    last.push_str("\n\n");
                }
                last.push_str(piece);
            }
        }
    }
    let base = if d.kind == Kind::Front {
        "part".to_string()
    } else {
        d.anchor.clone()
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let n = i + 1;
            let (anchor, locator) = match (&d.locator, d.kind == Kind::Front) {
                (_, true) => (format!("{base}-{n}"), Some(format!("part {n}"))),
                (Some(l), false) if n > 1 => {
                    (format!("{base}-{n}"), Some(format!("{l}, part {n}")))
                }
                (l, _) => (base.clone(), l.clone()),
            };
            Draft {
                kind: d.kind.clone(),
                anchor,
                locator,
                heading: d.heading.clone(),
                page: d.page,
                text,
            }
        })
        .collect()
}

/// A paragraph longer than a part is cut at sentence ends, or at a character boundary.
fn cut_paragraph(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = p;
    while rest.len() > PART_BYTES {
        let mut cut = PART_BYTES;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let window = &rest[..cut];
        let at = window
            .rfind(". ")
            .map(|i| i + 2)
            .or_else(|| window.rfind(' ').map(|i| i + 1))
            .filter(|&i| i > PART_BYTES / 3)
            .unwrap_or(cut);
        out.push(&rest[..at]);
        rest = &rest[at..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn draft(
    kind: Kind,
    anchor: String,
    locator: Option<String>,
    heading: Option<&str>,
    line: &Line,
) -> Draft {
    Draft {
        kind,
        anchor,
        locator,
        heading: heading.map(str::to_string),
        page: line.page,
        text: String::new(),
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        c.is_uppercase()
            || !c.is_alphabetic() && c.is_alphanumeric()
            || c == '('
            || c == '«'
            || c == '"'
    })
}

/// An article's title on the line after "Article N".
fn is_title_line(l: &Line) -> bool {
    let t = l.text.trim();
    let n = t.chars().count();
    (2..=150).contains(&n)
        && starts_upper(t)
        && !ARTICLE.is_match(t)
        && !SECTION.is_match(t)
        && !ANNEX.is_match(t)
        && !NUMBERED.is_match(t)
        && !t.ends_with([',', ';'])
        && (l.heading.is_some() || !t.ends_with('.') || n <= 60)
}

/// Arabic or Roman numeral (or "premier"/"1er") to a number.
fn number_of(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return (n > 0).then_some(n);
    }
    if s.eq_ignore_ascii_case("premier") || s == "1er" {
        return Some(1);
    }
    roman_value(s)
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let val = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let vals: Option<Vec<u32>> = s.chars().map(val).collect();
    let vals = vals?;
    let mut total = 0i64;
    for (i, &v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|&next| next > v) {
            total -= v as i64;
        } else {
            total += v as i64;
        }
    }
    let n = u32::try_from(total).ok()?;
    // Only canonical numerals: "IIII" or "VX" are not section numbers.
    (n > 0 && to_roman(n) == s.to_ascii_uppercase()).then_some(n)
}

/// An upper-case Roman numeral ("IV").
pub fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 9] = [
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A short URL-safe name for a heading; headings in non-Latin scripts get a hash.
fn slug(heading: &str) -> String {
    let folded = crate::analysis::fold(&heading.to_lowercase());
    let mut s = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 40 {
            break;
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.len() >= 3 {
        s
    } else {
        blake3::hash(heading.as_bytes()).to_hex()[..8].to_string()
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_lines(s: &str) -> Vec<Line> {
        super::super::text::lines_of(s, None)
    }

    fn summary(ps: &[Passage]) -> Vec<(String, Option<String>)> {
        ps.iter()
            .map(|p| (p.anchor.clone(), p.locator.clone()))
            .collect()
    }

    #[test]
    fn convention_structure() {
        let src = "Convention on Things\n\nThe General Conference,\n\nRecognizing that culture matters,\n\n\
I. Objectives and guiding principles\n\nArticle 1 – Objectives\n\nThe objectives are:\n\n(a) to protect;\n\n\
Article 2\nGuiding principles\n\n1. Principle of respect.\n\n2. Principle of sovereignty.\n\n\
II. Scope\n\nArticle 3 – Scope\n\nThis Convention shall apply.\n\nArticle 5 of this text is not a heading, it is prose.\n\n\
ANNEX\n\nConciliation Procedure\n\nArticle 1 – Conciliation Commission\n\nA Commission shall be created.\n\nArticle 2 – Members\n\nFive members.";
        let ps = passages(&text_lines(src), Format::Text);
        let s = summary(&ps);
        assert_eq!(
            s.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
            vec![
                "preamble",
                "art-1",
                "art-2",
                "art-3",
                "annex",
                "annex-art-1",
                "annex-art-2"
            ]
        );
        assert_eq!(
            ps[2].heading.as_deref(),
            Some("Article 2 – Guiding principles")
        );
        assert!(ps[2].text.contains("Principle of sovereignty"));
        assert!(ps[3].text.contains("not a heading"));
        assert_eq!(ps[5].locator.as_deref(), Some("Annex, Art. 1"));
        assert_eq!(ps[0].locator.as_deref(), Some("Preamble"));
        assert!(ps[0].text.contains("Recognizing"));
    }

    #[test]
    fn recommendation_sections_and_paragraphs() {
        let src = "Recommendation concerning Artists\n\nPreamble\n\nThe General Conference...\n\n\
I. Definitions\n\nFor the purpose of this Recommendation:\n\n1. Artist means any person.\n\n2. Status means standing.\n\n\
III. Guiding principles\n\n1. Member States should act.\n\n2. Member States should support.";
        let ps = passages(&text_lines(src), Format::Text);
        let s = summary(&ps);
        assert_eq!(s[0].0, "front");
        assert!(s.contains(&("preamble".into(), Some("Preamble".into()))));
        assert!(s.contains(&("sec-1".into(), Some("Sec. I".into()))));
        assert!(s.contains(&("sec-3-para-2".into(), Some("Sec. III, para. 2".into()))));
        let p = ps.iter().find(|p| p.anchor == "sec-3-para-2").unwrap();
        assert_eq!(p.text, "2. Member States should support.");
    }

    #[test]
    fn pdf_pages_without_structure() {
        let lines = vec![
            Line {
                text: "Country report".into(),
                page: Some(1),
                break_before: true,
                heading: None,
            },
            Line {
                text: "Creative econ-".into(),
                page: Some(1),
                break_before: false,
                heading: None,
            },
            Line {
                text: "omy grows.".into(),
                page: Some(1),
                break_before: false,
                heading: None,
            },
            Line {
                text: "Second page.".into(),
                page: Some(2),
                break_before: true,
                heading: None,
            },
        ];
        let ps = passages(&lines, Format::Pdf);
        assert_eq!(
            summary(&ps),
            vec![
                ("p-1".into(), Some("p. 1".into())),
                ("p-2".into(), Some("p. 2".into()))
            ]
        );
        assert!(ps[0].text.contains("Creative economy grows."));
        assert_eq!(ps[1].page, Some(2));
    }

    #[test]
    fn structured_pdf_keeps_pages() {
        let lines = vec![
            Line {
                text: "Article 1 – Scope".into(),
                page: Some(3),
                break_before: true,
                heading: None,
            },
            Line {
                text: "Applies.".into(),
                page: Some(3),
                break_before: false,
                heading: None,
            },
            Line {
                text: "Article 2 – Terms".into(),
                page: Some(4),
                break_before: false,
                heading: None,
            },
            Line {
                text: "Defined.".into(),
                page: Some(4),
                break_before: false,
                heading: None,
            },
        ];
        let ps = passages(&lines, Format::Pdf);
        assert_eq!(ps[1].anchor, "art-2");
        assert_eq!(ps[1].page, Some(4));
    }

    #[test]
    fn headings_and_long_text() {
        let mut lines = vec![Line::block("Session 1: The creative ecosystem", Some(2))];
        for i in 0..40 {
            lines.push(Line::block(format!("Paragraph {i} about creative industries and cultural policy in the region, with enough words to be long."), None));
        }
        let ps = passages(&lines, Format::Docx);
        assert_eq!(ps[0].anchor, "h-session-1-the-creative-ecosystem");
        assert!(
            ps.len() > 1 && ps[1].anchor == "h-session-1-the-creative-ecosystem-2",
            "{:?}",
            summary(&ps)
        );
        let plain = text_lines(&"word ".repeat(2000));
        let ps = passages(&plain, Format::Text);
        assert!(ps.len() > 1);
        assert_eq!(ps[0].anchor, "part-1");
    }

    #[test]
    fn anchors_are_unique_and_stable() {
        let src = "Article 1 – A\n\nx\n\nArticle 1 – A again\n\ny";
        let a = passages(&text_lines(src), Format::Text);
        let b = passages(&text_lines(src), Format::Text);
        assert_eq!(summary(&a), summary(&b));
        assert_eq!(a[1].anchor, "art-1-2");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_value("IX"), Some(9));
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(number_of("premier"), Some(1));
    }
}

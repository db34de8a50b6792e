//! Snippets: the best fragment of a passage for a query, HTML-escaped, with the matched
//! words wrapped in `<mark>…</mark>` and no other markup. Matching uses the same analysis
//! as the index, so what was found is what is marked.

use std::collections::HashSet;

use crate::analysis::{self, StemLang, Stemmers};

/// What to mark, gathered from a query.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    /// Folded words.
    pub words: HashSet<String>,
    /// Folded stems (any language).
    pub stems: HashSet<String>,
    /// Folded prefixes.
    pub prefixes: Vec<String>,
    /// Words matched approximately (typos): folded.
    pub fuzzy: Vec<String>,
    /// Runs of unspaced scripts, found as substrings.
    pub substrings: Vec<String>,
}

impl Highlight {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.prefixes.is_empty()
            && self.substrings.is_empty()
            && self.fuzzy.is_empty()
    }
}

/// Target length of a snippet, in characters.
const SNIPPET_CHARS: usize = 240;

/// The byte ranges of `text` that `hl` marks, in order and not overlapping: what the reader
/// highlights in a whole passage.
pub fn match_ranges(text: &str, hl: &Highlight, stemmers: &Stemmers) -> Vec<(usize, usize)> {
    marks(text, hl, stemmers)
        .into_iter()
        .map(|(s, e, _)| (s, e))
        .collect()
}

fn marks(text: &str, hl: &Highlight, stemmers: &Stemmers) -> Vec<(usize, usize, String)> {
    let (words, _) = analysis::words(text);
    let mut marks: Vec<(usize, usize, String)> = Vec::new();
    for w in &words {
        let hit = hl.words.contains(&w.folded)
            || hl.prefixes.iter().any(|p| w.folded.starts_with(p.as_str()))
            || (!hl.stems.is_empty()
                && StemLang::ALL
                    .iter()
                    .any(|&l| stemmers.stem(l, w).is_some_and(|s| hl.stems.contains(&s))))
            || hl.fuzzy.iter().any(|f| within_one_edit(f, &w.folded));
        if hit {
            marks.push((w.start, w.end, w.folded.clone()));
        }
    }
    for sub in &hl.substrings {
        if sub.is_empty() {
            continue;
        }
        for (i, _) in text.match_indices(sub.as_str()) {
            marks.push((i, i + sub.len(), sub.clone()));
        }
    }
    marks.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
    // Drop marks overlapping an earlier one.
    let mut merged: Vec<(usize, usize, String)> = Vec::new();
    for m in marks {
        if merged.last().is_none_or(|l| m.0 >= l.1) {
            merged.push(m);
        }
    }
    merged
}

/// Builds the snippet of `text` for `hl`.
pub fn snippet(text: &str, hl: &Highlight, stemmers: &Stemmers) -> String {
    let merged = marks(text, hl, stemmers);
    let (start, end) = best_window(text, &merged);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for (s, e, _) in merged.iter().filter(|m| m.0 >= start && m.1 <= end) {
        escape_into(&text[pos..*s], &mut out);
        out.push_str("<mark>");
        escape_into(&text[*s..*e], &mut out);
        out.push_str("</mark>");
        pos = *e;
    }
    escape_into(&text[pos..end], &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The window of about [`SNIPPET_CHARS`] holding the most distinct matches, cut at word
/// boundaries.
fn best_window(text: &str, marks: &[(usize, usize, String)]) -> (usize, usize) {
    let budget = byte_len_of_chars(text, 0, SNIPPET_CHARS);
    if text.len() <= budget {
        return (0, text.len());
    }
    let mut best = (0usize, 0usize); // (distinct, start index into marks)
    for i in 0..marks.len() {
        let limit = marks[i].0 + budget;
        let mut seen = HashSet::new();
        for m in &marks[i..] {
            if m.1 > limit {
                break;
            }
            seen.insert(m.2.as_str());
        }
        if seen.len() > best.0 {
            best = (seen.len(), i);
        }
    }
    let anchor = if marks.is_empty() { 0 } else { marks[best.1].0 };
    // Start a little before the first match, at a word boundary.
    let lead = byte_len_back(text, anchor, 40);
    let mut start = anchor - lead;
    if start > 0 {
        start = text[start..anchor]
            .find(char::is_whitespace)
            .map(|i| start + i + 1)
            .filter(|&s| s <= anchor)
            .unwrap_or(start);
    }
    let mut end = start + byte_len_of_chars(text, start, SNIPPET_CHARS);
    if end < text.len()
        && let Some(i) = text[start..end].rfind(char::is_whitespace)
        && start + i > anchor
    {
        end = start + i;
    }
    // Never cut a mark in two.
    for m in marks {
        if m.0 < end && m.1 > end {
            end = m.1;
        }
    }
    (start, end)
}

fn byte_len_of_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or(text.len() - from)
}

fn byte_len_back(text: &str, to: usize, n: usize) -> usize {
    let mut len = 0;
    for (count, c) in text[..to].chars().rev().enumerate() {
        if count >= n {
            break;
        }
        len += c.len_utf8();
    }
    len
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
}

/// True when `a` and `b` differ by at most one insertion, deletion, substitution or
/// transposition (and are at least 4 characters long).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() < 4 || b.len() < 4 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if prefix == a.len() && a.len() == b.len() {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix_eq = |x: &[char], y: &[char]| x == y;
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            suffix_eq(&ra[1..], &rb[1..])
                || (ra.len() >= 2
                    && ra[0] == rb[1]
                    && ra[1] == rb[0]
                    && suffix_eq(&ra[2..], &rb[2..]))
        }
        std::cmp::Ordering::Less => suffix_eq(ra, &rb[1..]),
        std::cmp::Ordering::Greater => suffix_eq(&ra[1..], rb),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(words: &[&str]) -> Highlight {
        Highlight {
            words: words.iter().map(|w| w.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn marks_and_escapes() {
        let s = snippet(
            "<b>Artists</b> & the status of the artist",
            &hl(&["artist"]),
            &Stemmers::default(),
        );
        assert_eq!(
            s,
            "&lt;b&gt;Artists&lt;/b&gt; &amp; the status of the <mark>artist</mark>"
        );
        let s = snippet(
            "Văn hóa and văn hoá",
            &hl(&["van", "hoa"]),
            &Stemmers::default(),
        );
        assert_eq!(
            s,
            "<mark>Văn</mark> <mark>hóa</mark> and <mark>văn</mark> <mark>hoá</mark>"
        );
    }

    #[test]
    fn picks_the_window_with_matches() {
        let text = format!(
            "{} preferential treatment here. {}",
            "filler words ".repeat(100),
            "more filler ".repeat(100)
        );
        let s = snippet(
            &text,
            &hl(&["preferential", "treatment"]),
            &Stemmers::default(),
        );
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>preferential</mark> <mark>treatment</mark>"));
        assert!(s.chars().count() < 320);
    }

    #[test]
    fn edit_distance_one() {
        assert!(within_one_edit("treatment", "treatmnt"));
        assert!(within_one_edit("treatment", "traetment"));
        assert!(within_one_edit("treatment", "treatmant"));
        assert!(within_one_edit("treatment", "treatments"));
        assert!(!within_one_edit("treatment", "trentmant"));
    }
}

//! Search over the user's notes: the note text, tags and quoted text of each annotation,
//! with the same word analysis as the document index (folding, stemming, segmentation of
//! Thai/Lao/Khmer), so a query finds a note the way it finds a passage.
//!
//! Notes are few next to passages (thousands, not millions), so each search scans the
//! annotations' precomputed word sets instead of keeping a second index on disk.

use std::collections::HashSet;

use pustaka_core::analysis::{self, StemLang, Stemmers};
use pustaka_core::snippet::{self, Highlight};

use crate::model::Annotation;

/// The words of one annotation, ready to match.
#[derive(Debug, Clone, Default)]
pub struct NoteTerms {
    /// Folded words and stems of the note and tags.
    note: HashSet<String>,
    /// Folded words and stems of the quote.
    quote: HashSet<String>,
    /// The raw texts, for substring matching of unspaced scripts.
    note_text: String,
    quote_text: String,
}

fn terms_of(text: &str, stemmers: &Stemmers, out: &mut HashSet<String>) {
    let (words, _) = analysis::words(text);
    for w in &words {
        out.insert(w.folded.clone());
        for l in StemLang::ALL {
            if let Some(s) = stemmers.stem(l, w) {
                out.insert(s);
            }
        }
    }
}

impl NoteTerms {
    pub fn of(a: &Annotation, stemmers: &Stemmers) -> NoteTerms {
        let mut t = NoteTerms::default();
        terms_of(&a.note, stemmers, &mut t.note);
        for tag in &a.tags {
            terms_of(tag, stemmers, &mut t.note);
        }
        terms_of(&a.target.quote.exact, stemmers, &mut t.quote);
        t.note_text =
            analysis::normalize(&format!("{}\n{}", a.note, a.tags.join(" "))).to_lowercase();
        t.quote_text = analysis::normalize(&a.target.quote.exact).to_lowercase();
        t
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct NoteQuery {
    /// For each query word, the forms that satisfy it (folded word, stems).
    words: Vec<QueryWord>,
    highlight: Highlight,
}

#[derive(Debug, Clone)]
struct QueryWord {
    forms: Vec<String>,
    /// The word as typed last: also matches as a prefix.
    prefix: Option<String>,
    /// Unspaced script: matched as a substring of the text.
    substring: Option<String>,
}

impl NoteQuery {
    pub fn parse(q: &str, stemmers: &Stemmers) -> NoteQuery {
        let q = analysis::normalize(q);
        let (words, _) = analysis::words(&q);
        let ends_with_space = q.ends_with(char::is_whitespace);
        let mut out = NoteQuery::default();
        let n = words.len();
        for (i, w) in words.iter().enumerate() {
            if analysis::is_stopword(&w.folded) && n > 1 {
                continue;
            }
            let mut forms = vec![w.folded.clone()];
            for l in StemLang::ALL {
                if let Some(s) = stemmers.stem(l, w) {
                    out.highlight.stems.insert(s.clone());
                    forms.push(s);
                }
            }
            out.highlight.words.insert(w.folded.clone());
            let prefix =
                (i + 1 == n && !ends_with_space && !w.sea && w.folded.chars().count() >= 2)
                    .then(|| w.folded.clone());
            if let Some(p) = &prefix {
                out.highlight.prefixes.push(p.clone());
            }
            let substring = w.sea.then(|| w.lower.clone());
            if let Some(s) = &substring {
                out.highlight.substrings.push(s.clone());
            }
            out.words.push(QueryWord {
                forms,
                prefix,
                substring,
            });
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The score of an annotation for this query (None: it does not match). Every word must
    /// be found; a word found in the note or tags counts more than one found in the quote.
    pub fn score(&self, t: &NoteTerms) -> Option<f32> {
        if self.words.is_empty() {
            return None;
        }
        let mut score = 0.0;
        for w in &self.words {
            let in_set = |set: &HashSet<String>| {
                w.forms.iter().any(|f| set.contains(f))
                    || w.prefix
                        .as_ref()
                        .is_some_and(|p| set.iter().any(|s| s.starts_with(p.as_str())))
            };
            let in_text = |text: &str| {
                w.substring
                    .as_ref()
                    .is_some_and(|s| text.contains(s.as_str()))
            };
            if in_set(&t.note) || in_text(&t.note_text) {
                score += 2.0;
            } else if in_set(&t.quote) || in_text(&t.quote_text) {
                score += 1.0;
            } else {
                return None;
            }
        }
        Some(score)
    }

    /// A snippet of the note (or, when the note does not match, of the quote): HTML-escaped,
    /// matches in `<mark>`.
    pub fn snippet(&self, a: &Annotation, stemmers: &Stemmers) -> String {
        let note = snippet::snippet(&a.note, &self.highlight, stemmers);
        if !a.note.is_empty() && note.contains("<mark>") {
            return note;
        }
        let tags = a.tags.join(" · ");
        let tag_snip = snippet::snippet(&tags, &self.highlight, stemmers);
        if tag_snip.contains("<mark>") {
            return tag_snip;
        }
        snippet::snippet(&a.target.quote.exact, &self.highlight, stemmers)
    }
}

//! The multilingual glossary (`glossary.toml`): key terms with their labels in several
//! languages and their acronyms. Search expands a query that names a term with the term's
//! other labels and acronyms, so "QPR" also finds "quadrennial periodic report" and a
//! Vietnamese query also finds English passages; matches of what was typed rank first.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::analysis;
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GlossaryFile {
    pub(crate) term: Vec<TermEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TermEntry {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) acronyms: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) note: Option<String>,
    pub(crate) labels: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    pub(crate) acronyms_by_language: BTreeMap<String, Vec<String>>,
}

/// One term: every way of naming it, as written and folded for matching.
#[derive(Debug, Clone)]
struct Term {
    variants: Vec<(String, String)>,
}

/// Most alternatives added to one query.
const MAX_EXPANSIONS: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<Term>,
}

/// Lower-cased, folded, with punctuation as spaces and single spaces: what matching compares.
fn key(s: &str) -> String {
    let folded = analysis::fold(&analysis::normalize(s).to_lowercase());
    let spaced: String = folded
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || is_mark(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Combining marks (Thai, Khmer, Lao vowels and tones) belong to their word.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0E31..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1..=0x0EBC | 0x0EC8..=0x0ECD | 0x17B4..=0x17D3)
}

/// True when `needle` occurs in `hay` as whole words (for spaced scripts) or anywhere (for
/// scripts written without spaces).
fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let unspaced = needle
        .chars()
        .any(|c| matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF));
    if unspaced {
        return hay.contains(needle);
    }
    format!(" {hay} ").contains(&format!(" {needle} "))
}

impl Glossary {
    pub(crate) fn from_file(f: GlossaryFile) -> Glossary {
        let terms = f
            .term
            .into_iter()
            .map(|t| {
                let mut variants: Vec<(String, String)> = Vec::new();
                let mut push = |s: &str| {
                    let k = key(s);
                    if k.chars().count() >= 2 && !variants.iter().any(|(_, v)| *v == k) {
                        variants.push((s.trim().to_string(), k));
                    }
                };
                for v in t.labels.values() {
                    for s in v.values() {
                        push(s);
                    }
                }
                for a in t
                    .acronyms
                    .iter()
                    .chain(t.acronyms_by_language.values().flatten())
                {
                    push(a);
                }
                let _ = t.id;
                Term { variants }
            })
            .collect();
        Glossary { terms }
    }

    /// Reads a glossary file (the format of `corpus/starter/glossary.toml`).
    pub fn load(path: &Path) -> Result<Glossary> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            context: format!("cannot read {}", path.display()),
            source: e,
        })?;
        let f: GlossaryFile = toml::from_str(&text).map_err(|e| {
            Error::InvalidInput(format!(
                "{} is not a valid glossary: {}",
                path.display(),
                e.to_string().lines().next().unwrap_or_default()
            ))
        })?;
        Ok(Glossary::from_file(f))
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// How many terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// The other names of the terms that `text` names, as phrases to search for too.
    pub fn expansions(&self, text: &str) -> Vec<String> {
        let q = key(text);
        let mut out: Vec<String> = Vec::new();
        for t in &self.terms {
            if !t.variants.iter().any(|(_, k)| contains_words(&q, k)) {
                continue;
            }
            for (shown, k) in &t.variants {
                if !contains_words(&q, k) && !out.contains(shown) {
                    out.push(shown.clone());
                }
            }
        }
        out.truncate(MAX_EXPANSIONS);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let f: GlossaryFile = toml::from_str(
            r#"
[[term]]
id = "qpr"
acronyms = ["QPR"]
[term.labels]
en = "quadrennial periodic report"
fr = "rapport périodique quadriennal"
[[term]]
id = "pt"
[term.labels]
en = "preferential treatment"
vi = "đối xử ưu đãi"
th = "การปฏิบัติเป็นพิเศษ"
"#,
        )
        .unwrap();
        Glossary::from_file(f)
    }

    #[test]
    fn an_acronym_brings_the_labels() {
        let g = glossary();
        let e = g.expansions("QPR 2020");
        assert!(
            e.contains(&"quadrennial periodic report".to_string()),
            "{e:?}"
        );
        assert!(e.contains(&"rapport périodique quadriennal".to_string()));
        assert!(
            !e.contains(&"QPR".to_string()),
            "what was typed is not repeated"
        );
    }

    #[test]
    fn a_label_in_one_language_brings_the_others_whatever_the_diacritics() {
        let g = glossary();
        let e = g.expansions("chinh sach doi xu uu dai");
        assert!(e.contains(&"preferential treatment".to_string()), "{e:?}");
        let e = g.expansions("Preferential-treatment!");
        assert!(e.contains(&"đối xử ưu đãi".to_string()), "{e:?}");
        let e = g.expansions("นโยบายการปฏิบัติเป็นพิเศษ");
        assert!(e.contains(&"preferential treatment".to_string()), "{e:?}");
    }

    #[test]
    fn words_must_be_whole() {
        let g = glossary();
        assert!(g.expansions("preferential treatments").is_empty());
        assert!(g.expansions("qprs").is_empty());
        assert!(g.expansions("status of the artist").is_empty());
    }
}

//! Our analysis ([`crate::analysis`]) as tantivy tokenizers. Registered on the index, they
//! run inside tantivy's indexing threads, so analysis is spread over the cores.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::{self, StemLang, Stemmers};

pub const WORDS: &str = "pk_words";
pub const EXACT: &str = "pk_exact";
pub const GRAMS: &str = "pk_grams";

pub fn stem_name(lang: StemLang) -> &'static str {
    match lang {
        StemLang::English => "pk_stem_en",
        StemLang::French => "pk_stem_fr",
        StemLang::Indonesian => "pk_stem_id",
    }
}

/// Registers every tokenizer of ours on `index`.
pub fn register(index: &tantivy::Index, stemmers: &Arc<Stemmers>) {
    let t = index.tokenizers();
    t.register(WORDS, Words);
    t.register(EXACT, Exact);
    t.register(GRAMS, Grams);
    for lang in StemLang::ALL {
        t.register(
            stem_name(lang),
            Stem {
                lang,
                stemmers: stemmers.clone(),
                cache: FxHashMap::default(),
            },
        );
    }
}

/// A token stream over tokens computed up front.
pub struct VecStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecStream { tokens, next: 0 }
    }
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn token(text: String, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    }
}

/// Folded words, positions counted per word (all scripts).
#[derive(Clone)]
pub struct Words;

impl Tokenizer for Words {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let mut out = Vec::new();
        analysis::spans(
            text,
            true,
            &mut |sp| {
                let pos = out.len();
                out.push(token(sp.folded(text), sp.start, sp.end, pos));
            },
            &mut |_, _| {},
        );
        VecStream::new(out)
    }
}

/// Lowercase words that carry diacritics (their exact spelling), nothing else.
#[derive(Clone)]
pub struct Exact;

impl Tokenizer for Exact {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let mut out = Vec::new();
        if text.is_ascii() {
            return VecStream::new(out);
        }
        let mut i = 0;
        analysis::spans(
            text,
            false,
            &mut |sp| {
                if !text[sp.start..sp.end].is_ascii() {
                    let lower = sp.lower(text);
                    if analysis::fold(&lower) != lower {
                        out.push(token(lower, sp.start, sp.end, i));
                    }
                }
                i += 1;
            },
            &mut |_, _| {},
        );
        VecStream::new(out)
    }
}

/// Most distinct words whose stems a stem tokenizer remembers.
const STEM_CACHE_MAX: usize = 100_000;

/// Stems in one language, only where the stem differs from the folded word (the word itself
/// is in the words field, and queries look for stems there too). Word frequencies follow
/// Zipf's law, so a cache of recent stems saves most of the stemming.
#[derive(Clone)]
pub struct Stem {
    lang: StemLang,
    stemmers: Arc<Stemmers>,
    cache: FxHashMap<String, Option<String>>,
}

impl Tokenizer for Stem {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let mut out = Vec::new();
        let mut i = 0;
        let (lang, stemmers, cache) = (self.lang, &self.stemmers, &mut self.cache);
        analysis::spans(
            text,
            false,
            &mut |sp| {
                let word = &text[sp.start..sp.end];
                let stem = match cache.get(word) {
                    Some(s) => s.clone(),
                    None => {
                        let s = stemmers
                            .stem_str(lang, &sp.lower(text))
                            .filter(|s| *s != sp.folded(text));
                        if cache.len() >= STEM_CACHE_MAX {
                            cache.clear();
                        }
                        cache.insert(word.to_string(), s.clone());
                        s
                    }
                };
                if let Some(s) = stem {
                    out.push(token(s, sp.start, sp.end, i));
                }
                i += 1;
            },
            &mut |_, _| {},
        );
        VecStream::new(out)
    }
}

/// Character bigrams of the runs of unspaced scripts (no positions are kept: a query asks
/// for all the bigrams of its word).
#[derive(Clone)]
pub struct Grams;

impl Tokenizer for Grams {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let mut out = Vec::new();
        if !text.chars().any(|c| analysis::sea_script(c).is_some()) {
            return VecStream::new(out);
        }
        analysis::spans(text, false, &mut |_| {}, &mut |start, end| {
            let run = text[start..end].to_lowercase();
            for g in analysis::bigrams(&run) {
                let pos = out.len();
                out.push(token(g, start, end, pos));
            }
        });
        VecStream::new(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<T: Tokenizer>(mut t: T, s: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut st = t.token_stream(s);
        while st.advance() {
            out.push((st.token().text.clone(), st.token().position));
        }
        out
    }

    #[test]
    fn tokenizers_agree_with_the_analysis() {
        let s = "Artists of Hóa, วัฒนธรรม";
        let words = texts(Words, s);
        assert_eq!(words[0], ("artists".into(), 0));
        assert_eq!(words[2], ("hoa".into(), 2));
        assert!(words.iter().any(|(w, _)| w == "วัฒนธรรม"));
        assert_eq!(texts(Exact, s), vec![("hóa".into(), 2)]);
        let stem = Stem {
            lang: StemLang::English,
            stemmers: Arc::new(Stemmers::default()),
            cache: FxHashMap::default(),
        };
        assert_eq!(texts(stem, s), vec![("artist".into(), 0)]);
        let grams = texts(Grams, s);
        assert_eq!(grams.len(), "วัฒนธรรม".chars().count() - 1);
        assert!(texts(Grams, "plain text").is_empty());
    }
}

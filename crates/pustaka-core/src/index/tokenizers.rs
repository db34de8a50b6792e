//! Our analysis ([`crate::analysis`]) as tantivy tokenizers. Registered on the index, they
//! run inside tantivy's indexing threads, so analysis is spread over the cores.

use std::cell::RefCell;
use std::hash::Hasher;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::{self, Span, StemLang, Stemmers};

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
    t.register(WORDS, Words::default());
    t.register(EXACT, Exact::default());
    t.register(GRAMS, Grams::default());
    for lang in StemLang::ALL {
        t.register(stem_name(lang), Stem::new(lang, stemmers.clone()));
    }
}

/// The analysis of the text tokenized last on this thread: a passage's body goes through
/// four tokenizers (words, exact, stem, grams) one after the other in the same indexing
/// thread, and is cut into words once.
#[derive(Default)]
struct Analysed {
    text: String,
    /// Every word, unspaced scripts segmented (their words marked `sea`).
    spans: Vec<Span>,
    /// The runs of unspaced scripts.
    runs: Vec<(usize, usize)>,
}

thread_local! {
    static LAST: RefCell<Analysed> = RefCell::new(Analysed::default());
}

/// Calls `f` with the words and unspaced runs of `text`, cut once per text and thread.
fn with_analysis<R>(text: &str, f: impl FnOnce(&[Span], &[(usize, usize)]) -> R) -> R {
    LAST.with(|cell| {
        let mut a = cell.borrow_mut();
        let a = &mut *a;
        if a.text != text {
            a.text.clear();
            a.spans.clear();
            a.runs.clear();
            let (spans, runs) = (&mut a.spans, &mut a.runs);
            analysis::spans(text, true, &mut |sp| spans.push(sp), &mut |s, e| {
                runs.push((s, e))
            });
            a.text.push_str(text);
        }
        f(&a.spans, &a.runs)
    })
}

/// Tokens kept from one text to the next, so that their strings are allocated once.
#[derive(Default)]
struct Tokens {
    list: Vec<Token>,
    len: usize,
}

impl Clone for Tokens {
    /// A clone starts empty (tantivy clones the registered tokenizer for each segment).
    fn clone(&self) -> Self {
        Tokens::default()
    }
}

impl Tokens {
    fn clear(&mut self) {
        self.len = 0;
    }

    /// A new token at the end; its text, empty, is for the caller to fill.
    fn push(&mut self, from: usize, to: usize, position: usize) -> &mut String {
        if self.len == self.list.len() {
            self.list.push(Token::default());
        }
        let t = &mut self.list[self.len];
        self.len += 1;
        t.offset_from = from;
        t.offset_to = to;
        t.position = position;
        t.position_length = 1;
        t.text.clear();
        &mut t.text
    }

    /// Drops the last token pushed.
    fn pop(&mut self) {
        self.len -= 1;
    }

    fn stream(&mut self) -> BufStream<'_> {
        BufStream {
            tokens: &mut self.list[..self.len],
            next: 0,
        }
    }
}

/// A token stream over tokens computed up front.
pub struct BufStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for BufStream<'_> {
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

/// Folded words, positions counted per word (all scripts).
#[derive(Clone, Default)]
pub struct Words {
    tokens: Tokens,
}

impl Tokenizer for Words {
    type TokenStream<'a> = BufStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufStream<'a> {
        let tokens = &mut self.tokens;
        tokens.clear();
        with_analysis(text, |spans, _| {
            for (pos, sp) in spans.iter().enumerate() {
                sp.folded_into(text, tokens.push(sp.start, sp.end, pos));
            }
        });
        tokens.stream()
    }
}

/// Lowercase words that carry diacritics (their exact spelling), nothing else.
#[derive(Clone, Default)]
pub struct Exact {
    tokens: Tokens,
    folded: String,
}

impl Tokenizer for Exact {
    type TokenStream<'a> = BufStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufStream<'a> {
        let (tokens, folded) = (&mut self.tokens, &mut self.folded);
        tokens.clear();
        if text.is_ascii() {
            return tokens.stream();
        }
        with_analysis(text, |spans, _| {
            // Positions count the words of spaced scripts only.
            for (i, sp) in spans.iter().filter(|sp| !sp.sea).enumerate() {
                if sp.ascii {
                    continue;
                }
                let word = &text[sp.start..sp.end];
                let lower = tokens.push(sp.start, sp.end, i);
                analysis::lower_into(word, lower);
                folded.clear();
                analysis::lower_fold_into(word, folded);
                if folded == lower {
                    tokens.pop();
                }
            }
        });
        tokens.stream()
    }
}

/// Sets of a stem cache (see [`StemCache`]; a power of two), each of [`STEM_WAYS`] slots of
/// 32 bytes in one cache line: 2 MB per language. (A larger table, or a small one of the
/// most frequent words in front of it, measured no faster: look-ups wait on memory as it
/// is, and tantivy's own tables compete for the same caches.)
const STEM_SETS: usize = 1 << 15;
const STEM_WAYS: usize = 2;
/// Longest word (and stem) kept in the cache, in bytes (99 % of words are no longer).
const STEM_SLOT_BYTES: usize = 15;
/// `StemSlot::stem_len` of a word whose stem is not indexed.
const NO_STEM: u8 = u8::MAX;

/// A word and its stem, inline.
#[derive(Clone, Copy)]
#[repr(C)]
struct StemSlot {
    word_len: u8,
    stem_len: u8,
    word: [u8; STEM_SLOT_BYTES],
    stem: [u8; STEM_SLOT_BYTES],
}

const EMPTY_SLOT: StemSlot = StemSlot {
    word_len: 0,
    stem_len: NO_STEM,
    word: [0; STEM_SLOT_BYTES],
    stem: [0; STEM_SLOT_BYTES],
};

impl StemSlot {
    fn holds(&self, word: &str) -> bool {
        usize::from(self.word_len) == word.len() && &self.word[..word.len()] == word.as_bytes()
    }

    /// The stem to index (None: the word is its own stem, or has none).
    fn stem(&self) -> Option<&str> {
        (self.stem_len != NO_STEM).then(|| {
            std::str::from_utf8(&self.stem[..usize::from(self.stem_len)])
                .expect("a cached stem is text")
        })
    }
}

/// The slots of one set, in one cache line; the newest first.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct StemSet([StemSlot; STEM_WAYS]);

impl StemSet {
    fn find(&self, word: &str) -> Option<&StemSlot> {
        self.0.iter().find(|s| s.holds(word))
    }

    /// Puts `slot` first, pushing out the oldest.
    fn insert(&mut self, slot: StemSlot) {
        self.0.copy_within(..STEM_WAYS - 1, 1);
        self.0[0] = slot;
    }
}

/// Words seen and their stems, in one language: a set-associative table (a word's set is
/// given by its hash; a new word pushes out the oldest of its set). Word frequencies follow
/// Zipf's law, so it saves most of the stemming. Kept per thread, not per tokenizer, so
/// that it stays warm from one segment to the next (tantivy makes new tokenizers for each).
struct StemCache {
    sets: Vec<StemSet>,
}

impl StemCache {
    const fn new() -> StemCache {
        StemCache { sets: Vec::new() }
    }

    /// The set of `word` (allocating the table on first use).
    fn set_of(&mut self, word: &str) -> &mut StemSet {
        if self.sets.is_empty() {
            self.sets = vec![StemSet([EMPTY_SLOT; STEM_WAYS]); STEM_SETS];
        }
        let mut h = rustc_hash::FxHasher::default();
        h.write(word.as_bytes());
        &mut self.sets[(h.finish() >> (64 - STEM_SETS.trailing_zeros())) as usize]
    }

    /// The cached stem of `word`: Some(None) when it is cached with no stem to index.
    fn get(&mut self, word: &str) -> Option<Option<&str>> {
        if word.len() > STEM_SLOT_BYTES {
            return None;
        }
        self.set_of(word).find(word).map(StemSlot::stem)
    }

    fn put(&mut self, word: &str, stem: Option<&str>) {
        if word.len() > STEM_SLOT_BYTES || stem.is_some_and(|s| s.len() > STEM_SLOT_BYTES) {
            return;
        }
        let mut slot = EMPTY_SLOT;
        slot.word_len = word.len() as u8;
        slot.word[..word.len()].copy_from_slice(word.as_bytes());
        if let Some(s) = stem {
            slot.stem_len = s.len() as u8;
            slot.stem[..s.len()].copy_from_slice(s.as_bytes());
        }
        self.set_of(word).insert(slot);
    }
}

thread_local! {
    /// One per stemming language, allocated on first use.
    static STEM_CACHES: RefCell<[StemCache; 3]> =
        const { RefCell::new([StemCache::new(), StemCache::new(), StemCache::new()]) };
}

/// Stems in one language, only where the stem differs from the folded word (the word itself
/// is in the words field, and queries look for stems there too).
pub struct Stem {
    lang: StemLang,
    stemmers: Arc<Stemmers>,
    tokens: Tokens,
    lower: String,
    folded: String,
}

impl Stem {
    fn new(lang: StemLang, stemmers: Arc<Stemmers>) -> Stem {
        Stem {
            lang,
            stemmers,
            tokens: Tokens::default(),
            lower: String::new(),
            folded: String::new(),
        }
    }
}

impl Clone for Stem {
    fn clone(&self) -> Self {
        Stem::new(self.lang, self.stemmers.clone())
    }
}

impl Tokenizer for Stem {
    type TokenStream<'a> = BufStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufStream<'a> {
        let Stem {
            lang,
            stemmers,
            tokens,
            lower,
            folded,
        } = self;
        tokens.clear();
        let which = StemLang::ALL
            .iter()
            .position(|l| l == lang)
            .expect("a stemming language");
        with_analysis(text, |spans, _| {
            STEM_CACHES.with(|caches| {
                let cache = &mut caches.borrow_mut()[which];
                // Positions count the words of spaced scripts only.
                for (i, sp) in spans.iter().filter(|sp| !sp.sea).enumerate() {
                    let word = &text[sp.start..sp.end];
                    // Short words and numbers have no stem (see `Stemmers::stem_str`): the
                    // most frequent words are short, and ASCII ones are told at a glance.
                    if sp.ascii && (word.len() < 3 || word.bytes().any(|b| b.is_ascii_digit())) {
                        continue;
                    }
                    if let Some(cached) = cache.get(word) {
                        if let Some(stem) = cached {
                            tokens.push(sp.start, sp.end, i).push_str(stem);
                        }
                        continue;
                    }
                    lower.clear();
                    analysis::lower_into(word, lower);
                    folded.clear();
                    sp.folded_into(text, folded);
                    let stem = stemmers.stem_str(*lang, lower).filter(|s| s != folded);
                    cache.put(word, stem.as_deref());
                    if let Some(s) = stem {
                        tokens.push(sp.start, sp.end, i).push_str(&s);
                    }
                }
            })
        });
        tokens.stream()
    }
}

/// Character bigrams of the runs of unspaced scripts (no positions are kept: a query asks
/// for all the bigrams of its word).
#[derive(Clone, Default)]
pub struct Grams {
    tokens: Tokens,
    run: String,
}

impl Tokenizer for Grams {
    type TokenStream<'a> = BufStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufStream<'a> {
        let (tokens, run) = (&mut self.tokens, &mut self.run);
        tokens.clear();
        if text.is_ascii() {
            return tokens.stream();
        }
        with_analysis(text, |_, runs| {
            let mut pos = 0;
            for &(start, end) in runs {
                run.clear();
                analysis::lower_into(&text[start..end], run);
                // As analysis::bigrams: overlapping pairs, or a lone character itself.
                let mut chars = run.chars();
                let Some(mut prev) = chars.next() else {
                    continue;
                };
                let mut any = false;
                for c in chars {
                    let t = tokens.push(start, end, pos);
                    t.push(prev);
                    t.push(c);
                    pos += 1;
                    prev = c;
                    any = true;
                }
                if !any {
                    tokens.push(start, end, pos).push(prev);
                    pos += 1;
                }
            }
        });
        tokens.stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Tok = (String, usize, usize, usize);

    fn tokens<T: Tokenizer>(t: &mut T, s: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        let mut st = t.token_stream(s);
        while st.advance() {
            let t = st.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn texts<T: Tokenizer>(mut t: T, s: &str) -> Vec<(String, usize)> {
        tokens(&mut t, s)
            .into_iter()
            .map(|(w, p, _, _)| (w, p))
            .collect()
    }

    #[test]
    fn tokenizers_agree_with_the_analysis() {
        let s = "Artists of Hóa, วัฒนธรรม";
        let words = texts(Words::default(), s);
        assert_eq!(words[0], ("artists".into(), 0));
        assert_eq!(words[2], ("hoa".into(), 2));
        assert!(words.iter().any(|(w, _)| w == "วัฒนธรรม"));
        assert_eq!(texts(Exact::default(), s), vec![("hóa".into(), 2)]);
        let stem = Stem::new(StemLang::English, Arc::new(Stemmers::default()));
        assert_eq!(texts(stem, s), vec![("artist".into(), 0)]);
        let grams = texts(Grams::default(), s);
        assert_eq!(grams.len(), "วัฒนธรรม".chars().count() - 1);
        assert!(texts(Grams::default(), "plain text").is_empty());
    }

    // The tokenizers as they were first written, straight from the analysis functions: the
    // fast ones must give exactly the same tokens.
    fn reference_words(text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        analysis::spans(
            text,
            true,
            &mut |sp| {
                let pos = out.len();
                out.push((sp.folded(text), pos, sp.start, sp.end));
            },
            &mut |_, _| {},
        );
        out
    }

    fn reference_exact(text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        let mut i = 0;
        analysis::spans(
            text,
            false,
            &mut |sp| {
                if !text[sp.start..sp.end].is_ascii() {
                    let lower = sp.lower(text);
                    if analysis::fold(&lower) != lower {
                        out.push((lower, i, sp.start, sp.end));
                    }
                }
                i += 1;
            },
            &mut |_, _| {},
        );
        out
    }

    fn reference_stem(text: &str, lang: StemLang, stemmers: &Stemmers) -> Vec<Tok> {
        let mut out = Vec::new();
        let mut i = 0;
        analysis::spans(
            text,
            false,
            &mut |sp| {
                if let Some(s) = stemmers
                    .stem_str(lang, &sp.lower(text))
                    .filter(|s| *s != sp.folded(text))
                {
                    out.push((s, i, sp.start, sp.end));
                }
                i += 1;
            },
            &mut |_, _| {},
        );
        out
    }

    fn reference_grams(text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        analysis::spans(text, false, &mut |_| {}, &mut |start, end| {
            for g in analysis::bigrams(&text[start..end].to_lowercase()) {
                let pos = out.len();
                out.push((g, pos, start, end));
            }
        });
        out
    }

    #[test]
    fn fast_tokenizers_give_the_tokens_of_the_reference() {
        let texts = [
            "",
            "plain ASCII text, with numbers 2005 and co-operation",
            "Article 5 – Les Parties s'efforcent de créer un environnement ŒUVRES culturelles",
            "Bộ Văn hóa, Thể thao và Du lịch ĐỜI SỐNG hoá học Nghệ thuật",
            "Kebudayaan dan kesenian tradisional; pelestarian warisan budaya takbenda",
            "กระทรวงวัฒนธรรมส่งเสริมศิลปิน มาตรา 5 ก UNESCOวัฒนธรรม ๏",
            "ການສົ່ງເສີມວັດທະນະທຳ ແລະ ສິລະປະ ការពារបេតិកភណ្ឌ",
            "ΟΔΥΣΣΕΥΣ Σίσυφος ΣΑΣ straße İstanbul ǅemal ﬁnance Ⅻ",
            "e\u{301}te\u{301} ho\u{323}\u{302}i combining ́ marks alone",
            "ffi ﬀ naïve Æsir œuvre Łódź øre ı",
        ];
        let stemmers = Arc::new(Stemmers::default());
        let mut words = Words::default();
        let mut exact = Exact::default();
        let mut grams = Grams::default();
        let mut stems: Vec<Stem> = StemLang::ALL
            .iter()
            .map(|&l| Stem::new(l, stemmers.clone()))
            .collect();
        // Twice: the second time the stems are found in the cache; and the tokenizers
        // interleaved, as tantivy runs them field by field.
        for _ in 0..2 {
            for t in texts {
                assert_eq!(tokens(&mut words, t), reference_words(t), "words: {t}");
                assert_eq!(tokens(&mut exact, t), reference_exact(t), "exact: {t}");
                for (stem, lang) in stems.iter_mut().zip(StemLang::ALL) {
                    assert_eq!(
                        tokens(stem, t),
                        reference_stem(t, lang, &stemmers),
                        "stem {lang:?}: {t}"
                    );
                }
                assert_eq!(tokens(&mut grams, t), reference_grams(t), "grams: {t}");
            }
        }
    }
}

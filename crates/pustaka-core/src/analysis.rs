//! Text analysis shared by indexing, querying and snippets, so the three always agree.
//!
//! - Every text is NFC-normalised on the way in ([`normalize`]).
//! - Words are runs of letters, marks and digits. Runs in Thai, Lao, Khmer or Myanmar script,
//!   which put no spaces between words, are cut into words by ICU4X's dictionary segmenter.
//! - Each word has a lowercase form (exact diacritics) and a folded form (Latin diacritics
//!   removed, so "hóa", "hoá" and "hoa" meet), and, for English, French and
//!   Indonesian/Malay documents, a stem.
//! - Runs in those four scripts also yield overlapping character bigrams, a safety net for
//!   when the segmenter cuts a word differently inside a sentence than alone.

use std::borrow::Cow;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// NFC-normalises `s` and drops control characters other than newline and tab.
pub fn normalize(s: &str) -> String {
    if is_clean_nfc(s) {
        return s.to_string();
    }
    normalize_slow(s)
}

/// [`normalize`] in place: a text that is already clean NFC (most are) is left as it is,
/// with no copy.
pub fn normalize_in_place(s: &mut String) {
    if !is_clean_nfc(s) {
        *s = normalize_slow(s);
    }
}

/// No control characters but newline and tab, no BOM, and NFC. Exactly what
/// `is_nfc_quick` answers Yes to, with the control characters' test in the same pass and
/// the properties of U+0080..U+1FFF from a table.
fn is_clean_nfc(s: &str) -> bool {
    if s.is_ascii() {
        // ASCII is NFC; its control characters are below 0x20, and DEL.
        return !s
            .bytes()
            .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F);
    }
    let table = &*NFC_INFO;
    let mut last_cc = 0u8;
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_control() && c != '\n' && c != '\t' {
                return false;
            }
            last_cc = 0;
            continue;
        }
        let (cc, clean) = match table.get(c as usize - 0x80) {
            Some(&info) => info,
            None => nfc_info(c),
        };
        if !clean || (last_cc > cc && cc != 0) {
            return false;
        }
        last_cc = cc;
    }
    true
}

/// A character's canonical combining class, and whether it may stay as it is in a clean
/// NFC text (NFC quick check Yes, not a control character or BOM).
fn nfc_info(c: char) -> (u8, bool) {
    let yes = unicode_normalization::is_nfc_quick(std::iter::once(c))
        == unicode_normalization::IsNormalized::Yes;
    (
        unicode_normalization::char::canonical_combining_class(c),
        yes && !c.is_control() && c != '\u{FEFF}',
    )
}

/// [`nfc_info`] of U+0080..U+1FFF.
static NFC_INFO: std::sync::LazyLock<Vec<(u8, bool)>> = std::sync::LazyLock::new(|| {
    (0x80u32..0x2000)
        .map(|u| char::from_u32(u).map_or((0, false), nfc_info))
        .collect()
});

fn normalize_slow(s: &str) -> String {
    let needs_clean = s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' || c == '\u{FEFF}');
    let cleaned: Cow<str> = if needs_clean {
        Cow::Owned(
            s.replace("\r\n", "\n")
                .chars()
                .map(|c| if c == '\r' { '\n' } else { c })
                .filter(|&c| !(c.is_control() && c != '\n' && c != '\t') && c != '\u{FEFF}')
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    };
    if unicode_normalization::is_nfc_quick(cleaned.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        cleaned.into_owned()
    } else {
        cleaned.nfc().collect()
    }
}

/// Scripts written without spaces between words, which need a segmenter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeaScript {
    Thai,
    Lao,
    Khmer,
    Myanmar,
}

pub fn sea_script(c: char) -> Option<SeaScript> {
    match c as u32 {
        0x0E00..=0x0E7F => Some(SeaScript::Thai),
        0x0E80..=0x0EFF => Some(SeaScript::Lao),
        0x1780..=0x17FF | 0x19E0..=0x19FF => Some(SeaScript::Khmer),
        0x1000..=0x109F | 0xA9E0..=0xA9FF | 0xAA60..=0xAA7F => Some(SeaScript::Myanmar),
        _ => None,
    }
}

/// A combining mark (Thai vowel signs and tone marks are marks, for example).
pub fn is_mark(c: char) -> bool {
    is_combining_mark(c)
}

/// Letters, digits and marks. Common scripts take a fast path; the general Unicode tables
/// are slow enough to show in indexing profiles.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        // Latin-1 letters and Latin Extended-A/B, but × and ÷.
        0xC0..=0x24F => c != '×' && c != '÷',
        0x300..=0x36F | 0x1E00..=0x1EFF => true,
        // Thai letters, vowels, marks and digits (not ฿, ๏, ๚, ๛).
        0x0E01..=0x0E3A | 0x0E40..=0x0E4E | 0x0E50..=0x0E59 => true,
        _ => c.is_alphanumeric() || is_combining_mark(c) || c == '\u{200C}' || c == '\u{200D}',
    }
}

/// A letter or digit (not a mark), with the same fast path.
#[inline]
fn is_base_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        0xC0..=0x24F => c != '×' && c != '÷',
        0x1E00..=0x1EFF => true,
        0x0E01..=0x0E30 | 0x0E32..=0x0E33 | 0x0E40..=0x0E46 | 0x0E50..=0x0E59 => true,
        _ => c.is_alphanumeric(),
    }
}

/// Where a word is in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// In a script without spaces (Thai, Lao, Khmer, Myanmar).
    pub sea: bool,
    /// All ASCII.
    pub ascii: bool,
}

impl Span {
    /// Lowercase form, exact diacritics.
    pub fn lower(&self, text: &str) -> String {
        let s = &text[self.start..self.end];
        if s.is_ascii() {
            s.to_ascii_lowercase()
        } else {
            s.to_lowercase()
        }
    }

    /// Lowercase form with Latin diacritics folded away.
    pub fn folded(&self, text: &str) -> String {
        let s = &text[self.start..self.end];
        if s.is_ascii() {
            s.to_ascii_lowercase()
        } else if self.sea {
            s.to_lowercase()
        } else {
            fold(&s.to_lowercase())
        }
    }

    /// Appends [`Span::folded`] to `out` (without allocating, for the indexing tokenizers).
    pub fn folded_into(&self, text: &str, out: &mut String) {
        let s = &text[self.start..self.end];
        if self.ascii {
            push_ascii_lower(s, out);
        } else if self.sea {
            lower_into(s, out);
        } else {
            lower_fold_into(s, out);
        }
    }
}

/// Appends `s.to_lowercase()` to `out`, without allocating when `s` holds no capital sigma
/// (whose lowercase depends on its place in the word).
#[inline]
pub fn lower_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        push_ascii_lower(s, out);
        return;
    }
    map_chars_into(
        s,
        out,
        &LOWER,
        |c, out| out.extend(c.to_lowercase()),
        |s| s.to_lowercase(),
    );
}

/// Appends `fold(&s.to_lowercase())` to `out`, character by character through a table for
/// the scripts most words are in: folding and lowercasing act on each character alone
/// (diacritics, the only thing canonical reordering moves, are dropped), but for the
/// capital sigma, whose words take the slow path.
#[inline]
pub fn lower_fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        push_ascii_lower(s, out);
        return;
    }
    map_chars_into(s, out, &LOWER_FOLD, lower_fold_char_slow, |s| {
        fold(&s.to_lowercase())
    });
}

/// Appends an ASCII word lowercased to `out` (byte by byte: words are short).
#[inline]
pub fn push_ascii_lower(s: &str, out: &mut String) {
    out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
}

/// Appends `s` mapped character by character to `out`: ASCII lowercased, U+0080..U+1FFF
/// through `table`, others by `slow`; a text with a capital sigma goes whole through
/// `whole`.
fn map_chars_into(
    s: &str,
    out: &mut String,
    table: &CharTable,
    slow: fn(char, &mut String),
    whole: fn(&str) -> String,
) {
    if s.contains('Σ') {
        out.push_str(&whole(s));
        return;
    }
    let table = &**table;
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match table.get(c as usize - 0x80) {
            Some(&[SLOW, _]) | None => slow(c, out),
            Some(&[a, b]) => {
                if a != '\0' {
                    out.push(a);
                }
                if b != '\0' {
                    out.push(b);
                }
            }
        }
    }
}

/// Marks a character of a [`CharTable`] whose mapping is longer than two characters.
const SLOW: char = '\u{FFFF}';

/// A mapping of the characters U+0080..U+1FFF, each to up to two characters ('\0': none).
type CharTable = std::sync::LazyLock<Vec<[char; 2]>>;

fn char_table(map: fn(char, &mut String)) -> Vec<[char; 2]> {
    (0x80u32..0x2000)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return [SLOW, '\0'];
            };
            let mut s = String::new();
            map(c, &mut s);
            let mut it = s.chars();
            match (it.next(), it.next(), it.next()) {
                (None, _, _) => ['\0', '\0'],
                (Some(a), None, _) => [a, '\0'],
                (Some(a), Some(b), None) => [a, b],
                _ => [SLOW, '\0'],
            }
        })
        .collect()
}

/// `lowercase(c)`, and `fold(lowercase(c))`.
static LOWER: CharTable = CharTable::new(|| char_table(|c, out| out.extend(c.to_lowercase())));
static LOWER_FOLD: CharTable = CharTable::new(|| char_table(lower_fold_char_slow));

/// `fold(lowercase(c))` for one character (not a capital sigma).
fn lower_fold_char_slow(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        unicode_normalization::char::decompose_canonical(l, |d| fold_char(d, out));
    }
}

/// The folding of one character of an NFD string.
#[inline]
fn fold_char(c: char, out: &mut String) {
    if is_combining_mark(c) {
        return;
    }
    match c {
        'đ' | 'ð' => out.push('d'),
        'ø' => out.push('o'),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'ß' => out.push_str("ss"),
        'ł' => out.push('l'),
        'ı' => out.push('i'),
        _ => out.push(c),
    }
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the analysed text.
    pub start: usize,
    pub end: usize,
    /// Lowercase, exact diacritics.
    pub lower: String,
    /// Lowercase, Latin diacritics folded away.
    pub folded: String,
    /// In a script without spaces (Thai, Lao, Khmer, Myanmar).
    pub sea: bool,
}

/// A run of Thai/Lao/Khmer/Myanmar text, for the bigram field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeaRun {
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into words (and reports the runs of unspaced scripts).
pub fn words(text: &str) -> (Vec<Word>, Vec<SeaRun>) {
    scan(text, true)
}

/// Like [`words`]; with `segment_sea` false, runs of unspaced scripts are reported but not
/// cut into words (cheaper, for consumers that only want spaced-script words).
pub fn scan(text: &str, segment_sea: bool) -> (Vec<Word>, Vec<SeaRun>) {
    let mut out = Vec::new();
    let mut runs = Vec::new();
    spans(
        text,
        segment_sea,
        &mut |sp| {
            let lower = sp.lower(text);
            let folded = if sp.sea || lower.is_ascii() {
                lower.clone()
            } else {
                fold(&lower)
            };
            out.push(Word {
                start: sp.start,
                end: sp.end,
                lower,
                folded,
                sea: sp.sea,
            });
        },
        &mut |start, end| runs.push(SeaRun { start, end }),
    );
    (out, runs)
}

/// The words of `text` as spans, in order, without allocating; `on_run` gets each run of
/// unspaced script (before its words). With `segment_sea` false, such runs are not cut into
/// words.
pub fn spans(
    text: &str,
    segment_sea: bool,
    on_word: &mut dyn FnMut(Span),
    on_run: &mut dyn FnMut(usize, usize),
) {
    // Byte by byte, with characters decoded only outside ASCII: most text is ASCII.
    let bytes = text.as_bytes();
    let char_at = |i: usize| text[i..].chars().next().expect("a character starts here");
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let c = char_at(i);
            if !is_word_char(c) {
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        let mut ascii = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(i);
                if !is_word_char(c) {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
        }
        if ascii {
            // Every ASCII word character is a letter or digit: only the length can fail.
            if i - start <= MAX_WORD_BYTES {
                on_word(Span {
                    start,
                    end: i,
                    sea: false,
                    ascii: true,
                });
            }
        } else {
            split_run(text, start, i, segment_sea, on_word, on_run);
        }
    }
}

/// Splits one run of word characters into script-homogeneous parts; unspaced parts go
/// through the segmenter.
fn split_run(
    text: &str,
    start: usize,
    end: usize,
    segment_sea: bool,
    on_word: &mut dyn FnMut(Span),
    on_run: &mut dyn FnMut(usize, usize),
) {
    let run = &text[start..end];
    // Cut the run where it moves into or out of an unspaced script. Combining marks stay
    // with the character before them.
    let mut part_start = start;
    let mut part_sea: Option<bool> = None;
    for (i, c) in run.char_indices() {
        let pos = start + i;
        let this_sea = match part_sea {
            Some(s) if is_combining_mark(c) => s,
            _ => sea_script(c).is_some(),
        };
        match part_sea {
            None => part_sea = Some(this_sea),
            Some(s) if s != this_sea => {
                emit_part(text, part_start, pos, s, segment_sea, on_word, on_run);
                part_start = pos;
                part_sea = Some(this_sea);
            }
            _ => {}
        }
    }
    emit_part(
        text,
        part_start,
        end,
        part_sea.unwrap_or(false),
        segment_sea,
        on_word,
        on_run,
    );
}

fn emit_part(
    text: &str,
    start: usize,
    end: usize,
    sea: bool,
    segment_sea: bool,
    on_word: &mut dyn FnMut(Span),
    on_run: &mut dyn FnMut(usize, usize),
) {
    if start >= end {
        return;
    }
    if !sea {
        emit_word(text, start, end, false, on_word);
        return;
    }
    on_run(start, end);
    if !segment_sea {
        return;
    }
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let part = &text[start..end];
    let mut prev = 0;
    for b in segmenter.segment_str(part) {
        if b > prev {
            emit_word(text, start + prev, start + b, true, on_word);
        }
        prev = b;
    }
    if prev < part.len() {
        emit_word(text, start + prev, end, true, on_word);
    }
}

/// Longest word kept, in bytes; longer runs are noise (or hostile) and are not indexed.
pub const MAX_WORD_BYTES: usize = 120;

fn emit_word(text: &str, start: usize, end: usize, sea: bool, on_word: &mut dyn FnMut(Span)) {
    let s = &text[start..end];
    if s.len() > MAX_WORD_BYTES || !s.chars().any(is_base_char) {
        return;
    }
    on_word(Span {
        start,
        end,
        sea,
        ascii: s.is_ascii(),
    });
}

/// Removes Latin (and Greek, Cyrillic) diacritics: "văn hóa" → "van hoa", "đ" → "d".
pub fn fold(lower: &str) -> String {
    if lower.is_ascii() {
        return lower.to_string();
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        fold_char(c, &mut out);
    }
    out
}

/// Stemmers for the languages whose words inflect with affixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StemLang {
    English,
    French,
    Indonesian,
}

impl StemLang {
    pub const ALL: [StemLang; 3] = [StemLang::English, StemLang::French, StemLang::Indonesian];

    /// The stemmer for a BCP 47 tag, if we have one. Malay shares Indonesian's.
    pub fn for_language(tag: &str) -> Option<StemLang> {
        let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(StemLang::English),
            "fr" => Some(StemLang::French),
            "id" | "ms" | "zsm" | "ind" | "msa" => Some(StemLang::Indonesian),
            _ => None,
        }
    }
}

/// Holds the stemmers; cheap to share.
pub struct Stemmers {
    en: rust_stemmers::Stemmer,
    fr: rust_stemmers::Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            en: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            fr: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French),
        }
    }
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers")
    }
}

impl Stemmers {
    /// The folded stem of a word, or None where stemming does not apply (numbers,
    /// unspaced scripts, very short words).
    pub fn stem(&self, lang: StemLang, word: &Word) -> Option<String> {
        if word.sea {
            return None;
        }
        self.stem_str(lang, &word.lower)
    }

    /// The folded stem of a lowercase word of a spaced script.
    pub fn stem_str(&self, lang: StemLang, lower: &str) -> Option<String> {
        if lower.chars().count() < 3 || lower.chars().any(|c| c.is_numeric()) {
            return None;
        }
        let stemmed: Cow<str> = match lang {
            StemLang::English => self.en.stem(lower),
            StemLang::French => self.fr.stem(lower),
            StemLang::Indonesian => {
                waken_snowball::stem(waken_snowball::Algorithm::Indonesian, lower)
            }
        };
        Some(fold(&stemmed))
    }
}

/// Overlapping character bigrams of a run of unspaced script; a single character yields
/// itself.
pub fn bigrams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() < 2 {
        return chars.iter().map(|c| c.to_string()).collect();
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// Guesses a BCP 47 language tag from the text itself.
pub fn detect_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(20_000).collect();
    let mut letters = 0usize;
    let mut counts = [0usize; 4];
    for c in sample.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if let Some(s) = sea_script(c) {
                counts[s as usize] += 1;
            }
        }
    }
    if letters == 0 {
        return None;
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    if n * 3 >= letters {
        return Some(["th", "lo", "km", "my"][best].to_string());
    }
    let info = whatlang::detect(&sample)?;
    if info.confidence() < 0.2 {
        return None;
    }
    use whatlang::Lang::*;
    let tag = match info.lang() {
        Eng => "en",
        Fra => "fr",
        Vie => "vi",
        Ind => "id",
        Tgl => "fil",
        Tha => "th",
        Khm => "km",
        Mya => "my",
        Spa => "es",
        Por => "pt",
        Deu => "de",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Hin => "hi",
        other => other.code(),
    };
    Some(tag.to_string())
}

/// Very common words that carry no meaning in a question; dropped from natural-language
/// queries when other words remain.
pub fn is_stopword(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        // English
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "say",
        "says",
        "that",
        "the",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "about",
        "there",
        "their",
        "its",
        // French
        "au",
        "aux",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "est",
        "et",
        "il",
        "la",
        "le",
        "les",
        "leur",
        "par",
        "pour",
        "qu",
        "que",
        "qui",
        "quoi",
        "sur",
        "un",
        "une",
        // Indonesian / Malay
        "dan",
        "di",
        "ke",
        "dari",
        "yang",
        "untuk",
        "dengan",
        "pada",
        "adalah",
        "itu",
        "ini",
        "apa",
        "bagaimana",
    ];
    WORDS.contains(&folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` strings of 1 to `max_parts` pieces drawn from `pool` (xorshift from `seed`:
    /// the same strings every run).
    fn random_strings(pool: &[&str], seed: u64, max_parts: u64, count: usize) -> Vec<String> {
        let mut x = seed;
        (0..count)
            .map(|_| {
                let n = (x % max_parts) as usize + 1;
                let mut w = String::new();
                for _ in 0..n {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    w.push_str(pool[(x % pool.len() as u64) as usize]);
                }
                w
            })
            .collect()
    }

    fn folded(text: &str) -> Vec<String> {
        words(text).0.into_iter().map(|w| w.folded).collect()
    }

    #[test]
    fn folds_vietnamese_tone_placements_together() {
        assert_eq!(folded("Văn hóa"), vec!["van", "hoa"]);
        assert_eq!(folded("văn hoá"), vec!["van", "hoa"]);
        assert_eq!(folded("Đời sống"), vec!["doi", "song"]);
        let w = &words("hóa").0[0];
        assert_eq!(w.lower, "hóa");
    }

    #[test]
    fn splits_latin_on_punctuation() {
        assert_eq!(
            folded("l'artiste, co-operation (2005)"),
            vec!["l", "artiste", "co", "operation", "2005"]
        );
    }

    #[test]
    fn segments_thai_inside_a_sentence() {
        let (ws, runs) = words("กระทรวงวัฒนธรรมส่งเสริมศิลปิน");
        assert!(ws.len() >= 3, "{ws:?}");
        assert!(ws.iter().all(|w| w.sea));
        assert_eq!(runs.len(), 1);
        assert!(ws.iter().any(|w| w.folded == "วัฒนธรรม"), "{ws:?}");
    }

    #[test]
    fn keeps_mixed_scripts_apart() {
        let (ws, _) = words("UNESCOวัฒนธรรม");
        assert_eq!(ws[0].folded, "unesco");
        assert!(ws[1].sea);
    }

    #[test]
    fn stems_by_language() {
        let s = Stemmers::default();
        let w = |t: &str| words(t).0.remove(0);
        assert_eq!(
            s.stem(StemLang::English, &w("artists")),
            s.stem(StemLang::English, &w("artist"))
        );
        assert_eq!(
            s.stem(StemLang::French, &w("culturelles")),
            s.stem(StemLang::French, &w("culturel"))
        );
        assert_eq!(
            s.stem(StemLang::Indonesian, &w("kebudayaan")).as_deref(),
            Some("budaya")
        );
    }

    #[test]
    fn detects_languages() {
        assert_eq!(detect_language("The Parties shall endeavour to support cooperation for sustainable development and poverty reduction").as_deref(), Some("en"));
        assert_eq!(
            detect_language("ການສົ່ງເສີມວັດທະນະທຳ ແລະ ສິລະປະ").as_deref(),
            Some("lo")
        );
        assert_eq!(detect_language("Bộ Văn hóa, Thể thao và Du lịch ban hành chiến lược phát triển các ngành công nghiệp văn hóa").as_deref(), Some("vi"));
    }

    #[test]
    fn fast_lowercasing_and_folding_agree_with_the_definitions() {
        // Folding character by character is right only if every character that canonical
        // ordering may move is a mark (and so dropped).
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if unicode_normalization::char::canonical_combining_class(c) != 0 {
                assert!(is_combining_mark(c), "{c:?}");
            }
        }
        let check = |s: &str| {
            let mut out = String::from("x");
            lower_into(s, &mut out);
            assert_eq!(out[1..], s.to_lowercase(), "lower {s:?}");
            out.truncate(1);
            lower_fold_into(s, &mut out);
            assert_eq!(out[1..], fold(&s.to_lowercase()), "fold {s:?}");
        };
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            check(&c.to_string());
        }
        // Words made of characters of many scripts, marks and capital sigmas.
        let chars: Vec<String> = "aZéÉĐđŒœßẞİıΣσςΟΔΥǅﬁⅫ\u{301}\u{323}\u{302}ệỆกัวัฒນທ្ណ"
            .chars()
            .map(String::from)
            .collect();
        let pool: Vec<&str> = chars.iter().map(String::as_str).collect();
        for w in random_strings(&pool, 12345, 7, 20_000) {
            check(&w);
        }
    }

    /// `spans` as first written, character by character.
    fn reference_spans(text: &str, segment_sea: bool) -> (Vec<Span>, Vec<(usize, usize)>) {
        let (mut words, mut runs) = (Vec::new(), Vec::new());
        let (on_word, on_run) = (&mut |sp: Span| words.push(sp), &mut |s: usize, e: usize| {
            runs.push((s, e))
        });
        let mut iter = text.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            let mut ascii = c.is_ascii();
            while let Some(&(i, c2)) = iter.peek() {
                if is_word_char(c2) {
                    end = i + c2.len_utf8();
                    ascii &= c2.is_ascii();
                    iter.next();
                } else {
                    break;
                }
            }
            if ascii {
                emit_word(text, start, end, false, on_word);
            } else {
                split_run(text, start, end, segment_sea, on_word, on_run);
            }
        }
        (words, runs)
    }

    #[test]
    fn spans_agree_with_the_reference() {
        let pool: Vec<&str> = vec![
            "a",
            "Z",
            "9",
            " ",
            ",",
            "-",
            "'",
            "\n",
            "é",
            "Đ",
            "\u{301}",
            "×",
            "ก",
            "ั",
            "วัฒนธรรม",
            "ທ",
            "ក",
            "မ",
            "\u{200C}",
            "ǅ",
            "٣",
            "中",
            "…",
            "🙂",
            "x".repeat(130).leak(),
        ];
        for t in random_strings(&pool, 424242, 12, 5_000) {
            for segment in [false, true] {
                let (mut words, mut runs) = (Vec::new(), Vec::new());
                spans(
                    t.as_str(),
                    segment,
                    &mut |sp| words.push(sp),
                    &mut |s, e| runs.push((s, e)),
                );
                assert_eq!((words, runs), reference_spans(&t, segment), "{t:?}");
            }
        }
    }

    #[test]
    fn the_clean_nfc_test_agrees_with_its_definition() {
        let reference = |s: &str| {
            !s.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' || c == '\u{FEFF}')
                && unicode_normalization::is_nfc_quick(s.chars())
                    == unicode_normalization::IsNormalized::Yes
        };
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("a{c}"), format!("{c}\u{301}\u{323}")] {
                assert_eq!(is_clean_nfc(&s), reference(&s), "{s:?}");
            }
        }
        let chars: Vec<String> =
            "aé\u{301}\u{323}\u{302}\u{0E48}\u{0E38}กัệ\u{85}\u{FEFF}\t\u{7}Å\u{30A}"
                .chars()
                .map(String::from)
                .collect();
        let pool: Vec<&str> = chars.iter().map(String::as_str).collect();
        for w in random_strings(&pool, 987654321, 6, 20_000) {
            assert_eq!(is_clean_nfc(&w), reference(&w), "{w:?}");
        }
    }

    #[test]
    fn normalizes_to_nfc() {
        let decomposed = "ho\u{0301}a";
        assert_eq!(normalize(decomposed), "hóa");
        assert_eq!(normalize("a\u{0}b\r\nc\rd"), "ab\nc\nd");
        for s in [
            "plain",
            "tab\tand\nnewline",
            "del\u{7f}",
            "bell\u{7}",
            "ho\u{0301}a\u{85}",
            "\u{FEFF}bom",
            "hóa",
            "e\u{0301}\r\n",
        ] {
            let mut t = s.to_string();
            normalize_in_place(&mut t);
            assert_eq!(t, normalize_slow(s), "{s:?}");
            assert_eq!(normalize(s), normalize_slow(s), "{s:?}");
        }
    }
}

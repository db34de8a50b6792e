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
    on_word(Span { start, end, sea });
}

/// Removes Latin (and Greek, Cyrillic) diacritics: "văn hóa" → "van hoa", "đ" → "d".
pub fn fold(lower: &str) -> String {
    if lower.is_ascii() {
        return lower.to_string();
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if is_combining_mark(c) {
            continue;
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
    fn normalizes_to_nfc() {
        let decomposed = "ho\u{0301}a";
        assert_eq!(normalize(decomposed), "hóa");
        assert_eq!(normalize("a\u{0}b\r\nc\rd"), "ab\nc\nd");
    }
}

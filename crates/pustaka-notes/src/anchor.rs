//! Re-anchoring: placing annotations again after their document was re-ingested with
//! changed text, or marking them orphans when their text is gone.
//!
//! An annotation's [`Target`] holds its passage anchor, a character range in that passage,
//! the quoted text with some context before and after it, and a hash of the passage's text
//! when it was annotated. [`locate`] looks for it in the current version of the document, in
//! this order:
//!
//! 1. **Unchanged**: the passage with the same anchor has the same text (same hash) and the
//!    quote is still at the same range.
//! 2. **Exact, same passage**: the quote occurs in the passage with the same anchor. When it
//!    occurs several times, the occurrence whose surrounding text agrees best with the saved
//!    prefix and suffix wins, then the one nearest the old position.
//! 3. **Exact, elsewhere**: the quote occurs in other passages (the passage moved, say the
//!    articles were renumbered). Best context agreement wins, then the passage nearest the old
//!    one in document order. A quote shorter than [`DISTINCTIVE_CHARS`] is too common to be
//!    trusted alone: it is only placed elsewhere if at least [`CONTEXT_GATE`] characters of
//!    its context (or all of it, when it had less) agree.
//! 4. **Fuzzy**: an approximate match of the quote (semi-global Levenshtein distance over
//!    characters, computed with a bit-parallel algorithm), searched in the passage with the
//!    same anchor and in the [`FUZZY_CANDIDATES`] passages sharing the most character
//!    trigrams with the quote (passages that cannot hold a close enough match are skipped).
//!    A match is accepted when its distance is at most [`max_distance`] (a quarter of the
//!    quote's length in characters, at least 1). Smallest distance wins, then context
//!    agreement, then the old passage, then the nearest passage. Quotes shorter than
//!    [`FUZZY_MIN_CHARS`] are only placed exactly, and fuzzy matches of quotes shorter than
//!    [`DISTINCTIVE_CHARS`] must pass the same context gate as in step 3.
//! 5. Otherwise the annotation cannot be placed: it becomes an orphan, kept with its quote.
//!
//! All positions are in characters (Unicode scalar values), like the model's, so Thai, Khmer
//! or Vietnamese text is handled like any other.
//!
//! Cost: a 1 MB document of 2,000 passages costs one substring search per passage, and, only
//! when the quote is not found exactly, one pass over its characters for the trigram filter
//! and the approximate search in at most 17 passages (about 8 ms in a release build for a
//! 200-character quote). The approximate search is bounded by `FUZZY_WORK_LIMIT`: a very
//! long quote in a very long passage is only searched where exact pieces of it (probes) are
//! found, and what cannot be searched within the limit is not.

use std::collections::HashMap;

use pustaka_core::Document;

use crate::model::{
    Anchoring, Annotation, CONTEXT_CHARS, Target, char_slice, passage_hash, quote_at,
};

/// Quotes shorter than this (in characters) are only placed by exact match.
pub const FUZZY_MIN_CHARS: usize = 4;
/// Quotes at least this long (in characters) are placed outside their passage, or fuzzily,
/// on their own; shorter ones also need their context to agree ([`CONTEXT_GATE`]).
pub const DISTINCTIVE_CHARS: usize = 12;
/// Characters of context that must agree to place a short quote elsewhere or fuzzily.
pub const CONTEXT_GATE: usize = 6;
/// Passages (besides the annotation's own) searched for a fuzzy match.
pub const FUZZY_CANDIDATES: usize = 16;
/// Occurrences of a quote considered in one document (bounds the work for tiny quotes).
const MAX_OCCURRENCES: usize = 20_000;
/// Fuzzy match ends kept per passage before choosing.
const MAX_FUZZY_ENDS: usize = 32;
/// The most work spent on fuzzy matching for one target, in 64-row block steps (one text
/// character against 64 quote characters; 32 million take some tens of milliseconds in a
/// release build). Only very long quotes in very long passages get near it: a passage that
/// cannot be scanned whole within half of it is scanned only around its probe hits
/// ([`probe_regions`]), and passages left when it is spent are not searched.
const FUZZY_WORK_LIMIT: usize = 32_000_000;

/// The largest edit distance (in characters) accepted for a fuzzy match of a quote of
/// `quote_chars` characters: a quarter of its length, at least 1.
pub fn max_distance(quote_chars: usize) -> usize {
    (quote_chars / 4).max(1)
}

/// Where a target now is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The passage's anchor.
    pub anchor: String,
    /// The range in that passage's text, in characters, end exclusive.
    pub start: usize,
    pub end: usize,
    pub how: Match,
}

/// How a target was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Same passage, same text, same range.
    Unchanged,
    /// The quote was found exactly (in its passage at another place, or in another passage).
    Exact,
    /// An approximate match of the quote was found.
    Fuzzy,
}

/// Finds where `target` now is in `doc` (the current version). None = cannot be placed.
pub fn locate(target: &Target, doc: &Document) -> Option<Placement> {
    locate_index(target, doc).map(|(pidx, start, end, how)| Placement {
        anchor: doc.passages[pidx].anchor.clone(),
        start,
        end,
        how,
    })
}

/// Returns the annotation re-placed in `doc`.
///
/// When placed: the target gets the new anchor, range and quote (with fresh context), and
/// `doc_hash = doc.content_hash`; `passage_hash` keeps the hash of the text that was
/// annotated, so an annotation stays "changed" until the user confirms it. Anchoring is
/// [`Anchoring::Attached`] when the passage's text is the one annotated (and the quote was
/// found exactly), else [`Anchoring::Changed`]. The citation and document title are refreshed.
///
/// When not placed: an [`Anchoring::Orphan`] that keeps its old target (anchor, range, quote,
/// citation) except `doc_hash`, so it still says what it quoted and where from. Its
/// `doc_title` is refreshed, since the document itself is still there.
///
/// `modified` is not touched: re-anchoring is not an edit by the user.
pub fn reanchor(a: &Annotation, doc: &Document) -> Annotation {
    let mut out = a.clone();
    out.target.doc_hash = doc.content_hash.clone();
    out.doc_title = doc.meta.title.clone();
    match locate_index(&a.target, doc) {
        Some((pidx, start, end, how)) => {
            let passage = &doc.passages[pidx];
            out.target.anchor = passage.anchor.clone();
            out.target.start = start;
            out.target.end = end;
            out.target.quote = quote_at(&passage.text, start, end);
            let same_text = passage_hash(&passage.text) == a.target.passage_hash;
            out.anchoring = if same_text && how != Match::Fuzzy {
                Anchoring::Attached
            } else {
                Anchoring::Changed
            };
            out.citation = passage.citation(&doc.meta.citation_title());
        }
        None => out.anchoring = Anchoring::Orphan,
    }
    out
}

/// For a removed document: the annotation as an orphan (nothing else changes).
pub fn orphan(a: &Annotation) -> Annotation {
    let mut out = a.clone();
    out.anchoring = Anchoring::Orphan;
    out
}

/// The quote being looked for, as characters.
struct Quote<'a> {
    exact: &'a str,
    chars: Vec<char>,
    prefix: Vec<char>,
    suffix: Vec<char>,
    old_start: usize,
}

impl Quote<'_> {
    /// The context agreement a short quote needs to be placed outside its passage or fuzzily.
    fn gate(&self) -> usize {
        if self.chars.len() >= DISTINCTIVE_CHARS {
            0
        } else {
            CONTEXT_GATE.min(self.prefix.len() + self.suffix.len())
        }
    }

    /// How well the text around `start..end` agrees with the saved context: the number of
    /// characters that agree going outwards from each end, plus one for each side where the
    /// saved context was cut short by the passage's edge and the candidate sits at the same
    /// distance from its own passage's edge.
    fn context(&self, text: &[char], start: usize, end: usize) -> usize {
        let before = &text[..start];
        let after = &text[end..];
        let mut pre = before
            .iter()
            .rev()
            .zip(self.prefix.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        if pre == self.prefix.len() && before.len() == pre && pre < CONTEXT_CHARS {
            pre += 1;
        }
        let mut suf = after
            .iter()
            .zip(&self.suffix)
            .take_while(|(a, b)| a == b)
            .count();
        if suf == self.suffix.len() && after.len() == suf && suf < CONTEXT_CHARS {
            suf += 1;
        }
        pre + suf
    }
}

/// A possible placement.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    pidx: usize,
    start: usize,
    end: usize,
    dist: usize,
    context: usize,
}

/// `(passage index, start, end, how)`.
fn locate_index(target: &Target, doc: &Document) -> Option<(usize, usize, usize, Match)> {
    let exact = target.quote.exact.as_str();
    if exact.is_empty() {
        return None;
    }
    let old = doc.passages.iter().position(|p| p.anchor == target.anchor);

    // 1. Unchanged.
    if let Some(pidx) = old {
        let text = &doc.passages[pidx].text;
        if passage_hash(text) == target.passage_hash
            && target.end > target.start
            && char_slice(text, target.start, target.end) == exact
        {
            return Some((pidx, target.start, target.end, Match::Unchanged));
        }
    }

    let quote = Quote {
        exact,
        chars: exact.chars().collect(),
        prefix: target.quote.prefix.chars().collect(),
        suffix: target.quote.suffix.chars().collect(),
        old_start: target.start,
    };
    // Distance in document order from the old passage (or from the start when it is gone).
    let passage_distance = |pidx: usize| match old {
        Some(o) => pidx.abs_diff(o),
        None => pidx,
    };
    let offset = |c: &Candidate| c.start.abs_diff(quote.old_start);

    // 2. Exact, in the same passage.
    if let Some(pidx) = old {
        let found = exact_candidates(&doc.passages[pidx].text, pidx, &quote, &mut 0);
        if let Some(best) = found
            .iter()
            .max_by(|a, b| a.context.cmp(&b.context).then(offset(b).cmp(&offset(a))))
        {
            return Some((pidx, best.start, best.end, Match::Exact));
        }
    }

    // 3. Exact, elsewhere.
    let gate = quote.gate();
    let mut budget = 0;
    let mut best: Option<Candidate> = None;
    for (pidx, p) in doc.passages.iter().enumerate() {
        if Some(pidx) == old || budget >= MAX_OCCURRENCES {
            continue;
        }
        for c in exact_candidates(&p.text, pidx, &quote, &mut budget) {
            if c.context < gate {
                continue;
            }
            let better = match &best {
                None => true,
                Some(b) => c
                    .context
                    .cmp(&b.context)
                    .then(passage_distance(b.pidx).cmp(&passage_distance(c.pidx)))
                    .then(b.pidx.cmp(&c.pidx))
                    .then(offset(b).cmp(&offset(&c)))
                    .is_gt(),
            };
            if better {
                best = Some(c);
            }
        }
    }
    if let Some(b) = best {
        return Some((b.pidx, b.start, b.end, Match::Exact));
    }

    // 4. Fuzzy.
    let m = quote.chars.len();
    if m < FUZZY_MIN_CHARS {
        return None;
    }
    let k = max_distance(m);
    let mut passages: Vec<usize> = old.into_iter().collect();
    passages.extend(trigram_candidates(doc, &quote.chars, k, old));
    let forward = Pattern::new(quote.chars.iter().copied());
    let backward = Pattern::new(quote.chars.iter().rev().copied());
    let mut best: Option<Candidate> = None;
    let mut work = FUZZY_WORK_LIMIT;
    for pidx in passages {
        let text: Vec<char> = doc.passages[pidx].text.chars().collect();
        for (start, end, dist) in
            fuzzy_matches(&forward, &backward, &quote.chars, &text, k, &mut work)
        {
            let context = quote.context(&text, start, end);
            if context < gate {
                continue;
            }
            let c = Candidate {
                pidx,
                start,
                end,
                dist,
                context,
            };
            let better = match &best {
                None => true,
                Some(b) => b
                    .dist
                    .cmp(&c.dist)
                    .then(c.context.cmp(&b.context))
                    .then((Some(c.pidx) == old).cmp(&(Some(b.pidx) == old)))
                    .then(passage_distance(b.pidx).cmp(&passage_distance(c.pidx)))
                    .then(b.pidx.cmp(&c.pidx))
                    .then(
                        (b.end - b.start)
                            .abs_diff(m)
                            .cmp(&(c.end - c.start).abs_diff(m)),
                    )
                    .then(offset(b).cmp(&offset(&c)))
                    .is_gt(),
            };
            if better {
                best = Some(c);
            }
        }
    }
    best.map(|b| (b.pidx, b.start, b.end, Match::Fuzzy))
}

/// Every occurrence of the quote in `text` (overlapping ones too), with its context score.
/// `budget` counts occurrences across calls and stops the search at [`MAX_OCCURRENCES`].
fn exact_candidates(text: &str, pidx: usize, quote: &Quote, budget: &mut usize) -> Vec<Candidate> {
    let mut starts = Vec::new();
    let mut from = 0;
    let mut counted_bytes = 0;
    let mut counted_chars = 0;
    while *budget < MAX_OCCURRENCES {
        let Some(i) = text[from..].find(quote.exact) else {
            break;
        };
        let at = from + i;
        counted_chars += text[counted_bytes..at].chars().count();
        counted_bytes = at;
        starts.push(counted_chars);
        *budget += 1;
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    if starts.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let len = quote.chars.len();
    starts
        .into_iter()
        .map(|start| Candidate {
            pidx,
            start,
            end: start + len,
            dist: 0,
            context: quote.context(&chars, start, start + len),
        })
        .collect()
}

/// A character trigram as one number (a char is at most 21 bits).
fn trigram(a: char, b: char, c: char) -> u64 {
    ((a as u64) << 42) | ((b as u64) << 21) | c as u64
}

/// Bits in the trigram filter (a power of two).
const FILTER_BITS: usize = 1 << 16;

fn filter_bit(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - 16)) as usize
}

/// The passages (other than `skip`) most likely to hold an approximate match of `quote`:
/// those sharing the most distinct character trigrams with it, best first, at most
/// [`FUZZY_CANDIDATES`]. A passage holding a match within `k` edits shares at least
/// `distinct trigrams − 3k` of them (an edit breaks at most three), so passages below that
/// are left out.
fn trigram_candidates(doc: &Document, quote: &[char], k: usize, skip: Option<usize>) -> Vec<usize> {
    let mut keys: Vec<u64> = quote
        .windows(3)
        .map(|w| trigram(w[0], w[1], w[2]))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Vec::new();
    }
    let needed = keys.len().saturating_sub(3 * k).max(1);
    let mut filter = vec![0u64; FILTER_BITS / 64];
    for &key in &keys {
        let bit = filter_bit(key);
        filter[bit / 64] |= 1 << (bit % 64);
    }
    let mut seen = vec![usize::MAX; keys.len()];
    let mut scored: Vec<(usize, usize)> = Vec::new();
    for (pidx, p) in doc.passages.iter().enumerate() {
        if Some(pidx) == skip {
            continue;
        }
        let mut shared = 0;
        let mut chars = p.text.chars();
        let (Some(mut a), Some(mut b)) = (chars.next(), chars.next()) else {
            continue;
        };
        for c in chars {
            let key = trigram(a, b, c);
            let bit = filter_bit(key);
            if filter[bit / 64] & (1 << (bit % 64)) != 0
                && let Ok(i) = keys.binary_search(&key)
                && seen[i] != pidx
            {
                seen[i] = pidx;
                shared += 1;
            }
            (a, b) = (b, c);
        }
        if shared >= needed {
            scored.push((shared, pidx));
        }
    }
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    scored
        .into_iter()
        .take(FUZZY_CANDIDATES)
        .map(|(_, pidx)| pidx)
        .collect()
}

/// The approximate matches of the quote in `text` within `k` edits: `(start, end, distance)`
/// in characters. For each run of consecutive end positions within `k`, the ends with the
/// smallest distance are kept; each is extended backwards to the starts that achieve it.
///
/// `work` is the block steps left to spend. When scanning the whole text would cost more,
/// only the regions found by [`probe_regions`] are scanned; a scan that would still exceed
/// it is not made.
fn fuzzy_matches(
    forward: &Pattern,
    backward: &Pattern,
    quote: &[char],
    text: &[char],
    k: usize,
    work: &mut usize,
) -> Vec<(usize, usize, usize)> {
    // Half of the work is kept for extending the matches found.
    let keep = *work / 2;
    let regions = if text.len().saturating_mul(forward.blocks) <= keep {
        vec![(0, text.len())]
    } else {
        probe_regions(text, quote, k)
    };
    let mut spend = |chars: usize, limit: usize| {
        let cost = chars.saturating_mul(forward.blocks);
        let ok = cost <= *work && *work - cost >= limit;
        if ok {
            *work -= cost;
        }
        ok
    };
    // Runs of ends within k, keeping the best ends of each run.
    let mut runs: Vec<(usize, Vec<usize>)> = Vec::new();
    for (lo, hi) in regions {
        if !spend(hi - lo, keep) {
            break;
        }
        let mut in_run = false;
        forward.scan(text[lo..hi].iter().copied(), false, |j, score| {
            if score > k {
                in_run = false;
                return;
            }
            let end = lo + j + 1;
            if !in_run {
                runs.push((score, vec![end]));
                in_run = true;
                return;
            }
            let run = runs.last_mut().expect("a run is open");
            if score < run.0 {
                *run = (score, vec![end]);
            } else if score == run.0 && run.1.len() < 4 {
                run.1.push(end);
            }
        });
    }
    runs.sort_by_key(|r| r.0);
    let m = forward.len;
    let mut out = Vec::new();
    for end in runs.into_iter().flat_map(|r| r.1).take(MAX_FUZZY_ENDS) {
        // Aligning the reversed quote with the text read backwards from `end`, anchored at
        // `end`, gives the distance for every start.
        let lo = end.saturating_sub(m + k);
        if !spend(end - lo, 0) {
            break;
        }
        let mut scores: Vec<(usize, usize)> = Vec::new();
        backward.scan(text[lo..end].iter().rev().copied(), true, |j, score| {
            if score <= k {
                scores.push((end - (j + 1), score));
            }
        });
        if let Some(min) = scores.iter().map(|s| s.1).min() {
            out.extend(
                scores
                    .into_iter()
                    .filter(|s| s.1 == min)
                    .map(|(start, d)| (start, end, d)),
            );
        }
    }
    out
}

/// For a quote too long to scan a long text with in full: the regions of `text` where a
/// match may be, most likely first. Short probes are taken evenly along the quote; each
/// exact occurrence of one tells where the quote would start (give or take `k`), and
/// occurrences that agree are grouped into one region, ranked by how many probes agree. A
/// match within `k` edits keeps most probes intact, unless its edits are spread over every
/// one of them. Probes that occur too often to tell anything are left out. Regions are
/// `(start, end)` in characters.
fn probe_regions(text: &[char], quote: &[char], k: usize) -> Vec<(usize, usize)> {
    const PROBES: usize = 16;
    const PROBE_CHARS: usize = 24;
    const MAX_HITS: usize = 32;
    let m = quote.len();
    if m < PROBE_CHARS * 2 {
        return vec![(0, text.len())];
    }
    // (estimated start, probe).
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for i in 0..PROBES {
        let offset = (m - PROBE_CHARS) * i / (PROBES - 1);
        let probe = &quote[offset..offset + PROBE_CHARS];
        let hits: Vec<usize> = text
            .windows(PROBE_CHARS)
            .enumerate()
            .filter(|(_, w)| w[0] == probe[0] && *w == probe)
            .map(|(j, _)| j.saturating_sub(offset))
            .take(MAX_HITS + 1)
            .collect();
        if hits.len() <= MAX_HITS {
            starts.extend(hits.into_iter().map(|s| (s, i)));
        }
    }
    starts.sort_unstable();
    // Groups of estimates within 2k of the previous one: (first, last, probes agreeing).
    let mut groups: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for (s, probe) in starts {
        match groups.last_mut() {
            Some(g) if s <= g.1 + 2 * k => {
                g.1 = s;
                if !g.2.contains(&probe) {
                    g.2.push(probe);
                }
            }
            _ => groups.push((s, s, vec![probe])),
        }
    }
    groups.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
    groups
        .into_iter()
        .map(|(first, last, _)| (first.saturating_sub(k), (last + m + 2 * k).min(text.len())))
        .collect()
}

/// A pattern prepared for the bit-parallel edit distance computation (Myers' bit-vector
/// algorithm in Hyyrö's formulation, in blocks of 64 rows for longer patterns).
///
/// The dynamic-programming matrix `D[i][j]` (pattern prefix of length `i` against the text
/// up to `j`) is kept as vertical differences `D[i][j] − D[i−1][j]` ∈ {−1, 0, +1}: one bit
/// per row in `pv` (+1) and `mv` (−1). Each text character updates a whole column in a few
/// word operations per block; the horizontal difference leaving a block is carried into the
/// next one.
struct Pattern {
    len: usize,
    blocks: usize,
    /// For each character of the pattern: the rows (bits) where it occurs.
    peq: HashMap<char, Vec<u64>>,
    zero: Vec<u64>,
}

impl Pattern {
    fn new(chars: impl Iterator<Item = char>) -> Pattern {
        let chars: Vec<char> = chars.collect();
        let blocks = chars.len().div_ceil(64).max(1);
        let mut peq: HashMap<char, Vec<u64>> = HashMap::new();
        for (i, &c) in chars.iter().enumerate() {
            peq.entry(c).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
        }
        Pattern {
            len: chars.len(),
            blocks,
            peq,
            zero: vec![0; blocks],
        }
    }

    /// Computes, for each text position `j`, the edit distance `D[len][j + 1]` between the
    /// whole pattern and the text ending at `j` (inclusive), and calls `f(j, distance)`.
    /// With `anchored_start`, the match must begin at the first text character (`D[0][j] =
    /// j`); otherwise it may begin anywhere (`D[0][j] = 0`, approximate substring search).
    fn scan(
        &self,
        text: impl Iterator<Item = char>,
        anchored_start: bool,
        mut f: impl FnMut(usize, usize),
    ) {
        if self.len == 0 {
            return;
        }
        const HIGH: u64 = 1 << 63;
        let last_row = 1u64 << ((self.len - 1) % 64);
        let mut pv = vec![u64::MAX; self.blocks];
        let mut mv = vec![0u64; self.blocks];
        let mut score = self.len;
        for (j, c) in text.enumerate() {
            let eqs = self.peq.get(&c).unwrap_or(&self.zero);
            // The horizontal difference entering the top row: D[0][j+1] − D[0][j].
            let mut h_in: i8 = if anchored_start { 1 } else { 0 };
            for b in 0..self.blocks {
                let (p, n) = (pv[b], mv[b]);
                let mut eq = eqs[b];
                let xv = eq | n;
                if h_in < 0 {
                    eq |= 1;
                }
                let xh = (((eq & p).wrapping_add(p)) ^ p) | eq;
                let mut ph = n | !(xh | p);
                let mut mh = p & xh;
                if b == self.blocks - 1 {
                    if ph & last_row != 0 {
                        score += 1;
                    } else if mh & last_row != 0 {
                        score -= 1;
                    }
                }
                let h_out: i8 = if ph & HIGH != 0 {
                    1
                } else if mh & HIGH != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if h_in < 0 {
                    mh |= 1;
                } else if h_in > 0 {
                    ph |= 1;
                }
                pv[b] = mh | !(xv | ph);
                mv[b] = ph & xv;
                h_in = h_out;
            }
            f(j, score);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, Color, Motivation, TextQuote};
    use pustaka_core::{DocId, MetaOverrides, Passage, model::Format};

    fn doc(hash: &str, passages: &[(&str, &str)]) -> Document {
        let given = MetaOverrides {
            title: Some("Convention on the Protection and Promotion of the Diversity".into()),
            short_title: Some("2005 Convention".into()),
            ..Default::default()
        };
        Document {
            id: DocId::for_source("/c.txt"),
            meta: given.resolve("T", Some("en")).unwrap(),
            given,
            source: "/c.txt".into(),
            format: Format::Text,
            content_hash: hash.into(),
            stored_at: 1,
            passages: passages
                .iter()
                .map(|(anchor, text)| Passage {
                    anchor: anchor.to_string(),
                    heading: None,
                    locator: Some(format!("Art. {}", anchor.trim_start_matches("art-"))),
                    page: None,
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    /// An annotation on the first occurrence of `exact` in passage `anchor` of `d`.
    fn annotate(d: &Document, anchor: &str, exact: &str) -> Annotation {
        annotate_nth(d, anchor, exact, 0)
    }

    fn annotate_nth(d: &Document, anchor: &str, exact: &str, nth: usize) -> Annotation {
        let text = &d.passage(anchor).unwrap().text;
        let byte = text.match_indices(exact).nth(nth).unwrap().0;
        let start = text[..byte].chars().count();
        let end = start + exact.chars().count();
        let p = d.passage(anchor).unwrap();
        Annotation {
            id: AnnotationId::new_random(),
            target: Target {
                doc_id: d.id.clone(),
                anchor: anchor.into(),
                start,
                end,
                quote: quote_at(text, start, end),
                passage_hash: passage_hash(text),
                doc_hash: d.content_hash.clone(),
            },
            note: "a note".into(),
            tags: vec!["t".into()],
            color: Color::Green,
            motivation: Motivation::Commenting,
            author: "me".into(),
            created: 1,
            modified: 2,
            anchoring: Anchoring::Attached,
            citation: p.citation(&d.meta.citation_title()),
            doc_title: d.meta.title.clone(),
        }
    }

    fn placed_text<'a>(d: &'a Document, p: &Placement) -> &'a str {
        char_slice(&d.passage(&p.anchor).unwrap().text, p.start, p.end)
    }

    const ART16: &str = "Developed countries shall facilitate cultural exchanges with \
                         developing countries by granting preferential treatment to artists.";

    #[test]
    fn unchanged_text_stays_attached() {
        let d = doc("h1", &[("art-15", "Cooperation."), ("art-16", ART16)]);
        let a = annotate(&d, "art-16", "preferential treatment");
        let p = locate(&a.target, &d).unwrap();
        assert_eq!(p.how, Match::Unchanged);
        assert_eq!((p.start, p.end), (a.target.start, a.target.end));
        let b = reanchor(&a, &d);
        assert_eq!(b, a);
    }

    #[test]
    fn text_inserted_before_the_quote_shifts_it() {
        let d1 = doc("h1", &[("art-16", ART16)]);
        let a = annotate(&d1, "art-16", "preferential treatment");
        let d2 = doc(
            "h2",
            &[("art-16", &format!("1. As amended in 2024: {ART16}"))],
        );
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Exact);
        assert_eq!(p.anchor, "art-16");
        assert_eq!(p.start, a.target.start + 23);
        assert_eq!(placed_text(&d2, &p), "preferential treatment");
        let b = reanchor(&a, &d2);
        assert_eq!(b.anchoring, Anchoring::Changed);
        assert_eq!(b.target.start, p.start);
        assert_eq!(b.target.doc_hash, "h2");
        assert_eq!(b.target.passage_hash, a.target.passage_hash);
        assert_eq!(b.target.quote.exact, "preferential treatment");
        assert!(b.target.quote.prefix.ends_with("by granting "));
        assert_eq!(b.modified, a.modified);
    }

    #[test]
    fn renumbered_articles_move_the_annotation_to_the_new_anchor() {
        let d1 = doc(
            "h1",
            &[
                ("art-15", "Parties shall cooperate."),
                ("art-16", ART16),
                (
                    "art-17",
                    "International cooperation in situations of serious threat.",
                ),
            ],
        );
        let a = annotate(&d1, "art-16", "granting preferential treatment");
        // A new article 15 is inserted: everything after it is renumbered.
        let d2 = doc(
            "h2",
            &[
                ("art-15", "A new article on digital matters."),
                ("art-16", "Parties shall cooperate."),
                ("art-17", ART16),
                (
                    "art-18",
                    "International cooperation in situations of serious threat.",
                ),
            ],
        );
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Exact);
        assert_eq!(p.anchor, "art-17");
        assert_eq!((p.start, p.end), (a.target.start, a.target.end));
        let b = reanchor(&a, &d2);
        // The passage's text is what was annotated: still attached, with the new citation.
        assert_eq!(b.anchoring, Anchoring::Attached);
        assert_eq!(b.target.anchor, "art-17");
        assert_eq!(b.citation, "2005 Convention, Art. 17");
        assert_eq!(b.target.quote, a.target.quote);
    }

    #[test]
    fn an_edited_word_inside_the_quote_is_found_fuzzily() {
        let d1 = doc("h1", &[("art-16", ART16)]);
        let a = annotate(
            &d1,
            "art-16",
            "facilitate cultural exchanges with developing",
        );
        let d2 = doc(
            "h2",
            &[("art-16", &ART16.replace("facilitate", "encourage"))],
        );
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Fuzzy);
        assert_eq!(
            placed_text(&d2, &p),
            "encourage cultural exchanges with developing"
        );
        let b = reanchor(&a, &d2);
        assert_eq!(b.anchoring, Anchoring::Changed);
        assert_eq!(
            b.target.quote.exact,
            "encourage cultural exchanges with developing"
        );
        assert_eq!(b.note, a.note);
    }

    #[test]
    fn a_fixed_typo_is_found_fuzzily() {
        let typo = ART16.replace("preferential", "preferrential");
        let d1 = doc("h1", &[("art-16", &typo)]);
        let a = annotate(&d1, "art-16", "granting preferrential treatment");
        let d2 = doc("h2", &[("art-16", ART16)]);
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Fuzzy);
        assert_eq!(placed_text(&d2, &p), "granting preferential treatment");
    }

    #[test]
    fn an_edited_quote_in_a_moved_passage_is_found_fuzzily() {
        let d1 = doc("h1", &[("art-1", "Scope."), ("art-2", ART16)]);
        let a = annotate(&d1, "art-2", "shall facilitate cultural exchanges");
        let d2 = doc(
            "h2",
            &[
                ("art-1", "Scope."),
                ("art-2", "Definitions."),
                ("art-3", &ART16.replace("shall", "should")),
            ],
        );
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Fuzzy);
        assert_eq!(p.anchor, "art-3");
        assert_eq!(placed_text(&d2, &p), "should facilitate cultural exchanges");
    }

    #[test]
    fn a_deleted_quote_orphans_the_annotation() {
        let d1 = doc("h1", &[("art-15", "Cooperation."), ("art-16", ART16)]);
        let a = annotate(&d1, "art-16", "preferential treatment to artists");
        let d2 = doc(
            "h2",
            &[
                ("art-15", "Cooperation."),
                (
                    "art-16",
                    "Developed countries shall do other things entirely.",
                ),
            ],
        );
        assert_eq!(locate(&a.target, &d2), None);
        let b = reanchor(&a, &d2);
        assert_eq!(b.anchoring, Anchoring::Orphan);
        assert!(b.orphan());
        // The old target stays, so the quote and citation still say what and where.
        assert_eq!(b.target.quote, a.target.quote);
        assert_eq!(b.target.anchor, "art-16");
        assert_eq!(
            (b.target.start, b.target.end),
            (a.target.start, a.target.end)
        );
        assert_eq!(b.target.passage_hash, a.target.passage_hash);
        assert_eq!(b.target.doc_hash, "h2");
        assert_eq!(b.citation, a.citation);

        // The passage removed altogether.
        let d3 = doc("h3", &[("art-15", "Cooperation.")]);
        assert_eq!(reanchor(&a, &d3).anchoring, Anchoring::Orphan);

        // A whole document removed.
        let o = orphan(&a);
        assert_eq!(o.anchoring, Anchoring::Orphan);
        assert_eq!(
            Annotation {
                anchoring: a.anchoring,
                ..o
            },
            a
        );
    }

    #[test]
    fn a_repeated_quote_is_told_apart_by_its_context() {
        let text = "The Party shall report. The Committee shall report. The Council shall report.";
        let d1 = doc("h1", &[("art-9", text)]);
        let a = annotate_nth(&d1, "art-9", "shall report", 1); // the Committee's
        let d2 = doc("h2", &[("art-9", &format!("Intro. {text}"))]);
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Exact);
        let t = &d2.passages[0].text;
        assert_eq!(char_slice(t, p.start - 10, p.start), "Committee ");

        // Moved into another passage with other copies around: context still decides, even
        // though the first copy in document order is nearer the old passage.
        let d3 = doc(
            "h3",
            &[
                ("art-8", "Each Party shall report."),
                ("art-9", "Deleted."),
                ("art-10", "The Council shall report."),
                ("art-11", text),
            ],
        );
        let p = locate(&a.target, &d3).unwrap();
        assert_eq!(p.anchor, "art-11");
        assert_eq!(char_slice(text, p.start - 10, p.start), "Committee ");
    }

    #[test]
    fn a_short_common_quote_is_not_placed_elsewhere_without_its_context() {
        let d1 = doc(
            "h1",
            &[("art-1", "Scope of the treaty."), ("art-2", "Its aims.")],
        );
        let a = annotate(&d1, "art-1", "treaty");
        // Art. 1 rewritten; "treaty" only occurs elsewhere, in another context.
        let d2 = doc(
            "h2",
            &[
                ("art-1", "Scope of this instrument."),
                ("art-2", "This treaty enters into force."),
            ],
        );
        assert_eq!(locate(&a.target, &d2), None);
        // With its context, the same short quote is found after moving.
        let d3 = doc(
            "h3",
            &[
                ("art-0", "Preamble."),
                ("art-1", "New."),
                ("art-2", "Scope of the treaty."),
            ],
        );
        let p = locate(&a.target, &d3).unwrap();
        assert_eq!((p.anchor.as_str(), p.how), ("art-2", Match::Exact));
    }

    #[test]
    fn very_short_quotes_are_only_placed_exactly() {
        let d1 = doc("h1", &[("art-1", "Use of the word cat here.")]);
        let a = annotate(&d1, "art-1", "cat");
        let d2 = doc("h2", &[("art-1", "Use of the word bat here.")]);
        assert_eq!(locate(&a.target, &d2), None);
    }

    #[test]
    fn thai_and_vietnamese_positions_are_characters() {
        let thai =
            "มาตรา ๑๖ ประเทศที่พัฒนาแล้วจะต้องอำนวยความสะดวกในการแลกเปลี่ยนทางวัฒนธรรมกับประเทศกำลังพัฒนา";
        let d1 = doc("h1", &[("art-16", thai)]);
        let a = annotate(&d1, "art-16", "การแลกเปลี่ยนทางวัฒนธรรม");
        let d2 = doc("h2", &[("art-16", &format!("๑. {thai}"))]);
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Exact);
        assert_eq!(p.start, a.target.start + 3);
        assert_eq!(p.end - p.start, "การแลกเปลี่ยนทางวัฒนธรรม".chars().count());
        assert_eq!(placed_text(&d2, &p), "การแลกเปลี่ยนทางวัฒนธรรม");

        // A Thai word changed inside the quote.
        let d3 = doc(
            "h3",
            &[("art-16", &thai.replace("ทางวัฒนธรรม", "ด้านวัฒนธรรม"))],
        );
        let p = locate(&a.target, &d3).unwrap();
        assert_eq!(p.how, Match::Fuzzy);
        assert_eq!(placed_text(&d3, &p), "การแลกเปลี่ยนด้านวัฒนธรรม");

        // Vietnamese: a word replaced and text inserted before.
        let vi = "Điều 16 – Đối xử ưu đãi cho các nước đang phát triển trong trao đổi văn hoá";
        let d4 = doc("h4", &[("art-16", vi)]);
        let b = annotate(&d4, "art-16", "Đối xử ưu đãi cho các nước đang phát triển");
        let d5 = doc(
            "h5",
            &[(
                "art-16",
                &format!("(sửa đổi) {}", vi.replace("ưu đãi", "ưu tiên")),
            )],
        );
        let p = locate(&b.target, &d5).unwrap();
        assert_eq!(p.how, Match::Fuzzy);
        assert_eq!(
            placed_text(&d5, &p),
            "Đối xử ưu tiên cho các nước đang phát triển"
        );
        let r = reanchor(&b, &d5);
        assert_eq!(r.target.quote.prefix, "(sửa đổi) Điều 16 – ");
    }

    /// About 1 MB in 2,000 passages of words drawn from a small vocabulary (so that every
    /// passage shares many trigrams with any quote), with `ART16` appended to passage 700.
    fn large_passages() -> Vec<(String, String)> {
        let words = [
            "cultural",
            "diversity",
            "shall",
            "parties",
            "the",
            "of",
            "and",
            "measures",
            "protection",
            "promotion",
            "expressions",
            "policies",
            "international",
            "rights",
        ];
        let mut seed: u64 = 42;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut passages: Vec<(String, String)> = (0..2000)
            .map(|i| {
                let mut t = String::new();
                while t.len() < 500 {
                    t.push_str(words[(rand() % words.len() as u64) as usize]);
                    t.push(' ');
                }
                (format!("art-{i}"), t)
            })
            .collect();
        passages[700].1.push_str(ART16);
        passages
    }

    fn doc_of(hash: &str, passages: &[(String, String)]) -> Document {
        let view: Vec<(&str, &str)> = passages
            .iter()
            .map(|(a, t)| (a.as_str(), t.as_str()))
            .collect();
        doc(hash, &view)
    }

    /// A large document (about 1 MB, 2,000 passages) with the annotated passage moved and
    /// edited; not timed, only that it works.
    #[test]
    fn a_large_document_is_searched() {
        let passages = large_passages();
        let d1 = doc_of("h1", &passages);
        assert!(d1.passages.iter().map(|p| p.text.len()).sum::<usize>() > 1_000_000);
        let target_text = &passages[700].1;
        let skip = target_text.chars().count() - 200;
        let exact: String = target_text.chars().skip(skip).collect();
        let a = annotate(&d1, "art-700", &exact);

        // Moved to the end (its old anchor gone) and edited.
        let mut moved = passages.clone();
        let (_, text) = moved.remove(700);
        let edited = text.replace("preferential", "special and differential");
        moved.push(("art-2000".into(), edited));
        let d2 = doc_of("h2", &moved);
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!((p.anchor.as_str(), p.how), ("art-2000", Match::Fuzzy));
        assert!(placed_text(&d2, &p).ends_with("special and differential treatment to artists."));

        // Gone: every passage is looked at, nothing found.
        let mut gone = passages.clone();
        gone.remove(700);
        assert_eq!(locate(&a.target, &doc_of("h3", &gone)), None);

        // Unchanged: found at once.
        assert_eq!(locate(&a.target, &d1).unwrap().how, Match::Unchanged);
    }

    /// A quote too long to scan its very long passage with in full is found through the
    /// regions its probes point at.
    #[test]
    fn a_long_quote_in_a_long_passage_is_found() {
        let all: String = large_passages()[..600]
            .iter()
            .map(|p| p.1.as_str())
            .collect();
        let chars: Vec<char> = all.chars().collect();
        assert!(chars.len() * 5000usize.div_ceil(64) > FUZZY_WORK_LIMIT / 2);
        let d1 = doc_of("h1", &[("art-1".to_string(), all.clone())]);
        let exact: String = chars[200_000..205_000].iter().collect();
        let a = annotate(&d1, "art-1", &exact);
        let mut edited = all.clone();
        let at = all.char_indices().nth(202_000).unwrap().0;
        edited.insert_str(at, "INSERTED ");
        let d2 = doc_of("h2", &[("art-1".to_string(), edited)]);
        let p = locate(&a.target, &d2).unwrap();
        assert_eq!(p.how, Match::Fuzzy);
        assert_eq!((p.start, p.end), (200_000, 205_009));
    }

    /// The plain dynamic-programming edit distance, to check the bit-parallel one.
    fn plain_scores(p: &[char], t: &[char], anchored: bool) -> Vec<usize> {
        let m = p.len();
        let mut col: Vec<usize> = (0..=m).collect();
        let mut out = Vec::new();
        for (j, &c) in t.iter().enumerate() {
            let mut next = vec![if anchored { j + 1 } else { 0 }; m + 1];
            for i in 1..=m {
                let sub = col[i - 1] + usize::from(p[i - 1] != c);
                next[i] = sub.min(col[i] + 1).min(next[i - 1] + 1);
            }
            col = next;
            out.push(col[m]);
        }
        out
    }

    #[test]
    fn the_bit_parallel_distance_equals_the_plain_one() {
        let mut seed: u64 = 7;
        let mut rand = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let alphabet: Vec<char> = "abcดต ".chars().collect();
        for round in 0..300 {
            let m = 1 + rand(if round % 3 == 0 { 200 } else { 70 }) as usize;
            let n = rand(300) as usize;
            let p: Vec<char> = (0..m).map(|_| alphabet[rand(6) as usize]).collect();
            let t: Vec<char> = (0..n).map(|_| alphabet[rand(6) as usize]).collect();
            for anchored in [false, true] {
                let mut got = Vec::new();
                Pattern::new(p.iter().copied())
                    .scan(t.iter().copied(), anchored, |_, s| got.push(s));
                assert_eq!(
                    got,
                    plain_scores(&p, &t, anchored),
                    "m={m} n={n} anchored={anchored}"
                );
            }
        }
    }

    #[test]
    fn thresholds() {
        assert_eq!(max_distance(4), 1);
        assert_eq!(max_distance(8), 2);
        assert_eq!(max_distance(200), 50);
        // An exact match is never confused with a quote lacking its passage.
        let t = Target {
            doc_id: DocId::for_source("/x"),
            anchor: "a".into(),
            start: 0,
            end: 0,
            quote: TextQuote::default(),
            passage_hash: String::new(),
            doc_hash: String::new(),
        };
        assert_eq!(locate(&t, &doc("h", &[("a", "text")])), None);
    }
}

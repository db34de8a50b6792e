import { findLinks } from './linkify';

/** A piece of passage text; `mark` is the index of the match it belongs to, or null. */
export interface MarkPart {
  text: string;
  mark: number | null;
  /** The highlight drawn on this piece; absent when there is none. */
  hl?: HighlightPart;
}

/** A run of passage text: a link (href set) or plain text, split into mark parts. */
export interface Run {
  href: string | null;
  parts: MarkPart[];
}

/**
 * Keeps the usable `[start, end)` ranges: inside the text, non-empty, sorted, and not
 * overlapping an earlier kept range (overlapping ones are dropped).
 */
export function validMarks(text: string, marks: ReadonlyArray<readonly [number, number]>): [number, number][] {
  const sorted = marks
    .filter(
      (r) =>
        Array.isArray(r) &&
        Number.isInteger(r[0]) &&
        Number.isInteger(r[1]) &&
        r[0] >= 0 &&
        r[1] > r[0] &&
        r[1] <= text.length,
    )
    .map((r) => [r[0], r[1]] as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  let end = 0;
  for (const r of sorted) {
    if (r[0] < end) continue;
    out.push(r);
    end = r[1];
  }
  return out;
}

/** Splits text by mark ranges (UTF-16 offsets); mark indices count from `first`. */
export function segmentMarks(
  text: string,
  marks: ReadonlyArray<readonly [number, number]>,
  first = 0,
): MarkPart[] {
  const out: MarkPart[] = [];
  let pos = 0;
  validMarks(text, marks).forEach(([s, e], i) => {
    if (s > pos) out.push({ text: text.slice(pos, s), mark: null });
    out.push({ text: text.slice(s, e), mark: first + i });
    pos = e;
  });
  if (pos < text.length) out.push({ text: text.slice(pos), mark: null });
  return out;
}

/** A highlight to draw: `[start, end)` in UTF-16 code units of the passage's text. */
export interface HighlightRange {
  id: string;
  start: number;
  end: number;
  color: string;
}

/** The highlight a piece of text shows. */
export interface HighlightPart {
  /** The annotation drawn on top (its colour shows; a click selects it). */
  id: string;
  color: string;
  /** Every annotation covering this piece, the drawn one first. */
  ids: string[];
  /** True on the first piece of the drawn annotation in this passage (its tab stop). */
  first: boolean;
}

/**
 * Keeps the usable highlights (inside the text, non-empty, integer bounds) and orders them
 * the way they are stacked: later-starting (then shorter) ones are drawn on top.
 */
export function validHighlights(text: string, highlights: ReadonlyArray<HighlightRange>): HighlightRange[] {
  return highlights
    .filter(
      (h) =>
        Number.isInteger(h.start) && Number.isInteger(h.end) && h.start >= 0 && h.end > h.start && h.end <= text.length,
    )
    .slice()
    .sort((a, b) => b.start - a.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The passage as runs: links (http/https/mailto only) and plain text, each split into parts
 * that carry the search match they belong to (`mark`, numbered from `first`) and the
 * highlight drawn on them (`hl`). Ranges may overlap: a match inside a highlight, two
 * highlights over each other. A part never straddles a link, match or highlight edge; a
 * match or highlight split in several parts keeps its index or id. The parts' texts joined
 * give back the passage's text exactly.
 */
export function passageRuns(
  text: string,
  marks: ReadonlyArray<readonly [number, number]>,
  first = 0,
  highlights: ReadonlyArray<HighlightRange> = [],
): Run[] {
  if (!text) return [];
  const matches = validMarks(text, marks);
  const hls = validHighlights(text, highlights);
  const links = findLinks(text);
  const cutSet = new Set<number>([0, text.length]);
  for (const [s, e] of matches) cutSet.add(s).add(e);
  for (const h of hls) cutSet.add(h.start).add(h.end);
  for (const l of links) cutSet.add(l.start).add(l.end);
  const cuts = [...cutSet].sort((a, b) => a - b);

  const runs: Run[] = [];
  let run: Run | null = null;
  let runLink = -2;
  let mi = 0;
  let li = 0;
  const seen = new Set<string>();
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k];
    const b = cuts[k + 1];
    while (mi < matches.length && matches[mi][1] <= a) mi++;
    const mark = mi < matches.length && matches[mi][0] <= a ? first + mi : null;
    while (li < links.length && links[li].end <= a) li++;
    const link = li < links.length && links[li].start <= a ? li : -1;
    const covering = hls.filter((h) => h.start <= a && h.end >= b);
    let hl: HighlightPart | undefined;
    if (covering.length) {
      const top = covering[0];
      hl = { id: top.id, color: top.color, ids: covering.map((h) => h.id), first: !seen.has(top.id) };
      seen.add(top.id);
    }
    if (!run || runLink !== link) {
      run = { href: link >= 0 ? links[link].href : null, parts: [] };
      runLink = link;
      runs.push(run);
    }
    const piece = text.slice(a, b);
    const prev = run.parts[run.parts.length - 1];
    if (prev && prev.mark === mark && sameHighlight(prev.hl, hl)) {
      prev.text += piece;
    } else {
      const part: MarkPart = { text: piece, mark };
      if (hl) part.hl = hl;
      run.parts.push(part);
    }
  }
  return runs;
}

function sameHighlight(a: HighlightPart | undefined, b: HighlightPart | undefined): boolean {
  if (!a || !b) return a === b;
  return a.id === b.id && a.ids.length === b.ids.length && a.ids.every((x, i) => x === b.ids[i]);
}

/** Number of usable marks in each passage and the index of each passage's first mark. */
export function markOffsets(passages: ReadonlyArray<{ text: string; marks: ReadonlyArray<readonly [number, number]> }>): {
  firsts: number[];
  total: number;
} {
  const firsts: number[] = [];
  let total = 0;
  for (const p of passages) {
    firsts.push(total);
    total += validMarks(p.text, p.marks).length;
  }
  return { firsts, total };
}

import { findLinks } from './linkify';

/** A piece of passage text; `mark` is the index of the match it belongs to, or null. */
export interface MarkPart {
  text: string;
  mark: number | null;
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

/**
 * The passage as runs: links (http/https/mailto only) and plain text, each split into
 * marked and unmarked parts. A match that straddles a link edge is split in two parts
 * carrying the same mark index.
 */
export function passageRuns(
  text: string,
  marks: ReadonlyArray<readonly [number, number]>,
  first = 0,
): Run[] {
  const parts = segmentMarks(text, marks, first);
  const links = findLinks(text);
  const cuts = new Set<number>();
  for (const l of links) {
    cuts.add(l.start);
    cuts.add(l.end);
  }
  // Cut the mark parts at link edges.
  const pieces: { start: number; part: MarkPart }[] = [];
  let offset = 0;
  for (const p of parts) {
    let s = offset;
    const end = offset + p.text.length;
    for (let c = s + 1; c < end; c++) {
      if (cuts.has(c)) {
        pieces.push({ start: s, part: { text: text.slice(s, c), mark: p.mark } });
        s = c;
      }
    }
    pieces.push({ start: s, part: { text: text.slice(s, end), mark: p.mark } });
    offset = end;
  }
  const hrefAt = (pos: number) => links.find((l) => pos >= l.start && pos < l.end)?.href ?? null;
  const runs: Run[] = [];
  let current: Run | null = null;
  let currentLink: number | null = null;
  for (const { start, part } of pieces) {
    const href = hrefAt(start);
    const linkIndex = href === null ? null : links.findIndex((l) => start >= l.start && start < l.end);
    if (!current || current.href !== href || currentLink !== linkIndex) {
      current = { href, parts: [] };
      currentLink = linkIndex;
      runs.push(current);
    }
    current.parts.push(part);
  }
  return runs;
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

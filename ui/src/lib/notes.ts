// Plain logic for annotations (highlights, notes, tags): no Svelte, no IPC.
import type { FacetValue, NoteColor, NoteFilter, NoteHit, NoteView, NotesFormat } from './ipc/types';
import type { HighlightRange } from './passage';

export const COLORS: readonly NoteColor[] = ['yellow', 'green', 'blue', 'pink', 'purple'];
export const FORMATS: readonly NotesFormat[] = ['w3c', 'md', 'csv'];
/** File extension written for each export format. */
export const FORMAT_EXT: Record<NotesFormat, string> = { w3c: 'jsonld', md: 'md', csv: 'csv' };
/** Note hits shown above the passages when searching everything. */
export const NOTE_HITS_SHOWN = 3;

export function isColor(s: unknown): s is NoteColor {
  return typeof s === 'string' && (COLORS as readonly string[]).includes(s);
}

/**
 * Tags as typed ("art, #policy, Art"): split on commas (and semicolons and new lines),
 * trimmed, a leading `#` dropped, empty ones and repeats (ignoring case) left out; the first
 * spelling is kept.
 */
export function parseTags(input: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of input.split(/[,;\n]/)) {
    const tag = raw.trim().replace(/^#+/, '').trim().replace(/\s+/g, ' ');
    if (!tag) continue;
    const key = tag.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** Tags as shown in the tags field. */
export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}

/** An orphan, or one whose passage changed since it was made. */
export function needsAttention(n: Pick<NoteView, 'anchoring'>): boolean {
  return n.anchoring !== 'attached';
}

/**
 * A document's annotations in reading order: by passage (in the order given), then by
 * position in the passage; those whose passage is gone (and orphans) come last, oldest first.
 */
export function sortByPassage(notes: readonly NoteView[], anchors: readonly string[]): NoteView[] {
  const order = new Map(anchors.map((a, i) => [a, i]));
  const rank = (n: NoteView) => (n.anchoring === 'orphan' ? Infinity : (order.get(n.anchor) ?? Infinity));
  return notes
    .slice()
    .sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== rb) return ra < rb ? -1 : 1;
      if (ra !== Infinity && a.start !== b.start) return a.start - b.start;
      if (ra !== Infinity && a.end !== b.end) return a.end - b.end;
      return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
}

/** The highlights to draw, by passage anchor (orphans have no place and are left out). */
export function highlightsByAnchor(notes: readonly NoteView[]): Map<string, HighlightRange[]> {
  const out = new Map<string, HighlightRange[]>();
  for (const n of notes) {
    if (n.anchoring === 'orphan') continue;
    const list = out.get(n.anchor) ?? [];
    list.push({ id: n.id, start: n.start, end: n.end, color: n.color });
    out.set(n.anchor, list);
  }
  return out;
}

/** What the notes view's filter controls hold ('' = any). */
export interface FilterChoice {
  tag: string;
  doc: string;
  color: string;
  attention: boolean;
}

export const NO_FILTER: FilterChoice = { tag: '', doc: '', color: '', attention: false };

/** The `list_notes` filter for the chosen controls. */
export function toNoteFilter(c: FilterChoice): NoteFilter {
  return {
    tag: c.tag || null,
    doc_id: c.doc || null,
    color: isColor(c.color) ? c.color : null,
    needs_attention: c.attention,
  };
}

export function isFiltered(c: FilterChoice): boolean {
  return !!(c.tag || c.doc || c.color || c.attention);
}

/**
 * Options for a filter select: the values with counts, and the chosen value kept (count 0)
 * when the list no longer has it, so it can still be seen and changed.
 */
export function withChosen(values: readonly FacetValue[], chosen: string): FacetValue[] {
  if (!chosen || values.some((v) => v.value === chosen)) return [...values];
  return [...values, { value: chosen, count: 0 }];
}

/** The note hits to show above the passages: the first few when searching everything. */
export function shownNoteHits(hits: readonly NoteHit[], scope: string): NoteHit[] {
  if (scope === 'documents') return [];
  return scope === 'notes' ? [...hits] : hits.slice(0, NOTE_HITS_SHOWN);
}

/** A default file name for an export: `pustaka-notes-2024-05-01.jsonld`. */
export function exportFileName(format: NotesFormat, date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `pustaka-notes-${day}.${FORMAT_EXT[format]}`;
}

/** What "Copy citation" puts on the clipboard for a selection: the quote and where it is from. */
export function quoteWithCitation(quote: string, citation: string): string {
  const q = quote.replace(/\s+/g, ' ').trim();
  return q ? `“${q}” (${citation})` : citation;
}

/** Replaces an annotation in a list by id (after an edit), keeping the order. */
export function replaceNote(list: readonly NoteView[], note: NoteView): NoteView[] {
  return list.map((n) => (n.id === note.id ? note : n));
}

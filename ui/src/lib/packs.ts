// Plain logic for briefing packs: no Svelte, no IPC.
import type { PackFormat, PackItemKind, PackItemView, PackMetaEdit, PackSummary, PackView } from './ipc/types';

/** Who a pack is rendered for: the trainer sees everything, participants not trainer-only items. */
export type Edition = 'trainer' | 'participant';

export const PACK_FORMATS: readonly PackFormat[] = ['pdf', 'docx', 'html', 'md', 'pustakapack'];
/** File extension written for each export format. */
export const PACK_EXT: Record<PackFormat, string> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  md: 'md',
  pustakapack: 'pustakapack',
};

/** The pack's details that can be edited, in the order of the form. */
export const META_FIELDS = ['title', 'subtitle', 'audience', 'author', 'date', 'language'] as const;
export type MetaField = (typeof META_FIELDS)[number];

// ---- Order ---------------------------------------------------------------------------

/** `list` with the element at `from` moved to index `to` (both clamped to the list). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = list.slice();
  if (from < 0 || from >= out.length) return out;
  const dest = Math.max(0, Math.min(out.length - 1, to));
  const [it] = out.splice(from, 1);
  out.splice(dest, 0, it);
  return out;
}

/**
 * The new index of an item dragged from `from` and dropped before (`after` false) or after
 * the item at `over`: what `move_pack_item` takes as `to`.
 */
export function dropIndex(from: number, over: number, after: boolean): number {
  const insert = over + (after ? 1 : 0);
  return insert > from ? insert - 1 : insert;
}

/** The part of a row's box that dragging looks at (a `DOMRect` will do). */
export interface RowBox {
  top: number;
  bottom: number;
}

/**
 * The new index of the item at `from` while it is dragged with the pointer at `y`, given the
 * boxes of all the rows in list order (the dragged one included): it goes after every row whose
 * middle is above the pointer. Returns `from` when it would stay put (or `from` is not a row).
 */
export function pointerDropIndex(rows: readonly RowBox[], from: number, y: number): number {
  if (from < 0 || from >= rows.length || !Number.isFinite(y)) return from;
  let slot = 0;
  for (const r of rows) if (y > (r.top + r.bottom) / 2) slot++;
  // Dropping into the gap before row `slot` (or at the end).
  return dropIndex(from, slot, false);
}

/**
 * Where to draw the drop line for an item moving from `from` to `to`: before or after the row
 * now at `index`. Null when the item stays where it is.
 */
export function dropMarker(from: number, to: number): { index: number; side: 'before' | 'after' } | null {
  if (from < 0 || to < 0 || to === from) return null;
  return to < from ? { index: to, side: 'before' } : { index: to, side: 'after' };
}

/**
 * How far to scroll a list (in pixels, this frame) while an item is dragged with the pointer at
 * `y`, near the edges of the scrolled area from `top` to `bottom`: up (negative) or down, faster
 * the closer to the edge; 0 away from the edges.
 */
export function edgeScroll(y: number, top: number, bottom: number, zone = 48, max = 16): number {
  if (!(bottom > top) || !Number.isFinite(y)) return 0;
  const band = Math.min(zone, (bottom - top) / 3);
  if (band <= 0) return 0;
  const speed = (depth: number) => Math.ceil(max * Math.min(1, depth / band));
  if (y < top + band) return -speed(top + band - y);
  if (y > bottom - band) return speed(y - (bottom - band));
  return 0;
}

/** Where Alt+↑ / Alt+↓ moves the item at `index` of `count`; null at the ends or for other keys. */
export function keyMove(index: number, count: number, key: string): number | null {
  if (key === 'ArrowUp') return index > 0 ? index - 1 : null;
  if (key === 'ArrowDown') return index >= 0 && index < count - 1 ? index + 1 : null;
  return null;
}

/** Packs with the most recently changed first (then by title). */
export function byRecent<T extends Pick<PackSummary, 'modified' | 'title'>>(packs: readonly T[]): T[] {
  return packs.slice().sort((a, b) => b.modified - a.modified || a.title.localeCompare(b.title));
}

// ---- Editions and preview ------------------------------------------------------------

/** The items an edition shows, in order: participants do not see trainer-only items. */
export function visibleItems<T extends Pick<PackItemView, 'trainer_only'>>(items: readonly T[], edition: Edition): T[] {
  return edition === 'trainer' ? items.slice() : items.filter((i) => !i.trainer_only);
}

/** The item kinds whose text the user writes in the pack (a passage's or annotation's is quoted). */
export function hasEditableText(kind: PackItemKind): boolean {
  return kind === 'heading' || kind === 'text' || kind === 'passage';
}

export interface PreviewBlock {
  id: string;
  kind: PackItemKind;
  trainerOnly: boolean;
  /** The heading, the free text, or the note on a passage or annotation. */
  text: string;
  quote: string | null;
  citation: string | null;
  language: string | null;
  tags: string[];
  /** The number of the quoted document in the list of sources. */
  source: number | null;
}

export interface PreviewSource {
  number: number;
  docId: string;
  title: string;
}

export interface PreviewModel {
  title: string;
  subtitle: string;
  audience: string;
  author: string;
  date: string;
  language: string;
  edition: Edition;
  blocks: PreviewBlock[];
  sources: PreviewSource[];
  /** Trainer-only items left out of this edition. */
  hidden: number;
}

export interface Drafts {
  /** Text being typed, by item id (not saved yet). */
  items?: Readonly<Record<string, string>>;
  /** Details being typed, by field. */
  meta?: Readonly<Partial<Record<MetaField, string>>>;
}

/**
 * What a pack looks like to the trainer or the participants: its details, the visible items
 * (with text being typed in place of the saved one) and the quoted documents, numbered in
 * order of first appearance.
 */
export function previewModel(pack: PackView, edition: Edition, drafts: Drafts = {}): PreviewModel {
  const meta = (f: MetaField) => drafts.meta?.[f] ?? pack[f];
  const shown = visibleItems(pack.items, edition);
  const sources: PreviewSource[] = [];
  const blocks = shown.map((item): PreviewBlock => {
    let source: number | null = null;
    if (item.doc_id && (item.kind === 'passage' || item.kind === 'annotation')) {
      let s = sources.find((x) => x.docId === item.doc_id);
      if (!s) {
        s = { number: sources.length + 1, docId: item.doc_id, title: item.doc_title || item.citation || item.doc_id };
        sources.push(s);
      }
      source = s.number;
    }
    return {
      id: item.id,
      kind: item.kind,
      trainerOnly: item.trainer_only,
      text: drafts.items?.[item.id] ?? item.text,
      quote: item.quote,
      citation: item.citation,
      language: item.language,
      tags: item.tags,
      source,
    };
  });
  return {
    title: meta('title'),
    subtitle: meta('subtitle'),
    audience: meta('audience'),
    author: meta('author'),
    date: meta('date'),
    language: meta('language'),
    edition,
    blocks,
    sources,
    hidden: pack.items.length - shown.length,
  };
}

/** A short description of an item, for labels and announcements. */
export function itemSummary(item: Pick<PackItemView, 'kind' | 'text' | 'citation' | 'quote'>, max = 60): string {
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  let s = '';
  if (item.kind === 'heading' || item.kind === 'text') s = squash(item.text);
  else s = squash(item.citation ?? '') || squash(item.quote ?? '') || squash(item.text);
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : s;
}

// ---- Details -------------------------------------------------------------------------

/** The `update_pack_meta` edit that sets one field. */
export function metaEdit(field: MetaField, value: string): PackMetaEdit {
  const edit: PackMetaEdit = { title: null, subtitle: null, audience: null, author: null, date: null, language: null };
  edit[field] = field === 'title' ? value.trim() : value;
  return edit;
}

/** True for a `YYYY-MM-DD` date (or an empty one). */
export function isPackDate(s: string): boolean {
  if (s === '') return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A BCP 47 language tag as far as the interface checks it ("en", "vi", "pt-BR", "zh-Hant"), or empty. */
export function isLanguageTag(s: string): boolean {
  return s === '' || /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(s);
}

// ---- Files ---------------------------------------------------------------------------

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_NAME = 80;

/** A file name part safe on Windows, macOS and Linux: no separators, no control characters. */
function cleanName(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The file name suggested in the save dialog: the pack's title (what no system allows left
 * out), with the edition's word when it is the participants' ("… - participants.pdf").
 */
export function suggestFileName(title: string, format: PackFormat, suffix = '', fallback = 'briefing'): string {
  const trimEnds = (s: string) => s.replace(/^[.\s]+|[.\s]+$/g, '');
  let base = trimEnds(cleanName(title));
  const chars = Array.from(base);
  if (chars.length > MAX_NAME) base = trimEnds(chars.slice(0, MAX_NAME).join(''));
  if (!base) base = trimEnds(cleanName(fallback)) || 'briefing';
  if (RESERVED.test(base)) base = `${base}_`;
  const extra = trimEnds(cleanName(suffix));
  if (extra) base = `${base} - ${extra}`;
  return `${base}.${PACK_EXT[format]}`;
}

/** A file size for people: the number and its unit. */
export function sizeParts(bytes: number): { n: number; unit: 'B' | 'KB' | 'MB' } {
  if (!Number.isFinite(bytes) || bytes < 1024) return { n: Math.max(0, Math.round(bytes || 0)), unit: 'B' };
  if (bytes < 1024 * 1024) return { n: Math.round(bytes / 1024), unit: 'KB' };
  return { n: Math.round((bytes / (1024 * 1024)) * 10) / 10, unit: 'MB' };
}

/** How far an export is, 0–1, or null when it cannot be told (no total yet). */
export function progressFraction(done: number, total: number): number | null {
  if (!(total > 0)) return null;
  return Math.max(0, Math.min(1, done / total));
}

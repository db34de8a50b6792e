// Development only (npm run dev, then open /mock.html): the UI with a fake shell, so it
// can be tried in a plain browser. Not part of the build.
import { mockIPC } from '@tauri-apps/api/mocks';
import type {
  AppStatus,
  ContentPackInfo,
  DocInfo,
  DocumentView,
  ExportProgress,
  FacetValue,
  FetchProgress,
  InstallProgress,
  StarterState,
  NewPackItem,
  PackItemEdit,
  PackItemView,
  PackMetaEdit,
  PackSummary,
  PackView,
  NewNote,
  NoteDocCount,
  NoteEdit,
  NoteFilter,
  NoteHit,
  NotesList,
  NoteView,
  SearchQuery,
  SearchResponse,
  Settings,
} from '../src/lib/ipc/types';

const params = new URLSearchParams(location.search);
let settings: Settings = { library_path: null, ui_language: params.get('lang') ?? 'en', theme: 'system', text_size: 100, author_name: '' };
const unavailable = params.has('unavailable');
// ?starter: the first launch installs the starter pack (?starter=offline: and no network).
const offline = params.get('starter') === 'offline' || params.has('offline');
let starterState: StarterState = params.has('starter')
  ? { state: 'installing', title: 'Pustaka starter corpus', version: 3, update: false, done: 0, total: 25 }
  : { state: 'idle' };
if (starterState.state === 'installing') {
  const timer = setInterval(() => {
    if (starterState.state !== 'installing') return clearInterval(timer);
    if (starterState.done >= starterState.total) {
      clearInterval(timer);
      starterState = {
        state: 'installed',
        update: false,
        report: { pack_id: 'starter', title: 'Pustaka starter corpus', version: 3, previous_version: null, added: 25, updated: 0, removed: 0, unchanged: 0, prebuilt_index: true, glossary_terms: 40, reanchored: 0, notice: null },
      };
    } else starterState = { ...starterState, done: starterState.done + 5 };
  }, 400);
}

const status = (): AppStatus => ({
  library: unavailable
    ? { state: 'unavailable', path: '/home/user/Pustaka', error: { code: 'library_in_use', message: 'Another Pustaka window is using this library.' } }
    : { state: 'ready', path: '/home/user/Pustaka', documents: 2, passages: 40 },
  default_library_path: '/home/user/Pustaka',
  settings,
  notices: ['The search index was rebuilt.'],
  version: '0.1.0-mock',
  starter: starterState,
});

const packInfo = (path: string): ContentPackInfo => ({
  path,
  pack_id: 'hanoi-workshop',
  title: 'Hanoi workshop texts',
  version: path.includes('old') ? 1 : 2,
  documents: 14,
  installed_version: path.includes('old') ? 2 : null,
  signer: path.includes('unsigned') ? null : '3e54-38f0-0895-9422',
  trusted: path.includes('trusted'),
  refusal: path.includes('old') ? 'This is version 1 of “Hanoi workshop texts”, older than the version 2 in your library: it cannot be installed.' : null,
});

async function installContentPack(a: Record<string, unknown>) {
  const channel = a.onProgress as { onmessage: (m: InstallProgress) => void };
  for (let done = 0; done <= 14; done += 2) {
    channel.onmessage({ done, total: 14 });
    await new Promise((r) => setTimeout(r, 200));
  }
  return { pack_id: 'hanoi-workshop', title: 'Hanoi workshop texts', version: 2, previous_version: null, added: 14, updated: 0, removed: 0, unchanged: 0, prebuilt_index: false, glossary_terms: null, reanchored: 0, notice: null };
}

async function fetchOfficialTexts(a: Record<string, unknown>) {
  const channel = a.onProgress as { onmessage: (m: FetchProgress) => void };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  channel.onmessage({ event: 'checking' });
  await pause(600);
  const folder = '/home/user/Pustaka/official-texts';
  if (offline) return { folder, fetched: 0, unchanged: 0, failed: [], cancelled: false, offline: true };
  const sources = [
    ['2005-convention-en', 'Convention on the Protection and Promotion of the Diversity of Cultural Expressions'],
    ['2003-convention-en', 'Convention for the Safeguarding of the Intangible Cultural Heritage'],
    ['1980-recommendation-en', 'Recommendation concerning the Status of the Artist'],
  ];
  for (const [i, [id, title]] of sources.entries()) {
    channel.onmessage({ event: 'started', index: i, total: sources.length, id, title });
    await pause(300);
    channel.onmessage({ event: 'progress', id, bytes: 200_000, total: 400_000 });
    await pause(300);
    const failed = i === 2;
    channel.onmessage({ event: 'finished', index: i, total: sources.length, id, outcome: failed ? 'failed' : 'fetched', reason: failed ? 'HTTP 404 Not Found' : null });
  }
  return { folder, fetched: 2, unchanged: 0, failed: [{ id: sources[2][0], title: sources[2][1], reason: 'HTTP 404 Not Found' }], cancelled: false, offline: false };
}

const info: DocInfo = {
  id: 'c2005',
  title: 'Convention on the Protection and Promotion of the Diversity of Cultural Expressions',
  short_title: '2005 Convention',
  citation_title: '2005 Convention',
  kind: 'instrument',
  instrument: '2005 Convention',
  country: [],
  language: 'en',
  year: 2005,
  themes: ['diversity'],
  source_url: 'https://example.org/2005',
  licence: null,
  source: '/docs/2005-convention.html',
  format: 'html',
  passages: 3,
  stored_at: 1700000000,
};
const report: DocInfo = { ...info, id: 'vnm-qpr', title: 'Viet Nam quadrennial periodic report', short_title: 'VNM QPR 2020', citation_title: 'VNM QPR 2020', kind: 'report', country: ['VNM'], year: 2020, instrument: null };

function marksFor(text: string, q: string): [number, number][] {
  const out: [number, number][] = [];
  for (const w of q.toLowerCase().split(/\s+/).filter((x) => x.length > 2)) {
    let i = text.toLowerCase().indexOf(w);
    while (i >= 0) {
      out.push([i, i + w.length]);
      i = text.toLowerCase().indexOf(w, i + w.length);
    }
  }
  return out;
}

const passages = [
  { anchor: 'preamble', heading: 'Preamble', text: 'The General Conference of UNESCO, affirming that cultural diversity is a defining characteristic of humanity. See https://en.unesco.org/creativity.' },
  { anchor: 'art-1', heading: 'Article 1 – Objectives', text: 'The objectives of this Convention are to protect and promote the diversity of cultural expressions; javascript:alert(1) stays text.' },
  { anchor: 'art-16', heading: 'Article 16 – Preferential treatment for developing countries', text: 'Developed countries shall facilitate cultural exchanges with developing countries by granting, through the appropriate institutional and legal frameworks, preferential treatment to artists and other cultural professionals and practitioners, as well as to cultural goods and services from developing countries.' },
];

// ---- Annotations, in memory ----------------------------------------------------------

const docsById = new Map([info, report].map((d) => [d.id, d]));
let notes: NoteView[] = [];
const trash = new Map<string, NoteView>();
let noteSeq = 0;

function passageOf(anchor: string) {
  return passages.find((p) => p.anchor === anchor);
}

function makeNote(n: NewNote, extra: Partial<NoteView> = {}): NoteView {
  const p = passageOf(n.anchor);
  const d = docsById.get(n.doc_id);
  if (!p || !d) throw { code: 'not_found', message: 'That passage is not in the library.' };
  if (!(n.start >= 0 && n.end > n.start && n.end <= p.text.length))
    throw { code: 'invalid_input', message: 'The selected range is not inside the passage.' };
  const now = Date.now() - 86400000 * (3 - noteSeq);
  return {
    id: `00000000-0000-4000-8000-${String(++noteSeq).padStart(12, '0')}`,
    doc_id: n.doc_id,
    anchor: n.anchor,
    start: n.start,
    end: n.end,
    quote: p.text.slice(n.start, n.end),
    note: n.note,
    tags: n.tags,
    color: n.color,
    motivation: n.motivation ?? (n.note ? 'commenting' : 'highlighting'),
    author: settings.author_name,
    created: now,
    modified: now,
    anchoring: 'attached',
    citation: `${d.citation_title}, ${p.heading}`,
    doc_title: d.title,
    ...extra,
  };
}

function seed(docId: string, anchor: string, phrase: string, rest: Partial<NewNote>, extra: Partial<NoteView> = {}) {
  const start = passageOf(anchor)!.text.indexOf(phrase);
  notes.push(makeNote({ doc_id: docId, anchor, start, end: start + phrase.length, note: '', tags: [], color: 'yellow', motivation: null, ...rest }, extra));
}
seed('c2005', 'art-16', 'preferential treatment', { note: 'Key point for the training.\nCompare with the 1980 Recommendation.', tags: ['training', 'trade'] });
seed('c2005', 'art-1', 'protect and promote', { color: 'green', tags: ['objectives'] }, { anchoring: 'changed' });
seed('vnm-qpr', 'preamble', 'cultural diversity', { color: 'blue', note: 'Quote this in the opening.', tags: ['training'] });
notes.push({ ...makeNote({ doc_id: 'c2005', anchor: 'art-1', start: 0, end: 3, note: 'Removed paragraph on mobility', tags: ['mobility'], color: 'purple', motivation: null }), anchor: 'art-99', quote: 'the mobility of artists shall be facilitated', anchoring: 'orphan', citation: '2005 Convention, Art. 99' });

function counts(values: string[]): FacetValue[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

function listNotes(f: NoteFilter): NotesList {
  const shown = notes
    .filter((n) => (!f.tag || n.tags.includes(f.tag)) && (!f.doc_id || n.doc_id === f.doc_id) && (!f.color || n.color === f.color))
    .filter((n) => !f.needs_attention || n.anchoring !== 'attached')
    .sort((a, b) => b.modified - a.modified);
  const documents: NoteDocCount[] = counts(notes.map((n) => n.doc_id)).map((v) => ({ doc_id: v.value, title: docsById.get(v.value)?.title ?? v.value, count: v.count }));
  return { notes: shown, tags: counts(notes.flatMap((n) => n.tags)), documents, colors: counts(notes.map((n) => n.color)), total: notes.length };
}

function editNote(e: NoteEdit): NoteView {
  const i = notes.findIndex((n) => n.id === e.id);
  if (i < 0) throw { code: 'not_found', message: 'That annotation no longer exists.' };
  const n = { ...notes[i], modified: Date.now() };
  if (e.note !== null) n.note = e.note;
  if (e.tags !== null) n.tags = e.tags;
  if (e.color !== null) n.color = e.color;
  if (e.accept_change && n.anchoring === 'changed') n.anchoring = 'attached';
  notes[i] = n;
  return n;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function noteHits(query: string): NoteHit[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 1);
  if (!words.length) return [];
  return notes
    .filter((n) => words.some((w) => `${n.note} ${n.quote} ${n.tags.join(' ')}`.toLowerCase().includes(w)))
    .map((n) => {
      const text = n.note || n.quote;
      let snippet = escapeHtml(text);
      for (const w of words) snippet = snippet.replace(new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), (m) => `<mark>${m}</mark>`);
      return { note: n, snippet };
    });
}

// ---- Briefing packs, in memory ---------------------------------------------------------

interface MockItem {
  id: string;
  kind: PackItemView['kind'];
  trainer_only: boolean;
  text: string;
  doc_id?: string;
  anchor?: string;
  note_id?: string;
}
interface MockPack {
  id: string;
  title: string;
  subtitle: string;
  audience: string;
  author: string;
  date: string;
  language: string;
  items: MockItem[];
  modified: number;
}

const packs = new Map<string, MockPack>();
const packTrash = new Map<string, MockPack>();
let packSeq = 0;
const newId = (prefix: string) => `${prefix}-0000-4000-8000-${String(++packSeq).padStart(12, '0')}`;

function itemView(it: MockItem): PackItemView {
  const base: PackItemView = { id: it.id, kind: it.kind, trainer_only: it.trainer_only, text: it.text, citation: null, doc_id: null, anchor: null, doc_title: null, quote: null, language: null, tags: [] };
  if (it.kind === 'passage') {
    const d = docsById.get(it.doc_id!)!;
    const p = passageOf(it.anchor!)!;
    return { ...base, doc_id: d.id, anchor: p.anchor, doc_title: d.title, citation: `${d.citation_title}, ${p.heading}`, quote: p.text, language: d.language };
  }
  if (it.kind === 'annotation') {
    const n = notes.find((x) => x.id === it.note_id);
    if (!n) return { ...base, quote: '(annotation deleted)' };
    return { ...base, text: n.note, doc_id: n.doc_id, anchor: n.anchor, doc_title: n.doc_title, citation: n.citation, quote: n.quote, language: 'en', tags: n.tags };
  }
  return base;
}

const packView = (p: MockPack): PackView => ({ ...p, items: p.items.map(itemView) });
const packSummary = (p: MockPack): PackSummary => ({ id: p.id, title: p.title, subtitle: p.subtitle, audience: p.audience, items: p.items.length, modified: p.modified });

function getPackOr(id: unknown): MockPack {
  const p = packs.get(String(id));
  if (!p) throw { code: 'not_found', message: 'That briefing no longer exists.' };
  return p;
}

function touch(p: MockPack): PackView {
  p.modified = Date.now();
  return packView(p);
}

function makePack(title: string, audience: string, modified = Date.now()): MockPack {
  if (!title.trim()) throw { code: 'invalid_input', message: 'A briefing needs a title.' };
  const p: MockPack = { id: newId('pack'), title: title.trim(), subtitle: '', audience, author: settings.author_name, date: new Date().toISOString().slice(0, 10), language: 'en', items: [], modified };
  packs.set(p.id, p);
  return p;
}

function newItem(n: NewPackItem): MockItem {
  const id = newId('item');
  switch (n.kind) {
    case 'heading':
      return { id, kind: 'heading', trainer_only: false, text: n.text };
    case 'text':
      return { id, kind: 'text', trainer_only: n.trainer_only, text: n.markdown };
    case 'passage':
      if (!docsById.has(n.doc_id) || !passageOf(n.anchor)) throw { code: 'not_found', message: 'That passage is not in the library.' };
      return { id, kind: 'passage', trainer_only: n.trainer_only, text: n.note, doc_id: n.doc_id, anchor: n.anchor };
    case 'annotation':
      if (!notes.some((x) => x.id === n.note_id)) throw { code: 'not_found', message: 'That annotation no longer exists.' };
      return { id, kind: 'annotation', trainer_only: n.trainer_only, text: '', note_id: n.note_id };
  }
}

function itemIndex(p: MockPack, itemId: unknown): number {
  const i = p.items.findIndex((x) => x.id === itemId);
  if (i < 0) throw { code: 'not_found', message: 'That item is no longer in the briefing.' };
  return i;
}

{
  const seeded = makePack('Training on the 2005 Convention', 'Ministry of Culture staff', Date.now() - 3600_000);
  seeded.subtitle = 'Day one: preferential treatment';
  seeded.author = 'Nguyễn An';
  seeded.items = [
    newItem({ kind: 'heading', text: 'Why it matters' }),
    newItem({ kind: 'text', markdown: 'Start with a question to the group:\nwho has worked on a co-production?', trainer_only: false }),
    newItem({ kind: 'passage', doc_id: 'c2005', anchor: 'art-16', note: 'The core obligation; read it aloud.', trainer_only: false }),
    newItem({ kind: 'text', markdown: 'Allow ten minutes. Expect questions on trade agreements.', trainer_only: true }),
    newItem({ kind: 'annotation', note_id: notes[0].id, trainer_only: false }),
  ];
  makePack('Briefing for the minister', 'Minister’s office', Date.now() - 86400_000 * 3).items = [newItem({ kind: 'passage', doc_id: 'vnm-qpr', anchor: 'preamble', note: '', trainer_only: false })];
}

async function exportPack(a: Record<string, unknown>) {
  const p = getPackOr(a.id);
  const channel = a.onProgress as { onmessage: (m: ExportProgress) => void };
  const total = p.items.length;
  const send = (stage: string, done: number) => channel.onmessage({ stage, done, total });
  const pause = () => new Promise((r) => setTimeout(r, 250));
  send('preparing', 0);
  await pause();
  for (let i = 1; i <= total; i++) {
    send(a.format === 'pdf' ? 'typesetting' : 'writing', i);
    await pause();
  }
  if (String(a.path).includes('readonly')) throw { code: 'io', message: 'The file could not be written: permission denied. Choose another folder.' };
  send('done', total);
  return { path: a.path, bytes: 48_213 + total * 1000 };
}

function doSearch(q: SearchQuery): SearchResponse {
  const found = q.scope === 'documents' ? [] : noteHits(q.query);
  const noteSlice = q.scope === 'notes' ? found.slice(q.offset, q.offset + q.limit) : found.slice(0, 5);
  if (q.query.includes('zzz') || q.scope === 'notes')
    return { query: q.query, total: 0, took_ms: 1, hits: [], facets: [], fuzzy: q.query.includes('zzz'), notice: null, notes: noteSlice, notes_total: found.length };
  const hits = passages.map((p, i) => ({
    doc_id: i === 2 ? info.id : report.id,
    anchor: p.anchor,
    title: i === 2 ? info.title : report.title,
    citation: i === 2 ? '2005 Convention, Art. 16' : `VNM QPR 2020, ${p.heading}`,
    heading: p.heading,
    page: null,
    kind: i === 2 ? 'instrument' : 'report',
    country: i === 2 ? [] : ['VNM'],
    language: 'en',
    year: i === 2 ? 2005 : 2020,
    instrument: '2005 Convention',
    snippet: p.text.slice(0, 120).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/cultural/g, '<mark>cultural</mark>') + ' &lt;img src=x onerror=alert(1)&gt;',
    score: 1,
  }));
  return {
    query: q.query,
    total: hits.length,
    took_ms: 3,
    hits,
    facets: [
      { name: 'kind', values: [{ value: 'instrument', count: 1 }, { value: 'report', count: 2 }] },
      { name: 'country', values: [{ value: 'VNM', count: 2 }] },
      { name: 'language', values: [{ value: 'en', count: 3 }] },
      { name: 'year', values: [{ value: '2005', count: 1 }, { value: '2020', count: 2 }] },
      { name: 'instrument', values: [{ value: '2005 Convention', count: 3 }] },
    ],
    fuzzy: false,
    notice: null,
    notes: noteSlice,
    notes_total: found.length,
  };
}

function getDoc(id: string, query: string): DocumentView {
  const d = id === info.id ? info : report;
  return {
    info: d,
    outline: passages.map((p) => ({ anchor: p.anchor, label: p.heading, level: 1 })),
    passages: passages.map((p) => ({ ...p, locator: null, page: null, citation: `${d.citation_title}, ${p.heading}`, marks: marksFor(p.text, query) })),
    match_count: 0,
  };
}

mockIPC((cmd, payload) => {
  const a = (payload ?? {}) as Record<string, unknown>;
  switch (cmd) {
    case 'app_status':
    case 'retry_library':
    case 'open_library':
      return status();
    case 'save_settings':
      settings = a.settings as Settings;
      return status();
    case 'search':
      return doSearch(a.query as SearchQuery);
    case 'get_document':
      return getDoc(a.id as string, a.query as string);
    case 'list_documents':
      return [info, report];
    case 'copy_text':
    case 'open_external':
      console.info(cmd, a);
      return null;
    case 'update_metadata':
      if ((a.edit as { year: number | null }).year === 1) throw { code: 'invalid_metadata', message: 'The year 1 is not plausible.' };
      return info;
    case 'remove_document':
      return info;
    case 'cancel_job':
      return true;
    case 'notes_for_document':
      return notes.filter((n) => n.doc_id === a.docId);
    case 'list_notes':
      return listNotes(a.filter as NoteFilter);
    case 'add_note': {
      const n = makeNote(a.note as NewNote, { created: Date.now(), modified: Date.now() });
      notes.push(n);
      return n;
    }
    case 'edit_note':
      return editNote(a.edit as NoteEdit);
    case 'delete_note': {
      const n = notes.find((x) => x.id === a.id);
      if (!n) throw { code: 'not_found', message: 'That annotation no longer exists.' };
      notes = notes.filter((x) => x.id !== a.id);
      trash.set(n.id, n);
      return n;
    }
    case 'restore_note': {
      const n = trash.get(a.id as string);
      if (!n) throw { code: 'not_found', message: 'That annotation can no longer be restored.' };
      trash.delete(n.id);
      notes.push(n);
      return n;
    }
    case 'export_notes':
      console.info(cmd, a);
      return { path: a.path, count: notes.length };
    case 'import_notes':
      if (String(a.path).endsWith('.txt')) throw { code: 'invalid_input', message: 'This file is not an annotation export.' };
      return { added: 2, updated: 1, unchanged: 3, kept_ours: 1 };
    case 'plugin:dialog|save': {
      const o = (a.options ?? {}) as { defaultPath?: string };
      return `/home/user/Documents/${o.defaultPath ?? 'notes.jsonld'}`;
    }
    case 'plugin:dialog|open': {
      const o = (a.options ?? {}) as { filters?: { extensions: string[] }[] };
      if (o.filters?.some((f) => f.extensions.includes('pustakapack'))) return '/home/user/Downloads/Workshop Hanoi.pustakapack';
      if (o.filters?.some((f) => f.extensions.includes('pustakacorpus'))) return `/media/usb/${params.get('pack') ?? 'hanoi'}.pustakacorpus`;
      return '/home/user/Documents/pustaka-notes.jsonld';
    }
    case 'list_packs':
      return [...packs.values()].map(packSummary);
    case 'create_pack':
      return packView(makePack(String(a.title ?? ''), String(a.audience ?? '')));
    case 'get_pack':
      return packView(getPackOr(a.id));
    case 'update_pack_meta': {
      const p = getPackOr(a.id);
      const e = a.edit as PackMetaEdit;
      if (e.title !== null && !e.title.trim()) throw { code: 'invalid_input', message: 'A briefing needs a title.' };
      for (const k of ['title', 'subtitle', 'audience', 'author', 'date', 'language'] as const) if (e[k] !== null) p[k] = e[k]!;
      return touch(p);
    }
    case 'delete_pack': {
      const p = getPackOr(a.id);
      packs.delete(p.id);
      packTrash.set(p.id, p);
      return packSummary(p);
    }
    case 'restore_pack': {
      const p = packTrash.get(String(a.id));
      if (!p) throw { code: 'not_found', message: 'That briefing can no longer be restored.' };
      packTrash.delete(p.id);
      packs.set(p.id, p);
      return packView(p);
    }
    case 'add_pack_item': {
      const p = getPackOr(a.id);
      const it = newItem(a.item as NewPackItem);
      const at = a.index === null || a.index === undefined ? p.items.length : Math.min(Number(a.index), p.items.length);
      p.items.splice(at, 0, it);
      return touch(p);
    }
    case 'update_pack_item': {
      const p = getPackOr(a.id);
      const it = p.items[itemIndex(p, a.itemId)];
      const e = a.edit as PackItemEdit;
      if (e.text !== null) it.text = e.text;
      if (e.trainer_only !== null) it.trainer_only = e.trainer_only;
      return touch(p);
    }
    case 'move_pack_item': {
      const p = getPackOr(a.id);
      const [it] = p.items.splice(itemIndex(p, a.itemId), 1);
      p.items.splice(Math.max(0, Math.min(p.items.length, Number(a.to))), 0, it);
      return touch(p);
    }
    case 'remove_pack_item': {
      const p = getPackOr(a.id);
      p.items.splice(itemIndex(p, a.itemId), 1);
      return touch(p);
    }
    case 'export_pack':
      return exportPack(a);
    case 'preview_pack_file':
      if (!String(a.path).endsWith('.pustakapack')) throw { code: 'invalid_input', message: 'This file is not a Pustaka briefing pack.' };
      return { title: 'Workshop in Hanoi', subtitle: 'Cultural industries and trade', created_by: 'Trần Bình', created_at: Date.now() - 86400_000 * 10, items: 12, passages: 7, passages_missing: 2, annotations: 3, signed: false, signer: null };
    case 'import_pack': {
      const p = makePack('Workshop in Hanoi', 'Provincial officials');
      p.subtitle = 'Cultural industries and trade';
      p.items = [newItem({ kind: 'heading', text: 'Opening' }), newItem({ kind: 'passage', doc_id: 'c2005', anchor: 'art-1', note: '', trainer_only: false })];
      return { pack_id: p.id, excerpts_added: 2, annotations_added: 3 };
    }
    case 'starter_status':
      return starterState;
    case 'inspect_content_pack':
      return packInfo(String(a.path));
    case 'install_content_pack':
      return installContentPack(a);
    case 'fetch_official_texts':
      return fetchOfficialTexts(a);
    case 'add_documents':
      return { added: 1, updated: 0, unchanged: 0, skipped: [], failed: [{ path: '/x/bad.pdf', reason: 'The PDF is damaged.' }], cancelled: false };
    default:
      throw { code: 'internal', message: `mock: unknown command ${cmd}` };
  }
});

await import('../src/main');

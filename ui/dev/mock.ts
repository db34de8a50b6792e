// Development only (npm run dev, then open /mock.html): the UI with a fake shell, so it
// can be tried in a plain browser. Not part of the build.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { AppStatus, DocInfo, DocumentView, SearchQuery, SearchResponse, Settings } from '../src/lib/ipc/types';

let settings: Settings = { library_path: null, ui_language: 'en', theme: 'system', text_size: 100, author_name: '' };
const unavailable = new URLSearchParams(location.search).has('unavailable');

const status = (): AppStatus => ({
  library: unavailable
    ? { state: 'unavailable', path: '/home/user/Pustaka', error: { code: 'library_in_use', message: 'Another Pustaka window is using this library.' } }
    : { state: 'ready', path: '/home/user/Pustaka', documents: 2, passages: 40 },
  default_library_path: '/home/user/Pustaka',
  settings,
  notices: ['The search index was rebuilt.'],
  version: '0.1.0-mock',
});

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

function doSearch(q: SearchQuery): SearchResponse {
  if (q.query.includes('zzz')) return { query: q.query, total: 0, took_ms: 1, hits: [], facets: [], fuzzy: true, notice: null };
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
    case 'add_documents':
      return { added: 1, updated: 0, unchanged: 0, skipped: [], failed: [{ path: '/x/bad.pdf', reason: 'The PDF is damaged.' }], cancelled: false };
    default:
      throw { code: 'internal', message: `mock: unknown command ${cmd}` };
  }
});

await import('../src/main');

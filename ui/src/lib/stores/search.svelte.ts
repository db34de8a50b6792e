import * as api from '../ipc/api';
import type { Hit, IpcError, NoteHit, NoteView, SearchQuery, SearchResponse, SearchScope } from '../ipc/types';
import { SearchController } from '../searchController';
import { buildQuery, hasSelection, toggle, PAGE_SIZE, type Selection } from '../facets';
import { app } from './app.svelte';

export interface OpenDoc {
  id: string;
  anchor: string | null;
  query: string;
  /** Changes on every open, so opening the same result again scrolls again. */
  serial: number;
  /** An annotation to show selected in the notes panel. */
  note?: string | null;
}

export const search = $state({
  text: '',
  sel: {} as Selection,
  response: null as SearchResponse | null,
  hits: [] as Hit[],
  /** What to search: everything, documents only or the user's notes only. */
  scope: 'all' as SearchScope,
  /** Notes that match (NoteHit), shown above the passages or alone in the notes scope. */
  notes: [] as NoteHit[],
  lastQuery: null as SearchQuery | null,
  loading: false,
  error: null as IpcError | null,
  selected: -1,
  open: null as OpenDoc | null,
  showFacets: true,
});

let serial = 0;
/** Set by refreshSearch: the next first page keeps the selected result. */
let keepSelection = false;

const controller = new SearchController((q) => api.search(q), {
  result(r, q) {
    search.error = null;
    search.response = r;
    search.lastQuery = q;
    const notes = r.notes ?? [];
    if (q.offset > 0) {
      search.hits = [...search.hits, ...r.hits];
      if (q.scope === 'notes') search.notes = [...search.notes, ...notes];
    } else {
      search.hits = r.hits;
      search.notes = notes;
      if (!keepSelection || search.selected >= r.hits.length) search.selected = -1;
    }
    keepSelection = false;
  },
  error(e) {
    search.error = e;
  },
  loading(busy) {
    search.loading = busy;
  },
});

function run(immediate: boolean, keep = false): void {
  keepSelection = keep;
  if (!search.text.trim()) {
    controller.cancel();
    search.response = null;
    search.hits = [];
    search.notes = [];
    search.lastQuery = null;
    search.error = null;
    search.selected = -1;
    return;
  }
  const q = buildQuery(search.text, search.sel, 0, PAGE_SIZE, search.scope);
  if (immediate) void controller.now(q);
  else controller.schedule(q);
}

export function setText(text: string): void {
  search.text = text;
  run(false);
}

/** Runs an example query at once. */
export function runExample(text: string): void {
  search.text = text;
  run(true);
}

export function setFacet(name: string, value: string, on: boolean): void {
  search.sel = toggle(search.sel, name, value, on);
  run(true);
}

export function clearFacets(): void {
  if (!hasSelection(search.sel)) return;
  search.sel = {};
  run(true);
}

/** Searches everything, documents only or notes only. */
export function setScope(scope: SearchScope): void {
  if (search.scope === scope) return;
  search.scope = scope;
  run(true);
}

export function loadMore(): void {
  const last = search.lastQuery;
  if (!last) return;
  const offset = last.scope === 'notes' ? search.notes.length : search.hits.length;
  void controller.now({ ...last, offset, limit: PAGE_SIZE });
}

/** Runs the current search again (after documents or annotations changed), keeping the selection. */
export function refreshSearch(): void {
  if (!search.text.trim()) return;
  run(true, true);
}

export function openHit(i: number): void {
  const hit = search.hits[i];
  if (!hit) return;
  search.selected = i;
  search.open = { id: hit.doc_id, anchor: hit.anchor, query: search.lastQuery?.query ?? search.text, serial: ++serial };
}

/** Opens the reader at an annotation's passage, with the annotation selected. */
export function openNote(note: NoteView): void {
  app.view = 'search';
  search.open = {
    id: note.doc_id,
    anchor: note.anchoring === 'orphan' ? null : note.anchor,
    query: search.text.trim() ? (search.lastQuery?.query ?? search.text) : '',
    serial: ++serial,
    note: note.id,
  };
}

export function closeReader(): void {
  search.open = null;
}

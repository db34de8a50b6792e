import * as api from '../ipc/api';
import type { Hit, IpcError, SearchQuery, SearchResponse } from '../ipc/types';
import { SearchController } from '../searchController';
import { buildQuery, hasSelection, toggle, PAGE_SIZE, type Selection } from '../facets';

export interface OpenDoc {
  id: string;
  anchor: string | null;
  query: string;
  /** Changes on every open, so opening the same result again scrolls again. */
  serial: number;
}

export const search = $state({
  text: '',
  sel: {} as Selection,
  response: null as SearchResponse | null,
  hits: [] as Hit[],
  lastQuery: null as SearchQuery | null,
  loading: false,
  error: null as IpcError | null,
  selected: -1,
  open: null as OpenDoc | null,
  showFacets: true,
});

let serial = 0;

const controller = new SearchController((q) => api.search(q), {
  result(r, q) {
    search.error = null;
    search.response = r;
    search.lastQuery = q;
    if (q.offset > 0) {
      search.hits = [...search.hits, ...r.hits];
    } else {
      search.hits = r.hits;
      search.selected = -1;
    }
  },
  error(e) {
    search.error = e;
  },
  loading(busy) {
    search.loading = busy;
  },
});

function run(immediate: boolean): void {
  if (!search.text.trim()) {
    controller.cancel();
    search.response = null;
    search.hits = [];
    search.lastQuery = null;
    search.error = null;
    search.selected = -1;
    return;
  }
  const q = buildQuery(search.text, search.sel);
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

export function loadMore(): void {
  const last = search.lastQuery;
  if (!last) return;
  void controller.now({ ...last, offset: search.hits.length, limit: PAGE_SIZE });
}

/** Runs the current search again (after documents were added, removed or edited). */
export function refreshSearch(): void {
  if (search.text.trim()) run(true);
}

export function openHit(i: number): void {
  const hit = search.hits[i];
  if (!hit) return;
  search.selected = i;
  search.open = { id: hit.doc_id, anchor: hit.anchor, query: search.lastQuery?.query ?? search.text, serial: ++serial };
}

export function closeReader(): void {
  search.open = null;
}

import type { Facet, FacetValue, SearchQuery, SearchScope } from './ipc/types';

/** Selected facet values by facet name (kind, country, language, instrument, year). */
export type Selection = Record<string, string[]>;

export const FACET_ORDER = ['kind', 'country', 'language', 'year', 'instrument'];

const FIELDS: Record<string, 'kinds' | 'countries' | 'languages' | 'instruments'> = {
  kind: 'kinds',
  country: 'countries',
  language: 'languages',
  instrument: 'instruments',
};

export const PAGE_SIZE = 25;

export const SCOPES: readonly SearchScope[] = ['all', 'documents', 'notes'];

/** Builds the query sent to `search`: OR within a facet, AND across facets. */
export function buildQuery(
  text: string,
  sel: Selection,
  offset = 0,
  limit = PAGE_SIZE,
  scope: SearchScope = 'all',
): SearchQuery {
  const q: SearchQuery = {
    query: text,
    limit,
    offset,
    kinds: [],
    countries: [],
    languages: [],
    instruments: [],
    year_from: null,
    year_to: null,
    scope,
  };
  for (const [name, values] of Object.entries(sel)) {
    if (!values.length) continue;
    if (name === 'year') {
      const y = Number.parseInt(values[values.length - 1], 10);
      if (Number.isFinite(y)) {
        q.year_from = y;
        q.year_to = y;
      }
      continue;
    }
    const field = FIELDS[name];
    if (field) q[field] = [...new Set(values)];
  }
  return q;
}

/** Checks or unchecks a value. A year replaces any other year (one year at a time). */
export function toggle(sel: Selection, name: string, value: string, on: boolean): Selection {
  const cur = sel[name] ?? [];
  let next: string[];
  if (on) next = name === 'year' ? [value] : cur.includes(value) ? cur : [...cur, value];
  else next = cur.filter((v) => v !== value);
  const out: Selection = { ...sel, [name]: next };
  if (!next.length) delete out[name];
  return out;
}

export function hasSelection(sel: Selection): boolean {
  return Object.values(sel).some((v) => v.length > 0);
}

/**
 * Facets to show: in the usual order, with selected values kept (count 0) even when the
 * latest response no longer lists them, so they can be unchecked.
 */
export function displayFacets(facets: Facet[], sel: Selection): Facet[] {
  const byName = new Map(facets.map((f) => [f.name, f]));
  for (const name of Object.keys(sel)) if (!byName.has(name)) byName.set(name, { name, values: [] });
  const names = [...byName.keys()].sort((a, b) => {
    const ia = FACET_ORDER.indexOf(a);
    const ib = FACET_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return names
    .map((name) => {
      const f = byName.get(name)!;
      const values: FacetValue[] = [...f.values];
      for (const v of sel[name] ?? []) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0 });
      if (name === 'year') values.sort((a, b) => b.value.localeCompare(a.value));
      return { name, values };
    })
    .filter((f) => f.values.length > 0);
}

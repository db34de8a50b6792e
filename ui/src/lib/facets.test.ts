import { describe, expect, it } from 'vitest';
import { buildQuery, displayFacets, hasSelection, toggle, type Selection } from './facets';

describe('facets → SearchQuery', () => {
  it('builds an unfiltered query', () => {
    expect(buildQuery('artist', {})).toEqual({
      query: 'artist',
      limit: 25,
      offset: 0,
      kinds: [],
      countries: [],
      languages: [],
      instruments: [],
      year_from: null,
      year_to: null,
      scope: 'all',
    });
  });

  it('passes the scope', () => {
    expect(buildQuery('x', {}, 0, 25, 'notes').scope).toBe('notes');
  });

  it('maps each facet to its field (OR within, AND across)', () => {
    const sel: Selection = { kind: ['policy', 'report'], country: ['VNM'], language: ['vi'], instrument: ['2005 Convention'] };
    const q = buildQuery('x', sel, 50, 25);
    expect(q.kinds).toEqual(['policy', 'report']);
    expect(q.countries).toEqual(['VNM']);
    expect(q.languages).toEqual(['vi']);
    expect(q.instruments).toEqual(['2005 Convention']);
    expect(q.offset).toBe(50);
    expect(q.limit).toBe(25);
  });

  it('a year sets year_from = year_to', () => {
    const q = buildQuery('x', { year: ['2005'] });
    expect(q.year_from).toBe(2005);
    expect(q.year_to).toBe(2005);
  });

  it('ignores unknown facets and bad years', () => {
    const q = buildQuery('x', { colour: ['red'], year: ['abc'] });
    expect(q.year_from).toBeNull();
    expect(q.kinds).toEqual([]);
  });
});

describe('toggle', () => {
  it('adds and removes values, dropping empty facets', () => {
    let s = toggle({}, 'kind', 'policy', true);
    s = toggle(s, 'kind', 'report', true);
    expect(s).toEqual({ kind: ['policy', 'report'] });
    s = toggle(s, 'kind', 'policy', false);
    s = toggle(s, 'kind', 'report', false);
    expect(s).toEqual({});
    expect(hasSelection(s)).toBe(false);
  });

  it('keeps one year at a time', () => {
    let s = toggle({}, 'year', '2005', true);
    s = toggle(s, 'year', '2003', true);
    expect(s.year).toEqual(['2003']);
  });

  it('does not duplicate a value', () => {
    expect(toggle({ kind: ['policy'] }, 'kind', 'policy', true)).toEqual({ kind: ['policy'] });
  });
});

describe('displayFacets', () => {
  it('orders facets and keeps selected values missing from the response', () => {
    const out = displayFacets(
      [
        { name: 'year', values: [{ value: '2003', count: 1 }, { value: '2005', count: 4 }] },
        { name: 'kind', values: [{ value: 'report', count: 2 }] },
      ],
      { kind: ['policy'] },
    );
    expect(out.map((f) => f.name)).toEqual(['kind', 'year']);
    expect(out[0].values).toEqual([
      { value: 'report', count: 2 },
      { value: 'policy', count: 0 },
    ]);
    expect(out[1].values.map((v) => v.value)).toEqual(['2005', '2003']);
  });
});

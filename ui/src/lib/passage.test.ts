import { describe, expect, it } from 'vitest';
import { markOffsets, passageRuns, segmentMarks, validHighlights, validMarks } from './passage';

describe('segmentMarks', () => {
  it('splits text at mark ranges and numbers the marks', () => {
    expect(segmentMarks('Article 16 preferential treatment', [[11, 23]], 5)).toEqual([
      { text: 'Article 16 ', mark: null },
      { text: 'preferential', mark: 5 },
      { text: ' treatment', mark: null },
    ]);
  });

  it('uses UTF-16 offsets (astral characters count as two)', () => {
    const text = '😀 ศิลปิน art';
    // '😀' is 2 code units, then a space: 'ศิลปิน' starts at 3.
    const parts = segmentMarks(text, [[3, 9]]);
    expect(parts[1]).toEqual({ text: 'ศิลปิน', mark: 0 });
  });

  it('ignores out-of-range, empty, reversed and overlapping ranges', () => {
    const text = 'abcdefghij';
    expect(
      validMarks(text, [
        [2, 4],
        [3, 6],
        [8, 20],
        [-1, 1],
        [5, 5],
        [7, 6],
        [6, 8],
      ]),
    ).toEqual([
      [2, 4],
      [6, 8],
    ]);
  });

  it('sorts unsorted ranges', () => {
    expect(segmentMarks('one two three', [[8, 13], [0, 3]]).map((p) => p.mark)).toEqual([0, null, 1]);
  });

  it('returns the whole text when there are no marks', () => {
    expect(segmentMarks('plain', [])).toEqual([{ text: 'plain', mark: null }]);
    expect(segmentMarks('', [])).toEqual([]);
  });
});

describe('passageRuns', () => {
  it('makes links of URLs and keeps marks inside them', () => {
    const text = 'See https://en.unesco.org/creativity now';
    const runs = passageRuns(text, [[0, 3], [12, 18]]);
    expect(runs.map((r) => r.href)).toEqual([null, 'https://en.unesco.org/creativity', null]);
    expect(runs[1].parts).toEqual([
      { text: 'https://', mark: null },
      { text: 'en.une', mark: 1 },
      { text: 'sco.org/creativity', mark: null },
    ]);
    expect(runs.flatMap((r) => r.parts.map((p) => p.text)).join('')).toBe(text);
  });

  it('splits a mark that straddles a link edge, keeping one index', () => {
    const text = 'at http://a.org x';
    const runs = passageRuns(text, [[0, 5]]);
    expect(runs[0]).toEqual({ href: null, parts: [{ text: 'at ', mark: 0 }] });
    expect(runs[1].parts[0]).toEqual({ text: 'ht', mark: 0 });
  });

  it('never links javascript: text', () => {
    const runs = passageRuns('click javascript:alert(1)', []);
    expect(runs.every((r) => r.href === null)).toBe(true);
  });
});

describe('markOffsets', () => {
  it('gives the first mark index of each passage and the total', () => {
    const r = markOffsets([
      { text: 'aaaa', marks: [[0, 1], [2, 3]] },
      { text: 'bb', marks: [] },
      { text: 'cccc', marks: [[0, 2], [1, 3], [9, 10]] },
    ]);
    expect(r).toEqual({ firsts: [0, 2, 2], total: 3 });
  });
});

describe('passageRuns with highlights', () => {
  const flat = (runs: ReturnType<typeof passageRuns>) => runs.flatMap((r) => r.parts);
  const hl = (id: string, start: number, end: number, color = 'yellow') => ({ id, start, end, color });

  it('splits at highlight edges and keeps the text whole', () => {
    const text = 'Preferential treatment for artists.';
    const runs = passageRuns(text, [], 0, [hl('a', 0, 12, 'green')]);
    expect(flat(runs)).toEqual([
      { text: 'Preferential', mark: null, hl: { id: 'a', color: 'green', ids: ['a'], first: true } },
      { text: ' treatment for artists.', mark: null },
    ]);
  });

  it('nests search matches inside a highlight (both kept)', () => {
    const text = 'Preferential treatment for artists.';
    // Highlight "treatment for artists", match "for" and "artists".
    const parts = flat(passageRuns(text, [[23, 26], [27, 34]], 4, [hl('a', 13, 34)]));
    expect(parts.map((p) => [p.text, p.mark, p.hl?.id ?? null, p.hl?.first ?? null])).toEqual([
      ['Preferential ', null, null, null],
      ['treatment ', null, 'a', true],
      ['for', 4, 'a', false],
      [' ', null, 'a', false],
      ['artists', 5, 'a', false],
      ['.', null, null, null],
    ]);
  });

  it('splits a match that straddles a highlight edge, keeping its index', () => {
    const text = 'abcdefghij';
    const parts = flat(passageRuns(text, [[2, 6]], 0, [hl('a', 4, 8)]));
    expect(parts.map((p) => [p.text, p.mark, p.hl?.id ?? null])).toEqual([
      ['ab', null, null],
      ['cd', 0, null],
      ['ef', 0, 'a'],
      ['gh', null, 'a'],
      ['ij', null, null],
    ]);
  });

  it('draws the later-starting of two overlapping highlights on top and lists both', () => {
    const text = 'abcdefghij';
    const parts = flat(passageRuns(text, [], 0, [hl('outer', 0, 10, 'blue'), hl('inner', 3, 6, 'pink')]));
    expect(parts.map((p) => [p.text, p.hl!.id, p.hl!.color, p.hl!.ids, p.hl!.first])).toEqual([
      ['abc', 'outer', 'blue', ['outer'], true],
      ['def', 'inner', 'pink', ['inner', 'outer'], true],
      ['ghij', 'outer', 'blue', ['outer'], false],
    ]);
  });

  it('partly overlapping highlights: each piece shows the right one', () => {
    const parts = flat(passageRuns('abcdefgh', [], 0, [hl('x', 0, 5), hl('y', 3, 8)]));
    expect(parts.map((p) => [p.text, p.hl!.id, p.hl!.ids])).toEqual([
      ['abc', 'x', ['x']],
      ['de', 'y', ['y', 'x']],
      ['fgh', 'y', ['y']],
    ]);
  });

  it('same range twice: a stable order, the other still listed', () => {
    const parts = flat(passageRuns('abc', [], 0, [hl('b', 0, 3), hl('a', 0, 3)]));
    expect(parts).toHaveLength(1);
    expect(parts[0].hl!.ids).toEqual(['a', 'b']);
  });

  it('splits a highlight at link edges, keeping one tab stop', () => {
    const text = 'see https://a.org now';
    const runs = passageRuns(text, [], 0, [hl('a', 0, 9)]);
    expect(runs.map((r) => r.href)).toEqual([null, 'https://a.org', null]);
    expect(runs[0].parts).toEqual([{ text: 'see ', mark: null, hl: { id: 'a', color: 'yellow', ids: ['a'], first: true } }]);
    expect(runs[1].parts[0]).toEqual({ text: 'https', mark: null, hl: { id: 'a', color: 'yellow', ids: ['a'], first: false } });
    expect(runs.flatMap((r) => r.parts.map((p) => p.text)).join('')).toBe(text);
  });

  it('uses UTF-16 offsets (emoji, Thai)', () => {
    const text = '😀 ศิลปิน art';
    const parts = flat(passageRuns(text, [], 0, [hl('t', 3, 9)]));
    expect(parts[1].text).toBe('ศิลปิน');
    expect(parts[1].hl!.id).toBe('t');
  });

  it('ignores unusable highlights', () => {
    const text = 'abc';
    const runs = passageRuns(text, [], 0, [hl('a', 2, 9), hl('b', 2, 2), hl('c', -1, 1), hl('d', 1.5, 2)]);
    expect(flat(runs)).toEqual([{ text: 'abc', mark: null }]);
    expect(validHighlights(text, [hl('e', 0, 3)])).toHaveLength(1);
    expect(passageRuns('', [], 0, [hl('a', 0, 1)])).toEqual([]);
  });
});

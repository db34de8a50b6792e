import { describe, expect, it } from 'vitest';
import { markOffsets, passageRuns, segmentMarks, validMarks } from './passage';

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

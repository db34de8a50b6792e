import { describe, expect, it } from 'vitest';
import { stepMatch } from './matchCycle';

describe('stepMatch', () => {
  it('goes through all matches and wraps forwards', () => {
    let i = -1;
    const seen: number[] = [];
    for (let k = 0; k < 5; k++) seen.push((i = stepMatch(i, 3, 1)));
    expect(seen).toEqual([0, 1, 2, 0, 1]);
  });
  it('wraps backwards', () => {
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, -1)).toBe(1);
  });
  it('starts from the focused passage', () => {
    expect(stepMatch(-1, 10, 1, 4)).toBe(4);
    expect(stepMatch(-1, 10, -1, 4)).toBe(3);
    expect(stepMatch(-1, 10, 1, 10)).toBe(0);
  });
  it('returns -1 when there are no matches', () => {
    expect(stepMatch(-1, 0, 1)).toBe(-1);
    expect(stepMatch(3, 0, -1)).toBe(-1);
  });
});

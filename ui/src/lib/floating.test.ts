import { describe, expect, it } from 'vitest';
import { placeToolbar } from './floating';

const area = { top: 100, left: 0, width: 600, height: 400 };
const size = { width: 200, height: 40 };

describe('placeToolbar', () => {
  it('goes above the selection, centred on it', () => {
    expect(placeToolbar({ top: 300, left: 200, width: 100, height: 20 }, size, area)).toEqual({ top: 252, left: 150, below: false });
  });
  it('goes below when there is no room above in view', () => {
    expect(placeToolbar({ top: 120, left: 200, width: 100, height: 20 }, size, area)).toEqual({ top: 148, left: 150, below: true });
  });
  it('stays inside the pane’s width', () => {
    expect(placeToolbar({ top: 300, left: 0, width: 10, height: 20 }, size, area).left).toBe(4);
    expect(placeToolbar({ top: 300, left: 590, width: 10, height: 20 }, size, area).left).toBe(396);
  });
  it('a pane narrower than the toolbar: flush left', () => {
    expect(placeToolbar({ top: 300, left: 50, width: 10, height: 20 }, size, { ...area, width: 150 }).left).toBe(4);
  });
});

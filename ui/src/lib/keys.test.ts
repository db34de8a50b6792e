import { describe, expect, it } from 'vitest';
import { isSearchShortcut } from './keys';

function key(init: KeyboardEventInit, target?: HTMLElement): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { ...init, bubbles: true });
  if (target) Object.defineProperty(e, 'target', { value: target });
  return e;
}

describe('isSearchShortcut', () => {
  it('Ctrl+K and Cmd+K always', () => {
    const input = document.createElement('input');
    expect(isSearchShortcut(key({ key: 'k', ctrlKey: true }, input))).toBe(true);
    expect(isSearchShortcut(key({ key: 'K', metaKey: true }))).toBe(true);
  });
  it('/ only outside text fields', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(isSearchShortcut(key({ key: '/' }, document.body))).toBe(true);
    expect(isSearchShortcut(key({ key: '/' }, checkbox))).toBe(true);
    expect(isSearchShortcut(key({ key: '/' }, input))).toBe(false);
    expect(isSearchShortcut(key({ key: '/' }, textarea))).toBe(false);
  });
  it('ignores other keys', () => {
    expect(isSearchShortcut(key({ key: 'k' }))).toBe(false);
  });
});

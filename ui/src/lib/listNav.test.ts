import { describe, expect, it } from 'vitest';
import { navigate } from './listNav';

describe('navigate (clamps, no wrapping)', () => {
  it('ArrowDown from nothing selects the first item, then moves down', () => {
    expect(navigate(-1, 5, 'ArrowDown')).toBe(0);
    expect(navigate(0, 5, 'ArrowDown')).toBe(1);
  });
  it('clamps at the ends', () => {
    expect(navigate(4, 5, 'ArrowDown')).toBe(4);
    expect(navigate(0, 5, 'ArrowUp')).toBe(0);
  });
  it('ArrowUp moves up', () => {
    expect(navigate(3, 5, 'ArrowUp')).toBe(2);
  });
  it('Home, End and page keys', () => {
    expect(navigate(2, 5, 'Home')).toBe(0);
    expect(navigate(2, 5, 'End')).toBe(4);
    expect(navigate(2, 50, 'PageDown')).toBe(12);
    expect(navigate(2, 50, 'PageUp')).toBe(0);
  });
  it('ignores other keys and empty lists', () => {
    expect(navigate(1, 5, 'a')).toBeNull();
    expect(navigate(-1, 0, 'ArrowDown')).toBe(-1);
    expect(navigate(-1, 0, 'Home')).toBeNull();
  });
});

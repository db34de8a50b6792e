import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UndoTimer, UNDO_MS } from './undo';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UndoTimer', () => {
  it('offers an item for about eight seconds, then expires it', () => {
    const expired: string[] = [];
    const u = new UndoTimer<string>((x) => expired.push(x));
    u.offer('a');
    expect(u.current).toBe('a');
    vi.advanceTimersByTime(UNDO_MS - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    expect(u.current).toBeNull();
    expect(u.take()).toBeNull();
  });

  it('take() returns the item once and stops the countdown', () => {
    const onExpire = vi.fn();
    const u = new UndoTimer<string>(onExpire, 1000);
    u.offer('a');
    expect(u.take()).toBe('a');
    expect(u.take()).toBeNull();
    vi.advanceTimersByTime(5000);
    expect(onExpire).not.toHaveBeenCalled();
  });

  it('a new offer ends the earlier one at once', () => {
    const expired: string[] = [];
    const u = new UndoTimer<string>((x) => expired.push(x), 1000);
    u.offer('a');
    vi.advanceTimersByTime(500);
    u.offer('b');
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(999);
    expect(u.current).toBe('b');
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'b']);
  });

  it('pauses while the user is on the toast and resumes with what was left', () => {
    const onExpire = vi.fn();
    const u = new UndoTimer<string>(onExpire, 8000);
    u.offer('a');
    vi.advanceTimersByTime(5000);
    u.pause();
    expect(u.paused).toBe(true);
    vi.advanceTimersByTime(60000);
    expect(onExpire).not.toHaveBeenCalled();
    u.resume();
    vi.advanceTimersByTime(2999);
    expect(onExpire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onExpire).toHaveBeenCalledWith('a');
  });

  it('gives at least a second and a half after resuming', () => {
    const onExpire = vi.fn();
    const u = new UndoTimer<string>(onExpire, 8000);
    u.offer('a');
    vi.advanceTimersByTime(7900);
    u.pause();
    u.resume();
    vi.advanceTimersByTime(1499);
    expect(onExpire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onExpire).toHaveBeenCalledOnce();
  });

  it('pause and resume without an offer do nothing; dispose ends quietly', () => {
    const onExpire = vi.fn();
    const u = new UndoTimer<string>(onExpire, 1000);
    u.pause();
    u.resume();
    u.offer('a');
    u.resume(); // not paused: no second timer
    u.dispose();
    vi.advanceTimersByTime(5000);
    expect(onExpire).not.toHaveBeenCalled();
    expect(u.current).toBeNull();
  });
});

import { describe, expect, it, vi } from 'vitest';
import { AddTracker, frameBatcher, parsePaths } from './addTracker';

describe('AddTracker', () => {
  it('counts outcomes and tracks the current file', () => {
    const tr = new AddTracker();
    tr.apply({ event: 'found', files: 3 });
    tr.apply({ event: 'started', index: 0, total: 3, path: '/a/one.pdf' });
    expect(tr.snapshot().current).toBe('/a/one.pdf');
    tr.apply({ event: 'finished', index: 0, total: 3, path: '/a/one.pdf', outcome: 'added', reason: null });
    tr.apply({ event: 'finished', index: 1, total: 3, path: '/a/two.exe', outcome: 'skipped', reason: 'Not a document' });
    tr.apply({ event: 'finished', index: 2, total: 3, path: '/a/bad.pdf', outcome: 'failed', reason: 'Damaged PDF' });
    const s = tr.snapshot();
    expect(s.done).toBe(3);
    expect(s.total).toBe(3);
    expect(s.current).toBeNull();
    expect(s.counts).toEqual({ added: 1, updated: 0, unchanged: 0, skipped: 1, failed: 1 });
    expect(s.rows.find((r) => r.outcome === 'failed')?.reason).toBe('Damaged PDF');
  });

  it('keeps at most `cap` rows, preferring problems', () => {
    const tr = new AddTracker(10);
    tr.apply({ event: 'finished', index: 0, total: 5000, path: 'bad', outcome: 'failed', reason: 'x' });
    for (let i = 1; i < 5000; i++) {
      tr.apply({ event: 'finished', index: i, total: 5000, path: `f${i}`, outcome: 'added', reason: null });
    }
    const s = tr.snapshot();
    expect(s.rows).toHaveLength(10);
    expect(s.hidden).toBe(4990);
    expect(s.rows[0].outcome).toBe('failed');
    expect(s.rows[9].path).toBe('f4999');
    expect(s.counts.added).toBe(4999);
  });
});

describe('frameBatcher', () => {
  it('runs once per frame however many updates arrive', () => {
    vi.useFakeTimers();
    const cbs: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => cbs.push(cb));
    const fn = vi.fn();
    const b = frameBatcher(fn);
    for (let i = 0; i < 1000; i++) b.schedule();
    expect(cbs).toHaveLength(1);
    cbs[0](0);
    expect(fn).toHaveBeenCalledTimes(1);
    b.schedule();
    b.flush();
    cbs[1](0);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
});

describe('parsePaths', () => {
  it('splits on newlines and drops blanks', () => {
    expect(parsePaths(' /a/b.pdf \r\n\n/c d/e.docx\n  ')).toEqual(['/a/b.pdf', '/c d/e.docx']);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchController } from './searchController';
import { buildQuery } from './facets';
import type { SearchQuery, SearchResponse } from './ipc/types';

vi.mock('./ipc/api', () => ({
  toIpcError: (e: unknown) => (e && typeof e === 'object' ? e : { code: 'internal', message: String(e) }),
}));

const resp = (query: string): SearchResponse => ({
  query,
  total: 1,
  took_ms: 1,
  hits: [],
  facets: [],
  fuzzy: false,
  notice: null,
  notes: [],
  notes_total: 0,
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SearchController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces: only the last query typed within the delay is sent', async () => {
    const run = vi.fn((q: SearchQuery) => Promise.resolve(resp(q.query)));
    const result = vi.fn();
    const c = new SearchController(run, { result, error: vi.fn() }, 120);
    c.schedule(buildQuery('p', {}));
    await vi.advanceTimersByTimeAsync(50);
    c.schedule(buildQuery('pr', {}));
    await vi.advanceTimersByTimeAsync(50);
    c.schedule(buildQuery('pre', {}));
    expect(run).not.toHaveBeenCalled();
    expect(c.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(120);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0][0].query).toBe('pre');
    expect(result).toHaveBeenCalledTimes(1);
    expect(result.mock.calls[0][0].query).toBe('pre');
  });

  it('keeps one search in flight: text typed meanwhile waits, only the latest', async () => {
    const calls: { q: SearchQuery; d: ReturnType<typeof deferred<SearchResponse>> }[] = [];
    const run = vi.fn((q: SearchQuery) => {
      const d = deferred<SearchResponse>();
      calls.push({ q, d });
      return d.promise;
    });
    const result = vi.fn();
    const loading = vi.fn();
    const c = new SearchController(run, { result, error: vi.fn(), loading }, 10);
    c.schedule(buildQuery('p', {}));
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0][0].query).toBe('p');
    // Typed while it runs, each after the delay: only the last one waits.
    c.schedule(buildQuery('pr', {}));
    await vi.advanceTimersByTimeAsync(20);
    c.schedule(buildQuery('pre', {}));
    await vi.advanceTimersByTimeAsync(20);
    expect(c.pending).toBe(true);
    expect(run).toHaveBeenCalledTimes(1);
    calls[0].d.resolve(resp('p'));
    await vi.advanceTimersByTimeAsync(0);
    // The running search's results show, then the waiting one starts.
    expect(result).toHaveBeenCalledTimes(1);
    expect(result.mock.calls[0][0].query).toBe('p');
    expect(run).toHaveBeenCalledTimes(2);
    expect(run.mock.calls[1][0].query).toBe('pre');
    expect(c.pending).toBe(false);
    expect(loading).toHaveBeenLastCalledWith(true);
    calls[1].d.resolve(resp('pre'));
    await vi.advanceTimersByTimeAsync(0);
    expect(result).toHaveBeenCalledTimes(2);
    expect(result.mock.calls[1][0].query).toBe('pre');
    expect(loading).toHaveBeenLastCalledWith(false);
    // Idle again: the next keystroke only waits for the delay.
    c.schedule(buildQuery('pref', {}));
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('a failed search still starts the query waiting behind it', async () => {
    const first = deferred<SearchResponse>();
    const run = vi
      .fn()
      .mockReturnValueOnce(first.promise)
      .mockImplementation((q: SearchQuery) => Promise.resolve(resp(q.query)));
    const result = vi.fn();
    const error = vi.fn();
    const c = new SearchController(run, { result, error }, 10);
    c.schedule(buildQuery('"a', {}));
    await vi.advanceTimersByTimeAsync(10);
    c.schedule(buildQuery('"ab"', {}));
    await vi.advanceTimersByTimeAsync(10);
    first.reject({ code: 'invalid_input', message: 'Unbalanced quote' });
    await vi.runAllTimersAsync();
    expect(error).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledTimes(2);
    expect(result).toHaveBeenCalledTimes(1);
    expect(result.mock.calls[0][0].query).toBe('"ab"');
  });

  it('drops a response that arrives after a newer request was made', async () => {
    const first = deferred<SearchResponse>();
    const second = deferred<SearchResponse>();
    const run = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const result = vi.fn();
    const c = new SearchController(run, { result, error: vi.fn() });
    void c.now(buildQuery('old', {}));
    void c.now(buildQuery('new', {}));
    second.resolve(resp('new'));
    await vi.runAllTimersAsync();
    first.resolve(resp('old'));
    await vi.runAllTimersAsync();
    expect(result).toHaveBeenCalledTimes(1);
    expect(result.mock.calls[0][0].query).toBe('new');
  });

  it('drops a stale error too, and reports a current one as an IpcError', async () => {
    const first = deferred<SearchResponse>();
    const run = vi
      .fn()
      .mockReturnValueOnce(first.promise)
      .mockReturnValueOnce(Promise.reject({ code: 'invalid_input', message: 'Unbalanced quote' }));
    const error = vi.fn();
    const c = new SearchController(run, { result: vi.fn(), error });
    void c.now(buildQuery('a', {}));
    await c.now(buildQuery('"b', {}));
    first.reject({ code: 'io', message: 'old failure' });
    await vi.runAllTimersAsync();
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toEqual({ code: 'invalid_input', message: 'Unbalanced quote' });
  });

  it('cancel() forgets the pending request and ignores one in flight', async () => {
    const inflight = deferred<SearchResponse>();
    const run = vi.fn().mockReturnValue(inflight.promise);
    const result = vi.fn();
    const c = new SearchController(run, { result, error: vi.fn() });
    void c.now(buildQuery('x', {}));
    c.schedule(buildQuery('y', {}));
    expect(c.pending).toBe(true);
    c.cancel();
    expect(c.pending).toBe(false);
    inflight.resolve(resp('x'));
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(1);
    expect(result).not.toHaveBeenCalled();
  });

  it('reports loading only for the latest request', async () => {
    const d = deferred<SearchResponse>();
    const loading = vi.fn();
    const c = new SearchController(() => d.promise, { result: vi.fn(), error: vi.fn(), loading });
    void c.now(buildQuery('x', {}));
    expect(loading).toHaveBeenLastCalledWith(true);
    d.resolve(resp('x'));
    await vi.runAllTimersAsync();
    expect(loading).toHaveBeenLastCalledWith(false);
  });
});

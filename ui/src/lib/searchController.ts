import type { IpcError, SearchQuery, SearchResponse } from './ipc/types';
import { toIpcError } from './ipc/api';

export interface SearchHandlers {
  result: (r: SearchResponse, q: SearchQuery) => void;
  error: (e: IpcError, q: SearchQuery) => void;
  loading?: (busy: boolean) => void;
}

/**
 * Runs searches as the user types: debounced by a short delay (a burst of keys, as from a
 * paste, a held key or an input method, makes one request), and never more than one search
 * in flight: text typed while one runs waits, only the latest, and starts when it returns,
 * so each response shows as it comes. A response to a request older than the latest one
 * started is ignored (each request gets a sequence number).
 */
export class SearchController {
  private seq = 0;
  /** A search started here is running (and is the latest one). */
  private busy = false;
  /** The latest text typed while a search was running. */
  private queued: SearchQuery | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly run: (q: SearchQuery) => Promise<SearchResponse>,
    private readonly on: SearchHandlers,
    // Short: a search takes milliseconds and results follow each keystroke; a fixed delay
    // only adds to what the user waits for.
    private readonly delay = 12,
  ) {}

  /** Runs `q` after the debounce delay (replacing any query pending), or, if a search is
   *  running then, when it returns. */
  schedule(q: SearchQuery): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.busy) this.queued = q;
      else void this.now(q);
    }, this.delay);
  }

  /** Runs `q` at once; whatever was pending or in flight becomes stale. */
  async now(q: SearchQuery): Promise<void> {
    this.clearTimer();
    this.queued = null;
    const mine = ++this.seq;
    this.busy = true;
    this.on.loading?.(true);
    try {
      const r = await this.run(q);
      if (mine !== this.seq) return;
      this.on.result(r, q);
    } catch (e) {
      if (mine !== this.seq) return;
      this.on.error(toIpcError(e), q);
    } finally {
      if (mine === this.seq) {
        this.busy = false;
        const next = this.queued;
        if (next) void this.now(next);
        else this.on.loading?.(false);
      }
    }
  }

  /** Forgets the pending query and ignores any response in flight. */
  cancel(): void {
    this.clearTimer();
    this.queued = null;
    this.busy = false;
    this.seq++;
    this.on.loading?.(false);
  }

  /** A query waits for the debounce delay or for the running search to return. */
  get pending(): boolean {
    return this.timer !== null || this.queued !== null;
  }

  private clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

import type { IpcError, SearchQuery, SearchResponse } from './ipc/types';
import { toIpcError } from './ipc/api';

export interface SearchHandlers {
  result: (r: SearchResponse, q: SearchQuery) => void;
  error: (e: IpcError, q: SearchQuery) => void;
  loading?: (busy: boolean) => void;
}

/**
 * Runs searches as the user types: debounced, and a response to a request older than the
 * latest one is ignored (each request gets a sequence number).
 */
export class SearchController {
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly run: (q: SearchQuery) => Promise<SearchResponse>,
    private readonly on: SearchHandlers,
    // Short: a search takes milliseconds, so results follow each keystroke; bursts (fast
    // typing, a paste) still coalesce into one request.
    private readonly delay = 30,
  ) {}

  /** Runs `q` after the debounce delay, replacing any pending one. */
  schedule(q: SearchQuery): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.now(q);
    }, this.delay);
  }

  /** Runs `q` at once; whatever was pending or in flight becomes stale. */
  async now(q: SearchQuery): Promise<void> {
    this.clearTimer();
    const mine = ++this.seq;
    this.on.loading?.(true);
    try {
      const r = await this.run(q);
      if (mine !== this.seq) return;
      this.on.result(r, q);
    } catch (e) {
      if (mine !== this.seq) return;
      this.on.error(toIpcError(e), q);
    } finally {
      if (mine === this.seq) this.on.loading?.(false);
    }
  }

  /** Forgets the pending request and ignores any response in flight. */
  cancel(): void {
    this.clearTimer();
    this.seq++;
    this.on.loading?.(false);
  }

  get pending(): boolean {
    return this.timer !== null;
  }

  private clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

import type { AddProgress } from './ipc/types';

export const OUTCOMES = ['added', 'updated', 'unchanged', 'skipped', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface FileRow {
  index: number;
  path: string;
  outcome: string;
  reason: string | null;
}

export interface AddSnapshot {
  found: number;
  total: number;
  done: number;
  current: string | null;
  rows: FileRow[];
  /** Rows no longer listed (only the last `cap` rows are kept). */
  hidden: number;
  counts: Record<Outcome, number>;
}

export function emptyCounts(): Record<Outcome, number> {
  return { added: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
}

/**
 * Collects progress events of one add job. Cheap per event; keeps only the last `cap`
 * finished files (problems are kept in preference), so thousands of files stay light.
 */
export class AddTracker {
  private found = 0;
  private total = 0;
  private done = 0;
  private current: string | null = null;
  private rows: FileRow[] = [];
  private hidden = 0;
  private counts = emptyCounts();

  constructor(private readonly cap = 200) {}

  apply(ev: AddProgress): void {
    switch (ev.event) {
      case 'found':
        this.found = ev.files;
        this.total = Math.max(this.total, ev.files);
        break;
      case 'started':
        this.total = ev.total;
        this.current = ev.path;
        break;
      case 'finished': {
        this.total = ev.total;
        this.done++;
        if (this.current === ev.path) this.current = null;
        const outcome = ev.outcome as Outcome;
        if (outcome in this.counts) this.counts[outcome]++;
        this.rows.push({ index: ev.index, path: ev.path, outcome: ev.outcome, reason: ev.reason });
        if (this.rows.length > this.cap) this.dropOne();
        break;
      }
    }
  }

  private dropOne() {
    // Drop the oldest row that is not a problem; if all are problems, the oldest one.
    let i = this.rows.findIndex((r) => r.outcome !== 'failed' && r.outcome !== 'skipped');
    if (i < 0) i = 0;
    this.rows.splice(i, 1);
    this.hidden++;
  }

  snapshot(): AddSnapshot {
    return {
      found: this.found,
      total: this.total,
      done: this.done,
      current: this.current,
      rows: this.rows.slice(),
      hidden: this.hidden,
      counts: { ...this.counts },
    };
  }
}

/** Calls `fn` at most once per animation frame however often `schedule` is called. */
export function frameBatcher(fn: () => void): { schedule: () => void; flush: () => void } {
  let queued = false;
  const raf: (cb: () => void) => unknown =
    typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(cb) : (cb) => setTimeout(cb, 16);
  const run = () => {
    queued = false;
    fn();
  };
  return {
    schedule() {
      if (queued) return;
      queued = true;
      raf(() => {
        if (queued) run();
      });
    },
    flush() {
      run();
    },
  };
}

/** A job id unique enough for one app session. */
export function newJobId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Splits the "add from a path" field: one path per line, blanks ignored. */
export function parsePaths(input: string): string[] {
  return input
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

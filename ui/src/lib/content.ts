// Plain logic of content packs and official texts: the steps of "Install content pack…", the
// summaries, and the progress of "Get official texts" per source.
import type { ContentPackInfo, ContentPackInstalled, FetchProgress, OfficialTexts, StarterState } from './ipc/types';

/** What the user answers in the trust step for a pack that is not signed (the shell's word). */
export const TRUST_UNSIGNED = 'unsigned';

/**
 * What the install dialog offers for a pack: `refused` (only the reason and Close), `trust`
 * (a warning with the key's fingerprint and "Trust and install"), or `install`.
 */
export type PackStep = 'refused' | 'trust' | 'install';

export function packStep(info: ContentPackInfo): PackStep {
  if (info.refusal) return 'refused';
  return info.trusted ? 'install' : 'trust';
}

/** What to send as `trust` once the user accepted the pack: null when no trust is needed. */
export function trustAnswer(info: ContentPackInfo): string | null {
  if (info.trusted) return null;
  return info.signer ?? TRUST_UNSIGNED;
}

/** The counted parts of an install's summary, as catalog keys: nothing counted gives `none`. */
export function installParts(r: ContentPackInstalled): { key: string; count: number }[] {
  const parts = [
    { key: 'content.sum.added', count: r.added },
    { key: 'content.sum.updated', count: r.updated },
    { key: 'content.sum.removed', count: r.removed },
    { key: 'content.sum.unchanged', count: r.unchanged },
  ].filter((p) => p.count > 0);
  return parts.length ? parts : [{ key: 'content.sum.none', count: 0 }];
}

/** How many documents a starter install brought in (for the first launch's message). */
export function starterDocuments(r: ContentPackInstalled): number {
  return r.added + r.updated + r.unchanged;
}

/** Whether the starter pack is being installed (the interface follows its progress). */
export function starterBusy(s: StarterState | null | undefined): boolean {
  return s?.state === 'installing';
}

/** Percent done of an install, 0–100 (0 when the total is not known yet). */
export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

export interface SourceRow {
  id: string;
  title: string;
  /** `downloading` until finished, then fetched, unchanged, failed or cancelled. */
  outcome: string;
  reason: string | null;
  bytes: number;
  size: number | null;
}

export interface FetchSnapshot {
  checking: boolean;
  total: number;
  done: number;
  current: string | null;
  rows: SourceRow[];
}

/** Collects the progress events of one "Get official texts" job. */
export class FetchTracker {
  private checking = false;
  private total = 0;
  private done = 0;
  private current: string | null = null;
  private rows: SourceRow[] = [];

  apply(ev: FetchProgress): void {
    switch (ev.event) {
      case 'checking':
        this.checking = true;
        break;
      case 'started':
        this.checking = false;
        this.total = ev.total;
        this.current = ev.title;
        this.rows.push({ id: ev.id, title: ev.title, outcome: 'downloading', reason: null, bytes: 0, size: null });
        break;
      case 'progress': {
        const row = this.row(ev.id);
        if (row) {
          row.bytes = ev.bytes;
          row.size = ev.total;
        }
        break;
      }
      case 'finished': {
        this.total = ev.total;
        this.done = Math.max(this.done, ev.index + 1);
        const row = this.row(ev.id);
        if (row) {
          row.outcome = ev.outcome;
          row.reason = ev.reason;
          if (this.current === row.title) this.current = null;
        }
        break;
      }
    }
  }

  private row(id: string): SourceRow | undefined {
    for (let i = this.rows.length - 1; i >= 0; i--) if (this.rows[i].id === id) return this.rows[i];
    return undefined;
  }

  snapshot(): FetchSnapshot {
    return {
      checking: this.checking,
      total: this.total,
      done: this.done,
      current: this.current,
      rows: this.rows.map((r) => ({ ...r })),
    };
  }
}

/** Whether the fetched folder is worth adding to the library (anything is in it). */
export function shouldAdd(r: OfficialTexts): boolean {
  return !r.offline && r.fetched + r.unchanged > 0;
}

/** A byte count for people: "512 KB", "3.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

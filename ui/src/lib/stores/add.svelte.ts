import * as api from '../ipc/api';
import type { AddSummary, IpcError } from '../ipc/types';
import { AddTracker, frameBatcher, newJobId, type AddSnapshot } from '../addTracker';
import { loadStatus } from './app.svelte';
import { refreshSearch } from './search.svelte';

export const adding = $state({
  running: false,
  cancelling: false,
  job: null as string | null,
  snap: null as AddSnapshot | null,
  summary: null as AddSummary | null,
  error: null as IpcError | null,
  /** Bumped when the set of documents changed; the library list reloads on it. */
  version: 0,
});

/** Call after documents were added, removed or edited. */
export function libraryChanged(): void {
  adding.version++;
  refreshSearch();
  void loadStatus();
}

export async function addPaths(paths: string[]): Promise<void> {
  if (!paths.length || adding.running) return;
  const job = newJobId();
  const tracker = new AddTracker(200);
  const batch = frameBatcher(() => {
    if (adding.job === job) adding.snap = tracker.snapshot();
  });
  adding.running = true;
  adding.cancelling = false;
  adding.job = job;
  adding.summary = null;
  adding.error = null;
  adding.snap = tracker.snapshot();
  try {
    const summary = await api.addDocuments(job, paths, (ev) => {
      tracker.apply(ev);
      batch.schedule();
    });
    batch.flush();
    adding.summary = summary;
  } catch (e) {
    batch.flush();
    adding.error = api.toIpcError(e);
  } finally {
    adding.running = false;
    adding.cancelling = false;
    libraryChanged();
  }
}

export async function cancelAdd(): Promise<void> {
  if (!adding.job || !adding.running) return;
  adding.cancelling = true;
  try {
    await api.cancelJob(adding.job);
  } catch (e) {
    adding.error = api.toIpcError(e);
    adding.cancelling = false;
  }
}

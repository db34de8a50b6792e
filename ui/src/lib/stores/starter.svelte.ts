// The bundled starter pack at start-up: its progress while it installs (the library is busy
// meanwhile), then what came of it. The shell decides before the first status, so the first
// status already says `installing` when there is something to follow.
import * as api from '../ipc/api';
import type { StarterState } from '../ipc/types';
import { starterBusy } from '../content';
import { app } from './app.svelte';
import { libraryChanged } from './add.svelte';

export const starter = $state({
  state: null as StarterState | null,
  /** The user closed the banner. */
  dismissed: false,
  cancelling: false,
});

/** How often the progress is asked for while the starter pack installs. */
const POLL_MS = 250;

let following = false;
let ended = false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Called with every status: follows an install until it ends, once per run. */
export function followStarter(s: StarterState | null | undefined): void {
  if (!s || following) return;
  starter.state = s;
  if (starterBusy(s)) {
    void poll();
  } else if (!ended && s.state !== 'idle') {
    // It ended before the interface first asked (a small pack with a prebuilt index).
    end(s);
  }
}

async function poll(): Promise<void> {
  following = true;
  let cur: StarterState | null = starter.state;
  try {
    while (starterBusy(cur)) {
      await sleep(POLL_MS);
      try {
        cur = await api.starterStatus();
      } catch {
        continue;
      }
      starter.state = cur;
    }
  } finally {
    following = false;
    starter.cancelling = false;
  }
  if (cur) end(cur);
}

function end(s: StarterState): void {
  ended = true;
  // A first install shows the library it made, unless the user went elsewhere meanwhile.
  if (s.state === 'installed' && !s.update && app.view === 'search') app.view = 'library';
  libraryChanged();
}

/** Cancels the starter install: at the first launch it is then not offered again. */
export async function cancelStarter(): Promise<void> {
  starter.cancelling = true;
  try {
    await api.cancelJob('starter');
  } catch {
    starter.cancelling = false;
  }
}

import { tick } from 'svelte';
import * as api from '../ipc/api';
import type { AppStatus, IpcError, Settings } from '../ipc/types';
import { setLanguage } from '../i18n/i18n.svelte';

export type View = 'search' | 'library' | 'notes' | 'briefings' | 'settings';

export const app = $state({
  view: 'search' as View,
  status: null as AppStatus | null,
  /** An error from app_status itself (the shell could not answer). */
  statusError: null as IpcError | null,
  notices: [] as string[],
  announcement: '',
});

const seenNotices = new Set<string>();
let announceTimer: ReturnType<typeof setTimeout> | null = null;

/** The theme chosen in settings; "system" follows the system's light or dark mode. */
let chosenTheme: Settings['theme'] = 'system';
const systemDark =
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/** Sets `data-theme` on the root to the effective theme, the one the CSS palette reads. */
function paintTheme(): void {
  const dark = chosenTheme === 'dark' || (chosenTheme === 'system' && !!systemDark?.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
systemDark?.addEventListener('change', paintTheme);
if (typeof document !== 'undefined') paintTheme();

/** Applies interface settings at once: language, theme, text size. */
export function applySettings(s: Settings): void {
  setLanguage(s.ui_language);
  const root = document.documentElement;
  chosenTheme = s.theme;
  paintTheme();
  const size = Number.isFinite(s.text_size) ? Math.min(200, Math.max(80, s.text_size)) : 100;
  root.style.fontSize = `${size}%`;
}

export function applyStatus(s: AppStatus): void {
  app.status = s;
  app.statusError = null;
  applySettings(s.settings);
  const fresh = s.notices.filter((n) => !seenNotices.has(n));
  for (const n of fresh) seenNotices.add(n);
  if (fresh.length) app.notices = [...app.notices, ...fresh];
}

export async function loadStatus(): Promise<void> {
  try {
    applyStatus(await api.appStatus());
  } catch (e) {
    app.statusError = api.toIpcError(e);
  }
}

export function dismissNotice(i: number): void {
  app.notices = app.notices.filter((_, j) => j !== i);
}

/** Says something in the polite live region (and shows it briefly). */
export function announce(message: string): void {
  if (announceTimer) clearTimeout(announceTimer);
  app.announcement = '';
  // A fresh text node after a short pause so the same message is read again.
  announceTimer = setTimeout(() => {
    app.announcement = message;
    announceTimer = setTimeout(() => (app.announcement = ''), 6000);
  }, 30);
}

export async function focusSearch(): Promise<void> {
  app.view = 'search';
  await tick();
  const input = document.getElementById('search-input') as HTMLInputElement | null;
  input?.focus();
  input?.select();
}

export function libraryReady(): boolean {
  return app.status?.library.state === 'ready';
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContentPackInfo, ContentPackInstalled, StarterState } from '../lib/ipc/types';

const api = vi.hoisted(() => ({
  installContentPack: vi.fn(),
  inspectContentPack: vi.fn(),
  fetchOfficialTexts: vi.fn(),
  chooseFiles: vi.fn(),
  cancelJob: vi.fn(() => Promise.resolve(true)),
  listDocuments: vi.fn(() => Promise.resolve([])),
  appStatus: vi.fn(() => new Promise(() => {})),
  search: vi.fn(() => new Promise(() => {})),
  addDocuments: vi.fn(),
  toIpcError: (e: unknown) => e,
}));
vi.mock('../lib/ipc/api', () => api);

import { render, unmountRendered } from './render.test-util';

import ContentPackDialog from './ContentPackDialog.svelte';
import ContentPacks from './ContentPacks.svelte';
import StarterBanner from './StarterBanner.svelte';
import { starter } from '../lib/stores/starter.svelte';
import { setLanguage } from '../lib/i18n/i18n.svelte';


beforeEach(() => {
  setLanguage('en');
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  for (const f of Object.values(api)) if (typeof f === 'function' && 'mockClear' in f) (f as ReturnType<typeof vi.fn>).mockClear();
});

afterEach(() => {
  unmountRendered();
  document.body.innerHTML = '';
  starter.state = null;
  starter.dismissed = false;
});

const info = (over: Partial<ContentPackInfo> = {}): ContentPackInfo => ({
  path: '/media/usb/hanoi.pustakacorpus',
  pack_id: 'hanoi',
  title: 'Hanoi workshop texts',
  version: 2,
  documents: 14,
  installed_version: null,
  signer: '3e54-38f0-0895-9422',
  trusted: false,
  refusal: null,
  ...over,
});

const installed: ContentPackInstalled = {
  pack_id: 'hanoi',
  title: 'Hanoi workshop texts',
  version: 2,
  previous_version: null,
  added: 14,
  updated: 0,
  removed: 0,
  unchanged: 0,
  prebuilt_index: false,
  glossary_terms: null,
  reanchored: 0,
  notice: null,
};

describe('ContentPackDialog', () => {
  it('shows the unknown key and installs only on "Trust and install", trusting that key', async () => {
    api.installContentPack.mockResolvedValue(installed);
    const oninstalled = vi.fn();
    const target = render(ContentPackDialog, { info: info(), oninstalled, onclose: () => {} });
    expect(target.querySelector('[data-testid=content-pack-fingerprint]')!.textContent).toBe('3e54-38f0-0895-9422');
    const button = target.querySelector<HTMLButtonElement>('[data-testid=content-pack-install]')!;
    expect(button.textContent!.trim()).toBe('Trust and install');
    expect(api.installContentPack).not.toHaveBeenCalled();
    button.click();
    await vi.waitFor(() => expect(oninstalled).toHaveBeenCalledWith(installed));
    expect(api.installContentPack.mock.calls[0].slice(1, 3)).toEqual(['/media/usb/hanoi.pustakacorpus', '3e54-38f0-0895-9422']);
    await vi.waitFor(() =>
      expect(target.querySelector('[data-testid=content-pack-summary]')!.textContent).toContain('14 added'),
    );
  });

  it('installs a trusted pack without a trust answer', async () => {
    api.installContentPack.mockResolvedValue(installed);
    const target = render(ContentPackDialog, { info: info({ trusted: true }), oninstalled: () => {}, onclose: () => {} });
    expect(target.querySelector('[data-testid=content-pack-trust]')).toBeNull();
    target.querySelector<HTMLButtonElement>('[data-testid=content-pack-install]')!.click();
    await vi.waitFor(() => expect(api.installContentPack).toHaveBeenCalled());
    expect(api.installContentPack.mock.calls[0][2]).toBeNull();
  });

  it('shows a refusal in one line and offers no install', () => {
    const target = render(ContentPackDialog, {
      info: info({ trusted: true, refusal: 'This is version 1, older than the version 2 in your library.' }),
      oninstalled: () => {},
      onclose: () => {},
    });
    expect(target.querySelector('[data-testid=content-pack-refusal]')!.textContent).toContain('older');
    expect(target.querySelector('[data-testid=content-pack-install]')).toBeNull();
  });

  it('shows why an install failed and lets the user try again', async () => {
    api.installContentPack.mockRejectedValue({ code: 'invalid_input', message: 'this content pack cannot be opened: entry 3 is damaged' });
    const target = render(ContentPackDialog, { info: info({ trusted: true }), oninstalled: () => {}, onclose: () => {} });
    target.querySelector<HTMLButtonElement>('[data-testid=content-pack-install]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[role=alert]')!.textContent).toContain('entry 3 is damaged'));
    expect(target.querySelector('[data-testid=content-pack-install]')).not.toBeNull();
  });
});

describe('Get official texts', () => {
  it('explains how to install a content pack when offline', async () => {
    api.fetchOfficialTexts.mockImplementation(async (_job: string, onProgress: (p: unknown) => void) => {
      onProgress({ event: 'checking' });
      return { folder: '/lib/official-texts', fetched: 0, unchanged: 0, failed: [], cancelled: false, offline: true };
    });
    const target = render(ContentPacks, {});
    target.querySelector<HTMLButtonElement>('[data-testid=get-official-texts]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[data-testid=offline-help]')).not.toBeNull());
    const help = target.querySelector('[data-testid=offline-help]')!.textContent!;
    expect(help).toContain('.pustakacorpus');
    expect(help).toContain('USB');
    expect(help).toContain('Install content pack…');
    expect(api.addDocuments).not.toHaveBeenCalled();
  });

  it('adds the fetched folder with the usual add job', async () => {
    api.fetchOfficialTexts.mockImplementation(async (_job: string, onProgress: (p: unknown) => void) => {
      onProgress({ event: 'started', index: 0, total: 1, id: 'c', title: 'Convention' });
      onProgress({ event: 'finished', index: 0, total: 1, id: 'c', outcome: 'fetched', reason: null });
      return { folder: '/lib/official-texts', fetched: 1, unchanged: 0, failed: [], cancelled: false, offline: false };
    });
    api.addDocuments.mockResolvedValue({ added: 1, updated: 0, unchanged: 0, skipped: [], failed: [], cancelled: false });
    const target = render(ContentPacks, {});
    target.querySelector<HTMLButtonElement>('[data-testid=get-official-texts]')!.click();
    await vi.waitFor(() => expect(api.addDocuments).toHaveBeenCalled());
    expect(api.addDocuments.mock.calls[0][1]).toEqual(['/lib/official-texts']);
    await vi.waitFor(() => expect(target.querySelector('[data-testid=fetch-summary]')!.textContent).toContain('1 downloaded'));
    expect(target.querySelector('[data-testid=fetch-row]')!.getAttribute('data-outcome')).toBe('fetched');
  });
});

describe('StarterBanner', () => {
  const show = (s: StarterState) => {
    starter.state = s;
    return render(StarterBanner, {});
  };
  it('shows progress with a cancel button while installing', () => {
    const target = show({ state: 'installing', title: 'Pustaka starter corpus', version: 1, update: false, done: 5, total: 25 });
    expect(target.querySelector('[data-testid=starter-banner]')!.textContent).toContain('5 of 25 documents');
    target.querySelector<HTMLButtonElement>('[data-testid=starter-cancel]')!.click();
    expect(api.cancelJob).toHaveBeenCalledWith('starter');
  });
  it('says what is ready, and nothing when idle', () => {
    let target = show({ state: 'installed', update: false, report: { ...installed, title: 'Pustaka starter corpus', added: 25, unchanged: 0 } });
    expect(target.textContent).toContain('25 documents from “Pustaka starter corpus”');
    unmountRendered();
    target = show({ state: 'idle' });
    expect(target.querySelector('[data-testid=starter-banner]')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { ContentPackInfo, ContentPackInstalled, OfficialTexts } from './ipc/types';
import {
  FetchTracker,
  TRUST_UNSIGNED,
  formatBytes,
  installParts,
  packStep,
  percent,
  shouldAdd,
  starterBusy,
  starterDocuments,
  trustAnswer,
} from './content';

const info = (over: Partial<ContentPackInfo> = {}): ContentPackInfo => ({
  path: '/media/usb/trainer.pustakacorpus',
  pack_id: 'trainer',
  title: 'Workshop texts',
  version: 2,
  documents: 12,
  installed_version: null,
  signer: 'ab12-cd34-ef56-0789',
  trusted: false,
  refusal: null,
  ...over,
});

const report = (over: Partial<ContentPackInstalled> = {}): ContentPackInstalled => ({
  pack_id: 'starter',
  title: 'Pustaka starter corpus',
  version: 3,
  previous_version: 2,
  added: 0,
  updated: 0,
  removed: 0,
  unchanged: 0,
  prebuilt_index: false,
  glossary_terms: null,
  reanchored: 0,
  notice: null,
  ...over,
});

describe('install steps', () => {
  it('asks for trust for an unknown key, with its fingerprint as the answer', () => {
    const i = info();
    expect(packStep(i)).toBe('trust');
    expect(trustAnswer(i)).toBe('ab12-cd34-ef56-0789');
  });
  it('asks for trust for an unsigned pack, answered as unsigned', () => {
    const i = info({ signer: null });
    expect(packStep(i)).toBe('trust');
    expect(trustAnswer(i)).toBe(TRUST_UNSIGNED);
  });
  it('installs a trusted pack without an answer', () => {
    const i = info({ trusted: true });
    expect(packStep(i)).toBe('install');
    expect(trustAnswer(i)).toBeNull();
  });
  it('refuses whatever the trust when the shell gives a reason', () => {
    expect(packStep(info({ trusted: true, refusal: 'older' }))).toBe('refused');
    expect(packStep(info({ refusal: 'older' }))).toBe('refused');
  });
});

describe('summaries', () => {
  it('lists only what was counted, in a fixed order', () => {
    expect(installParts(report({ added: 2, unchanged: 5, removed: 1 }))).toEqual([
      { key: 'content.sum.added', count: 2 },
      { key: 'content.sum.removed', count: 1 },
      { key: 'content.sum.unchanged', count: 5 },
    ]);
    expect(installParts(report())).toEqual([{ key: 'content.sum.none', count: 0 }]);
  });
  it('counts the starter documents in the library', () => {
    expect(starterDocuments(report({ added: 20, updated: 3, unchanged: 2, removed: 4 }))).toBe(25);
  });
  it('follows the starter only while it installs', () => {
    expect(starterBusy({ state: 'installing', title: 't', version: 1, update: false, done: 0, total: 3 })).toBe(true);
    expect(starterBusy({ state: 'idle' })).toBe(false);
    expect(starterBusy(null)).toBe(false);
  });
  it('computes bounded percentages', () => {
    expect(percent(1, 4)).toBe(25);
    expect(percent(5, 4)).toBe(100);
    expect(percent(3, 0)).toBe(0);
  });
  it('formats byte counts', () => {
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});

describe('FetchTracker', () => {
  it('follows each source from start to outcome', () => {
    const t = new FetchTracker();
    t.apply({ event: 'checking' });
    expect(t.snapshot().checking).toBe(true);
    t.apply({ event: 'started', index: 0, total: 2, id: 'a', title: 'Convention' });
    t.apply({ event: 'progress', id: 'a', bytes: 100, total: 400 });
    let s = t.snapshot();
    expect(s.checking).toBe(false);
    expect(s.current).toBe('Convention');
    expect(s.rows).toEqual([{ id: 'a', title: 'Convention', outcome: 'downloading', reason: null, bytes: 100, size: 400 }]);
    t.apply({ event: 'finished', index: 0, total: 2, id: 'a', outcome: 'fetched', reason: null });
    t.apply({ event: 'started', index: 1, total: 2, id: 'b', title: 'Guidelines' });
    t.apply({ event: 'finished', index: 1, total: 2, id: 'b', outcome: 'failed', reason: 'HTTP 404 Not Found' });
    s = t.snapshot();
    expect(s.done).toBe(2);
    expect(s.total).toBe(2);
    expect(s.current).toBeNull();
    expect(s.rows.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['a', 'fetched', null],
      ['b', 'failed', 'HTTP 404 Not Found'],
    ]);
  });
  it('gives snapshots that later events do not change', () => {
    const t = new FetchTracker();
    t.apply({ event: 'started', index: 0, total: 1, id: 'a', title: 'A' });
    const before = t.snapshot();
    t.apply({ event: 'finished', index: 0, total: 1, id: 'a', outcome: 'unchanged', reason: null });
    expect(before.rows[0].outcome).toBe('downloading');
  });
});

describe('shouldAdd', () => {
  const r = (over: Partial<OfficialTexts>): OfficialTexts => ({
    folder: '/lib/official-texts',
    fetched: 0,
    unchanged: 0,
    failed: [],
    cancelled: false,
    offline: false,
    ...over,
  });
  it('adds the folder when anything is in it', () => {
    expect(shouldAdd(r({ fetched: 1 }))).toBe(true);
    expect(shouldAdd(r({ unchanged: 3, cancelled: true }))).toBe(true);
    expect(shouldAdd(r({}))).toBe(false);
    expect(shouldAdd(r({ offline: true }))).toBe(false);
  });
});

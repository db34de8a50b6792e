import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import type { DocumentView, Hit } from '../lib/ipc/types';

const api = vi.hoisted(() => ({
  getDocument: vi.fn(),
  notesForDocument: vi.fn(() => Promise.resolve([])),
  openExternal: vi.fn(() => Promise.resolve()),
  copyText: vi.fn(() => Promise.resolve()),
  toIpcError: (e: unknown) => e,
}));
vi.mock('../lib/ipc/api', () => api);

import ResultList from './ResultList.svelte';
import Reader from './Reader.svelte';

let component: Record<string, unknown> | null = null;
afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = '';
});

const hit = (snippet: string): Hit => ({
  doc_id: 'd1',
  anchor: 'art-16',
  title: 'Convention on the Protection and Promotion of the Diversity of Cultural Expressions',
  citation: '2005 Convention, Art. 16',
  heading: 'Article 16',
  page: null,
  kind: 'instrument',
  country: [],
  language: 'en',
  year: 2005,
  instrument: '2005 Convention',
  snippet,
  score: 1,
});

describe('ResultList', () => {
  it('renders snippet marks as elements and any other markup as text', () => {
    const target = document.createElement('div');
    document.body.append(target);
    component = mount(ResultList, {
      target,
      props: {
        hits: [hit('&lt;img src=x onerror=alert(1)&gt; <mark>preferential</mark> <script>x</script>')],
        selected: 0,
        onopen: () => {},
        onkeydown: () => {},
      },
    });
    flushSync();
    const li = target.querySelector('[data-testid="result"]')!;
    expect(li.getAttribute('data-doc-id')).toBe('d1');
    expect(li.getAttribute('data-anchor')).toBe('art-16');
    expect(li.getAttribute('aria-selected')).toBe('true');
    expect(li.querySelector('.citation')!.textContent).toBe('2005 Convention, Art. 16');
    const snippet = li.querySelector('.snippet')!;
    expect(snippet.querySelectorAll('mark')).toHaveLength(1);
    expect(snippet.querySelector('mark')!.textContent).toBe('preferential');
    expect(snippet.querySelector('img, script')).toBeNull();
    expect(snippet.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});

const docView = (): DocumentView => ({
  info: {
    id: 'd1',
    title: 'Convention 2005',
    short_title: '2005 Convention',
    citation_title: '2005 Convention',
    kind: 'instrument',
    instrument: null,
    country: [],
    language: 'en',
    year: 2005,
    themes: [],
    source_url: null,
    licence: null,
    source: '/lib/c2005.html',
    format: 'html',
    passages: 2,
    stored_at: 0,
  },
  outline: [
    { anchor: 'art-1', label: 'Article 1', level: 1 },
    { anchor: 'art-16', label: 'Article 16', level: 1 },
  ],
  passages: [
    {
      anchor: 'art-1',
      heading: 'Article 1',
      locator: 'Art. 1',
      page: null,
      citation: '2005 Convention, Art. 1',
      text: 'Artists matter. See https://unesco.org/x. Not javascript:alert(1)',
      marks: [[0, 7]],
    },
    {
      anchor: 'art-16',
      heading: 'Article 16',
      locator: 'Art. 16',
      page: null,
      citation: '2005 Convention, Art. 16',
      text: 'Preferential treatment for artists and artists.',
      marks: [
        [27, 34],
        [39, 46],
      ],
    },
  ],
  match_count: 3,
});

describe('Reader', () => {
  it('marks the opened passage, cycles matches, makes safe links and copies the citation', async () => {
    Element.prototype.scrollIntoView = vi.fn();
    api.getDocument.mockResolvedValue(docView());
    const target = document.createElement('div');
    document.body.append(target);
    component = mount(Reader, {
      target,
      props: { open: { id: 'd1', anchor: 'art-16', query: 'artists', serial: 1 }, onclose: () => {} },
    });
    await vi.waitFor(() => expect(target.querySelector('#passage-art-16')).not.toBeNull());
    expect(api.getDocument).toHaveBeenCalledWith('d1', 'artists');
    const focused = target.querySelector('#passage-art-16')!;
    expect(focused.classList.contains('focused')).toBe(true);
    expect(focused.getAttribute('aria-current')).toBe('true');
    expect(focused.getAttribute('data-anchor')).toBe('art-16');
    expect(target.querySelectorAll('mark')).toHaveLength(3);

    // Links: only the https URL, without the trailing dot.
    const links = target.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0].getAttribute('href')).toBe('https://unesco.org/x');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0].dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(api.openExternal).toHaveBeenCalledWith('https://unesco.org/x');

    // Next starts at the focused passage's first match, then wraps.
    const next = target.querySelector<HTMLButtonElement>('[data-testid="next-match"]')!;
    const prev = target.querySelector<HTMLButtonElement>('[data-testid="prev-match"]')!;
    const currentText = () => target.querySelector('mark.current')?.getAttribute('data-match');
    next.click();
    await tick();
    expect(currentText()).toBe('1');
    next.click();
    await tick();
    expect(currentText()).toBe('2');
    next.click();
    await tick();
    expect(currentText()).toBe('0');
    prev.click();
    await tick();
    expect(currentText()).toBe('2');

    target.querySelector<HTMLButtonElement>('[data-testid="copy-citation"]')!.click();
    await vi.waitFor(() => expect(api.copyText).toHaveBeenCalledWith('2005 Convention, Art. 16'));

    // Outline entries move the focus.
    const entry = target.querySelector<HTMLButtonElement>('[data-testid="outline-entry"][data-anchor="art-1"]')!;
    entry.click();
    await tick();
    expect(target.querySelector('#passage-art-1')!.classList.contains('focused')).toBe(true);
    expect(target.querySelector('#passage-art-16')!.classList.contains('focused')).toBe(false);
  });

  it('shows the error message in an alert when the document cannot be read', async () => {
    api.getDocument.mockRejectedValue({ code: 'not_found', message: 'No such document' });
    const target = document.createElement('div');
    document.body.append(target);
    component = mount(Reader, {
      target,
      props: { open: { id: 'gone', anchor: null, query: '', serial: 2 }, onclose: () => {} },
    });
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('No such document'));
  });
});

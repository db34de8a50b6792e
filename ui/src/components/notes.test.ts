import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import type { DocumentView, NoteHit, NotesList, NoteView } from '../lib/ipc/types';

const api = vi.hoisted(() => ({
  getDocument: vi.fn(),
  notesForDocument: vi.fn(),
  listNotes: vi.fn(),
  addNote: vi.fn(),
  editNote: vi.fn(),
  deleteNote: vi.fn(),
  restoreNote: vi.fn(),
  exportNotes: vi.fn(),
  importNotes: vi.fn(),
  chooseSavePath: vi.fn(),
  chooseFiles: vi.fn(),
  search: vi.fn(),
  openExternal: vi.fn(() => Promise.resolve()),
  copyText: vi.fn(() => Promise.resolve()),
  toIpcError: (e: unknown) => e,
}));
vi.mock('../lib/ipc/api', () => api);

import { render, unmountRendered } from './render.test-util';

import SelectionToolbar from './SelectionToolbar.svelte';
import NoteForm from './NoteForm.svelte';
import NotesPanel from './NotesPanel.svelte';
import NotesView from './NotesView.svelte';
import UndoToast from './UndoToast.svelte';
import NoteHits from './NoteHits.svelte';
import Reader from './Reader.svelte';
import SearchView from './SearchView.svelte';
import { notesState, dismissUndo } from '../lib/stores/notes.svelte';
import { app } from '../lib/stores/app.svelte';
import { search } from '../lib/stores/search.svelte';


beforeEach(() => {
  Element.prototype.scrollIntoView = vi.fn();
  for (const f of Object.values(api)) if (typeof f === 'function' && 'mockReset' in f) (f as ReturnType<typeof vi.fn>).mockReset();
  api.copyText.mockResolvedValue(undefined);
  notesState.editing = null;
  notesState.panelOpen = false;
  dismissUndo();
});
afterEach(() => {
  unmountRendered();
  document.body.innerHTML = '';
});

const note = (id: string, over: Partial<NoteView> = {}): NoteView => ({
  id,
  doc_id: 'd1',
  anchor: 'art-16',
  start: 0,
  end: 12,
  quote: 'Preferential',
  note: '',
  tags: [],
  color: 'yellow',
  motivation: 'highlighting',
  author: 'An',
  created: 1_700_000_000_000,
  modified: 1_700_000_000_000,
  anchoring: 'attached',
  citation: '2005 Convention, Art. 16',
  doc_title: 'Convention 2005',
  ...over,
});

const key = (el: Element, k: string, extra: KeyboardEventInit = {}) =>
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));

describe('SelectionToolbar', () => {
  it('is a labelled toolbar with colour, note and copy buttons, moved through with arrows', async () => {
    const onhighlight = vi.fn();
    const onnote = vi.fn();
    const oncopy = vi.fn();
    const onclose = vi.fn();
    const target = render(SelectionToolbar, { onhighlight, onnote, oncopy, onclose });
    const bar = target.querySelector('[data-testid="selection-toolbar"]')!;
    expect(bar.getAttribute('role')).toBe('toolbar');
    expect(bar.getAttribute('aria-label')).toBe('Selected text');
    for (const c of ['yellow', 'green', 'blue', 'pink', 'purple']) {
      const b = bar.querySelector(`[data-testid="highlight-${c}"]`)!;
      expect(b.getAttribute('aria-label')).toMatch(/^Highlight in /);
    }
    // One tab stop; arrows move it.
    const buttons = [...bar.querySelectorAll('button')];
    expect(buttons.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    buttons[0].focus();
    key(buttons[0], 'ArrowRight');
    await tick();
    expect(document.activeElement).toBe(buttons[1]);
    expect(buttons[1].tabIndex).toBe(0);
    key(buttons[1], 'End');
    await tick();
    expect(document.activeElement).toBe(buttons[buttons.length - 1]);
    key(buttons[buttons.length - 1], 'ArrowRight');
    await tick();
    expect(document.activeElement).toBe(buttons[0]);

    bar.querySelector<HTMLButtonElement>('[data-testid="highlight-green"]')!.click();
    expect(onhighlight).toHaveBeenCalledWith('green');
    bar.querySelector<HTMLButtonElement>('[data-testid="note-button"]')!.click();
    expect(onnote).toHaveBeenCalled();
    bar.querySelector<HTMLButtonElement>('[data-testid="selection-copy"]')!.click();
    expect(oncopy).toHaveBeenCalled();
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    buttons[0].dispatchEvent(esc);
    expect(onclose).toHaveBeenCalled();
    expect(esc.defaultPrevented).toBe(true);
  });
});

describe('NoteForm', () => {
  it('has labelled fields, saves parsed tags and cancels with Esc', async () => {
    const onsave = vi.fn();
    const oncancel = vi.fn();
    const target = render(NoteForm, { label: 'Note on Art. 16', note: 'Old', tags: ['a'], color: 'blue', onsave, oncancel });
    const form = target.querySelector('[data-testid="note-editor"]')!;
    expect(form.getAttribute('aria-label')).toBe('Note on Art. 16');
    const text = target.querySelector<HTMLTextAreaElement>('#note-text')!;
    const tags = target.querySelector<HTMLInputElement>('#note-tags')!;
    expect(target.querySelector('label[for="note-text"]')).not.toBeNull();
    expect(target.querySelector('label[for="note-tags"]')).not.toBeNull();
    expect(text.value).toBe('Old');
    expect(tags.value).toBe('a');
    expect(document.activeElement).toBe(text);
    expect(target.querySelector<HTMLInputElement>('#note-color-blue')!.checked).toBe(true);
    text.value = 'Line one\nLine two\n\n';
    text.dispatchEvent(new Event('input', { bubbles: true }));
    tags.value = 'training, #Trade, training';
    tags.dispatchEvent(new Event('input', { bubbles: true }));
    const pink = target.querySelector<HTMLInputElement>('#note-color-pink')!;
    pink.checked = true;
    pink.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    target.querySelector<HTMLButtonElement>('[data-testid="note-save"]')!.click();
    expect(onsave).toHaveBeenCalledWith({ note: 'Line one\nLine two', tags: ['training', 'Trade'], color: 'pink' });
    key(text, 'Escape');
    expect(oncancel).toHaveBeenCalled();
  });
});

describe('NotesPanel', () => {
  it('lists annotations with quote, note as text, tags, badges and actions', async () => {
    const list = [
      note('n1', { note: 'First line\n<b>not bold</b>', tags: ['training', 'trade'] }),
      note('n2', { anchoring: 'changed', color: 'green' }),
      note('n3', { anchoring: 'orphan', color: 'purple', quote: 'removed text' }),
    ];
    const onshow = vi.fn();
    const onclose = vi.fn();
    const target = render(NotesPanel, { notes: list, selected: 'n2', onshow, onclose });
    const panel = target.querySelector('[data-testid="notes-panel"]')!;
    const items = [...panel.querySelectorAll<HTMLElement>('[data-testid="note-item"]')];
    expect(items.map((i) => [i.dataset.noteId, i.dataset.anchoring])).toEqual([
      ['n1', 'attached'],
      ['n2', 'changed'],
      ['n3', 'orphan'],
    ]);
    // The note is text: markup stays as written, line breaks kept by CSS (pre-wrap).
    const text = items[0].querySelector('[data-testid="note-text"]')!;
    expect(text.textContent).toBe('First line\n<b>not bold</b>');
    expect(text.querySelector('b')).toBeNull();
    expect([...items[0].querySelectorAll('.tag')].map((x) => x.textContent)).toEqual(['training', 'trade']);
    expect(items[1].getAttribute('aria-current')).toBe('true');
    expect(items[1].querySelector('[data-testid="badge-changed"]')!.textContent).toBe('Changed since annotated');
    expect(items[2].querySelector('[data-testid="badge-orphan"]')!.textContent).toBe('Could not be placed');
    // Orphans have no place to show in the text.
    expect(items[2].querySelector('[data-testid="note-show"]')).toBeNull();
    items[0].querySelector<HTMLButtonElement>('[data-testid="note-show"]')!.click();
    expect(onshow).toHaveBeenCalledWith(list[0]);

    // Accept a changed annotation.
    api.editNote.mockResolvedValue(note('n2', { anchoring: 'attached' }));
    items[1].querySelector<HTMLButtonElement>('[data-testid="note-accept"]')!.click();
    await vi.waitFor(() =>
      expect(api.editNote).toHaveBeenCalledWith({ id: 'n2', note: null, tags: null, color: null, accept_change: true }),
    );

    // Esc closes the panel.
    key(items[0], 'Escape');
    expect(onclose).toHaveBeenCalled();
  });

  it('edits inline: one editor at a time, saving note, tags and colour', async () => {
    const list = [note('n1', { note: 'Old', tags: ['a'] }), note('n2')];
    const target = render(NotesPanel, { notes: list, selected: null, onshow: () => {}, onclose: () => {} });
    target.querySelector<HTMLButtonElement>('[data-note-id="n1"] [data-testid="note-edit"]')!.click();
    await tick();
    expect(target.querySelectorAll('[data-testid="note-editor"]')).toHaveLength(1);
    target.querySelector<HTMLButtonElement>('[data-note-id="n2"] [data-testid="note-edit"]')!.click();
    await tick();
    expect(target.querySelectorAll('[data-testid="note-editor"]')).toHaveLength(1);
    expect(target.querySelector('[data-note-id="n2"] [data-testid="note-editor"]')).not.toBeNull();
    const text = target.querySelector<HTMLTextAreaElement>('#note-text')!;
    text.value = 'New note';
    text.dispatchEvent(new Event('input', { bubbles: true }));
    const tags = target.querySelector<HTMLInputElement>('#note-tags')!;
    tags.value = 'x, y';
    tags.dispatchEvent(new Event('input', { bubbles: true }));
    api.editNote.mockResolvedValue(note('n2', { note: 'New note', tags: ['x', 'y'] }));
    target.querySelector<HTMLButtonElement>('[data-testid="note-save"]')!.click();
    await vi.waitFor(() =>
      expect(api.editNote).toHaveBeenCalledWith({ id: 'n2', note: 'New note', tags: ['x', 'y'], color: 'yellow', accept_change: false }),
    );
    await vi.waitFor(() => expect(target.querySelector('[data-testid="note-editor"]')).toBeNull());
  });

  it('shows an edit error from the shell in the editor', async () => {
    const target = render(NotesPanel, { notes: [note('n1')], selected: null, onshow: () => {}, onclose: () => {} });
    target.querySelector<HTMLButtonElement>('[data-testid="note-edit"]')!.click();
    await tick();
    api.editNote.mockRejectedValue({ code: 'invalid_input', message: 'A tag is too long.' });
    target.querySelector<HTMLButtonElement>('[data-testid="note-save"]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('A tag is too long.'));
    expect(target.querySelector('[data-testid="note-editor"]')).not.toBeNull();
  });
});

describe('delete and undo', () => {
  it('deletes, offers Undo, and restores on Undo or Ctrl+Z', async () => {
    const n1 = note('n1');
    api.deleteNote.mockResolvedValue(n1);
    api.restoreNote.mockResolvedValue(n1);
    const target = render(NotesPanel, { notes: [n1], selected: null, onshow: () => {}, onclose: () => {} });
    const toastTarget = document.createElement('div');
    document.body.append(toastTarget);
    const toast = mount(UndoToast, { target: toastTarget });
    try {
      expect(toastTarget.querySelector('[data-testid="undo"]')).toBeNull();
      target.querySelector<HTMLButtonElement>('[data-testid="note-delete"]')!.click();
      await vi.waitFor(() => expect(api.deleteNote).toHaveBeenCalledWith('n1'));
      await vi.waitFor(() => expect(toastTarget.querySelector('[data-testid="undo"]')).not.toBeNull());
      toastTarget.querySelector<HTMLButtonElement>('[data-testid="undo"]')!.click();
      await vi.waitFor(() => expect(api.restoreNote).toHaveBeenCalledWith('n1'));
      await vi.waitFor(() => expect(toastTarget.querySelector('[data-testid="undo"]')).toBeNull());

      // Again, with the keyboard shortcut.
      target.querySelector<HTMLButtonElement>('[data-testid="note-delete"]')!.click();
      await vi.waitFor(() => expect(toastTarget.querySelector('[data-testid="undo"]')).not.toBeNull());
      key(document.body, 'z', { ctrlKey: true });
      await vi.waitFor(() => expect(api.restoreNote).toHaveBeenCalledTimes(2));
    } finally {
      unmount(toast);
    }
  });

  it('the offer runs out after about eight seconds', async () => {
    vi.useFakeTimers();
    try {
      const n1 = note('n1');
      api.deleteNote.mockResolvedValue(n1);
      const target = render(NotesPanel, { notes: [n1], selected: null, onshow: () => {}, onclose: () => {} });
      target.querySelector<HTMLButtonElement>('[data-testid="note-delete"]')!.click();
      await vi.advanceTimersByTimeAsync(10);
      expect(notesState.undo?.id).toBe('n1');
      await vi.advanceTimersByTimeAsync(8000);
      expect(notesState.undo).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

const notesList = (notes: NoteView[]): NotesList => ({
  notes,
  tags: [
    { value: 'training', count: 2 },
    { value: 'trade', count: 1 },
  ],
  documents: [{ doc_id: 'd1', title: 'Convention 2005', count: 3 }],
  colors: [
    { value: 'yellow', count: 2 },
    { value: 'green', count: 1 },
  ],
  total: 3,
});

describe('NotesView', () => {
  it('lists annotations, filters by tag, document, colour and attention', async () => {
    api.listNotes.mockResolvedValue(notesList([note('n1'), note('n2', { anchoring: 'orphan' })]));
    const target = render(NotesView, {});
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="note-item"]')).toHaveLength(2));
    expect(api.listNotes).toHaveBeenLastCalledWith({ tag: null, doc_id: null, color: null, needs_attention: false });
    const tag = target.querySelector<HTMLSelectElement>('[data-testid="notes-filter-tag"]')!;
    expect([...tag.options].map((o) => o.textContent)).toEqual(['All tags', 'training (2)', 'trade (1)']);
    const color = target.querySelector<HTMLSelectElement>('[data-testid="notes-filter-color"]')!;
    expect([...color.options].map((o) => o.textContent)).toContain('Green (1)');
    expect([...color.options].map((o) => o.textContent)).toContain('Pink (0)');
    expect(target.querySelector('label[for="notes-filter-doc"]')).not.toBeNull();

    tag.value = 'training';
    tag.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(api.listNotes).toHaveBeenLastCalledWith({ tag: 'training', doc_id: null, color: null, needs_attention: false }));
    const doc = target.querySelector<HTMLSelectElement>('[data-testid="notes-filter-doc"]')!;
    doc.value = 'd1';
    doc.dispatchEvent(new Event('change', { bubbles: true }));
    color.value = 'green';
    color.dispatchEvent(new Event('change', { bubbles: true }));
    const attention = target.querySelector<HTMLInputElement>('[data-testid="notes-filter-attention"]')!;
    attention.checked = true;
    attention.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() =>
      expect(api.listNotes).toHaveBeenLastCalledWith({ tag: 'training', doc_id: 'd1', color: 'green', needs_attention: true }),
    );
  });

  it('opens an annotation in the reader', async () => {
    api.listNotes.mockResolvedValue(notesList([note('n1')]));
    app.view = 'notes';
    const target = render(NotesView, {});
    await vi.waitFor(() => expect(target.querySelector('[data-testid="note-show"]')).not.toBeNull());
    target.querySelector<HTMLButtonElement>('[data-testid="note-show"]')!.click();
    expect(app.view).toBe('search');
    expect(search.open).toMatchObject({ id: 'd1', anchor: 'art-16', note: 'n1' });
  });

  it('exports through the save dialog and imports with a summary', async () => {
    api.listNotes.mockResolvedValue(notesList([note('n1')]));
    api.chooseSavePath.mockResolvedValue('/home/u/notes.md');
    api.exportNotes.mockResolvedValue({ path: '/home/u/notes.md', count: 3 });
    api.chooseFiles.mockResolvedValue(['/home/u/in.jsonld']);
    api.importNotes.mockResolvedValue({ added: 2, updated: 1, unchanged: 4, kept_ours: 1 });
    const target = render(NotesView, {});
    await vi.waitFor(() => expect(target.querySelector<HTMLButtonElement>('[data-testid="notes-export"]')!.disabled).toBe(false));
    const format = target.querySelector<HTMLSelectElement>('[data-testid="notes-export-format"]')!;
    format.value = 'md';
    format.dispatchEvent(new Event('change', { bubbles: true }));
    target.querySelector<HTMLButtonElement>('[data-testid="notes-export"]')!.click();
    await vi.waitFor(() => expect(api.exportNotes).toHaveBeenCalledWith('md', '/home/u/notes.md'));
    expect(api.chooseSavePath.mock.calls[0][0]).toMatch(/^pustaka-notes-\d{4}-\d\d-\d\d\.md$/);
    await vi.waitFor(() =>
      expect(target.querySelector('[data-testid="notes-export-result"]')!.textContent).toBe('3 annotations exported to /home/u/notes.md'),
    );

    target.querySelector<HTMLButtonElement>('[data-testid="notes-import"]')!.click();
    await vi.waitFor(() => expect(api.importNotes).toHaveBeenCalledWith('/home/u/in.jsonld'));
    await vi.waitFor(() =>
      expect(target.querySelector('[data-testid="notes-import-summary"]')!.textContent).toBe(
        'Import done: 2 added, 1 updated, 4 unchanged, 1 kept because yours were newer.',
      ),
    );
    // The list reloads after an import.
    await vi.waitFor(() => expect(api.listNotes.mock.calls.length).toBeGreaterThanOrEqual(2));
  });

  it('a cancelled save dialog exports nothing; errors are shown', async () => {
    api.listNotes.mockResolvedValue(notesList([note('n1')]));
    api.chooseSavePath.mockResolvedValue(null);
    const target = render(NotesView, {});
    await vi.waitFor(() => expect(target.querySelector<HTMLButtonElement>('[data-testid="notes-export"]')!.disabled).toBe(false));
    target.querySelector<HTMLButtonElement>('[data-testid="notes-export"]')!.click();
    await vi.waitFor(() => expect(api.chooseSavePath).toHaveBeenCalled());
    expect(api.exportNotes).not.toHaveBeenCalled();
    api.chooseFiles.mockResolvedValue(['/x/bad.txt']);
    api.importNotes.mockRejectedValue({ code: 'invalid_input', message: 'This file is not an annotation export.' });
    await vi.waitFor(() => expect(target.querySelector<HTMLButtonElement>('[data-testid="notes-import"]')!.disabled).toBe(false));
    target.querySelector<HTMLButtonElement>('[data-testid="notes-import"]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('not an annotation export'));
  });

  it('says when there is nothing yet', async () => {
    api.listNotes.mockResolvedValue({ ...notesList([]), tags: [], documents: [], colors: [], total: 0 });
    const target = render(NotesView, {});
    await vi.waitFor(() => expect(target.querySelector('[data-testid="notes-empty"]')).not.toBeNull());
  });
});

describe('NoteHits', () => {
  const hits: NoteHit[] = ['a', 'b', 'c'].map((id) => ({
    note: note(id),
    snippet: `&lt;i&gt; <mark>preferential</mark> ${id}`,
  }));
  it('shows note hits with marks as elements, and a "show all" switch', () => {
    const onopen = vi.fn();
    const onshowall = vi.fn();
    const target = render(NoteHits, { hits, total: 7, all: false, onopen, onshowall });
    const buttons = [...target.querySelectorAll<HTMLButtonElement>('[data-testid="note-hit"]')];
    expect(buttons).toHaveLength(3);
    expect(buttons[0].querySelector('mark')!.textContent).toBe('preferential');
    expect(buttons[0].querySelector('i')).toBeNull();
    expect(buttons[0].textContent).toContain('<i>');
    buttons[1].click();
    expect(onopen).toHaveBeenCalledWith(hits[1].note);
    target.querySelector<HTMLButtonElement>('[data-testid="show-all-notes"]')!.click();
    expect(onshowall).toHaveBeenCalled();
  });
});

describe('SearchView with notes', () => {
  const response = (scope: string, n: number) => ({
    query: 'preferential',
    total: scope === 'notes' ? 0 : 1,
    took_ms: 1,
    hits:
      scope === 'notes'
        ? []
        : [
            {
              doc_id: 'd1',
              anchor: 'art-16',
              title: 'Convention 2005',
              citation: '2005 Convention, Art. 16',
              heading: null,
              page: null,
              kind: 'instrument',
              country: [],
              language: 'en',
              year: 2005,
              instrument: null,
              snippet: '<mark>Preferential</mark> treatment',
              score: 1,
            },
          ],
    facets: [],
    fuzzy: false,
    notice: null,
    notes: Array.from({ length: n }, (_, i) => ({ note: note(`n${i}`), snippet: `<mark>preferential</mark> ${i}` })),
    notes_total: 5,
  });

  it('shows up to three notes above the passages, a scope filter, and all notes on demand', async () => {
    api.search.mockImplementation((q: { scope: string }) => Promise.resolve(response(q.scope, q.scope === 'notes' ? 5 : 5)));
    const target = render(SearchView, {});
    const input = target.querySelector<HTMLInputElement>('#search-input')!;
    input.value = 'preferential';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="note-hit"]')).toHaveLength(3));
    expect(api.search.mock.calls[0][0].scope).toBe('all');
    expect(target.querySelectorAll('[data-testid="result"]')).toHaveLength(1);
    // The notes group comes before the passages.
    const group = target.querySelector('[data-testid="note-hits"]')!;
    const results = target.querySelector('#results')!;
    expect(group.compareDocumentPosition(results) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    for (const s of ['all', 'documents', 'notes']) expect(target.querySelector(`[data-testid="scope-${s}"]`)).not.toBeNull();
    expect(target.querySelector<HTMLInputElement>('[data-testid="scope-all"]')!.checked).toBe(true);

    target.querySelector<HTMLButtonElement>('[data-testid="show-all-notes"]')!.click();
    await vi.waitFor(() => expect(api.search.mock.lastCall![0].scope).toBe('notes'));
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="note-hit"]')).toHaveLength(5));
    expect(target.querySelectorAll('[data-testid="result"]')).toHaveLength(0);
    expect(target.querySelector('[data-testid="result-count"]')!.textContent!.trim()).toBe('5 notes');

    const docs = target.querySelector<HTMLInputElement>('[data-testid="scope-documents"]')!;
    docs.checked = true;
    docs.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(api.search.mock.lastCall![0].scope).toBe('documents'));

    // A note hit opens the reader at its passage.
    const all = target.querySelector<HTMLInputElement>('[data-testid="scope-all"]')!;
    all.checked = true;
    all.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="note-hit"]')).toHaveLength(3));
    target.querySelector<HTMLButtonElement>('[data-testid="note-hit"]')!.click();
    expect(search.open).toMatchObject({ id: 'd1', anchor: 'art-16', note: 'n0' });
    search.open = null;
    search.text = '';
    search.scope = 'all';
  });
});

const docView = (): DocumentView => ({
  info: {
    id: 'd1',
    title: 'Convention 2005',
    short_title: null,
    citation_title: '2005 Convention',
    kind: 'instrument',
    instrument: null,
    country: [],
    language: 'en',
    year: 2005,
    themes: [],
    source: '/lib/c.html',
    source_url: null,
    licence: null,
    format: 'html',
    passages: 2,
    stored_at: 0,
  },
  outline: [],
  passages: [
    {
      anchor: 'art-1',
      heading: 'Article 1',
      locator: null,
      page: null,
      citation: '2005 Convention, Art. 1',
      text: 'ศิลปิน 😀 see https://unesco.org/x now.',
      marks: [],
    },
    {
      anchor: 'art-16',
      heading: 'Article 16',
      locator: null,
      page: null,
      citation: '2005 Convention, Art. 16',
      text: 'Preferential treatment for artists and artists.',
      marks: [[27, 34]],
    },
  ],
  match_count: 1,
});

describe('Reader annotations', () => {
  async function openReader(notes: NoteView[], extra: Record<string, unknown> = {}) {
    api.getDocument.mockResolvedValue(docView());
    api.notesForDocument.mockResolvedValue(notes);
    const target = render(Reader, { open: { id: 'd1', anchor: null, query: 'artists', serial: 1, ...extra }, onclose: () => {} });
    await vi.waitFor(() => expect(target.querySelector('#passage-art-16')).not.toBeNull());
    await tick();
    return target;
  }

  it('draws highlights (over matches too) and keeps the passage text exact', async () => {
    const target = await openReader([
      note('h1', { start: 13, end: 34, color: 'green' }),
      note('h2', { anchor: 'art-1', start: 11, end: 30, color: 'pink' }),
      note('h3', { anchoring: 'orphan', start: 0, end: 5 }),
    ]);
    expect(api.notesForDocument).toHaveBeenCalledWith('d1');
    const doc = docView();
    for (const p of doc.passages) {
      expect(target.querySelector(`#passage-${p.anchor} .passage-text`)!.textContent).toBe(p.text);
    }
    const marks = [...target.querySelectorAll<HTMLElement>('[data-testid="highlight"]')];
    expect(marks.map((m) => m.dataset.noteId)).toEqual(['h2', 'h2', 'h1', 'h1']);
    const h1 = marks.filter((m) => m.dataset.noteId === 'h1');
    expect(h1.map((m) => m.textContent).join('')).toBe('treatment for artists');
    expect(h1[0].classList.contains('hl-green')).toBe(true);
    // The search match inside the highlight is still a match mark.
    expect(h1[1].querySelector('mark[data-match="0"]')!.textContent).toBe('artists');
    // One tab stop per highlight; it is a button.
    expect(h1.map((m) => m.tabIndex)).toEqual([0, -1]);
    expect(h1[0].getAttribute('role')).toBe('button');
    // The highlight across the link edge: part in the link, part out.
    expect(marks.filter((m) => m.dataset.noteId === 'h2').map((m) => !!m.closest('a'))).toEqual([false, true]);
    expect(target.querySelectorAll('[data-note-id="h3"][data-testid="highlight"]')).toHaveLength(0);
  });

  it('a click or Enter on a highlight selects its annotation in the panel', async () => {
    const target = await openReader([note('h1', { start: 13, end: 34 }), note('h0', { start: 0, end: 12 })]);
    expect(target.querySelector('[data-testid="notes-panel"]')).toBeNull();
    const mark = target.querySelector<HTMLElement>('[data-testid="highlight"][data-note-id="h1"]')!;
    mark.click();
    await vi.waitFor(() => expect(target.querySelector('[data-testid="notes-panel"]')).not.toBeNull());
    const items = [...target.querySelectorAll<HTMLElement>('[data-testid="note-item"]')];
    // Reading order.
    expect(items.map((i) => i.dataset.noteId)).toEqual(['h0', 'h1']);
    expect(items[1].getAttribute('aria-current')).toBe('true');
    const other = target.querySelector<HTMLElement>('[data-testid="highlight"][data-note-id="h0"]')!;
    other.focus();
    key(other, 'Enter');
    await vi.waitFor(() => expect(document.activeElement?.getAttribute('data-note-id')).toBe('h0'));
    expect(target.querySelector('[data-testid="notes-panel-toggle"]')!.getAttribute('aria-expanded')).toBe('true');
  });

  it('opens with a given annotation selected', async () => {
    const target = await openReader([note('h1', { start: 13, end: 34 })], { note: 'h1' });
    await vi.waitFor(() =>
      expect(target.querySelector('[data-testid="note-item"][data-note-id="h1"]')?.getAttribute('aria-current')).toBe('true'),
    );
  });

  /** The passage's non-empty text nodes (Svelte also leaves comment anchors and empty text nodes). */
  const texts = (el: Element) => [...el.childNodes].filter((n): n is Text => n.nodeType === 3 && n.textContent !== '');

  function selectText(node: Node, start: number, endNode: Node, end: number) {
    const sel = document.getSelection()!;
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(endNode, end);
    sel.removeAllRanges();
    sel.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
  }

  it('shows the toolbar for a selection and highlights it with the right offsets', async () => {
    const target = await openReader([]);
    const p = target.querySelector('#passage-art-16 .passage-text')!;
    // "treatment for " is plain text before the match "artists" (a <mark>).
    const textNode = texts(p)[0];
    const matchText = p.querySelector('mark[data-match]')!.firstChild as Text;
    selectText(textNode, 13, matchText, 7);
    await vi.waitFor(() => expect(target.querySelector('[data-testid="selection-toolbar"]')).not.toBeNull());
    api.addNote.mockResolvedValue(note('new', { start: 13, end: 34, color: 'blue' }));
    target.querySelector<HTMLButtonElement>('[data-testid="highlight-blue"]')!.click();
    await vi.waitFor(() =>
      expect(api.addNote).toHaveBeenCalledWith({
        doc_id: 'd1',
        anchor: 'art-16',
        start: 13,
        end: 34,
        note: '',
        tags: [],
        color: 'blue',
        motivation: null,
      }),
    );
    await vi.waitFor(() => expect(target.querySelector('[data-testid="selection-toolbar"]')).toBeNull());
  });

  it('adds a note from the selection through the editor', async () => {
    const target = await openReader([]);
    const p = target.querySelector('#passage-art-1 .passage-text')!;
    const first = texts(p)[0]; // "ศิลปิน 😀 see "
    selectText(first, 0, first, 9);
    await vi.waitFor(() => expect(target.querySelector('[data-testid="note-button"]')).not.toBeNull());
    target.querySelector<HTMLButtonElement>('[data-testid="note-button"]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[data-testid="note-editor"]')).not.toBeNull());
    const text = target.querySelector<HTMLTextAreaElement>('#note-text')!;
    text.value = 'Thai term';
    text.dispatchEvent(new Event('input', { bubbles: true }));
    const tags = target.querySelector<HTMLInputElement>('#note-tags')!;
    tags.value = 'glossary';
    tags.dispatchEvent(new Event('input', { bubbles: true }));
    api.addNote.mockResolvedValue(note('new', { anchor: 'art-1', start: 0, end: 9 }));
    target.querySelector<HTMLButtonElement>('[data-testid="note-save"]')!.click();
    await vi.waitFor(() =>
      expect(api.addNote).toHaveBeenCalledWith({
        doc_id: 'd1',
        anchor: 'art-1',
        start: 0,
        end: 9,
        note: 'Thai term',
        tags: ['glossary'],
        color: 'yellow',
        motivation: null,
      }),
    );
    expect('ศิลปิน 😀 see'.slice(0, 9)).toBe('ศิลปิน 😀');
    await vi.waitFor(() => expect(target.querySelector('[data-testid="note-editor"]')).toBeNull());
  });

  it('h opens the toolbar with the focus in it; with no selection it selects the passage in focus', async () => {
    const target = await openReader([], { anchor: 'art-16' });
    const article = target.querySelector<HTMLElement>('article.text')!;
    article.focus();
    key(article, 'h');
    await vi.waitFor(() => expect(target.querySelector('[data-testid="selection-toolbar"]')).not.toBeNull());
    await vi.waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('highlight-yellow'));
    // The whole passage is selected: copying gives its text and citation.
    target.querySelector<HTMLButtonElement>('[data-testid="selection-copy"]')!.click();
    await vi.waitFor(() =>
      expect(api.copyText).toHaveBeenCalledWith('“Preferential treatment for artists and artists.” (2005 Convention, Art. 16)'),
    );
  });

  it('a selection running into the next passage is cut, with a hint', async () => {
    const target = await openReader([]);
    const a = texts(target.querySelector('#passage-art-1 .passage-text')!).at(-1)!; // " now."
    const b = texts(target.querySelector('#passage-art-16 .passage-text')!)[0];
    selectText(a, 1, b, 5);
    await vi.waitFor(() => expect(target.querySelector('[data-testid="selection-clamped"]')).not.toBeNull());
    expect(target.querySelector('[data-testid="selection-clamped"]')!.textContent).toContain('2005 Convention, Art. 1');
  });
});

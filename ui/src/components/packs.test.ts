import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import type { DocumentView, Hit, NoteView, PackItemView, PackSummary, PackView } from '../lib/ipc/types';

const api = vi.hoisted(() => ({
  listPacks: vi.fn(),
  createPack: vi.fn(),
  getPack: vi.fn(),
  updatePackMeta: vi.fn(),
  deletePack: vi.fn(),
  restorePack: vi.fn(),
  addPackItem: vi.fn(),
  updatePackItem: vi.fn(),
  movePackItem: vi.fn(),
  removePackItem: vi.fn(),
  exportPack: vi.fn(),
  previewPackFile: vi.fn(),
  importPack: vi.fn(),
  chooseSavePath: vi.fn(),
  chooseFiles: vi.fn(),
  getDocument: vi.fn(),
  notesForDocument: vi.fn(),
  search: vi.fn(),
  openExternal: vi.fn(() => Promise.resolve()),
  copyText: vi.fn(() => Promise.resolve()),
  toIpcError: (e: unknown) => e,
}));
vi.mock('../lib/ipc/api', () => api);

import { render, unmountRendered } from './render.test-util';

import BriefingsView from './BriefingsView.svelte';
import PackEditor from './PackEditor.svelte';
import PackChooser from './PackChooser.svelte';
import ExportDialog from './ExportDialog.svelte';
import UndoToast from './UndoToast.svelte';
import ResultList from './ResultList.svelte';
import NoteItem from './NoteItem.svelte';
import Reader from './Reader.svelte';
import SearchView from './SearchView.svelte';
import { packsState, dismissPackUndo, chooseBriefing } from '../lib/stores/packs.svelte';
import { app } from '../lib/stores/app.svelte';
import { search } from '../lib/stores/search.svelte';


beforeEach(() => {
  Element.prototype.scrollIntoView = vi.fn();
  for (const f of Object.values(api)) if (typeof f === 'function' && 'mockReset' in f) (f as ReturnType<typeof vi.fn>).mockReset();
  api.notesForDocument.mockResolvedValue([]);
  packsState.openId = null;
  packsState.chooser = null;
  dismissPackUndo();
  app.announcement = '';
});
afterEach(() => {
  unmountRendered();
  document.body.innerHTML = '';
});

const key = (el: Element, k: string, extra: KeyboardEventInit = {}) =>
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));

const summary = (id: string, title: string, modified: number, over: Partial<PackSummary> = {}): PackSummary => ({
  id,
  title,
  subtitle: '',
  audience: 'Ministry staff',
  items: 3,
  modified,
  ...over,
});

const item = (id: string, over: Partial<PackItemView> = {}): PackItemView => ({
  id,
  kind: 'text',
  trainer_only: false,
  text: `Text ${id}`,
  citation: null,
  doc_id: null,
  anchor: null,
  doc_title: null,
  quote: null,
  language: null,
  tags: [],
  ...over,
});

const packView = (items: PackItemView[], over: Partial<PackView> = {}): PackView => ({
  id: 'p1',
  title: 'Training day',
  subtitle: 'Morning',
  audience: 'Ministry staff',
  author: 'An',
  date: '2024-05-01',
  language: 'en',
  items,
  modified: 1,
  ...over,
});

const sampleItems = () => [
  item('h', { kind: 'heading', text: 'Background' }),
  item('p', {
    kind: 'passage',
    text: 'Read aloud',
    doc_id: 'd1',
    anchor: 'art-16',
    doc_title: 'Convention 2005',
    citation: '2005 Convention, Art. 16',
    quote: 'Developed countries shall facilitate cultural exchanges.',
    language: 'en',
  }),
  item('t', { text: 'Ask the group first.', trainer_only: true }),
];

/** The pack as the shell returns it after moving `itemId` to `to`. */
function moved(itemId: string, to: number): PackView {
  const list = sampleItems();
  const [it] = list.splice(list.findIndex((i) => i.id === itemId), 1);
  list.splice(to, 0, it);
  return packView(list);
}

const ids = (target: Element) => [...target.querySelectorAll<HTMLElement>('[data-testid="pack-item"]')].map((li) => li.dataset.itemId);

describe('BriefingsView', () => {
  it('lists packs most recent first with audience, item count and last change', async () => {
    api.listPacks.mockResolvedValue([summary('a', 'Older', 1_600_000_000_000), summary('b', 'Newer', 1_700_000_000_000, { items: 1 })]);
    const target = render(BriefingsView, {});
    expect(target.querySelector('[data-testid="briefings-view"]')).not.toBeNull();
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="pack-row"]')).toHaveLength(2));
    const rows = [...target.querySelectorAll<HTMLElement>('[data-testid="pack-row"]')];
    expect(rows.map((r) => r.dataset.packId)).toEqual(['b', 'a']);
    expect(rows[0].querySelector('[data-testid="pack-open"]')!.textContent!.trim()).toBe('Newer');
    expect(rows[0].textContent).toContain('Ministry staff');
    expect(rows[0].textContent).toContain('1 item');
    expect(rows[1].textContent).toContain('3 items');
    expect(rows[0].querySelector('[data-testid="pack-delete"]')!.getAttribute('aria-label')).toBe('Delete Newer');
  });

  it('makes a new briefing (a title is needed) and opens it in the editor', async () => {
    api.listPacks.mockResolvedValue([]);
    api.createPack.mockResolvedValue(packView([], { id: 'new', title: 'Workshop' }));
    api.getPack.mockResolvedValue(packView([], { id: 'new', title: 'Workshop' }));
    const target = render(BriefingsView, {});
    await vi.waitFor(() => expect(target.querySelector('[data-testid="packs-empty"]')).not.toBeNull());
    target.querySelector<HTMLButtonElement>('[data-testid="new-pack"]')!.click();
    await tick();
    const title = target.querySelector<HTMLInputElement>('#pack-title')!;
    const audience = target.querySelector<HTMLInputElement>('#pack-audience')!;
    await vi.waitFor(() => expect(document.activeElement).toBe(title));
    expect(target.querySelector('label[for="pack-title"]')).not.toBeNull();
    expect(target.querySelector('label[for="pack-audience"]')).not.toBeNull();
    target.querySelector<HTMLButtonElement>('[data-testid="create-pack"]')!.click();
    await tick();
    expect(api.createPack).not.toHaveBeenCalled();
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(target.querySelector('#pack-title-error')!.textContent).toBe('Give the briefing a title.');
    title.value = ' Workshop ';
    title.dispatchEvent(new Event('input', { bubbles: true }));
    audience.value = 'Provincial officials';
    audience.dispatchEvent(new Event('input', { bubbles: true }));
    target.querySelector<HTMLButtonElement>('[data-testid="create-pack"]')!.click();
    await vi.waitFor(() => expect(api.createPack).toHaveBeenCalledWith('Workshop', 'Provincial officials'));
    await vi.waitFor(() => expect(target.querySelector('[data-testid="pack-editor"]')).not.toBeNull());
    expect(packsState.openId).toBe('new');
    expect(api.getPack).toHaveBeenCalledWith('new');
  });

  it('deletes a pack and brings it back with Undo', async () => {
    const a = summary('a', 'Training', 2);
    api.listPacks.mockResolvedValue([a]);
    api.deletePack.mockResolvedValue(a);
    api.restorePack.mockResolvedValue(packView([], { id: 'a', title: 'Training' }));
    const target = render(BriefingsView, {});
    const toastTarget = document.createElement('div');
    document.body.append(toastTarget);
    const toast = mount(UndoToast, { target: toastTarget });
    try {
      await vi.waitFor(() => expect(target.querySelector('[data-testid="pack-delete"]')).not.toBeNull());
      api.listPacks.mockResolvedValue([]);
      target.querySelector<HTMLButtonElement>('[data-testid="pack-delete"]')!.click();
      await vi.waitFor(() => expect(api.deletePack).toHaveBeenCalledWith('a'));
      await vi.waitFor(() => expect(toastTarget.querySelector('[data-testid="undo"]')).not.toBeNull());
      expect(toastTarget.textContent).toContain('Briefing deleted');
      await vi.waitFor(() => expect(target.querySelector('[data-testid="pack-row"]')).toBeNull());
      await vi.waitFor(() => expect(app.announcement).toBe('“Training” deleted. Press Ctrl+Z or choose Undo to bring it back.'));
      api.listPacks.mockResolvedValue([a]);
      toastTarget.querySelector<HTMLButtonElement>('[data-testid="undo"]')!.click();
      await vi.waitFor(() => expect(api.restorePack).toHaveBeenCalledWith('a'));
      await vi.waitFor(() => expect(target.querySelector('[data-testid="pack-row"][data-pack-id="a"]')).not.toBeNull());
      expect(toastTarget.querySelector('[data-testid="undo"]')).toBeNull();
    } finally {
      unmount(toast);
    }
  });

  it('shows what a pack file holds before importing it', async () => {
    api.listPacks.mockResolvedValue([]);
    api.chooseFiles.mockResolvedValue(['/home/u/Workshop.pustakapack']);
    api.previewPackFile.mockResolvedValue({
      title: 'Workshop in Hanoi',
      subtitle: '',
      created_by: 'Bình',
      created_at: 1_700_000_000_000,
      items: 12,
      passages: 7,
      passages_missing: 2,
      annotations: 1,
      signed: false,
      signer: null,
    });
    api.importPack.mockResolvedValue({ pack_id: 'imp', excerpts_added: 2, annotations_added: 1 });
    const target = render(BriefingsView, {});
    await vi.waitFor(() => expect(target.querySelector('[data-testid="packs-empty"]')).not.toBeNull());
    target.querySelector<HTMLButtonElement>('[data-testid="import-pack"]')!.click();
    await vi.waitFor(() => expect(api.previewPackFile).toHaveBeenCalledWith('/home/u/Workshop.pustakapack'));
    expect(api.chooseFiles.mock.calls[0][2]).toEqual([{ name: 'Pustaka briefing pack', extensions: ['pustakapack'] }]);
    const dialog = await vi.waitFor(() => {
      const d = document.querySelector('[data-testid="pack-import-preview"]');
      expect(d).not.toBeNull();
      return d!;
    });
    expect(dialog.querySelector('[data-testid="pack-import-title"]')!.textContent!.trim()).toBe('Workshop in Hanoi');
    expect(dialog.querySelector('[data-testid="pack-import-made"]')!.textContent).toContain('Made by Bình on');
    expect(dialog.querySelector('[data-testid="pack-import-counts"]')!.textContent!.trim()).toBe('12 items · 7 passages · 1 annotation');
    expect(dialog.querySelector('[data-testid="pack-import-missing"]')!.textContent!.trim()).toBe(
      '2 passages are not in your library: they will be added as read-only excerpts.',
    );
    expect(dialog.querySelector('[data-testid="pack-import-signed"]')!.getAttribute('data-signed')).toBe('false');
    expect(api.importPack).not.toHaveBeenCalled();
    api.listPacks.mockResolvedValue([summary('imp', 'Workshop in Hanoi', 5)]);
    dialog.querySelector<HTMLButtonElement>('[data-testid="pack-import-confirm"]')!.click();
    await vi.waitFor(() => expect(api.importPack).toHaveBeenCalledWith('/home/u/Workshop.pustakapack'));
    await vi.waitFor(() => expect(document.querySelector('[data-testid="pack-import-preview"]')).toBeNull());
    await vi.waitFor(() =>
      expect(target.querySelector('[data-testid="pack-import-summary"]')!.textContent).toBe(
        'Imported: 2 read-only excerpts and 1 annotations added.',
      ),
    );
    await vi.waitFor(() => expect(target.querySelector('[data-pack-id="imp"]')).not.toBeNull());
  });

  it('shows why a file cannot be opened', async () => {
    api.listPacks.mockResolvedValue([]);
    api.chooseFiles.mockResolvedValue(['/x/notes.txt']);
    api.previewPackFile.mockRejectedValue({ code: 'invalid_input', message: 'This file is not a Pustaka briefing pack.' });
    const target = render(BriefingsView, {});
    target.querySelector<HTMLButtonElement>('[data-testid="import-pack"]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('not a Pustaka briefing pack'));
    expect(document.querySelector('[data-testid="pack-import-preview"]')).toBeNull();
  });
});

describe('PackEditor', () => {
  async function openEditor(items = sampleItems()) {
    api.getPack.mockResolvedValue(packView(items));
    const target = render(PackEditor, { id: 'p1', onback: () => {} });
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="pack-item"]')).toHaveLength(items.length));
    return target;
  }

  it('shows the items with their kind, text, quote and citation, and the details', async () => {
    const target = await openEditor();
    const lis = [...target.querySelectorAll<HTMLElement>('[data-testid="pack-item"]')];
    expect(lis.map((li) => li.dataset.kind)).toEqual(['heading', 'passage', 'text']);
    expect(lis[0].getAttribute('aria-label')).toBe('Heading 1 of 3: Background');
    expect(lis[0].tabIndex).toBe(0);
    expect(lis[0].querySelector<HTMLInputElement>('[data-testid="pack-item-text"]')!.value).toBe('Background');
    expect(lis[1].querySelector('blockquote')!.textContent).toBe('Developed countries shall facilitate cultural exchanges.');
    expect(lis[1].textContent).toContain('2005 Convention, Art. 16');
    expect(lis[1].querySelector<HTMLTextAreaElement>('[data-testid="pack-item-text"]')!.value).toBe('Read aloud');
    expect(lis[2].querySelector<HTMLInputElement>('[data-testid="pack-item-trainer-only"]')!.checked).toBe(true);
    // Dragged with pointer events, not HTML5 drag and drop (off in the desktop window on Windows).
    expect(lis[0].querySelector('[data-drag-handle]')!.hasAttribute('draggable')).toBe(false);
    expect(target.querySelector<HTMLInputElement>('#pack-edit-title')!.value).toBe('Training day');
    expect(target.querySelector<HTMLInputElement>('#pack-edit-audience')!.value).toBe('Ministry staff');
    for (const f of ['title', 'subtitle', 'audience', 'author', 'date', 'language'])
      expect(target.querySelector(`label[for="pack-edit-${f}"]`), f).not.toBeNull();
  });

  it('moves the focused item with Alt+↓ and Alt+↑, keeps the focus on it and says where it went', async () => {
    const target = await openEditor();
    api.movePackItem.mockImplementation((_id: string, itemId: string, to: number) => Promise.resolve(moved(itemId, to)));
    const first = target.querySelector<HTMLElement>('[data-item-id="h"]')!;
    first.focus();
    key(first, 'ArrowDown', { altKey: true });
    await vi.waitFor(() => expect(api.movePackItem).toHaveBeenCalledWith('p1', 'h', 1));
    expect(ids(target)).toEqual(['p', 'h', 't']);
    await vi.waitFor(() => expect(document.activeElement?.getAttribute('data-item-id')).toBe('h'));
    await vi.waitFor(() => expect(app.announcement).toBe('Background: moved to position 2 of 3'));
    expect(target.querySelector('[data-item-id="h"]')!.getAttribute('aria-label')).toBe('Heading 2 of 3: Background');

    // From a button inside the item: the focus stays on that button.
    const remove = target.querySelector<HTMLElement>('[data-item-id="h"] [data-testid="pack-item-remove"]')!;
    remove.focus();
    key(remove, 'ArrowUp', { altKey: true });
    await vi.waitFor(() => expect(api.movePackItem).toHaveBeenLastCalledWith('p1', 'h', 0));
    expect(ids(target)).toEqual(['h', 'p', 't']);
    await vi.waitFor(() => expect(document.activeElement).toBe(target.querySelector('[data-item-id="h"] [data-testid="pack-item-remove"]')));

    // At the top: nothing moves, and it is said.
    const top = target.querySelector<HTMLElement>('[data-item-id="h"]')!;
    top.focus();
    key(top, 'ArrowUp', { altKey: true });
    await vi.waitFor(() => expect(app.announcement).toBe('Already at the top'));
    expect(api.movePackItem).toHaveBeenCalledTimes(2);

    // In a text field Alt+arrows are the field's.
    const field = target.querySelector<HTMLElement>('[data-item-id="h"] [data-testid="pack-item-text"]')!;
    key(field, 'ArrowDown', { altKey: true });
    await tick();
    expect(api.movePackItem).toHaveBeenCalledTimes(2);
  });

  /** Lays the items out 80 px high, 100 px apart (happy-dom has no layout): middles at 40, 140, 240. */
  function layOut(target: Element) {
    for (const li of target.querySelectorAll<HTMLElement>('[data-testid="pack-item"]')) {
      li.getBoundingClientRect = () => {
        const top = [...li.parentElement!.children].indexOf(li) * 100;
        return { x: 0, y: top, top, bottom: top + 80, left: 0, right: 400, width: 400, height: 80, toJSON: () => ({}) } as DOMRect;
      };
    }
  }
  const pointer = (el: Element, type: string, clientY: number, init: PointerEventInit = {}) => {
    const e = new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 7, button: 0, clientX: 20, clientY, ...init });
    el.dispatchEvent(e);
    return e;
  };
  const handleOf = (target: Element, itemId: string) => target.querySelector<HTMLElement>(`[data-item-id="${itemId}"] [data-drag-handle]`)!;
  const marks = (target: Element) =>
    [...target.querySelectorAll<HTMLElement>('[data-testid="pack-item"]')]
      .filter((li) => li.classList.contains('drop-before') || li.classList.contains('drop-after'))
      .map((li) => `${li.classList.contains('drop-before') ? 'before' : 'after'} ${li.dataset.itemId}`);

  it('moves an item dragged by its handle with the pointer, showing where it will land', async () => {
    const target = await openEditor();
    layOut(target);
    // The shell keeps the order it was told.
    let saved = sampleItems();
    api.movePackItem.mockImplementation((_id: string, itemId: string, to: number) => {
      const list = saved.slice();
      const [it] = list.splice(list.findIndex((i) => i.id === itemId), 1);
      list.splice(to, 0, it);
      saved = list;
      return Promise.resolve(packView(list));
    });
    const handle = handleOf(target, 'h');
    const down = pointer(handle, 'pointerdown', 40);
    expect(down.defaultPrevented).toBe(true);
    await tick();
    expect(handle.hasPointerCapture(7)).toBe(true);
    expect(target.querySelector('[data-item-id="h"]')!.classList.contains('dragging')).toBe(true);
    expect(document.activeElement?.getAttribute('data-item-id')).toBe('h');
    // Still over its own place: no line.
    pointer(handle, 'pointermove', 90);
    await tick();
    expect(marks(target)).toEqual([]);
    // Past the middle of the last item: it would go after it.
    pointer(handle, 'pointermove', 260);
    await tick();
    expect(marks(target)).toEqual(['after t']);
    // Back between the second and the last.
    pointer(handle, 'pointermove', 180);
    await tick();
    expect(marks(target)).toEqual(['after p']);
    expect(api.movePackItem).not.toHaveBeenCalled();
    pointer(handle, 'pointerup', 180);
    await vi.waitFor(() => expect(api.movePackItem).toHaveBeenCalledWith('p1', 'h', 1));
    expect(api.movePackItem).toHaveBeenCalledTimes(1);
    expect(ids(target)).toEqual(['p', 'h', 't']);
    expect(handle.hasPointerCapture(7)).toBe(false);
    expect(marks(target)).toEqual([]);
    expect(target.querySelector('.dragging')).toBeNull();
    await vi.waitFor(() => expect(app.announcement).toBe('Background: moved to position 2 of 3'));
    await vi.waitFor(() => expect(document.activeElement?.getAttribute('data-item-id')).toBe('h'));

    // And up to the top, with a line before the first item.
    layOut(target);
    const last = handleOf(target, 't');
    pointer(last, 'pointerdown', 240);
    pointer(last, 'pointermove', 30);
    await tick();
    expect(marks(target)).toEqual(['before p']);
    pointer(last, 'pointerup', 30);
    await vi.waitFor(() => expect(api.movePackItem).toHaveBeenLastCalledWith('p1', 't', 0));
    expect(ids(target)).toEqual(['t', 'p', 'h']);
    await vi.waitFor(() => expect(app.announcement).toBe('Ask the group first.: moved to position 1 of 3'));
  });

  it('scrolls the items’ pane while an item is dragged near its edge', async () => {
    const target = await openEditor();
    layOut(target);
    const pane = target.querySelector<HTMLElement>('.edit-pane')!;
    api.movePackItem.mockImplementation((_id: string, itemId: string, to: number) => Promise.resolve(moved(itemId, to)));
    pane.getBoundingClientRect = () => ({ x: 0, y: 0, top: 0, bottom: 300, left: 0, right: 400, width: 400, height: 300, toJSON: () => ({}) }) as DOMRect;
    const handle = handleOf(target, 'h');
    pointer(handle, 'pointerdown', 40);
    pointer(handle, 'pointermove', 150);
    await new Promise((r) => setTimeout(r, 50));
    expect(pane.scrollTop).toBe(0);
    pointer(handle, 'pointermove', 295);
    await vi.waitFor(() => expect(pane.scrollTop).toBeGreaterThan(20));
    pointer(handle, 'pointerup', 295);
    const stopped = pane.scrollTop;
    await new Promise((r) => setTimeout(r, 50));
    expect(pane.scrollTop).toBe(stopped);
    await vi.waitFor(() => expect(api.movePackItem).toHaveBeenCalledWith('p1', 'h', 2));
  });

  it('puts a dragged item back on Esc or when the pointer is cancelled, and drags only by the handle', async () => {
    const target = await openEditor();
    layOut(target);
    const handle = handleOf(target, 't');
    pointer(handle, 'pointerdown', 240);
    pointer(handle, 'pointermove', 10);
    await tick();
    expect(marks(target)).toEqual(['before h']);
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    document.activeElement!.dispatchEvent(esc);
    expect(esc.defaultPrevented).toBe(true);
    await tick();
    expect(marks(target)).toEqual([]);
    expect(target.querySelector('.dragging')).toBeNull();
    expect(handle.hasPointerCapture(7)).toBe(false);
    // The rest of that drag does nothing.
    pointer(handle, 'pointermove', 10);
    pointer(handle, 'pointerup', 10);
    await tick();
    expect(marks(target)).toEqual([]);

    // Cancelled by the system.
    pointer(handle, 'pointerdown', 240);
    pointer(handle, 'pointermove', 10);
    pointer(handle, 'pointercancel', 10);
    await tick();
    expect(target.querySelector('.dragging')).toBeNull();
    pointer(handle, 'pointerup', 10);

    // Another pointer, another button, or the item itself rather than its handle.
    pointer(handle, 'pointerdown', 240);
    pointer(handle, 'pointerup', 10, { pointerId: 8 });
    await tick();
    expect(target.querySelector('[data-item-id="t"]')!.classList.contains('dragging')).toBe(true);
    pointer(handle, 'pointerup', 240);
    pointer(handle, 'pointerdown', 240, { button: 2 });
    pointer(handle, 'pointermove', 10);
    pointer(target.querySelector('[data-item-id="t"] .kind')!, 'pointerdown', 240);
    pointer(handle, 'pointermove', 10);
    await tick();
    expect(target.querySelector('.dragging')).toBeNull();
    expect(marks(target)).toEqual([]);
    pointer(handle, 'pointerup', 10);
    await tick();
    expect(api.movePackItem).not.toHaveBeenCalled();
    expect(ids(target)).toEqual(['h', 'p', 't']);
    // Esc without a drag is left to others.
    const esc2 = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    document.body.dispatchEvent(esc2);
    expect(esc2.defaultPrevented).toBe(false);
  });

  it('saves text, trainer-only and details, and adds headings and text', async () => {
    const target = await openEditor();
    api.updatePackItem.mockResolvedValue(packView(sampleItems()));
    const heading = target.querySelector<HTMLInputElement>('[data-item-id="h"] [data-testid="pack-item-text"]')!;
    heading.value = 'Context';
    heading.dispatchEvent(new Event('input', { bubbles: true }));
    await tick();
    // The preview follows what is typed.
    expect(target.querySelector('[data-testid="pack-preview"] [data-item-id="h"]')!.textContent).toContain('Context');
    heading.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(api.updatePackItem).toHaveBeenCalledWith('p1', 'h', { text: 'Context', trainer_only: null }));

    const toggle = target.querySelector<HTMLInputElement>('[data-item-id="p"] [data-testid="pack-item-trainer-only"]')!;
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(api.updatePackItem).toHaveBeenCalledWith('p1', 'p', { text: null, trainer_only: true }));

    api.updatePackMeta.mockResolvedValue(packView(sampleItems(), { audience: 'Trainers' }));
    const audience = target.querySelector<HTMLInputElement>('#pack-edit-audience')!;
    audience.value = 'Trainers';
    audience.dispatchEvent(new Event('input', { bubbles: true }));
    audience.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() =>
      expect(api.updatePackMeta).toHaveBeenCalledWith('p1', {
        title: null,
        subtitle: null,
        audience: 'Trainers',
        author: null,
        date: null,
        language: null,
      }),
    );
    // An empty title is not sent.
    const title = target.querySelector<HTMLInputElement>('#pack-edit-title')!;
    title.value = ' ';
    title.dispatchEvent(new Event('change', { bubbles: true }));
    await tick();
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(api.updatePackMeta).toHaveBeenCalledTimes(1);

    const added = item('new', { kind: 'heading', text: 'New section' });
    api.addPackItem.mockResolvedValue(packView([...sampleItems(), added]));
    target.querySelector<HTMLButtonElement>('[data-testid="add-heading"]')!.click();
    await vi.waitFor(() => expect(api.addPackItem).toHaveBeenCalledWith('p1', { kind: 'heading', text: 'New section' }, null));
    await vi.waitFor(() => expect(document.activeElement).toBe(target.querySelector('[data-item-id="new"] [data-testid="pack-item-text"]')));
    api.addPackItem.mockResolvedValue(packView([...sampleItems(), added, item('txt', { text: '' })]));
    target.querySelector<HTMLButtonElement>('[data-testid="add-text"]')!.click();
    await vi.waitFor(() => expect(api.addPackItem).toHaveBeenLastCalledWith('p1', { kind: 'text', markdown: '', trainer_only: false }, null));
  });

  it('removes an item and shows an error from the shell', async () => {
    const target = await openEditor();
    api.removePackItem.mockRejectedValue({ code: 'store', message: 'The briefing could not be saved.' });
    target.querySelector<HTMLButtonElement>('[data-item-id="p"] [data-testid="pack-item-remove"]')!.click();
    await tick();
    expect(ids(target)).toEqual(['h', 't']);
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('could not be saved'));
    // The pack is read again: the item is back.
    await vi.waitFor(() => expect(ids(target)).toEqual(['h', 'p', 't']));
  });

  it('previews the trainer’s and the participants’ editions', async () => {
    const target = await openEditor();
    const preview = target.querySelector('[data-testid="pack-preview"]')!;
    const shown = () => [...preview.querySelectorAll<HTMLElement>('[data-testid="preview-block"]')].map((b) => b.dataset.itemId);
    expect(shown()).toEqual(['h', 'p', 't']);
    expect(preview.querySelector('[data-testid="preview-edition-trainer"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(preview.textContent).toContain('Training day');
    expect(preview.textContent).toContain('For: Ministry staff');
    expect(preview.textContent).toContain('2005 Convention, Art. 16\u00a0[1]');
    expect(preview.querySelector('.sources li')!.textContent).toBe('Convention 2005');
    preview.querySelector<HTMLButtonElement>('[data-testid="preview-edition-participant"]')!.click();
    await tick();
    expect(shown()).toEqual(['h', 'p']);
    expect(preview.querySelector('[data-testid="preview-edition-participant"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(preview.querySelector('[data-testid="preview-hidden"]')!.textContent).toBe('1 trainer-only item is left out of this edition.');
  });

  it('opens the export dialog with the preview’s edition', async () => {
    const target = await openEditor();
    target.querySelector<HTMLButtonElement>('[data-testid="preview-edition-participant"]')!.click();
    target.querySelector<HTMLButtonElement>('[data-testid="export-pack"]')!.click();
    const dialog = await vi.waitFor(() => {
      const d = document.querySelector('[data-testid="export-dialog"]');
      expect(d).not.toBeNull();
      return d!;
    });
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="export-participant"]')!.checked).toBe(true);
  });
});

describe('ExportDialog', () => {
  it('exports in the chosen format and edition, with progress and the result', async () => {
    const onclose = vi.fn();
    api.chooseSavePath.mockResolvedValue('/home/u/Training day - participants.md');
    let finish: (v: unknown) => void = () => {};
    api.exportPack.mockImplementation(
      (_id: string, _f: string, _p: boolean, _path: string, onProgress: (p: { stage: string; done: number; total: number }) => void) => {
        onProgress({ stage: 'writing', done: 2, total: 5 });
        return new Promise((r) => (finish = r));
      },
    );
    const target = render(ExportDialog, { pack: packView(sampleItems()), onclose });
    const dialog = target.querySelector('[data-testid="export-dialog"]')!;
    const format = dialog.querySelector<HTMLSelectElement>('#export-format')!;
    expect([...format.options].map((o) => o.value)).toEqual(['pdf', 'docx', 'html', 'md', 'pustakapack']);
    expect([...format.options].map((o) => o.textContent)).toContain('Word (.docx)');
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="export-trainer"]')!.checked).toBe(true);
    format.value = 'md';
    format.dispatchEvent(new Event('change', { bubbles: true }));
    const participant = dialog.querySelector<HTMLInputElement>('[data-testid="export-participant"]')!;
    participant.checked = true;
    participant.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    dialog.querySelector<HTMLButtonElement>('[data-testid="export-start"]')!.click();
    await vi.waitFor(() => expect(api.exportPack).toHaveBeenCalled());
    expect(api.chooseSavePath).toHaveBeenCalledWith('Training day - participants.md', [{ name: 'Markdown (.md)', extensions: ['md'] }]);
    expect(api.exportPack.mock.calls[0].slice(0, 4)).toEqual(['p1', 'md', true, '/home/u/Training day - participants.md']);
    await vi.waitFor(() => expect(dialog.querySelector('[data-testid="export-progress"]')!.textContent).toContain('Writing the file: 2 of 5'));
    expect(dialog.querySelector<HTMLProgressElement>('progress')!.getAttribute('value')).toBe('40');
    expect(dialog.querySelector<HTMLButtonElement>('[data-testid="export-start"]')!.disabled).toBe(true);
    finish({ path: '/home/u/Training day - participants.md', bytes: 20_480 });
    await vi.waitFor(() =>
      expect(dialog.querySelector('[data-testid="export-result"]')!.textContent).toBe('Saved to /home/u/Training day - participants.md (20 KB).'),
    );
  });

  it('does nothing when the save dialog is cancelled, and shows errors', async () => {
    api.chooseSavePath.mockResolvedValue(null);
    const target = render(ExportDialog, { pack: packView([]), onclose: () => {} });
    const start = target.querySelector<HTMLButtonElement>('[data-testid="export-start"]')!;
    start.click();
    await vi.waitFor(() => expect(api.chooseSavePath).toHaveBeenCalledWith('Training day.pdf', [{ name: 'PDF', extensions: ['pdf'] }]));
    expect(api.exportPack).not.toHaveBeenCalled();
    api.chooseSavePath.mockResolvedValue('/readonly/Training day.pdf');
    api.exportPack.mockRejectedValue({ code: 'io', message: 'The file could not be written: permission denied.' });
    start.click();
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('permission denied'));
    expect(target.querySelector('[data-testid="export-result"]')).toBeNull();
  });
});

describe('PackChooser', () => {
  const note: NoteView = {
    id: 'n1',
    doc_id: 'd1',
    anchor: 'art-16',
    start: 0,
    end: 5,
    quote: 'Devel',
    note: '',
    tags: [],
    color: 'yellow',
    motivation: 'highlighting',
    author: '',
    created: 1,
    modified: 1,
    anchoring: 'attached',
    citation: '2005 Convention, Art. 16',
    doc_title: 'Convention 2005',
  };

  it('lists packs most recent first and adds the item to the one picked', async () => {
    api.listPacks.mockResolvedValue([summary('old', 'Older', 1), summary('new', 'Newer', 9)]);
    api.addPackItem.mockResolvedValue(packView([], { id: 'new', title: 'Newer' }));
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    chooseBriefing({ kind: 'passage', doc_id: 'd1', anchor: 'art-16', note: '', trainer_only: false }, '2005 Convention, Art. 16');
    const target = render(PackChooser, { request: packsState.chooser! });
    const dialog = target.querySelector('[data-testid="pack-chooser"]')!;
    expect(dialog.textContent).toContain('Adding: 2005 Convention, Art. 16');
    await vi.waitFor(() => expect(dialog.querySelectorAll('[data-testid="pack-choice"]')).toHaveLength(2));
    const choices = [...dialog.querySelectorAll<HTMLElement>('[data-testid="pack-choice"]')];
    expect(choices.map((c) => c.dataset.packId)).toEqual(['new', 'old']);
    await vi.waitFor(() => expect(document.activeElement).toBe(choices[0]));
    choices[0].click();
    await vi.waitFor(() =>
      expect(api.addPackItem).toHaveBeenCalledWith('new', { kind: 'passage', doc_id: 'd1', anchor: 'art-16', note: '', trainer_only: false }, null),
    );
    await vi.waitFor(() => expect(packsState.chooser).toBeNull());
    await vi.waitFor(() => expect(app.announcement).toBe('Added to “Newer”'));
    await vi.waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it('makes a new pack for the item; with no packs the form is open at once', async () => {
    api.listPacks.mockResolvedValue([]);
    api.createPack.mockResolvedValue(packView([], { id: 'made', title: 'Workshop' }));
    api.addPackItem.mockResolvedValue(packView([], { id: 'made', title: 'Workshop' }));
    chooseBriefing({ kind: 'annotation', note_id: 'n1', trainer_only: false }, 'note');
    const target = render(PackChooser, { request: packsState.chooser! });
    const title = await vi.waitFor(() => {
      const el = target.querySelector<HTMLInputElement>('#chooser-pack-title');
      expect(el).not.toBeNull();
      return el!;
    });
    await vi.waitFor(() => expect(document.activeElement).toBe(title));
    target.querySelector<HTMLButtonElement>('[data-testid="pack-choice-create"]')!.click();
    await tick();
    expect(api.createPack).not.toHaveBeenCalled();
    expect(target.querySelector('#chooser-title-error')!.textContent).toBe('Give the briefing a title.');
    title.value = 'Workshop';
    title.dispatchEvent(new Event('input', { bubbles: true }));
    target.querySelector<HTMLButtonElement>('[data-testid="pack-choice-create"]')!.click();
    await vi.waitFor(() => expect(api.createPack).toHaveBeenCalledWith('Workshop', ''));
    await vi.waitFor(() => expect(api.addPackItem).toHaveBeenCalledWith('made', { kind: 'annotation', note_id: 'n1', trainer_only: false }, null));
    await vi.waitFor(() => expect(app.announcement).toBe('Added to “Workshop”'));
  });

  it('shows an error and stays open when adding fails', async () => {
    api.listPacks.mockResolvedValue([summary('a', 'Training', 1)]);
    api.addPackItem.mockRejectedValue({ code: 'not_found', message: 'That passage is not in the library.' });
    chooseBriefing({ kind: 'passage', doc_id: 'd1', anchor: 'x', note: '', trainer_only: false }, 'x');
    const target = render(PackChooser, { request: packsState.chooser! });
    await vi.waitFor(() => expect(target.querySelector('[data-testid="pack-choice"]')).not.toBeNull());
    target.querySelector<HTMLButtonElement>('[data-testid="pack-choice"]')!.click();
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')?.textContent).toContain('not in the library'));
    expect(packsState.chooser).not.toBeNull();
  });

  it('opens from an annotation, a search result (button or B) and the reader', async () => {
    // An annotation.
    let target = render(NoteItem, { note, context: 'list' });
    target.querySelector<HTMLButtonElement>('[data-testid="add-to-pack"]')!.click();
    expect(packsState.chooser).toMatchObject({ item: { kind: 'annotation', note_id: 'n1' }, what: '2005 Convention, Art. 16' });
    packsState.chooser = null;
    unmountRendered();

    // A search result's button.
    const hit: Hit = {
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
      snippet: 'x',
      score: 1,
    };
    const onadd = vi.fn();
    const onopen = vi.fn();
    target = render(ResultList, { hits: [hit], selected: 0, onopen, onkeydown: () => {}, onadd });
    const add = target.querySelector<HTMLElement>('[data-testid="result"] [data-testid="add-to-pack"]')!;
    expect(add.getAttribute('aria-hidden')).toBe('true');
    expect(target.querySelector('#results')!.getAttribute('aria-keyshortcuts')).toBe('B');
    add.click();
    expect(onadd).toHaveBeenCalledWith(0);
    expect(onopen).not.toHaveBeenCalled();
    unmountRendered();

    // The reader's toolbar: the passage in focus.
    api.getDocument.mockResolvedValue(docView());
    target = render(Reader, { open: { id: 'd1', anchor: 'art-16', query: '', serial: 1 }, onclose: () => {} });
    await vi.waitFor(() => expect(target.querySelector('#passage-art-16')).not.toBeNull());
    target.querySelector<HTMLButtonElement>('[data-testid="reader"] [data-testid="add-to-pack"]')!.click();
    expect(packsState.chooser).toMatchObject({
      item: { kind: 'passage', doc_id: 'd1', anchor: 'art-16', note: '', trainer_only: false },
      what: '2005 Convention, Art. 16',
    });
  });
});

describe('Reader selection toolbar', () => {
  it('adds the passage the selection is in', async () => {
    api.getDocument.mockResolvedValue(docView());
    const target = render(Reader, { open: { id: 'd1', anchor: null, query: '', serial: 2 }, onclose: () => {} });
    await vi.waitFor(() => expect(target.querySelector('#passage-art-16')).not.toBeNull());
    await tick();
    const text = [...target.querySelector('#passage-art-16 .passage-text')!.childNodes].find(
      (n): n is Text => n.nodeType === 3 && n.textContent !== '',
    )!;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 12);
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    const add = await vi.waitFor(() => {
      const b = target.querySelector<HTMLButtonElement>('[data-testid="selection-add-to-pack"]');
      expect(b).not.toBeNull();
      return b!;
    });
    expect(add.textContent).toBe('Add to briefing');
    add.click();
    expect(packsState.chooser).toMatchObject({
      item: { kind: 'passage', doc_id: 'd1', anchor: 'art-16', note: '', trainer_only: false },
      what: '2005 Convention, Art. 16',
    });
    // The toolbar is gone; the focus went back to the text, where it returns after the chooser.
    await vi.waitFor(() => expect(target.querySelector('[data-testid="selection-toolbar"]')).toBeNull());
    expect(packsState.chooser!.returnTo).toBe(target.querySelector('article.text'));
  });
});

describe('SearchView', () => {
  it('B on the result list adds the selected result', async () => {
    const hit = (anchor: string): Hit => ({
      doc_id: 'd1',
      anchor,
      title: 'Convention 2005',
      citation: `2005 Convention, ${anchor}`,
      heading: null,
      page: null,
      kind: 'instrument',
      country: [],
      language: 'en',
      year: 2005,
      instrument: null,
      snippet: 'x',
      score: 1,
    });
    api.search.mockResolvedValue({
      query: 'x',
      total: 2,
      took_ms: 1,
      hits: [hit('art-1'), hit('art-16')],
      facets: [],
      fuzzy: false,
      notice: null,
      notes: [],
      notes_total: 0,
    });
    const target = render(SearchView, {});
    const input = target.querySelector<HTMLInputElement>('#search-input')!;
    input.value = 'x';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="result"]')).toHaveLength(2));
    const list = target.querySelector<HTMLElement>('#results')!;
    list.focus();
    // Nothing selected yet: B does nothing.
    key(list, 'b');
    expect(packsState.chooser).toBeNull();
    key(list, 'ArrowDown');
    key(list, 'ArrowDown');
    await tick();
    key(list, 'b');
    expect(packsState.chooser).toMatchObject({ item: { kind: 'passage', doc_id: 'd1', anchor: 'art-16' }, what: '2005 Convention, art-16' });
    expect(packsState.chooser!.returnTo).toBe(list);
    // Typing b in the search box is typing.
    packsState.chooser = null;
    key(input, 'b');
    expect(packsState.chooser).toBeNull();
    search.text = '';
    search.open = null;
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
    { anchor: 'art-1', heading: 'Article 1', locator: null, page: null, citation: '2005 Convention, Art. 1', text: 'Objectives.', marks: [] },
    { anchor: 'art-16', heading: 'Article 16', locator: null, page: null, citation: '2005 Convention, Art. 16', text: 'Preferential treatment.', marks: [] },
  ],
  match_count: 0,
});

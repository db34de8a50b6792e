import { tick } from 'svelte';
import * as api from '../ipc/api';
import type { IpcError, NewPackItem, PackSummary, PackView } from '../ipc/types';
import { UndoTimer } from '../undo';
import { offering, registerUndo } from '../undoOffers';
import { announce } from './app.svelte';
import { t } from '../i18n/i18n.svelte';

/** Something to add to a pack, waiting for the user to choose which one. */
export interface ChooserRequest {
  item: NewPackItem;
  /** What is added, in the chooser's words: a citation. */
  what: string;
  /** Where the focus goes back when the chooser closes. */
  returnTo: HTMLElement | null;
}

export const packsState = $state({
  /** Bumped whenever packs are added, deleted, restored or imported; the list reloads on it. */
  version: 0,
  /** The pack open in the editor (null: the list). */
  openId: null as string | null,
  /** The deleted pack that can still be restored (the Undo toast shows while set). */
  undo: null as PackSummary | null,
  undoError: null as IpcError | null,
  /** The "Add to briefing" chooser, when open. */
  chooser: null as ChooserRequest | null,
});

const timer = new UndoTimer<PackSummary>((p) => {
  if (packsState.undo?.id === p.id) packsState.undo = null;
});

export function packsChanged(): void {
  packsState.version++;
}

export function openPack(id: string): void {
  packsState.openId = id;
}

export function closePack(): void {
  packsState.openId = null;
}

/** Deletes a pack and offers to undo it for a few seconds; rejects with an IpcError. */
export async function removePack(pack: PackSummary): Promise<void> {
  await api.deletePack(pack.id);
  if (packsState.openId === pack.id) packsState.openId = null;
  offering('packs');
  packsState.undoError = null;
  packsState.undo = pack;
  timer.offer(pack);
  packsChanged();
  announce(t('packs.deleted', { title: pack.title }));
}

/** Restores the pack deleted last, if the offer is still open. */
export async function undoRemovePack(): Promise<PackView | null> {
  const pack = timer.take();
  packsState.undo = null;
  if (!pack) return null;
  try {
    const restored = await api.restorePack(pack.id);
    packsChanged();
    announce(t('packs.restored', { title: restored.title }));
    return restored;
  } catch (e) {
    packsState.undoError = api.toIpcError(e);
    return null;
  }
}

export function pausePackUndo(): void {
  timer.pause();
}

export function resumePackUndo(): void {
  timer.resume();
}

export function dismissPackUndo(): void {
  timer.dispose();
  packsState.undo = null;
  packsState.undoError = null;
}

registerUndo('packs', dismissPackUndo);

// ---- Add to briefing -----------------------------------------------------------------

/** Opens the chooser for `item`; the focus comes back to what has it now. */
export function chooseBriefing(item: NewPackItem, what: string): void {
  const active = typeof document !== 'undefined' ? document.activeElement : null;
  packsState.chooser = { item, what, returnTo: active instanceof HTMLElement ? active : null };
}

/** Closes the chooser and puts the focus back where it was. */
export async function closeChooser(): Promise<void> {
  const back = packsState.chooser?.returnTo ?? null;
  packsState.chooser = null;
  await tick();
  if (back?.isConnected) back.focus();
}

/** A passage, as a pack item. */
export function passageItem(docId: string, anchor: string): NewPackItem {
  return { kind: 'passage', doc_id: docId, anchor, note: '', trainer_only: false };
}

/** An annotation, as a pack item. */
export function annotationItem(noteId: string): NewPackItem {
  return { kind: 'annotation', note_id: noteId, trainer_only: false };
}

/** Adds `item` at the end of a pack and says so; rejects with an IpcError. */
export async function addToPack(packId: string, item: NewPackItem): Promise<PackView> {
  const view = await api.addPackItem(packId, $state.snapshot(item) as NewPackItem, null);
  packsChanged();
  announce(t('packs.addedTo', { title: view.title }));
  return view;
}

/** Makes a new pack and adds `item` to it; rejects with an IpcError. */
export async function addToNewPack(title: string, audience: string, item: NewPackItem): Promise<PackView> {
  const created = await api.createPack(title.trim(), audience.trim());
  packsChanged();
  return addToPack(created.id, item);
}

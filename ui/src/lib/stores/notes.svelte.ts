import * as api from '../ipc/api';
import type { IpcError, NoteEdit, NoteView } from '../ipc/types';
import { UndoTimer } from '../undo';
import { offering, registerUndo } from '../undoOffers';
import { announce } from './app.svelte';
import { refreshSearch } from './search.svelte';
import { t } from '../i18n/i18n.svelte';

export const notesState = $state({
  /** Bumped whenever annotations change; the reader's panel and the notes view reload on it. */
  version: 0,
  /** The one open note editor: 'new' (from a selection), an annotation id, or null. */
  editing: null as string | null,
  /** The deleted annotation that can still be restored (the Undo toast shows while set). */
  undo: null as NoteView | null,
  /** Why restoring failed. */
  undoError: null as IpcError | null,
  /** The reader's notes panel is open (it stays open from one document to the next). */
  panelOpen: false,
});

const timer = new UndoTimer<NoteView>((n) => {
  if (notesState.undo?.id === n.id) notesState.undo = null;
});

/** Call after annotations were added, edited, deleted, restored or imported. */
export function notesChanged(): void {
  notesState.version++;
  refreshSearch();
}

/** Opens the editor for `key` ('new' or an id), closing any other one. */
export function startEditing(key: string): void {
  notesState.editing = key;
}

export function stopEditing(key?: string): void {
  if (key === undefined || notesState.editing === key) notesState.editing = null;
}

/** Saves an edit; rejects with an IpcError. */
export async function saveEdit(edit: NoteEdit): Promise<NoteView> {
  const saved = await api.editNote(edit);
  notesChanged();
  return saved;
}

/** Deletes an annotation and offers to undo it for a few seconds; rejects with an IpcError. */
export async function removeNote(note: NoteView): Promise<void> {
  await api.deleteNote(note.id);
  if (notesState.editing === note.id) notesState.editing = null;
  offering('notes');
  notesState.undoError = null;
  notesState.undo = note;
  timer.offer(note);
  notesChanged();
  announce(t('notes.deleted'));
}

/** Restores the annotation deleted last, if the offer is still open. */
export async function undoRemove(): Promise<boolean> {
  const note = timer.take();
  notesState.undo = null;
  if (!note) return false;
  try {
    await api.restoreNote(note.id);
    notesChanged();
    announce(t('notes.restored'));
    return true;
  } catch (e) {
    notesState.undoError = api.toIpcError(e);
    return false;
  }
}

/** Holds the Undo offer while the user is on the toast. */
export function pauseUndo(): void {
  timer.pause();
}

export function resumeUndo(): void {
  timer.resume();
}

/** Closes the Undo offer (the toast's close button). */
export function dismissUndo(): void {
  timer.dispose();
  notesState.undo = null;
  notesState.undoError = null;
}

registerUndo('notes', dismissUndo);

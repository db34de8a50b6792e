// The only module that talks to the Rust side. Tests mock this module.
import { invoke, Channel } from '@tauri-apps/api/core';
import type {
  AddProgress,
  AddSummary,
  AppStatus,
  ContentPackInfo,
  ContentPackInstalled,
  DocInfo,
  DocumentView,
  ExportProgress,
  FetchProgress,
  InstallProgress,
  IpcError,
  MetadataEdit,
  NewNote,
  NoteEdit,
  NoteFilter,
  NotesExported,
  NotesFormat,
  NotesImported,
  NotesList,
  NoteView,
  OfficialTexts,
  NewPackItem,
  PackExported,
  PackFormat,
  PackImported,
  PackItemEdit,
  PackMetaEdit,
  PackPreview,
  PackSummary,
  PackView,
  SearchQuery,
  SearchResponse,
  Settings,
  StarterState,
} from './types';

/** Turns anything a command may reject with into an IpcError. */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { code?: unknown; message?: unknown };
    return {
      code: typeof o.code === 'string' ? o.code : 'internal',
      message: String(o.message),
    };
  }
  if (typeof e === 'string') return { code: 'internal', message: e };
  return { code: 'internal', message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const appStatus = () => call<AppStatus>('app_status');
export const openLibrary = (path: string | null) => call<AppStatus>('open_library', { path });
export const retryLibrary = () => call<AppStatus>('retry_library');
export const saveSettings = (settings: Settings) => call<AppStatus>('save_settings', { settings });
export const search = (query: SearchQuery) => call<SearchResponse>('search', { query });
export const getDocument = (id: string, query: string) =>
  call<DocumentView>('get_document', { id, query });
export const listDocuments = () => call<DocInfo[]>('list_documents');
export const cancelJob = (job: string) => call<boolean>('cancel_job', { job });
export const removeDocument = (id: string) => call<DocInfo>('remove_document', { id });
export const updateMetadata = (id: string, edit: MetadataEdit) =>
  call<DocInfo>('update_metadata', { id, edit });
export const openExternal = (url: string) => call<void>('open_external', { url });
export const copyText = (text: string) => call<void>('copy_text', { text });

// Annotations (highlights, notes, tags).
/** Every annotation of a document, orphans included. */
export const notesForDocument = (docId: string) => call<NoteView[]>('notes_for_document', { docId });
export const listNotes = (filter: NoteFilter) => call<NotesList>('list_notes', { filter });
export const addNote = (note: NewNote) => call<NoteView>('add_note', { note });
export const editNote = (edit: NoteEdit) => call<NoteView>('edit_note', { edit });
export const deleteNote = (id: string) => call<NoteView>('delete_note', { id });
/** Undoes a deletion. */
export const restoreNote = (id: string) => call<NoteView>('restore_note', { id });
export const exportNotes = (format: NotesFormat, path: string) =>
  call<NotesExported>('export_notes', { format, path });
export const importNotes = (path: string) => call<NotesImported>('import_notes', { path });

// Briefing packs.
export const listPacks = () => call<PackSummary[]>('list_packs');
export const createPack = (title: string, audience: string) => call<PackView>('create_pack', { title, audience });
export const getPack = (id: string) => call<PackView>('get_pack', { id });
export const updatePackMeta = (id: string, edit: PackMetaEdit) => call<PackView>('update_pack_meta', { id, edit });
export const deletePack = (id: string) => call<PackSummary>('delete_pack', { id });
/** Undoes a deletion. */
export const restorePack = (id: string) => call<PackView>('restore_pack', { id });
/** Adds an item at `index`, or at the end when it is null. */
export const addPackItem = (id: string, item: NewPackItem, index: number | null) =>
  call<PackView>('add_pack_item', { id, item, index });
export const updatePackItem = (id: string, itemId: string, edit: PackItemEdit) =>
  call<PackView>('update_pack_item', { id, itemId, edit });
/** Moves an item so that it ends up at index `to`. */
export const movePackItem = (id: string, itemId: string, to: number) =>
  call<PackView>('move_pack_item', { id, itemId, to });
export const removePackItem = (id: string, itemId: string) => call<PackView>('remove_pack_item', { id, itemId });
/** What a pack file holds, before importing it. */
export const previewPackFile = (path: string) => call<PackPreview>('preview_pack_file', { path });
export const importPack = (path: string) => call<PackImported>('import_pack', { path });

export function exportPack(
  id: string,
  format: PackFormat,
  participant: boolean,
  path: string,
  onProgress: (p: ExportProgress) => void,
): Promise<PackExported> {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call<PackExported>('export_pack', { id, format, participant, path, onProgress: channel });
}

// Content packs (.pustakacorpus) and official texts.
/** The bundled starter pack this run; answers at once, even while it is being installed. */
export const starterStatus = () => call<StarterState>('starter_status');
/** What a content pack file holds and whether this library takes it, before installing. */
export const inspectContentPack = (path: string) => call<ContentPackInfo>('inspect_content_pack', { path });

/**
 * Installs a content pack. `trust`: what the user explicitly accepted in the trust step (the
 * fingerprint of the pack's unknown key, or "unsigned"); null for packs the library trusts.
 */
export function installContentPack(
  job: string,
  path: string,
  trust: string | null,
  onProgress: (p: InstallProgress) => void,
): Promise<ContentPackInstalled> {
  const channel = new Channel<InstallProgress>();
  channel.onmessage = onProgress;
  return call<ContentPackInstalled>('install_content_pack', { job, path, trust, onProgress: channel });
}

/** Downloads the official texts into the library's folder (it then has to be added). */
export function fetchOfficialTexts(job: string, onProgress: (p: FetchProgress) => void): Promise<OfficialTexts> {
  const channel = new Channel<FetchProgress>();
  channel.onmessage = onProgress;
  return call<OfficialTexts>('fetch_official_texts', { job, onProgress: channel });
}

export function addDocuments(
  job: string,
  paths: string[],
  onProgress: (p: AddProgress) => void,
): Promise<AddSummary> {
  const channel = new Channel<AddProgress>();
  channel.onmessage = onProgress;
  return call<AddSummary>('add_documents', { job, paths, onProgress: channel });
}

/** Native open dialog; returns the chosen paths (empty when cancelled). */
export async function chooseFiles(
  directory: boolean,
  multiple = true,
  filters?: { name: string; extensions: string[] }[],
): Promise<string[]> {
  try {
    const { open } = await import('@tauri-apps/plugin-dialog');
    const picked = await open(filters ? { multiple, directory, filters } : { multiple, directory });
    if (picked === null) return [];
    return Array.isArray(picked) ? picked : [picked];
  } catch (e) {
    throw toIpcError(e);
  }
}

/** Native save dialog; returns the chosen path, or null when cancelled. */
export async function chooseSavePath(
  defaultPath: string,
  filters: { name: string; extensions: string[] }[] = [],
): Promise<string | null> {
  // The end-to-end tests cannot drive the native dialog (it is outside the web page): they
  // give its answer here instead. Nothing in the app sets this.
  const given = (window as unknown as { __PUSTAKA_E2E_SAVE_PATH__?: unknown }).__PUSTAKA_E2E_SAVE_PATH__;
  if (typeof given === 'string') return given;
  try {
    const { save } = await import('@tauri-apps/plugin-dialog');
    return await save({ defaultPath, filters });
  } catch (e) {
    throw toIpcError(e);
  }
}

/** Subscribes to files dragged onto the window. Resolves to an unsubscribe function. */
export async function onFileDrop(handlers: {
  over: () => void;
  leave: () => void;
  drop: (paths: string[]) => void;
}): Promise<() => void> {
  try {
    const { getCurrentWebview } = await import('@tauri-apps/api/webview');
    return await getCurrentWebview().onDragDropEvent((ev) => {
      const p = ev.payload;
      if (p.type === 'enter' || p.type === 'over') handlers.over();
      else if (p.type === 'leave') handlers.leave();
      else if (p.type === 'drop') handlers.drop(p.paths);
    });
  } catch {
    return () => {};
  }
}

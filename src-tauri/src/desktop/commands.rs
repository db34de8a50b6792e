//! The IPC commands: each unpacks its request, runs one service call on a blocking thread
//! (never the UI thread) and returns the result or an [`IpcError`] (`{code, message}`).

use pustaka_app::*;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use super::Shared;

async fn blocking<T, F>(shared: &Shared, f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce(&App) -> IpcResult<T> + Send + 'static,
{
    let shared = shared.clone();
    let idle = shared.idle.clone();
    let result = tauri::async_runtime::spawn_blocking(move || f(&shared.get()))
        .await
        .map_err(|e| IpcError::new("internal", format!("the task failed: {e}")))?;
    idle.poke();
    result
}

#[tauri::command]
pub async fn app_status(state: State<'_, Shared>) -> Result<AppStatus, IpcError> {
    blocking(&state, |app| Ok(app.status())).await
}

#[tauri::command]
pub async fn open_library(
    state: State<'_, Shared>,
    path: Option<String>,
) -> Result<AppStatus, IpcError> {
    blocking(&state, move |app| app.open_library(path)).await
}

#[tauri::command]
pub async fn retry_library(state: State<'_, Shared>) -> Result<AppStatus, IpcError> {
    blocking(&state, |app| Ok(app.retry())).await
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, Shared>,
    settings: Settings,
) -> Result<AppStatus, IpcError> {
    blocking(&state, move |app| app.save_settings(settings)).await
}

#[tauri::command]
pub async fn search(
    state: State<'_, Shared>,
    query: SearchQuery,
) -> Result<SearchResponse, IpcError> {
    blocking(&state, move |app| app.search(&query)).await
}

#[tauri::command]
pub async fn get_document(
    state: State<'_, Shared>,
    id: String,
    query: String,
) -> Result<DocumentView, IpcError> {
    blocking(&state, move |app| app.document(&id, &query)).await
}

#[tauri::command]
pub async fn list_documents(state: State<'_, Shared>) -> Result<Vec<DocInfo>, IpcError> {
    blocking(&state, |app| app.list()).await
}

#[tauri::command]
pub async fn add_documents(
    state: State<'_, Shared>,
    job: String,
    paths: Vec<String>,
    on_progress: Channel<AddProgress>,
) -> Result<AddSummary, IpcError> {
    blocking(&state, move |app| {
        app.add(&job, &paths, &mut |event| {
            // A closed window cannot be told; the job still finishes and is reported.
            let _ = on_progress.send(event);
        })
    })
    .await
}

#[tauri::command]
pub async fn cancel_job(state: State<'_, Shared>, job: String) -> Result<bool, IpcError> {
    blocking(&state, move |app| Ok(app.cancel(&job))).await
}

#[tauri::command]
pub async fn remove_document(state: State<'_, Shared>, id: String) -> Result<DocInfo, IpcError> {
    blocking(&state, move |app| app.remove(&id)).await
}

#[tauri::command]
pub async fn update_metadata(
    state: State<'_, Shared>,
    id: String,
    edit: MetadataEdit,
) -> Result<DocInfo, IpcError> {
    blocking(&state, move |app| app.update_metadata(&id, edit)).await
}

/// Opens a web or e-mail link from a document in the system's browser or mail program.
#[tauri::command]
pub fn open_external(app: AppHandle, url: String) -> Result<(), IpcError> {
    let parsed = tauri::Url::parse(url.trim())
        .map_err(|_| IpcError::new("invalid_input", format!("not a link: {url}")))?;
    if !matches!(parsed.scheme(), "http" | "https" | "mailto") {
        return Err(IpcError::new(
            "invalid_input",
            "only web and e-mail links can be opened",
        ));
    }
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| IpcError::new("io", format!("the link could not be opened: {e}")))
}

/// Puts text (a citation) on the system clipboard.
#[tauri::command]
pub fn copy_text(app: AppHandle, text: String) -> Result<(), IpcError> {
    app.clipboard()
        .write_text(text)
        .map_err(|e| IpcError::new("io", format!("the clipboard could not be written: {e}")))
}

#[tauri::command]
pub async fn notes_for_document(
    state: State<'_, Shared>,
    doc_id: String,
) -> Result<Vec<NoteView>, IpcError> {
    blocking(&state, move |app| app.notes_for_document(&doc_id)).await
}

#[tauri::command]
pub async fn list_notes(
    state: State<'_, Shared>,
    filter: NoteFilter,
) -> Result<NotesList, IpcError> {
    blocking(&state, move |app| app.list_notes(&filter)).await
}

#[tauri::command]
pub async fn add_note(state: State<'_, Shared>, note: NewNote) -> Result<NoteView, IpcError> {
    blocking(&state, move |app| app.add_note(&note)).await
}

#[tauri::command]
pub async fn edit_note(state: State<'_, Shared>, edit: NoteEdit) -> Result<NoteView, IpcError> {
    blocking(&state, move |app| app.edit_note(&edit)).await
}

#[tauri::command]
pub async fn delete_note(state: State<'_, Shared>, id: String) -> Result<NoteView, IpcError> {
    blocking(&state, move |app| app.delete_note(&id)).await
}

#[tauri::command]
pub async fn restore_note(state: State<'_, Shared>, id: String) -> Result<NoteView, IpcError> {
    blocking(&state, move |app| app.restore_note(&id)).await
}

#[tauri::command]
pub async fn export_notes(
    state: State<'_, Shared>,
    format: NotesFormat,
    path: String,
) -> Result<NotesExported, IpcError> {
    blocking(&state, move |app| app.export_notes(format, &path)).await
}

#[tauri::command]
pub async fn import_notes(
    state: State<'_, Shared>,
    path: String,
) -> Result<NotesImported, IpcError> {
    blocking(&state, move |app| app.import_notes(&path)).await
}

#[tauri::command]
pub async fn list_packs(state: State<'_, Shared>) -> Result<Vec<PackSummary>, IpcError> {
    blocking(&state, |app| app.list_packs()).await
}

#[tauri::command]
pub async fn create_pack(
    state: State<'_, Shared>,
    title: String,
    audience: String,
) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.create_pack(&title, &audience)).await
}

#[tauri::command]
pub async fn get_pack(state: State<'_, Shared>, id: String) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.get_pack(&id)).await
}

#[tauri::command]
pub async fn update_pack_meta(
    state: State<'_, Shared>,
    id: String,
    edit: PackMetaEdit,
) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.update_pack_meta(&id, &edit)).await
}

#[tauri::command]
pub async fn delete_pack(state: State<'_, Shared>, id: String) -> Result<PackSummary, IpcError> {
    blocking(&state, move |app| app.delete_pack(&id)).await
}

#[tauri::command]
pub async fn restore_pack(state: State<'_, Shared>, id: String) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.restore_pack(&id)).await
}

#[tauri::command]
pub async fn add_pack_item(
    state: State<'_, Shared>,
    id: String,
    item: NewPackItem,
    index: Option<u32>,
) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.add_pack_item(&id, &item, index)).await
}

#[tauri::command]
pub async fn update_pack_item(
    state: State<'_, Shared>,
    id: String,
    item_id: String,
    edit: PackItemEdit,
) -> Result<PackView, IpcError> {
    blocking(&state, move |app| {
        app.update_pack_item(&id, &item_id, &edit)
    })
    .await
}

#[tauri::command]
pub async fn move_pack_item(
    state: State<'_, Shared>,
    id: String,
    item_id: String,
    to: u32,
) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.move_pack_item(&id, &item_id, to)).await
}

#[tauri::command]
pub async fn remove_pack_item(
    state: State<'_, Shared>,
    id: String,
    item_id: String,
) -> Result<PackView, IpcError> {
    blocking(&state, move |app| app.remove_pack_item(&id, &item_id)).await
}

#[tauri::command]
pub async fn export_pack(
    state: State<'_, Shared>,
    id: String,
    format: PackFormat,
    participant: bool,
    path: String,
    on_progress: Channel<ExportProgress>,
) -> Result<PackExported, IpcError> {
    blocking(&state, move |app| {
        app.export_pack(&id, format, participant, &path, &mut |p| {
            let _ = on_progress.send(p);
        })
    })
    .await
}

#[tauri::command]
pub async fn preview_pack_file(
    state: State<'_, Shared>,
    path: String,
) -> Result<PackPreview, IpcError> {
    blocking(&state, move |app| app.preview_pack_file(&path)).await
}

#[tauri::command]
pub async fn import_pack(state: State<'_, Shared>, path: String) -> Result<PackImported, IpcError> {
    blocking(&state, move |app| app.import_pack(&path)).await
}

/// The bundled starter pack this run (never waits for the library).
#[tauri::command]
pub async fn starter_status(state: State<'_, Shared>) -> Result<StarterState, IpcError> {
    blocking(&state, |app| Ok(app.starter_state())).await
}

#[tauri::command]
pub async fn inspect_content_pack(
    state: State<'_, Shared>,
    path: String,
) -> Result<ContentPackInfo, IpcError> {
    blocking(&state, move |app| app.inspect_content_pack(&path)).await
}

#[tauri::command]
pub async fn install_content_pack(
    state: State<'_, Shared>,
    job: String,
    path: String,
    trust: Option<String>,
    on_progress: Channel<InstallProgress>,
) -> Result<ContentPackInstalled, IpcError> {
    blocking(&state, move |app| {
        app.install_content_pack(&job, &path, trust.as_deref(), &mut |p| {
            let _ = on_progress.send(p);
        })
    })
    .await
}

#[tauri::command]
pub async fn fetch_official_texts(
    state: State<'_, Shared>,
    job: String,
    on_progress: Channel<FetchProgress>,
) -> Result<OfficialTexts, IpcError> {
    blocking(&state, move |app| {
        app.fetch_official_texts(&job, &mut |p| {
            let _ = on_progress.send(p);
        })
    })
    .await
}

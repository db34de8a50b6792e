//! Window, state and start-up of the desktop app.

mod commands;
mod malloc;
#[cfg(target_os = "linux")]
mod webkit_memory;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};

use pustaka_app::{App, AppConfig};
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

/// Command-line options of the desktop app (also read from the environment).
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// `--library DIR` or `PUSTAKA_LIBRARY`: open this library for this run.
    pub library: Option<PathBuf>,
    /// `--config-dir DIR` or `PUSTAKA_CONFIG_DIR`: where settings are kept.
    pub config_dir: Option<PathBuf>,
    /// `--starter-pack FILE` or `PUSTAKA_STARTER_PACK`: the starter pack to install at the
    /// first launch; `--no-starter-pack` (or the variable set to `none`): none this run.
    pub starter_pack: StarterChoice,
}

/// Which starter pack the app considers at start.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum StarterChoice {
    /// The one bundled with the app (its resources), or one beside the executable.
    #[default]
    Bundled,
    /// This file, given explicitly.
    File(PathBuf),
    /// None this run.
    Off,
}

impl StarterChoice {
    fn from_value(v: &std::ffi::OsStr) -> StarterChoice {
        if v == "none" {
            StarterChoice::Off
        } else {
            StarterChoice::File(PathBuf::from(v))
        }
    }
}

impl Options {
    pub fn from_args(args: &[OsString]) -> Result<Options, String> {
        let mut o = Options {
            library: std::env::var_os("PUSTAKA_LIBRARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            config_dir: std::env::var_os("PUSTAKA_CONFIG_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            starter_pack: std::env::var_os("PUSTAKA_STARTER_PACK")
                .filter(|v| !v.is_empty())
                .map(|v| StarterChoice::from_value(&v))
                .unwrap_or_default(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str, what: &str| {
                it.next()
                    .map(PathBuf::from)
                    .ok_or_else(|| format!("{name} needs {what}"))
            };
            match a.to_str() {
                Some("--library") => o.library = Some(value("--library", "a folder")?),
                Some("--config-dir") => o.config_dir = Some(value("--config-dir", "a folder")?),
                Some("--starter-pack") => {
                    let v = value("--starter-pack", "a file")?;
                    o.starter_pack = StarterChoice::from_value(v.as_os_str());
                }
                Some("--no-starter-pack") => o.starter_pack = StarterChoice::Off,
                // Arguments added by platforms or test drivers are not ours to refuse.
                _ => {}
            }
        }
        Ok(o)
    }
}

/// The service, available once it has started (opening a library may take a moment; the
/// window shows before). Commands wait for it off the UI thread.
#[derive(Clone)]
pub struct Shared {
    app: Arc<(Mutex<Option<Arc<App>>>, Condvar)>,
    /// Told after each command, to give free memory back once the app is quiet.
    idle: malloc::IdleTrim,
}

impl Shared {
    fn new(idle: malloc::IdleTrim) -> Shared {
        Shared {
            app: Arc::default(),
            idle,
        }
    }

    fn set(&self, app: App) {
        let (m, c) = &*self.app;
        *m.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(app));
        c.notify_all();
    }

    /// Blocks until the service is ready.
    fn get(&self) -> Arc<App> {
        let (m, c) = &*self.app;
        let mut g = m.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(app) = g.as_ref() {
                return app.clone();
            }
            g = c.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Where a starter pack may be, in order: the app's resources (`bundle > resources` in
/// tauri.conf.json puts it in `starter/`), beside the executable, and in development the
/// folder `scripts/starter-pack.sh` builds it in (`target/starter`, beside `target/debug`).
fn starter_candidates(resources: Option<PathBuf>, exe: &std::path::Path) -> Vec<PathBuf> {
    let file = pustaka_app::STARTER_FILE;
    let mut c = Vec::new();
    if let Some(r) = resources {
        c.push(r.join("starter").join(file));
    }
    if let Some(dir) = exe.parent() {
        c.push(dir.join("starter").join(file));
        if cfg!(debug_assertions) {
            c.push(dir.join("..").join("starter").join(file));
        }
    }
    c
}

/// Only the app's own pages may be shown in the window; a link never navigates it.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// WebKitGTK settings that only the environment can give: WebKit reads them when it starts
/// its processes, which inherit the app's environment. A value the user set wins.
#[cfg(target_os = "linux")]
const WEBKIT_ENVIRONMENT: [(&str, &str); 2] = [
    // The DMABUF renderer (WebKitGTK 2.42 and later) held about 110 MiB more in the web
    // process with Mesa's software GL (an empty library: 355 against 241 MiB for the app
    // and its WebKit processes), and shows a blank window with some GPU drivers. The older
    // path draws this interface just as well.
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    // No JavaScriptCore JIT: the interface's scripts are small and the interpreter keeps
    // up with typing (keystroke to results within the run-to-run spread on the 1 GB
    // library), the web process holds about 18 MiB less after a typing session, and a
    // window that shows untrusted document text has less attack surface without a JIT.
    ("JSC_useJIT", "false"),
];

#[cfg(target_os = "linux")]
fn webkit_environment() {
    for (key, value) in WEBKIT_ENVIRONMENT {
        if std::env::var_os(key).is_none() {
            // SAFETY: called first in `run`, before Tauri, GTK, WebKit or any thread of ours
            // starts, so nothing reads or writes the environment at the same time.
            unsafe { std::env::set_var(key, value) };
        }
    }
}

/// Quiet time after the last command before malloc's free memory is given back.
const IDLE_TRIM_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

pub fn run(opts: Options) -> ExitCode {
    #[cfg(target_os = "linux")]
    webkit_environment();
    malloc::limit_arenas();
    let shared = Shared::new(malloc::IdleTrim::start(IDLE_TRIM_AFTER));
    let starter = shared.clone();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(shared)
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::open_library,
            commands::retry_library,
            commands::save_settings,
            commands::search,
            commands::get_document,
            commands::list_documents,
            commands::add_documents,
            commands::cancel_job,
            commands::remove_document,
            commands::update_metadata,
            commands::open_external,
            commands::copy_text,
            commands::notes_for_document,
            commands::list_notes,
            commands::add_note,
            commands::edit_note,
            commands::delete_note,
            commands::restore_note,
            commands::export_notes,
            commands::import_notes,
            commands::list_packs,
            commands::create_pack,
            commands::get_pack,
            commands::update_pack_meta,
            commands::delete_pack,
            commands::restore_pack,
            commands::add_pack_item,
            commands::update_pack_item,
            commands::move_pack_item,
            commands::remove_pack_item,
            commands::export_pack,
            commands::preview_pack_file,
            commands::import_pack,
            commands::starter_status,
            commands::inspect_content_pack,
            commands::install_content_pack,
            commands::fetch_official_texts,
        ])
        .setup(move |app| {
            let config_dir = match opts.config_dir.clone() {
                Some(d) => d,
                None => app.path().app_config_dir()?,
            };
            let default_library = dirs::data_dir()
                .map(|d| d.join("pustaka"))
                .unwrap_or_else(|| config_dir.join("library"));
            let exe = std::env::current_exe()?;
            let starter_pack = match &opts.starter_pack {
                StarterChoice::Off => None,
                StarterChoice::File(f) => pustaka_app::find_starter_pack(Some(f), &[]),
                StarterChoice::Bundled => pustaka_app::find_starter_pack(
                    None,
                    &starter_candidates(app.path().resource_dir().ok(), &exe),
                ),
            };
            let cfg = AppConfig {
                config_dir,
                default_library,
                library_override: opts.library.clone(),
                pdf_program: exe,
                pdf_args: vec!["pdf-worker".into()],
                version: app.package_info().version.to_string(),
                starter_pack,
            };
            // Open the library beside the window, not before it; then, with the commands
            // already answered, install the starter pack if this is its first launch.
            std::thread::Builder::new()
                .name("pustaka-start".into())
                .spawn(move || {
                    starter.set(App::start(cfg));
                    starter.get().run_starter();
                })?;
            // Before the first webview: its web context takes the settings when it is built.
            #[cfg(target_os = "linux")]
            if !webkit_memory::install(webkit_memory::WebMemory::from_env()) {
                eprintln!("pustaka-desktop: WebKit's memory-pressure settings are not available");
            }
            let window =
                WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                    .title("Pustaka")
                    .inner_size(1280.0, 800.0)
                    .min_inner_size(720.0, 520.0)
                    .on_navigation(is_app_url)
                    .build()?;
            #[cfg(target_os = "linux")]
            if webkit_memory::applied() == 0 {
                eprintln!("pustaka-desktop: the web context was built without the memory-pressure settings");
            }
            // One page, never navigated: WebKit's browsing caches only cost memory.
            #[cfg(target_os = "linux")]
            window.with_webview(|wv| {
                use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
                if let Some(ctx) = wv.inner().context() {
                    ctx.set_cache_model(CacheModel::DocumentViewer);
                }
            })?;
            #[cfg(not(target_os = "linux"))]
            let _ = window;
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pustaka-desktop: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_are_navigable() {
        let ok = |s: &str| is_app_url(&tauri::Url::parse(s).unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/index.html"));
        assert!(!ok("https://example.org/"));
        assert!(!ok("javascript:alert(1)"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("http://tauri.localhost.evil.example/"));
    }

    #[test]
    fn options_from_arguments() {
        let args: Vec<OsString> = [
            "--library",
            "/tmp/lib",
            "--config-dir",
            "/tmp/cfg",
            "-psn_0",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let o = Options::from_args(&args).unwrap();
        assert_eq!(o.library, Some(PathBuf::from("/tmp/lib")));
        assert_eq!(o.config_dir, Some(PathBuf::from("/tmp/cfg")));
        assert!(Options::from_args(&[OsString::from("--library")]).is_err());
    }

    #[test]
    fn starter_pack_options() {
        let args = |a: &[&str]| -> Vec<OsString> { a.iter().map(OsString::from).collect() };
        let o = Options::from_args(&args(&["--starter-pack", "/x/s.pustakacorpus"])).unwrap();
        assert_eq!(
            o.starter_pack,
            StarterChoice::File(PathBuf::from("/x/s.pustakacorpus"))
        );
        let o = Options::from_args(&args(&["--no-starter-pack"])).unwrap();
        assert_eq!(o.starter_pack, StarterChoice::Off);
        let o = Options::from_args(&args(&["--starter-pack", "none"])).unwrap();
        assert_eq!(o.starter_pack, StarterChoice::Off);
        assert!(Options::from_args(&args(&["--starter-pack"])).is_err());
        let c = starter_candidates(
            Some(PathBuf::from("/usr/lib/Pustaka")),
            std::path::Path::new("/usr/bin/pustaka-desktop"),
        );
        assert_eq!(
            c[0],
            PathBuf::from("/usr/lib/Pustaka/starter/starter.pustakacorpus")
        );
        assert_eq!(
            c[1],
            PathBuf::from("/usr/bin/starter/starter.pustakacorpus")
        );
    }
}

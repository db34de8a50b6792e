//! Pustaka's desktop app: a thin Tauri 2 shell over `pustaka-app` (and through it
//! `pustaka-core`). Commands live in `desktop/commands.rs`; each unpacks its request, calls
//! one service function off the UI thread and returns the result or `{code, message}`.
//!
//! The same binary is its own PDF worker (`pustaka-desktop pdf-worker FILE`), so extraction
//! runs in a separate process that may crash or be killed without taking the window along.

#![cfg_attr(all(not(debug_assertions), windows), windows_subsystem = "windows")]

mod desktop;

// The system allocator, not the CLI's mimalloc: in this long-running process mimalloc kept
// ~60 MiB more memory (PSS measured by the e2e `--perf` run on the 1 GB library), which
// matters more here than its ~5 % faster indexing.

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|a| a == "pdf-worker") {
        let Some(file) = args.get(1) else {
            eprintln!("usage: pustaka-desktop pdf-worker FILE");
            return std::process::ExitCode::from(2);
        };
        let code = pustaka_pdf::worker_main(std::path::Path::new(file));
        return std::process::ExitCode::from(code.clamp(0, 255) as u8);
    }
    match desktop::Options::from_args(&args) {
        Ok(opts) => desktop::run(opts),
        Err(message) => {
            eprintln!("pustaka-desktop: {message}");
            std::process::ExitCode::from(2)
        }
    }
}

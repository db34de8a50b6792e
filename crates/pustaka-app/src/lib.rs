//! The desktop application's service layer: what the Tauri shell's commands call. It holds
//! the open library, the settings and the running jobs, and converts core results into the
//! IPC types of [`types`] (exported to TypeScript). It knows nothing of Tauri, so it is
//! tested with plain `cargo test`.

pub mod bindings;
mod content;
mod notes;
mod packs;
mod service;
pub mod settings;
pub mod types;

pub use content::{
    OFFICIAL_TEXTS_DIR, STARTER_FILE, STARTER_JOB, StarterPack, TRUST_UNSIGNED, find_starter_pack,
    key_file,
};
pub use service::{App, AppConfig, IpcResult};
pub use types::*;

#[cfg(test)]
mod content_tests;
#[cfg(test)]
mod tests;

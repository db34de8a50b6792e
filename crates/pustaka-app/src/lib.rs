//! The desktop application's service layer: what the Tauri shell's commands call. It holds
//! the open library, the settings and the running jobs, and converts core results into the
//! IPC types of [`types`] (exported to TypeScript). It knows nothing of Tauri, so it is
//! tested with plain `cargo test`.

pub mod bindings;
mod notes;
mod packs;
mod service;
pub mod settings;
pub mod types;

pub use service::{App, AppConfig, IpcResult};
pub use types::*;

#[cfg(test)]
mod tests;

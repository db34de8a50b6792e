//! Content packs and official texts. Knows nothing of Tauri or the terminal.
//!
//! - [`pack`]: `.pustakacorpus` files: build one from a content folder (documents cut into
//!   passages, their metadata, a prebuilt index, the glossary), signed with Ed25519; open and
//!   verify one.
//! - [`install`]: install a pack into a library offline, all or nothing, incrementally over a
//!   previous version; refuse downgrades and untrusted packs.
//! - [`fetch`]: download the official documents a `sources.toml` lists, checked against their
//!   SHA-256, resumable, with a per-source report.

pub mod fetch;
pub mod install;
pub mod pack;

pub use install::{InstallReport, Registry, Trust, install, recover};
pub use pack::{BuildEvent, BuildOptions, BuildReport, VerifyReport, build, verify};

//! `.pustakapack` files: a pack to share, read offline by another Pustaka.
//!
//! A zip archive with exactly these entries:
//! - `manifest.json`: format, format version, pack id, who made it and when, and the size and
//!   blake3 hash of every other entry;
//! - `pack.json`: the pack (its items carry the quoted passages' text and metadata and the
//!   annotations whole);
//! - `signature.json` (optional): an Ed25519 signature over the bytes of `manifest.json`.
//!
//! It is a sealed archive ([`pustaka_core::sealed`]), read defensively there (nothing written
//! to disk; paths, links, sizes, ratios, overlaps, hashes and the signature checked), and
//! here only those names are accepted. A file that fails any check is refused whole with the
//! reason.

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use pustaka_core::sealed::{self, ArchiveWriter, Limits};
use pustaka_core::{Error, Result};

use crate::model::{self, FORMAT_VERSION, Pack};

pub use pustaka_core::sealed::FileEntry;

pub const EXTENSION: &str = "pustakapack";
const FORMAT: &str = "pustakapack";
const PACK: &str = "pack.json";

/// Limits on what a pack file may hold.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
const LIMITS: Limits = Limits {
    max_entries: 8,
    max_entry_bytes: 64 * 1024 * 1024,
    max_total_bytes: 96 * 1024 * 1024,
    max_ratio: 100,
};

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub pack_id: String,
    pub created_by: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    #[serde(default)]
    pub files: Vec<FileEntry>,
}

/// A pack read from a file, checked.
#[derive(Debug, Clone)]
pub struct PackFile {
    pub manifest: Manifest,
    pub pack: Pack,
    /// The signing key's fingerprint, when the file is signed (and the signature verified).
    pub signer: Option<String>,
}

/// A key to sign packs with (kept by the trainer; the file holds the 32-byte secret in hex).
pub type PackKey = sealed::SecretKey;

fn bad(reason: impl Into<String>) -> Error {
    Error::InvalidInput(format!(
        "this pack file cannot be opened: {}",
        reason.into()
    ))
}

/// Writes a pack file.
pub fn write(pack: &Pack, created_by: &str, key: Option<&PackKey>) -> Result<Vec<u8>> {
    model::validate(pack)?;
    let pack_json = serde_json::to_vec_pretty(pack).map_err(|e| Error::Store(e.to_string()))?;
    let fields = serde_json::json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "pack_id": pack.id.to_string(),
        "created_by": created_by,
        "created_at": pustaka_notes::model::now_ms(),
    });
    let mut w = ArchiveWriter::new(Cursor::new(Vec::new()));
    w.add(PACK, &pack_json)?;
    Ok(w.finish(fields, key)?.into_inner())
}

/// Reads and checks a pack file (see the module docs). Nothing is written anywhere.
pub fn read(bytes: &[u8]) -> Result<PackFile> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(bad(format!(
            "it is larger than {} MB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let mut archive = sealed::open(Cursor::new(bytes), LIMITS, "this pack file")?;
    let manifest: Manifest = serde_json::from_slice(&archive.manifest)
        .map_err(|e| bad(format!("its manifest is not valid ({e})")))?;
    if manifest.format != FORMAT {
        return Err(bad("its manifest is not a Pustaka pack manifest"));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::InvalidInput(format!(
            "this pack was made by a newer version of Pustaka (format {}, this one reads up to {FORMAT_VERSION}); update Pustaka to open it",
            manifest.format_version
        )));
    }
    if let Some(other) = archive.files.keys().find(|k| k.as_str() != PACK) {
        return Err(bad(format!("it holds an unexpected entry {other:?}")));
    }
    let pack_bytes = archive.read(PACK)?;
    let pack: Pack = serde_json::from_slice(&pack_bytes)
        .map_err(|e| bad(format!("pack.json is not valid ({e})")))?;
    if pack.id.as_str() != manifest.pack_id {
        return Err(bad("pack.json is not the pack the manifest names"));
    }
    model::validate(&pack)?;
    Ok(PackFile {
        manifest,
        pack,
        signer: archive.signer.map(|k| k.fingerprint()),
    })
}

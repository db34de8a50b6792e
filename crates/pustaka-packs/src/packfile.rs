//! `.pustakapack` files: a pack to share, read offline by another Pustaka.
//!
//! A zip archive with exactly these entries:
//! - `manifest.json`: format, format version, pack id, who made it and when, and the size and
//!   blake3 hash of every other entry;
//! - `pack.json`: the pack (its items carry the quoted passages' text and metadata and the
//!   annotations whole);
//! - `signature.json` (optional): an Ed25519 signature over the bytes of `manifest.json`.
//!
//! Reading is defensive: entries are walked one by one from the central directory (never a
//! bulk extract, nothing written to disk); only those names, regular files, no paths; limits
//! on entry count, entry size, total size and compression ratio counted on the bytes actually
//! read; entries whose data overlap are refused (a zip-bomb trick); every hash must match the
//! manifest and a signature, when present, must verify. A file that fails any check is
//! refused whole with the reason.

use std::io::{Cursor, Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use pustaka_core::{Error, Result};

use crate::model::{self, FORMAT_VERSION, Pack};

pub const EXTENSION: &str = "pustakapack";
const FORMAT: &str = "pustakapack";
const MANIFEST: &str = "manifest.json";
const PACK: &str = "pack.json";
const SIGNATURE: &str = "signature.json";

/// Limits on what a pack file may hold.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
pub const MAX_ENTRIES: usize = 8;
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: u64 = 96 * 1024 * 1024;
/// Uncompressed bytes per compressed byte beyond which an entry is taken for a zip bomb.
pub const MAX_RATIO: u64 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub blake3: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub pack_id: String,
    pub created_by: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SignatureFile {
    algorithm: String,
    /// Hex.
    public_key: String,
    /// Hex, over the bytes of `manifest.json`.
    signature: String,
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
pub struct PackKey(SigningKey);

fn hex(b: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(b)
}

/// A short fingerprint of a public key (what users compare).
pub fn fingerprint(public: &[u8]) -> String {
    let h = blake3::hash(public).to_hex();
    h[..16]
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

impl PackKey {
    /// A new random key.
    pub fn generate() -> Result<PackKey> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| Error::Store(format!("no randomness for a key: {e}")))?;
        Ok(PackKey(SigningKey::from_bytes(&seed)))
    }

    /// Reads a key file (64 hex characters).
    pub fn from_file_text(text: &str) -> Result<PackKey> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(text.trim().as_bytes())
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or_else(|| {
                Error::InvalidInput(
                    "not a Pustaka signing key (expected 64 hexadecimal characters)".into(),
                )
            })?;
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&bytes);
        Ok(PackKey(SigningKey::from_bytes(&seed)))
    }

    pub fn to_file_text(&self) -> String {
        format!("{}\n", hex(&self.0.to_bytes()))
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(self.0.verifying_key().as_bytes())
    }
}

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
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        pack_id: pack.id.to_string(),
        created_by: created_by.to_string(),
        created_at: pustaka_notes::model::now_ms(),
        files: vec![FileEntry {
            path: PACK.into(),
            size: pack_json.len() as u64,
            blake3: blake3::hash(&pack_json).to_hex().to_string(),
        }],
    };
    let manifest_json =
        serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Store(e.to_string()))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let z = |e: zip::result::ZipError| Error::Store(format!("writing the pack file: {e}"));
    let io = |e: std::io::Error| Error::Store(format!("writing the pack file: {e}"));
    out.start_file(MANIFEST, opts).map_err(z)?;
    out.write_all(&manifest_json).map_err(io)?;
    out.start_file(PACK, opts).map_err(z)?;
    out.write_all(&pack_json).map_err(io)?;
    if let Some(key) = key {
        let sig: Signature = key.0.sign(&manifest_json);
        let s = SignatureFile {
            algorithm: "ed25519".into(),
            public_key: hex(key.0.verifying_key().as_bytes()),
            signature: hex(&sig.to_bytes()),
        };
        out.start_file(SIGNATURE, opts).map_err(z)?;
        out.write_all(&serde_json::to_vec_pretty(&s).map_err(|e| Error::Store(e.to_string()))?)
            .map_err(io)?;
    }
    Ok(out.finish().map_err(z)?.into_inner())
}

/// Reads and checks a pack file (see the module docs). Nothing is written anywhere.
pub fn read(bytes: &[u8]) -> Result<PackFile> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(bad(format!(
            "it is larger than {} MB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("it is not a pack file ({e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bad(format!("it holds {} entries", zip.len())));
    }
    // Walk the central directory: names, kinds, declared sizes, and where the data lie.
    let mut names: Vec<String> = Vec::new();
    let mut ranges: Vec<(u64, u64, String)> = Vec::new();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| bad(format!("entry {} is damaged ({e})", i + 1)))?;
        let name = f
            .name()
            .map_err(|e| bad(format!("entry {} has an unreadable name ({e})", i + 1)))?
            .to_string();
        let unsafe_path = name.is_empty()
            || name.starts_with('/')
            || name.contains('\\')
            || name.contains(':')
            || name.split('/').any(|c| c == ".." || c == ".")
            || name.contains('/');
        if unsafe_path {
            return Err(bad(format!(
                "it holds an entry with an unsafe path: {name:?}"
            )));
        }
        let is_link = f.is_symlink() || f.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000);
        if is_link {
            return Err(bad(format!("{name} is a symbolic link")));
        }
        if f.is_dir() {
            return Err(bad(format!("{name} is a folder")));
        }
        if ![MANIFEST, PACK, SIGNATURE].contains(&name.as_str()) {
            return Err(bad(format!("it holds an unexpected entry {name:?}")));
        }
        if names.contains(&name) {
            return Err(bad(format!("{name} appears twice")));
        }
        if f.size() > MAX_ENTRY_BYTES {
            return Err(bad(format!(
                "{name} is larger than {} MB",
                MAX_ENTRY_BYTES / (1024 * 1024)
            )));
        }
        let start = f.header_start();
        let end = f
            .data_start()
            .unwrap_or(start)
            .saturating_add(f.compressed_size());
        ranges.push((start, end, name.clone()));
        names.push(name);
    }
    ranges.sort();
    for w in ranges.windows(2) {
        if w[1].0 < w[0].1 {
            return Err(bad(format!(
                "its entries {} and {} overlap (a zip bomb?)",
                w[0].2, w[1].2
            )));
        }
    }
    // Read each entry, counting what actually comes out.
    let mut total = 0u64;
    let mut read_entry =
        |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Result<Option<Vec<u8>>> {
            let f = match zip.by_name(name) {
                Ok(f) => f,
                Err(zip::result::ZipError::FileNotFound) => return Ok(None),
                Err(e) => return Err(bad(format!("{name} is damaged ({e})"))),
            };
            let compressed = f.compressed_size().max(1);
            let declared = f.size();
            let mut buf = Vec::new();
            f.take(MAX_ENTRY_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| bad(format!("{name} is damaged ({e})")))?;
            let n = buf.len() as u64;
            if n > MAX_ENTRY_BYTES {
                return Err(bad(format!(
                    "{name} is larger than {} MB",
                    MAX_ENTRY_BYTES / (1024 * 1024)
                )));
            }
            if n != declared {
                return Err(bad(format!("{name} is not the size its header says")));
            }
            if n > 64 * 1024 && n / compressed > MAX_RATIO {
                return Err(bad(format!(
                    "{name} expands {}-fold (a zip bomb?)",
                    n / compressed
                )));
            }
            total += n;
            if total > MAX_TOTAL_BYTES {
                return Err(bad(format!(
                    "it expands to more than {} MB",
                    MAX_TOTAL_BYTES / (1024 * 1024)
                )));
            }
            Ok(Some(buf))
        };
    let manifest_bytes =
        read_entry(&mut zip, MANIFEST)?.ok_or_else(|| bad("it has no manifest"))?;
    let pack_bytes = read_entry(&mut zip, PACK)?.ok_or_else(|| bad("it has no pack.json"))?;
    let signature_bytes = read_entry(&mut zip, SIGNATURE)?;

    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
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
    // The signature first: a tampered manifest must be named as such.
    let signer = match signature_bytes {
        None => None,
        Some(b) => {
            let s: SignatureFile = serde_json::from_slice(&b)
                .map_err(|e| bad(format!("its signature is not valid ({e})")))?;
            if s.algorithm != "ed25519" {
                return Err(bad(format!(
                    "it is signed with an unknown method {:?}",
                    s.algorithm
                )));
            }
            let key_bytes: [u8; 32] = data_encoding::HEXLOWER_PERMISSIVE
                .decode(s.public_key.as_bytes())
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| bad("its signing key is malformed"))?;
            let sig_bytes: [u8; 64] = data_encoding::HEXLOWER_PERMISSIVE
                .decode(s.signature.as_bytes())
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| bad("its signature is malformed"))?;
            let key = VerifyingKey::from_bytes(&key_bytes)
                .map_err(|_| bad("its signing key is malformed"))?;
            key.verify(&manifest_bytes, &Signature::from_bytes(&sig_bytes))
                .map_err(|_| {
                    bad("its signature does not match its contents (it was changed after signing, or signed wrongly)")
                })?;
            Some(fingerprint(&key_bytes))
        }
    };
    let listed = manifest.files.iter().find(|f| f.path == PACK);
    match listed {
        Some(f)
            if f.size == pack_bytes.len() as u64
                && f.blake3 == blake3::hash(&pack_bytes).to_hex().as_str() => {}
        Some(_) => {
            return Err(bad(
                "pack.json does not match the manifest (it was changed)",
            ));
        }
        None => return Err(bad("the manifest does not list pack.json")),
    }
    if manifest.files.iter().any(|f| f.path != PACK) {
        return Err(bad("the manifest lists entries that are not in the file"));
    }
    let pack: Pack = serde_json::from_slice(&pack_bytes)
        .map_err(|e| bad(format!("pack.json is not valid ({e})")))?;
    if pack.id.as_str() != manifest.pack_id {
        return Err(bad("pack.json is not the pack the manifest names"));
    }
    model::validate(&pack)?;
    Ok(PackFile {
        manifest,
        pack,
        signer,
    })
}

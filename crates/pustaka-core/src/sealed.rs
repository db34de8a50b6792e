//! Sealed archives: the zip files Pustaka shares (briefing packs, content packs), with a
//! manifest that lists every entry's size and blake3 hash and an optional Ed25519 signature
//! over the manifest's bytes.
//!
//! Layout: `manifest.json` (a JSON object with a `files` list of `{path, size, blake3}` and
//! whatever fields the archive's kind adds), the listed entries, and optionally
//! `signature.json` (`{algorithm: "ed25519", public_key, signature}`, hex).
//!
//! Opening is defensive and writes nothing: the central directory is walked first (relative
//! paths only, no `..`, no links or folders, no duplicates, entries whose data overlap are
//! refused: a zip-bomb trick), declared sizes are bounded, the signature (when present) must
//! verify, then every entry is read once, streaming, counting the bytes that actually come out
//! (size and compression-ratio limits) and comparing its hash with the manifest. Entries are
//! hashed again whenever they are read later, so a file changed on disk in between is caught.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "signature.json";

/// Bounds on what an archive may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_total_bytes: u64,
    /// Uncompressed bytes per compressed byte beyond which an entry is taken for a zip bomb
    /// (only checked on entries larger than 64 KiB).
    pub max_ratio: u64,
}

/// One entry as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub blake3: String,
}

#[derive(Deserialize)]
struct ManifestFiles {
    files: Vec<FileEntry>,
}

#[derive(Serialize, Deserialize)]
struct SignatureFile {
    algorithm: String,
    public_key: String,
    signature: String,
}

fn hex(b: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(b)
}

/// A short fingerprint of a public key, what people compare by eye: `1a2b-3c4d-5e6f-7a8b`.
pub fn fingerprint(public: &[u8; 32]) -> String {
    let h = blake3::hash(public).to_hex();
    h[..16]
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A secret signing key (Ed25519). Its file holds the 32-byte seed in hex.
pub struct SecretKey(SigningKey);

impl SecretKey {
    pub fn generate() -> Result<SecretKey> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| Error::Store(format!("no randomness for a key: {e}")))?;
        Ok(SecretKey(SigningKey::from_bytes(&seed)))
    }

    pub fn from_file_text(text: &str) -> Result<SecretKey> {
        let seed = decode32(text).ok_or_else(|| {
            Error::InvalidInput(
                "not a Pustaka signing key (expected 64 hexadecimal characters)".into(),
            )
        })?;
        Ok(SecretKey(SigningKey::from_bytes(&seed)))
    }

    pub fn load(path: &Path) -> Result<SecretKey> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("cannot read the key {}", path.display()), e))?;
        Self::from_file_text(&text)
    }

    pub fn to_file_text(&self) -> String {
        format!("{}\n", hex(&self.0.to_bytes()))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    pub fn fingerprint(&self) -> String {
        self.public().fingerprint()
    }

    fn sign(&self, message: &[u8]) -> String {
        let sig: Signature = self.0.sign(message);
        hex(&sig.to_bytes())
    }
}

/// A public key: what a signed archive carries and what a reader trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// From 64 hexadecimal characters (a `.pub` file's text).
    pub fn from_text(text: &str) -> Result<PublicKey> {
        decode32(text).map(PublicKey).ok_or_else(|| {
            Error::InvalidInput(
                "not a Pustaka public key (expected 64 hexadecimal characters)".into(),
            )
        })
    }

    /// A key given as a file's path or as the key itself.
    pub fn from_file_or_text(given: &str) -> Result<PublicKey> {
        let p = Path::new(given);
        if p.is_file() {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Error::io(format!("cannot read the key {}", p.display()), e))?;
            return Self::from_text(&text);
        }
        Self::from_text(given)
    }

    pub fn to_text(&self) -> String {
        hex(&self.0)
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

fn decode32(text: &str) -> Option<[u8; 32]> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
}

/// Writes a sealed archive entry by entry.
pub struct ArchiveWriter<W: Write + Seek> {
    zip: zip::ZipWriter<W>,
    files: Vec<FileEntry>,
}

fn zip_err(e: zip::result::ZipError) -> Error {
    Error::Store(format!("writing the archive: {e}"))
}

fn io_err(e: std::io::Error) -> Error {
    Error::Io {
        context: "writing the archive".into(),
        source: e,
    }
}

impl<W: Write + Seek> ArchiveWriter<W> {
    pub fn new(out: W) -> Self {
        ArchiveWriter {
            zip: zip::ZipWriter::new(out),
            files: Vec::new(),
        }
    }

    fn options() -> zip::write::SimpleFileOptions {
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o644)
            .large_file(false)
    }

    /// Adds an entry (a relative path with `/` separators).
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        if let Some(reason) = unsafe_path(path) {
            return Err(Error::InvalidInput(format!(
                "cannot store {path:?}: {reason}"
            )));
        }
        self.zip
            .start_file(path, Self::options())
            .map_err(zip_err)?;
        self.zip.write_all(bytes).map_err(io_err)?;
        self.files.push(FileEntry {
            path: path.to_string(),
            size: bytes.len() as u64,
            blake3: blake3::hash(bytes).to_hex().to_string(),
        });
        Ok(())
    }

    /// Adds the manifest (`fields`, a JSON object, plus the `files` list) and the signature,
    /// and finishes the archive.
    pub fn finish(mut self, fields: serde_json::Value, key: Option<&SecretKey>) -> Result<W> {
        let mut manifest = match fields {
            serde_json::Value::Object(m) => m,
            _ => return Err(Error::InvalidInput("a manifest must be an object".into())),
        };
        manifest.insert(
            "files".into(),
            serde_json::to_value(&self.files).map_err(|e| Error::Store(e.to_string()))?,
        );
        let manifest_bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Store(e.to_string()))?;
        self.zip
            .start_file(MANIFEST, Self::options())
            .map_err(zip_err)?;
        self.zip.write_all(&manifest_bytes).map_err(io_err)?;
        if let Some(key) = key {
            let s = SignatureFile {
                algorithm: "ed25519".into(),
                public_key: key.public().to_text(),
                signature: key.sign(&manifest_bytes),
            };
            self.zip
                .start_file(SIGNATURE, Self::options())
                .map_err(zip_err)?;
            self.zip
                .write_all(&serde_json::to_vec_pretty(&s).map_err(|e| Error::Store(e.to_string()))?)
                .map_err(io_err)?;
        }
        self.zip.finish().map_err(zip_err)
    }
}

/// Why a path may not be an entry's, if it may not.
fn unsafe_path(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 255 {
        return Some("an unsafe path (empty or overlong)");
    }
    if name.starts_with('/') || name.contains('\\') || name.contains(':') || name.contains('\0') {
        return Some("an unsafe path (not a plain relative path)");
    }
    if name
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Some("an unsafe path (one that leaves its folder)");
    }
    None
}

/// An archive opened and checked: every listed entry is present and matches its hash, and the
/// signature (when there is one) verified.
pub struct OpenedArchive<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    /// The manifest's bytes (the archive's kind parses its own fields from them).
    pub manifest: Vec<u8>,
    pub files: BTreeMap<String, FileEntry>,
    /// The key that signed the manifest; None when unsigned.
    pub signer: Option<PublicKey>,
    limits: Limits,
    what: String,
}

/// Opens a sealed archive file.
pub fn open_file(path: &Path, limits: Limits, what: &str) -> Result<OpenedArchive<File>> {
    let f =
        File::open(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    open(f, limits, what)
}

/// Opens and checks a sealed archive (see the module docs). `what` names the kind of file in
/// messages ("this content pack").
pub fn open<R: Read + Seek>(reader: R, limits: Limits, what: &str) -> Result<OpenedArchive<R>> {
    let bad = |reason: String| Error::InvalidInput(format!("{what} cannot be opened: {reason}"));
    let mut zip =
        zip::ZipArchive::new(reader).map_err(|e| bad(format!("it is not a Pustaka file ({e})")))?;
    if zip.len() > limits.max_entries {
        return Err(bad(format!("it holds {} entries", zip.len())));
    }
    let mut ranges: Vec<(u64, u64, String)> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| bad(format!("entry {} is damaged ({e})", i + 1)))?;
        let name = f
            .name()
            .map_err(|e| bad(format!("entry {} has an unreadable name ({e})", i + 1)))?
            .to_string();
        if let Some(reason) = unsafe_path(&name) {
            return Err(bad(format!("entry {name:?} has {reason}")));
        }
        let is_link = f.is_symlink() || f.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000);
        if is_link {
            return Err(bad(format!("{name} is a symbolic link")));
        }
        if f.is_dir() {
            return Err(bad(format!("{name} is a folder")));
        }
        if !names.insert(name.clone()) {
            return Err(bad(format!("{name} appears twice")));
        }
        if f.size() > limits.max_entry_bytes {
            return Err(bad(format!(
                "{name} is larger than {} MB",
                limits.max_entry_bytes / 1_000_000
            )));
        }
        let start = f.header_start();
        let end = f
            .data_start()
            .unwrap_or(start)
            .saturating_add(f.compressed_size());
        ranges.push((start, end, name));
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
    let small = Limits {
        max_entry_bytes: limits.max_entry_bytes.min(16 * 1024 * 1024),
        ..limits
    };
    let manifest = read_entry(&mut zip, MANIFEST, &small, &bad)?
        .ok_or_else(|| bad("it has no manifest".into()))?;
    let signature = read_entry(&mut zip, SIGNATURE, &small, &bad)?;
    // The signature first: a changed manifest must be named as such.
    let signer = match signature {
        None => None,
        Some(b) => Some(verify_signature(&b, &manifest, &bad)?),
    };
    let listed: ManifestFiles = serde_json::from_slice(&manifest)
        .map_err(|e| bad(format!("its manifest is not valid ({e})")))?;
    let mut files = BTreeMap::new();
    for f in listed.files {
        if f.path == MANIFEST || f.path == SIGNATURE || unsafe_path(&f.path).is_some() {
            return Err(bad(format!("its manifest lists {:?}", f.path)));
        }
        if !names.contains(&f.path) {
            return Err(bad(format!("{} is missing", f.path)));
        }
        if files.insert(f.path.clone(), f).is_some() {
            return Err(bad("its manifest lists an entry twice".into()));
        }
    }
    for n in &names {
        if n != MANIFEST && n != SIGNATURE && !files.contains_key(n) {
            return Err(bad(format!(
                "it holds an unexpected entry {n} (its manifest does not list it)"
            )));
        }
    }
    let mut opened = OpenedArchive {
        zip,
        manifest,
        files,
        signer,
        limits,
        what: what.to_string(),
    };
    // Every entry, once, streaming: sizes, ratios, hashes.
    let mut total = 0u64;
    let paths: Vec<String> = opened.files.keys().cloned().collect();
    for p in paths {
        total += opened.copy_entry(&p, &mut std::io::sink())?;
        if total > limits.max_total_bytes {
            return Err(opened.bad(format!(
                "it expands to more than {} MB",
                limits.max_total_bytes / 1_000_000
            )));
        }
    }
    Ok(opened)
}

fn verify_signature(
    sig: &[u8],
    manifest: &[u8],
    bad: &dyn Fn(String) -> Error,
) -> Result<PublicKey> {
    let s: SignatureFile = serde_json::from_slice(sig)
        .map_err(|e| bad(format!("its signature is not valid ({e})")))?;
    if s.algorithm != "ed25519" {
        return Err(bad(format!(
            "it is signed with an unknown method {:?}",
            s.algorithm
        )));
    }
    let key_bytes =
        decode32(&s.public_key).ok_or_else(|| bad("its signing key is malformed".into()))?;
    let sig_bytes: [u8; 64] = data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.signature.as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| bad("its signature is malformed".into()))?;
    let key = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|_| bad("its signing key is malformed".into()))?;
    key.verify(manifest, &Signature::from_bytes(&sig_bytes))
        .map_err(|_| {
            bad("its signature does not match its contents (it was changed after signing)".into())
        })?;
    Ok(PublicKey(key_bytes))
}

/// Reads a small entry whole (the manifest, the signature), bounded; None when absent.
fn read_entry<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limits: &Limits,
    bad: &dyn Fn(String) -> Error,
) -> Result<Option<Vec<u8>>> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(format!("{name} is damaged ({e})"))),
    };
    let mut buf = Vec::new();
    f.take(limits.max_entry_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(|e| bad(format!("{name} is damaged ({e})")))?;
    if buf.len() as u64 > limits.max_entry_bytes {
        return Err(bad(format!("{name} is too large")));
    }
    Ok(Some(buf))
}

impl<R: Read + Seek> OpenedArchive<R> {
    fn bad(&self, reason: String) -> Error {
        Error::InvalidInput(format!("{} cannot be opened: {reason}", self.what))
    }

    /// Streams one listed entry into `out`, checking its size, ratio and hash; returns its
    /// size. On a mismatch, what was written to `out` must be thrown away.
    pub fn copy_entry(&mut self, path: &str, out: &mut dyn Write) -> Result<u64> {
        let entry = self
            .files
            .get(path)
            .cloned()
            .ok_or_else(|| self.bad(format!("it has no {path}")))?;
        let limits = self.limits;
        let what = self.what.clone();
        let bad =
            |reason: String| Error::InvalidInput(format!("{what} cannot be opened: {reason}"));
        let f = self
            .zip
            .by_name(path)
            .map_err(|e| bad(format!("{path} is damaged ({e})")))?;
        let compressed = f.compressed_size().max(1);
        let mut reader = f.take(limits.max_entry_bytes + 1);
        let mut hasher = blake3::Hasher::new();
        let mut n = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let k = reader
                .read(&mut buf)
                .map_err(|e| bad(format!("{path} is damaged ({e})")))?;
            if k == 0 {
                break;
            }
            n += k as u64;
            if n > limits.max_entry_bytes || n > entry.size {
                return Err(bad(format!("{path} is larger than its manifest says")));
            }
            if n > 64 * 1024 && n / compressed > limits.max_ratio {
                return Err(bad(format!("{path} expands too much (a zip bomb?)")));
            }
            hasher.update(&buf[..k]);
            out.write_all(&buf[..k])
                .map_err(|e| Error::io(format!("cannot write {path}"), e))?;
        }
        if n != entry.size || hasher.finalize().to_hex().as_str() != entry.blake3 {
            return Err(bad(format!(
                "{path} does not match its manifest (the file was changed or damaged)"
            )));
        }
        Ok(n)
    }

    /// One listed entry, whole, checked.
    pub fn read(&mut self, path: &str) -> Result<Vec<u8>> {
        let mut v = Vec::new();
        self.copy_entry(path, &mut v)?;
        Ok(v)
    }

    /// Writes one listed entry to a new file at `dest` (checked; the file is removed on a
    /// mismatch).
    pub fn extract(&mut self, path: &str, dest: &Path) -> Result<()> {
        let mut f = File::create(dest)
            .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))?;
        let r = self.copy_entry(path, &mut f).and_then(|_| {
            f.sync_all()
                .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))
        });
        if r.is_err() {
            drop(f);
            let _ = std::fs::remove_file(dest);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    const LIMITS: Limits = Limits {
        max_entries: 16,
        max_entry_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
        max_ratio: 100,
    };

    fn sample(key: Option<&SecretKey>) -> Vec<u8> {
        sample_version(key, 3)
    }

    fn sample_version(key: Option<&SecretKey>, version: u32) -> Vec<u8> {
        let mut w = ArchiveWriter::new(Cursor::new(Vec::new()));
        w.add("docs/a.json", b"{\"a\":1}").unwrap();
        w.add("b.txt", "bonjour à tous".as_bytes()).unwrap();
        w.finish(
            serde_json::json!({"format": "test", "version": version}),
            key,
        )
        .unwrap()
        .into_inner()
    }

    #[test]
    fn round_trip_signed_and_unsigned() {
        let key = SecretKey::generate().unwrap();
        let bytes = sample(Some(&key));
        let mut a = open(Cursor::new(bytes), LIMITS, "this test file").unwrap();
        assert_eq!(a.signer, Some(key.public()));
        assert_eq!(a.read("b.txt").unwrap(), "bonjour à tous".as_bytes());
        let m: serde_json::Value = serde_json::from_slice(&a.manifest).unwrap();
        assert_eq!(m["version"], 3);
        let plain = open(Cursor::new(sample(None)), LIMITS, "this test file").unwrap();
        assert_eq!(plain.signer, None);
        assert_eq!(plain.files.len(), 2);
    }

    #[test]
    fn keys_round_trip_through_their_files() {
        let key = SecretKey::generate().unwrap();
        let again = SecretKey::from_file_text(&key.to_file_text()).unwrap();
        assert_eq!(again.public(), key.public());
        let public = PublicKey::from_text(&key.public().to_text()).unwrap();
        assert_eq!(public.fingerprint(), key.fingerprint());
        assert!(PublicKey::from_text("abc").is_err());
        assert!(SecretKey::from_file_text("not a key").is_err());
    }

    #[test]
    fn a_changed_byte_is_refused() {
        let key = SecretKey::generate().unwrap();
        let bytes = sample(Some(&key));
        // Stored (deflated) data: flip a byte anywhere in the body of each entry in turn and
        // every variant must be refused or read back unchanged.
        let mut refused = 0;
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            match open(Cursor::new(b), LIMITS, "this test file") {
                Err(_) => refused += 1,
                Ok(mut a) => {
                    assert_eq!(a.read("b.txt").unwrap(), "bonjour à tous".as_bytes());
                    assert_eq!(a.read("docs/a.json").unwrap(), b"{\"a\":1}");
                }
            }
        }
        assert!(refused > bytes.len() / 2, "{refused} of {}", bytes.len());
    }

    #[test]
    fn unsafe_paths_links_and_unlisted_entries_are_refused() {
        for p in ["../x", "/etc/passwd", "a/../../b", "c:\\x", "a//b", ""] {
            assert!(unsafe_path(p).is_some(), "{p}");
        }
        assert!(unsafe_path("index/meta.json").is_none());
        // An entry the manifest does not list.
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        z.start_file(MANIFEST, o).unwrap();
        z.write_all(br#"{"files":[]}"#).unwrap();
        z.start_file("extra.txt", o).unwrap();
        z.write_all(b"x").unwrap();
        let bytes = z.finish().unwrap().into_inner();
        let e = open(Cursor::new(bytes), LIMITS, "this file").err().unwrap();
        assert!(e.to_string().contains("does not list"), "{e}");
        // A symbolic link.
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        z.add_symlink("link", "/etc/passwd", o).unwrap();
        z.start_file(MANIFEST, o).unwrap();
        z.write_all(br#"{"files":[]}"#).unwrap();
        let bytes = z.finish().unwrap().into_inner();
        let e = open(Cursor::new(bytes), LIMITS, "this file").err().unwrap();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        // Zip-slip.
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        z.start_file("../evil", o).unwrap();
        z.write_all(b"x").unwrap();
        let bytes = z.finish().unwrap().into_inner();
        let e = open(Cursor::new(bytes), LIMITS, "this file").err().unwrap();
        assert!(e.to_string().contains("leaves its folder"), "{e}");
    }

    #[test]
    fn a_signature_by_another_key_over_another_manifest_fails() {
        let key = SecretKey::generate().unwrap();
        let other = SecretKey::generate().unwrap();
        let a = sample(Some(&key));
        // Graft: the signature of another archive onto this one.
        let b = sample_version(Some(&other), 4);
        let sig_of = |bytes: &[u8]| {
            let mut z = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
            let mut s = String::new();
            z.by_name(SIGNATURE)
                .unwrap()
                .read_to_string(&mut s)
                .unwrap();
            s
        };
        let mut z = zip::ZipArchive::new(Cursor::new(a.clone())).unwrap();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if name == SIGNATURE {
                // Same manifest, another key's signature fields.
                let mut s: SignatureFile = serde_json::from_str(&sig_of(&b)).unwrap();
                s.public_key = other.public().to_text();
                data = serde_json::to_vec(&s).unwrap();
            }
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&data).unwrap();
        }
        let grafted = w.finish().unwrap().into_inner();
        let e = open(Cursor::new(grafted), LIMITS, "this file")
            .err()
            .unwrap();
        assert!(e.to_string().contains("signature does not match"), "{e}");
    }
}

//! `.pustakacorpus` content packs: a signed sealed archive (see [`pustaka_core::sealed`]) of
//! documents already cut into passages, their metadata, a prebuilt search index and
//! optionally a glossary.
//!
//! Entries: `documents/<doc id>.json` (a stored document, whole), `index/<file>` (the index
//! built from exactly those documents), `glossary.toml` (optional), and the manifest, which
//! names the pack, its version and every document. A document's id comes from the pack's id
//! and the document's path in the source folder, so the same document keeps its id from one
//! version of a pack to the next: that is what makes updates incremental and keeps
//! annotations attached.

use std::io::{BufWriter, Read, Seek};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use pustaka_core::sealed::{self, ArchiveWriter, Limits, OpenedArchive, PublicKey, SecretKey};
use pustaka_core::{
    AddEvent, AddOptions, CancelFlag, DocId, Document, Error, Library, LibraryConfig, Result,
};

pub const EXTENSION: &str = "pustakacorpus";
pub const FORMAT: &str = "pustakacorpus";
pub const FORMAT_VERSION: u32 = 1;
pub const GLOSSARY_ENTRY: &str = "glossary.toml";

/// What a content pack may hold (generous: official texts with their index).
pub const LIMITS: Limits = Limits {
    max_entries: 200_000,
    max_entry_bytes: 1024 * 1024 * 1024,
    max_total_bytes: 8 * 1024 * 1024 * 1024,
    max_ratio: 200,
};

/// The pack's own fields of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// Short, stable across versions: lower-case letters, digits, `-`.
    pub pack_id: String,
    pub title: String,
    /// Increases with every new edition of the pack.
    pub version: u64,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    pub created_by: String,
    /// The layout of the prebuilt index (usable only by a Pustaka with the same).
    pub index_schema: u32,
    pub documents: Vec<PackDocument>,
    #[serde(default)]
    pub glossary: bool,
}

/// One document of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackDocument {
    pub doc_id: String,
    pub title: String,
    /// Its path in the folder the pack was built from.
    pub path: String,
    /// Changes whenever what is stored or indexed for it changes.
    pub index_key: String,
}

impl PackDocument {
    pub fn entry(&self) -> String {
        format!("documents/{}.json", self.doc_id)
    }
}

/// Options of `pustaka corpus build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub pack_id: String,
    pub title: String,
    pub version: u64,
    pub created_by: String,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub file: String,
    pub pack_id: String,
    pub version: u64,
    pub documents: usize,
    pub passages: usize,
    pub bytes: u64,
    pub signer: String,
}

/// Progress of a build.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum BuildEvent {
    Reading {
        index: usize,
        total: usize,
        path: String,
    },
    Indexing,
    Writing,
}

/// Checks a pack id: 1–64 of lower-case letters, digits and `-`.
pub fn check_pack_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "\"{id}\" is not a valid pack id (use lower-case letters, digits and '-')"
        )))
    }
}

/// The id a pack's document gets: the same for the same pack and path, everywhere.
pub fn document_id(pack_id: &str, path: &str) -> (DocId, String) {
    let source = format!("pustaka-corpus:{pack_id}/{path}");
    (DocId::for_source(&source), source)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Builds a pack from a content folder: checks the folder against its schema (when it has a
/// `vocabularies.toml`), reads every document (all must succeed), indexes them, and writes
/// the signed pack to `out` (whole, or not at all). `base` gives the PDF worker and limits.
pub fn build(
    dir: &Path,
    out: &Path,
    key: &SecretKey,
    opts: &BuildOptions,
    base: &LibraryConfig,
    on_event: &mut dyn FnMut(&BuildEvent),
    cancel: &CancelFlag,
) -> Result<BuildReport> {
    check_pack_id(&opts.pack_id)?;
    if opts.version == 0 {
        return Err(Error::InvalidInput("a pack's version starts at 1".into()));
    }
    let dir = std::fs::canonicalize(dir)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", dir.display())))?;
    if !dir.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    if dir.join("vocabularies.toml").exists() {
        let report = pustaka_core::corpus::check(&dir)?;
        if let Some(p) = report.problems.first() {
            return Err(Error::InvalidInput(format!(
                "the folder does not pass `pustaka corpus check` ({} problems; first: {}: {})",
                report.problems.len(),
                p.path,
                p.message
            )));
        }
    }
    let out_dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let work = tempfile::Builder::new()
        .prefix(".pustaka-corpus-build")
        .tempdir_in(out_dir)
        .map_err(|e| Error::io(format!("cannot work in {}", out_dir.display()), e))?;

    // 1. Read the folder into a scratch library.
    let mut reading = Library::open(config_at(base, work.path().join("read")))?;
    let mut ev = |e: &AddEvent| {
        if let AddEvent::Started { index, total, path } = e {
            on_event(&BuildEvent::Reading {
                index: *index,
                total: *total,
                path: path.clone(),
            });
        }
    };
    let report = reading.add(
        std::slice::from_ref(&dir),
        &AddOptions::default(),
        &mut ev,
        cancel,
    )?;
    if report.cancelled {
        return Err(Error::Cancelled);
    }
    if let Some(f) = report.failed.first() {
        return Err(Error::InvalidInput(format!(
            "{} files could not be read; first: {}: {}",
            report.failed.len(),
            f.path,
            f.error
        )));
    }
    // 2. The documents under their pack ids.
    let mut docs = Vec::new();
    let mut entries = Vec::new();
    for s in reading.list() {
        let doc = reading.document(&s.id)?;
        let rel = Path::new(&doc.source)
            .strip_prefix(&dir)
            .map_err(|_| Error::Store(format!("{} is outside the folder", doc.source)))?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let (id, source) = document_id(&opts.pack_id, &rel);
        let doc = Document { id, source, ..doc };
        entries.push(PackDocument {
            doc_id: doc.id.to_string(),
            title: doc.meta.title.clone(),
            path: rel,
            index_key: doc.index_key(),
        });
        docs.push(doc);
    }
    drop(reading);
    if docs.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{} holds no documents",
            dir.display()
        )));
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    // 3. The index, built from exactly these documents.
    on_event(&BuildEvent::Indexing);
    let index_root = work.path().join("index-lib");
    let passages = docs.iter().map(|d| d.passages.len()).sum();
    {
        let mut lib = Library::open(config_at(base, index_root.clone()))?;
        lib.install_documents(docs.clone(), &[], None, &mut |_, _| {}, cancel)?;
    }
    // 4. The archive.
    on_event(&BuildEvent::Writing);
    let glossary = dir.join(GLOSSARY_ENTRY);
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        pack_id: opts.pack_id.clone(),
        title: opts.title.clone(),
        version: opts.version,
        created_at: now(),
        created_by: opts.created_by.clone(),
        index_schema: pustaka_core::index::INDEX_SCHEMA_VERSION,
        documents: entries,
        glossary: glossary.is_file(),
    };
    let part = out_dir.join(format!(
        ".{}.part",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let written = (|| -> Result<u64> {
        let file = std::fs::File::create(&part)
            .map_err(|e| Error::io(format!("cannot write {}", part.display()), e))?;
        let mut w = ArchiveWriter::new(BufWriter::new(file));
        for d in &docs {
            let json = serde_json::to_vec(d).map_err(|e| Error::Store(e.to_string()))?;
            w.add(&format!("documents/{}.json", d.id), &json)?;
        }
        let mut index_files: Vec<PathBuf> = std::fs::read_dir(index_root.join("index"))
            .map_err(|e| Error::io("cannot read the built index", e))?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| !p.to_string_lossy().ends_with(".lock"))
            .collect();
        index_files.sort();
        for p in index_files {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes =
                std::fs::read(&p).map_err(|e| Error::io("cannot read the built index", e))?;
            w.add(&format!("index/{name}"), &bytes)?;
        }
        if manifest.glossary {
            let g = pustaka_core::glossary::Glossary::load(&glossary)?;
            drop(g);
            let bytes = std::fs::read(&glossary)
                .map_err(|e| Error::io(format!("cannot read {}", glossary.display()), e))?;
            w.add(GLOSSARY_ENTRY, &bytes)?;
        }
        let fields = serde_json::to_value(&manifest).map_err(|e| Error::Store(e.to_string()))?;
        let buf = w.finish(fields, Some(key))?;
        let file = buf
            .into_inner()
            .map_err(|e| Error::io("cannot write the pack", e.into_error()))?;
        file.sync_all()
            .map_err(|e| Error::io("cannot write the pack", e))?;
        Ok(file.metadata().map(|m| m.len()).unwrap_or(0))
    })();
    let bytes = match written {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
    };
    std::fs::rename(&part, out).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        Error::io(format!("cannot write {}", out.display()), e)
    })?;
    Ok(BuildReport {
        file: out.display().to_string(),
        pack_id: opts.pack_id.clone(),
        version: opts.version,
        documents: docs.len(),
        passages,
        bytes,
        signer: key.fingerprint(),
    })
}

fn config_at(base: &LibraryConfig, root: PathBuf) -> LibraryConfig {
    LibraryConfig {
        root,
        ..base.clone()
    }
}

/// A content pack opened and checked (every entry against the manifest, the signature when
/// there is one). Nothing is written.
pub struct OpenedPack<R: Read + Seek> {
    pub manifest: Manifest,
    pub signer: Option<PublicKey>,
    archive: OpenedArchive<R>,
}

/// Opens a pack file and checks it.
pub fn open(path: &Path) -> Result<OpenedPack<std::fs::File>> {
    let archive = sealed::open_file(path, LIMITS, "this content pack")?;
    from_archive(archive)
}

fn bad(reason: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("this content pack cannot be opened: {reason}"))
}

fn from_archive<R: Read + Seek>(archive: OpenedArchive<R>) -> Result<OpenedPack<R>> {
    let manifest: Manifest = serde_json::from_slice(&archive.manifest)
        .map_err(|e| bad(format!("its manifest is not valid ({e})")))?;
    if manifest.format != FORMAT {
        return Err(bad("it is not a Pustaka content pack"));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::InvalidInput(format!(
            "this content pack was made by a newer Pustaka (format {}; this one reads up to {FORMAT_VERSION}): update Pustaka to install it",
            manifest.format_version
        )));
    }
    check_pack_id(&manifest.pack_id).map_err(bad)?;
    let mut seen = std::collections::HashSet::new();
    for d in &manifest.documents {
        let (id, _) = document_id(&manifest.pack_id, &d.path);
        if id.as_str() != d.doc_id {
            return Err(bad(format!(
                "document {} does not carry the id of its path",
                d.path
            )));
        }
        if !seen.insert(d.doc_id.clone()) {
            return Err(bad(format!("document {} is listed twice", d.path)));
        }
        if !archive.files.contains_key(&d.entry()) {
            return Err(bad(format!("document {} is missing", d.path)));
        }
    }
    if manifest.glossary && !archive.files.contains_key(GLOSSARY_ENTRY) {
        return Err(bad("its glossary is missing"));
    }
    let signer = archive.signer;
    Ok(OpenedPack {
        manifest,
        signer,
        archive,
    })
}

impl<R: Read + Seek> OpenedPack<R> {
    /// One document, checked against the manifest.
    pub fn document(&mut self, d: &PackDocument) -> Result<Document> {
        let bytes = self.archive.read(&d.entry())?;
        let doc: Document = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("document {} is not valid ({e})", d.path)))?;
        let (id, source) = document_id(&self.manifest.pack_id, &d.path);
        if doc.id != id || doc.source != source {
            return Err(bad(format!("document {} is not the one listed", d.path)));
        }
        if doc.passages.is_empty() {
            return Err(bad(format!("document {} has no passages", d.path)));
        }
        if doc.index_key() != d.index_key {
            return Err(bad(format!(
                "document {} does not match the manifest",
                d.path
            )));
        }
        Ok(doc)
    }

    /// Writes the prebuilt index into `dest` (a new folder); false when this Pustaka cannot
    /// use it (another index layout) or the pack has none.
    pub fn extract_index(&mut self, dest: &Path) -> Result<bool> {
        if self.manifest.index_schema != pustaka_core::index::INDEX_SCHEMA_VERSION {
            return Ok(false);
        }
        let names: Vec<String> = self
            .archive
            .files
            .keys()
            .filter_map(|k| k.strip_prefix("index/").map(str::to_string))
            .collect();
        if names.is_empty() || names.iter().any(|n| n.contains('/')) {
            return Ok(false);
        }
        std::fs::create_dir_all(dest)
            .map_err(|e| Error::io(format!("cannot create {}", dest.display()), e))?;
        for n in names {
            self.archive
                .extract(&format!("index/{n}"), &dest.join(&n))?;
        }
        Ok(true)
    }

    /// The pack's glossary file's bytes, when it has one.
    pub fn glossary(&mut self) -> Result<Option<Vec<u8>>> {
        if !self.manifest.glossary {
            return Ok(None);
        }
        self.archive.read(GLOSSARY_ENTRY).map(Some)
    }
}

/// What `pustaka corpus verify` reports.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub pack_id: String,
    pub title: String,
    pub version: u64,
    pub documents: usize,
    pub signer: Option<String>,
    pub created_at: u64,
}

/// Checks a pack file whole and that `key` signed it.
pub fn verify(path: &Path, key: &PublicKey) -> Result<VerifyReport> {
    let mut p = open(path)?;
    match p.signer {
        None => {
            return Err(Error::InvalidInput(
                "this content pack is not signed".into(),
            ));
        }
        Some(s) if s != *key => {
            return Err(Error::InvalidInput(format!(
                "this content pack is signed by another key ({}), not by {}",
                s.fingerprint(),
                key.fingerprint()
            )));
        }
        Some(_) => {}
    }
    let docs = p.manifest.documents.clone();
    for d in &docs {
        p.document(d)?;
    }
    Ok(VerifyReport {
        pack_id: p.manifest.pack_id.clone(),
        title: p.manifest.title.clone(),
        version: p.manifest.version,
        documents: docs.len(),
        signer: p.signer.map(|s| s.fingerprint()),
        created_at: p.manifest.created_at,
    })
}

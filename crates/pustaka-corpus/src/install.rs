//! Installing content packs into a library, offline, all or nothing.
//!
//! The library keeps `content-packs.json`: each installed pack's version, signer and documents
//! (with their index keys), and the keys the user trusts. An install:
//! 1. opens and checks the whole pack (nothing written yet);
//! 2. refuses an unsigned pack or one signed by a key the library does not trust, unless the
//!    user explicitly trusts it (then remembers the key); a pack whose bytes do not match its
//!    signature is always refused;
//! 3. refuses a version older than the one installed;
//! 4. works out what changed: documents added, changed (another index key) and removed since
//!    the installed version; unchanged ones are not touched;
//! 5. writes a journal of what it is about to replace, applies the change with
//!    [`Library::install_documents`] (which puts everything back if a write fails), records
//!    the new version, and removes the journal. A journal found later (the process was
//!    killed midway) is rolled back by [`recover`].
//!
//! Into an empty library the pack's prebuilt index is used as it is: no indexing wait.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use pustaka_core::sealed::PublicKey;
use pustaka_core::{CancelFlag, DocId, Document, Error, Library, Result};

use crate::pack::{self, PackDocument};

pub const REGISTRY_FILE: &str = "content-packs.json";
pub const JOURNAL_FILE: &str = "content-packs.journal.json";

/// The packs a library holds and the keys it trusts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registry {
    #[serde(default)]
    pub packs: BTreeMap<String, InstalledPack>,
    #[serde(default)]
    pub trusted_keys: Vec<TrustedKey>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstalledPack {
    pub title: String,
    pub version: u64,
    /// Fingerprint of the key that signed it; None when installed unsigned (trusted by hand).
    pub signer: Option<String>,
    pub installed_at: u64,
    /// Document id → index key.
    pub documents: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrustedKey {
    /// Hex.
    pub key: String,
    pub fingerprint: String,
}

impl Registry {
    pub fn load(root: &Path) -> Result<Registry> {
        let p = root.join(REGISTRY_FILE);
        match std::fs::read(&p) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| Error::Store(format!("{} is damaged: {e}", p.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Registry::default()),
            Err(e) => Err(Error::Io {
                context: format!("cannot read {}", p.display()),
                source: e,
            }),
        }
    }

    fn save(&self, root: &Path) -> Result<()> {
        let p = root.join(REGISTRY_FILE);
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::Store(e.to_string()))?;
        pustaka_core::fsutil::write_whole(&p, &bytes).map_err(|e| Error::Io {
            context: format!("cannot write {}", p.display()),
            source: e,
        })
    }

    /// True when the library trusts packs signed by `key`.
    pub fn trusts(&self, key: &PublicKey) -> bool {
        let text = key.to_text();
        self.trusted_keys.iter().any(|k| k.key == text)
    }

    fn remember(&mut self, key: &PublicKey) {
        if !self.trusts(key) {
            self.trusted_keys.push(TrustedKey {
                key: key.to_text(),
                fingerprint: key.fingerprint(),
            });
        }
    }
}

/// Whom to trust for one install.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// Keys trusted for this install (besides the library's), remembered when used.
    pub keys: Vec<PublicKey>,
    /// The user explicitly accepts an unsigned pack or an unknown key.
    pub accept_untrusted: bool,
}

/// One document an install touched.
#[derive(Debug, Clone, Serialize)]
pub struct InstalledDoc {
    pub doc_id: String,
    pub title: String,
}

/// What `pustaka corpus install` reports.
#[derive(Debug, Clone, Serialize)]
pub struct InstallReport {
    pub pack_id: String,
    pub title: String,
    pub version: u64,
    pub previous_version: Option<u64>,
    pub signer: Option<String>,
    pub added: Vec<InstalledDoc>,
    pub updated: Vec<InstalledDoc>,
    pub removed: Vec<InstalledDoc>,
    pub unchanged: usize,
    /// The pack's index was used as it is (a first install into an empty library).
    pub prebuilt_index: bool,
    /// Terms in the glossary the pack brought, when it brought one.
    pub glossary_terms: Option<usize>,
    /// Something the user should know (an earlier interrupted install was undone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Journal {
    pack_id: String,
    /// Documents as they were before (to put back).
    previous: Vec<Document>,
    /// Documents the install adds (to take away).
    added: Vec<DocId>,
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Installs a pack file into `lib` (see the module docs). `on_progress(done, total)`.
pub fn install(
    lib: &mut Library,
    file: &Path,
    trust: &Trust,
    on_progress: &mut dyn FnMut(usize, usize),
    cancel: &CancelFlag,
) -> Result<InstallReport> {
    let root = lib.root().to_path_buf();
    let notice = recover(lib)?;
    let mut registry = Registry::load(&root)?;
    let mut p = pack::open(file)?;
    // Trust.
    let signer = p.signer;
    match signer {
        None if !trust.accept_untrusted => {
            return Err(Error::InvalidInput(
                "this content pack is not signed, so where it comes from cannot be checked; install it only if you trust it (--trust)".into(),
            ));
        }
        Some(k) if !registry.trusts(&k) && !trust.keys.contains(&k) && !trust.accept_untrusted => {
            return Err(Error::InvalidInput(format!(
                "this content pack is signed by a key this library does not know ({}); give its public key (--pubkey) or install it only if you trust it (--trust)",
                k.fingerprint()
            )));
        }
        _ => {}
    }
    let m = p.manifest.clone();
    // Versions.
    let previous = registry.packs.get(&m.pack_id).cloned();
    if let Some(prev) = &previous
        && m.version < prev.version
    {
        return Err(Error::InvalidInput(format!(
            "this is version {} of the content pack \"{}\", older than the installed version {}: it was not installed",
            m.version, m.pack_id, prev.version
        )));
    }
    // What changed: against what the library actually holds.
    let held: HashMap<String, String> = lib
        .list()
        .into_iter()
        .map(|s| (s.id.to_string(), s.index_key()))
        .collect();
    let mut changed: Vec<(&PackDocument, bool)> = Vec::new();
    let mut unchanged = 0;
    for d in &m.documents {
        match held.get(&d.doc_id) {
            Some(k) if *k == d.index_key => unchanged += 1,
            Some(_) => changed.push((d, true)),
            None => changed.push((d, false)),
        }
    }
    let in_pack: std::collections::HashSet<&str> =
        m.documents.iter().map(|d| d.doc_id.as_str()).collect();
    let mut removed_ids = Vec::new();
    if let Some(prev) = &previous {
        for id in prev.documents.keys() {
            if !in_pack.contains(id.as_str())
                && held.contains_key(id)
                && let Some(id) = DocId::parse(id)
            {
                removed_ids.push(id);
            }
        }
    }
    // Read the changed documents (checked) before touching anything.
    let mut docs = Vec::with_capacity(changed.len());
    for (d, _) in &changed {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        docs.push(p.document(d)?);
    }
    let glossary = p.glossary()?;
    let glossary_file = match &glossary {
        Some(bytes) => {
            let f = root.join(".content-pack-glossary.toml");
            std::fs::write(&f, bytes).map_err(|e| Error::Io {
                context: "cannot write the glossary".into(),
                source: e,
            })?;
            // Checked before anything is written to the library.
            if let Err(e) = pustaka_core::glossary::Glossary::load(&f) {
                let _ = std::fs::remove_file(&f);
                return Err(e);
            }
            Some(f)
        }
        None => None,
    };
    let staged_index: Option<PathBuf> = if held.is_empty() && removed_ids.is_empty() {
        let dir = root.join(".content-pack-index");
        let _ = std::fs::remove_dir_all(&dir);
        match p.extract_index(&dir) {
            Ok(true) => Some(dir),
            Ok(false) => None,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        }
    } else {
        None
    };
    let cleanup = |staged: &Option<PathBuf>, g: &Option<PathBuf>| {
        if let Some(d) = staged {
            let _ = std::fs::remove_dir_all(d);
        }
        if let Some(f) = g {
            let _ = std::fs::remove_file(f);
        }
    };
    // The journal: what to put back if this process dies midway.
    let mut journal = Journal {
        pack_id: m.pack_id.clone(),
        previous: Vec::new(),
        added: Vec::new(),
    };
    for (d, existed) in &changed {
        let id = DocId::parse(&d.doc_id).ok_or_else(|| Error::Store("bad id".into()))?;
        if *existed {
            journal.previous.push(lib.document(&id)?);
        } else {
            journal.added.push(id);
        }
    }
    for id in &removed_ids {
        journal.previous.push(lib.document(id)?);
    }
    let journal_path = root.join(JOURNAL_FILE);
    let jbytes = serde_json::to_vec(&journal).map_err(|e| Error::Store(e.to_string()))?;
    if let Err(e) = pustaka_core::fsutil::write_whole(&journal_path, &jbytes) {
        cleanup(&staged_index, &glossary_file);
        return Err(Error::Io {
            context: format!("cannot write {}", journal_path.display()),
            source: e,
        });
    }
    let applied = lib.install_documents(
        docs,
        &removed_ids,
        staged_index.as_deref(),
        on_progress,
        cancel,
    );
    let prebuilt_index = match applied {
        Ok(b) => b,
        Err(e) => {
            cleanup(&staged_index, &glossary_file);
            let _ = std::fs::remove_file(&journal_path);
            return Err(e);
        }
    };
    // Recorded; from here on the install stands.
    let removed: Vec<InstalledDoc> = journal
        .previous
        .iter()
        .filter(|d| removed_ids.contains(&d.id))
        .map(|d| InstalledDoc {
            doc_id: d.id.to_string(),
            title: d.meta.title.clone(),
        })
        .collect();
    if let Some(k) = signer {
        registry.remember(&k);
    }
    registry.packs.insert(
        m.pack_id.clone(),
        InstalledPack {
            title: m.title.clone(),
            version: m.version,
            signer: signer.map(|k| k.fingerprint()),
            installed_at: now(),
            documents: m
                .documents
                .iter()
                .map(|d| (d.doc_id.clone(), d.index_key.clone()))
                .collect(),
        },
    );
    let saved = registry.save(&root);
    if let Err(e) = saved {
        // Without the record the install cannot stand: put everything back.
        let _ = rollback(lib, journal);
        let _ = std::fs::remove_file(&journal_path);
        cleanup(&staged_index, &glossary_file);
        return Err(e);
    }
    let _ = std::fs::remove_file(&journal_path);
    let glossary_terms = match &glossary_file {
        Some(f) => Some(lib.install_glossary(f)?),
        None => None,
    };
    cleanup(&staged_index, &glossary_file);
    let doc = |(d, _): &(&PackDocument, bool)| InstalledDoc {
        doc_id: d.doc_id.clone(),
        title: d.title.clone(),
    };
    Ok(InstallReport {
        pack_id: m.pack_id.clone(),
        title: m.title.clone(),
        version: m.version,
        previous_version: previous.map(|p| p.version),
        signer: signer.map(|k| k.fingerprint()),
        added: changed.iter().filter(|c| !c.1).map(doc).collect(),
        updated: changed.iter().filter(|c| c.1).map(doc).collect(),
        removed,
        unchanged,
        prebuilt_index,
        glossary_terms,
        notice,
    })
}

fn rollback(lib: &mut Library, journal: Journal) -> Result<()> {
    lib.install_documents(
        journal.previous,
        &journal.added,
        None,
        &mut |_, _| {},
        &CancelFlag::new(),
    )?;
    Ok(())
}

/// Rolls back an install that was interrupted (the process killed midway), if there was one;
/// returns what the user should be told. Call after opening a library.
pub fn recover(lib: &mut Library) -> Result<Option<String>> {
    let path = lib.root().join(JOURNAL_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::Io {
                context: format!("cannot read {}", path.display()),
                source: e,
            });
        }
    };
    let journal: Journal = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Store(format!("{} is damaged: {e}", path.display())))?;
    let pack_id = journal.pack_id.clone();
    // Only what the library still holds differently is touched.
    let previous: Vec<Document> = journal
        .previous
        .into_iter()
        .filter(|d| lib.document(&d.id).map(|h| h != *d).unwrap_or(true))
        .collect();
    let added: Vec<DocId> = journal
        .added
        .into_iter()
        .filter(|id| lib.document(id).is_ok())
        .collect();
    if !previous.is_empty() || !added.is_empty() {
        lib.install_documents(previous, &added, None, &mut |_, _| {}, &CancelFlag::new())?;
    }
    std::fs::remove_file(&path).map_err(|e| Error::Io {
        context: format!("cannot remove {}", path.display()),
        source: e,
    })?;
    let _ = std::fs::remove_dir_all(lib.root().join(".content-pack-index"));
    Ok(Some(format!(
        "an interrupted install of the content pack \"{pack_id}\" was undone"
    )))
}

/// The packs installed in the library at `root`.
pub fn installed(root: &Path) -> Result<Registry> {
    Registry::load(root)
}

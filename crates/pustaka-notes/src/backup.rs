//! Rotating backups of the user-data store.
//!
//! A backup is one JSON file holding every record of every tree, with a checksum over them.
//! It is written to a temporary file, fsynced, renamed into place (and the folder fsynced),
//! then read back and verified; only then do older generations beyond the limit go. A backup
//! that fails verification is removed and the write reported as failed, so the newest file
//! on disk is always a good one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use pustaka_core::{Error, Result};

use crate::store::{Op, SCHEMA_VERSION, Tree, UserStore};

const FORMAT: &str = "pustaka-notes-backup";
const PREFIX: &str = "notes-";
const SUFFIX: &str = ".json";

#[derive(Serialize, Deserialize)]
struct BackupFile {
    format: String,
    version: u32,
    schema: u64,
    generation: u64,
    created: i64,
    /// blake3 (hex) of the JSON of `trees`.
    checksum: String,
    trees: Vec<BackupTree>,
}

#[derive(Serialize, Deserialize)]
struct BackupTree {
    name: String,
    /// Key and value (our values are UTF-8 JSON).
    records: Vec<(String, String)>,
}

/// A backup on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub generation: u64,
    /// Milliseconds since the epoch.
    pub created: i64,
    pub records: u64,
    pub annotations: u64,
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}

fn checksum(trees: &[BackupTree]) -> Result<String> {
    let bytes = serde_json::to_vec(trees).map_err(|e| Error::Store(e.to_string()))?;
    Ok(blake3::hash(&bytes).to_hex().to_string())
}

/// Writes a backup of `store` into `dir` and keeps the newest `keep` generations.
pub fn write(store: &dyn UserStore, dir: &Path, keep: usize) -> Result<BackupInfo> {
    fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    let generation = store.generation()?;
    let created = crate::model::now_ms();
    let mut trees = Vec::new();
    for t in Tree::ALL {
        let mut records = Vec::new();
        for (k, v) in store.scan(t, "")? {
            let v = String::from_utf8(v)
                .map_err(|_| Error::Store(format!("record {k} in {} is not UTF-8", t.name())))?;
            records.push((k, v));
        }
        trees.push(BackupTree {
            name: t.name().to_string(),
            records,
        });
    }
    let file = BackupFile {
        format: FORMAT.into(),
        version: 1,
        schema: SCHEMA_VERSION,
        generation,
        created,
        checksum: checksum(&trees)?,
        trees,
    };
    let name = format!("{PREFIX}{generation:012}-{created}{SUFFIX}");
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let bytes = serde_json::to_vec(&file).map_err(|e| Error::Store(e.to_string()))?;
    let written = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &path)?;
        sync_dir(dir)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Io {
            context: format!(
                "writing the notes backup {} (is the disk full?)",
                path.display()
            ),
            source: e,
        });
    }
    match read(&path) {
        Ok(info) if info.generation == generation => {}
        Ok(_) | Err(_) => {
            let _ = fs::remove_file(&path);
            return Err(Error::Store(format!(
                "the notes backup {} did not read back correctly; it was removed",
                path.display()
            )));
        }
    }
    let info = read(&path)?;
    prune(dir, keep)?;
    Ok(info)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

fn load(path: &Path) -> Result<BackupFile> {
    let bytes = fs::read(path).map_err(io(format!("reading {}", path.display())))?;
    let file: BackupFile = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Store(format!("the backup {} is damaged: {e}", path.display())))?;
    if file.format != FORMAT {
        return Err(Error::Store(format!(
            "{} is not a Pustaka notes backup",
            path.display()
        )));
    }
    if file.schema > SCHEMA_VERSION {
        return Err(Error::Store(format!(
            "the backup {} was written by a newer version of Pustaka",
            path.display()
        )));
    }
    if checksum(&file.trees)? != file.checksum {
        return Err(Error::Store(format!(
            "the backup {} is damaged: its checksum does not match",
            path.display()
        )));
    }
    for t in &file.trees {
        if Tree::from_name(&t.name).is_none() {
            return Err(Error::Store(format!(
                "the backup {} holds an unknown collection {:?}",
                path.display(),
                t.name
            )));
        }
    }
    Ok(file)
}

/// Reads and verifies a backup.
pub fn read(path: &Path) -> Result<BackupInfo> {
    let file = load(path)?;
    let count = |name: &str| {
        file.trees
            .iter()
            .filter(|t| t.name == name)
            .map(|t| t.records.len() as u64)
            .sum::<u64>()
    };
    Ok(BackupInfo {
        path: path.to_path_buf(),
        generation: file.generation,
        created: file.created,
        records: file.trees.iter().map(|t| t.records.len() as u64).sum(),
        annotations: count(Tree::Annotations.name()),
    })
}

/// The backups in `dir`, newest first (by generation, then time). Unreadable files are
/// listed too (verification happens when one is used).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(u64, i64, PathBuf)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
            let (g, t) = stem.split_once('-')?;
            Some((g.parse().ok()?, t.parse().ok()?, e.path()))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse((f.0, f.1)));
    found.into_iter().map(|(_, _, p)| p).collect()
}

/// The newest backup that verifies.
pub fn newest_good(dir: &Path) -> Option<BackupInfo> {
    list(dir).into_iter().find_map(|p| read(&p).ok())
}

fn prune(dir: &Path, keep: usize) -> Result<()> {
    for old in list(dir).into_iter().skip(keep.max(1)) {
        fs::remove_file(&old).map_err(io(format!("removing old backup {}", old.display())))?;
    }
    // Temporary files left by an interrupted backup.
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".tmp") {
            let _ = fs::remove_file(e.path());
        }
    }
    Ok(())
}

/// Copies every record of the backup at `path` into `store` (expected empty), in one batch.
pub fn restore_into(path: &Path, store: &dyn UserStore) -> Result<BackupInfo> {
    let info = read(path)?;
    let file = load(path)?;
    let mut ops = Vec::new();
    for t in file.trees {
        let tree = Tree::from_name(&t.name).unwrap_or(Tree::Annotations);
        for (key, value) in t.records {
            ops.push(Op::Put {
                tree,
                key,
                value: value.into_bytes(),
            });
        }
    }
    store.apply(&ops)?;
    store.raise_generation(info.generation)?;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemUserStore;

    fn put(key: &str) -> Op {
        Op::Put {
            tree: Tree::Annotations,
            key: key.into(),
            value: format!("{{\"k\":\"{key}\"}}").into_bytes(),
        }
    }

    #[test]
    fn backups_rotate_verify_and_restore() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemUserStore::new();
        for i in 0..5 {
            store.apply(&[put(&format!("a{i}"))]).unwrap();
            write(&store, dir.path(), 3).unwrap();
        }
        let all = list(dir.path());
        assert_eq!(all.len(), 3);
        let newest = newest_good(dir.path()).unwrap();
        assert_eq!(newest.generation, 5);
        assert_eq!(newest.annotations, 5);

        let fresh = MemUserStore::new();
        restore_into(&newest.path, &fresh).unwrap();
        assert_eq!(fresh.count(Tree::Annotations).unwrap(), 5);
        assert_eq!(
            fresh.get(Tree::Annotations, "a3").unwrap().unwrap(),
            b"{\"k\":\"a3\"}"
        );
    }

    #[test]
    fn a_damaged_backup_is_skipped_for_an_older_good_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemUserStore::new();
        store.apply(&[put("a")]).unwrap();
        let first = write(&store, dir.path(), 5).unwrap();
        store.apply(&[put("b")]).unwrap();
        let second = write(&store, dir.path(), 5).unwrap();
        // Flip a byte inside a record of the newest backup.
        let mut bytes = fs::read(&second.path).unwrap();
        let at = bytes.windows(3).position(|w| w == b"\"b\"").unwrap();
        bytes[at + 1] = b'c';
        fs::write(&second.path, &bytes).unwrap();
        assert!(read(&second.path).is_err());
        assert_eq!(newest_good(dir.path()).unwrap().path, first.path);
        // Truncated.
        fs::write(&second.path, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(newest_good(dir.path()).unwrap().path, first.path);
    }
}

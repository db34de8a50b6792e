//! [`UserStore`] on sled (`=0.34.7`). sled's types stay in this file.
//!
//! Trees: one per [`Tree`], plus the default tree holding the schema version, the generation
//! and the record count of each tree, all updated in the same transaction as the records
//! they describe. Every batch is flushed to disk before `apply` returns.

use std::path::{Path, PathBuf};

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use pustaka_core::{Error, Result};

use super::{Op, SCHEMA_VERSION, StoreCheck, Tree, UserStore, seal, unseal};

const SCHEMA_KEY: &[u8] = b"schema";
const GENERATION_KEY: &[u8] = b"generation";

fn count_key(tree: Tree) -> Vec<u8> {
    format!("count:{}", tree.name()).into_bytes()
}

fn store_err(e: impl std::fmt::Display) -> Error {
    Error::Store(e.to_string())
}

fn u64_of(v: Option<sled::IVec>) -> u64 {
    v.and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0)
}

/// The store on disk.
pub struct SledUserStore {
    path: PathBuf,
    db: sled::Db,
    trees: Vec<sled::Tree>,
    min_free: std::sync::atomic::AtomicU64,
}

/// Free space kept on the disk by default: a write that would leave less is refused.
pub const DEFAULT_MIN_FREE_BYTES: u64 = 32 * 1024 * 1024;

/// How opening went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// An existing store.
    Existing,
    /// There was no store: a new, empty one was created.
    Created,
    /// The folder held store files but no store in them (files missing): it now holds an
    /// empty store.
    Blank,
}

/// Why a store did not open.
#[derive(Debug)]
pub enum OpenFailure {
    /// Written by a newer Pustaka: leave it alone and tell the user to update.
    Newer(Error),
    /// Damaged or unreadable.
    Damaged(Error),
}

impl From<Error> for OpenFailure {
    fn from(e: Error) -> Self {
        OpenFailure::Damaged(e)
    }
}

impl SledUserStore {
    /// Opens the store in the folder `path`, creating it when there is none.
    pub fn open(path: &Path) -> std::result::Result<(SledUserStore, Opened), OpenFailure> {
        let existed = path.join("db").exists() || path.join("conf").exists();
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(4 * 1024 * 1024)
            .flush_every_ms(None)
            .open()
            .map_err(|e| {
                Error::Store(format!(
                    "cannot open the notes store at {}: {e}",
                    path.display()
                ))
            })?;
        let mut trees = Vec::new();
        for t in Tree::ALL {
            trees.push(db.open_tree(t.name()).map_err(store_err)?);
        }
        let store = SledUserStore {
            path: path.to_path_buf(),
            db,
            trees,
            min_free: std::sync::atomic::AtomicU64::new(DEFAULT_MIN_FREE_BYTES),
        };
        let schema = store.db.get(SCHEMA_KEY).map_err(store_err)?;
        let opened = match schema {
            None => {
                let empty = store.trees.iter().all(|t| t.is_empty());
                if !empty {
                    return Err(OpenFailure::Damaged(Error::Store(format!(
                        "the notes store at {} holds records but no schema version",
                        path.display()
                    ))));
                }
                store
                    .db
                    .insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(store_err)?;
                store.db.flush().map_err(store_err)?;
                if existed {
                    Opened::Blank
                } else {
                    Opened::Created
                }
            }
            Some(v) => {
                let v = u64_of(Some(v));
                if v > SCHEMA_VERSION {
                    return Err(OpenFailure::Newer(Error::Store(format!(
                        "the notes store at {} was written by a newer version of Pustaka (schema {v}, this one reads up to {SCHEMA_VERSION}); update Pustaka",
                        path.display()
                    ))));
                }
                if v < SCHEMA_VERSION {
                    store.migrate(v)?;
                }
                Opened::Existing
            }
        };
        Ok((store, opened))
    }

    /// Brings records written by an older schema up to [`SCHEMA_VERSION`], in one
    /// transaction per step. Schema 1 is the first; there is nothing older to migrate yet.
    fn migrate(&self, from: u64) -> Result<()> {
        Err(Error::Store(format!(
            "the notes store at {} has an unknown schema version {from}",
            self.path.display()
        )))
    }

    /// Writes that would leave less than `bytes` free on the disk are refused.
    pub fn set_min_free(&self, bytes: u64) {
        self.min_free
            .store(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Refuses a write when the disk is (nearly) full. sled 0.34 does not return from a
    /// flush whose write failed (seen with a full disk), so a write must not start when it
    /// cannot finish: it fails here, visibly, with nothing written.
    fn check_space(&self, ops: &[Op]) -> Result<()> {
        let need: u64 = ops
            .iter()
            .map(|op| match op {
                Op::Put { key, value, .. } => (key.len() + value.len() + 64) as u64,
                Op::Delete { key, .. } => (key.len() + 64) as u64,
            })
            .sum::<u64>()
            * 4;
        let min_free = self.min_free.load(std::sync::atomic::Ordering::Relaxed);
        let free = fs4::available_space(&self.path).map_err(|source| Error::Io {
            context: format!("checking the free space for {}", self.path.display()),
            source,
        })?;
        if free < min_free.saturating_add(need) {
            return Err(Error::Io {
                context: format!(
                    "the disk holding your notes is full ({} MB free, {} MB needed); free some space and try again; nothing was changed",
                    free / (1024 * 1024),
                    (min_free + need).div_ceil(1024 * 1024)
                ),
                source: std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device",
                ),
            });
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn tree(&self, t: Tree) -> &sled::Tree {
        &self.trees[Tree::ALL.iter().position(|x| *x == t).unwrap_or(0)]
    }
}

impl UserStore for SledUserStore {
    fn apply(&self, ops: &[Op]) -> Result<u64> {
        self.check_space(ops)?;
        let mut all: Vec<sled::Tree> = self.trees.clone();
        all.push((*self.db).clone());
        let meta_ix = all.len() - 1;
        let ix = |t: Tree| Tree::ALL.iter().position(|x| *x == t).unwrap_or(0);
        let result = all.as_slice().transaction(|tx| {
            let mut deltas = [0i64; Tree::ALL.len()];
            for op in ops {
                match op {
                    Op::Put { tree, key, value } => {
                        let prev = tx[ix(*tree)].insert(key.as_bytes(), seal(value))?;
                        if prev.is_none() {
                            deltas[ix(*tree)] += 1;
                        }
                    }
                    Op::Delete { tree, key } => {
                        if tx[ix(*tree)].remove(key.as_bytes())?.is_some() {
                            deltas[ix(*tree)] -= 1;
                        }
                    }
                }
            }
            let meta = &tx[meta_ix];
            for t in Tree::ALL {
                let d = deltas[ix(t)];
                if d != 0 {
                    let n = u64_of(meta.get(count_key(t))?) as i64 + d;
                    meta.insert(count_key(t), &(n.max(0) as u64).to_be_bytes())?;
                }
            }
            let g = u64_of(meta.get(GENERATION_KEY)?) + 1;
            meta.insert(GENERATION_KEY, &g.to_be_bytes())?;
            Ok::<u64, ConflictableTransactionError<Error>>(g)
        });
        let g = match result {
            Ok(g) => g,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(write_err(e)),
        };
        self.db.flush().map_err(write_err)?;
        Ok(g)
    }

    fn get(&self, tree: Tree, key: &str) -> Result<Option<Vec<u8>>> {
        self.tree(tree)
            .get(key.as_bytes())
            .map_err(store_err)?
            .map(|v| unseal(tree, key, &v))
            .transpose()
    }

    fn scan(&self, tree: Tree, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for kv in self.tree(tree).scan_prefix(prefix.as_bytes()) {
            let (k, v) = kv.map_err(store_err)?;
            let key = String::from_utf8(k.to_vec())
                .map_err(|_| Error::Store(format!("damaged key in {}", tree.name())))?;
            let value = unseal(tree, &key, &v)?;
            out.push((key, value));
        }
        Ok(out)
    }

    fn count(&self, tree: Tree) -> Result<u64> {
        Ok(u64_of(self.db.get(count_key(tree)).map_err(store_err)?))
    }

    fn generation(&self) -> Result<u64> {
        Ok(u64_of(self.db.get(GENERATION_KEY).map_err(store_err)?))
    }

    fn schema_version(&self) -> Result<u64> {
        Ok(u64_of(self.db.get(SCHEMA_KEY).map_err(store_err)?))
    }

    fn raise_generation(&self, to: u64) -> Result<()> {
        if self.generation()? < to {
            self.db
                .insert(GENERATION_KEY, &to.to_be_bytes())
                .map_err(write_err)?;
            self.db.flush().map_err(write_err)?;
        }
        Ok(())
    }

    fn verify(&self) -> Result<StoreCheck> {
        let mut records = 0;
        for t in Tree::ALL {
            let mut n = 0u64;
            for kv in self.tree(t).iter() {
                let (k, v) = kv.map_err(store_err)?;
                let key = String::from_utf8_lossy(&k).into_owned();
                unseal(t, &key, &v)?;
                n += 1;
            }
            let expected = self.count(t)?;
            if n != expected {
                return Err(Error::Store(format!(
                    "the notes store's {} should hold {expected} records but holds {n}",
                    t.name()
                )));
            }
            records += n;
        }
        Ok(StoreCheck {
            records,
            generation: self.generation()?,
        })
    }
}

/// A failed write: reported as an I/O error the user can act on (a full disk is the usual
/// cause), never swallowed.
fn write_err(e: sled::Error) -> Error {
    match e {
        sled::Error::Io(source) => Error::Io {
            context: "saving to the notes store (is the disk full?)".into(),
            source,
        },
        other => Error::Store(format!("saving to the notes store failed: {other}")),
    }
}

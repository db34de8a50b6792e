//! The user-data store: the only irreplaceable data in Pustaka (annotations, their history,
//! and later briefing packs). [`UserStore`] is our trait; [`SledUserStore`] keeps it on disk
//! (sled types stay in `sled_store.rs`) and [`MemUserStore`] is its twin for tests.
//!
//! Every value is stored with a checksum, so damage that the storage engine does not notice
//! is still found when the store is verified on open.

use pustaka_core::{Error, Result};

mod mem;
mod sled_store;

pub use mem::MemUserStore;
pub use sled_store::{DEFAULT_MIN_FREE_BYTES, OpenFailure, Opened, SledUserStore};

/// The schema version of the records this build writes.
pub const SCHEMA_VERSION: u64 = 1;

/// The collections of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tree {
    /// Annotation id → annotation (JSON).
    Annotations,
    /// `<annotation id>/<modified ms, 16 digits>` → an older version of an annotation,
    /// kept when an import or a merge replaced it.
    History,
    /// Pack id → briefing pack (JSON).
    Packs,
}

impl Tree {
    pub const ALL: [Tree; 3] = [Tree::Annotations, Tree::History, Tree::Packs];

    pub fn name(self) -> &'static str {
        match self {
            Tree::Annotations => "annotations",
            Tree::History => "history",
            Tree::Packs => "packs",
        }
    }

    pub fn from_name(s: &str) -> Option<Tree> {
        Tree::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// One change; a batch of them is applied atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Put {
        tree: Tree,
        key: String,
        value: Vec<u8>,
    },
    Delete {
        tree: Tree,
        key: String,
    },
}

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreCheck {
    pub records: u64,
    pub generation: u64,
}

/// A durable, transactional key-value store of user data.
pub trait UserStore: Send + Sync {
    /// Applies all of `ops` or none of them, and returns only once they are on disk.
    /// Returns the new generation (one more than before).
    fn apply(&self, ops: &[Op]) -> Result<u64>;
    fn get(&self, tree: Tree, key: &str) -> Result<Option<Vec<u8>>>;
    /// All records of a tree whose key starts with `prefix`, in key order.
    fn scan(&self, tree: Tree, prefix: &str) -> Result<Vec<(String, Vec<u8>)>>;
    /// How many records a tree holds.
    fn count(&self, tree: Tree) -> Result<u64>;
    /// The number of batches applied since the store was created.
    fn generation(&self) -> Result<u64>;
    /// The schema version the records are written in.
    fn schema_version(&self) -> Result<u64>;
    /// Makes the generation at least `to` (after restoring a backup of that generation).
    fn raise_generation(&self, to: u64) -> Result<()>;
    /// Reads every record and checks it against its checksum and the stored counts.
    fn verify(&self) -> Result<StoreCheck>;
}

/// Length of the checksum stored before each value.
const SUM_LEN: usize = 8;

/// A value as stored: checksum, then the bytes.
pub(crate) fn seal(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SUM_LEN + value.len());
    out.extend_from_slice(&blake3::hash(value).as_bytes()[..SUM_LEN]);
    out.extend_from_slice(value);
    out
}

/// The bytes of a stored value, after checking its checksum.
pub(crate) fn unseal(tree: Tree, key: &str, stored: &[u8]) -> Result<Vec<u8>> {
    if stored.len() < SUM_LEN
        || blake3::hash(&stored[SUM_LEN..]).as_bytes()[..SUM_LEN] != stored[..SUM_LEN]
    {
        return Err(Error::Store(format!(
            "damaged record {key} in {}: its checksum does not match",
            tree.name()
        )));
    }
    Ok(stored[SUM_LEN..].to_vec())
}

#[cfg(test)]
mod tests;

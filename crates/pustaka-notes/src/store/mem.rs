//! [`UserStore`] in memory, for tests: same contract as the sled store, nothing on disk.

use std::collections::BTreeMap;
use std::sync::Mutex;

use pustaka_core::{Error, Result};

use super::{Op, SCHEMA_VERSION, StoreCheck, Tree, UserStore, seal, unseal};

#[derive(Default)]
struct Inner {
    trees: BTreeMap<(Tree, String), Vec<u8>>,
    generation: u64,
}

/// A store in memory. `fail_writes` makes every later write fail (to test error paths).
#[derive(Default)]
pub struct MemUserStore {
    inner: Mutex<Inner>,
    fail_writes: std::sync::atomic::AtomicBool,
}

impl MemUserStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, every `apply` fails as a full disk would, and changes nothing.
    pub fn fail_writes(&self, fail: bool) {
        self.fail_writes
            .store(fail, std::sync::atomic::Ordering::SeqCst);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl UserStore for MemUserStore {
    fn apply(&self, ops: &[Op]) -> Result<u64> {
        if self.fail_writes.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(Error::Io {
                context: "writing the notes store".into(),
                source: std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device",
                ),
            });
        }
        let mut inner = self.lock();
        for op in ops {
            match op {
                Op::Put { tree, key, value } => {
                    inner.trees.insert((*tree, key.clone()), seal(value));
                }
                Op::Delete { tree, key } => {
                    inner.trees.remove(&(*tree, key.clone()));
                }
            }
        }
        inner.generation += 1;
        Ok(inner.generation)
    }

    fn get(&self, tree: Tree, key: &str) -> Result<Option<Vec<u8>>> {
        self.lock()
            .trees
            .get(&(tree, key.to_string()))
            .map(|v| unseal(tree, key, v))
            .transpose()
    }

    fn scan(&self, tree: Tree, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let inner = self.lock();
        inner
            .trees
            .range((tree, prefix.to_string())..)
            .take_while(|((t, k), _)| *t == tree && k.starts_with(prefix))
            .map(|((_, k), v)| Ok((k.clone(), unseal(tree, k, v)?)))
            .collect()
    }

    fn count(&self, tree: Tree) -> Result<u64> {
        Ok(self.lock().trees.keys().filter(|(t, _)| *t == tree).count() as u64)
    }

    fn generation(&self) -> Result<u64> {
        Ok(self.lock().generation)
    }

    fn schema_version(&self) -> Result<u64> {
        Ok(SCHEMA_VERSION)
    }

    fn raise_generation(&self, to: u64) -> Result<()> {
        let mut inner = self.lock();
        inner.generation = inner.generation.max(to);
        Ok(())
    }

    fn verify(&self) -> Result<StoreCheck> {
        let inner = self.lock();
        for ((t, k), v) in &inner.trees {
            unseal(*t, k, v)?;
        }
        Ok(StoreCheck {
            records: inner.trees.len() as u64,
            generation: inner.generation,
        })
    }
}

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::DocumentStore;
use crate::error::Result;
use crate::model::{DocId, DocSummary, Document, Passage};

/// The in-memory twin of [`super::SledStore`], for tests.
#[derive(Debug, Default)]
pub struct MemStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    docs: BTreeMap<DocId, Document>,
    generation: u64,
}

impl MemStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl DocumentStore for MemStore {
    fn put(&self, doc: &Document) -> Result<u64> {
        let mut g = self.lock();
        g.docs.insert(doc.id.clone(), doc.clone());
        g.generation += 1;
        Ok(g.generation)
    }
    fn get(&self, id: &DocId) -> Result<Option<Document>> {
        Ok(self.lock().docs.get(id).cloned())
    }
    fn summary(&self, id: &DocId) -> Result<Option<DocSummary>> {
        Ok(self.lock().docs.get(id).map(Document::summary))
    }
    fn passage(&self, id: &DocId, anchor: &str) -> Result<Option<Passage>> {
        Ok(self
            .lock()
            .docs
            .get(id)
            .and_then(|d| d.passage(anchor).cloned()))
    }
    fn summaries(&self) -> Result<Vec<DocSummary>> {
        Ok(self.lock().docs.values().map(Document::summary).collect())
    }
    fn remove(&self, id: &DocId) -> Result<Option<u64>> {
        let mut g = self.lock();
        if g.docs.remove(id).is_some() {
            g.generation += 1;
            Ok(Some(g.generation))
        } else {
            Ok(None)
        }
    }
    fn id_for_source(&self, source: &str) -> Result<Option<DocId>> {
        Ok(self
            .lock()
            .docs
            .values()
            .find(|d| d.source == source)
            .map(|d| d.id.clone()))
    }
    fn id_for_hash(&self, content_hash: &str) -> Result<Option<DocId>> {
        Ok(self
            .lock()
            .docs
            .values()
            .find(|d| d.content_hash == content_hash)
            .map(|d| d.id.clone()))
    }
    fn generation(&self) -> Result<u64> {
        Ok(self.lock().generation)
    }
    fn size_on_disk(&self) -> Result<u64> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn mem_store_contract() {
        super::super::contract::check(&super::MemStore::new());
    }
}

//! The document store: the source of truth for documents and passages. The search index is
//! a cache rebuilt from it.
//!
//! [`DocumentStore`] is our own trait; [`SledStore`] keeps it on disk (sled `=0.34.7`, whose
//! types never leave `sled_store`), and [`MemStore`] is its in-memory twin for tests.

mod blockfile;
mod mem;
mod sled_store;

pub use mem::MemStore;
pub use sled_store::SledStore;

use crate::error::{Error, Result};
use crate::model::{DocId, DocSummary, Document, Passage};

/// Durable storage of documents. Every write is atomic and on disk when it returns.
pub trait DocumentStore: Send + Sync {
    /// Stores (or replaces) a document with all its passages; returns the new generation.
    fn put(&self, doc: &Document) -> Result<u64>;
    fn get(&self, id: &DocId) -> Result<Option<Document>>;
    fn summary(&self, id: &DocId) -> Result<Option<DocSummary>>;
    fn passage(&self, id: &DocId, anchor: &str) -> Result<Option<Passage>>;
    /// The passage at `ordinal` (its place in reading order, from 0), if its anchor is
    /// `anchor`; the fast path for search hits, which know both.
    fn passage_at(&self, id: &DocId, ordinal: usize, anchor: &str) -> Result<Option<Passage>> {
        let _ = ordinal;
        self.passage(id, anchor)
    }
    fn summaries(&self) -> Result<Vec<DocSummary>>;
    /// Removes a document; returns the new generation, or None if it was not there.
    fn remove(&self, id: &DocId) -> Result<Option<u64>>;
    fn id_for_source(&self, source: &str) -> Result<Option<DocId>>;
    fn id_for_hash(&self, content_hash: &str) -> Result<Option<DocId>>;
    /// A counter that grows with every change; the index records the one it reflects.
    fn generation(&self) -> Result<u64>;
    /// Bytes on disk, when known.
    fn size_on_disk(&self) -> Result<u64>;
}

/// Passages are stored in blocks of this many, each block one compressed record: few keys,
/// good compression, and a search hit reads one small block.
const BLOCK_PASSAGES: usize = 8;

fn encode_block(passages: &[Passage]) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(passages).map_err(|e| Error::Store(e.to_string()))?;
    Ok(lz4_flex::compress_prepend_size(&json))
}

fn decode_block(bytes: &[u8]) -> Result<Vec<Passage>> {
    let json = lz4_flex::decompress_size_prepended(bytes)
        .map_err(|e| Error::Store(format!("damaged passage block: {e}")))?;
    serde_json::from_slice(&json).map_err(|e| Error::Store(format!("damaged passage block: {e}")))
}

#[cfg(test)]
pub(crate) mod contract {
    //! The behaviour every store must have; run against each implementation.
    use super::*;
    use crate::meta::MetaOverrides;
    use crate::model::Format;

    pub fn doc(source: &str, hash: &str, n: usize) -> Document {
        Document {
            id: DocId::for_source(source),
            meta: MetaOverrides::default().resolve("T", Some("en")).unwrap(),
            given: MetaOverrides::default(),
            source: source.into(),
            format: Format::Text,
            content_hash: hash.into(),
            stored_at: 1,
            passages: (0..n)
                .map(|i| Passage {
                    anchor: format!("art-{i}"),
                    heading: None,
                    locator: Some(format!("Art. {i}")),
                    page: None,
                    text: format!("text {i}"),
                })
                .collect(),
        }
    }

    pub fn check(store: &dyn DocumentStore) {
        let g0 = store.generation().unwrap();
        let a = doc("/a.txt", "h1", 70);
        let g1 = store.put(&a).unwrap();
        assert!(g1 > g0);
        assert_eq!(store.get(&a.id).unwrap().unwrap(), a);
        let text = |anchor: &str| store.passage(&a.id, anchor).unwrap().map(|p| p.text);
        assert_eq!(text("art-2").as_deref(), Some("text 2"));
        assert_eq!(text("art-69").as_deref(), Some("text 69"));
        let at = |ordinal: usize, anchor: &str| {
            store
                .passage_at(&a.id, ordinal, anchor)
                .unwrap()
                .map(|p| p.text)
        };
        assert_eq!(at(35, "art-35").as_deref(), Some("text 35"));
        // A stale ordinal still finds the passage by its anchor.
        assert_eq!(at(3, "art-40").as_deref(), Some("text 40"));
        assert_eq!(at(3, "nope"), None);
        assert_eq!(store.id_for_source("/a.txt").unwrap(), Some(a.id.clone()));
        assert_eq!(store.id_for_hash("h1").unwrap(), Some(a.id.clone()));
        // Replace with fewer passages and another hash.
        let a2 = doc("/a.txt", "h2", 1);
        store.put(&a2).unwrap();
        assert_eq!(store.get(&a.id).unwrap().unwrap().passages.len(), 1);
        assert!(store.passage(&a.id, "art-2").unwrap().is_none());
        assert_eq!(store.id_for_hash("h1").unwrap(), None);
        assert_eq!(store.id_for_hash("h2").unwrap(), Some(a.id.clone()));
        let b = doc("/b.txt", "h3", 2);
        store.put(&b).unwrap();
        assert_eq!(store.summaries().unwrap().len(), 2);
        assert!(store.remove(&a.id).unwrap().is_some());
        assert!(store.remove(&a.id).unwrap().is_none());
        assert!(store.get(&a.id).unwrap().is_none());
        assert_eq!(store.id_for_source("/a.txt").unwrap(), None);
        assert_eq!(store.summaries().unwrap().len(), 1);
    }
}

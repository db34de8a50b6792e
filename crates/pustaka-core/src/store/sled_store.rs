//! [`DocumentStore`] on sled. sled's types stay in this file.

use std::path::{Path, PathBuf};

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{BLOCK_PASSAGES, DocumentStore, block_count, block_key, decode_block, encode_block};
use crate::error::{Error, Result};
use crate::model::{DocId, DocSummary, Document, Passage};

const SCHEMA_VERSION: u64 = 2;
const GENERATION_KEY: &[u8] = b"generation";
const SCHEMA_KEY: &[u8] = b"schema";

/// Documents on disk in a sled database. Trees: `docs` (id → summary), `anchors` (id →
/// the passages' anchors in order), `blocks` (id, n → a compressed block of passages),
/// `sources` and `hashes` (look-ups), and the default tree (schema, generation).
pub struct SledStore {
    path: PathBuf,
    db: sled::Db,
    docs: sled::Tree,
    anchors: sled::Tree,
    blocks: sled::Tree,
    sources: sled::Tree,
    hashes: sled::Tree,
}

fn store_err(e: impl std::fmt::Display) -> Error {
    Error::Store(e.to_string())
}

fn tx_err(e: TransactionError<Error>) -> Error {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => store_err(e),
    }
}

fn json<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Store(format!("damaged {what}: {e}")))
}

impl SledStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<SledStore> {
        let unavailable = |reason: String| Error::LibraryUnavailable {
            path: path.to_path_buf(),
            reason,
        };
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(8 * 1024 * 1024)
            .flush_every_ms(Some(1000))
            .open()
            .map_err(|e| unavailable(e.to_string()))?;
        match db.get(SCHEMA_KEY).map_err(store_err)? {
            None => {
                db.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(store_err)?;
            }
            Some(v) if v.as_ref() == SCHEMA_VERSION.to_be_bytes() => {}
            Some(v) => {
                let found = u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8]));
                return Err(unavailable(if found > SCHEMA_VERSION {
                    "the library was written by a newer version of Pustaka".into()
                } else {
                    "the library was written by an early test version of Pustaka; add the documents to a new library".into()
                }));
            }
        }
        let tree = |name: &str| db.open_tree(name).map_err(store_err);
        Ok(SledStore {
            path: path.to_path_buf(),
            docs: tree("docs")?,
            anchors: tree("anchors")?,
            blocks: tree("blocks")?,
            sources: tree("sources")?,
            hashes: tree("hashes")?,
            db,
        })
    }

    /// Every tree a document write touches, for one transaction over all of them.
    #[allow(clippy::type_complexity)]
    fn trees(
        &self,
    ) -> (
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
    ) {
        (
            &self.docs,
            &self.anchors,
            &self.blocks,
            &self.sources,
            &self.hashes,
            &self.db,
        )
    }

    fn anchors_of(&self, id: &DocId) -> Result<Option<Vec<String>>> {
        match self.anchors.get(id.as_str()).map_err(store_err)? {
            Some(v) => Ok(Some(json(&v, "anchor list")?)),
            None => Ok(None),
        }
    }

    fn block(&self, id: &DocId, n: usize) -> Result<Option<Vec<Passage>>> {
        match self.blocks.get(block_key(id, n)).map_err(store_err)? {
            Some(v) => Ok(Some(decode_block(&v)?)),
            None => Ok(None),
        }
    }

    fn flush(&self) -> Result<()> {
        self.db.flush().map_err(store_err)?;
        Ok(())
    }

    fn next_generation(
        meta: &sled::transaction::TransactionalTree,
    ) -> std::result::Result<u64, ConflictableTransactionError<Error>> {
        let g = meta
            .get(GENERATION_KEY)?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(0)
            + 1;
        meta.insert(GENERATION_KEY, &g.to_be_bytes())?;
        Ok(g)
    }
}

impl DocumentStore for SledStore {
    fn put(&self, doc: &Document) -> Result<u64> {
        let old = self.summary(&doc.id)?;
        let summary_bytes = serde_json::to_vec(&doc.summary()).map_err(store_err)?;
        let anchors: Vec<&str> = doc.passages.iter().map(|p| p.anchor.as_str()).collect();
        let anchor_bytes = serde_json::to_vec(&anchors).map_err(store_err)?;
        let blocks: Vec<(Vec<u8>, Vec<u8>)> = doc
            .passages
            .chunks(BLOCK_PASSAGES)
            .enumerate()
            .map(|(n, chunk)| Ok((block_key(&doc.id, n), encode_block(chunk)?)))
            .collect::<Result<_>>()?;
        let id = doc.id.as_str();
        let g = self
            .trees()
            .transaction(|(docs, anchors_t, blocks_t, sources, hashes, meta)| {
                if let Some(old) = &old {
                    for n in blocks.len()..block_count(old.passages) {
                        blocks_t.remove(block_key(&doc.id, n))?;
                    }
                    if old.source != doc.source {
                        sources.remove(old.source.as_bytes())?;
                    }
                    if old.content_hash != doc.content_hash
                        && hashes.get(old.content_hash.as_bytes())?.as_deref()
                            == Some(id.as_bytes())
                    {
                        hashes.remove(old.content_hash.as_bytes())?;
                    }
                }
                for (k, v) in &blocks {
                    blocks_t.insert(k.as_slice(), v.as_slice())?;
                }
                docs.insert(id, summary_bytes.as_slice())?;
                anchors_t.insert(id, anchor_bytes.as_slice())?;
                sources.insert(doc.source.as_bytes(), id)?;
                hashes.insert(doc.content_hash.as_bytes(), id)?;
                Self::next_generation(meta)
            })
            .map_err(tx_err)?;
        self.flush()?;
        Ok(g)
    }

    fn get(&self, id: &DocId) -> Result<Option<Document>> {
        let Some(s) = self.summary(id)? else {
            return Ok(None);
        };
        let mut passages = Vec::with_capacity(s.passages);
        for n in 0..block_count(s.passages) {
            passages.extend(self.block(id, n)?.unwrap_or_default());
        }
        if passages.len() != s.passages {
            return Err(Error::Store(format!("document {id} has lost passages")));
        }
        Ok(Some(Document {
            id: s.id,
            meta: s.meta,
            given: s.given,
            source: s.source,
            format: s.format,
            content_hash: s.content_hash,
            stored_at: s.stored_at,
            passages,
        }))
    }

    fn summary(&self, id: &DocId) -> Result<Option<DocSummary>> {
        match self.docs.get(id.as_str()).map_err(store_err)? {
            Some(v) => Ok(Some(json(&v, "document record")?)),
            None => Ok(None),
        }
    }

    fn passage(&self, id: &DocId, anchor: &str) -> Result<Option<Passage>> {
        let Some(anchors) = self.anchors_of(id)? else {
            return Ok(None);
        };
        let Some(ordinal) = anchors.iter().position(|a| a == anchor) else {
            return Ok(None);
        };
        Ok(self
            .block(id, ordinal / BLOCK_PASSAGES)?
            .and_then(|b| b.into_iter().nth(ordinal % BLOCK_PASSAGES))
            .filter(|p| p.anchor == anchor))
    }

    fn passage_at(&self, id: &DocId, ordinal: usize, anchor: &str) -> Result<Option<Passage>> {
        let found = self
            .block(id, ordinal / BLOCK_PASSAGES)?
            .and_then(|b| b.into_iter().nth(ordinal % BLOCK_PASSAGES))
            .filter(|p| p.anchor == anchor);
        match found {
            Some(p) => Ok(Some(p)),
            // Not where the index said (it may lag behind the store): look it up by anchor.
            None => self.passage(id, anchor),
        }
    }

    fn summaries(&self) -> Result<Vec<DocSummary>> {
        self.docs
            .iter()
            .values()
            .map(|v| json(&v.map_err(store_err)?, "document record"))
            .collect()
    }

    fn remove(&self, id: &DocId) -> Result<Option<u64>> {
        let Some(old) = self.summary(id)? else {
            return Ok(None);
        };
        let g = self
            .trees()
            .transaction(|(docs, anchors_t, blocks_t, sources, hashes, meta)| {
                for n in 0..block_count(old.passages) {
                    blocks_t.remove(block_key(id, n))?;
                }
                docs.remove(id.as_str())?;
                anchors_t.remove(id.as_str())?;
                sources.remove(old.source.as_bytes())?;
                if hashes.get(old.content_hash.as_bytes())?.as_deref()
                    == Some(id.as_str().as_bytes())
                {
                    hashes.remove(old.content_hash.as_bytes())?;
                }
                Self::next_generation(meta)
            })
            .map_err(tx_err)?;
        self.flush()?;
        Ok(Some(g))
    }

    fn id_for_source(&self, source: &str) -> Result<Option<DocId>> {
        Ok(self
            .sources
            .get(source.as_bytes())
            .map_err(store_err)?
            .and_then(|v| DocId::parse(std::str::from_utf8(&v).ok()?)))
    }

    fn id_for_hash(&self, content_hash: &str) -> Result<Option<DocId>> {
        Ok(self
            .hashes
            .get(content_hash.as_bytes())
            .map_err(store_err)?
            .and_then(|v| DocId::parse(std::str::from_utf8(&v).ok()?)))
    }

    fn generation(&self) -> Result<u64> {
        Ok(self
            .db
            .get(GENERATION_KEY)
            .map_err(store_err)?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(0))
    }

    fn size_on_disk(&self) -> Result<u64> {
        let _ = &self.path;
        self.db.size_on_disk().map_err(store_err)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sled_store_contract_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        {
            let s = super::SledStore::open(&path).unwrap();
            super::super::contract::check(&s);
        }
        let s = super::SledStore::open(&path).unwrap();
        use super::DocumentStore;
        assert_eq!(s.summaries().unwrap().len(), 1);
        assert_eq!(s.generation().unwrap(), 4);
    }
}

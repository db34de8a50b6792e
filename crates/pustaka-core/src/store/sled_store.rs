//! [`DocumentStore`] on sled. sled's types stay in this file.

use std::path::{Path, PathBuf};

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{DocRecord, DocumentStore, decode_passage, encode_passage, passage_key};
use crate::error::{Error, Result};
use crate::model::{DocId, DocSummary, Document, Passage};

const SCHEMA_VERSION: u64 = 1;
const GENERATION_KEY: &[u8] = b"generation";
const SCHEMA_KEY: &[u8] = b"schema";

/// Documents on disk in a sled database.
pub struct SledStore {
    path: PathBuf,
    db: sled::Db,
    docs: sled::Tree,
    passages: sled::Tree,
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

impl SledStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<SledStore> {
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(64 * 1024 * 1024)
            .flush_every_ms(Some(1000))
            .open()
            .map_err(|e| Error::LibraryUnavailable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        match db.get(SCHEMA_KEY).map_err(store_err)? {
            None => {
                db.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(store_err)?;
            }
            Some(v) if v.as_ref() == SCHEMA_VERSION.to_be_bytes() => {}
            Some(_) => {
                return Err(Error::LibraryUnavailable {
                    path: path.to_path_buf(),
                    reason: "the library was written by a newer version of Pustaka".into(),
                });
            }
        }
        let tree = |name: &str| db.open_tree(name).map_err(store_err);
        Ok(SledStore {
            path: path.to_path_buf(),
            docs: tree("docs")?,
            passages: tree("passages")?,
            sources: tree("sources")?,
            hashes: tree("hashes")?,
            db,
        })
    }

    /// Every tree a document write touches, for one transaction over all of them.
    fn trees(
        &self,
    ) -> (
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
        &sled::Tree,
    ) {
        (
            &self.docs,
            &self.passages,
            &self.sources,
            &self.hashes,
            &self.db,
        )
    }

    fn record(&self, id: &DocId) -> Result<Option<DocRecord>> {
        match self.docs.get(id.as_str()).map_err(store_err)? {
            Some(v) => {
                Ok(Some(serde_json::from_slice(&v).map_err(|e| {
                    Error::Store(format!("damaged document record: {e}"))
                })?))
            }
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
        let old = self.record(&doc.id)?;
        let record = DocRecord {
            summary: doc.summary(),
            anchors: doc.passages.iter().map(|p| p.anchor.clone()).collect(),
        };
        let rec_bytes = serde_json::to_vec(&record).map_err(store_err)?;
        let encoded: Vec<(Vec<u8>, Vec<u8>)> = doc
            .passages
            .iter()
            .map(|p| Ok((passage_key(&doc.id, &p.anchor), encode_passage(p)?)))
            .collect::<Result<_>>()?;
        let g = self
            .trees()
            .transaction(|(docs, passages, sources, hashes, meta)| {
                if let Some(old) = &old {
                    for a in &old.anchors {
                        passages.remove(passage_key(&doc.id, a))?;
                    }
                    if old.summary.source != doc.source {
                        sources.remove(old.summary.source.as_bytes())?;
                    }
                    if old.summary.content_hash != doc.content_hash
                        && hashes.get(old.summary.content_hash.as_bytes())?.as_deref()
                            == Some(doc.id.as_str().as_bytes())
                    {
                        hashes.remove(old.summary.content_hash.as_bytes())?;
                    }
                }
                for (k, v) in &encoded {
                    passages.insert(k.as_slice(), v.as_slice())?;
                }
                docs.insert(doc.id.as_str(), rec_bytes.as_slice())?;
                sources.insert(doc.source.as_bytes(), doc.id.as_str())?;
                hashes.insert(doc.content_hash.as_bytes(), doc.id.as_str())?;
                Self::next_generation(meta)
            })
            .map_err(tx_err)?;
        self.flush()?;
        Ok(g)
    }

    fn get(&self, id: &DocId) -> Result<Option<Document>> {
        let Some(rec) = self.record(id)? else {
            return Ok(None);
        };
        let mut passages = Vec::with_capacity(rec.anchors.len());
        for a in &rec.anchors {
            let v = self
                .passages
                .get(passage_key(id, a))
                .map_err(store_err)?
                .ok_or_else(|| Error::Store(format!("passage {id}#{a} is missing")))?;
            passages.push(decode_passage(&v)?);
        }
        let s = rec.summary;
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
        Ok(self.record(id)?.map(|r| r.summary))
    }

    fn passage(&self, id: &DocId, anchor: &str) -> Result<Option<Passage>> {
        match self
            .passages
            .get(passage_key(id, anchor))
            .map_err(store_err)?
        {
            Some(v) => Ok(Some(decode_passage(&v)?)),
            None => Ok(None),
        }
    }

    fn summaries(&self) -> Result<Vec<DocSummary>> {
        self.docs
            .iter()
            .values()
            .map(|v| {
                let v = v.map_err(store_err)?;
                let rec: DocRecord = serde_json::from_slice(&v)
                    .map_err(|e| Error::Store(format!("damaged document record: {e}")))?;
                Ok(rec.summary)
            })
            .collect()
    }

    fn remove(&self, id: &DocId) -> Result<Option<u64>> {
        let Some(old) = self.record(id)? else {
            return Ok(None);
        };
        let g = self
            .trees()
            .transaction(|(docs, passages, sources, hashes, meta)| {
                for a in &old.anchors {
                    passages.remove(passage_key(id, a))?;
                }
                docs.remove(id.as_str())?;
                sources.remove(old.summary.source.as_bytes())?;
                if hashes.get(old.summary.content_hash.as_bytes())?.as_deref()
                    == Some(id.as_str().as_bytes())
                {
                    hashes.remove(old.summary.content_hash.as_bytes())?;
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

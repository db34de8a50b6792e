//! [`DocumentStore`] on sled. sled's types stay in this file.

use std::path::{Path, PathBuf};

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use std::collections::HashSet;

use super::blockfile::BlockFiles;
use super::{BLOCK_PASSAGES, DocumentStore};
use crate::error::{Error, Result};
use crate::model::{DocId, DocSummary, Document, Passage};

const SCHEMA_VERSION: u64 = 3;
const GENERATION_KEY: &[u8] = b"generation";
const SCHEMA_KEY: &[u8] = b"schema";

/// Documents on disk: metadata in a sled database, passages in block files.
/// Trees: `docs` (id → summary), `anchors` (id → the passages' anchors in order), `files`
/// (id → its passage file, see [`BlockFiles`]), `sources` and `hashes` (look-ups), and the
/// default tree (schema, generation).
pub struct SledStore {
    path: PathBuf,
    db: sled::Db,
    docs: sled::Tree,
    anchors: sled::Tree,
    files: sled::Tree,
    sources: sled::Tree,
    hashes: sled::Tree,
    blocks: BlockFiles,
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
    /// Opens (or creates) the store: the database at `path`, passage files in `passages`.
    pub fn open(path: &Path, passages: &Path) -> Result<SledStore> {
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
        let store = SledStore {
            path: path.to_path_buf(),
            docs: tree("docs")?,
            anchors: tree("anchors")?,
            files: tree("files")?,
            sources: tree("sources")?,
            hashes: tree("hashes")?,
            blocks: BlockFiles::open(passages)?,
            db,
        };
        let keep: HashSet<String> = store
            .files
            .iter()
            .values()
            .filter_map(|v| v.ok().and_then(|v| String::from_utf8(v.to_vec()).ok()))
            .collect();
        store.blocks.remove_orphans(&keep)?;
        Ok(store)
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
            &self.files,
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

    /// The passage at `ordinal` if its anchor is `anchor`.
    fn nth(&self, id: &DocId, ordinal: usize, anchor: &str) -> Result<Option<Passage>> {
        let Some(file) = self.file_of(id)? else {
            return Ok(None);
        };
        Ok(self
            .blocks
            .block(&file, ordinal / BLOCK_PASSAGES)?
            .and_then(|b| b.into_iter().nth(ordinal % BLOCK_PASSAGES))
            .filter(|p| p.anchor == anchor))
    }

    fn file_of(&self, id: &DocId) -> Result<Option<String>> {
        Ok(self
            .files
            .get(id.as_str())
            .map_err(store_err)?
            .and_then(|v| String::from_utf8(v.to_vec()).ok()))
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
        let old_file = self.file_of(&doc.id)?;
        let summary_bytes = serde_json::to_vec(&doc.summary()).map_err(store_err)?;
        let anchors: Vec<&str> = doc.passages.iter().map(|p| p.anchor.as_str()).collect();
        let anchor_bytes = serde_json::to_vec(&anchors).map_err(store_err)?;
        // The passages first, durably, under a new name; then the records that point to them.
        let file = BlockFiles::new_name(&doc.id, &doc.content_hash);
        self.blocks.write(&file, &doc.passages)?;
        let id = doc.id.as_str();
        let result = self
            .trees()
            .transaction(|(docs, anchors_t, files, sources, hashes, meta)| {
                if let Some(old) = &old {
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
                docs.insert(id, summary_bytes.as_slice())?;
                anchors_t.insert(id, anchor_bytes.as_slice())?;
                files.insert(id, file.as_bytes())?;
                sources.insert(doc.source.as_bytes(), id)?;
                hashes.insert(doc.content_hash.as_bytes(), id)?;
                Self::next_generation(meta)
            })
            .map_err(tx_err)
            .and_then(|g| self.flush().map(|_| g));
        match result {
            Ok(g) => {
                if let Some(f) = old_file {
                    self.blocks.delete(&f);
                }
                Ok(g)
            }
            Err(e) => {
                self.blocks.delete(&file);
                Err(e)
            }
        }
    }

    fn get(&self, id: &DocId) -> Result<Option<Document>> {
        let Some(s) = self.summary(id)? else {
            return Ok(None);
        };
        let file = self
            .file_of(id)?
            .ok_or_else(|| Error::Store(format!("the passages of {id} are missing")))?;
        let passages = self.blocks.all(&file)?;
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
        self.nth(id, ordinal, anchor)
    }

    fn passage_at(&self, id: &DocId, ordinal: usize, anchor: &str) -> Result<Option<Passage>> {
        match self.nth(id, ordinal, anchor)? {
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
        let old_file = self.file_of(id)?;
        let g = self
            .trees()
            .transaction(|(docs, anchors_t, files, sources, hashes, meta)| {
                docs.remove(id.as_str())?;
                anchors_t.remove(id.as_str())?;
                files.remove(id.as_str())?;
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
        if let Some(f) = old_file {
            self.blocks.delete(&f);
        }
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
        Ok(self.db.size_on_disk().map_err(store_err)? + self.blocks.size())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sled_store_contract_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        {
            let s = super::SledStore::open(&path, &dir.path().join("passages")).unwrap();
            super::super::contract::check(&s);
        }
        // A passage file left by a crash (written, never recorded) is swept on open.
        let passages = dir.path().join("passages");
        std::fs::write(passages.join("dstray-0000000000000000.pkb"), b"junk").unwrap();
        std::fs::write(passages.join("dstray.pkb.tmp"), b"junk").unwrap();
        let s = super::SledStore::open(&path, &passages).unwrap();
        assert_eq!(
            std::fs::read_dir(&passages).unwrap().count(),
            1,
            "only the live document's file remains"
        );
        use super::DocumentStore;
        assert_eq!(s.summaries().unwrap().len(), 1);
        assert_eq!(s.generation().unwrap(), 4);
    }
}

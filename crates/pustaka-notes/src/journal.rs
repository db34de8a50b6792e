//! The journal of recent changes: every batch written to the store since the last backup,
//! appended to one file and synced before the change is acknowledged.
//!
//! It is insurance against the storage engine. sled 0.34.7 can fail to reopen a store after
//! the process was killed in the middle of a write (seen about once in a few thousand kills
//! in `tests/faults.rs`; sled issues #1509 and #1533). The store is then rebuilt from the
//! newest backup, and the journal brings back every change made after that backup, so no
//! acknowledged change is lost. It also brings back changes the engine reopened without.
//!
//! Format: a sequence of records, each `length (u32 LE) · checksum (first 8 bytes of the
//! blake3 of the payload) · payload (JSON: generation and operations)`. A record cut short by
//! a kill, or one that fails its checksum, ends the journal: it and anything after it are
//! cut off when the journal is next opened. The journal is emptied after each backup that
//! holds everything in it.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use pustaka_core::{Error, Result};

use crate::store::{Op, Tree, UserStore};

const HEADER: usize = 4 + 8;
/// A record longer than this is taken for damage, not read.
const MAX_RECORD: usize = 1 << 30;

/// One batch as the store applied it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The store's generation after the batch.
    pub generation: u64,
    pub ops: Vec<Op>,
}

#[derive(Serialize, Deserialize)]
struct RecordJson {
    g: u64,
    ops: Vec<OpJson>,
}

#[derive(Serialize, Deserialize)]
struct OpJson {
    /// The tree's name.
    t: String,
    k: String,
    /// The value (our values are UTF-8 JSON); absent for a delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<String>,
}

fn encode(generation: u64, ops: &[Op]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        out.push(match op {
            Op::Put { tree, key, value } => OpJson {
                t: tree.name().into(),
                k: key.clone(),
                v: Some(String::from_utf8(value.clone()).map_err(|_| {
                    Error::Store(format!("record {key} in {} is not UTF-8", tree.name()))
                })?),
            },
            Op::Delete { tree, key } => OpJson {
                t: tree.name().into(),
                k: key.clone(),
                v: None,
            },
        });
    }
    let payload = serde_json::to_vec(&RecordJson {
        g: generation,
        ops: out,
    })
    .map_err(|e| Error::Store(e.to_string()))?;
    let mut rec = Vec::with_capacity(HEADER + payload.len());
    rec.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    rec.extend_from_slice(&blake3::hash(&payload).as_bytes()[..8]);
    rec.extend_from_slice(&payload);
    Ok(rec)
}

fn decode(payload: &[u8]) -> Option<Record> {
    let r: RecordJson = serde_json::from_slice(payload).ok()?;
    let mut ops = Vec::with_capacity(r.ops.len());
    for op in r.ops {
        let tree = Tree::from_name(&op.t)?;
        ops.push(match op.v {
            Some(v) => Op::Put {
                tree,
                key: op.k,
                value: v.into_bytes(),
            },
            None => Op::Delete { tree, key: op.k },
        });
    }
    Some(Record {
        generation: r.g,
        ops,
    })
}

/// The records of a journal's bytes, and the length of the good part.
fn parse(bytes: &[u8]) -> (Vec<Record>, usize) {
    let mut records = Vec::new();
    let mut at = 0;
    while bytes.len() - at >= HEADER {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default()) as usize;
        if len > MAX_RECORD || bytes.len() - at - HEADER < len {
            break;
        }
        let payload = &bytes[at + HEADER..at + HEADER + len];
        if blake3::hash(payload).as_bytes()[..8] != bytes[at + 4..at + HEADER] {
            break;
        }
        let Some(rec) = decode(payload) else { break };
        records.push(rec);
        at += HEADER + len;
    }
    (records, at)
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}

/// The journal file, open for appending.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

/// What opening the journal found.
pub struct Opened {
    pub journal: Journal,
    /// The records it held, oldest first.
    pub records: Vec<Record>,
    /// Bytes cut off its end (a record cut short by a kill, or damage).
    pub cut: u64,
}

impl Journal {
    /// Opens (or creates) the journal at `path`, reads its records and cuts off a damaged
    /// end, so that new records follow the last good one.
    pub fn open(path: &Path) -> Result<Opened> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io(format!("opening the journal {}", path.display())))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(io(format!("reading {}", path.display())))?;
        let (records, good) = parse(&bytes);
        let cut = (bytes.len() - good) as u64;
        if cut > 0 {
            file.set_len(good as u64)
                .and_then(|_| file.sync_all())
                .map_err(io(format!("repairing the journal {}", path.display())))?;
        }
        file.seek(SeekFrom::End(0))
            .map_err(io(format!("opening the journal {}", path.display())))?;
        Ok(Opened {
            journal: Journal {
                path: path.to_path_buf(),
                file: Mutex::new(file),
            },
            records,
            cut,
        })
    }

    /// Appends a batch the store applied as `generation`, and syncs it to disk. On failure
    /// the journal is cut back to where it was, so it never ends in a partial record.
    pub fn append(&self, generation: u64, ops: &[Op]) -> Result<()> {
        let rec = encode(generation, ops)?;
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let start = f
            .stream_position()
            .map_err(io(format!("writing the journal {}", self.path.display())))?;
        let written = f.write_all(&rec).and_then(|_| f.sync_data());
        if let Err(e) = written {
            let _ = f.set_len(start);
            let _ = f.seek(SeekFrom::Start(start));
            return Err(Error::Io {
                context: format!(
                    "writing the journal {} (is the disk full?)",
                    self.path.display()
                ),
                source: e,
            });
        }
        Ok(())
    }

    /// Empties the journal (after a backup that holds everything in it).
    pub fn clear(&self) -> Result<()> {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        f.set_len(0)
            .and_then(|_| f.seek(SeekFrom::Start(0)).map(|_| ()))
            .and_then(|_| f.sync_all())
            .map_err(io(format!("emptying the journal {}", self.path.display())))
    }
}

/// What a replay did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Batches applied.
    pub changes: u64,
    /// False when the journal did not start right after `after`, or skipped generations:
    /// some changes in between were not in it.
    pub complete: bool,
}

/// Applies, in order, the records written after generation `after` to `store`, keeping the
/// store's generation in step with the records'.
pub fn replay(store: &dyn UserStore, records: &[Record], after: u64) -> Result<Replayed> {
    let mut done = Replayed {
        changes: 0,
        complete: true,
    };
    let mut expected = after + 1;
    for rec in records.iter().filter(|r| r.generation > after) {
        if rec.generation != expected {
            done.complete = false;
        }
        let g = store.apply(&rec.ops)?;
        if g < rec.generation {
            store.raise_generation(rec.generation)?;
        }
        expected = rec.generation + 1;
        done.changes += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemUserStore;

    fn put(key: &str, value: &str) -> Op {
        Op::Put {
            tree: Tree::Annotations,
            key: key.into(),
            value: value.as_bytes().to_vec(),
        }
    }

    fn del(key: &str) -> Op {
        Op::Delete {
            tree: Tree::History,
            key: key.into(),
        }
    }

    #[test]
    fn records_read_back_in_order_and_clear_empties() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("notes").join("journal");
        let j = Journal::open(&path).unwrap();
        assert!(j.records.is_empty());
        j.journal.append(1, &[put("a", "{\"n\":1}")]).unwrap();
        j.journal
            .append(2, &[put("b", "«ĐẶNG» ภาษาไทย"), del("a/1")])
            .unwrap();
        drop(j);
        let again = Journal::open(&path).unwrap();
        assert_eq!(again.cut, 0);
        assert_eq!(
            again.records,
            vec![
                Record {
                    generation: 1,
                    ops: vec![put("a", "{\"n\":1}")]
                },
                Record {
                    generation: 2,
                    ops: vec![put("b", "«ĐẶNG» ภาษาไทย"), del("a/1")]
                },
            ]
        );
        // Appending after reopening continues the file.
        again.journal.append(3, &[put("c", "3")]).unwrap();
        assert_eq!(Journal::open(&path).unwrap().records.len(), 3);
        again.journal.clear().unwrap();
        assert_eq!(fs::metadata(&path).unwrap().len(), 0);
        again.journal.append(4, &[put("d", "4")]).unwrap();
        let after_clear = Journal::open(&path).unwrap();
        assert_eq!(after_clear.records.len(), 1);
        assert_eq!(after_clear.records[0].generation, 4);
    }

    #[test]
    fn a_cut_or_damaged_end_is_cut_off_and_writing_goes_on_after_the_good_part() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("journal");
        let j = Journal::open(&path).unwrap().journal;
        j.append(1, &[put("a", "1")]).unwrap();
        j.append(2, &[put("b", "2")]).unwrap();
        drop(j);
        let full = fs::read(&path).unwrap();
        for cut in 1..20 {
            // A record cut short, as a kill during the write leaves it.
            fs::write(&path, &full[..full.len() - cut]).unwrap();
            let o = Journal::open(&path).unwrap();
            assert_eq!(o.records.len(), 1, "cut {cut}");
            assert!(o.cut > 0);
            o.journal.append(2, &[put("b", "again")]).unwrap();
            let r = Journal::open(&path).unwrap();
            assert_eq!(r.cut, 0);
            assert_eq!(r.records.len(), 2, "cut {cut}");
            assert_eq!(r.records[1].ops, vec![put("b", "again")]);
        }
        // A flipped byte in the first record's payload: nothing after it is trusted.
        let mut bad = full.clone();
        bad[HEADER + 3] ^= 0x20;
        fs::write(&path, &bad).unwrap();
        let o = Journal::open(&path).unwrap();
        assert!(o.records.is_empty());
        assert_eq!(o.cut, full.len() as u64);
        // Garbage is never taken for a record.
        fs::write(&path, b"\xff\xff\xff\x7fnot a journal at all").unwrap();
        assert!(Journal::open(&path).unwrap().records.is_empty());
    }

    #[test]
    fn replay_applies_what_came_after_a_generation_and_notices_gaps() {
        let records: Vec<Record> = (1..=5)
            .map(|g| Record {
                generation: g,
                ops: vec![put(&format!("k{g}"), "v")],
            })
            .collect();
        let store = MemUserStore::new();
        store.apply(&[put("k1", "v")]).unwrap();
        store.apply(&[put("k2", "v")]).unwrap();
        let r = replay(&store, &records, 2).unwrap();
        assert_eq!(
            r,
            Replayed {
                changes: 3,
                complete: true
            }
        );
        assert_eq!(store.generation().unwrap(), 5);
        assert_eq!(store.count(Tree::Annotations).unwrap(), 5);

        // Records 2 and 3 missing after a restore of generation 1.
        let store = MemUserStore::new();
        store.apply(&[put("k1", "v")]).unwrap();
        let gappy = [records[3].clone(), records[4].clone()];
        let r = replay(&store, &gappy, 1).unwrap();
        assert_eq!(r.changes, 2);
        assert!(!r.complete);
        assert_eq!(store.generation().unwrap(), 5);
        assert!(store.get(Tree::Annotations, "k5").unwrap().is_some());
    }
}

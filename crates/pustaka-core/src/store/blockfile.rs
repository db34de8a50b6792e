//! Passage blocks in one immutable file per stored document version.
//!
//! Layout: `PKBLK001`, the number of blocks n (u32 LE), n + 1 offsets (u64 LE, from the
//! start of the file), then the blocks (each lz4-compressed JSON of up to
//! [`super::BLOCK_PASSAGES`] passages). A file is written to a temporary name, fsynced and
//! renamed before the store's transaction refers to it, so a crash leaves at worst an
//! unreferenced file, which [`BlockFiles::remove_orphans`] deletes.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{DocId, Passage};

use super::{BLOCK_PASSAGES, decode_block, encode_block};

const MAGIC: &[u8; 8] = b"PKBLK001";
const HEADER: u64 = 12;

pub struct BlockFiles {
    dir: PathBuf,
}

fn io(context: &str, e: std::io::Error) -> Error {
    Error::Store(format!("{context}: {e}"))
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, offset)
}

#[cfg(windows)]
fn read_at(f: &File, buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        let n = f.seek_read(&mut buf[done..], offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
        offset += n as u64;
    }
    Ok(())
}

impl BlockFiles {
    pub fn open(dir: &Path) -> Result<BlockFiles> {
        fs::create_dir_all(dir).map_err(|e| io("cannot create the passage folder", e))?;
        Ok(BlockFiles {
            dir: dir.to_path_buf(),
        })
    }

    /// A new, unique file name for a version of `id`.
    pub fn new_name(id: &DocId, content_hash: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let h = blake3::hash(
            format!("{id}\n{content_hash}\n{nanos}\n{}", std::process::id()).as_bytes(),
        );
        format!("{id}-{}.pkb", &h.to_hex()[..16])
    }

    /// Writes the passages durably under `name`.
    pub fn write(&self, name: &str, passages: &[Passage]) -> Result<()> {
        let blocks: Vec<Vec<u8>> = passages
            .chunks(BLOCK_PASSAGES)
            .map(encode_block)
            .collect::<Result<_>>()?;
        let n = blocks.len() as u64;
        let mut offset = HEADER + 8 * (n + 1);
        let mut buf =
            Vec::with_capacity(offset as usize + blocks.iter().map(Vec::len).sum::<usize>());
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&(n as u32).to_le_bytes());
        for b in &blocks {
            buf.extend_from_slice(&offset.to_le_bytes());
            offset += b.len() as u64;
        }
        buf.extend_from_slice(&offset.to_le_bytes());
        for b in &blocks {
            buf.extend_from_slice(b);
        }
        let tmp = self.dir.join(format!("{name}.tmp"));
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(|e| io("cannot write passages", e))?;
        f.write_all(&buf)
            .map_err(|e| io("cannot write passages", e))?;
        f.sync_all().map_err(|e| io("cannot write passages", e))?;
        drop(f);
        fs::rename(&tmp, self.dir.join(name)).map_err(|e| io("cannot write passages", e))?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// Block `b` of the file, or None when the file has fewer blocks.
    pub fn block(&self, name: &str, b: usize) -> Result<Option<Vec<Passage>>> {
        let f = File::open(self.dir.join(name)).map_err(|e| io("cannot read passages", e))?;
        let mut head = [0u8; HEADER as usize];
        read_at(&f, &mut head, 0).map_err(|e| io("damaged passage file", e))?;
        if &head[..8] != MAGIC {
            return Err(Error::Store(format!("damaged passage file {name}")));
        }
        let n = u32::from_le_bytes(head[8..12].try_into().expect("4 bytes")) as usize;
        if b >= n {
            return Ok(None);
        }
        let mut offs = [0u8; 16];
        read_at(&f, &mut offs, HEADER + 8 * b as u64).map_err(|e| io("damaged passage file", e))?;
        let start = u64::from_le_bytes(offs[..8].try_into().expect("8 bytes"));
        let end = u64::from_le_bytes(offs[8..].try_into().expect("8 bytes"));
        if end < start || end - start > 64 * 1024 * 1024 {
            return Err(Error::Store(format!("damaged passage file {name}")));
        }
        let mut data = vec![0u8; (end - start) as usize];
        read_at(&f, &mut data, start).map_err(|e| io("damaged passage file", e))?;
        decode_block(&data).map(Some)
    }

    /// All passages of the file, in order.
    pub fn all(&self, name: &str) -> Result<Vec<Passage>> {
        let mut out = Vec::new();
        let mut b = 0;
        while let Some(block) = self.block(name, b)? {
            out.extend(block);
            b += 1;
        }
        Ok(out)
    }

    /// Bytes of all passage files.
    pub fn size(&self) -> u64 {
        fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Deletes a file no longer referenced (errors are harmless: orphans are swept later).
    pub fn delete(&self, name: &str) {
        let _ = fs::remove_file(self.dir.join(name));
    }

    /// Deletes files that `keep` does not name (left by a crash between writing a file and
    /// recording it, or between replacing a record and deleting the old file).
    pub fn remove_orphans(&self, keep: &HashSet<String>) -> Result<usize> {
        let mut n = 0;
        for e in fs::read_dir(&self.dir).map_err(|e| io("cannot list passages", e))? {
            let Ok(e) = e else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) && (name.ends_with(".pkb") || name.ends_with(".tmp")) {
                self.delete(&name);
                n += 1;
            }
        }
        Ok(n)
    }
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

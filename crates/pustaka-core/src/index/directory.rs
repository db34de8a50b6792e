//! The index folder as tantivy sees it.
//!
//! tantivy's `MmapDirectory` maps every index file into the process. For the files a search
//! reads whole (term dictionaries, fieldnorms, fast fields) that is the right thing. The
//! postings, positions and document store are different: a search reads a few small ranges
//! here and there, yet each page fault maps in the pages around it too (the kernel's
//! fault-around, 64 KiB), so after a few hundred searches most of these files sat in the
//! app's memory (about 32 MiB of the 1 GB benchmark library's, measured with the desktop
//! `--perf` run). Those three are read with positioned reads instead (`pread`): a search
//! copies only the ranges it needs and drops them after; the file pages stay in the
//! system's file cache, shared and reclaimable, and are not mapped into the app.
//!
//! Everything else (writing, deleting, locks, the meta file, watching) is the
//! `MmapDirectory`'s.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// Extensions of the segment files read with positioned reads rather than mapped:
/// postings, positions and the document store.
const READ_IN_PIECES: [&str; 3] = ["idx", "pos", "store"];

/// A read that starts where the previous one ended reads this much at once, and the next
/// reads are served from it: a merge reads postings term after term, and a prefix query
/// the postings of neighbouring terms; one system call per term made merges ~20 % slower.
const READ_AHEAD: usize = 256 * 1024;

#[derive(Clone, Debug)]
pub(crate) struct IndexDirectory {
    root: PathBuf,
    mapped: MmapDirectory,
}

impl IndexDirectory {
    pub(crate) fn open(root: &Path) -> Result<IndexDirectory, String> {
        #[cfg(unix)]
        let mapped = MmapDirectory::open_with_madvice(root, tantivy::directory::Advice::Random);
        #[cfg(not(unix))]
        let mapped = MmapDirectory::open(root);
        let mapped = mapped.map_err(|e| format!("the search index cannot be opened ({e})"))?;
        Ok(IndexDirectory {
            root: root.to_path_buf(),
            mapped,
        })
    }
}

fn read_in_pieces(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| READ_IN_PIECES.contains(&e))
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !read_in_pieces(path) {
            return self.mapped.get_file_handle(path);
        }
        let file = match File::open(self.root.join(path)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(OpenReadError::FileDoesNotExist(path.to_path_buf()));
            }
            Err(e) => return Err(OpenReadError::wrap_io_error(e, path.to_path_buf())),
        };
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len();
        let len = usize::try_from(len).map_err(|_| {
            OpenReadError::wrap_io_error(
                io::Error::other("the file is too large for this machine"),
                path.to_path_buf(),
            )
        })?;
        Ok(Arc::new(PieceFile {
            file,
            len,
            ahead: Mutex::new(Ahead::default()),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// A segment file read range by range. Segment files never change once written, so the
/// length taken at opening stays true; an open file stays readable after tantivy deletes it
/// (on Unix), as a mapping would.
#[derive(Debug)]
struct PieceFile {
    file: File,
    len: usize,
    ahead: Mutex<Ahead>,
}

/// Where the last read ended, and the bytes read ahead after a sequential read.
#[derive(Debug, Default)]
struct Ahead {
    last_end: usize,
    start: usize,
    bytes: Option<OwnedBytes>,
}

impl HasLen for PieceFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PieceFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("range {range:?} outside a file of {} bytes", self.len),
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
        let sequential = range.start == ahead.last_end;
        ahead.last_end = range.end;
        if let Some(bytes) = &ahead.bytes
            && range.start >= ahead.start
            && range.end <= ahead.start + bytes.len()
        {
            // A slice of the bytes read ahead: shared, not copied.
            return Ok(bytes.slice(range.start - ahead.start..range.end - ahead.start));
        }
        if sequential && range.len() < READ_AHEAD {
            let end = self.len.min(range.start + READ_AHEAD);
            let bytes = self.read_exact(range.start..end)?;
            let out = bytes.slice(0..range.len());
            ahead.start = range.start;
            ahead.bytes = Some(bytes);
            return Ok(out);
        }
        drop(ahead);
        self.read_exact(range)
    }
}

impl PieceFile {
    fn read_exact(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut buf = vec![0u8; range.len()];
        read_exact_at(&self.file, &mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn pieces_are_read_and_the_rest_is_mapped() {
        let tmp = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..600_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for name in ["a.idx", "a.term"] {
            let mut f = File::create(tmp.path().join(name)).unwrap();
            f.write_all(&data).unwrap();
        }
        let dir = IndexDirectory::open(tmp.path()).unwrap();
        for name in ["a.idx", "a.term"] {
            let h = dir.get_file_handle(Path::new(name)).unwrap();
            assert_eq!(h.len(), data.len());
            assert_eq!(
                h.read_bytes(5000..70_001).unwrap().as_slice(),
                &data[5000..70_001]
            );
            assert!(h.read_bytes(10..10).unwrap().is_empty());
        }
        // Reads one after the other, as a merge makes them: served from the bytes read
        // ahead, and still exactly the file's bytes, up to its end.
        let seq = dir.get_file_handle(Path::new("a.idx")).unwrap();
        let mut at = 0;
        // Within the first window, across its end (read ahead again), larger than a window
        // (read as asked), then the rest.
        for step in [
            3usize, 1, 4000, 1, 5, 9000, 26, 50_000, 199_000, 200, 300_000, 1, 37_763,
        ] {
            assert_eq!(
                seq.read_bytes(at..at + step).unwrap().as_slice(),
                &data[at..at + step]
            );
            at += step;
        }
        assert_eq!(at, data.len());
        assert_eq!(seq.read_bytes(17..40).unwrap().as_slice(), &data[17..40]);
        let piece = dir.get_file_handle(Path::new("a.idx")).unwrap();
        assert!(format!("{piece:?}").contains("PieceFile"));
        assert!(piece.read_bytes(599_999..600_001).is_err());
        assert!(matches!(
            dir.get_file_handle(Path::new("missing.pos")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}

//! One writer per library: an exclusive OS file lock on `library.lock`, released by the OS
//! when the process ends, however it ends.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct LibraryLock {
    _file: File,
    path: PathBuf,
}

impl LibraryLock {
    pub fn acquire(root: &Path) -> Result<LibraryLock> {
        let path = root.join("library.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::LibraryUnavailable {
                path: root.to_path_buf(),
                reason: format!("cannot create its lock file: {e}"),
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::LibraryInUse {
                    path: root.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::LibraryUnavailable {
                    path: root.to_path_buf(),
                    reason: format!("cannot lock it: {e}"),
                });
            }
        }
        // Note who holds it, for people looking at the folder.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = writeln!(file, "{}", std::process::id());
        let _ = file.sync_data();
        Ok(LibraryLock { _file: file, path })
    }

    /// The pid written by the holder, if readable (for messages).
    #[allow(dead_code)]
    pub fn holder(root: &Path) -> Option<u32> {
        let mut s = String::new();
        File::open(root.join("library.lock"))
            .ok()?
            .read_to_string(&mut s)
            .ok()?;
        s.trim().parse().ok()
    }

    #[allow(dead_code)]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

//! One writer per library: an exclusive OS file lock on `library.lock`, released by the OS
//! when the process ends, however it ends.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct LibraryLock {
    _file: File,
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
        // A process that is closing the library may hold the lock for a moment longer; wait
        // briefly, never indefinitely.
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(1500);
        loop {
            match file.try_lock() {
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => break lock_result(other, root)?,
            }
        }
        // Note who holds it, for people looking at the folder.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = writeln!(file, "{}", std::process::id());
        let _ = file.sync_data();
        Ok(LibraryLock { _file: file })
    }
}

fn lock_result(r: std::result::Result<(), std::fs::TryLockError>, root: &Path) -> Result<()> {
    match r {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::LibraryInUse {
            path: root.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::LibraryUnavailable {
            path: root.to_path_buf(),
            reason: format!("cannot lock it: {e}"),
        }),
    }
}

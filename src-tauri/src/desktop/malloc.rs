//! Keeping glibc's malloc from holding memory the app no longer uses (Linux).
//!
//! Each command runs on one of Tokio's blocking threads, and glibc gives threads their own
//! arenas, which keep what was freed in them. Two arenas serve this app's few concurrent
//! commands as well as one per thread, and once the app has been quiet for a moment the
//! free memory of all arenas goes back to the system, on a thread of its own, when nobody
//! waits. Measured on the 1 GB library (`make bench-desktop`), the arena limit alone (as
//! `MALLOC_ARENA_MAX`) saved about 2.5 MiB; the trim is what `malloc_trim` run by hand
//! after a typing session gave back (about 4 MiB); keystroke latency did not change.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// At most this many malloc arenas (glibc's default is eight per core).
const ARENAS: i32 = 2;

/// Sets the arena limit; call first, before other threads start.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; called before other threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

/// Returns malloc's free memory to the system once no command has run for `quiet`.
#[derive(Clone)]
pub struct IdleTrim {
    tx: Option<mpsc::Sender<()>>,
    /// Trims so far (what the tests watch).
    #[cfg_attr(not(test), allow(dead_code))]
    trims: Arc<AtomicUsize>,
}

impl IdleTrim {
    pub fn start(quiet: Duration) -> IdleTrim {
        let trims = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel::<()>();
        let counter = trims.clone();
        let spawned = std::thread::Builder::new()
            .name("pustaka-trim".into())
            .spawn(move || {
                // Wait for some activity, then for `quiet` without any.
                while rx.recv().is_ok() {
                    loop {
                        match rx.recv_timeout(quiet) {
                            Ok(()) => continue,
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    trim();
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
        IdleTrim {
            tx: spawned.ok().map(|_| tx),
            trims,
        }
    }

    /// Something ran: trim once things are quiet again.
    pub fn poke(&self) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(());
        }
    }

    /// How many times memory was trimmed so far.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn trims(&self) -> usize {
        self.trims.load(Ordering::SeqCst)
    }
}

fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe; it only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn wait_for(f: impl Fn() -> bool) -> bool {
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if f() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn trims_once_after_a_burst_and_not_before_any_activity() {
        let t = IdleTrim::start(Duration::from_millis(200));
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(t.trims(), 0, "nothing ran yet");
        for _ in 0..50 {
            t.poke();
        }
        assert!(wait_for(|| t.trims() == 1));
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(t.trims(), 1, "one burst, one trim");
        t.poke();
        assert!(wait_for(|| t.trims() == 2));
    }
}

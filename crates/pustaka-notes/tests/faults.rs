//! Fault tests of the notes store, in real processes (this binary runs itself as the child).
//!
//! - crash: a writer process adds, edits and deletes annotations and says so on stdout after
//!   each call returns; it is killed with SIGKILL at a random moment, again and again on the
//!   same store. After each kill the store must open and verify (checksums, counts), and
//!   every acknowledged change must be there. When sled cannot reopen its files after a kill
//!   (it happens with 0.34.7, rarely), the store is rebuilt from the newest backup plus the
//!   journal of later changes; the run reports how often that was needed, and it too must
//!   lose nothing. The number of kills is `PUSTAKA_CRASH_KILLS` (default 150;
//!   `make soak-notes` runs 1,000).
//!
//! Run as `cargo test -p pustaka-notes --test faults`.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pustaka_notes::{
    AnnotationId, Changes, Color, NewAnnotation, Notes, NotesConfig, NotesNotice, Selection,
};

fn config(dir: &Path) -> NotesConfig {
    let mut cfg = NotesConfig::in_library(dir);
    // Backups often, so kills also land inside backup writes.
    cfg.backup_every_writes = 7;
    cfg
}

/// A small, seedable generator (xorshift64*), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn new_note(doc: &pustaka_core::Document, note: String) -> NewAnnotation {
    NewAnnotation {
        doc_id: doc.id.clone(),
        anchor: "art-16".into(),
        at: Selection::Quote("preferential treatment".into()),
        note,
        tags: vec!["crash".into()],
        color: Color::Green,
        motivation: None,
        author: "writer".into(),
    }
}

/// The writer: `faults --crash-child DIR SEED`.
fn crash_child(dir: &Path, seed: u64) {
    let notes = Notes::open(config(dir)).expect("the store opens in the writer");
    let doc = common::convention();
    let mut rng = Rng(seed | 1);
    let mut mine: Vec<AnnotationId> = notes
        .list(&Default::default())
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut n = 0u64;
    loop {
        n += 1;
        let roll = rng.below(10);
        let text = format!("n{seed}-{n}");
        if roll < 6 || mine.is_empty() {
            println!("begin add");
            let a = notes.add(&doc, new_note(&doc, text.clone())).expect("add");
            println!("ack add {} {text}", a.id);
            mine.push(a.id);
        } else if roll < 9 {
            let id = mine[rng.below(mine.len() as u64) as usize].clone();
            println!("begin edit {id} {text}");
            notes
                .edit(
                    &id,
                    Changes {
                        note: Some(text.clone()),
                        ..Default::default()
                    },
                )
                .expect("edit");
            println!("ack edit {id} {text}");
        } else {
            let ix = rng.below(mine.len() as u64) as usize;
            let id = mine.swap_remove(ix);
            println!("begin delete {id}");
            notes.delete(&id).expect("delete");
            println!("ack delete {id}");
        }
    }
}

/// What the parent knows: for each id, the acknowledged note (None = deleted), and the
/// change that was under way when the writer was killed.
#[derive(Default)]
struct Expect {
    acked: HashMap<String, Option<String>>,
    /// Reopenings that needed the backup and the journal, or the journal alone.
    restored: Vec<String>,
}

fn crash(kills: usize) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = tmp.path().to_path_buf();
    let result = crash_in(&dir, kills);
    if result.is_err() {
        // Keep the store that failed, for a post-mortem.
        let kept = tmp.keep();
        println!("crash: the store is kept in {}", kept.display());
    }
    result
}

fn crash_in(dir: &Path, kills: usize) -> Result<(), String> {
    let dir = dir.to_path_buf();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let seed0 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(42);
    println!("crash: {kills} kills, seed {seed0}");
    let mut rng = Rng(seed0 | 1);
    let mut expect = Expect::default();
    let mut acked_total = 0usize;
    let started = Instant::now();
    for round in 0..kills {
        let seed = rng.next();
        let mut child = Command::new(&exe)
            .arg("--crash-child")
            .arg(&dir)
            .arg(seed.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Kill after a random number of acknowledged writes (0–40) or a random time,
        // whichever comes first, so kills land in opening, writing and backing up.
        let acks_before_kill = rng.below(41) as usize;
        let deadline = Instant::now() + Duration::from_millis(20 + rng.below(400));
        let mut lines = Vec::new();
        let mut acks = 0;
        while acks < acks_before_kill && Instant::now() < deadline {
            match rx.recv_timeout(Duration::from_millis(5)) {
                Ok(l) => {
                    if l.starts_with("ack ") {
                        acks += 1;
                    }
                    lines.push(l);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Ok(Some(status)) = child.try_wait() {
                        let mut err = String::new();
                        if let Some(mut e) = child.stderr.take() {
                            use std::io::Read;
                            let _ = e.read_to_string(&mut err);
                        }
                        return Err(format!(
                            "round {round}: the writer exited by itself ({status}): {err}"
                        ));
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        // SIGKILL: no destructor, no flush, no backup on close.
        child.kill().map_err(|e| e.to_string())?;
        let _ = child.wait();
        let _ = reader.join();
        lines.extend(rx.try_iter());
        // Everything acknowledged before the kill.
        let mut in_flight: Option<(String, Option<String>)> = None;
        for l in &lines {
            let parts: Vec<&str> = l.split(' ').collect();
            match parts.as_slice() {
                ["ack", "add", id, note] => {
                    expect.acked.insert(id.to_string(), Some(note.to_string()));
                    in_flight = None;
                    acked_total += 1;
                }
                ["ack", "edit", id, note] => {
                    expect.acked.insert(id.to_string(), Some(note.to_string()));
                    in_flight = None;
                    acked_total += 1;
                }
                ["ack", "delete", id] => {
                    expect.acked.insert(id.to_string(), None);
                    in_flight = None;
                    acked_total += 1;
                }
                ["begin", "edit", id, note] => {
                    in_flight = Some((id.to_string(), Some(note.to_string())))
                }
                ["begin", "delete", id] => in_flight = Some((id.to_string(), None)),
                ["begin", "add"] => in_flight = None,
                _ => {}
            }
        }
        check(&dir, &mut expect, in_flight.as_ref(), round)?;
    }
    println!(
        "crash: {kills} kills, {acked_total} acknowledged writes, all present; {} reopenings needed the backup or the journal; {:.1} s",
        expect.restored.len(),
        started.elapsed().as_secs_f64()
    );
    for r in &expect.restored {
        println!("crash:   {r}");
    }
    Ok(())
}

/// Opens the store as the app would and checks it against what was acknowledged.
fn check(
    dir: &Path,
    expect: &mut Expect,
    in_flight: Option<&(String, Option<String>)>,
    round: usize,
) -> Result<(), String> {
    let notes = Notes::open(config(dir)).map_err(|e| format!("round {round}: open: {e}"))?;
    for notice in notes.notices() {
        match notice {
            NotesNotice::Restored { journal, .. } | NotesNotice::CaughtUp { journal }
                if journal.complete =>
            {
                expect.restored.push(format!("round {round}: {notice}"));
            }
            other => {
                return Err(format!(
                    "round {round}: the store could not be made whole after a kill: {other}"
                ));
            }
        }
    }
    notes
        .verify()
        .map_err(|e| format!("round {round}: verify: {e}"))?;
    let mut landed = None;
    for (id, want) in &expect.acked {
        let got = notes
            .get(&AnnotationId::parse(id).ok_or("bad id")?)
            .map(|a| a.note);
        let flight = in_flight.filter(|f| f.0 == *id).map(|f| &f.1);
        if got.as_ref() == want.as_ref() {
            continue;
        }
        if flight.is_some_and(|f| got.as_ref() == f.as_ref()) {
            // The change under way when the writer died reached the disk: from now on it
            // is what must be there.
            landed = Some((id.clone(), got));
            continue;
        }
        return Err(format!(
            "round {round}: annotation {id}: acknowledged {want:?}, found {got:?}"
        ));
    }
    if let Some((id, got)) = landed {
        expect.acked.insert(id, got);
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--crash-child") {
        crash_child(Path::new(&args[2]), args[3].parse().unwrap_or(1));
        return;
    }
    let filter: Option<&str> = args[1..]
        .iter()
        .map(String::as_str)
        .find(|a| !a.starts_with('-'));
    let kills = std::env::var("PUSTAKA_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    type Case = Box<dyn Fn() -> Result<(), String>>;
    let cases: Vec<(&str, Case)> = vec![("crash", Box::new(move || crash(kills)))];
    let mut failed = 0;
    let mut ran = 0;
    for (name, case) in cases {
        if filter.is_some_and(|f| !name.contains(f)) {
            continue;
        }
        ran += 1;
        match case() {
            Ok(()) => println!("test {name} ... ok"),
            Err(e) => {
                println!("test {name} ... FAILED: {e}");
                failed += 1;
            }
        }
    }
    if ran == 0 {
        eprintln!("no test matches {filter:?}");
        std::process::exit(1);
    }
    if failed > 0 {
        std::process::exit(1);
    }
}

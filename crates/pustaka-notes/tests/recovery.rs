//! A damaged notes store (truncated, bytes flipped, files missing) is moved aside, never
//! deleted, and the newest good backup restored, with a notice saying so.

mod common;

use std::path::{Path, PathBuf};

use pustaka_notes::{Color, NewAnnotation, Notes, NotesConfig, NotesNotice, Selection};

fn setup(n: usize) -> (tempfile::TempDir, NotesConfig, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = NotesConfig::in_library(tmp.path());
    let doc = common::convention();
    let mut ids = Vec::new();
    {
        let notes = Notes::open(cfg.clone()).unwrap();
        for i in 0..n {
            let a = notes
                .add(
                    &doc,
                    NewAnnotation {
                        doc_id: doc.id.clone(),
                        anchor: "art-16".into(),
                        at: Selection::Quote("preferential treatment".into()),
                        note: format!("note {i}: {}", "context ".repeat(40)),
                        tags: vec!["ifcd".into()],
                        color: Color::Yellow,
                        motivation: None,
                        author: "Trainer".into(),
                    },
                )
                .unwrap();
            ids.push(a.id.to_string());
        }
        // Closing writes a backup of the final state.
    }
    (tmp, cfg, ids)
}

fn assert_restored(cfg: &NotesConfig, ids: &[String], what: &str) {
    let notes = Notes::open(cfg.clone()).unwrap_or_else(|e| panic!("{what}: open failed: {e}"));
    let notice = notes
        .notices()
        .first()
        .unwrap_or_else(|| panic!("{what}: no notice: the damage went unnoticed"))
        .clone();
    match &notice {
        NotesNotice::Restored {
            moved_to,
            annotations,
            ..
        } => {
            assert_eq!(*annotations as usize, ids.len(), "{what}");
            if let Some(m) = moved_to {
                assert!(m.exists(), "{what}: the damaged files must be kept");
                assert!(
                    m.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("store.damaged-"),
                    "{what}"
                );
            }
        }
        other => panic!("{what}: expected a restore, got {other:?}"),
    }
    let text = notice.to_string();
    assert!(text.contains("restored from the backup"), "{text}");
    for id in ids {
        assert!(
            notes
                .get(&pustaka_notes::AnnotationId::parse(id).unwrap())
                .is_some(),
            "{what}: {id} lost"
        );
    }
    notes.verify().unwrap();
    drop(notes);
    // And the restored store opens cleanly afterwards.
    let again = Notes::open(cfg.clone()).unwrap();
    assert!(again.notices().is_empty(), "{what}: {:?}", again.notices());
    assert_eq!(again.count(), ids.len());
}

/// Snapshots would let the engine rebuild from them; removing them makes damage bite.
fn remove_snapshots(store: &Path) {
    for p in files(store) {
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("snap.")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
}

/// Cuts the engine's file to a third of its length.
fn cut_store(store: &Path) {
    let db = store.join("db");
    let len = std::fs::metadata(&db).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 3).unwrap();
    remove_snapshots(store);
}

/// Damages the engine's files beyond its own repair. (Cut short, they may reopen silently
/// without their last changes instead: the journal catches those up, see below.)
fn break_store(store: &Path) {
    std::fs::write(store.join("db"), b"not a database at all").unwrap();
    remove_snapshots(store);
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn a_truncated_store_is_restored_from_backup() {
    let (_t, cfg, ids) = setup(40);
    cut_store(&cfg.store_dir());
    assert_restored(&cfg, &ids, "truncated");
}

#[test]
fn flipped_bytes_are_noticed_and_restored() {
    let (_t, cfg, ids) = setup(40);
    for p in files(&cfg.store_dir()) {
        let mut bytes = std::fs::read(&p).unwrap();
        if bytes.len() < 64 {
            continue;
        }
        // Flip a byte every 97 bytes past the file's first 32.
        let mut i = 32;
        while i < bytes.len() {
            bytes[i] ^= 0x5a;
            i += 97;
        }
        std::fs::write(&p, &bytes).unwrap();
    }
    assert_restored(&cfg, &ids, "flipped");
}

#[test]
fn missing_store_files_are_restored_from_backup() {
    let (_t, cfg, ids) = setup(10);
    std::fs::remove_file(cfg.store_dir().join("db")).unwrap();
    assert_restored(&cfg, &ids, "db file missing");
}

#[test]
fn a_missing_store_folder_is_restored_from_backup() {
    let (_t, cfg, ids) = setup(10);
    std::fs::remove_dir_all(cfg.store_dir()).unwrap();
    assert_restored(&cfg, &ids, "store folder missing");
}

#[test]
fn without_a_backup_the_damaged_store_is_kept_and_the_user_told() {
    let (_t, cfg, _ids) = setup(10);
    std::fs::remove_dir_all(cfg.backup_dir()).unwrap();
    break_store(&cfg.store_dir());
    let notes = Notes::open(cfg.clone()).unwrap();
    match notes.notices().first() {
        Some(NotesNotice::StartedEmpty {
            moved_to: Some(m), ..
        }) => {
            // The storage engine may have written to them while trying to open them, but the
            // files are kept, moved aside.
            assert!(m.join("db").exists(), "the old files are kept");
        }
        other => panic!("expected StartedEmpty with the old files kept, got {other:?}"),
    }
    assert!(notes.notices()[0].to_string().contains("kept in"));
}

#[test]
fn backups_rotate_and_the_newest_holds_the_last_write() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = NotesConfig::in_library(tmp.path());
    cfg.keep_backups = 3;
    cfg.backup_every_writes = 1;
    let doc = common::convention();
    let notes = Notes::open(cfg.clone()).unwrap();
    for i in 0..6 {
        notes
            .add(
                &doc,
                NewAnnotation {
                    doc_id: doc.id.clone(),
                    anchor: "art-17".into(),
                    at: Selection::Quote("assistance".into()),
                    note: format!("n{i}"),
                    tags: vec![],
                    color: Color::Blue,
                    motivation: None,
                    author: String::new(),
                },
            )
            .unwrap();
    }
    let list = pustaka_notes::backup::list(&cfg.backup_dir());
    assert_eq!(list.len(), 3);
    let newest = pustaka_notes::backup::read(&list[0]).unwrap();
    assert_eq!(newest.annotations, 6);
    assert!(notes.backup_problem().is_none());
}

#[test]
fn a_full_disk_fails_the_write_visibly_and_the_store_still_opens() {
    let (tmp, mut cfg, ids) = setup(3);
    // Ask for more free space than the disk has: to the store, the disk is full.
    let free = fs4::available_space(tmp.path()).unwrap();
    cfg.min_free_bytes = free + 1024 * 1024 * 1024;
    let doc = common::convention();
    {
        let notes = Notes::open(cfg.clone()).unwrap();
        let err = notes
            .add(
                &doc,
                NewAnnotation {
                    doc_id: doc.id.clone(),
                    anchor: "art-16".into(),
                    at: Selection::Quote("artists".into()),
                    note: "written on a full disk".into(),
                    tags: vec![],
                    color: Color::Pink,
                    motivation: None,
                    author: String::new(),
                },
            )
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("disk") && msg.contains("full"), "{msg}");
        assert!(msg.contains("nothing was changed"), "{msg}");
        assert_eq!(notes.count(), ids.len());
        let id = pustaka_notes::AnnotationId::parse(&ids[0]).unwrap();
        assert!(notes.delete(&id).is_err(), "deletes fail too");
        assert!(notes.get(&id).is_some());
    }
    cfg.min_free_bytes = 0;
    let notes = Notes::open(cfg).unwrap();
    assert!(notes.notices().is_empty());
    assert_eq!(notes.count(), ids.len());
    notes.verify().unwrap();
}

/// A session whose last backup is long behind: backups only on the first write and on close.
fn rare_backups(dir: &Path) -> NotesConfig {
    let mut cfg = NotesConfig::in_library(dir);
    cfg.backup_every_writes = 10_000;
    cfg.backup_interval = std::time::Duration::from_secs(24 * 3600);
    cfg
}

fn note(doc: &pustaka_core::Document, text: String) -> NewAnnotation {
    NewAnnotation {
        doc_id: doc.id.clone(),
        anchor: "art-16".into(),
        at: Selection::Quote("preferential treatment".into()),
        note: text,
        tags: vec!["journal".into()],
        color: Color::Green,
        motivation: None,
        author: "Trainer".into(),
    }
}

/// Copies a folder as it is on disk now: what a kill at this moment would leave behind
/// (every acknowledged write is flushed before it is acknowledged).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A session with rare backups that adds `n` annotations and is then killed: returns the
/// notes as the kill left them on disk.
fn killed_after_adds(
    n: usize,
) -> (
    tempfile::TempDir,
    NotesConfig,
    Vec<pustaka_notes::AnnotationId>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let crashed = tmp.path().join("crashed");
    let doc = common::convention();
    let mut ids = Vec::new();
    {
        let notes = Notes::open(rare_backups(&live)).unwrap();
        for i in 0..n {
            ids.push(notes.add(&doc, note(&doc, format!("note {i}"))).unwrap().id);
        }
        copy_dir(&live.join("notes"), &crashed.join("notes"));
    }
    let cfg = rare_backups(&crashed);
    (tmp, cfg, ids)
}

#[test]
fn changes_after_the_last_backup_come_back_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let crashed = tmp.path().join("crashed");
    let doc = common::convention();
    let mut want = std::collections::BTreeMap::new();
    {
        let notes = Notes::open(rare_backups(&live)).unwrap();
        for i in 0..30 {
            let a = notes.add(&doc, note(&doc, format!("note {i}"))).unwrap();
            want.insert(a.id.to_string(), format!("note {i}"));
        }
        let ids: Vec<String> = want.keys().cloned().collect();
        for id in &ids[..5] {
            let id = pustaka_notes::AnnotationId::parse(id).unwrap();
            let edited = format!("edited {id}");
            notes
                .edit(
                    &id,
                    pustaka_notes::Changes {
                        note: Some(edited.clone()),
                        ..Default::default()
                    },
                )
                .unwrap();
            want.insert(id.to_string(), edited);
        }
        let gone = pustaka_notes::AnnotationId::parse(&ids[29]).unwrap();
        notes.delete(&gone).unwrap();
        want.remove(&ids[29]);
        // Only the first write was backed up: 35 changes since are in the journal alone.
        let backups = pustaka_notes::backup::list(&rare_backups(&live).backup_dir());
        assert_eq!(backups.len(), 1);
        assert_eq!(
            pustaka_notes::backup::read(&backups[0])
                .unwrap()
                .annotations,
            1
        );
        // The app is killed here, and the engine cannot reopen its files afterwards.
        copy_dir(&live.join("notes"), &crashed.join("notes"));
    }
    let cfg = rare_backups(&crashed);
    break_store(&cfg.store_dir());
    let notes = Notes::open(cfg.clone()).unwrap();
    match notes.notices() {
        [
            NotesNotice::Restored {
                journal,
                annotations,
                moved_to: Some(m),
                ..
            },
        ] => {
            assert_eq!(journal.changes, 35);
            assert!(journal.complete);
            assert_eq!(*annotations, 29);
            assert!(m.join("db").exists(), "the damaged files are kept");
        }
        other => panic!("expected a restore with the journal, got {other:?}"),
    }
    let text = notes.notices()[0].to_string();
    assert!(text.contains("with the 35 changes made after it"), "{text}");
    assert!(!text.contains("could not be recovered"), "{text}");
    assert_eq!(notes.count(), want.len());
    for (id, text) in &want {
        let got = notes
            .get(&pustaka_notes::AnnotationId::parse(id).unwrap())
            .unwrap_or_else(|| panic!("{id} lost"));
        assert_eq!(&got.note, text);
    }
    notes.verify().unwrap();
    // The history of the edits came back too.
    let first = pustaka_notes::AnnotationId::parse(want.keys().next().unwrap()).unwrap();
    assert!(!notes.history(&first).unwrap().is_empty());
    drop(notes);
    let again = Notes::open(cfg.clone()).unwrap();
    assert!(again.notices().is_empty(), "{:?}", again.notices());
    assert_eq!(again.count(), want.len());
    // The backup taken after the recovery holds everything: the journal is empty again.
    assert_eq!(std::fs::metadata(cfg.journal_path()).unwrap().len(), 0);
}

#[test]
fn a_store_that_reopens_without_its_last_changes_catches_up_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = rare_backups(tmp.path());
    let doc = common::convention();
    let early = tmp.path().join("early-store");
    let journal = tmp.path().join("journal-at-kill");
    let mut ids = Vec::new();
    {
        let notes = Notes::open(cfg.clone()).unwrap();
        for i in 0..10 {
            ids.push(
                notes
                    .add(&doc, note(&doc, format!("early {i}")))
                    .unwrap()
                    .id,
            );
        }
        // The engine's files as of the 10th change…
        copy_dir(&cfg.store_dir(), &early);
        for i in 0..10 {
            ids.push(notes.add(&doc, note(&doc, format!("late {i}"))).unwrap().id);
        }
        // …and the journal as of the 20th, when the app is killed.
        std::fs::copy(cfg.journal_path(), &journal).unwrap();
    }
    // The engine reopens as of the 10th change; the backups written later never were.
    std::fs::remove_dir_all(cfg.store_dir()).unwrap();
    copy_dir(&early, &cfg.store_dir());
    std::fs::copy(&journal, cfg.journal_path()).unwrap();
    for b in pustaka_notes::backup::list(&cfg.backup_dir()) {
        if pustaka_notes::backup::read(&b).unwrap().generation > 10 {
            std::fs::remove_file(b).unwrap();
        }
    }
    let notes = Notes::open(cfg.clone()).unwrap();
    match notes.notices() {
        [NotesNotice::CaughtUp { journal }] => {
            assert_eq!(journal.changes, 10);
            assert!(journal.complete);
        }
        other => panic!("expected the journal to catch the store up, got {other:?}"),
    }
    assert!(notes.notices()[0].to_string().contains("last 10 change"));
    for id in &ids {
        assert!(notes.get(id).is_some(), "{id} lost");
    }
    assert_eq!(notes.store().generation().unwrap(), 20);
    notes.verify().unwrap();
    drop(notes);
    let again = Notes::open(cfg).unwrap();
    assert!(again.notices().is_empty(), "{:?}", again.notices());
    assert_eq!(again.count(), 20);
}

#[test]
fn without_the_backup_the_journal_alone_is_replayed_and_the_gap_told() {
    let (_tmp, cfg, _ids) = killed_after_adds(8);
    break_store(&cfg.store_dir());
    std::fs::remove_dir_all(cfg.backup_dir()).unwrap();
    let notes = Notes::open(cfg).unwrap();
    match notes.notices() {
        [NotesNotice::StartedEmpty { journal, .. }] => {
            // The first change was in the lost backup only.
            assert_eq!(journal.changes, 7);
            assert!(!journal.complete);
        }
        other => panic!("expected a start from the journal, got {other:?}"),
    }
    let text = notes.notices()[0].to_string();
    assert!(text.contains("7 recent changes"), "{text}");
    assert!(text.contains("could not be recovered"), "{text}");
    assert_eq!(notes.count(), 7);
    notes.verify().unwrap();
}

#[test]
fn an_engine_file_cut_short_loses_nothing_acknowledged() {
    let (_tmp, cfg, ids) = killed_after_adds(30);
    cut_store(&cfg.store_dir());
    // sled reopens such files without complaint, holding fewer changes (or fails to open
    // them); either way the journal brings the rest back, and the user is told.
    let notes = Notes::open(cfg).unwrap();
    match notes.notices() {
        [NotesNotice::CaughtUp { journal }] | [NotesNotice::Restored { journal, .. }] => {
            assert!(journal.changes > 0 && journal.complete, "{journal:?}");
        }
        other => panic!("expected the journal to make up for the damage, got {other:?}"),
    }
    for id in &ids {
        assert!(notes.get(id).is_some(), "{id} lost");
    }
    notes.verify().unwrap();
}

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
    let db = cfg.store_dir().join("db");
    let len = std::fs::metadata(&db).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 3).unwrap();
    // Snapshots would let the engine rebuild from them; remove them so the truncation bites.
    for p in files(&cfg.store_dir()) {
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("snap.")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
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
    let db = cfg.store_dir().join("db");
    std::fs::write(&db, b"not a database at all").unwrap();
    for p in files(&cfg.store_dir()) {
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("snap.")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
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
